import pytest

from kelisim.accounts.tests.factories import UserFactory
from kelisim.consultations import personal_data, services
from kelisim.consultations.models import Suggestion
from kelisim.consultations.tests import factories

pytestmark = pytest.mark.django_db


def test_erasing_an_account_keeps_its_suggestions_anonymously(version):
    citizen = UserFactory()
    suggestion = factories.suggestion(version, author=citizen)
    other = factories.suggestion(version)
    services.support_suggestion(suggestion=other, user=citizen)
    exported = personal_data.export_personal_data(citizen)
    assert exported[0]["reference"] == suggestion.reference
    personal_data.erase_personal_data(citizen)
    suggestion.refresh_from_db()
    other.refresh_from_db()
    assert suggestion.author is None and Suggestion.objects.filter(pk=suggestion.pk).exists()
    assert other.support_count == 0
    assert not suggestion.history.filter(author=citizen).exists()
