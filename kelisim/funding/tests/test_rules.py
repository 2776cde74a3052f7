"""Eligibility of an organisation for a call (funding/rules.py)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kelisim.core.models import Region
from kelisim.funding import rules
from kelisim.funding.tests import factories
from kelisim.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_eligibility_reasons_are_specific():
    call = factories.open_call(min_years_registered=5)
    call.eligible_regions.set([Region.objects.get(code="KZ-31")])
    organisation = factories.verified_organisation(registration_date=timezone.localdate() - timedelta(days=400))
    organisation.verification_status = Organisation.Verification.UNVERIFIED
    problems = rules.eligibility_problems(call, organisation)
    assert len(problems) == 3
    assert any("verified" in problem for problem in problems)
    assert any("5 years" in problem for problem in problems)


def test_excluded_organisation_is_never_eligible():
    call = factories.open_call(require_verified=False)
    organisation = factories.verified_organisation(verification_status=Organisation.Verification.EXCLUDED)
    assert "excluded" in rules.eligibility_problems(call, organisation)[0]


def test_a_government_body_cannot_apply():
    call = factories.open_call(require_verified=False)
    office = factories.verified_organisation(kind=Organisation.Kind.GOVERNMENT)
    assert rules.eligibility_problems(call, office) == [
        "Calls fund non-governmental organisations: a government body cannot apply."
    ]
    assert rules.eligibility_problems(call, factories.verified_organisation()) == []


def test_registration_year_falls_back_to_the_bin():
    organisation = factories.verified_organisation(registration_date=None)
    # Test BINs start with 1501: registered in January 2015.
    assert rules.registered_on(organisation) == date(2015, 1, 1)
