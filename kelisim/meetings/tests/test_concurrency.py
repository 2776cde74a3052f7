"""Seats under concurrent requests: the last seat goes to exactly one person, and a person who double-clicks
gets one registration. Real threads need a server database; SQLite serialises writers anyway."""

import threading

import pytest
from django.db import connection, connections

from kelisim.meetings import services
from kelisim.meetings.models import Registration
from kelisim.meetings.tests.factories import member, roundtable

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]


@pytest.fixture(autouse=True)
def _region():
    """Transactional tests empty the tables between tests, the migrated regions included."""
    from kelisim.core.models import Region

    Region.objects.get_or_create(
        code="KZ-71", defaults={"kind": "city", "name_kk": "Астана", "name_ru": "Астана", "name_en": "Astana"}
    )


def _race(calls) -> list:
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        except Exception as error:  # the losers' errors are part of the outcome
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_the_last_seat_goes_to_one_person_only():
    meeting = roundtable(capacity=1)
    people = [member() for _ in range(6)]
    _race(
        [
            lambda user=user, org=org: services.register(user=user, roundtable=meeting, organisation=org)
            for user, org in people
        ]
    )
    statuses = sorted(Registration.objects.filter(roundtable=meeting).values_list("status", flat=True))
    assert statuses == ["confirmed"] + ["waiting"] * 5
    meeting.refresh_from_db()
    assert meeting.seats_taken == 1


def test_a_double_click_registers_once():
    meeting = roundtable(capacity=5)
    user, organisation = member()
    _race([lambda: services.register(user=user, roundtable=meeting, organisation=organisation) for _ in range(4)])
    assert Registration.objects.filter(roundtable=meeting, user=user).count() == 1
    meeting.refresh_from_db()
    assert meeting.seats_taken == 1
