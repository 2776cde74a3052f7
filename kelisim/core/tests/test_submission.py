"""A form that creates something, sent twice, creates it once and shows the first result."""

import threading
import time

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.template import Context, Template
from django.test import RequestFactory

from kelisim.core.submission import FIELD, SubmissionTokenMiddleware

CREATED = []


def create_view(request):
    CREATED.append(request.POST["title"])
    return HttpResponseRedirect(f"/en/things/{len(CREATED)}/")


def invalid_view(request):
    return HttpResponse("the form again, with its errors", status=200)


def post(view, token, title="Roundtable in Taraz"):
    request = RequestFactory().post("/en/things/new/", {FIELD: token, "title": title})
    return SubmissionTokenMiddleware(view)(request)


def setup_function():
    CREATED.clear()
    cache.clear()


def test_the_tag_renders_a_fresh_hidden_token_each_time():
    template = Template("{% load submission %}{% submission_token %}")
    first, second = template.render(Context()), template.render(Context())
    assert f'name="{FIELD}"' in first and 'type="hidden"' in first and first != second


def test_a_double_submission_creates_once_and_both_land_on_the_first_result():
    first = post(create_view, "a" * 32)
    second = post(create_view, "a" * 32)
    assert CREATED == ["Roundtable in Taraz"]
    assert first["Location"] == second["Location"] == "/en/things/1/"
    assert second.status_code == 303


def test_a_form_shown_again_with_errors_can_be_corrected_and_sent():
    assert post(invalid_view, "b" * 32).status_code == 200
    assert post(create_view, "b" * 32).status_code == 302
    assert CREATED == ["Roundtable in Taraz"]


def test_posts_without_a_token_are_untouched():
    request = RequestFactory().post("/en/things/new/", {"title": "x"})
    SubmissionTokenMiddleware(create_view)(request)
    SubmissionTokenMiddleware(create_view)(request)
    assert len(CREATED) == 2


def test_a_repeat_sent_while_the_first_is_processed_waits_for_it():
    started = threading.Event()

    def slow_view(request):
        started.set()
        time.sleep(0.5)
        return create_view(request)

    answers = []
    first = threading.Thread(target=lambda: answers.append(post(slow_view, "c" * 32)))
    first.start()
    started.wait(5)
    repeat = post(slow_view, "c" * 32)
    first.join()
    assert CREATED == ["Roundtable in Taraz"]
    assert repeat["Location"] == answers[0]["Location"]
