"""Bundle planlang and its runtime dependencies into the VS Code extension, one .vsix per platform.

    python scripts/bundle.py lock                      # pin the current environment's versions
    python scripts/bundle.py build --target linux-x64  # fill bundled/libs for one platform
    python scripts/bundle.py package --target linux-x64 --target win32-x64   # build + `vsce package --target`

`lock` writes bundle-requirements.txt: every package planlang needs at run time, on every supported platform and
CPython version, with the exact version installed in the environment this script runs in (a package that is not
installed here, such as a Windows-only one, is pinned to the newest wheel the registry has for its platform), with
an environment marker when only some platforms or versions need it.

`build` downloads exactly those wheels (`pip download --only-binary=:all: --no-deps` for the platform's tags and
each CPython version), checks that every requirement each wheel declares is pinned and satisfied (a lock file that
misses one fails the build instead of fetching something unpinned), builds planlang's own wheel from this
repository, and unpacks them: a wheel that is the same file for every CPython version (pure Python, abi3) into
bundled/libs/common, the others into bundled/libs/cp311, cp312, … . bundled/launch.py picks the folder of the
interpreter it runs under. The same lock file and tree give the same files.
"""

from __future__ import annotations

import argparse
import email.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

EXT = Path(__file__).resolve().parent.parent
ROOT = EXT.parent.parent  # the planlang repository (`--project` when the extension was copied out of it)
LOCK = EXT / "bundle-requirements.txt"
LIBS = EXT / "bundled" / "libs"
PYTHONS = ("3.11", "3.12", "3.13")

# VS Code's own Linux build needs glibc 2.28, so every manylinux wheel up to 2_28 runs where the editor runs
_MANYLINUX = [f"manylinux_2_{minor}_x86_64" for minor in range(28, 4, -1)] + [
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]

