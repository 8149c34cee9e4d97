"""The checker: rules grouped by family, one module each (`references`, `ownership`, `indicators`, `schedule`,
`mechanisms`, `spelling`; the front end's rules, reported while reading, in `frontend`), the explicit list of
them in `registry`, and the engine that runs them in `engine`.

This package module imports nothing, so a rule module's `from planlang.checks.context import …` never runs the
registry that lists it.
"""
