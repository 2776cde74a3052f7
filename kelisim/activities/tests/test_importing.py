"""The XLSX import's lecturers, partner organisations and contract milestone (kelisim.activities.importing)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kelisim.activities.importing import COLUMN_NAMES, REQUIRED_HEADER, process_job, template_xlsx
from kelisim.activities.models import ActivityReport, ReportImport
from kelisim.activities.tests.factories import OrganisationFactory, member_of, xlsx_of
from kelisim.core.tests.factories import StrandFactory
from kelisim.organisations.models import Expert

pytestmark = pytest.mark.django_db


def _expert(name: str, **fields) -> Expert:
    return Expert.objects.create(full_name=name, contact_email=f"{name.split()[0].lower()}@example.kz", **fields)


def _row(**overrides) -> dict:
    return {
        "activity_type": "lecture",
        "title": "Lecture on media literacy",
        "start_date": "2026-03-12",
        "region": "KZ-31",
        "venue_type": "school",
        "strand": "youth",
        "female_14_18": 10,
        "male_14_18": 8,
    } | overrides


def _import(organisation, rows, *, columns=COLUMN_NAMES) -> ReportImport:
    job = ReportImport.objects.create(
        organisation=organisation, created_by=member_of(organisation), original_name="reports.xlsx"
    )
    job.source.save("reports.xlsx", ContentFile(xlsx_of(rows, columns)))
    job = process_job(job.pk)
    if job.status == ReportImport.Status.PREVIEW:  # checked and previewed; the person confirms, then it is written
        ReportImport.objects.filter(pk=job.pk).update(status=ReportImport.Status.CONFIRMED, confirmed_at=timezone.now())
        job = process_job(job.pk)
    return job


@pytest.fixture
def world():
    from kelisim.funding.tests.factories import officer, open_call, signed_contract, verified_organisation

    StrandFactory(code="youth")
    organisation = verified_organisation()
    actor = officer()
    call = open_call(actor=actor)
    contract = signed_contract(actor=actor, call=call, organisation=organisation, milestones=2)
    other_contract = signed_contract(actor=actor, call=call, milestones=1)
    return {
        "organisation": organisation,
        "contract": contract,
        "other_contract": other_contract,
        "theologian": _expert("Aigerim Theologian"),
        "speaker": _expert("Daniyar Speaker"),
        "partner": OrganisationFactory(bin="010140000014"),  # a BIN with a leading zero
        "second_partner": OrganisationFactory(),
    }


def test_a_valid_file_links_lecturers_partners_and_the_milestone(world):
    contract = world["contract"]
    theologian, speaker = world["theologian"], world["speaker"]
    rows = [
        _row(
            title="With everything",
            lecturers=f"{theologian.pk}; {speaker.pk};{theologian.pk}",
            partners=f"010140000014;{world['second_partner'].bin}",
            milestone=f"{contract.number.lower()}/2",
        ),
        # One lecturer and one BIN typed into number cells: the BIN lost its leading zero on the way.
        _row(title="Number cells", lecturers=speaker.pk, partners=10140000014, milestone=f"{contract.number} / 1"),
        _row(title="Without links"),
    ]
    job = _import(world["organisation"], rows)
    assert (job.status, job.created_count) == ("done", 3), job.errors
    reports = {report.title: report for report in ActivityReport.objects.prefetch_related("lecturers", "partners")}
    full = reports["With everything"]
    assert set(full.lecturers.all()) == {theologian, speaker}
    assert set(full.partners.all()) == {world["partner"], world["second_partner"]}
    assert full.milestone == contract.milestones.get(position=2)
    numbers = reports["Number cells"]
    assert list(numbers.lecturers.all()) == [speaker]
    assert list(numbers.partners.all()) == [world["partner"]]
    assert numbers.milestone == contract.milestones.get(position=1)
    bare = reports["Without links"]
    assert (bare.lecturers.count(), bare.partners.count(), bare.milestone) == (0, 0, None)


def test_errors_name_the_row_and_column_and_nothing_is_imported(world):
    contract, other = world["contract"], world["other_contract"]
    rows = [
        _row(lecturers=str(world["theologian"].pk)),  # row 2: valid
        _row(lecturers=f"{world['theologian'].pk};99999"),  # row 3: no such expert
        _row(lecturers="Aigerim"),  # row 4: a name, not an ID
        _row(partners="12345"),  # row 5: not a BIN
        _row(partners="990240004560"),  # row 6: a BIN nobody registered
        _row(milestone=f"{other.number}/1"),  # row 7: another organisation's contract
        _row(milestone=f"{contract.number}/7"),  # row 8: no such milestone
        _row(milestone="KLS-1999-999-999/1"),  # row 9: no such contract
        _row(milestone="Stage 1"),  # row 10: not contract/number
    ]
    job = _import(world["organisation"], rows)
    assert job.status == "rejected"
    assert not ActivityReport.objects.exists()
    found = {(error["row"], error["column"]): error["message"] for error in job.errors}
    assert set(found) == {
        (3, "Y lecturers"),
        (4, "Y lecturers"),
        (5, "Z partners"),
        (6, "Z partners"),
        (7, "AA milestone"),
        (8, "AA milestone"),
        (9, "AA milestone"),
        (10, "AA milestone"),
    }
    assert found[(3, "Y lecturers")] == "No expert on the roster has the ID 99999."
    assert "not an expert's ID" in found[(4, "Y lecturers")]
    assert found[(5, "Z partners")] == "“12345” is not a BIN (12 digits)."
    assert found[(6, "Z partners")] == "No organisation in the registry has the BIN 990240004560."
    assert found[(7, "AA milestone")] == "This milestone belongs to another organisation's contract."
    assert found[(8, "AA milestone")] == f"Contract {contract.number} has no milestone number 7."
    assert "no contract numbered" in found[(9, "AA milestone")]
    assert "a slash and the milestone's number" in found[(10, "AA milestone")]


def test_errors_are_reported_in_the_uploaders_language(world):
    from django.utils import translation

    with translation.override("ru"):
        job = _import(world["organisation"], [_row(partners="12345")])
    [error] = job.errors
    assert error["column"] == "Z partners" and "БИН" in error["message"]


def test_a_file_from_the_earlier_template_without_the_new_columns_still_imports(world):
    job = _import(world["organisation"], [_row()], columns=REQUIRED_HEADER)
    assert (job.status, job.created_count) == ("done", 1)


def test_the_template_explains_the_columns_and_lists_lecturers_and_the_organisations_milestones(world):
    _expert("Hidden Expert", is_listed=False)
    workbook = load_workbook(io.BytesIO(template_xlsx(organisation=world["organisation"])))
    assert [cell.value for cell in workbook["reports"][1]][-3:] == ["lecturers", "partners", "milestone"]
    codes = {(row[0], str(row[1])): row[2] for row in workbook["codes"].iter_rows(values_only=True)}
    assert codes[("lecturers", str(world["theologian"].pk))] == "Aigerim Theologian"
    assert not any(meaning == "Hidden Expert" for meaning in codes.values())
    number = world["contract"].number
    assert codes[("milestone", f"{number}/1")] == "Stage 1" and ("milestone", f"{number}/2") in codes
    assert not any(key == ("milestone", f"{world['other_contract'].number}/1") for key in codes)
    helps = {row[0]: row[2] for row in workbook["help"].iter_rows(values_only=True)}
    assert "semicolons" in helps["lecturers"] and "BIN" in helps["partners"] and "/2" in helps["milestone"]


def test_the_report_form_shows_milestones_with_the_code_the_import_takes(world):
    from kelisim.activities.forms import ReportForm

    form = ReportForm(organisation=world["organisation"])
    labels = [label for _value, label in form.fields["milestone"].choices]
    assert f"{world['contract'].number}/2: Stage 2" in labels


def test_an_organisations_template_lists_its_own_milestone_codes(client, world):
    client.force_login(member_of(world["organisation"]))
    upload_page = client.get(reverse("activities:import_upload", args=[world["organisation"].pk])).content.decode()
    link = f"{reverse('activities:import_template')}?organisation={world['organisation'].pk}"
    assert link in upload_page
    workbook = load_workbook(io.BytesIO(client.get(link).content))
    codes = {row[1] for row in workbook["codes"].iter_rows(values_only=True) if row[0] == "milestone"}
    assert codes == {f"{world['contract'].number}/1", f"{world['contract'].number}/2"}  # not the other contract's
    other = (
        reverse("activities:import_template") + f"?organisation={world['other_contract'].application.organisation_id}"
    )
    assert client.get(other).status_code == 403
    assert client.get(reverse("activities:import_template") + "?organisation=x").status_code == 404


def test_a_cell_longer_than_the_reports_field_is_refused_not_cut(world):
    """Issue 18, finding 7: the import stored any description and cut a long settlement without a word."""
    limit = ActivityReport._meta.get_field("description").max_length
    job = _import(world["organisation"], [_row(description="d" * (limit + 1)), _row(settlement="s" * 201)])
    assert job.status == "rejected"
    assert not ActivityReport.objects.exists()
    messages = {error["row"]: (error["column"], error["message"]) for error in job.errors}
    assert messages[2][0].endswith("description") and f"At most {limit} characters" in messages[2][1]
    assert messages[3][0].endswith("settlement") and "At most 200 characters" in messages[3][1]
