import csv
import io
import json
import re

import pytest
from django.urls import reverse

from kelisim.accounts.tests.factories import UserFactory, make_staff, sign_in
from kelisim.consultations import services
from kelisim.consultations.models import Status, Suggestion
from kelisim.consultations.tests import factories
from kelisim.core.tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return factories.open_version()


def suggest_url(version, **query):
    url = reverse("consultations:suggest", args=[version.document.slug, version.number])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def queue_references(response) -> list[str]:
    """The references in the triage queue's rows, in their order on the page."""
    return re.findall(r'id="select-([^"]+)"', response.content.decode())


def test_document_page_shows_counts_per_paragraph(client, version):
    paragraph = version.paragraphs.order_by("position").first()
    factories.suggestion(version, paragraph=paragraph)
    factories.suggestion(version, paragraph=paragraph, text="Another idea for the same paragraph.")
    response = client.get(version.get_absolute_url())
    assert response.status_code == 200
    outline = response.context["outline"]
    counted = {p.key: p.suggestion_count for s in outline.sections for p in s.paragraphs.all()}
    assert counted[paragraph.key] == 2
    assert outline.total == 2
    assert suggest_url(version, paragraph=paragraph.key).replace("&", "&amp;") in response.content.decode()


def test_document_page_queries_do_not_grow(client, version):
    paragraphs = list(version.paragraphs.all())
    assert_queries_do_not_grow(
        client,
        version.get_absolute_url(),
        add_data=lambda: [factories.suggestion(version, paragraph=p) for p in paragraphs * 3],
        limit=6,
    )


