import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff, sign_in
from kelisim.comments.models import Comment
from kelisim.comments.tests.factories import CommentFactory
from kelisim.comments.tests.hosts import HOST_KEY
from kelisim.core.tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ request }} {% debug %}",
]


def post_url(host):
    return reverse("comments:post", args=[HOST_KEY, host.pk])


def visitor_data(**fields):
    return {"name": "Aigul", "email": "aigul@example.kz", "text": "Good.", "accept_policy": "on"} | fields


def test_1500_characters_are_accepted_from_the_form(client, host):
    response = client.post(post_url(host), visitor_data(text="ж" * 1500))
    assert response.status_code == 302
    assert len(Comment.objects.get().text) == 1500


def test_1501_characters_are_refused_and_everything_typed_is_kept(client, host):
    response = client.post(post_url(host), visitor_data(text="ж" * 1501, name="Ерлан"))
    assert response.status_code == 400
    assert not Comment.objects.exists()
    page = response.text
    assert "at most 1500 characters" in page
    assert "ж" * 1501 in page
    assert 'value="Ерлан"' in page
    assert 'aria-invalid="true"' in page


def test_a_direct_post_cannot_pass_1501_characters_either(client, host):
    """No form page was loaded first: the limit holds for any request."""
    response = client.post(post_url(host), {"text": "w" * 1501, "name": "Bot", "email": "b@x.kz", "accept_policy": "1"})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_html_is_refused_with_a_clear_message(client, host):
    response = client.post(post_url(host), visitor_data(text="<b>bold</b>"))
    assert response.status_code == 400
    assert "HTML is not allowed" in response.text


def test_the_policy_must_be_accepted_and_is_linked_from_the_form(client, host):
    response = client.post(post_url(host), visitor_data(accept_policy=""))
    assert response.status_code == 400
    assert "Please read and accept the comment policy." in response.text
    assert reverse("comments:policy") in response.text


