"""The query-count guard: a page's number of queries must not grow with the data behind it.

def test_list_page_queries_do_not_grow(client):
    assert_queries_do_not_grow(
        client, reverse("organisations:list"),
        add_data=lambda: OrganisationFactory.create_batch(30),
        limit=10,
    )
"""

from collections.abc import Callable

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext


def count_page_queries(client, url: str) -> tuple[int, list[str]]:
    """The queries of rendering ``url`` (never the kept copy of a public page: core/pagecache.py)."""
    with override_settings(PAGECACHE_ENABLED=False), CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries), [query["sql"] for query in context.captured_queries]


def assert_queries_do_not_grow(client, url: str, add_data: Callable[[], object], limit: int) -> int:
    """Request ``url``, add more data, request again: the count must be equal and within ``limit``."""
    client.get(url)  # warm caches (content types, site) so both measured requests start alike
    before, _ = count_page_queries(client, url)
    add_data()
    after, queries = count_page_queries(client, url)
    assert after == before, f"{url}: {before} queries before adding data, {after} after:\n" + "\n".join(queries)
    assert after <= limit, f"{url}: {after} queries, limit {limit}:\n" + "\n".join(queries)
    return after
