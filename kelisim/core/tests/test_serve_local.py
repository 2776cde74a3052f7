import io
import sys
from unittest import mock

from kelisim.core.management.commands.serve_local import Supervised


def test_make_run_starts_a_worker_or_scheduler_again_when_it_dies():
    output = io.StringIO()
    with mock.patch("kelisim.core.management.commands.serve_local.time.sleep"):
        helper = Supervised([sys.executable, "-c", "raise SystemExit(3)"], output)
        helper.process.wait(timeout=30)
        helper.keep_alive()
        assert helper.restarts == 1
        assert "ended with 3; starting it again" in output.getvalue()
        helper.process.wait(timeout=30)
    helper.stop()


def test_a_running_helper_is_left_alone_and_stopped_at_the_end():
    helper = Supervised([sys.executable, "-c", "import time; time.sleep(60)"], io.StringIO())
    helper.keep_alive()
    assert helper.restarts == 0
    helper.stop()
    assert helper.process.poll() is not None


def test_the_served_port_is_the_port_emails_link_to():
    """Issue 15: `make run PORT=8123` served 8123 while emails linked to 8000."""
    from kelisim.core.management.commands.serve_local import child_environment

    environment = child_environment(8123, {"PATH": "/usr/bin"})
    assert environment["SITE_URL"] == "http://127.0.0.1:8123" and environment["PORT"] == "8123"
    # An address set on purpose (a tunnel, a proxy) is kept.
    kept = child_environment(8123, {"SITE_URL": "https://kelisim.example.kz"})
    assert kept["SITE_URL"] == "https://kelisim.example.kz"


def test_settings_take_the_port_when_no_address_is_given():
    import subprocess
    import sys

    code = "import kelisim.settings as s; print(s.SITE_URL)"
    environment = {"PORT": "8456", "PATH": "/usr/bin", "DJANGO_SETTINGS_MODULE": "kelisim.settings"}
    printed = subprocess.run(  # noqa: S603 - our interpreter
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert printed.stdout.strip() == "http://127.0.0.1:8456"
