"""`make audit`: known vulnerabilities in the locked versions, with pip-audit.

pip-audit reads requirements/lock.txt (every version pinned, every file hashed) and asks a vulnerability service
(PyPI's, then OSV's) about each release. Exit codes: 0 when nothing is known, 1 when something is (each advisory
is listed with the versions that fix it). When the service cannot be reached, or answers for none of the packages, the
audit did not happen: this says NOT AUDITED plainly and exits 0, so that an offline build is not failed for it,
but nobody can mistake that for a clean audit. Packages the service skipped are named too.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

UNREACHABLE = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|Max retries exceeded|NameResolutionError|"
    r"Temporary failure in name resolution|Failed to establish a new connection|ProxyError|Network is unreachable|"
    r"SSLError|Connection refused",
    re.IGNORECASE,
)


def main(lock: str) -> int:
    """Ask PyPI's advisory service, then OSV if PyPI answered for nothing; report the first that answers."""
    reasons = []
    for service in ("pypi", "osv"):
        outcome = _audit(lock, service)
        if isinstance(outcome, int):
            return outcome
        reasons.append(f"{service}: {outcome}")
    return _not_audited("; ".join(reasons))


def _audit(lock: str, service: str) -> int | str:
    """The exit code of a finished audit, or why this service could not audit anything."""
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [
        str(pip_audit),
        *("--requirement", lock, "--require-hashes", "--disable-pip", "--progress-spinner", "off"),
        *("--vulnerability-service", service, "--format", "json"),
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return "no answer within 10 minutes"
    try:
        dependencies = json.loads(result.stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        output = result.stdout + result.stderr
        if UNREACHABLE.search(output):
            return UNREACHABLE.search(output).group(0)
        sys.stderr.write(output)
        print("NOT AUDITED: pip-audit failed (see above).", file=sys.stderr)
        return result.returncode or 2
    if not any(not dependency.get("skip_reason") for dependency in dependencies):
        first = next((dependency["skip_reason"] for dependency in dependencies), "no package was checked")
        return f"it answered for none of the {len(dependencies)} packages ({first})"
    return _report(lock, dependencies)


def _report(lock: str, dependencies: list[dict]) -> int:
    skipped = [dependency for dependency in dependencies if dependency.get("skip_reason")]
    audited = [dependency for dependency in dependencies if not dependency.get("skip_reason")]
    vulnerable = [dependency for dependency in audited if dependency.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            print(f"VULNERABLE: {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    if skipped:
        names = ", ".join(dependency["name"] for dependency in skipped)
        print(f"NOT AUDITED ({len(skipped)} of {len(dependencies)} packages, skipped by the service): {names}")
    if vulnerable:
        return 1
    print(f"AUDITED: no known vulnerability in the {len(audited)} packages checked of {lock}.")
    return 0


def _not_audited(reason: str) -> int:
    print(
        f"NOT AUDITED: the vulnerability database could not be reached ({reason}). "
        "Nothing was checked; run `make audit` again with network access.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements/lock.txt"))
