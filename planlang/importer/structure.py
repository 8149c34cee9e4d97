"""Paragraphs → the document's outline: title, header lines, preamble, and the tree of numbered items.

Numbering styles are not tied to fixed levels: the first style met opens a level, a style already open closes
everything below it (so a plan that goes 一、 → 1. directly nests correctly). A markdown or Word heading without
numbering is a level of its own. An unnumbered paragraph continues the item above it — unless that item ended
with its owner note, which closes an item: then the paragraph belongs to the enclosing section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planlang.importer.clean import CleanDoc, Para, chinese_date, is_doc_number
from planlang.importer.patterns import LABEL_LINE, marker, owner_note_at_end

_DOC_TYPES = r"(?:工作方案|实施方案|总体方案|行动方案|方案|实施意见|指导意见|意见|工作计划|计划|规划|通知|办法|细则|要点|" \
             r"工作要点|工作总结|总结|报告|决定|纲要|解读|安排)"
_TITLE_END = re.compile(_DOC_TYPES + r"(?:（[^）]*）|\([^)]*\))?$")
_WRAPPER = re.compile(r"^(?:关于)?印发[《〈“]?(.+?)[》〉”]?的通知")


@dataclass(slots=True)
class Node:
    """A numbered item (or the document root) with its paragraphs and sub-items."""

    kind: str
    ordinal: int = 0
    head: str = ""  # the item's first paragraph, numbering removed
    raw: str = ""  # the item's first paragraph as written
    paras: list[str] = field(default_factory=list)  # unnumbered paragraphs continuing the item
    children: list["Node"] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)  # unnumbered paragraphs after the sub-items
    closed: bool = False  # ended by an owner note

    def all_text(self) -> list[str]:
        """Every paragraph of the item and its sub-items, as written, in order."""
        out = [self.raw] if self.raw else []
        out.extend(self.paras)
        for c in self.children:
            out.extend(c.all_text())
        out.extend(self.trailing)
        return out


@dataclass(slots=True)
class Outline:
    """The document as the importer sees it."""

    title: str | None
    meta: dict[str, str]
    notice: list[str]  # the covering notice of a 印发…的通知, kept as text
    preamble: list[str]
    root: Node
    tail: list[str]  # closing paragraphs after the last item
    signature: list[str] = field(default_factory=list)  # 落款: issuing office and date at the end


def _title_like(p: Para) -> bool:
    t = p.text
    if len(t) > 70 or "。" in t or marker(t) is not None:
        return False
    return bool(p.heading) or bool(_TITLE_END.search(t)) or (len(t) <= 40 and not re.search(r"[，,；;：:]", t))


def _stripped_note(t: str) -> str | None:
    """What _strip_title drops from a title line (（解读） / （全文）), to be kept as a comment."""
    m = re.search(r"(?:（解读）|\(解读\)|解读|（全文）|\(全文\))$", t.strip())
    return m[0] if m else None


def _strip_title(t: str) -> str:
    t = re.sub(r"(?:（解读）|\(解读\)|解读|（全文）|\(全文\))$", "", t.strip())
    return t.strip("《》 ")


# The covering notice of a 印发…的通知 around the plan, and what stands above it.
_HEADER_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:文件|公报|简报)$")  # 龙汀市人民政府文件
_NOTICE_TITLE = re.compile(r"(?:关于)?(?:印发|转发|下发|下达)[《〈“]?(.+?)[》〉”]?的通知$|关于.{4,80}的通知$")
_ISSUE = re.compile(r"印发给你们|现将.{0,80}(?:印发|如下|下达)|现将.{0,160}给你们|现印发|现予印发|予以印发|印发给各|现转发给你们|现下发|"
                    r"现就.{0,40}通知如下")
_ADDRESSEES = re.compile(r"^各.{2,120}[:：]$")
_PUBLIC = re.compile(r"^[（(]\s*此件.{0,10}[）)]$")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*(?:[:：].*)?$")
_BOOK = re.compile(r"《(.+?)》")


def _frame(paras: list[Para]) -> tuple[str | None, list[str], int]:
    """The plan's title, the covering notice's paragraphs (as written) and where the plan's own text starts.

    A notice is found by its parts: a title ending in 印发…的通知, a 主送 line (各…：), the sentence that issues the
    plan (现印发给你们), closed by the 落款 date and a 此件公开发布 line, an 附件 line. The plan's title is the
    title-like line after the notice, else the 《…》 (or 印发…的通知) the notice names; never a 文件 header, a
    document number or an index number."""
    n = len(paras)
    k = 0
    while k < n and k < 6 and (_HEADER_LINE.match(paras[k].text) or is_doc_number(paras[k].text)):
        k += 1
    notice_title = next((j for j in range(k, min(n, k + 4)) if _NOTICE_TITLE.search(paras[j].text)
                         and "。" not in paras[j].text and len(paras[j].text) <= 120), None)
    opening = next((j for j in range(k, min(n, k + 6)) if _ADDRESSEES.match(paras[j].text)
                    or _ISSUE.search(paras[j].text)), None)
    if notice_title is None and opening is None:
        return _no_notice(paras)
    start = notice_title if notice_title is not None else opening
    inner = None
    if notice_title is not None:
        m = _NOTICE_TITLE.search(paras[notice_title].text)
        inner = _strip_title(m[1]) if m and m[1] else None
    end = None
    issued = False
    for j in range(start, min(n, start + 60)):
        t = paras[j].text
        if notice_title is None and j > start and (marker(t) is not None or LABEL_LINE.match(t)) and not issued:
            break  # numbered items before any 印发 sentence: the plan itself has begun
        if notice_title is None and j > start and marker(t) is not None and chinese_date(t) is None \
                and not any(chinese_date(p.text) for p in paras[j:j + 3]) and _owner_or_item_run(paras, j):
            break
        if _ISSUE.search(t):
            issued = True
            b = _BOOK.search(t)
            # 现将《X》印发给你们 names the plan; 《规划纲要》已经…通过…现将有关责任分解如下 names another document
            if b and (inner is None or notice_title is None) and "印发" in t[b.end():] + t[:b.start()]:
                inner = _strip_title(b[1])
        if j > start and inner and _strip_title(t) == inner and not issued:
            end = j  # the plan's title repeated: the notice ends before it
            break
        a = _ATTACHMENT.match(t)
        if a and re.search(r"[:：]\s*\S", t) and inner is None:  # 附件：县《政府工作报告》确定的…责任分解
            inner = _strip_title(re.split(r"[:：]", t, maxsplit=1)[1])
        if issued and chinese_date(t):
            end = j + 1
            while end < n and (_PUBLIC.match(paras[end].text) or _ATTACHMENT.match(paras[end].text)):
                end += 1
            break
    if end is None and inner:
        end = next((j for j in range(start + 1, n) if _strip_title(paras[j].text) == inner), None)
    if end is None:
        if notice_title is None:
            return _no_notice(paras)
        if inner is None:  # 关于分解落实…的通知 whose text is the plan itself: the notice's title is the plan's
            return _strip_title(paras[notice_title].text), [p.text for p in paras[:notice_title]], notice_title + 1
        return inner, [p.text for p in paras[:notice_title + 1]], notice_title + 1
    notice = [p.text for p in paras[:end]]
    while end < n and (_ATTACHMENT.match(paras[end].text) or _PUBLIC.match(paras[end].text)):
        notice.append(paras[end].text)
        end += 1
    if end < n and _title_like(paras[end]) and not _HEADER_LINE.match(paras[end].text) \
            and not is_doc_number(paras[end].text):
        title, end = _title_lines(paras, end, inner)
        return title, notice, end
    return inner, notice, end


def _no_notice(paras: list[Para]) -> tuple[str | None, list[str], int]:
    """No covering notice: header lines (文件 header, 文号) above the first title-like line, which is the title."""
    n = len(paras)
    i = 0
    while i < n and i < 6 and (_HEADER_LINE.match(paras[i].text) or is_doc_number(paras[i].text)):
        i += 1
    if i < n and _title_like(paras[i]) and (marker(paras[i].text) is None):
        title, end = _title_lines(paras, i, None)
        return title, [p.text for p in paras[:i]], end
    return None, [p.text for p in paras[:i]], i


def _owner_or_item_run(paras: list[Para], j: int) -> bool:
    """From `j` on, the plan's items: a numbered item followed soon by owner lines or more numbered items with
    owners (a notice's own numbered requirements name none)."""
    window = [p.text for p in paras[j:j + 6]]
    return any(LABEL_LINE.match(t) or owner_note_at_end(t) for t in window)


def _title_lines(paras: list[Para], at: int, inner: str | None) -> tuple[str, int]:
    """A title that may be broken over two or three lines (云汐区政府2023年重点工作 / 任务分解和责任分工方案)."""
    title = _strip_title(paras[at].text)
    k = at + 1
    while k < len(paras) and k < at + 3 and _title_like(paras[k]) and marker(paras[k].text) is None:
        joined = title + _strip_title(paras[k].text)
        if inner and inner.startswith(joined) or (not inner and not _TITLE_END.search(title)
                                                  and _TITLE_END.search(joined) and len(joined) <= 60):
            title, k = joined, k + 1
        else:
            break
    return title, k


def outline(doc: CleanDoc) -> Outline:
    """Build the outline of a cleaned document."""
    paras = list(doc.paragraphs)
    meta = dict(doc.meta)
    title = None
    notice: list[str] = []
    preamble: list[str] = []
    title, notice, i = _frame(paras)
    # header lines before the first numbered item: document number, dates, a repeated title
    body_start = i
    while body_start < len(paras) and marker(paras[body_start].text) is None and not _numbered_heading(paras[body_start]):
        body_start += 1
    for p in paras[i:body_start]:
        t = p.text
        if is_doc_number(t):
            meta.setdefault("doc_number", t)
        elif chinese_date(t):
            meta.setdefault("issued", chinese_date(t))
        elif title and _strip_title(t) == title:
            continue
        elif title is None and _title_like(p) and not preamble:
            title = _strip_title(t)
        else:
            preamble.append(t)
    kept_notice = []
    for t in notice:
        if is_doc_number(t):
            meta.setdefault("doc_number", t)
        elif chinese_date(t):
            meta.setdefault("issued", chinese_date(t))
        else:
            kept_notice.append(t)
    if "doc_number" not in meta and title:
        m = re.search(r"[（(]([\u4e00-\u9fff]{1,12}[〔\[［]\d{4}[〕\]］]\d+号)[）)]", title)
        if m:
            meta["doc_number"] = m[1]
    body = paras[body_start:]
    signature: list[str] = []
    # the signature at the end (issuing office, then the date) is not part of the last item
    if body and chinese_date(body[-1].text):
        meta.setdefault("issued", chinese_date(body[-1].text))
        signature.insert(0, body.pop().text)
        while body and len(body[-1].text) <= 30 and not re.search(r"[，,。；;：:、]", body[-1].text) \
                and marker(body[-1].text) is None:
            signature.insert(0, body.pop().text)
    root, tail = _tree(body, meta)
    if title:
        written = next((p.text for p in paras[:12] if _stripped_note(p.text) and _strip_title(p.text) == title), None)
        if written:
            meta["title_line"] = written  # 南湖新区…工作方案解读: the page's title, kept as a comment
    return Outline(title, meta, kept_notice, preamble, root, tail, signature)


def _numbered_heading(p: Para) -> bool:
    return bool(p.heading) and len(p.text) <= 40 and "。" not in p.text


# 以上工作由县商务局牵头，各乡镇人民政府配合。— owners stated once after a section's items, for all of them
GROUP_OWNERS = re.compile(r"^(?:以上|上述)(?:各项|所列|全部)?(?:工作|任务|事项|内容|项目|措施)?(?:均|统一)?(?:由)?"
                          r"(?P<note>.{2,120}?(?:牵头|负责|配合|落实|实施)[^。]*?)[。；]?$")


def _names_owners(node: Node) -> bool:
    return any(owner_note_at_end(t) or LABEL_LINE.match(t) for t in node.all_text())


def _tree(paras: list[Para], meta: dict[str, str]) -> tuple[Node, list[str]]:
    root = Node("root")
    stack: list[Node] = [root]
    after_closed: list[tuple[Node, str]] = []  # paragraphs placed after a closed item, maybe the closing text
    labelled: Node | None = None  # the item the owner lines just read belong to (牵头单位：… 责任单位：…)
    for p in paras:
        t = p.text
        if labelled is not None and LABEL_LINE.match(t):
            labelled.paras.append(t)
            continue
        labelled = None
        d = chinese_date(t)
        if d and len(stack) > 1:
            meta.setdefault("issued", d)
            continue
        m = marker(t)
        kind = m.kind if m else (f"h{p.heading}" if _numbered_heading(p) else None)
        if kind is not None:
            after_closed = []
            for k in range(len(stack) - 1, 0, -1):
                if stack[k].kind == kind:
                    del stack[k:]
                    break
            node = Node(kind, m.ordinal if m else 0, t[m.end:].strip() if m else t.strip(), t)
            stack[-1].children.append(node)
            stack.append(node)
            node.closed = owner_note_at_end(t) is not None
            continue
        top = stack[-1]
        if top is root:
            root.paras.append(t)
            continue
        if GROUP_OWNERS.match(t) and len(stack) > 2 and stack[-2].children:
            # the owners of the section's items, stated after them: the section's, and it closes the section's items
            del stack[-1]
            while len(stack) > 2 and not stack[-1].children:
                del stack[-1]
            stack[-1].trailing.append(t)
            continue
        note = owner_note_at_end(t)
        if note is not None and note.start == 0 and len(stack) > 2 and not top.closed:
            # an owner note on its own line after a run of sub-items none of which names owners: the note is the
            # group's (1.优化产能结构 (1)… (2)… (3)… （责任单位：…）)
            parent = stack[-2]
            if len(parent.children) >= 2 and not any(_names_owners(c) for c in parent.children):
                del stack[-1]
                parent.paras.append(t)
                parent.closed = True
                continue
        if top.closed:
            # the item ended with its owner note: this paragraph belongs to the enclosing section
            while len(stack) > 1 and stack[-1].closed:
                stack.pop()
            holder = stack[-1]
            if holder is root:
                root.paras.append(t)
                continue
            holder.trailing.append(t)
            after_closed.append((holder, t))
            continue
        if top.children and not LABEL_LINE.match(t):
            top.trailing.append(t)
            after_closed.append((top, t))
        else:
            top.paras.append(t)
        if owner_note_at_end(t) is not None:
            top.closed = True
        elif LABEL_LINE.match(t):
            # owner lines end the item: what follows them belongs to the enclosing section
            top.closed = True
            labelled = top
    tail: list[str] = []
    # paragraphs after the last closed item, with no numbered item after them: the document's closing text
    for holder, t in after_closed:
        if t in holder.trailing:
            holder.trailing.remove(t)
            tail.append(t)
    return root, tail
