"""Completion: units after 牵头/负责/配合/成员, goals after 支撑, tasks and mechanisms after 依赖 and 覆盖, units and
mechanisms after a mechanism's 牵头, leaders, enumerations, cadences and deadlines, units of measure after a
number, and at a statement's start the block keywords and the enclosing block's fields in the document's
language. The block the cursor is in and the document's language come from the syntax tree's index, so the
answer costs the same in a document of any length."""

from __future__ import annotations

import re

from lsprotocol import types

from planlang import keywords as kw
from planlang.lsp.convert import offset as to_offset
from planlang.lsp.hover import UNIT_KIND_ZH
from planlang.lsp.index import Index
from planlang.lsp.kinds import BY_NAME
from planlang.lsp.walk import Tree
from planlang.model.values import COMMON_UNITS
from planlang.source import SourceFile


def completion(ls, uri: str, pos: types.Position) -> types.CompletionList | list:
    st = ls.store.docs.get(uri)
    current = ls.current_source(st) if st is not None else None
    if current is None:
        return []
    off = to_offset(current, pos, ls.enc)
    views = ls.views(st, good=False)
    if views:  # the latest compilation's syntax, even when it lags behind the text: no parse while typing
        view = views[0]
        tree = view.index.tree(st.path)
        at = view.to_src(off)
        block_at = view.start if at is None else at  # in text typed since: where the typing began
    else:
        from planlang.syntax import parse

        tree, block_at = Tree(parse(current.text)), off
    names_from = [ls.index(r) for r in (st.result, st.good) if r is not None]
    block_kind = tree.block_kind_at(block_at) if tree is not None else None
    items = completion_items(names_from, tree, current, off, block_kind, ls.keyword_lang)
    return types.CompletionList(is_incomplete=False, items=items)


def leaders_used(indexes: list[Index]) -> list[str]:
    """The leaders already named in the plans: the plan's, then the tasks', then the goals' (each once)."""
    out: dict[str, None] = {}
    for idx in indexes:
        out.update(dict.fromkeys(idx.leaders()))
    return list(out)


_CADENCES = ("旬调度", "月通报", "季讲评", "每周", "每月", "每季度", "每半年", "每年", "旬简报")
_REPORTING = ("每月25日前 报 ", "每季度末", "每季度最后一个月30日前", "年中", "年末", "6月底前")
_DEADLINES = ("年底前", "上半年", "6月底前", "一季度末", "长期坚持", "持续推进", "每季度", "每月")


def _field_context(line_prefix: str) -> tuple[str | None, str]:
    """(field spelling, text after its colon) when the cursor is in a field value."""
    m = re.match(r"^\s*(?:.*[{｛;；]\s*)?([^\s：:{}｛｝;；]+)\s*[：:]\s*([^：:]*)$", line_prefix)
    if not m:
        return None, line_prefix
    return m[1], m[2]


def completion_items(names_from: list[Index], tree: Tree | None, src: SourceFile, off: int, block_kind: str | None,
                     keyword_lang: str | None = None) -> list[types.CompletionItem]:
    """What to offer at `off`; keywords in `keyword_lang` (the client's setting) or else the document's own."""
    line0 = src.line_index(off)
    prefix = src.text[src.line_start(line0):off]
    key, value = _field_context(prefix)
    lang = keyword_lang or (tree.language if tree is not None else "zh")
    items: list[types.CompletionItem] = []
    if key is not None:
        spec = kw.field_spec(key)
        if spec is None:
            return []
        vk = spec.kind
        if re.search(r"\d$", value) and vk in (kw.ValueKind.MEASURES, kw.ValueKind.TARGETS, kw.ValueKind.BASELINE):
            return [types.CompletionItem(label=u, kind=types.CompletionItemKind.Unit, detail="计量单位",
                                         sort_text=f"{i:03d}") for i, u in enumerate(COMMON_UNITS)]
        kinds = {kw.ValueKind.UNITS: ["unit"], kw.ValueKind.OWNERS: ["unit", "mechanism"],
                 kw.ValueKind.GOALS: ["goal"], kw.ValueKind.TASKS: ["task", "mechanism"]}.get(vk)
        if vk is kw.ValueKind.OWNERS and block_kind != "mechanism":
            kinds = ["unit"]  # goals and tasks are owned by units; only a mechanism answers to a mechanism
        if kinds:
            seen: set[str] = set()
            for kind in kinds:
                for idx in names_from:
                    for name, node in idx.names(kind).items():
                        if name in seen:
                            continue
                        seen.add(name)
                        detail = (getattr(node, "full_name", None) or getattr(node, "title", None)
                                  or f"{UNIT_KIND_ZH.get(getattr(node, 'kind', ''), '')}单位")
                        ck = BY_NAME[kind].completion
                        if name != getattr(node, "id", name):
                            detail = f"{node.id} 的别名"
                        items.append(types.CompletionItem(label=name, kind=ck, detail=detail or None))
            return items
        if vk is kw.ValueKind.ENUM or vk is kw.ValueKind.CONVENTIONS:
            values = (kw.OWNER_CONVENTIONS if vk is kw.ValueKind.CONVENTIONS
                      else kw.MECHANISM_KINDS if block_kind == "mechanism" else kw.UNIT_KINDS)
            return [types.CompletionItem(label=v.en if lang == "en" else v.zh, kind=types.CompletionItemKind.EnumMember,
                                         detail=v.en if lang != "en" else v.zh) for v in values]
        if vk is kw.ValueKind.REPORTING:
            return [types.CompletionItem(label=c, kind=types.CompletionItemKind.Value) for c in _REPORTING]
        if vk is kw.ValueKind.CADENCES:
            return [types.CompletionItem(label=c, kind=types.CompletionItemKind.Value) for c in _CADENCES]
        if vk is kw.ValueKind.DEADLINES:
            return [types.CompletionItem(label=c, kind=types.CompletionItemKind.Value) for c in _DEADLINES]
        if vk is kw.ValueKind.PEOPLE:
            return [types.CompletionItem(label=name, kind=types.CompletionItemKind.Value, detail="责任领导")
                    for name in leaders_used(names_from)]
        return []
    # a statement start: block keywords and the enclosing block's field names, in the document's language
    fields = kw.fields_of(block_kind) if block_kind else []
    for f in fields:
        label = f.word.en if lang == "en" else f.word.zh
        sep = ": " if lang == "en" else "："
        items.append(types.CompletionItem(label=label, kind=types.CompletionItemKind.Field, detail=f.word.doc,
                                          insert_text=label + sep))
    allowed = {"plan": ("unit", "goal", "task", "mechanism", "text", "include"), "goal": ("goal",),
               "task": ("task",)}.get(block_kind or "", ("plan", "include", "unit", "goal", "task", "mechanism", "text"))
    for w in kw.BLOCKS:
        if block_kind is None or w.name in allowed:
            items.append(types.CompletionItem(label=w.en if lang == "en" else w.zh,
                                              kind=types.CompletionItemKind.Keyword, detail=w.doc))
    return items
