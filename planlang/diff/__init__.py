"""`planlang diff`: what changed between two versions of a plan, compared as plans (tasks, owners, leaders,
deadlines, indicators, goals, mechanisms, units), not as lines. Both versions come from the one pipeline
(`planlang.pipeline.compile_file`); this package only compares the compiled models and writes the result."""

from planlang.diff.compare import diff_plans, for_unit
from planlang.diff.report import Change, DiffReport

__all__ = ["Change", "DiffReport", "diff_plans", "for_unit"]
