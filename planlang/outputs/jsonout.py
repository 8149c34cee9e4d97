"""The compiled plan as deterministic JSON, and the JSON Schema generated from the same pydantic models."""

from __future__ import annotations

import json

from planlang.model.nodes import CompiledPlan


def plan_json(model: CompiledPlan) -> str:
    """Same model, same bytes: field order from the models, no timestamps, UTF-8 text, newline at the end."""
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def plan_schema() -> dict:
    """The JSON Schema of `planlang compile` output."""
    schema = CompiledPlan.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_json() -> str:
    """The schema as committed in `schema/plan.schema.json`."""
    return json.dumps(plan_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
