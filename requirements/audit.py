"""`make audit`: known vulnerabilities in the locked versions, with pip-audit.

pip-audit reads requirements/lock.txt (every version pinned, every file hashed) and asks its vulnerability
service about each release. Exit codes: 0 when nothing is known, 1 when something is (pip-audit's report says
what and which version fixes it). When the service cannot be reached (no network, a proxy that refuses), the
audit did not happen: this says so plainly and exits 0, so that an offline build is not failed for it, but
nobody can mistake that for a clean audit.
"""

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
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "--requirement", lock, "--require-hashes", "--disable-pip", "--progress-spinner", "off"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    except subprocess.TimeoutExpired:
        return _not_audited("the vulnerability service did not answer within 10 minutes")
    output = result.stdout + result.stderr
    if result.returncode != 0 and UNREACHABLE.search(output):
        return _not_audited(UNREACHABLE.search(output).group(0))
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode == 0:
        print(f"AUDITED: no known vulnerability in {lock}.")
    return result.returncode


def _not_audited(reason: str) -> int:
    print(
        "NOT AUDITED: the vulnerability database could not be reached "
        f"({reason}). Nothing was checked; run `make audit` again with network access.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements/lock.txt"))
