"""The scenario's own page in a real browser: a visitor comments within the limit, a moderator
approves, the comment shows; the reaction counts once."""

import pytest
from playwright.sync_api import expect

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import make_staff
from kelisim.comments.models import Comment
from kelisim.comments.tests.browser import approve_in_the_moderation_queue
from kelisim.core.tests.browser import sign_in_browser
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_context(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    sign_in_browser(context, live_server, user)
    return context


def send_over_the_limit_and_keep_the_text(page, screenshot) -> None:
    """1501 characters: the live counter warns, the server refuses, nothing typed is lost."""
    page.get_by_label("Your name").fill("Fatima")
    page.get_by_label("Your email").fill("fatima@example.kz")
    page.get_by_label("Your comment").fill("а" * 1501)
    expect(page.locator("#id_text_counter")).to_contain_text("Too long: 1501 of at most 1500")
    page.get_by_label("I have read and accept the comment policy").check()
    screenshot("over-the-limit")
    page.get_by_role("button", name="Send comment").click()
    page.wait_for_load_state()
    assert "at most 1500 characters; this one has 1501" in page.locator(".error-summary").inner_text()
    assert len(page.get_by_label("Your comment").input_value()) == 1501
    assert page.get_by_label("Your name").input_value() == "Fatima"
    screenshot("refused-text-kept")


def trim_to_the_limit_and_send(page, screenshot, article) -> Comment:
    """Trimmed to 1500: accepted and held for a moderator."""
    page.get_by_label("Your comment").press("End")
    page.get_by_label("Your comment").press("Backspace")
    expect(page.locator("#id_text_counter")).to_contain_text("1500 / 1500")
    page.get_by_label("I have read and accept the comment policy").check()
    page.get_by_role("button", name="Send comment").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#comment-notice")
    # Issue 15: the confirmation is where the page lands, in the comments section and in view.
    notice = page.locator("#comments #comment-notice")
    assert "will appear once a moderator has checked it" in notice.inner_text()
    box = notice.bounding_box()  # relative to the viewport: in view without scrolling back up
    assert notice.is_visible() and -1 <= box["y"] < page.viewport_size["height"]  # sub-pixel scroll rounding
    comment = Comment.objects.get()
    assert (comment.status, len(comment.text)) == (Comment.Status.PENDING, 1500)
    assert page.locator(f"#comment-{comment.pk}").count() == 0
    screenshot("held")
    return comment


def approve_from_the_queue(chromium_browser, live_server, comment: Comment) -> None:
    moderator_context = signed_in_context(chromium_browser, live_server, make_staff(Role.MODERATOR))
    approve_in_the_moderation_queue(moderator_context.new_page(), comment)
    moderator_context.close()


def answer_yes_twice(page, screenshot) -> None:
    """The answer to “Do you like this article?” counts once however often the visitor clicks."""
    reactions = page.locator("#reactions")
    assert "The results show after you answer" in reactions.inner_text()
    reactions.get_by_role("button", name="Yes").click()
    page.wait_for_selector("#reactions .reaction-counts")
    assert "Yes: 1 · No: 0" in page.locator("#reactions").inner_text()
    page.locator("#reactions").get_by_role("button", name="Yes").click()
    page.wait_for_timeout(300)
    page.reload()
    assert "Yes: 1 · No: 0" in page.locator("#reactions").inner_text()
    screenshot("reacted")


def test_visitor_comment_is_held_approved_and_shown_and_the_reaction_counts_once(
    page, screenshot, chromium_browser, live_server
):
    article = ArticleFactory(title="NGOs join the prevention programme")
    page.goto(article.get_absolute_url())
    send_over_the_limit_and_keep_the_text(page, screenshot)
    comment = trim_to_the_limit_and_send(page, screenshot, article)
    approve_from_the_queue(chromium_browser, live_server, comment)

    # The visitor sees it, and the count.
    page.goto(article.get_absolute_url())
    assert page.locator(f"#comment-{comment.pk}").count() == 1
    assert "1 comment" in page.locator("#comments-heading").inner_text()
    screenshot("published")
    answer_yes_twice(page, screenshot)
