"""Progress files (进展): read into the model, formatted losslessly, and checked in the language server."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from planlang.pipeline import compile_file
from planlang.progress.build import read_percent, read_period
from planlang.syntax.format import format_text
from test_lsp import change, client, open_doc, pos_of, start, ws  # noqa: F401 — fixtures used by name

CASES = Path(__file__).resolve().parent / "cases" / "progress"


def test_a_progress_file_is_read_into_reports_and_records():
    result = compile_file(CASES / "pl60x-all-reported-ok.plan")
    (frag,) = [f.fragment for f in result.files if f.fragment.progress]
    first, second = frag.progress
    assert (first.period, first.start, first.end, first.filed_by, first.filed_on) == (
        "2023-06", "2023-06-01", "2023-06-30", "区发改局", "2023-06-25")
    (rec,) = second.records
    assert rec.task == "消费" and rec.status == "in_progress" and rec.percent == 50.0
    assert rec.filed_by == "区财政局" and rec.filed_on is None
    assert [(t.metric, t.quantity.normalized) for t in rec.reached] == [("社零", 2.5e9), ("新增市场主体", 60.0)]
    assert [(t.metric, t.quantity.unit) for t in rec.growth] == [("社零", "%")]
    assert rec.summary == ["举办消费季活动三场"] and rec.problems == ["餐饮恢复偏慢"]
    assert rec.next_steps == ["7月启动夜间经济节"]
    dumped = second.model_dump(mode="json")
    assert dumped["records"][0]["status"] == "in_progress"


def test_periods_and_percentages_in_their_written_forms():
    assert read_period("2023-06") == read_period("2023年6月") == ("2023-06-01", "2023-06-30")
    assert read_period("2023-Q2") == read_period("2023年第二季度") == ("2023-04-01", "2023-06-30")
    assert read_period("2023-H2") == read_period("2023年下半年") == ("2023-07-01", "2023-12-31")
    assert read_period("2024") == ("2024-01-01", "2024-12-31")
    assert read_period("2023-13") is None and read_period("六月") is None
    assert read_percent("60%") == read_percent("60％") == read_percent("60") == 60.0
    assert read_percent("120%") is None


def test_unreadable_values_in_records_are_malformed_values(tmp_path):
    (tmp_path / "planlang.toml").touch()
    (tmp_path / "p.plan").write_text((CASES / "_plan.plan").read_text(encoding="utf-8"), encoding="utf-8")
    f = tmp_path / "2023-06.plan"
    f.write_text("引用 “p.plan”\n进展 2023-六 {\n  填报单位：区发改局\n  记录 项目 { 状态：快完了；进度：多半；完成：社零 很多 }\n}\n",
                 encoding="utf-8")
    found = [(d.code, d.message.zh) for d in compile_file(f).diagnostics if d.span.file.path.endswith("2023-06.plan")]
    codes = [c for c, _ in found]
    assert codes.count("PL003") == 4, found
    assert any("未启动、推进中、已完成、滞后、暂缓、取消" in m for _, m in found)


def test_formatting_a_progress_file_is_lossless_across_keyword_languages():
    text = (CASES / "pl60x-all-reported-ok.plan").read_text(encoding="utf-8")
    zh = format_text(text).text
    en = format_text(zh, lang="en").text
    assert "progress 2023-06 {" in en and "record 消费 {" in en and "reached：社零 25亿元" in en
    assert format_text(en, lang="zh").text == zh
    assert format_text(zh).text == zh


async def test_the_language_server_checks_a_progress_file(client, ws):
    await start(client, ws)
    folder = ws / "进展"
    folder.mkdir()
    path = folder / "2023-06.plan"
    text = "引用 “../nanhu-2023.plan”\n进展 2023-06 {\n  填报单位：区发改局\n  记录 投资一 { 状态：推进中 }\n}\n"
    path.write_text(text, encoding="utf-8")
    diags = await open_doc(client, path, text)
    (d,) = [d for d in diags if d.code == "PL601"]
    assert d.range.start == pos_of(text, "投资一")
    assert "投资" in d.message
    assert any(d.code == "PL605" for d in diags)
    fixed = text.replace("投资一", "投资")
    diags = await change(client, path, 2, fixed)
    assert not [d for d in diags if d.code == "PL601"]
    assert all(d.range.start.line < fixed.count("\n") for d in diags)
    assert types.DiagnosticSeverity.Warning in {d.severity for d in diags}