def test_visitor_suggests_on_a_paragraph_and_gets_a_reference_and_private_link(client, version):
    paragraph = version.paragraphs.first()
    page = client.get(suggest_url(version, paragraph=paragraph.key))
    assert paragraph.text_en in page.content.decode()
    response = client.post(
        suggest_url(version),
        {"text": "Hold meetings in college dormitories too.", "paragraph": paragraph.key, "website": ""},
        follow=True,
    )
    suggestion = Suggestion.objects.get()
    assert suggestion.paragraph == paragraph and suggestion.author is None
    assert response.redirect_chain[-1][0].endswith(reverse("consultations:follow", args=[suggestion.follow_token]))
    body = response.content.decode()
    assert suggestion.reference in body and "Thank you" in body
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_rejected_form_keeps_everything_typed(client, version):
    long_text = "Молодёжь " * 200
    response = client.post(
        suggest_url(version),
        {"text": long_text, "title": "Мой заголовок", "language": "ru", "contact_email": "me@example.kz"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "1500" in body and "Your suggestion was not sent yet" in body
    assert long_text.strip() in body
    assert 'value="Мой заголовок"' in body and 'value="me@example.kz"' in body
    assert not Suggestion.objects.exists()


def test_the_honeypot_refuses_quietly(client, version):
    response = client.post(suggest_url(version), {"text": "A perfectly normal text.", "website": "http://spam"})
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_the_fourth_anonymous_suggestion_in_an_hour_is_refused_with_the_text_kept(client, version):
    for index in range(3):
        client.post(suggest_url(version), {"text": f"Suggestion number {index} from here."})
    response = client.post(suggest_url(version), {"text": "The fourth one from here."})
    assert response.status_code == 429
    assert "The fourth one from here." in response.content.decode()
    assert Suggestion.objects.count() == 3


def test_closed_consultation_is_read_only(client):
    closed = factories.open_version(slug="closed", closed=True)
    assert client.get(suggest_url(closed)).status_code == 403
    assert client.post(suggest_url(closed), {"text": "Too late for this one."}).status_code == 403
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "closed" in page


def test_signed_in_citizen_may_send_signed(client, version):
    citizen = UserFactory()
    sign_in(client, citizen)
    client.post(suggest_url(version), {"text": "A signed suggestion about youth clubs."})
    assert Suggestion.objects.get().author == citizen


def test_list_filters_search_and_sorts_with_a_fixed_number_of_queries(client, version):
    factories.suggestion(version, text="Youth clubs in every village please.")
    factories.suggestion(version, text="Жастар клубтарын әр ауылда ашу қажет.")
    url = reverse("consultations:list")
    found = client.get(url, {"q": "clubs"}).context["page_obj"]
    assert [s.text for s in found] == ["Youth clubs in every village please."]
    assert client.get(url, {"language": "kk"}).context["page_obj"].paginator.count == 1
    assert client.get(url, {"status": "accepted"}).context["page_obj"].paginator.count == 0
    assert_queries_do_not_grow(
        client,
        url + "?sort=support&language=en",
        add_data=lambda: [factories.suggestion(version, text=f"More text number {i}") for i in range(30)],
        limit=10,
    )


def test_suggestion_page_shows_history_and_answer_and_support_once_per_browser(client, version):
    officer = make_staff()
    suggestion = factories.suggestion(version)
    services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.PARTLY_ACCEPTED, answer="In part.")
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert "In part." in page and "Under review" in page and 'id="comments"' in page
    assert officer.email not in page
    support_url = reverse("consultations:support", args=[suggestion.reference])
    client.post(support_url)
    client.post(support_url)
    suggestion.refresh_from_db()
    assert suggestion.support_count == 1
    assert "You support this suggestion" in client.get(suggestion.get_absolute_url()).content.decode()


def test_a_supporter_sees_their_support_on_a_suggestion_merged_into_the_one_they_support(version):
    from django.test import Client

    officer, reader = make_staff(), UserFactory()
    primary = factories.suggestion(version)
    duplicate = factories.suggestion(version, text="The same idea again, in other words.")
    services.support_suggestion(suggestion=primary, user=reader, browser_key="k", address="10.9.9.9")
    services.merge_suggestions(actor=officer, primary=primary, duplicates=[duplicate])
    member, stranger = Client(), Client()
    sign_in(member, reader)
    sign_in(stranger, UserFactory())
    for suggestion in (primary, duplicate):
        assert "You support this suggestion" in member.get(suggestion.get_absolute_url()).content.decode()
        assert "You support this suggestion" not in stranger.get(suggestion.get_absolute_url()).content.decode()


def test_suggestion_and_paragraph_pages_have_a_fixed_number_of_queries(client, version):
    paragraph = version.paragraphs.first()
    suggestion = factories.suggestion(version, paragraph=paragraph)
    officer = make_staff()

    def more():
        for index in range(5):
            other = factories.suggestion(version, paragraph=paragraph, text=f"Duplicate number {index} here")
            services.merge_suggestions(actor=officer, primary=suggestion, duplicates=[other])
            services.support_suggestion(suggestion=suggestion, browser_key=f"b{index}", address="z")

    services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.UNDER_REVIEW)
    assert_queries_do_not_grow(client, suggestion.get_absolute_url(), add_data=more, limit=5)
    paragraph_url = reverse("consultations:paragraph", args=[version.document.slug, version.number, paragraph.key])
    assert_queries_do_not_grow(
        client, paragraph_url, add_data=lambda: factories.suggestion(version, paragraph=paragraph), limit=8
    )


def _comment_as_visitor(client, suggestion, name: str, text: str):
    from django.test import Client

    page = Client().get(suggestion.get_absolute_url()).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    data = {"name": name, "email": "reader@example.kz", "text": text, "accept_policy": "on", "submission_token": token}
    return client.post(reverse("comments:post", args=["consultations.suggestion", suggestion.pk]), data)


