"""Consultation records for tests, made through the services so that they hold the same invariants."""

from datetime import timedelta

from django.utils import timezone

from kelisim.consultations import services
from kelisim.consultations.models import Document, DocumentVersion, Programme

DRAFT = """
# Aims
The programme builds lasting public immunity to radical ideology.

Young people are the first audience of prevention work.

# Prisons
Theologians and psychologists meet inmates in every institution.

- Support after release starts six months before it.
"""


def programme(slug: str = "test-programme") -> Programme:
    return services.save_programme(
        actor=None,
        slug=slug,
        period_start=2017,
        period_end=2020,
        title_en="Test programme",
        title_ru="Тестовая программа",
    )


def open_version(
    *, slug: str = "draft", markdown: str = DRAFT, allow_anonymous: bool = True, closed: bool = False
) -> DocumentVersion:
    """A published version of a document whose consultation is open (or closed yesterday)."""
    now = timezone.now()
    document = Document.objects.filter(slug=slug).first() or services.save_document(
        actor=None, programme=programme(), slug=slug, kind=Document.Kind.PROGRAMME, title_en=f"Document {slug}"
    )
    opens, closes = (
        (now - timedelta(days=30), now - timedelta(days=1))
        if closed
        else (
            now - timedelta(days=1),
            now + timedelta(days=30),
        )
    )
    return services.create_version(
        actor=None,
        document=document,
        markdown=markdown,
        language="en",
        opens_at=opens,
        closes_at=closes,
        allow_anonymous=allow_anonymous,
    )


_addresses = iter(range(1, 10**9))


def suggestion(version: DocumentVersion, text: str = "Hold more meetings with young people in villages.", **fields):
    """An anonymous suggestion from a fresh address (so rate limits do not interfere)."""
    fields.setdefault("author", None)
    fields.setdefault("address", f"10.0.0.{next(_addresses)}")
    return services.submit_suggestion(version=version, text=text, **fields)
