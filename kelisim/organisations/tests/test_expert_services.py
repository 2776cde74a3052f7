from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kelisim.accounts.models import Role
from kelisim.accounts.services import grant_role
from kelisim.core import ratelimit
from kelisim.core.models import OutboxEmail, Region
from kelisim.organisations import expert_services
from kelisim.organisations.expert_services import ExpertProfile
from kelisim.organisations.models import Expert
from kelisim.organisations.tests.expert_factories import (
    ExpertFactory,
    ExpertiseFieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def officer():
    user = UserFactory()
    grant_role(actor=None, user=user, role=Role.OFFICER)
    return user


def profile(**overrides) -> ExpertProfile:
    values = {
        "full_name": "Dana Abenova",
        "contact_email": "dana@private.example.kz",
        "fields": [ExpertiseFieldFactory(code="theology")],
        "languages": ["kk", "ru"],
        "regions": [Region.objects.get(code="KZ-11")],
        "title_en": "Religious scholar",
    }
    values.update(overrides)
    return ExpertProfile(**values)


def test_a_person_lists_themselves_only_with_explicit_consent():
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        expert_services.create_own_expert_profile(actor=user, profile=profile(), consent=False)
    assert "consent" in error.value.message_dict
    assert not Expert.objects.exists()

    expert = expert_services.create_own_expert_profile(actor=user, profile=profile(), consent=True)
    assert expert.user == user and expert.is_listed
    assert expert.languages == "kk,ru"
    assert [region.code for region in expert.regions.all()] == ["KZ-11"]


def test_a_person_has_at_most_one_expert_profile():
    user = UserFactory()
    expert_services.create_own_expert_profile(actor=user, profile=profile(), consent=True)
    with pytest.raises(ValidationError):
        expert_services.create_own_expert_profile(actor=user, profile=profile(full_name="Again"), consent=True)
    assert Expert.objects.count() == 1


def test_a_profile_needs_a_field_and_a_language():
    with pytest.raises(ValidationError) as error:
        expert_services.create_own_expert_profile(
            actor=UserFactory(), profile=profile(fields=[], languages=["xx"]), consent=True
        )
    assert set(error.value.message_dict) == {"fields", "languages"}


def test_a_person_may_link_only_an_organisation_they_belong_to():
    user = UserFactory()
    stranger_organisation = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        expert_services.create_own_expert_profile(
            actor=user, profile=profile(organisation=stranger_organisation), consent=True
        )
    assert "organisation" in error.value.message_dict

    membership = MembershipFactory(user=user)
    expert = expert_services.create_own_expert_profile(
        actor=user, profile=profile(organisation=membership.organisation), consent=True
    )
    assert expert.organisation == membership.organisation


def test_only_officers_add_experts_and_they_must_confirm_consent():
    with pytest.raises(PermissionDenied):
        expert_services.add_expert(actor=UserFactory(), profile=profile(), consent=True)
    with pytest.raises(ValidationError):
        expert_services.add_expert(actor=officer(), profile=profile(), consent=False)
    expert = expert_services.add_expert(
        actor=officer(), profile=profile(organisation=OrganisationFactory()), consent=True
    )
    assert expert.user is None and expert.is_listed and expert.organisation is not None


def test_only_the_owner_or_an_officer_edits_a_profile():
    expert = ExpertFactory(user=UserFactory())
    with pytest.raises(PermissionDenied):
        expert_services.update_expert(actor=UserFactory(), expert=expert, profile=profile())
    expert_services.update_expert(actor=expert.user, expert=expert, profile=profile(full_name="Renamed"))
    expert_services.update_expert(actor=officer(), expert=expert, profile=profile(title_en="Edited by officer"))
    expert.refresh_from_db()
    assert (expert.full_name, expert.title_en) == ("Dana Abenova", "Edited by officer")


def test_relisting_by_the_owner_renews_consent_and_strangers_cannot_unlist():
    expert = ExpertFactory(user=UserFactory(), consent_given_at=timezone.now() - timedelta(days=400))
    with pytest.raises(PermissionDenied):
        expert_services.set_expert_listed(actor=UserFactory(), expert=expert, listed=False)
    expert_services.set_expert_listed(actor=expert.user, expert=expert, listed=False)
    assert not Expert.objects.get(pk=expert.pk).is_listed
    expert_services.set_expert_listed(actor=expert.user, expert=expert, listed=True)
    expert.refresh_from_db()
    assert expert.is_listed
    assert timezone.now() - expert.consent_given_at < timedelta(minutes=1)


def send(expert, *, sender=None, address="10.0.0.1", message="Would you give a lecture in Shymkent?"):
    return expert_services.send_expert_message(
        expert=expert,
        sender=sender,
        sender_name="Aigerim",
        sender_email="aigerim@ngo.example.kz",
        sender_organisation="Youth NGO",
        message=message,
        client_address=address,
    )


class Anonymous:
    is_authenticated = False


def test_a_message_goes_to_the_hidden_address_with_the_sender_to_reply_to():
    expert = ExpertFactory(contact_email="secret@experts.example.kz", languages="en")
    email = send(expert, sender=Anonymous())
    assert email.to == "secret@experts.example.kz"
    assert "aigerim@ngo.example.kz" in email.body_text
    assert "Youth NGO" in email.body_text
    assert "Would you give a lecture in Shymkent?" in email.body_text
    assert "Aigerim" in email.subject
    assert email.topic == "expert-message"


def test_the_message_is_plain_text_not_html_escaped():
    email = expert_services.send_expert_message(
        expert=ExpertFactory(),
        sender=Anonymous(),
        sender_name="Dana O'Neil <Youth>",
        sender_email="dana@ngo.example.kz",
        message='Tea & talk: "religion & youth"?',
        client_address="10.0.0.9",
    )
    assert "Dana O'Neil <Youth>" in email.subject
    assert 'Tea & talk: "religion & youth"?' in email.body_text


def test_messages_are_written_in_the_experts_language():
    kazakh_account = UserFactory(preferred_language="kk")
    assert expert_services.message_language(ExpertFactory(user=kazakh_account, languages="ru")) == "kk"
    assert expert_services.message_language(ExpertFactory(languages="en,kk")) == "kk"
    russian_speaker = ExpertFactory(languages="en,ru")
    assert expert_services.message_language(russian_speaker) == "ru"
    # The text and the link back to the profile are in the same language.
    russian = send(russian_speaker).body_text
    assert "Здравствуйте" in russian
    assert f"/ru/organisations/experts/{russian_speaker.pk}/" in russian
    kazakh = send(ExpertFactory(user=UserFactory(preferred_language="kk"), languages="ru"))
    assert "Сәлеметсіз бе" in kazakh.body_text and "жіберген хат" in kazakh.subject


def test_nobody_can_write_to_an_unlisted_expert():
    with pytest.raises(PermissionDenied):
        send(ExpertFactory(is_listed=False))
    assert not OutboxEmail.objects.exists()


def test_a_visitor_sends_at_most_five_messages_an_hour_per_address():
    expert = ExpertFactory()
    for _ in range(expert_services.VISITOR_MESSAGE_LIMIT):
        send(expert, sender=Anonymous(), address="10.0.0.7")
    with pytest.raises(ratelimit.RateLimited):
        send(expert, sender=Anonymous(), address="10.0.0.7")
    send(expert, sender=Anonymous(), address="10.0.0.8")  # another address has its own allowance
    assert OutboxEmail.objects.count() == expert_services.VISITOR_MESSAGE_LIMIT + 1


def test_an_account_sends_at_most_twenty_messages_a_day_from_any_address():
    expert = ExpertFactory()
    user = UserFactory()
    for number in range(expert_services.ACCOUNT_MESSAGE_LIMIT):
        send(expert, sender=user, address=f"10.0.1.{number}")
    with pytest.raises(ratelimit.RateLimited):
        send(expert, sender=user, address="10.0.2.1")