def test_a_filled_honeypot_is_refused(client, host):
    response = client.post(post_url(host), visitor_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_second_visitor_comment_in_a_minute_passes_and_the_third_is_refused(client, host):
    assert client.post(post_url(host), visitor_data(text="One")).status_code == 302
    assert client.post(post_url(host), visitor_data(text="Two")).status_code == 302
    response = client.post(post_url(host), visitor_data(text="Three"))
    assert response.status_code == 400
    assert "too fast" in response.text
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_in_name_renders_as_text(client, host, payload):
    CommentFactory(target=host, author_name=payload, text="Plain words.")
    response = client.get(reverse("comments:thread", args=[HOST_KEY, host.pk]))
    assert payload not in response.text or "<" not in payload
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text


def test_a_text_that_came_in_around_the_pipeline_is_still_escaped(client, host):
    CommentFactory(target=host, text="<script>alert(1)</script>")
    response = client.get(reverse("comments:thread", args=[HOST_KEY, host.pk]))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_thread_pages_cost_the_same_queries_whatever_the_number_of_comments(client, host):
    def add_comments():
        for top in CommentFactory.create_batch(30, target=host):
            CommentFactory.create_batch(4, target=host, parent=top)
        Comment.objects.filter(parent__isnull=True).update(reply_count=4)

    CommentFactory(target=host)
    assert_queries_do_not_grow(
        client, reverse("comments:thread", args=[HOST_KEY, host.pk]), add_data=add_comments, limit=8
    )


def test_more_replies_come_as_a_fragment_for_htmx_and_as_a_page_without_javascript(client, host):
    top = CommentFactory(target=host, reply_count=25)
    replies = [CommentFactory(target=host, parent=top, text=f"Reply {n:02d}") for n in range(25)]
    url = reverse("comments:replies", args=[top.pk])
    fragment = client.get(url, {"page": 1}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.text
    assert f'id="replies-{top.pk}"' in fragment.text
    assert "Reply 19" in fragment.text and "Reply 20" not in fragment.text
    assert "page=2" in fragment.text
    page = client.get(url, {"page": 2})
    assert "<html" in page.text and "Reply 24" in page.text
    assert replies[0].text not in page.text


def test_only_published_comments_are_shown(client, host):
    CommentFactory(target=host, text="Visible one")
    CommentFactory(target=host, text="Held one", status=Comment.Status.PENDING)
    CommentFactory(target=host, text="Hidden one", status=Comment.Status.HIDDEN)
    response = client.get(reverse("comments:thread", args=[HOST_KEY, host.pk]))
    assert "Visible one" in response.text
    assert "Held one" not in response.text and "Hidden one" not in response.text


def test_a_signed_in_author_sees_edit_and_delete_on_their_comment(client, host):
    author = UserFactory()
    mine = CommentFactory(target=host, author=author, author_name="", text="Mine")
    other = CommentFactory(target=host, text="Someone else's")
    sign_in(client, author)
    response = client.get(reverse("comments:thread", args=[HOST_KEY, host.pk]))
    assert reverse("comments:edit", args=[mine.pk]) in response.text
    assert reverse("comments:delete", args=[mine.pk]) in response.text
    assert reverse("comments:edit", args=[other.pk]) not in response.text
    assert reverse("comments:report", args=[mine.pk]) not in response.text


def test_the_moderation_queue_filters_and_bulk_approves(client, host):
    moderator = make_staff(Role.MODERATOR)
    held = CommentFactory.create_batch(3, target=host, status=Comment.Status.PENDING, reason_code="visitor")
    CommentFactory(target=host, status=Comment.Status.PENDING, reason_code="suspect_word", language="ru", text="Рус")
    sign_in(client, moderator)
    page = client.get(reverse("comments:queue"), {"reason": "suspect_word"})
    assert "Рус" in page.text and held[0].text not in page.text
    response = client.post(
        reverse("comments:bulk"),
        {"comments": [c.pk for c in held[:2]], "decision": "approve", "reason": "fits_policy"},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(status=Comment.Status.APPROVED).count() == 2


def test_the_moderation_queue_rows_are_kept_for_every_moderator_and_show_each_change_at_once(
    client, host, django_assert_max_num_queries
):
    from django.test import Client

    sign_in(client, make_staff(Role.MODERATOR))
    other = Client()
    sign_in(other, make_staff(Role.MODERATOR))
    url = reverse("comments:queue")
    assert "Nothing to moderate here." in client.get(url).text
    first = CommentFactory(target=host, status=Comment.Status.PENDING, reason_code="visitor", text="First held one")
    assert "First held one" in client.get(url).text
    with django_assert_max_num_queries(10) as again:
        page = other.get(url).text
    assert "First held one" in page and "1 held, 0 hidden after reports." in page
    assert not [query for query in again.captured_queries if 'FROM "comments_comment"' in query["sql"]]
    CommentFactory(target=host, status=Comment.Status.PENDING, reason_code="visitor", text="Second held one")
    other.post(reverse("comments:bulk"), {"comments": [first.pk], "decision": "approve", "reason": "fits_policy"})
    page = client.get(url).text
    assert "Second held one" in page and "First held one" not in page and "1 held, 0 hidden" in page


def test_the_moderation_page_shows_the_audit_history(client, host):
    moderator = make_staff(Role.MODERATOR)
    comment = CommentFactory(target=host, status=Comment.Status.PENDING, reason_code="visitor")
    sign_in(client, moderator)
    url = reverse("comments:moderate", args=[comment.pk])
    client.post(url, {"decision": "reject", "reason": "abuse", "note": "No insults."})
    page = client.get(url)
    assert "rejected: abuse" in page.text
    assert "No insults." in page.text


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Comment policy"), ("ru", "Правила комментирования"), ("kk", "Пікір жазу ережесі")]
)
def test_the_comment_policy_is_published_in_three_languages(client, language, title):
    response = client.get(f"/{language}/comments/policy/")
    assert response.status_code == 200
    assert title in response.text


def test_the_profile_lists_the_authors_comments_with_status_and_moderator_note(client, host):
    author = UserFactory()
    CommentFactory(target=host, author=author, author_name="", text="Held words", status=Comment.Status.PENDING)
    CommentFactory(
        target=host, author=author, author_name="", text="Rejected words", status="rejected", moderator_note="Be kind."
    )
    CommentFactory(target=host, text="Someone else's words")
    sign_in(client, author)
    page = client.get(reverse("accounts:profile"))
    assert "Held words" in page.text and "Rejected words" in page.text and "Be kind." in page.text
    assert "Someone else's words" not in page.text
    assert host.get_absolute_url() in page.text


def test_the_comment_form_uses_the_shared_live_counter(client, host):
    from django.contrib.staticfiles import finders

    page = client.post(post_url(host), visitor_data(text="ж" * 1501)).text
    assert 'data-counter-max="1500"' in page and 'data-counter-target="id_text_counter"' in page
    assert 'id="id_text_counter"' in page and "/static/core/counter.js" in page
    assert finders.find("core/counter.js") and not finders.find("comments/comments.js")  # one script, no copy


def test_the_comment_count_is_the_same_in_the_per_visitor_and_the_kept_section(rf, host):
    """Replies count as comments; held ones do not. Both sections say so for a host that keeps no counter."""
    first = CommentFactory(target=host)
    CommentFactory(target=host, parent=first)
    CommentFactory(target=host, status=Comment.Status.PENDING)
    request = rf.get("/")
    request.user = AnonymousUser()
    request._messages = []
    per_visitor = Template("{% load kelisim_comments %}{% comment_section host %}").render(
        Context({"host": host, "request": request})
    )
    kept = Template("{% load kelisim_comments %}{{ host|published_comment_count }}").render(Context({"host": host}))
    assert kept == "2"
    assert ">2 comments</h2>" in per_visitor
