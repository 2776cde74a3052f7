import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from kelisim.accounts.models import Role
from kelisim.accounts.services import grant_role
from kelisim.core.models import OutboxEmail, Region
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.organisations import expert_services
from kelisim.organisations.models import Expert
from kelisim.organisations.tests import expert_factories as factories

pytestmark = pytest.mark.django_db

LIST_URL = reverse("organisations:expert_list")


def names(response) -> list[str]:
    return [expert.full_name for expert in response.context["experts"]]


@pytest.fixture
def officer_client(client):
    user = factories.UserFactory()
    grant_role(actor=None, user=user, role=Role.OFFICER)
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXPEXPERTSAA")
    client.force_login(user)
    client.user = user
    return client


# --- The roster ---------------------------------------------------------------------------------


def test_the_roster_lists_listed_experts_and_never_their_addresses(client):
    factories.ExpertFactory(full_name="Aliya Listed", contact_email="aliya-hidden@experts.example.kz")
    factories.ExpertFactory(full_name="Boris Unlisted", is_listed=False)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert names(response) == ["Aliya Listed"]
    assert "aliya-hidden@experts.example.kz" not in response.text
    assert "Boris Unlisted" not in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("aliya", ["Aliya Nurpeisova"]),
        ("SCHOLAR", ["Aliya Nurpeisova"]),
        ("теология", ["Aliya Nurpeisova"]),  # a field's name, typed in lower case
        ("Психолог", ["Serik Abenov"]),  # the Russian title
        ("inmates", ["Serik Abenov"]),  # the English bio
        ("aliya theology", ["Aliya Nurpeisova"]),
        ("aliya psychology", []),
    ],
)
def test_search_matches_name_title_bio_and_fields(client, query, expected):
    theology = factories.ExpertiseFieldFactory(
        code="theology", name_en="Theology", name_ru="Теология", name_kk="Теология"
    )
    psychology = factories.ExpertiseFieldFactory(code="psychology", name_en="Psychology", name_ru="Психология")
    factories.ExpertFactory(full_name="Aliya Nurpeisova", title_en="Religious scholar", fields=[theology])
    factories.ExpertFactory(
        full_name="Serik Abenov",
        title_ru="Психолог",
        bio_en="Works with inmates in three colonies.",
        fields=[psychology],
    )
    assert names(client.get(LIST_URL, {"q": query})) == expected


def test_filters_by_field_language_region_and_organisation(client):
    law = factories.ExpertiseFieldFactory(code="law", name_en="Law")
    media = factories.ExpertiseFieldFactory(code="media", name_en="Media")
    organisation = factories.OrganisationFactory()
    factories.ExpertFactory(full_name="Lawyer", fields=[law], languages="en,ru", organisation=organisation)
    factories.ExpertFactory(
        full_name="Blogger", fields=[media], languages="kk", regions=[Region.objects.get(code="KZ-75")]
    )
    assert names(client.get(LIST_URL, {"field": "law"})) == ["Lawyer"]
    assert names(client.get(LIST_URL, {"language": "kk"})) == ["Blogger"]
    assert names(client.get(LIST_URL, {"language": "en"})) == ["Lawyer"]
    assert names(client.get(LIST_URL, {"region": "KZ-75"})) == ["Blogger"]
    assert names(client.get(LIST_URL, {"organisation": organisation.pk})) == ["Lawyer"]
    assert names(client.get(LIST_URL, {"field": "media", "language": "en"})) == []


def test_an_unknown_filter_value_shows_everyone_rather_than_an_error(client):
    factories.ExpertFactory(full_name="Anyone")
    response = client.get(LIST_URL, {"field": "no-such-field", "region": "KZ-00"})
    assert response.status_code == 200
    assert names(response) == ["Anyone"]


def test_the_roster_is_paginated_and_keeps_the_filters(client):
    for number in range(25):
        factories.ExpertFactory(full_name=f"Expert {number:02d}", languages="ru")
    first = client.get(LIST_URL, {"language": "ru"})
    assert len(names(first)) == 20
    assert "language=ru&amp;page=2" in first.text
    second = client.get(LIST_URL, {"language": "ru", "page": 2})
    assert names(second) == [f"Expert {number:02d}" for number in range(20, 25)]


