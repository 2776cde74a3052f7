"""Reports through the form, the report page and the officers' queue (kelisim.activities.views.reports)."""

import pytest
from django.urls import reverse

from kelisim.activities.models import ATTENDANCE_FIELDS, ActivityReport, ReportStatus
from kelisim.activities.tests.factories import (
    OrganisationFactory,
    ReportFactory,
    member_of,
    staff_officer,
    verified_report,
)
from kelisim.core.models import Region
from kelisim.core.tests.factories import StrandFactory

pytestmark = pytest.mark.django_db


def _form_data(strand, region_code: str, **fields) -> dict:
    """The report form's fields on 10 February 2026, every count 0 unless ``fields`` say otherwise."""
    zeros = dict.fromkeys((*ATTENDANCE_FIELDS, "online_posts", "online_views", "online_shares"), "0")
    where = {"region": Region.objects.get(code=region_code).pk, "strand": strand.pk}
    return zeros | where | {"start_date": "2026-02-10", "end_date": "2026-02-10"} | fields


def test_member_creates_and_submits_a_report_through_the_form(client):
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    strand = StrandFactory(code="youth")
    data = _form_data(
        strand,
        "KZ-33",
        activity_type="meeting",
        title="Meeting in a college",
        end_date="2026-02-09",
        venue_type="college",
        audience_list=["working_youth"],
        languages=["kk"],
        female_19_29="6",
        male_19_29="5",
        submit="1",
    )
    response = client.post(reverse("activities:report_create", args=[organisation.pk]), data)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert 'value="Meeting in a college"' in response.content.decode()  # nothing typed is lost
    data["end_date"] = "2026-02-10"
    response = client.post(reverse("activities:report_create", args=[organisation.pk]), data)
    report = ActivityReport.objects.get()
    assert response.url == reverse("activities:report", args=[report.pk])
    assert (report.status, report.participants, report.audiences) == ("submitted", 11, "working_youth")


def test_the_form_names_partners_by_bin_and_offers_only_listed_experts(client):
    from kelisim.organisations.models import Expert

    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    strand = StrandFactory(code="youth")
    listed = Expert.objects.create(full_name="Aigerim Listed", contact_email="a@example.kz")
    unlisted = Expert.objects.create(full_name="Bolat Private", contact_email="b@example.kz", is_listed=False)
    partner = OrganisationFactory(bin="010140000014")
    url = reverse("activities:report_create", args=[organisation.pk])
    page = client.get(url).content.decode()
    assert "Aigerim Listed" in page and "Bolat Private" not in page
    data = _form_data(
        strand,
        "KZ-31",
        activity_type="lecture",
        title="Lecture with partners",
        venue_type="school",
        lecturers=[listed.pk],
        partners="010140000014; 99",
    )
    refused = client.post(url, data).content.decode()
    assert "“99” is not a BIN (12 digits)." in refused and 'value="010140000014; 99"' in refused
    assert client.post(url, {**data, "lecturers": [unlisted.pk], "partners": ""}).status_code == 200  # not a choice
    saved = client.post(url, {**data, "partners": "010140000014"})
    assert saved.status_code == 302, saved.context["form"].errors
    report = ActivityReport.objects.get()
    assert list(report.partners.all()) == [partner] and list(report.lecturers.all()) == [listed]
    edit = client.get(reverse("activities:report_edit", args=[report.pk])).content.decode()
    assert 'value="010140000014"' in edit


def test_report_page_hides_names_fields_and_small_cells_from_the_public(client):
    report = verified_report(female_14_18=3, male_14_18=12, female_30plus=0)
    page = client.get(reverse("activities:report", args=[report.pk])).content.decode()
    assert "&lt;5" in page and ">3<" not in page
    draft = ReportFactory()
    assert client.get(reverse("activities:report", args=[draft.pk])).status_code == 404


def test_officer_verifies_from_the_queue(client):
    reports = [ReportFactory(status=ReportStatus.SUBMITTED) for _ in range(3)]
    client.force_login(staff_officer())
    client.post(reverse("activities:queue"), {"report": [reports[0].pk, reports[1].pk]})
    assert sorted(ActivityReport.objects.values_list("status", flat=True)) == ["submitted", "verified", "verified"]


def test_the_queue_shows_fifty_a_page_and_its_total_follows_each_verification(client):
    reports = [ReportFactory(status=ReportStatus.SUBMITTED) for _ in range(51)]
    client.force_login(staff_officer())
    page = client.get(reverse("activities:queue"))
    assert (page.context["page_obj"].paginator.count, page.content.decode().count('name="report"')) == (51, 50)
    client.post(reverse("activities:queue"), {"report": [reports[0].pk]})
    assert client.get(reverse("activities:queue")).context["page_obj"].paginator.count == 50


def test_the_queue_rows_are_kept_for_every_officer_and_show_each_change_at_once(django_assert_max_num_queries):
    from django.test import Client

    first = ReportFactory(status=ReportStatus.SUBMITTED, title="Talk in a college")
    readers = Client(), Client()
    for reader in readers:
        reader.force_login(staff_officer())
    assert "Talk in a college" in readers[0].get(reverse("activities:queue")).content.decode()
    with django_assert_max_num_queries(10) as again:
        assert "Talk in a college" in readers[1].get(reverse("activities:queue")).content.decode()
    assert not [query for query in again.captured_queries if 'FROM "activities_activityreport"' in query["sql"]]
    ReportFactory(status=ReportStatus.SUBMITTED, title="Football in a village")
    readers[0].post(reverse("activities:queue"), {"report": [first.pk]})
    page = readers[1].get(reverse("activities:queue")).content.decode()
    assert "Football in a village" in page and "Talk in a college" not in page


def test_the_first_report_to_reach_an_empty_queue_shows_at_once(client):
    client.force_login(staff_officer())
    assert "Nothing is waiting for verification." in client.get(reverse("activities:queue")).content.decode()
    ReportFactory(status=ReportStatus.SUBMITTED, title="Talk in a college")
    page = client.get(reverse("activities:queue")).content.decode()
    assert "Talk in a college" in page and "Nothing is waiting" not in page


def test_a_megabyte_description_is_refused_by_the_report_form(client):
    """Issue 18, finding 7: the report form took a 1 MB description."""
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    data = _form_data(
        StrandFactory(code="youth"),
        "KZ-33",
        activity_type="meeting",
        title="Meeting in a college",
        venue_type="college",
        description="d" * 1_000_000,
    )
    response = client.post(reverse("activities:report_create", args=[organisation.pk]), data)
    assert response.status_code == 200
    limit = ActivityReport._meta.get_field("description").max_length
    assert f"at most {limit} characters" in str(response.context["form"].errors["description"])
    assert not ActivityReport.objects.exists()


def test_the_queue_rows_link_each_report_and_escape_its_title(client):
    report = ReportFactory(status=ReportStatus.SUBMITTED, title="<i>Talk</i> & games")
    client.force_login(staff_officer())
    page = client.get(reverse("activities:queue")).content.decode()
    link = reverse("activities:report", args=[report.pk])
    assert f'<a href="{link}">&lt;i&gt;Talk&lt;/i&gt; &amp; games</a>' in page and "<i>Talk</i>" not in page
    assert f'<input type="checkbox" name="report" value="{report.pk}" id="report-{report.pk}"' in page
    assert str(report.organisation) in page and str(report.region) in page
