"""What the tool promises under hostile input (README, "Reliability"): line ends as editors read them, no
internal errors, no data loss on write, no configuration that hides reading errors, bounded work, and no
terminal control sequences from a plan's text. Write-safety tests use real symbolic links, FIFOs, hard links and
permissions; "read-only" is tested by mode (root may write anything, and the tool refuses by mode bits)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import run_cli

PLAN = "单位 区财政局\n任务 t1 “做好一件事” {\n  牵头：区财政局\n}\n"
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="changes file owners (needs root)")


def _ws(tmp_path: Path, text: str = PLAN, name: str = "p.plan") -> Path:
    (tmp_path / "planlang.toml").touch()
    p = tmp_path / name
    p.write_text(text, encoding="utf-8", newline="")
    return p


# -- 2. line ends ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("eol", ["\r", "\r\n", "\n"])
def test_every_editor_line_end_ends_a_line(tmp_path, eol):
    text = eol.join(["# 标题注释", "单位 区财政局", "任务 t1 “做好一件事” {", "  牵头：区财政局", "}", ""])
    p = _ws(tmp_path, text)
    r = run_cli("compile", str(p), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "做好一件事" in r.stdout  # the task was read, not swallowed by the first line's comment
    r = run_cli("check", str(p), "--format", "json", cwd=tmp_path)
    assert r.returncode == 0 and '"diagnostics": []' in r.stdout


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85"])
def test_a_separator_that_is_no_line_end_is_reported_not_hidden(tmp_path, sep):
    text = sep.join(["# 标题注释", "单位 区财政局", "任务 t1 “做好一件事” {", "  牵头：区财政局", "}", ""])
    p = _ws(tmp_path, text)
    r = run_cli("check", str(p), "--lang", "en", cwd=tmp_path)
    assert r.returncode == 1
    assert f"U+{ord(sep):04X} is not a line end" in r.stdout
    out = tmp_path / "p.json"
    assert run_cli("compile", str(p), "-o", str(out), cwd=tmp_path).returncode == 1
    assert not out.exists()  # no empty plan written


def test_source_line_index_counts_lone_cr_and_nothing_else():
    from planlang.source import SourceFile, split_lines

    text = "a\rb\r\nc\nd\u2028e\x85f\x0bg\x0ch\x1ci"
    src = SourceFile("x", text)
    assert src.line_count == 4
    assert [src.line_text(i) for i in range(4)] == ["a", "b", "c", "d\u2028e\x85f\x0bg\x0ch\x1ci"]
    assert src.lsp_position(text.index("i")) == (3, 10)
    assert src.offset_from_lsp(1, 99) == text.index("\r\n")  # past the end: the line's end
    assert split_lines(text) == ["a\r", "b\r\n", "c\n", "d\u2028e\x85f\x0bg\x0ch\x1ci"]


# -- 3. no internal errors -------------------------------------------------------------------------------------

XML_ILLEGAL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\ufffe", "\uffff"]


@pytest.mark.parametrize("ch", XML_ILLEGAL)
def test_xml_illegal_characters_are_a_pl001_and_renders_survive_them(tmp_path, ch):
    text = f"方案 “测试{ch}方案” {{\n  发文单位：区政府\n}}\n单位 区财政局 “区{ch}财政局”\n" + PLAN.split("\n", 1)[1]
    p = _ws(tmp_path, text)
    r = run_cli("check", str(p), "--format", "json", cwd=tmp_path)
    assert r.returncode == 1 and '"PL001"' in r.stdout and "U+" in r.stdout
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"p.{fmt}"
        r = run_cli("render", str(p), "-o", str(out), cwd=tmp_path)
        assert r.returncode == 0, r.stderr  # a draft with errors still renders
        assert "internal error" not in r.stderr
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert "测试\ufffd方案" in (wb.properties.title or "")


def test_an_include_chain_a_thousand_deep_is_a_pl005_not_a_crash(tmp_path):
    (tmp_path / "planlang.toml").touch()
    n = 1000
    for i in range(n):
        nxt = f"引用 “f{i + 1}.plan”\n" if i < n - 1 else ""
        (tmp_path / f"f{i}.plan").write_text(f"{nxt}单位 单位{i}\n", encoding="utf-8")
    r = run_cli("check", "f0.plan", "--lang", "en", cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert "PL005" in r.stdout and "nested more than 64 deep" in r.stdout


@pytest.mark.parametrize("name,content", [
    ("planlang.toml", b"lang = \"zh\"\n# \xb7\xd6\xce\xf6\n"),  # GBK bytes
    ("pyproject.toml", b"tool = 1\n"),
    ("pyproject.toml", b"tool = \"x\"\n"),
    ("planlang.toml", b"tool = 1\n"),
])
@pytest.mark.parametrize("command", ["check", "fmt", "compile"])
def test_an_unusable_configuration_file_is_exit_2_with_a_clear_message(tmp_path, name, content, command):
    (tmp_path / name).write_bytes(content)
    p = tmp_path / "p.plan"
    p.write_text(PLAN, encoding="utf-8")
    r = run_cli(command, str(p), cwd=tmp_path)
    assert r.returncode == 2
    assert "invalid configuration" in r.stderr and name in r.stderr
    assert "internal error" not in r.stderr


def test_schema_to_an_unwritable_place_is_exit_2(tmp_path):
    r = run_cli("schema", "-o", str(tmp_path / "no" / "such" / "folder" / "s.json"))
    assert r.returncode == 2 and "cannot write" in r.stderr and "internal error" not in r.stderr
    ro = tmp_path / "ro.json"
    ro.write_text("{}")
    ro.chmod(0o444)
    r = run_cli("schema", "-o", str(ro))
    assert r.returncode == 2 and "read-only" in r.stderr
    assert ro.read_text() == "{}"


# -- 4. writes -------------------------------------------------------------------------------------------------

def test_compile_and_schema_never_overwrite_the_plan(tmp_path):
    p = _ws(tmp_path)
    link = tmp_path / "link.json"
    link.symlink_to(p)
    hard = tmp_path / "hard.json"
    os.link(p, hard)
    for target in (p, link, hard):
        r = run_cli("compile", str(p), "-o", str(target), cwd=tmp_path)
        assert r.returncode == 2 and "overwrite the plan" in r.stderr
    r = run_cli("schema", "-o", str(p))
    assert r.returncode == 2 and "overwrite a plan" in r.stderr
    assert p.read_text(encoding="utf-8") == PLAN


def test_fmt_writes_through_a_symbolic_link(tmp_path):
    real = _ws(tmp_path, "单位   区财政局\n", "real.plan")
    link = tmp_path / "link.plan"
    link.symlink_to(real)
    r = run_cli("fmt", str(link), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "单位 区财政局\n"


def test_a_fifo_or_device_is_never_replaced(tmp_path):
    p = _ws(tmp_path)
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    r = run_cli("compile", str(p), "-o", str(fifo), cwd=tmp_path)
    assert r.returncode == 2 and "not a regular file (FIFO)" in r.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    r = run_cli("render", str(p), "-o", "/dev/null", "--to", "md", cwd=tmp_path)
    assert r.returncode == 2 and "not a regular file" in r.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_read_only_plan_is_not_rewritten_even_by_root(tmp_path):
    p = _ws(tmp_path, "单位   区财政局\n")
    p.chmod(0o444)
    r = run_cli("fmt", str(p), cwd=tmp_path)
    assert r.returncode == 2 and "read-only" in r.stderr
    assert p.read_text(encoding="utf-8") == "单位   区财政局\n"


def test_a_read_only_file_is_refused_for_an_ordinary_user(tmp_path):
    """The same refusal without root's privileges: the write runs as `nobody` in a child process."""
    if os.geteuid() != 0:
        pytest.skip("needs root to become nobody")
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="planlang-ro-"))  # pytest's own folders are closed to other users
    request_cleanup = lambda: shutil.rmtree(folder, ignore_errors=True)  # noqa: E731
    folder.chmod(0o777)
    target = folder / "t.json"
    target.write_text("old")
    target.chmod(0o644)  # owned by root: nobody may not write it, though the folder is open to all
    code = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from planlang.outputs.files import write_atomic
        os.setgid(65534); os.setuid(65534)
        try:
            write_atomic(Path({str(target)!r}), b"new")
        except OSError as e:
            print("refused:", e.strerror)
            sys.exit(3)
    """)
    try:
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                           cwd=Path(__file__).resolve().parent.parent)
        assert r.returncode == 3 and "read-only" in r.stdout, r.stderr
        assert target.read_text() == "old"
        assert [q.name for q in folder.iterdir()] == ["t.json"]
    finally:
        request_cleanup()


@ROOT_ONLY
def test_fmt_keeps_owner_and_mode(tmp_path):
    p = _ws(tmp_path, "单位   区财政局\n")
    os.chown(p, 65534, 65534)
    p.chmod(0o640)
    r = run_cli("fmt", str(p), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    st = os.stat(p)
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o640)
    assert p.read_text(encoding="utf-8") == "单位 区财政局\n"


def test_a_hard_linked_plan_is_not_split(tmp_path):
    p = _ws(tmp_path, "单位   区财政局\n")
    other = tmp_path / "other-name.plan"
    os.link(p, other)
    r = run_cli("fmt", str(p), cwd=tmp_path)
    assert r.returncode == 2 and "hard links" in r.stderr
    assert os.stat(p).st_ino == os.stat(other).st_ino


def test_sigterm_during_a_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    ready = tmp_path / "ready"
    code = textwrap.dedent(f"""
        import os, time
        from pathlib import Path
        import planlang.outputs.files as files
        real_fsync = os.fsync
        def slow_fsync(fd):
            Path({str(ready)!r}).touch()
            time.sleep(60)
        files.os.fsync = slow_fsync
        files.write_atomic(Path({str(target)!r}), b"x" * 1_000_000)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists()
    assert [q.name for q in tmp_path.iterdir() if q.name.endswith(".tmp")]  # the write is under way
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == -signal.SIGTERM
    assert target.read_bytes() == b"old"
    assert not [q.name for q in tmp_path.iterdir() if q.name.endswith(".tmp")]