def test_people_discuss_a_suggestion_under_it_and_the_next_visitor_sees_the_comment(client, version):
    from django.test import Client

    from kelisim.comments.models import Comment

    suggestion = factories.suggestion(version)
    first = Client().get(suggestion.get_absolute_url()).content.decode()
    assert "No comments yet." in first and "Write a comment" in first
    assert "Comments will appear here" not in first
    answer = _comment_as_visitor(client, suggestion, "Aigul", "Villages also need evening hours.")
    assert answer.status_code == 302 and answer["Location"].startswith(suggestion.get_absolute_url())
    comment = Comment.objects.get()
    if comment.status != Comment.Status.APPROVED:  # held for a moderator first
        Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
        from kelisim.comments.services import recount

        recount(content_type_id=comment.content_type_id, object_id=suggestion.pk)
    suggestion.refresh_from_db()
    assert suggestion.comment_count == 1
    after = Client().get(suggestion.get_absolute_url())
    assert after["X-Kelisim-Page"] == "miss"
    assert "Villages also need evening hours." in after.content.decode() and "1 comment" in after.content.decode()


def test_a_signed_in_reader_gets_the_kept_suggestion_page_with_their_own_comment_form(
    version, django_assert_max_num_queries
):
    from django.test import Client

    suggestion = factories.suggestion(version)
    url = suggestion.get_absolute_url()
    member = Client()
    sign_in(member, UserFactory(display_name="Zhanar"))
    assert Client().get(url)["X-Kelisim-Page"] == "miss"
    with django_assert_max_num_queries(10):  # their session, account, support and the comments' first page
        mine = member.get(url)
    assert mine["X-Kelisim-Page"] == "hit"
    assert "You are writing as Zhanar." in mine.content.decode()
    assert 'name="email"' not in mine.content.decode()  # no visitor's name and address fields for them
    anonymous = Client().get(url).content.decode()
    assert "Zhanar" not in anonymous and 'name="email"' in anonymous


def test_on_the_kept_suggestion_page_only_authors_and_moderators_get_their_own_comment_links(
    version, django_assert_max_num_queries
):
    from django.test import Client

    from kelisim.accounts.models import Role
    from kelisim.comments.tests.factories import CommentFactory

    suggestion = factories.suggestion(version)
    dana, erlan = UserFactory(display_name="Dana"), UserFactory(display_name="Erlan")
    mine = CommentFactory(target=suggestion, author=dana, author_name="", author_email="", text="Dana's remark.")
    readers = {name: Client() for name in ("dana", "erlan", "moderator")}
    sign_in(readers["dana"], dana)
    sign_in(readers["erlan"], erlan)
    sign_in(readers["moderator"], make_staff(Role.MODERATOR))
    another = Client()
    sign_in(another, make_staff(Role.MODERATOR))
    url = suggestion.get_absolute_url()
    edit, moderate = reverse("comments:edit", args=[mine.pk]), reverse("comments:moderate", args=[mine.pk])
    anonymous = Client().get(url)
    assert anonymous["X-Kelisim-Page"] == "miss" and "Dana&#x27;s remark." in anonymous.content.decode()
    with django_assert_max_num_queries(10) as erlans:
        pages = {name: reader.get(url) for name, reader in readers.items() if name == "erlan"}
    # Erlan wrote nothing here: his answer keeps everyone's thread (one look for comments of his, no thread page).
    assert len([query for query in erlans.captured_queries if "comments_comment" in query["sql"]]) == 1
    pages |= {name: reader.get(url) for name, reader in readers.items() if name != "erlan"}
    assert {page["X-Kelisim-Page"] for page in pages.values()} == {"hit"}
    text = {name: page.content.decode() for name, page in pages.items()}
    assert edit in text["dana"] and edit not in text["erlan"] and edit not in text["moderator"]
    assert moderate in text["moderator"] and moderate not in text["dana"] and moderate not in text["erlan"]
    assert "Dana&#x27;s remark." in text["erlan"] and "You are writing as Erlan." in text["erlan"]
    # The moderators' thread is rendered once per change of the page: the next moderator's answer reuses it.
    another.get(reverse("consultations:list"))  # (their first request after signing in stamps the session)
    with django_assert_max_num_queries(10) as theirs:
        assert moderate in another.get(url).content.decode()
    assert len([query for query in theirs.captured_queries if "comments_comment" in query["sql"]]) == 1
    for page in (anonymous.content.decode(), Client().get(url).content.decode()):
        assert edit not in page and moderate not in page and "You are writing as" not in page


