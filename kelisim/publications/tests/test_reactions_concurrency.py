"""Simultaneous votes from one browser: the unique constraint keeps exactly one row."""

import threading

import pytest
from django.db import close_old_connections, connection

from kelisim.publications import services
from kelisim.publications.models import Reaction
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_votes_from_one_browser_leave_one_reaction():
    if connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict["NAME"]):
        # Shared-cache in-memory SQLite answers "table is locked" at once instead of waiting; on a
        # file (KELISIM_TEST_DB_NAME) and on PostgreSQL the threads really race.
        pytest.skip("needs PostgreSQL or a file SQLite database (set KELISIM_TEST_DB_NAME)")
    article = ArticleFactory()
    barrier = threading.Barrier(6)
    errors = []

    def vote(value):
        try:
            barrier.wait()
            services.react(article=article, value=value, browser="same-browser" + "0" * 52)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=vote, args=("yes" if n % 2 else "no",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Reaction.objects.filter(article=article).count() == 1
