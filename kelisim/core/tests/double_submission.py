"""Posting one form twice with one submission token (a double click, a re-sent POST): one record, and both
answers send the browser to the same page, the first result (see kelisim.core.submission)."""

from kelisim.core.submission import FIELD, new_token


def post_twice(client, url: str, data: dict):
    """The first answer; asserts that the repeat was redirected where the first went."""
    token = new_token()
    first = client.post(url, data | {FIELD: token})
    repeat = client.post(url, data | {FIELD: token})
    assert first.status_code in (302, 303), (first.status_code, first.content[:500])
    assert repeat.status_code in (302, 303), repeat.status_code
    assert repeat["Location"] == first["Location"]
    return first


def assert_carries_token(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert f'name="{FIELD}"' in response.content.decode()
