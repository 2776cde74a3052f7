from io import StringIO

import pytest
from django.core.management import call_command

from kelisim.core import registry


def test_every_app_registers_its_periodic_work():
    keys = {periodic.key for periodic in registry.periodic_tasks()}
    assert {"core.flush_outbox", "meetings.reminders", "publications.scheduled"} <= keys


@pytest.mark.django_db
def test_run_periodic_once_enqueues_each_task(mailoutbox):
    output = StringIO()
    call_command("run_periodic", "--once", stdout=output)
    for periodic in registry.periodic_tasks():
        assert f"enqueued {periodic.key}" in output.getvalue()
