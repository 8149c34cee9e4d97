"""Navigation and structure: definition, references, rename across included files, the outline with derived
numbering, workspace symbols and folding."""

from __future__ import annotations

import re

from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from planlang.lsp import workspace
from planlang.lsp.convert import resolved, to_range
from planlang.lsp.index import Hit, Index
from planlang.lsp.kinds import BY_NAME, NAMED, kind_of
from planlang.lsp.store import path_to_uri
from planlang.lsp.view import locate
from planlang.lsp.walk import Tree, block_end
from planlang.model.nodes import Goal, Task
from planlang.syntax.nodes import Block
from planlang.source import SourceFile, Span

WORD_RE = re.compile(r"^[^\s“”「」\"：:，,、；;{}｛｝#]+$")


def definition(ls, uri: str, pos: types.Position) -> types.Location | None:
    w = locate(ls, uri, pos)
    if w is None:
        return None
    st, view, off = w
    hit = view.index.at(st.path, off)
    if hit is None or hit.node is None:
        return None
    span = view.index.definition(hit.node)
    if span is None:
        return None
    return types.Location(uri=path_to_uri(span.file.path), range=view.range(span))


def references(ls, uri: str, pos: types.Position, include_declaration: bool) -> list[types.Location]:
    w = locate(ls, uri, pos)
    if w is None:
        return []
    st, view, off = w
    hit = view.index.at(st.path, off)
    if hit is None or hit.node is None:
        return []
    spans = view.index.references(hit.node, include_declaration)
    return [types.Location(uri=path_to_uri(s.file.path), range=view.range(s)) for s in spans] + \
        workspace.references_elsewhere(ls, st.files, hit.node, view.index.definition(hit.node), include_declaration)


def _rename_indexes(ls, st) -> list[Index]:
    out = [ls.index(st.result)]
    for other in ls.store.docs.values():
        if other is not st and other.result is not None and other.files & st.files:
            out.append(ls.index(other.result))
    return out


def prepare_rename(ls, uri: str, pos: types.Position) -> types.PrepareRenamePlaceholder | None:
    w = locate(ls, uri, pos, good=False)
    if w is None:
        return None
    st, view, off = w
    hit = view.index.at(st.path, off)
    if hit is None or hit.node is None or hit.kind not in NAMED:
        return None
    if hit.kind == "task" and not getattr(hit.node, "_explicit_id", False):
        return None
    if hit.name != hit.node.id:
        return None  # an alias or a title: nothing to rename here
    return types.PrepareRenamePlaceholder(range=view.range(hit.span), placeholder=hit.name)


def rename(ls, uri: str, pos: types.Position, new_name: str) -> types.WorkspaceEdit | None:
    w = locate(ls, uri, pos, good=False)
    if w is None or w[1].mapped:
        return None  # the compilation lags behind the text: its spans would not fit
    st, view, off = w
    hit = view.index.at(st.path, off)
    if hit is None:
        return None
    new = new_name.strip()
    indexes = _rename_indexes(ls, st)
    spans = rename_spans(indexes, hit, new)
    if isinstance(spans, str):
        raise JsonRpcInvalidParams(spans)
    changes = workspace.rename_elsewhere(ls, {f.path for i in indexes for f in i.result.files}, hit.node,
                                         view.index.definition(hit.node), new)
    if isinstance(changes, str):
        raise JsonRpcInvalidParams(changes)
    for s in spans:
        changes.setdefault(path_to_uri(s.file.path), []).append(types.TextEdit(range=to_range(s, ls.enc), new_text=new))
    return types.WorkspaceEdit(changes=changes)


def document_symbol(ls, uri: str) -> list[types.DocumentSymbol]:
    st = ls.state(uri)
    if st is None or st.result is None:
        return []
    views = ls.views(st)
    if not views:
        return []
    return document_symbols(views[0].index, st.path, ls.enc, views[0].range)


