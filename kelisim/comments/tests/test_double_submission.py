"""A comment form posted twice shows the first result; identical comments sent at once are stored once."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kelisim.accounts.tests.factories import UserFactory
from kelisim.comments.models import Comment
from kelisim.comments.tests.factories import CommentFactory
from kelisim.comments.tests.hosts import HOST_KEY
from kelisim.core.submission import FIELD

TOKEN = "0123456789abcdef0123456789abcdef"


def post_url(host):
    return reverse("comments:post", args=[HOST_KEY, host.pk])


def visitor_data(**fields):
    return {"name": "Aigul", "email": "aigul@example.kz", "text": "Good.", "accept_policy": "on"} | fields


def post_twice(client, url, data):
    first = client.post(url, data | {FIELD: TOKEN})
    repeat = client.post(url, data | {FIELD: TOKEN})
    assert first.status_code in (302, 303), first.status_code
    assert repeat.status_code in (302, 303)
    assert repeat["Location"] == first["Location"]
    return first


@pytest.mark.django_db
def test_the_comment_form_posted_twice_with_one_token_stores_one_comment(client, host):
    post_twice(client, post_url(host), visitor_data(text="Open the library on Sundays."))
    assert Comment.objects.filter(text="Open the library on Sundays.").count() == 1


@pytest.mark.django_db
def test_a_reply_posted_twice_with_one_token_stores_one_reply(client, host):
    parent = CommentFactory(target=host)
    post_twice(client, post_url(host), visitor_data(text="I agree with this.", parent=parent.pk))
    assert Comment.objects.filter(parent=parent).count() == 1


@pytest.mark.django_db
def test_the_comment_form_carries_a_submission_token(client, host):
    response = client.get(post_url(host))
    assert response.status_code == 200
    assert f'name="{FIELD}"' in response.text


def _send_at_once(host, user, count, token=None):
    answers, start = [], threading.Barrier(count)
    data = {"text": "The same remark, sent five times at once.", "accept_policy": "on"}
    if token:
        data[FIELD] = token

    def sender():
        client = Client()
        client.force_login(user)
        start.wait()
        answers.append(client.post(post_url(host), data).status_code)
        connection.close()

    threads = [threading.Thread(target=sender) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("token", [None, TOKEN], ids=["no token", "one token"])
def test_five_identical_comments_sent_at_once_are_stored_once(host, token):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need a server database (CI runs this on PostgreSQL)")
    user = UserFactory()
    answers = _send_at_once(host, user, 5, token=token)
    assert len(answers) == 5
    assert Comment.objects.filter(author=user).count() == 1