def test_the_roster_runs_the_same_number_of_queries_however_many_experts(client):
    fields = [factories.ExpertiseFieldFactory(code=f"f{n}") for n in range(3)]
    organisation = factories.OrganisationFactory()
    factories.ExpertFactory(fields=fields, organisation=organisation)
    regions = list(Region.objects.all()[:4])
    assert_queries_do_not_grow(
        client,
        LIST_URL,
        add_data=lambda: [
            factories.ExpertFactory(fields=fields, regions=regions, organisation=factories.OrganisationFactory())
            for _ in range(15)
        ],
        limit=12,
    )


# --- An expert's page -----------------------------------------------------------------------------


def test_the_expert_page_shows_the_public_profile_and_not_the_address(client):
    organisation = factories.OrganisationFactory(name_en="Accord", name_ru="Согласие")
    theology = factories.ExpertiseFieldFactory(code="theology", name_en="Theology", name_ru="Теология")
    expert = factories.ExpertFactory(
        full_name="Yerlan Bekturov",
        title_en="Theologian",
        bio_en="Counsellor in correctional facilities.",
        languages="kk,ru",
        fields=[theology],
        regions=[Region.objects.get(code="KZ-15")],
        organisation=organisation,
        contact_email="yerlan-private@experts.example.kz",
    )
    response = client.get(f"/en/organisations/experts/{expert.pk}/")
    assert response.status_code == 200
    page = response.text
    for text in (
        "Yerlan Bekturov",
        "Theologian",
        "Counsellor in correctional facilities.",
        "Theology",
        "Kazakh",
        "Russian",
        Region.objects.get(code="KZ-15").name_en,
        "Accord",
    ):
        assert text in page
    assert "yerlan-private@experts.example.kz" not in page
    assert reverse("organisations:expert_message", args=[expert.pk]).replace("/ru/", "/en/") in page


def test_an_unlisted_profile_is_hidden_from_the_public_but_not_from_its_owner(client):
    owner = factories.UserFactory()
    expert = factories.ExpertFactory(user=owner, is_listed=False)
    url = reverse("organisations:expert_detail", args=[expert.pk])
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert reverse("organisations:expert_listing", args=[expert.pk]) in response.text


# --- Writing to an expert -------------------------------------------------------------------------

MESSAGE = {
    "name": "Aigerim Sadykova",
    "email": "aigerim@ngo.example.kz",
    "organisation": "Steppe Volunteers",
    "message": "Could you give a lecture to our volunteers in May?",
}


def test_a_visitor_writes_to_an_expert_and_sees_a_confirmation(client):
    expert = factories.ExpertFactory(full_name="Saule Omarova", contact_email="saule@hidden.example.kz")
    response = client.post(reverse("organisations:expert_message", args=[expert.pk]), MESSAGE)
    assert response.status_code == 200
    assert "Saule Omarova" in response.text
    assert "saule@hidden.example.kz" not in response.text
    assert "organisations/experts/message_sent.html" in [template.name for template in response.templates]
    email = OutboxEmail.objects.get()
    assert email.to == "saule@hidden.example.kz"
    assert "aigerim@ngo.example.kz" in email.body_text
    assert "Could you give a lecture to our volunteers in May?" in email.body_text


def test_a_rejected_message_keeps_everything_typed(client):
    expert = factories.ExpertFactory()
    data = {**MESSAGE, "message": "Too short", "email": "not-an-address"}
    response = client.post(reverse("organisations:expert_message", args=[expert.pk]), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"message", "email"}
    assert 'value="Aigerim Sadykova"' in response.text
    assert "Too short</textarea>" in response.text
    assert 'aria-invalid="true"' in response.text
    assert "error-summary" in response.text
    assert not OutboxEmail.objects.exists()


def test_a_message_longer_than_two_thousand_characters_is_refused(client):
    expert = factories.ExpertFactory()
    response = client.post(
        reverse("organisations:expert_message", args=[expert.pk]), {**MESSAGE, "message": "a" * 2001}
    )
    assert "message" in response.context["form"].errors
    assert not OutboxEmail.objects.exists()