def test_a_merged_suggestion_takes_no_more_comments(client, version):
    officer = make_staff()
    primary = factories.suggestion(version)
    duplicate = factories.suggestion(version, text="The same idea again, in other words.")
    services.merge_suggestions(actor=officer, primary=primary, duplicates=[duplicate])
    page = client.get(duplicate.get_absolute_url()).content.decode()
    assert "Comments are closed here." in page and "Write a comment" not in page
    assert _comment_as_visitor(client, primary, "Erlan", "Agreed.").status_code == 302


def test_email_confirmation_link(client, version):
    suggestion = factories.suggestion(version, contact_email="visitor@example.kz")
    url = reverse("consultations:confirm_email", args=[suggestion.contact_token])
    assert client.get(url).status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.contact_email_confirmed_at is None  # a GET (a mail scanner) confirms nothing
    client.post(url)
    suggestion.refresh_from_db()
    assert suggestion.contact_email_confirmed_at is not None


def test_open_data_has_no_personal_data(client, version):
    citizen = UserFactory(email="secret-person@example.kz")
    factories.suggestion(version, author=citizen, text="A signed one with a secret author.")
    factories.suggestion(version, contact_email="hidden@example.kz", text="An anonymous one with an email.")
    csv_body = b"".join(client.get(reverse("consultations:export_csv")).streaming_content).decode()
    json_body = b"".join(client.get(reverse("consultations:export_json")).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(csv_body)))
    assert len(rows) == 2 and {row["signed"] for row in rows} == {"True", "False"}
    assert len(json.loads(json_body)["suggestions"]) == 2
    for body in (csv_body, json_body):
        assert "secret-person" not in body and "hidden@example.kz" not in body
        for suggestion in Suggestion.objects.all():
            assert suggestion.follow_token not in body
            assert not suggestion.contact_token or suggestion.contact_token not in body


def test_statistics_page_draws_a_chart_with_its_table(client, version):
    factories.suggestion(version)
    response = client.get(reverse("consultations:statistics"))
    body = response.content.decode()
    assert "<svg" in body and "<table" in body
    assert response.context["stats"]["total"] == 1


def test_officer_triage_answers_in_bulk_and_merges(client, version):
    officer = make_staff()
    sign_in(client, officer)
    first = factories.suggestion(version, text="Open youth clubs in every village of the region.")
    second = factories.suggestion(version, text="Open youth clubs in the villages of every region.")
    third = factories.suggestion(version, text="The helpline must work round the clock.")
    queue = client.get(reverse("consultations:triage"))
    assert queue.status_code == 200
    assert queue_references(queue) == [first.reference, second.reference, third.reference]
    client.post(
        reverse("consultations:triage"),
        {"selected": [first.reference, second.reference], "action": "merge", "reason": "same"},
    )
    second.refresh_from_db()
    assert second.merged_into == first
    client.post(
        reverse("consultations:triage"),
        {"selected": [first.reference, third.reference], "action": "answer", "status": "accepted", "answer": "Yes."},
    )
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.status == third.status == Status.ACCEPTED
    detail = client.get(reverse("consultations:triage_detail", args=[first.reference]))
    assert detail.status_code == 200 and str(officer) in detail.content.decode()


def test_officer_imports_a_markdown_version(client):
    officer = make_staff()
    sign_in(client, officer)
    version = factories.open_version()
    response = client.post(
        reverse("consultations:import", args=[version.document.slug]),
        {
            "mode": "version",
            "language": "en",
            "markdown": factories.DRAFT + "\n\nOne more paragraph.",
            "opens_at": "2017-02-10T09:00",
            "closes_at": "2030-02-10T09:00",
            "allow_anonymous": "on",
        },
    )
    assert response.status_code == 302
    latest = version.document.versions.order_by("-number").first()
    assert latest.number == 2 and latest.paragraphs.count() == 5


