"""The one table of node kinds: what the editor calls each kind of plan node — in the outline and workspace
symbols, in completion, in semantic tokens — and which node class it is. Every feature reads it here."""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types

from planlang.model.nodes import Goal, Mechanism, PlanInfo, Task, TextPart, Unit


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # plan, unit, goal, task, mechanism, text (the names references and definitions use)
    node: type
    symbol: types.SymbolKind  # outline and workspace symbols (a goal with sub-goals is an Enum)
    completion: types.CompletionItemKind | None  # None: never offered as a name in a field
    token: str | None  # semantic token type of its names (None: not coloured as a name)


KINDS = (
    Kind("plan", PlanInfo, types.SymbolKind.File, None, None),
    Kind("unit", Unit, types.SymbolKind.Module, types.CompletionItemKind.Module, "namespace"),
    Kind("goal", Goal, types.SymbolKind.EnumMember, types.CompletionItemKind.EnumMember, "enumMember"),
    Kind("task", Task, types.SymbolKind.Function, types.CompletionItemKind.Function, "function"),
    Kind("mechanism", Mechanism, types.SymbolKind.Event, types.CompletionItemKind.Event, "event"),
    Kind("text", TextPart, types.SymbolKind.String, None, None),
)
BY_NAME = {k.name: k for k in KINDS}
KIND_OF = {k.node: k.name for k in KINDS}  # node class -> kind name
NAMED = tuple(k.name for k in KINDS if k.completion is not None)  # kinds a field names: unit, goal, task, mechanism


def kind_of(node: object) -> Kind | None:
    """The kind of a model node (None for anything else)."""
    name = KIND_OF.get(type(node))
    return BY_NAME[name] if name is not None else None
