"""Schemathesis over the whole published schema: no input, valid or not, may make the API fail, and every
answer has a status the operation declares (``status_code_conformance``: the schema is the contract).

Every operation in /api/v1/openapi.json gets up to ``EXAMPLES_PER_OPERATION`` generated requests
(valid ones, and invalid ones that must be refused cleanly), run through Django's WSGI application
against a test database holding a small registry. Derandomised, so a run is reproducible.
"""

import contextlib

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import status_code_conformance

from kelisim.api.tests.helpers import make_token
from kelisim.core.models import Region
from kelisim.core.tests.factories import StrandFactory
from kelisim.organisations.models import Membership, Organisation
from kelisim.organisations.tests.expert_factories import (
    ExpertFactory,
    ExpertiseFieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from kelisim.wsgi import application

EXAMPLES_PER_OPERATION = 25

# Loading the schema needs no database: ninja builds it from the routers.
SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture
def connection_kept_open():
    """Requests go straight to the WSGI handler, whose request signals would close the database
    connection (and so end the test's transaction on PostgreSQL); Django's test client avoids
    this the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def small_registry(connection_kept_open):
    youth = StrandFactory(code="youth", name_en="Youth")
    prisons = StrandFactory(code="prisons", name_en="Prisons")
    verified = OrganisationFactory(
        region=Region.objects.get(code="KZ-75"), verification_status=Organisation.Verification.VERIFIED
    )
    verified.focus_strands.set([youth, prisons])
    OrganisationFactory(verification_status=Organisation.Verification.EXCLUDED)
    theology = ExpertiseFieldFactory(code="theology", name_en="Theology", name_ru="Теология")
    aliya = ExpertFactory(full_name="Aliya Nurpeisova", fields=[theology], organisation=verified, languages="kk,ru")
    ExpertFactory(full_name="Serik Abenov", fields=[theology], languages="en")
    ExpertFactory(full_name="Unlisted", is_listed=False)
    owner = UserFactory()
    MembershipFactory(user=owner, organisation=verified, role=Membership.Role.ADMIN)
    return {
        "token": make_token(owner),
        # Path values that exist, so that detail operations are also exercised on real records.
        "known": {
            "/api/v1/regions/{code}": {"code": "KZ-71"},
            "/api/v1/strands/{code}": {"code": "youth"},
            "/api/v1/organisations/{organisation_id}": {"organisation_id": verified.pk},
            "/api/v1/organisations/by-bin/{bin}": {"bin": verified.bin},
            "/api/v1/experts/{expert_id}": {"expert_id": aliya.pk},
        },
    }


def strategy_for(operation, known_path_parameters: dict | None):
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    if known_path_parameters:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known_path_parameters))
    # An operation without inputs has no invalid form.
    with contextlib.suppress(Exception):
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    return st.one_of(*strategies)


def test_the_schema_covers_every_operation():
    paths = {operation.path for operation in OPERATIONS}
    assert {"/api/v1/organisations", "/api/v1/experts", "/api/v1/regions", "/api/v1/strands", "/api/v1/me"} <= paths
    assert "/api/v1/organisations/by-bin/{bin}" in paths


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_no_generated_request_makes_the_api_fail(operation, small_registry, record_property):
    sent = []

    @given(case=strategy_for(operation, small_registry["known"].get(operation.path)))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        headers = {"Authorization": f"Bearer {small_registry['token']}"} if len(sent) % 2 else None
        response = case.call(headers=headers)
        sent.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])

    run()
    record_property("examples", len(sent))
    assert sent, "no request was generated"
    assert all(status < 500 for status in sent)
