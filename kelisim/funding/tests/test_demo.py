import pytest
from django.core.management import call_command

from kelisim.funding import rules
from kelisim.funding.models import MIN_REVIEWERS, Application, Call, Contract, ReviewAssignment
from kelisim.funding.selectors import overdue_milestones

pytestmark = pytest.mark.django_db


def test_demo_loads_the_2017_call_and_is_idempotent():
    call_command("load_demo", "--quiet-signins", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call = Call.objects.get(reference="2017-youth-regions")
    assert call.applications.exclude(status=Application.Status.DRAFT).count() == 3
    awarded = set(Contract.objects.values_list("application__organisation__name_en", flat=True))
    assert awarded == {"KazakhStan for Peace youth movement", "Accord"}
    assert ReviewAssignment.objects.filter(automatic_conflict=True).count() == 1
    decided = call.applications.filter(status__in=[Application.Status.APPROVED, Application.Status.REJECTED])
    assert decided.count() == 3
    assert all(rules.submitted_review_count(application) >= MIN_REVIEWERS for application in decided)
    assert set(ReviewAssignment.objects.values_list("reviewer_name", flat=True)) == {
        "Rustem Reviewer",
        "Saule Reviewer",
        "Bolat Reviewer",
    }
    assert overdue_milestones().exists()
    # The budget table is the call's second question, and each submitted application filled it in.
    assert [question.kind for question in call.questions.all()] == ["long_text", "budget"]
    assert all(
        application.budget_lines.exists() for application in call.applications.exclude(status=Application.Status.DRAFT)
    )
    assert set(call.applications.values_list("organisation__kind", flat=True)) == {"ngo"}  # and one draft among them
    assert call.applications.filter(status=Application.Status.DRAFT).count() == 1
    counts = (Call.objects.count(), Application.objects.count(), Contract.objects.count())
    call_command("load_demo", "--quiet-signins", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Call.objects.count(), Application.objects.count(), Contract.objects.count()) == counts


def test_demo_releases_are_dated_when_things_happened():
    """Each step of the 2017 story is a release dated on its day; nothing in a release happened after it."""
    from datetime import datetime

    from kelisim.funding.models import Release

    call_command("load_demo", "--quiet-signins", stdout=open("/dev/null", "w"))  # noqa: SIM115
    kfp = Contract.objects.get(application__organisation__name_en="KazakhStan for Peace youth movement")
    releases = list(Release.objects.filter(contract=kfp).order_by("sequence"))
    assert [r.tag for r in releases] == [
        ["tender", "award", "contract"],
        ["implementation"],
        ["implementationUpdate"],
        ["implementationUpdate"],
        ["contractAmendment"],
    ]
    assert [r.date.date().isoformat() for r in releases] == [
        "2017-05-29",
        "2017-06-01",
        "2017-07-20",
        "2017-10-02",
        "2017-10-16",
    ]
    for release in Release.objects.all():
        data, day = release.data, datetime.fromisoformat(release.data["date"])
        contract = data["contracts"][0]
        happened = [data["awards"][0]["date"], contract["dateSigned"]]
        happened += [m["dateMet"] for m in contract["milestones"] if m["dateMet"]]
        happened += [a["date"] for a in contract.get("amendments", [])]
        assert all(datetime.fromisoformat(when) <= day for when in happened), release.release_id