def test_a_robot_filling_the_honeypot_sees_a_confirmation_but_nothing_is_sent(client):
    expert = factories.ExpertFactory()
    response = client.post(
        reverse("organisations:expert_message", args=[expert.pk]), {**MESSAGE, "website": "http://spam.example"}
    )
    assert response.status_code == 200
    assert "organisations/experts/message_sent.html" in [template.name for template in response.templates]
    assert not OutboxEmail.objects.exists()


def test_the_sixth_message_in_an_hour_from_one_address_is_refused_and_kept(client):
    expert = factories.ExpertFactory()
    url = reverse("organisations:expert_message", args=[expert.pk])
    for _ in range(expert_services.VISITOR_MESSAGE_LIMIT):
        assert client.post(url, MESSAGE, REMOTE_ADDR="192.0.2.5").status_code == 200
    response = client.post(url, MESSAGE, REMOTE_ADDR="192.0.2.5")
    assert response.status_code == 429
    assert "Could you give a lecture to our volunteers in May?</textarea>" in response.text
    assert OutboxEmail.objects.count() == expert_services.VISITOR_MESSAGE_LIMIT


def test_a_signed_in_sender_finds_their_name_and_address_filled_in(client):
    user = factories.UserFactory(display_name="Marat", email="marat@example.kz")
    client.force_login(user)
    response = client.get(reverse("organisations:expert_message", args=[factories.ExpertFactory().pk]))
    assert 'value="Marat"' in response.text and 'value="marat@example.kz"' in response.text


# --- Listing oneself ------------------------------------------------------------------------------