# -- 6. bounded work -------------------------------------------------------------------------------------------

def test_did_you_mean_matches_a_plain_scan_and_its_work_is_bounded():
    from rapidfuzz import fuzz

    from planlang import suggest

    # the same answers as comparing with every candidate
    cands = {s: s for s in ["区发改局", "区财政局", "区教育局", "区卫健委", "发改", "unit_a", "unit_b", "office"]}
    for name in ["区发该局", "区财政", "教育局", "unit_c", "offce", "区卫健", "xyz"]:
        expected = [s for s, _ in sorted(((s, fuzz.ratio(name, s)) for s in cands), key=lambda x: -x[1])
                    if fuzz.ratio(name, s) >= 60]
        got = suggest.suggest(name, cands, limit=8)
        assert set(expected) <= set(got) | {name}
    # 8,000 near-misses of 8,000 mutually similar names: the work is bounded, and every one gets its name
    n = 8000
    big = {f"unit_{i:05d}_office": f"unit_{i:05d}_office" for i in range(n)}
    for i in range(n):
        assert suggest.suggest(f"unit_{i:05d}_offce", big)[0] == f"unit_{i:05d}_office"
    idx = suggest.index_of(big)
    # the budget, plus at most the one lookup that crossed it (its name's postings and their union); a plain
    # scan would look at n × n = 64,000,000
    assert idx.work <= suggest.BUDGET + (len("unit_00000_offce") + 1) * n


