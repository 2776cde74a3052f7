"""Issue 15, item 2: notifications from every stage, follows, the unread count in the header."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kelisim.accounts.tests.factories import UserFactory, make_staff, sign_in
from kelisim.comments import services as comments
from kelisim.consultations import services as consultations_services
from kelisim.consultations.models import Status
from kelisim.consultations.tests import factories as consultations
from kelisim.core.models import OutboxEmail
from kelisim.funding import services as funding_services
from kelisim.funding.models import Call
from kelisim.funding.tests import factories as funding
from kelisim.notifications.models import EmailChoice, Follow, Notification
from kelisim.notifications.services import set_email_choice
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _texts(person) -> list[str]:
    return [notification.text for notification in Notification.objects.filter(recipient=person)]


def test_the_author_hears_the_status_and_the_answer_of_their_suggestion(client):
    officer = make_staff()
    author = UserFactory()
    version = consultations.open_version()
    suggestion = consultations.suggestion(version, author=author)
    consultations_services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.UNDER_REVIEW)
    consultations_services.transition_suggestion(
        actor=officer, suggestion=suggestion, to=Status.ACCEPTED, answer="Included in the plan."
    )
    texts = _texts(author)
    assert any("is now: Under review" in text for text in texts)
    assert any("has an official answer: Accepted" in text for text in texts)
    # Email "at once" is the consultation's own answer email, with the answer's text.
    assert "Included in the plan." in OutboxEmail.objects.get(topic="consultations.answer").body_text
    # The header shows the unread count; opening the inbox lists them; reading one lowers it.
    sign_in(client, author)
    home = client.get(reverse("core:home")).content.decode()
    assert "2 unread" in home
    inbox = client.get(reverse("notifications:inbox"))
    first = inbox.context["page_obj"].object_list[0]
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/en/consultation/s/")
    assert "1 unread" in client.get(reverse("core:home")).content.decode()


def test_an_author_who_chose_off_gets_no_answer_email_but_sees_it_in_the_inbox():
    officer = make_staff()
    author = UserFactory()
    set_email_choice(actor=author, choice=EmailChoice.OFF)
    suggestion = consultations.suggestion(consultations.open_version(), author=author)
    consultations_services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.DECLINED, answer="No.")
    assert not OutboxEmail.objects.filter(to=author.email).exists()
    assert _texts(author) == [f"Your suggestion {suggestion.reference} has an official answer: Declined."]


def test_a_reply_to_a_comment_reaches_its_author():
    article = ArticleFactory()
    author, replier = UserFactory(), UserFactory()
    parent = comments.post_comment(
        actor=author, target=article, text="A first remark on this.", language="en", policy_accepted=True
    )
    comments.moderate_comments(
        actor=make_staff("moderator"), comment_ids=[parent.pk], approve=True, reason="fits_policy"
    )
    parent.refresh_from_db()
    reply = comments.post_comment(
        actor=replier, target=article, text="And a reply to it.", language="en", policy_accepted=True, parent=parent
    )
    comments.moderate_comments(
        actor=make_staff("moderator"), comment_ids=[reply.pk], approve=True, reason="fits_policy"
    )
    assert any("replied to your comment" in text for text in _texts(author))


def test_decisions_on_applications_and_new_reviews_are_notified():
    officer = funding.officer()
    application = funding.submitted_application()
    person = funding.reviewer()
    funding.assignment_for(application, person, actor=officer)
    assert any("A review was assigned to you" in text for text in _texts(person))
    admins = list(application.organisation.memberships.filter(role="admin").values_list("user", flat=True))
    assert admins and Notification.objects.filter(recipient__in=admins, kind="funding.application").exists()


def test_following_a_call_brings_its_changes(client):
    officer = funding.officer()
    call = funding.open_call()
    follower = UserFactory()
    sign_in(client, follower)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Follow" in page
    client.post(reverse("notifications:follow", args=["funding.call", call.pk]))
    assert Follow.objects.filter(user=follower).count() == 1
    assert "Following" in client.get(call.get_absolute_url()).content.decode()
    funding_services.transition_call(actor=officer, call=call, to=Call.Status.CANCELLED, reason="budget")
    assert any("is now: Cancelled" in text for text in _texts(follower))
    client.post(reverse("notifications:follow", args=["funding.call", call.pk]), {"action": "unfollow"})
    assert not Follow.objects.filter(user=follower).exists()


def test_only_registered_kinds_of_object_can_be_followed(client):
    sign_in(client, UserFactory())
    other = UserFactory()
    assert client.post(reverse("notifications:follow", args=["accounts.user", other.pk])).status_code == 404


def test_the_email_choice_is_saved_from_the_inbox(client):
    person = UserFactory()
    sign_in(client, person)
    response = client.post(reverse("notifications:inbox"), {"email": "daily"})
    assert response.status_code == 302
    assert person.notification_preference.email == EmailChoice.DAILY


def test_a_follower_reads_the_calls_title_in_their_own_language_whatever_the_officers(client):
    officer = funding.officer()
    call = funding.open_call()
    call.title_kk, call.title_ru, call.title_en = "Жастар клубтары", "Молодёжные клубы", "Youth clubs"
    call.save()
    follower = UserFactory(preferred_language="kk")
    Follow.objects.create(user=follower, content_type_id=_content_type_id(call), object_id=call.pk)
    with translation.override("en"):  # the officer works in English
        funding_services.transition_call(actor=officer, call=call, to=Call.Status.CANCELLED, reason="budget")
    (notification,) = Notification.objects.filter(recipient=follower)
    with translation.override("kk"):
        assert "Жастар клубтары" in notification.text
    with translation.override("ru"):
        assert "Молодёжные клубы" in notification.text
    sign_in(client, follower)
    inbox = client.get(reverse("notifications:inbox").replace("/en/", "/ru/")).content.decode()
    assert "Молодёжные клубы" in inbox and "Youth clubs" not in inbox
    email = OutboxEmail.objects.get(to=follower.email, topic__startswith="notifications")
    assert "Жастар клубтары" in email.body_text


def _content_type_id(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_the_unread_count_is_read_with_the_account_and_follows_each_change(client, django_assert_max_num_queries):
    # Every signed-in page shows it in the header: it costs no query of its own.
    person = UserFactory()
    for number in range(3):
        Notification.objects.create(recipient=person, kind="comment_reply", params={"n": number})
    Notification.objects.create(recipient=UserFactory(), kind="comment_reply")
    client.force_login(person)
    with django_assert_max_num_queries(10) as page:
        assert "3 unread" in client.get(reverse("accounts:profile")).content.decode()
    counts = [query["sql"] for query in page.captured_queries if query["sql"].startswith("SELECT COUNT(*)")]
    assert not [sql for sql in counts if '"notifications_notification"' in sql]
    Notification.objects.filter(recipient=person).first().delete()
    assert "2 unread" in client.get(reverse("accounts:profile")).content.decode()
    Notification.objects.filter(recipient=person).update(read_at=timezone.now())
    assert "unread" not in client.get(reverse("accounts:profile")).content.decode()