def test_citizens_cannot_open_the_queue(client):
    sign_in(client, UserFactory())
    assert client.get(reverse("consultations:triage")).status_code == 403


def test_the_suggestion_form_uses_the_shared_live_counter(client, version):
    from django.contrib.staticfiles import finders

    page = client.get(suggest_url(version)).content.decode()
    assert 'data-counter-max="1500" data-counter-target="text-counter"' in page and 'id="text-counter"' in page
    assert "/static/core/counter.js" in page
    assert finders.find("core/counter.js") and not finders.find("consultations/counter.js")  # one script, no copy


def test_officer_sees_why_two_suggestions_match_and_confirms_or_dismisses(
    client, version, django_capture_on_commit_callbacks
):
    officer = make_staff()
    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.suggestion(version, text="Open youth clubs in every village of the Karaganda region.")
    with django_capture_on_commit_callbacks(execute=True):
        second = factories.suggestion(version, text="Youth clubs should open in the villages of Karaganda region.")
    url = reverse("consultations:triage_detail", args=[first.reference])
    services.set_duplicate_threshold(actor=officer, version=version, threshold=0.2)
    page = client.get(url).content.decode()
    assert second.reference in page and "Shared terms:" in page and "karaganda" in page
    assert 'name="pair-choice" value="confirmed ' + second.reference + '"' in page
    response = client.post(url, {"pair-choice": f"confirmed {second.reference}"})
    assert response.status_code == 302
    assert "confirmed: same proposal" in client.get(url).content.decode()
    client.post(url, {"pair-choice": f"dismissed {second.reference}"})
    assert (
        second.reference not in client.get(url).content.decode().split("Possible duplicates")[1].split("</section>")[0]
    )
    # The threshold form refuses a value out of range and keeps the version's.
    response = client.post(url, {"action": "threshold", "threshold-threshold": "0.05"})
    assert response.status_code == 400
    version.refresh_from_db()
    assert version.duplicate_threshold == 0.2
    client.post(url, {"action": "threshold", "threshold-threshold": "0.6"})
    version.refresh_from_db()
    assert version.duplicate_threshold == 0.6


