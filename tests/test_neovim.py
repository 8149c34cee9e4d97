"""A client nobody in this project wrote: headless Neovim's built-in LSP client opens an example with a typo
and reads back the diagnostic. `.ci/run` installs Neovim (Debian `neovim`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES, need_program

LUA = r"""
local plan = vim.fn.argv()[1] or os.getenv("PLAN")
local out = os.getenv("OUT")
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("PLAN")))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = "planlang",
  cmd = { os.getenv("PYTHON"), "-m", "planlang", "lsp" },
  root_dir = os.getenv("ROOT"),
})
vim.lsp.buf_attach_client(buf, id)
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local items = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(items, { lnum = d.lnum, col = d.col, end_col = d.end_col, code = d.code,
                        message = d.message, severity = d.severity })
end
local f = io.open(out, "w")
f:write(vim.fn.json_encode(items))
f:close()
vim.lsp.stop_client(id)
vim.cmd("qa!")
"""


def nanhu_with_typo(folder: Path) -> tuple[Path, str]:
    """nanhu-2023 and its registry in a workspace of their own, with one homophone slip (区发该局): the plan and
    its text."""
    for f in ("nanhu-2023.plan", "nanhu-units.plan"):
        shutil.copy(EXAMPLES / f, folder / f)
    (folder / "planlang.toml").touch()
    plan = folder / "nanhu-2023.plan"
    bad = plan.read_text(encoding="utf-8").replace("牵头：区发改局", "牵头：区发该局", 1)
    plan.write_text(bad, encoding="utf-8")
    return plan, bad


def test_neovim_shows_the_diagnostic(tmp_path):
    nvim = need_program("nvim", package="neovim", why="Neovim is the independent language-server client")
    plan, bad = nanhu_with_typo(tmp_path)
    script = tmp_path / "test.lua"
    script.write_text(LUA, encoding="utf-8")
    out = tmp_path / "diagnostics.json"
    env = {"PLAN": str(plan), "OUT": str(out), "PYTHON": sys.executable, "ROOT": str(tmp_path),
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([nvim, "--headless", "--clean", "-u", "NONE", "-c", f"luafile {script}"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert out.is_file(), proc.stdout + proc.stderr
    items = json.loads(out.read_text(encoding="utf-8"))
    (d,) = [d for d in items if d["code"] == "PL101"]
    at = bad.index("区发该局")
    line = bad.count("\n", 0, at)
    byte_col = len(bad[bad.rfind("\n", 0, at) + 1:at].encode("utf-8"))
    assert (d["lnum"], d["col"]) == (line, byte_col)  # Neovim converts UTF-16 columns to bytes
    assert d["end_col"] - d["col"] == len("区发该局".encode("utf-8"))
    assert "区发改局" in d["message"] and d["severity"] == 1


READ_BACK = r"""
local buf = vim.api.nvim_get_current_buf()
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local codes = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(codes, d.code) end
local f = io.open(os.getenv("OUT"), "w")
f:write(vim.fn.json_encode({ filetype = vim.bo.filetype, codes = codes }))
f:close()
vim.cmd("qa!")
"""


def test_the_readme_neovim_configuration_works(tmp_path):
    """The init.lua of the README, as written, starts `planlang lsp` from PATH for a .plan buffer."""
    nvim = need_program("nvim", package="neovim", why="Neovim is the independent language-server client")
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    init = readme.split("```lua\n", 1)[1].split("```", 1)[0]
    assert "planlang" in init
    (tmp_path / "init.lua").write_text(init, encoding="utf-8")
    (tmp_path / "read_back.lua").write_text(READ_BACK, encoding="utf-8")
    (tmp_path / "planlang.toml").touch()
    plan = tmp_path / "plan.plan"
    plan.write_text("单位 区发改局\n任务 “精准谋划储备项目” { 牵头：区发该局 }\n", encoding="utf-8")
    out = tmp_path / "out.json"
    bin_dir = str(Path(sys.executable).parent)  # where the `planlang` console script is
    env = {"OUT": str(out), "HOME": str(tmp_path), "PATH": f"{bin_dir}:/usr/bin:/bin"}
    proc = subprocess.run([nvim, "--headless", "-u", str(tmp_path / "init.lua"), "-i", "NONE", str(plan),
                           "-c", f"luafile {tmp_path / 'read_back.lua'}"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.is_file(), proc.stdout + proc.stderr
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["filetype"] == "plan" and "PL101" in got["codes"], got


FIX = r"""
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("PLAN")))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = "planlang",
  cmd = { os.getenv("PYTHON"), "-m", "planlang", "lsp" },
  root_dir = os.getenv("ROOT"),
})
vim.lsp.buf_attach_client(buf, id)
local row = tonumber(os.getenv("ROW"))
vim.wait(20000, function() return #vim.diagnostic.get(buf, { lnum = row - 1 }) > 0 end, 50)
-- the cursor inside the typo (byte column), then the code action request as a user makes it: Neovim sends the
-- line's diagnostics back with byte columns
vim.api.nvim_win_set_cursor(0, { row, tonumber(os.getenv("COL")) })
local titles = {}
vim.ui.select = function(items, opts, on_choice)
  local chosen = nil
  for _, item in ipairs(items) do
    local action = item[2]
    table.insert(titles, action.title)
    if action.isPreferred and chosen == nil then chosen = item end
  end
  on_choice(chosen)
end
local before = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
vim.lsp.buf.code_action()
vim.wait(20000, function() return vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1] ~= before end, 50)
local f = io.open(os.getenv("OUT"), "w")
f:write(vim.fn.json_encode({ line = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1], titles = titles,
                             lines = vim.api.nvim_buf_line_count(buf) }))
