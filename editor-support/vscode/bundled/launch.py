"""Start planlang from the libraries bundled with the VS Code extension.

The extension runs `<python> -I launch.py ARGS…` with a Python it found (≥ 3.11). planlang's pure-Python
dependencies sit in libs/common; the compiled ones (pydantic_core, rapidfuzz, opencc, lxml, rpds) are built per
CPython version and sit in libs/cp311, libs/cp312, …: this script puts the folder of the running interpreter first
on sys.path and runs the planlang command line with ARGS (e.g. `lsp`, `render FILE --to docx`).

`launch.py --probe` prints one JSON line about the interpreter and the bundle and exits 0 when planlang can start
from it (the extension runs this before it starts the server, to give a useful message when it cannot).
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LIBS = os.path.join(HERE, "libs")
MINIMUM = (3, 11)


def _bundle() -> dict:
    try:
        with open(os.path.join(LIBS, "bundle.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _problem() -> "str | None":
    """Why planlang cannot start from the bundle with this interpreter, or None."""
    version = "%d.%d" % sys.version_info[:2]
    if sys.implementation.name != "cpython":
        return "planlang needs CPython; %s is %s" % (sys.executable, sys.implementation.name)
    if sys.version_info[:2] < MINIMUM:
        return "planlang needs Python 3.11 or newer; %s is Python %s" % (sys.executable, version)
    if not os.path.isdir(os.path.join(LIBS, "cp%d%d" % sys.version_info[:2])):
        bundle = _bundle()
        offered = ", ".join(bundle.get("pythons", [])) or "none"
        return "this package of the extension (%s) bundles planlang for Python %s, not for Python %s (%s)" % (
            bundle.get("target", "no libraries"), offered, version, sys.executable)
    return None


def _use_bundle() -> None:
    sys.path[:0] = [os.path.join(LIBS, "cp%d%d" % sys.version_info[:2]), os.path.join(LIBS, "common")]


def probe() -> int:
    info = {"python": "%d.%d.%d" % sys.version_info[:3], "executable": sys.executable, "planlang": None}
    problem = _problem()
    if problem is None:
        _use_bundle()
        try:
            import planlang
            import planlang.cli  # noqa: F401  (the compiled dependencies load with the command line)
            import pydantic_core  # noqa: F401

            info["planlang"] = planlang.__version__
        except Exception as e:  # the message goes to the user through the extension, never a traceback
            problem = "planlang does not load from the bundle: %s: %s" % (type(e).__name__, e)
    info["problem"] = problem
    sys.stdout.write(json.dumps(info, ensure_ascii=False) + "\n")
    return 0 if problem is None else 1


def main() -> None:
    if sys.argv[1:] == ["--probe"]:
        sys.exit(probe())
    problem = _problem()
    if problem is not None:
        sys.stderr.write("planlang: %s\n" % problem)
        sys.exit(3)
    _use_bundle()
    from planlang.cli import main as planlang_main

    sys.argv[0] = "planlang"
    planlang_main()


if __name__ == "__main__":
    main()