def test_pinyin_is_computed_once_per_registry(monkeypatch):
    from planlang import suggest

    calls = []
    real = suggest._sound.__wrapped__

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(suggest, "_sound", counting)
    cands = {f"区第{i}局": f"区第{i}局" for i in range(300)}
    for i in range(300):
        suggest.suggest(f"区第{i}菊", cands)
    # each candidate once (the index), each unknown name once: never candidates × names
    assert len(calls) <= 300 + 300


def test_fmt_output_of_deep_nesting_is_bounded_and_beyond_the_limit_refused(tmp_path):
    from planlang.syntax.format import format_text
    from planlang.syntax.nodes import MAX_DEPTH

    def nested(depth: int) -> str:
        return "单位 甲\n任务 t “a” { 牵头：甲\n" + "任务 “b” {" * depth + "}" * (depth + 1) + "\n"

    ok = format_text(nested(MAX_DEPTH), indent=8)
    assert not ok.errors
    lines = ok.text.split("\n")
    assert max(len(line) for line in lines) <= 8 * (MAX_DEPTH + 1) + 20  # indentation stops at the limit
    deep = nested(MAX_DEPTH + 1)
    refused = format_text(deep)
    assert refused.errors and refused.text == deep
    p = _ws(tmp_path, deep)
    r = run_cli("fmt", str(p), "--lang", "en", cwd=tmp_path)
    assert r.returncode == 1 and "PL001" in r.stderr
    assert p.read_text(encoding="utf-8") == deep
    r = run_cli("check", str(p), cwd=tmp_path)
    assert r.returncode == 1 and "PL001" in r.stdout  # fmt and check agree