def test_officer_records_a_phone_suggestion_and_statistics_and_open_data_show_its_channel(client, version):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    officer = make_staff()
    sign_in(client, officer)
    url = reverse("consultations:record")
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    # A rejected form keeps what was typed.
    refused = client.post(url, {"version": version.pk, "channel": "phone", "received_on": today, "text": "short"})
    assert refused.status_code == 400 and 'value="phone" selected' in refused.content.decode()
    response = client.post(
        url,
        {
            "version": version.pk,
            "channel": "letter",
            "received_on": today,
            "text": "By letter: libraries in villages should hold evenings with young writers.",
            "contact_note": "+7 700 000 00 00",
            "scan": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"),
        },
    )
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/triage/{suggestion.reference}/")
    detail = client.get(response.url).content.decode()
    assert "+7 700 000 00 00" in detail and reverse("consultations:scan", args=[suggestion.reference]) in detail
    download = client.get(reverse("consultations:scan", args=[suggestion.reference]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    # The public page says how it arrived, never the private contact.
    public = client.get(suggestion.get_absolute_url()).content.decode()
    assert 'data-channel="letter"' in public and "+7 700" not in public
    stats = client.get(reverse("consultations:statistics")).content.decode()
    assert "By channel" in stats
    body = b"".join(client.get(reverse("consultations:export_csv")).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["channel"] == "letter" and rows[0]["received_on"] == today
    assert "+7 700" not in json.dumps(rows)
    client.logout()
    assert client.get(reverse("consultations:scan", args=[suggestion.reference])).status_code in (302, 403)


def test_the_triage_form_shows_the_filter_it_applies(client, version, officer):
    """Issue 15: the queue listed waiting suggestions under "All statuses"; pressing Show then listed all of them."""
    sign_in(client, officer)
    waiting = factories.suggestion(version, text="Open youth clubs in every village of the region.")
    answered = factories.suggestion(version, text="The helpline must work round the clock.")
    services.transition_suggestion(actor=officer, suggestion=answered, to=Status.DECLINED, answer="Not now.")
    first = client.get(reverse("consultations:triage"))
    assert queue_references(first) == [waiting.reference]
    form = first.context["form"]
    shown = {name: form[name].value() for name in ("status", "sort")}
    assert shown == {"status": "open", "sort": "oldest"}
    # Pressing "Show" sends what the form shows: the same list comes back.
    again = client.get(reverse("consultations:triage"), {"q": "", "status": shown["status"], "sort": shown["sort"]})
    assert queue_references(again) == [waiting.reference]
    everything = client.get(reverse("consultations:triage"), {"status": ""})
    assert set(queue_references(everything)) == {waiting.reference, answered.reference}


def test_the_triage_forms_are_rendered_once_per_change_of_their_options_and_show_every_change(
    client, version, django_assert_max_num_queries
):
    from kelisim.accounts.models import Role
    from kelisim.core.models import Strand

    sign_in(client, make_staff())
    factories.suggestion(version, text="Open youth clubs in every village of the region.")
    url = reverse("consultations:triage")
    first = client.get(url, {"status": ""}).content.decode()
    with django_assert_max_num_queries(10) as again:
        assert client.get(url, {"status": ""}).content.decode().count("<option") == first.count("<option")
    assert not [query for query in again.captured_queries if 'FROM "core_strand"' in query["sql"]]  # options kept
    # A new strand and a new officer show in the options at once, and another filter is rendered for itself.
    Strand.objects.create(code="sport", name_en="Sport for teenagers", name_ru="Спорт", name_kk="Спорт")
    make_staff(Role.OFFICER, display_name="Saule Officer")
    after = client.get(url, {"status": ""}).content.decode()
    assert "Sport for teenagers" in after and "Saule Officer" in after
    chosen = client.get(url, {"status": "declined"}).content.decode()
    assert '<option value="declined" selected>' in chosen and '<option value="declined" selected>' not in after
    ru = client.get(url.replace("/en/", "/ru/"), {"status": ""}).content.decode()
    assert "Все статусы" in ru


def test_the_triage_rows_are_kept_for_every_officer_and_show_every_change_at_once(
    client, version, django_assert_max_num_queries
):
    from django.test import Client

    aigerim, bolat = make_staff(display_name="Aigerim"), make_staff(display_name="Bolat")
    sign_in(client, aigerim)
    other = Client()
    sign_in(other, bolat)
    first = factories.suggestion(version, text="Open youth clubs in every village of the region.")
    url = reverse("consultations:triage")
    assert queue_references(client.get(url)) == [first.reference]
    with django_assert_max_num_queries(10) as again:
        assert queue_references(other.get(url)) == [first.reference]
    assert not [query for query in again.captured_queries if 'FROM "consultations_suggestion"' in query["sql"]]
    # A new suggestion, an assignment and an answer show to the next officer at once.
    second = factories.suggestion(version, text="The helpline must work round the clock.")
    assert queue_references(other.get(url)) == [first.reference, second.reference]
    services.assign_suggestions(actor=aigerim, suggestions=[second], assignee=bolat)
    assert "Bolat" in other.get(url).content.decode()
    services.transition_suggestion(actor=aigerim, suggestion=first, to=Status.DECLINED, answer="Not now.")
    assert queue_references(client.get(url)) == [second.reference]
    # "Assigned to me" is each officer's own list.
    assert queue_references(other.get(url, {"assigned": "me"})) == [second.reference]
    assert queue_references(client.get(url, {"assigned": "me"})) == []


def test_the_first_suggestion_to_reach_an_empty_triage_queue_shows_at_once(client, version):
    sign_in(client, make_staff())
    assert queue_references(client.get(reverse("consultations:triage"))) == []
    first = factories.suggestion(version, text="Open youth clubs in every village of the region.")
    assert queue_references(client.get(reverse("consultations:triage"))) == [first.reference]


def test_the_triage_total_follows_every_change_although_it_is_counted_once_per_change(client, version):
    sign_in(client, make_staff())
    factories.suggestion(version, text="Open youth clubs in every village of the region.")
    first = client.get(reverse("consultations:triage")).context["page_obj"].paginator.count
    factories.suggestion(version, text="The helpline must work round the clock.")
    assert client.get(reverse("consultations:triage")).context["page_obj"].paginator.count == first + 1


def test_the_triage_queue_pages_through_every_waiting_suggestion_once_oldest_first(client, version):
    from datetime import timedelta

    from django.utils import timezone

    sign_in(client, make_staff())
    template = factories.suggestion(version, text="Open youth clubs in every village of the region.")
    start = timezone.now() - timedelta(days=200)
    rows = []
    for number in range(120):
        status = Status.DECLINED if number % 7 == 3 else (Status.UNDER_REVIEW if number % 2 else Status.RECEIVED)
        rows.append(
            Suggestion(
                reference=f"T-{number:04d}",
                version=version,
                text=f"Suggestion number {number}",
                language="en",
                status=status,
                # Some share a time: the queue's order falls back to the key, so no page repeats or skips one.
                created_at=start + timedelta(hours=number // 3),
                follow_token=f"follow-{number}",
            )
        )
    Suggestion.objects.bulk_create(rows)
    expected = [row.reference for row in rows if row.status != Status.DECLINED] + [template.reference]
    shown = []
    for number in (1, 2, 3):
        page = client.get(reverse("consultations:triage"), {"page": number})
        shown += queue_references(page)
        assert page.content.decode().count(version.document.title) >= len(queue_references(page))
    assert shown == expected
    assert client.get(reverse("consultations:triage"), {"page": 2}).context["page_obj"].paginator.count == len(expected)


def test_status_badges_are_coloured_and_in_the_readers_language(client, version, officer):
    from django.utils import translation

    sign_in(client, officer)
    waiting = factories.suggestion(version, text="Open youth clubs in every village of the region.")
    declined = factories.suggestion(version, text="The helpline must work round the clock.")
    services.transition_suggestion(actor=officer, suggestion=declined, to=Status.DECLINED, answer="Not now.")
    with translation.override("ru"):
        received_ru, declined_ru = str(Status.RECEIVED.label), str(Status.DECLINED.label)
        queue_url, page_url = reverse("consultations:triage"), declined.get_absolute_url()
    assert received_ru != "Received" and queue_url.startswith("/ru/")
    queue = client.get(queue_url).content.decode()
    assert f'<span class="badge status-received badge-warn">{received_ru}</span>' in queue
    page = client.get(page_url).content.decode()
    assert f'<span class="badge status-declined badge-danger">{declined_ru}</span>' in page
    assert waiting.reference in queue


def test_the_triage_rows_link_each_suggestion_escape_its_text_and_speak_the_readers_language(client, version):
    from kelisim.consultations.models import Channel

    officer = make_staff(display_name="Aigerim")
    sign_in(client, officer)
    typed = factories.suggestion(version, title="<b>Clubs</b> & camps", text="Open youth clubs in every village.")
    letter = Suggestion.objects.get(
        pk=factories.suggestion(version, text="Train school psychologists in every district.").pk
    )
    Suggestion.objects.filter(pk=letter.pk).update(channel=Channel.LETTER, assigned_to=officer)
    page = client.get("/ru/consultation/triage/").content.decode()
    assert "&lt;b&gt;Clubs&lt;/b&gt; &amp; camps" in page and "<b>Clubs</b>" not in page
    detail = reverse("consultations:triage_detail", args=[typed.reference]).replace("/en/", "/ru/")
    assert f'<a href="{detail}">{typed.reference}</a>' in page
    assert f'aria-label="Выбрать {typed.reference}"' in page
    assert '<span data-channel="letter">Письмо по почте</span>' in page
    assert "Aigerim" in page and '<span class="badge status-received badge-warn">Получено</span>' in page
