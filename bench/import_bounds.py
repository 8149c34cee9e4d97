"""How `planlang import` bears inputs at its bounds (issue 21): wall time and peak memory of the installed command.

    .venv/bin/python bench/import_bounds.py [--runs 3]

- a plan whose one paragraph is a 340 KB line full of indicators and owner phrases (the indicator reader was
  quadratic in the length of a sentence: 88 s before, linear now);
- the same at 85 KB, to show the growth is linear;
- a Word 分解表 of 2,000 rows (a large real-shaped table);
- a .docx that unpacks to more than the reader's limit (a zip bomb of repeated text): refused before it is read.

Each case runs in a subprocess (`.venv/bin/planlang import FILE -o OUT`); the median wall time and the peak RSS (from
`os.wait4`) are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANLANG = ROOT / ".venv" / "bin" / "planlang"
sys.path.insert(0, str(ROOT))

UNIT = "地区生产总值增长8%，新增10家企业，力争完成投资5亿元，区发改局牵头"


def long_line(path: Path, size: int) -> Path:
    line = UNIT * (size // len(UNIT.encode()))
    path.write_text("青山区2024年工作方案\n一、重点任务\n1.推进项目。" + line + "\n", encoding="utf-8")
    return path


def big_table(path: Path, rows: int) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("青山区2024年重点任务分解表")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("序号", "工作任务", "牵头单位", "责任单位", "完成时限")):
        cell.text = text
    for n in range(1, rows + 1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(n % 100 or 100), f"推进第{n}个重点项目建设，完成投资{n}亿元", "区发改局",
                                      "各街道、区财政局", "12月底前")):
            cell.text = text
    document.save(str(path))
    return path


def zip_bomb(path: Path, size: int) -> Path:
    """A .docx whose document.xml unpacks to `size` bytes of repeated text (a few hundred KB on disk)."""
    chunk = b"<w:t>" + "重复".encode() * 1000 + b"</w:t>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            written = 0
            while written < size:
                f.write(chunk)
                written += len(chunk)
    return path


def measure(source: Path, out: Path, runs: int) -> tuple[float, int, int]:
    times, peaks, code = [], [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(PLANLANG), "import", str(source), "-o", str(out)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - t0)
        peaks.append(usage.ru_maxrss)
        code = os.waitstatus_to_exitcode(status)
    return statistics.median(times), max(peaks), code


def main() -> int:
    from planlang.importer.read import MAX_UNPACKED

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        cases = [
            ("one 85 KB line", long_line(t / "line85.txt", 85_000)),
            ("one 340 KB line", long_line(t / "line340.txt", 340_000)),
            ("Word 分解表, 2,000 rows", big_table(t / "table.docx", 2000)),
            (f"zip bomb (unpacks to {(MAX_UNPACKED + 8_000_000) // 1_048_576} MB)",
             zip_bomb(t / "bomb.docx", MAX_UNPACKED + 8_000_000)),
        ]
        print("| input | size on disk | wall (median) | peak RSS | exit |")
        print("|---|---|---|---|---|")
        for label, path in cases:
            wall, peak, code = measure(path, t / "out.plan", args.runs)
            print(f"| {label} | {path.stat().st_size / 1024:.0f} KiB | {wall:.2f} s | {peak / 1024:.0f} MiB | {code} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