def profile_data(**overrides):
    theology = factories.ExpertiseFieldFactory(code="theology")
    data = {
        "full_name": "Dana Abenova",
        "title_en": "Religious scholar",
        "fields": [theology.pk],
        "languages": ["kk", "ru"],
        "regions": [Region.objects.get(code="KZ-71").pk],
        "bio_en": "Lectures on religious literacy.",
        "contact_email": "dana@private.example.kz",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_joining_the_roster_needs_a_sign_in(client):
    response = client.get(reverse("organisations:expert_join"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_without_consent_nobody_is_listed_and_the_form_keeps_what_was_typed(client):
    client.force_login(factories.UserFactory())
    response = client.post(reverse("organisations:expert_join"), profile_data(consent=None))
    assert response.status_code == 400
    assert "consent" in response.context["form"].errors
    assert 'value="Dana Abenova"' in response.text
    assert "Lectures on religious literacy.</textarea>" in response.text
    assert not Expert.objects.exists()


def test_a_person_lists_themselves_and_appears_in_the_roster(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.post(reverse("organisations:expert_join"), profile_data())
    expert = Expert.objects.get()
    assert response.status_code == 302 and response["Location"] == expert.get_absolute_url()
    assert expert.user == user and expert.is_listed
    assert names(client.get(LIST_URL)) == ["Dana Abenova"]
    # Coming back to "join" leads to the profile to edit.
    assert client.get(reverse("organisations:expert_join"))["Location"] == reverse(
        "organisations:expert_edit", args=[expert.pk]
    )


def test_a_member_may_link_their_organisation_but_no_other(client):
    membership = factories.MembershipFactory()
    other = factories.OrganisationFactory()
    client.force_login(membership.user)
    refused = client.post(reverse("organisations:expert_join"), profile_data(organisation=other.pk))
    assert "organisation" in refused.context["form"].errors
    client.post(reverse("organisations:expert_join"), profile_data(organisation=membership.organisation.pk))
    assert Expert.objects.get().organisation == membership.organisation


def test_the_owner_edits_unlists_and_relists_their_profile(client):
    owner = factories.UserFactory()
    expert = factories.ExpertFactory(user=owner, full_name="Old Name")
    client.force_login(owner)
    edit_url = reverse("organisations:expert_edit", args=[expert.pk])
    assert 'value="Old Name"' in client.get(edit_url).text
    response = client.post(edit_url, profile_data(full_name="New Name", consent=None))
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.full_name == "New Name"

    listing_url = reverse("organisations:expert_listing", args=[expert.pk])
    client.post(listing_url, {"listed": "0"})
    assert names(client.get(LIST_URL)) == []
    client.logout()
    assert client.get(expert.get_absolute_url()).status_code == 404
    client.force_login(owner)
    client.post(listing_url, {"listed": "1"})
    assert names(client.get(LIST_URL)) == ["New Name"]


def test_someone_else_cannot_edit_or_unlist_a_profile(client):
    expert = factories.ExpertFactory(user=factories.UserFactory())
    client.force_login(factories.UserFactory())
    assert client.get(reverse("organisations:expert_edit", args=[expert.pk])).status_code == 403
    assert client.post(reverse("organisations:expert_listing", args=[expert.pk]), {"listed": "0"}).status_code == 403
    assert Expert.objects.get(pk=expert.pk).is_listed


# --- Officers -------------------------------------------------------------------------------------


def test_an_officer_adds_an_expert_linked_by_bin_after_confirming_consent(officer_client):
    organisation = factories.OrganisationFactory()
    url = "/en/organisations/experts/add/"
    refused = officer_client.post(url, profile_data(consent=None, organisation=organisation.bin))
    assert "consent" in refused.context["form"].errors
    assert "The expert agreed to be listed publicly" in refused.text
    unknown = officer_client.post(url, profile_data(organisation="000000000000"))
    assert "organisation" in unknown.context["form"].errors
    response = officer_client.post(url, profile_data(organisation=organisation.bin))
    expert = Expert.objects.get()
    assert response.status_code == 302
    assert expert.organisation == organisation and expert.user is None


def test_an_officer_edits_any_profile(officer_client):
    expert = factories.ExpertFactory(user=factories.UserFactory(), organisation=factories.OrganisationFactory())
    url = reverse("organisations:expert_edit", args=[expert.pk])
    assert f'value="{expert.organisation.bin}"' in officer_client.get(url).text
    officer_client.post(url, profile_data(full_name="Corrected", organisation=expert.organisation.bin))
    assert Expert.objects.get(pk=expert.pk).full_name == "Corrected"


def test_citizens_cannot_add_experts(client):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("organisations:expert_add")).status_code == 403


def test_a_nul_character_in_the_filters_is_refused_with_a_clear_page_rather_than_failing(client):
    factories.ExpertFactory(full_name="Anyone")
    response = client.get(LIST_URL + "?q=a%00&field=x%00&region=KZ%00&organisation=%00&language=%00")
    assert response.status_code == 422
    assert "«q»" in response.text or "“q”" in response.text  # the page names the field, in the page's language
    assert names(client.get(LIST_URL + "?q=Any")) == ["Anyone"]


def test_the_profile_page_leads_to_the_roster(client):
    user = factories.UserFactory()
    client.force_login(user)
    profile_page = client.get(reverse("accounts:profile"))
    assert reverse("organisations:expert_join") in profile_page.text
    expert = factories.ExpertFactory(user=user)
    assert expert.get_absolute_url() in client.get(reverse("accounts:profile")).text


def test_an_excluded_organisation_is_not_shown_on_the_roster(client):
    from kelisim.organisations.models import Organisation

    excluded = factories.OrganisationFactory(
        name_en="Excluded NGO", verification_status=Organisation.Verification.EXCLUDED
    )
    expert = factories.ExpertFactory(organisation=excluded)
    assert "Excluded NGO" not in client.get("/en/organisations/experts/").text
    assert "Excluded NGO" not in client.get(f"/en/organisations/experts/{expert.pk}/").text


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("kk", "Сарапшылар мен лекторлар", "Сарапшыларды көрсету"),
        ("ru", "Эксперты и лекторы", "Показать экспертов"),
        ("en", "Experts and lecturers", "Show experts"),
    ],
)
def test_the_roster_speaks_each_language(client, language, heading, button):
    factories.ExpertFactory()
    page = client.get(f"/{language}/organisations/experts/").text
    assert heading in page and button in page
