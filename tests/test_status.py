"""`planlang status` on the example history (examples/进展/, six invented months of nanhu-2023): the numbers, and
every format — JSON against its schema, Markdown, the HTML dashboard in headless Chromium, the 月通报 docx read
back."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from docx import Document

from conftest import EXAMPLES, ROOT, run_cli
from planlang.progress.report import status_schema_json
from planlang.progress.status import compute, load
from test_render import console_errors, run_chromium

PLAN = EXAMPLES / "nanhu-2023.plan"


@pytest.fixture(scope="module")
def june():
    return compute(load(PLAN), "2023-06-30")


def test_status_as_of_the_end_of_june(june):
    assert (june.as_of, june.period, round(june.elapsed, 3)) == ("2023-06-30", "2023-06", 0.496)
    assert len(june.files) == 8 and len(june.tasks) == 21
    counts = {c.category: c.count for c in june.categories}
    assert counts == {"done": 1, "ahead": 0, "on_schedule": 15, "behind": 4, "other": 1}
    assert abs(sum(c.share for c in june.categories) - 1) < 1e-9
    by_path = {t.path: t for t in june.tasks}
    assert by_path["4.2"].state == "done" and by_path["4.2"].light == "green"
    assert by_path["1.3"].state == "lagging" and by_path["1.3"].category == "behind"
    assert by_path["6.2"].state == "paused" and by_path["6.2"].light == "yellow"
    assert sorted(by_path[i.split("-")[1]].path for i in june.behind) == ["1.3", "2.1", "2.3", "3.2"]
    social = [i for i in by_path["2.1"].indicators if i.metric == "社零" and not i.growth][0]
    assert social.reached == "25.3亿元" and round(social.share, 3) == 0.487 and social.behind
    assert [p.period for p in social.history] == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"]
    assert [(u.period, u.unit) for u in june.unreported] == [("2023-04", "区城投")]
    assert june.unknown_records == ["2023-03 要素保障"]
    units = {g.id: g for g in june.units}
    assert (units["区文旅招商局"].tasks, units["区文旅招商局"].behind, units["区文旅招商局"].light) == (9, 3, "red")
    assert [g.id for g in june.sections] == ["投资", "消费", "招商", "市场主体", "区域", "要素"]


def test_as_of_an_earlier_date_reads_only_the_reports_until_then():
    s = compute(load(PLAN), "2023-04-30")
    assert s.period == "2023-04"
    by_path = {t.path: t for t in s.tasks}
    assert by_path["4.2"].state == "done" and by_path["2.1"].category == "on_schedule"
    assert [(u.period, u.unit) for u in s.unreported] == [("2023-04", "区城投")]


def test_after_the_plan_period_the_open_tasks_are_overdue(tmp_path):
    """nanhu-2023 states no 时限: its tasks are due at the end of its period. The 2024-01 follow-up reports the two
    tasks left open then (1.3 滞后 since spring, 6.2 暂缓): both are overdue, in every output."""
    s = compute(load(PLAN))
    assert (s.as_of, s.period, s.elapsed) == ("2024-01-31", "2024-01", 1.0)
    by_path = {t.path: t for t in s.tasks}
    assert sorted(by_path[i.split("-")[1]].path for i in s.overdue) == ["1.3", "6.2"]
    assert all(t.due == "2023-12-31" for t in s.tasks)
    assert {c.category: c.count for c in s.categories} == {"done": 19, "ahead": 0, "on_schedule": 0, "behind": 2,
                                                          "other": 0}
    assert [(u.period, u.unit) for u in s.unreported] == [("2023-04", "区城投")]  # 2023-H2 covers July–December
    text = run_cli("status", "examples/nanhu-2023.plan").stdout
    assert "逾期未完成（2 项）：\n  1.3 强化项目要素保障（区发改局、区财政局）推进中，时限 2023-12-31" in text
    out = tmp_path / "通报.docx"
    assert run_cli("status", "examples/nanhu-2023.plan", "-f", "docx", "-o", str(out)).returncode == 0
    body = "\n".join(p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs)
    overdue = body.split("二、逾期未完成事项")[1].split("三、欠进度事项")[0]
    assert "强化项目要素保障" in overdue and "推动金融改革创新" in overdue


def test_json_output_validates_against_the_committed_schema(tmp_path):
    committed = (ROOT / "schema" / "status.schema.json").read_text(encoding="utf-8")
    assert committed == status_schema_json(), "run `planlang schema --status -o schema/status.schema.json`"
    proc = run_cli("status", "examples/nanhu-2023.plan", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    jsonschema.validate(data, json.loads(committed))
    assert data["as_of"] == "2024-01-31" and len(data["tasks"]) == 21  # the latest period: the 2024-01 follow-up


def test_text_and_markdown(june):
    proc = run_cli("status", "examples/nanhu-2023.plan", "--as-of", "2023-06-30")
    assert proc.returncode == 0, proc.stderr
    assert "欠进度 4 项（19.0%）" in proc.stdout and "2023-04 区城投" in proc.stdout
    assert "社零：完成 25.3亿元，为 力争突破 52亿元 的 48.7%，序时进度 49.6%" in proc.stdout
    md = run_cli("status", "examples/nanhu-2023.plan", "-f", "md", "--as-of", "2023-05-31").stdout
    assert md.startswith("# 南湖新区打好经济增长主动仗工作方案 推进情况")
    assert "| 2.1 | 着力活跃消费氛围 | 区文旅招商局 | 2023-12-31 | 推进中 |" in md  # due: the plan period's end


def test_html_dashboard_in_headless_chromium(tmp_path):
    page = tmp_path / "status.html"
    proc = run_cli("status", "examples/nanhu-2023.plan", "-f", "html", "-o", str(page), "--as-of", "2023-06-30")
    assert proc.returncode == 0, proc.stderr
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "@media print" in text
    dom = run_chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not console_errors(dom.stderr)
    html = dom.stdout
    assert html.count("<svg") == 13  # one chart per indicator value reported in June (growth included)
    assert len(re.findall(r'class="bar"', html)) == 21 + 6 + 10  # tasks, sections, units
    assert "区城投" in html.split("未按时报送")[1]
    pdf = tmp_path / "status.pdf"
    printed = run_chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()], tmp_path / "profile")
    assert printed.returncode == 0 and pdf.read_bytes().startswith(b"%PDF")


def test_docx_is_the_monthly_notice_read_back(tmp_path):
    out = tmp_path / "通报.docx"
    proc = run_cli("status", "examples/nanhu-2023.plan", "-f", "docx", "-o", str(out), "--as-of", "2023-06-30")
    assert proc.returncode == 0, proc.stderr
    doc = Document(io.BytesIO(out.read_bytes()))
    paras = [p for p in doc.paragraphs if p.text]
    assert paras[0].style.name == "Title" and paras[0].text == "关于南湖新区打好经济增长主动仗工作方案推进情况的通报"
    headings = [p.text for p in paras if p.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、逾期未完成事项", "三、欠进度事项", "四、未按时报送单位", "五、下步要求"]
    body = "\n".join(p.text for p in paras)
    assert "序时进度为49.6%" in body and "欠进度4项、占19.0%" in body and "2023-04：区城投。" in body
    sec = doc.sections[0]
    assert round(sec.top_margin.mm) == 37 and round(sec.left_margin.mm) == 28
    again = tmp_path / "again.docx"
    run_cli("status", "examples/nanhu-2023.plan", "-f", "docx", "-o", str(again), "--as-of", "2023-06-30")
    assert again.read_bytes() == out.read_bytes()


def test_status_usage_errors(tmp_path):
    assert run_cli("status", "examples/nanhu-2023.plan", "-f", "docx").returncode == 2
    assert run_cli("status", "examples/nanhu-2023.plan", "--as-of", "六月").returncode == 2
    assert run_cli("status", "examples/missing.plan").returncode == 2
    empty = tmp_path / "none"
    empty.mkdir()
    proc = run_cli("status", "examples/nanhu-2023.plan", "--progress", str(empty))
    assert proc.returncode == 0 and "其他 21 项（100.0%）" in proc.stdout
