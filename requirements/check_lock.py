"""Does requirements/lock.txt pin what pyproject.toml asks for? Exit 0 if it does, 1 (saying what differs) if not.

Reads only the two files (no network): `make` runs it before installing, and regenerates the lock (`make lock`)
when a dependency was added or changed in pyproject.toml without it.
"""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def wanted() -> dict[str, str | None]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = [*project.get("dependencies", []), *project.get("optional-dependencies", {}).get("dev", [])]
    build = (ROOT / "requirements" / "build.in").read_text().splitlines()
    result = {}
    for spec in [*specs, *build]:
        spec = spec.split("#", 1)[0].split(";", 1)[0].strip()
        if not spec:
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(==\s*([^\s,]+))?", spec)
        if match:
            result[_name(match.group(1))] = match.group(4)
    return result


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            pins[_name(match.group(1))] = match.group(2)
    return pins


def main() -> int:
    if not (ROOT / "requirements" / "lock.txt").exists():
        print("requirements/lock.txt is missing: run `make lock`.", file=sys.stderr)
        return 1
    pins = locked()
    problems = []
    for name, version in wanted().items():
        if name not in pins:
            problems.append(f"{name} is in pyproject.toml but not in the lock")
        elif version and pins[name] != version:
            problems.append(f"{name}: pyproject.toml pins {version}, the lock {pins[name]}")
    if problems:
        print("requirements/lock.txt does not match pyproject.toml:", *problems, sep="\n  ", file=sys.stderr)
        print("Fix: `make lock` (then commit requirements/lock.txt).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