# -- 7. silent acceptance ---------------------------------------------------------------------------------------

BROKEN = "单位 区财政局\n任务 t1 “做好一件事” {\n  牵头：区财政局\n"  # never closed


@pytest.mark.parametrize("config", [
    'ignore = ["PL001"]\n',
    '[severity]\nPL001 = "off"\n',
    '[severity]\nPL004 = "info"\n',
    '[rules.PL302]\ntolerance = nan\n',
    '[rules.PL302]\ntolerance = inf\n',
])
def test_configuration_that_would_hide_errors_is_refused_by_check_compile_and_fmt(tmp_path, config):
    (tmp_path / "planlang.toml").write_text(config, encoding="utf-8")
    p = tmp_path / "p.plan"
    p.write_text(BROKEN, encoding="utf-8")
    for command in ("check", "compile", "fmt"):
        r = run_cli(command, str(p), cwd=tmp_path)
        assert r.returncode == 2, (command, r.stdout, r.stderr)
        assert "invalid configuration" in r.stderr


@pytest.mark.parametrize("config", ['select = ["PL1"]\n', 'ignore = ["PL0"]\n', 'ignore = ["PL"]\n'])
def test_a_selection_or_prefix_never_reaches_the_reading_errors(tmp_path, config):
    (tmp_path / "planlang.toml").write_text(config, encoding="utf-8")
    p = tmp_path / "p.plan"
    p.write_text(BROKEN, encoding="utf-8")
    r = run_cli("check", str(p), cwd=tmp_path)
    assert r.returncode == 1 and "PL001" in r.stdout
    out = tmp_path / "p.json"
    assert run_cli("compile", str(p), "-o", str(out), cwd=tmp_path).returncode == 1
    assert not out.exists()


def test_an_empty_path_is_a_usage_error(tmp_path):
    _ws(tmp_path)
    for args in (["check", ""], ["fmt", ""], ["compile", ""]):
        r = run_cli(*args, cwd=tmp_path)
        assert r.returncode == 2 and "empty" in r.stderr, args


def test_a_fifo_or_folder_given_as_a_file_is_named_for_what_it_is(tmp_path):
    _ws(tmp_path)
    fifo = tmp_path / "pipe.plan"
    os.mkfifo(fifo)
    r = run_cli("check", str(fifo), cwd=tmp_path)
    assert r.returncode == 2 and "not a regular file (FIFO)" in r.stderr
    r = run_cli("compile", str(fifo), cwd=tmp_path)
    assert r.returncode == 2 and "FIFO" in r.stderr
    r = run_cli("compile", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 2 and "a folder, not a file" in r.stderr
    r = run_cli("render", str(tmp_path), "--to", "md", cwd=tmp_path)
    assert r.returncode == 2 and "a folder, not a file" in r.stderr


# -- 8. terminal escapes -----------------------------------------------------------------------------------------

def test_control_characters_are_shown_not_sent_in_text_output(tmp_path):
    evil = "\x1b]0;pwned\x07\x1b[2J\x9b31m"
    p = _ws(tmp_path, f"# 注释{evil}\n单位 区财政局 “区{evil}财政局”\n" + PLAN.split("\n", 1)[1])
    r = run_cli("check", str(p), cwd=tmp_path)
    assert r.returncode == 1
    for stream in (r.stdout, r.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\x9b" not in stream
    assert "␛]0;pwned␇" in r.stdout
    r = run_cli("fmt", str(p), cwd=tmp_path)
    assert "\x1b" not in r.stderr and "␛" in r.stderr


def test_bidi_overrides_are_shown_in_fmt_diff(tmp_path):
    p = _ws(tmp_path, "# 注释\u202e倒序\n单位   区财政局\n")
    r = run_cli("fmt", "--diff", str(p), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "\u202e" not in r.stdout and "\\u202e" in r.stdout


def test_import_report_shows_control_characters(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text("关于印发某区工作方案的通知\n一、工作目标\n（一）做好一件事。\x1b]0;pwned\x07牵头单位：区财政局\n",
                   encoding="utf-8")
    r = run_cli("import", str(doc), cwd=tmp_path)
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr
