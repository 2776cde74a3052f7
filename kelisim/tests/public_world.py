"""A small world with one of every kind of public page: a plan with items and an indicator, an open
consultation with suggestions, a roundtable with its agenda, an open call with a signed contract, a verified
activity report and a news article. Shared by the language, accessibility and narrow-screen checks."""

from kelisim.activities.tests.factories import verified_report
from kelisim.comments.tests.factories import CommentFactory
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import Strand
from kelisim.funding.tests.factories import open_call, signed_contract
from kelisim.meetings.tests.factories import agenda_item, roundtable
from kelisim.plans.tests.factories import draft_with_items
from kelisim.publications.tests.factories import ArticleFactory


def build() -> dict:
    version = draft_with_items(items_per_strand=1)
    document_version = consultation_factories.open_version()
    suggestions = [
        consultation_factories.suggestion(document_version, text=f"Hold meeting {n} with young people in villages.")
        for n in range(3)
    ]
    meeting = roundtable(title="Prevention roundtable with NGOs")
    agenda_item(meeting, suggestions=suggestions[:1], title="Work with young people")
    contract = signed_contract()
    call = open_call(reference="call-two")
    report = verified_report(strand=Strand.objects.get(code="youth"), organisation=contract.application.organisation)
    article = ArticleFactory()
    CommentFactory(target=article)
    return {
        "plan_version": version,
        "suggestions": suggestions,
        "roundtable": meeting,
        "contract": contract,
        "call": call,
        "report": report,
        "article": article,
    }