def workspace_symbol(ls, query: str) -> list[types.WorkspaceSymbol]:
    query = query.strip()
    out, seen = [], set()
    for st in list(ls.store.docs.values()):
        if st.result is None:
            continue
        idx = ls.index(st.result)
        for node in idx.nodes:
            kind = kind_of(node)
            span = idx.definition(node)
            if kind is None or kind.name not in NAMED or span is None:
                continue
            name = f"{node.number}{node.title}" if kind.name == "task" else (getattr(node, "title", "") or node.id)
            if query and query not in name and query not in node.id:
                continue
            key = (span.file.path, span.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(types.WorkspaceSymbol(name=name, kind=kind.symbol,
                                             location=types.Location(uri=path_to_uri(span.file.path),
                                                                     range=to_range(span, ls.enc))))
    return out + workspace.symbols_elsewhere(ls, {p for st in ls.store.docs.values() for p in st.files}, query)


def folding_range(ls, uri: str) -> list[types.FoldingRange]:
    st = ls.state(uri)
    if st is None or st.result is None:
        return []
    idx = ls.index(st.result)
    tree, f = idx.tree(st.path), idx.file(st.path)
    return folding_ranges(tree, f.source) if tree is not None else []


def document_symbols(index: Index, path: Path, enc: str, rng=None) -> list[types.DocumentSymbol]:
    """The outline: plan, units, goals, the task tree and mechanisms, in source order. `rng` turns a span into
    an LSP range (default: in the compilation's own text)."""
    m = index.result.model
    outline = _Outline(index, path, rng or (lambda span: to_range(span, enc)))
    sym = outline.symbol
    out: list[types.DocumentSymbol | None] = []
    if m.plan is not None:
        out.append(sym(m.plan, m.plan.title, m.plan.id, BY_NAME["plan"].symbol))
    out += [sym(u, u.id, u.full_name, BY_NAME["unit"].symbol) for u in m.units]
    out += [outline.goal(g) for g in m.goals]
    out += [outline.task(t) for t in m.tasks]
    out += [sym(x, x.title, x.id, BY_NAME["mechanism"].symbol) for x in m.mechanisms]
    out += [sym(x, x.title, x.id, BY_NAME["text"].symbol) for x in m.texts]
    symbols = [s for s in out if s is not None]
    symbols.sort(key=lambda s: (s.range.start.line, s.range.start.character))
    return symbols


@dataclass(slots=True)
class _Outline:
    """Outline symbols of one compilation's nodes in one file. (Methods rather than nested functions: a nested
    function that calls itself is a reference cycle and keeps the compilation alive until the cyclic collector
    runs.)"""

    index: Index
    path: Path
    rng: object

    def symbol(self, node, name: str, detail: str | None, kind: types.SymbolKind,
               children=None) -> types.DocumentSymbol | None:
        head, block = self.index.definition(node), self.index.block(node)
        if head is None or block is None or not self.index.same_file(head, self.path):
            return None
        return types.DocumentSymbol(name=name or "（无标题）", detail=detail, kind=kind, range=self.rng(block),
                                    selection_range=self.rng(head), children=children or None)

    def task(self, t: Task) -> types.DocumentSymbol | None:
        kids = [s for s in (self.task(c) for c in t.children) if s]
        eff = t.effective_owners
        return self.symbol(t, f"{t.number}{t.title}", "、".join(eff.lead or eff.responsible) or None,
                           BY_NAME["task"].symbol, kids)

    def goal(self, g: Goal) -> types.DocumentSymbol | None:
        kids = [s for s in (self.goal(c) for c in g.children) if s]
        return self.symbol(g, g.title, g.id, BY_NAME["goal"].symbol if not g.children else types.SymbolKind.Enum,
                           kids)


def folding_ranges(tree: Tree, src: SourceFile) -> list[types.FoldingRange]:
    doc = tree.doc
    out: list[types.FoldingRange] = []
    for st in tree.walk():
        if isinstance(st, Block) and st.body is not None:
            a, b = src.line_index(st.start), src.line_index(block_end(st))
            if b > a:
                out.append(types.FoldingRange(start_line=a, end_line=b))
    run: list[int] = []
    for c in doc.comments:
        line = src.line_index(c.start)
        if src.line_text(line).lstrip().startswith(("#", "//")):
            if run and line == run[-1] + 1:
                run.append(line)
                continue
            if len(run) > 1:
                out.append(types.FoldingRange(start_line=run[0], end_line=run[-1],
                                              kind=types.FoldingRangeKind.Comment))
            run = [line]
    if len(run) > 1:
        out.append(types.FoldingRange(start_line=run[0], end_line=run[-1], kind=types.FoldingRangeKind.Comment))
    return out


def rename_spans(indexes: list[Index], hit: Hit, new: str) -> list[Span] | str:
    """Every span to rewrite when renaming the node under the cursor, across the compilations given (the
    declaration and every reference that wrote the id itself, not an alias); or a message why not."""
    node = hit.node
    if node is None:
        return "无法重命名未定义的名称 / cannot rename an undefined name"
    if not WORD_RE.match(new) or new[0].isdigit():
        return f"“{new}”不能作为标识 / '{new}' is not a valid identifier"
    kind = hit.kind
    old = node.id
    if new == old:
        return []
    for idx in indexes:
        if new in idx.names(kind):
            return f"“{new}”已存在 / '{new}' already exists"
    seen: dict[tuple[str, int, int], Span] = {}
    for idx in indexes:
        target = next((n for n in idx.nodes if type(n) is type(node) and getattr(n, "id", None) == old), None)
        if target is None:
            continue
        spans = [d.span for d in idx.result.symbols.defs if d.node is target and d.name == old]
        spans += [r.ref.span for r in idx.result.symbols.refs if r.target is target and r.ref.name == old]
        for sp in spans:
            seen.setdefault((str(resolved(sp.file.path)), sp.start, sp.end), sp)
    return list(seen.values())