TARGETS = {
    "linux-x64": {"tags": _MANYLINUX, "sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                  "platform_machine": "x86_64"},
    "win32-x64": {"tags": ["win_amd64"], "sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                  "platform_machine": "AMD64"},
}


def environment(target: str, python: str) -> dict[str, str]:
    """The marker environment of CPython `python` on `target`."""
    t = TARGETS[target]
    return {"implementation_name": "cpython", "platform_python_implementation": "CPython",
            "python_version": python, "python_full_version": f"{python}.0", "implementation_version": f"{python}.0",
            "sys_platform": t["sys_platform"], "platform_system": t["platform_system"], "os_name": t["os_name"],
            "platform_machine": t["platform_machine"], "platform_release": "", "platform_version": "", "extra": ""}


def applies(req: Requirement, env: dict[str, str]) -> bool:
    return req.marker is None or req.marker.evaluate(env)


def planlang_requirements() -> list[Requirement]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"]]


# ---------------------------------------------------------------------------------------------------------- lock

def _installed(name: str) -> tuple[str, list[Requirement]] | None:
    from importlib import metadata

    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    return dist.version, [Requirement(r) for r in dist.requires or []]


def _newest_wheel(req: Requirement, target: str, python: str) -> tuple[str, list[Requirement]]:
    """Version and requirements of the newest wheel the registry has for `req` on this platform and version."""
    with tempfile.TemporaryDirectory() as tmp:
        _pip_download([str(Requirement(f"{req.name}{req.specifier}"))], target, python, Path(tmp))
        (wheel,) = Path(tmp).glob("*.whl")
        return parse_wheel_filename(wheel.name)[1].public, _wheel_requirements(wheel)


def lock() -> None:
    needed: dict[str, set[tuple[str, str]]] = {}  # package → the (target, python) pairs that need it
    versions: dict[str, str] = {}
    for target in TARGETS:
        for python in PYTHONS:
            env = environment(target, python)
            todo = [r for r in planlang_requirements() if applies(r, env)]
            seen: set[str] = set()
            while todo:
                req = todo.pop()
                name = canonicalize_name(req.name)
                if name in seen:
                    continue
                seen.add(name)
                found = _installed(name)
                if found is None:
                    found = _newest_wheel(req, target, python)
                version, requires = found
                if not req.specifier.contains(version, prereleases=True):
                    sys.exit(f"{name} {version} does not satisfy {req}")
                if versions.setdefault(name, version) != version:
                    sys.exit(f"{name}: two versions ({versions[name]}, {version}) for different platforms")
                needed.setdefault(name, set()).add((target, python))
                todo += [r for r in requires if applies(r, env)]
    every = {(t, p) for t in TARGETS for p in PYTHONS}
    lines = ["# planlang's run-time dependencies, bundled into the VS Code extension (scripts/bundle.py).",
             "# Generated by `python scripts/bundle.py lock` from the environment the tests run in; do not edit."]
    for name in sorted(needed):
        pairs = needed[name]
        line = f"{name}=={versions[name]}"
        if pairs != every:
            line += f" ; {_marker(pairs)}"
        lines.append(line)
    LOCK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {LOCK.name}: {len(needed)} packages")


def _marker(pairs: set[tuple[str, str]]) -> str:
    platforms = []
    for target in TARGETS:
        pythons = sorted(p for t, p in pairs if t == target)
        if not pythons:
            continue
        clause = f'sys_platform == "{TARGETS[target]["sys_platform"]}"'
        if len(pythons) != len(PYTHONS):
            clause = f"({clause} and python_version in \"{' '.join(pythons)}\")"
        platforms.append(clause)
    return " or ".join(platforms)


# --------------------------------------------------------------------------------------------------------- build

def pins() -> list[Requirement]:
    reqs = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            req = Requirement(line)
            if len(req.specifier) != 1 or next(iter(req.specifier)).operator != "==":
                sys.exit(f"{LOCK.name}: not an exact pin: {line}")
            reqs.append(req)
    return reqs


def _pip_download(requirements: list[str], target: str, python: str, dest: Path) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
           "--implementation", "cp", "--python-version", python, "--dest", str(dest)]
    for tag in TARGETS[target]["tags"]:
        cmd += ["--platform", tag]
    proc = subprocess.run(cmd + requirements, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"pip download failed for {target}, Python {python}:\n{proc.stdout}{proc.stderr}")


def _wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as z:
        (meta,) = [n for n in z.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        message = email.parser.BytesParser().parsebytes(z.read(meta))
    return [Requirement(r) for r in message.get_all("Requires-Dist") or []]


def download(target: str, python: str, dest: Path) -> dict[str, Path]:
    """The pinned wheels for one platform and CPython version, checked against each other: name → wheel."""
    env = environment(target, python)
    wanted = {canonicalize_name(r.name): r for r in pins() if applies(r, env)}
    dest.mkdir(parents=True, exist_ok=True)
    _pip_download([f"{r.name}{r.specifier}" for r in wanted.values()], target, python, dest)
    wheels: dict[str, Path] = {}
    for wheel in sorted(dest.glob("*.whl")):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        if name in wanted and wanted[name].specifier.contains(version, prereleases=True):
            if name in wheels:
                sys.exit(f"two wheels for {name} in {dest}: {wheels[name].name}, {wheel.name}")
            wheels[name] = wheel
    missing = sorted(set(wanted) - set(wheels))
    if missing:
        sys.exit(f"no wheel downloaded for {', '.join(missing)} ({target}, Python {python})")
    for name, wheel in wheels.items():
        for req in _wheel_requirements(wheel):
            if not applies(req, env):
                continue
            dep = canonicalize_name(req.name)
            if dep not in wanted or not req.specifier.contains(
                    Version(str(next(iter(wanted[dep].specifier))).lstrip("=")), prereleases=True):
                sys.exit(f"{LOCK.name} does not satisfy {name}'s requirement {req} ({target}, Python {python}): "
                         "run `python scripts/bundle.py lock`")
    return wheels


def planlang_wheel(dest: Path) -> Path:
    """planlang's own wheel, built from this repository."""
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dest), str(ROOT)]
    try:
        import hatchling  # noqa: F401  (installed with the test extras: no need to fetch it again)

        cmd.insert(4, "--no-build-isolation")
    except ImportError:
        pass
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"building planlang's wheel failed:\n{proc.stdout}{proc.stderr}")
    (wheel,) = dest.glob("planlang-*.whl")
    return wheel