f:close()
vim.lsp.stop_client(id)
vim.cmd("qa!")
"""


def test_neovim_applies_the_did_you_mean_fix(tmp_path):
    """Neovim 0.7 sends the line's diagnostics back with byte columns; the fix still replaces exactly the typo."""
    nvim = need_program("nvim", package="neovim", why="Neovim is the independent language-server client")
    plan, bad = nanhu_with_typo(tmp_path)
    at = bad.index("区发该局")
    line_start = bad.rfind("\n", 0, at) + 1
    row = bad.count("\n", 0, at) + 1
    col = len(bad[line_start:at + 1].encode("utf-8"))  # on the typo's second character
    script = tmp_path / "fix.lua"
    script.write_text(FIX, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {"PLAN": str(plan), "OUT": str(out), "PYTHON": sys.executable, "ROOT": str(tmp_path), "ROW": str(row),
           "COL": str(col), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([nvim, "--headless", "--clean", "-u", "NONE", "-c", f"luafile {script}"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert out.is_file(), proc.stdout + proc.stderr
    got = json.loads(out.read_text(encoding="utf-8"))
    old_line = bad[line_start:bad.index("\n", at)]
    assert got["line"] == old_line.replace("区发该局", "区发改局"), got
    assert got["line"].strip() == "牵头：区发改局"
    assert got["lines"] == bad.count("\n") + (0 if bad.endswith("\n") else 1)
    assert "声明单位“区发该局” / declare unit '区发该局'" in got["titles"]
    assert not [t for t in got["titles"] if "声明单位“”" in t], got["titles"]


NOTICE = r"""
local f = io.open(os.getenv("OUT"), "w")
f:write(vim.fn.json_encode({ errmsg = vim.v.errmsg, messages = vim.fn.execute("messages"),
                             clients = #vim.lsp.get_active_clients() }))
f:close()
vim.cmd("qa!")
"""


def test_the_readme_neovim_configuration_says_once_that_planlang_is_missing(tmp_path):
    """Without `planlang` on PATH the README's init.lua raises no error: one message says what to do."""
    nvim = need_program("nvim", package="neovim", why="Neovim is the independent language-server client")
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    (tmp_path / "init.lua").write_text(readme.split("```lua\n", 1)[1].split("```", 1)[0], encoding="utf-8")
    (tmp_path / "notice.lua").write_text(NOTICE, encoding="utf-8")
    for name in ("a.plan", "b.plan"):
        (tmp_path / name).write_text("单位 区发改局\n", encoding="utf-8")
    out = tmp_path / "out.json"
    path = "/usr/bin:/bin"
    assert not shutil.which("planlang", path=path), "the test needs a PATH without planlang"
    env = {"OUT": str(out), "HOME": str(tmp_path), "PATH": path}
    proc = subprocess.run([nvim, "--headless", "-u", str(tmp_path / "init.lua"), "-i", "NONE", "a.plan", "b.plan",
                           "-c", "bnext", "-c", f"luafile {tmp_path / 'notice.lua'}"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.is_file(), proc.stdout + proc.stderr
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["errmsg"] == "" and "Error" not in proc.stderr, (got, proc.stderr)
    assert got["messages"].count("`planlang` command is not on PATH") == 1, got
    assert got["clients"] == 0
