"""A real IMAP server for the intake tests: Debian's Dovecot with a throw-away configuration.

``start(directory, ...)`` writes a dovecot.conf under ``directory`` (a self-signed certificate made by
``openssl`` for IMAPS, plaintext login allowed on loopback only, one user in a passwd-file, Maildir under the
same directory), runs ``dovecot -F -c <conf>`` and waits for the port. Nothing outside ``directory`` is written.
"""

import contextlib
import fcntl
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "intake-test-password"
# One mailbox user per pytest-xdist worker (gw0, gw1, …), so that parallel workers never see each other's mail.
USERS = ["intake-main", *(f"intake-gw{number}" for number in range(16))]


@dataclass
class Server:
    process: subprocess.Popen
    directory: Path
    host: str
    imaps_port: int
    imap_port: int
    ca_file: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def available() -> str | None:
    """The dovecot binary, or None."""
    return shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.access("/usr/sbin/dovecot", os.X_OK) else None)


def _certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments, no input
        [
            shutil.which("openssl") or "/usr/bin/openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _config(directory: Path, cert: Path, key: Path, binary_user: pwd.struct_passwd, mail_user, ports) -> str:
    running_as_root = os.getuid() == 0
    internal = (
        ""
        if running_as_root
        else (
            f"default_internal_user = {binary_user.pw_name}\n"
            f"default_login_user = {binary_user.pw_name}\n"
            f"default_internal_group = {binary_user.pw_name}\n"
        )
    )
    return f"""# Written by kelisim/consultations/tests/dovecot.py for one test session.
base_dir = {directory}/run
state_dir = {directory}/state
log_path = {directory}/dovecot.log
info_log_path = {directory}/dovecot.log
protocols = imap
listen = 127.0.0.1
{internal}ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {min(mail_user.pw_uid, 1)}
mail_location = maildir:{directory}/mail/%u
mail_uid = {mail_user.pw_uid}
mail_gid = {mail_user.pw_gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {directory}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={directory}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {ports[0]}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ports[1]}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def _wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited with {process.returncode}: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"dovecot did not listen on {port}: {log.read_text() if log.exists() else ''}")


def _free_ports(count: int) -> list[int]:
    """Ports nobody listens on now (the kernel's choice), so that two test runs on one machine never meet."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def start(directory: Path, attempts: int = 3) -> Server:
    binary = available()
    if binary is None:
        raise RuntimeError("dovecot is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    current = pwd.getpwuid(os.getuid())
    # Dovecot will not run mail processes as root: as root, the mailbox belongs to "nobody".
    mail_user = pwd.getpwnam("nobody") if os.getuid() == 0 else current
    for sub in ("mail", "home"):
        (directory / sub).mkdir(exist_ok=True)
        os.chown(directory / sub, mail_user.pw_uid, mail_user.pw_gid)
    os.chmod(directory, 0o755)  # noqa: S103 - Dovecot's own users must reach the test files; nothing secret
    cert, key = _certificate(directory)
    (directory / "passwd").write_text("".join(f"{user}:{{PLAIN}}{PASSWORD}::::::\n" for user in USERS))
    conf = directory / "dovecot.conf"
    log = directory / "dovecot.log"
    for attempt in range(attempts):
        # A port found free can be taken by someone else before Dovecot binds it: then try other ports.
        imap_port, imaps_port = _free_ports(2)
        conf.write_text(_config(directory, cert, key, current, mail_user, (imap_port, imaps_port)))
        process = subprocess.Popen(  # noqa: S603 - the dovecot binary found above, our own configuration
            [binary, "-F", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=open(log, "ab"),  # noqa: SIM115
        )
        try:
            _wait_for_port(imaps_port, process, log)
            _wait_for_port(imap_port, process, log)
        except Exception:
            process.kill()
            process.wait(timeout=5)
            if attempt == attempts - 1:
                raise
            continue
        return Server(process, directory, "127.0.0.1", imaps_port, imap_port, str(cert))
    raise AssertionError("unreachable")


@contextlib.contextmanager
def shared(directory: Path):
    """The server for every test process of this run (xdist workers share ``directory``): the first one in
    starts it, the last one out stops it. Yields (process id, CA file, IMAPS port)."""
    directory.mkdir(parents=True, exist_ok=True)
    state = directory / "state.json"
    with open(directory / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        info = json.loads(state.read_text()) if state.exists() else {"users": 0}
        if info["users"] == 0:
            # Under /tmp, not pytest's private (0700) directory: Dovecot's own users must reach the files.
            server = start(Path(tempfile.mkdtemp(prefix="kelisim-dovecot-")))
            info = {
                "users": 0,
                "pid": server.process.pid,
                "ca_file": server.ca_file,
                "dir": str(server.directory),
                "imaps_port": server.imaps_port,
            }
        info["users"] += 1
        state.write_text(json.dumps(info))
    try:
        yield info["pid"], info["ca_file"], info["imaps_port"]
    finally:
        with open(directory / "lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            info = json.loads(state.read_text())
            info["users"] -= 1
            if info["users"] == 0:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(info["pid"], signal.SIGTERM)
                    time.sleep(0.5)
                shutil.rmtree(info["dir"], ignore_errors=True)
            state.write_text(json.dumps(info))
