import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kelisim.core.models import Region
from kelisim.core.tests.factories import StrandFactory
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.organisations.importing import columns as import_columns
from kelisim.organisations.models import ImportJob, Membership, Organisation
from kelisim.organisations.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    user = factories.officer()
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXPWORLDAAA")
    client.force_login(user)
    client.user = user
    return client


def signed_in(client, user=None):
    user = user or factories.UserFactory()
    client.force_login(user)
    return user


# --- Public list -----------------------------------------------------------------------------------


def test_list_searches_filters_and_counts(client):
    youth = StrandFactory(code="youth")
    factories.OrganisationFactory(name_en="Steppe Volunteers", verification_status="verified", strands=[youth])
    factories.OrganisationFactory(name_en="Steppe Riders", region=Region.objects.get(code="KZ-75"))
    factories.OrganisationFactory(name_en="Harmony", verification_status="excluded")
    response = client.get(reverse("organisations:list"), {"q": "steppe", "verified": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    names = [organisation.name_en for organisation in response.context["organisations"]]
    assert names == ["Steppe Volunteers"]
    assert response.context["page_obj"].paginator.count == 1
    names = [o.name_en for o in client.get(reverse("organisations:list"), {"region": "KZ-75"}).context["organisations"]]
    assert names == ["Steppe Riders"]
    names = [o.name_en for o in client.get(reverse("organisations:list"), {"strand": "youth"}).context["organisations"]]
    assert names == ["Steppe Volunteers"]
    all_names = [o.name_en for o in client.get(reverse("organisations:list")).context["organisations"]]
    assert "Harmony" not in all_names  # excluded organisations are not listed


def test_list_sorts_and_paginates(client):
    for letter in "CAB":
        factories.OrganisationFactory(name_en=f"{letter} NGO", name_ru="", name_kk="")
    url = "/en" + reverse("organisations:list")[3:]
    names = [o.name_en for o in client.get(url, {"sort": "-name"}).context["organisations"]]
    assert names == ["C NGO", "B NGO", "A NGO"]
    factories.OrganisationFactory.create_batch(30)
    page_two = client.get(url, {"page": 2})
    assert len(page_two.context["organisations"]) == 8
    assert b'rel="prev"' in page_two.content


def test_htmx_requests_get_only_the_results(client):
    factories.OrganisationFactory(name_en="Harmony")
    response = client.get(
        reverse("organisations:list"), {"q": "harm"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="organisation-results"
    )
    assert b"<html" not in response.content and b"Harmony" in response.content


def test_list_page_queries_do_not_grow(client):
    youth = StrandFactory(code="youth")

    def many():
        region = Region.objects.get(code="KZ-11")
        created = Organisation.objects.bulk_create(
            [
                Organisation(
                    bin=factories.valid_bin(40_000 + n), name_en=f"Bulk {n}", legal_form="other", region=region
                )
                for n in range(300)
            ]
        )
        Organisation.focus_strands.through.objects.bulk_create(
            [Organisation.focus_strands.through(organisation_id=o.pk, strand_id=youth.pk) for o in created]
        )

    factories.OrganisationFactory.create_batch(3, strands=[youth])
    url = reverse("organisations:list")
    assert_queries_do_not_grow(client, url, add_data=many, limit=10)
    assert_queries_do_not_grow(client, f"{url}?q=bulk&strand=youth&verified=", add_data=many_more(youth), limit=10)


def many_more(strand):
    def add():
        factories.OrganisationFactory.create_batch(30, name_en="Bulk again", strands=[strand])

    return add


def test_detail_page_queries_do_not_grow(client):
    organisation = factories.OrganisationFactory(strands=[StrandFactory(code="youth"), StrandFactory(code="prisons")])
    admin = factories.MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    url = reverse("organisations:detail", args=[organisation.pk])
    assert_queries_do_not_grow(
        client, url, add_data=lambda: factories.MembershipFactory.create_batch(20, organisation=organisation), limit=10
    )
    client.force_login(admin)
    assert_queries_do_not_grow(
        client, url, add_data=lambda: factories.MembershipFactory.create_batch(20, organisation=organisation), limit=10
    )


# --- Detail and privacy ------------------------------------------------------------------------


def test_private_contacts_only_for_the_organisations_admins(client):
    organisation = factories.OrganisationFactory(
        private_email="secret@ngo.example.kz", public_email="hello@ngo.example.kz"
    )
    url = reverse("organisations:detail", args=[organisation.pk])
    for user in (None, factories.UserFactory(), factories.MembershipFactory(organisation=organisation).user):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert b"hello@ngo.example.kz" in response.content
        assert b"secret@ngo.example.kz" not in response.content
    client.force_login(factories.MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user)
    assert b"secret@ngo.example.kz" in client.get(url).content


def test_detail_shows_the_members_count_and_badge(client):
    organisation = factories.OrganisationFactory(verification_status="verified")
    factories.MembershipFactory.create_batch(2, organisation=organisation)
    factories.MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    response = client.get(reverse("organisations:detail", args=[organisation.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["organisation"].members_count == 2
    assert b"badge-ok" in response.content


def test_export_streams_public_columns_of_the_filtered_list(client):
    factories.OrganisationFactory(name_en="Harmony", private_email="secret@ngo.example.kz")
    factories.OrganisationFactory(name_en="Mentors")
    response = client.get(reverse("organisations:export"), {"q": "harmony"})
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["name_en"] for row in rows] == ["Harmony"]
    assert "secret" not in body and "private_email" not in rows[0]


# --- Registering and editing ---------------------------------------------------------------------


def registration(**overrides):
    data = {
        "bin": factories.valid_bin(60_001),
        "name_ru": "Свет знаний",
        "legal_form": "public_foundation",
        "region": "",
    }
    data["region"] = Region.objects.get(code="KZ-71").pk
    data.update(overrides)
    return data


def test_registering_an_organisation(client):
    user = signed_in(client)
    response = client.post(reverse("organisations:register"), registration(working_languages=["kk", "ru"]))
    organisation = Organisation.objects.get(bin=factories.valid_bin(60_001))
    assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
    assert organisation.working_languages == "kk,ru"
    assert Membership.objects.get(organisation=organisation).user == user


@pytest.mark.parametrize(
    ("bin_number", "message"),
    [("12345", "exactly 12 digits"), ("wrong-check", "check digit"), ("registered", "already registered")],
)
def test_registration_bin_errors_are_specific_and_keep_the_input(client, bin_number, message):
    signed_in(client)
    if bin_number == "wrong-check":
        good = factories.valid_bin(60_002)
        bin_number = good[:-1] + str((int(good[-1]) + 1) % 10)
    if bin_number == "registered":
        bin_number = factories.OrganisationFactory().bin
    response = client.post(
        "/en" + reverse("organisations:register")[3:], registration(bin=bin_number, name_en="Typed name")
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["bin"])
    assert b'value="Typed name"' in response.content
    assert b"error-summary" in response.content


def test_an_admin_edits_and_a_rejected_form_keeps_the_input(client):
    organisation = factories.OrganisationFactory()
    signed_in(client, factories.MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user)
    url = reverse("organisations:edit", args=[organisation.pk])
    data = {"name_en": "Kept", "legal_form": organisation.legal_form, "region": "", "website": "not a url"}
    response = client.post(url, data)
    assert response.status_code == 200 and b'value="Kept"' in response.content
    data.update(region=organisation.region_id, website="https://new.example.kz")
    assert client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name_en, organisation.website) == ("Kept", "https://new.example.kz")


def test_a_plain_member_cannot_edit(client):
    organisation = factories.OrganisationFactory()
    signed_in(client, factories.MembershipFactory(organisation=organisation).user)
    assert client.get(reverse("organisations:edit", args=[organisation.pk])).status_code == 403


# --- Members ----------------------------------------------------------------------------------------


def test_join_approve_and_change_role_through_the_pages(client):
    organisation = factories.OrganisationFactory()
    admin = factories.MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    person = signed_in(client)
    client.post(reverse("organisations:join", args=[organisation.pk]))
    membership = Membership.objects.get(user=person, organisation=organisation)
    assert membership.status == Membership.Status.PENDING
    client.force_login(admin)
    assert str(person).encode() in client.get(reverse("organisations:members", args=[organisation.pk])).content
    client.post(
        reverse("organisations:membership_decide", args=[organisation.pk, membership.pk]), {"decision": "approve"}
    )
    client.post(reverse("organisations:membership_role", args=[organisation.pk, membership.pk]), {"role": "admin"})
    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("active", "admin")


def test_the_admin_is_mailed_a_request_and_follows_the_link_to_decide(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = factories.OrganisationFactory(name_en="Path of Peace")
    admin = factories.MembershipFactory(
        organisation=organisation, role=Membership.Role.ADMIN, user=factories.UserFactory(preferred_language="en")
    ).user
    person = signed_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organisations:join", args=[organisation.pk]))
    [message] = mailoutbox
    assert message.to == [admin.email] and message.subject == f"{person} asks to join Path of Peace"
    link = next(line for line in message.body.splitlines() if line.startswith("http"))
    client.force_login(admin)
    page = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert f"Approve {person}" in page.text

    membership = Membership.objects.get(user=person, organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organisations:membership_decide", args=[organisation.pk, membership.pk]), {"decision": "decline"}
        )
    assert mailoutbox[-1].to == [person.email]
    assert f"http://127.0.0.1:8000/{person.preferred_language}/organisations/{organisation.pk}/" in mailoutbox[-1].body


def test_removing_the_last_admin_is_explained(client):
    membership = factories.MembershipFactory(role=Membership.Role.ADMIN)
    signed_in(client, membership.user)
    response = client.post(
        reverse("organisations:membership_remove", args=[membership.organisation_id, membership.pk]), follow=True
    )
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "at least one admin" in " ".join(str(m) for m in response.context["messages"])


def test_profile_lists_my_organisations_and_requests_to_decide(client):
    membership = factories.MembershipFactory(role=Membership.Role.ADMIN, organisation__name_en="My NGO")
    applicant = factories.MembershipFactory(organisation=membership.organisation, status=Membership.Status.PENDING).user
    signed_in(client, membership.user)
    content = client.get("/en/accounts/profile/").content.decode()
    assert "My NGO" in content and str(applicant) in content


# --- Officers ---------------------------------------------------------------------------------------


def test_officers_see_join_requests_that_no_admin_can_answer_and_decide_them(officer_client):
    from kelisim.accounts.models import User

    unmanaged = factories.OrganisationFactory(name_en="Nobody manages us")
    managed = factories.OrganisationFactory(name_en="We have an admin")
    factories.MembershipFactory(organisation=managed, role=Membership.Role.ADMIN)
    asking = factories.MembershipFactory(organisation=unmanaged, status=Membership.Status.PENDING)
    factories.MembershipFactory(organisation=managed, status=Membership.Status.PENDING)  # its admin answers it
    factories.MembershipFactory(organisation=unmanaged, status=Membership.Status.DECLINED)
    page = officer_client.get(reverse("organisations:join_requests")).content.decode()
    table = page[page.index('data-testid="join-requests"') :]
    assert str(asking.user) in table and "Nobody manages us" in table
    assert "We have an admin" not in table and table.count("<tr>") == 2  # header and the one request
    assert reverse("organisations:members", args=[unmanaged.pk]) in table
    officer_client.post(
        reverse("organisations:membership_decide", args=[unmanaged.pk, asking.pk]), {"decision": "approve"}
    )
    officer_client.post(reverse("organisations:membership_role", args=[unmanaged.pk, asking.pk]), {"role": "admin"})
    assert "No request is waiting" in officer_client.get(reverse("organisations:join_requests")).content.decode()
    assert User.objects.get(pk=asking.user_id).memberships.get(organisation=unmanaged).role == "admin"


def test_the_join_request_queue_queries_do_not_grow(officer_client):
    def more():
        for _ in range(5):
            factories.MembershipFactory(organisation=factories.OrganisationFactory(), status=Membership.Status.PENDING)

    more()
    assert_queries_do_not_grow(officer_client, reverse("organisations:join_requests"), add_data=more, limit=12)


def test_officer_verifies_and_reads_the_history(officer_client):
    organisation = factories.OrganisationFactory()
    url = reverse("organisations:verify", args=[organisation.pk])
    response = officer_client.post(url, {"status": "rejected", "note": ""})
    assert response.status_code == 200 and response.context["form"].errors["note"]
    officer_client.post(url, {"status": "verified", "note": "Checked the state registry"})
    organisation.refresh_from_db()
    assert organisation.is_verified
    history = officer_client.get(reverse("organisations:history", args=[organisation.pk]))
    assert b"Checked the state registry" in history.content
    assert str(officer_client.user).encode() in history.content


def test_upload_page_documents_columns_and_offers_templates(officer_client):
    response = officer_client.get(reverse("organisations:import_upload"))
    for column in import_columns.COLUMN_NAMES:
        assert f"<code>{column}</code>".encode() in response.content
    csv_template = officer_client.get(reverse("organisations:import_template", args=["csv"]))
    assert csv_template.content.decode("utf-8-sig").startswith("bin,")
    xlsx_template = officer_client.get(reverse("organisations:import_template", args=["xlsx"]))
    assert xlsx_template.content[:2] == b"PK"


def test_upload_runs_the_import_and_the_job_page_reports(officer_client, django_capture_on_commit_callbacks):
    StrandFactory(code="youth")
    content = "bin,name_ru,legal_form,region\n" + f"{factories.valid_bin(3)},НПО,nonsense,KZ-71\n"
    content += f"{factories.valid_bin(4)},НПО четыре,public_association,KZ-71\n"
    upload = SimpleUploadedFile("registry.csv", content.encode("utf-8"))
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("organisations:import_upload"), {"source": upload, "mode": "valid_rows"})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("organisations:import_detail", args=[job.pk])
    page = officer_client.get(response["Location"])
    assert page.status_code == 200
    assert b"<code>legal_form</code>" in page.content
    assert b'http-equiv="refresh"' not in page.content  # checked: no more refreshing
    # Nothing is written before the officer confirms what the preview shows.
    assert "1 organisation to add" in page.content.decode() and not Organisation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("organisations:import_decide", args=[job.pk]), {"decision": "confirm"})
    assert Organisation.objects.filter(bin=factories.valid_bin(4)).exists()


def test_a_running_job_page_refreshes_itself(officer_client):
    job = ImportJob.objects.create(created_by=officer_client.user, original_name="a.csv", source="imports/a.csv")
    page = officer_client.get(reverse("organisations:import_detail", args=[job.pk]))
    assert b'http-equiv="refresh"' in page.content and b'hx-trigger="every 1s"' in page.content
    partial = officer_client.get(reverse("organisations:import_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b'id="import-status"' in partial.content


def test_upload_refuses_other_file_types(officer_client):
    upload = SimpleUploadedFile("registry.pdf", b"%PDF")
    response = officer_client.post(reverse("organisations:import_upload"), {"source": upload, "mode": "valid_rows"})
    assert response.status_code == 200 and response.context["form"].errors["source"]
    assert not ImportJob.objects.exists()


def test_a_megabyte_description_is_refused_with_a_message_and_the_input_kept(client):
    """Issue 18, finding 7: the profile form took a 1 MB description."""
    organisation = factories.OrganisationFactory(description_en="Before")
    signed_in(client, factories.MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user)
    url = reverse("organisations:edit", args=[organisation.pk])
    limit = Organisation._meta.get_field("description_en").max_length
    data = {
        "name_en": "Kept",
        "legal_form": organisation.legal_form,
        "region": organisation.region_id,
        "description_en": "a" * 1_000_000,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"at most {limit} characters" in str(response.context["form"].errors["description_en"])
    assert b'value="Kept"' in response.content
    organisation.refresh_from_db()
    assert organisation.description_en == "Before"
    data["description_en"] = "a" * limit
    assert client.post(url, data).status_code == 302
