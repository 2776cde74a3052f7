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
