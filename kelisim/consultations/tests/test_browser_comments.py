"""People discuss a suggestion under it, in a real browser: a signed-in resident comments from the page every
reader shares (their own form filled in), a moderator approves, and the next visitor reads it."""

import pytest
from django.test import Client

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.comments.models import Comment
from kelisim.comments.tests.browser import approve_in_the_moderation_queue
from kelisim.consultations.tests import factories
from kelisim.core.tests.browser import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REMARK = "Dormitories need this most: students there have nobody to ask in the evening."


def _signed_in_page(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    sign_in_browser(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_a_resident_comments_on_a_suggestion_and_the_next_visitor_reads_it(
    page, screenshot, chromium_browser, live_server
):
    version = factories.open_version()
    suggestion = factories.suggestion(version, text="Hold evening meetings with a psychologist in college dormitories.")
    resident = UserFactory(display_name="Dana")
    moderator = make_staff(Role.MODERATOR)
    url = suggestion.get_absolute_url().replace("/ru/", "/en/")
    assert Client().get(url)["X-Kelisim-Page"] == "miss"  # kept as every reader sees it

    sign_in_browser(page.context, live_server, resident)
    page.goto(url)
    comments = page.locator("#comments")
    assert "No comments yet." in comments.inner_text()
    assert "You are writing as Dana." in comments.inner_text()
    comments.get_by_label("Your comment").fill(REMARK)
    comments.get_by_label("I have read and accept the comment policy").check()
    comments.get_by_role("button", name="Send comment").click()
    page.wait_for_url("**#comment-notice")
    assert "will appear once a moderator has checked it" in page.locator("#comments #comment-notice").inner_text()
    comment = Comment.objects.get()
    assert (comment.author, comment.text, comment.status) == (resident, REMARK, Comment.Status.PENDING)
    screenshot("held")

    desk = _signed_in_page(chromium_browser, live_server, moderator)
    desk.goto("/en/comments/moderation/")
    assert suggestion.reference in desk.locator("main").inner_text()  # the queue says what it is about
    approve_in_the_moderation_queue(desk, comment)

    visitor = chromium_browser.new_page(base_url=live_server.url, locale="en-GB")
    visitor.goto(url)
    assert "1 comment" in visitor.locator("#comments-heading").inner_text()
    assert REMARK in visitor.locator(f"#comment-{comment.pk}").inner_text()
    assert "Dana" in visitor.locator(f"#comment-{comment.pk}").inner_text()
    assert "You are writing as" not in visitor.locator("#comments").inner_text()
    page.goto(url)  # and the resident, on the page every reader shares
    assert REMARK in page.locator(f"#comment-{comment.pk}").inner_text()
    screenshot("published")