def unpack(wheel: Path, into: Path) -> None:
    """Install a wheel by unpacking it: its .data/purelib and platlib go to the top; scripts and headers are left
    out (the extension runs planlang through launch.py)."""
    with zipfile.ZipFile(wheel) as z:
        for info in sorted(z.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            parts = info.filename.split("/")
            if parts[0].endswith(".data"):
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                parts = parts[2:]
            target = into.joinpath(*parts)
            if target.exists():
                sys.exit(f"{wheel.name}: {'/'.join(parts)} is also in another wheel")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))


def download_all(targets: list[str], cache: Path) -> dict[tuple[str, str], dict[str, Path]]:
    """`download` for every platform and CPython version at once (each waits on the registry, not the CPU)."""
    jobs = [(t, p) for t in targets for p in PYTHONS]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = pool.map(lambda job: download(*job, cache / job[0] / f"cp{job[1].replace('.', '')}"), jobs)
        return dict(zip(jobs, results))


def build(target: str, cache: Path, downloaded: dict[tuple[str, str], dict[str, Path]] | None = None) -> dict:
    downloaded = downloaded or download_all([target], cache)
    per_python = {python: downloaded[(target, python)] for python in PYTHONS}
    if LIBS.exists():
        shutil.rmtree(LIBS)
    common = LIBS / "common"
    common.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        own = planlang_wheel(Path(tmp))
        unpack(own, common)
        own_version = parse_wheel_filename(own.name)[1].public
    shared = {n for n in per_python[PYTHONS[0]]
              if all(n in w and w[n].name == per_python[PYTHONS[0]][n].name for w in per_python.values())}
    for name in sorted(shared):
        unpack(per_python[PYTHONS[0]][name], common)
    for python, wheels in per_python.items():
        folder = LIBS / f"cp{python.replace('.', '')}"
        folder.mkdir()
        for name in sorted(set(wheels) - shared):
            unpack(wheels[name], folder)
    info = {"target": target, "pythons": list(PYTHONS), "planlang": own_version,
            "common": sorted(per_python[PYTHONS[0]][n].name for n in shared),
            "per_python": {p: sorted(w[n].name for n in set(w) - shared) for p, w in per_python.items()}}
    (LIBS / "bundle.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return info


def package(target: str, out: Path) -> Path:
    npx = shutil.which("npx")
    if npx is None:
        sys.exit("npx is not on PATH (Node 20 or newer is needed)")
    vsix = out / f"planlang-{target}.vsix"
    # the secret scan reads every bundled library file (about 40 s of CPU a package) looking for credentials of our
    # own; the libraries are third-party wheels pinned in the lock file, and the extension's own files hold none
    proc = subprocess.run([npx, "--no-install", "vsce", "package", "--allow-missing-repository",
                           "--allow-package-all-secrets", "--target", target, "--out", str(vsix)],
                          cwd=EXT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"vsce package failed for {target}:\n{proc.stdout}{proc.stderr}")
    return vsix


def main() -> None:
    global ROOT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["lock", "build", "package"])
    parser.add_argument("--target", action="append", choices=sorted(TARGETS),
                        help="platform (repeatable; default: all)")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                        / "planlang" / "vscode-wheels", help="where downloaded wheels are kept")
    parser.add_argument("--out", type=Path, default=EXT, help="where `package` writes the .vsix files")
    parser.add_argument("--project", type=Path, default=ROOT, help="the planlang repository to build the wheel of")
    args = parser.parse_args()
    ROOT = args.project.resolve()
    if args.command == "lock":
        lock()
        return
    targets = args.target or sorted(TARGETS)
    downloaded = download_all(targets, args.cache)
    for target in targets:
        info = build(target, args.cache, downloaded)
        print(f"{target}: planlang {info['planlang']}, {len(info['common'])} shared wheels, "
              f"{len(info['per_python'][PYTHONS[0]])} per CPython version ({', '.join(PYTHONS)})")
        if args.command == "package":
            args.out.mkdir(parents=True, exist_ok=True)
            print(f"wrote {package(target, args.out)}")


if __name__ == "__main__":
    main()
