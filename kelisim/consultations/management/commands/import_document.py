from datetime import datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kelisim.consultations import services
from kelisim.consultations.models import Document


def _moment(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not an ISO date or date-time: {value!r}") from error
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = (
        "Import a Markdown file as a new version of a consultation document (headings become sections, "
        "paragraphs and list items become paragraphs), or as a translation of its latest version."
    )

    def add_arguments(self, parser):
        parser.add_argument("document", help="The document's slug.")
        parser.add_argument("path", help="A UTF-8 Markdown file.")
        parser.add_argument("--language", default="ru", choices=["kk", "ru", "en"])
        parser.add_argument("--translation", action="store_true", help="Fill another language into the latest version.")
        parser.add_argument("--opens", help="When the consultation opens (ISO date-time); default now.")
        parser.add_argument("--closes", help="When it closes (ISO date-time); default 30 days after opening.")
        parser.add_argument("--signed-only", action="store_true", help="Refuse anonymous suggestions.")
        parser.add_argument("--unpublished", action="store_true", help="Import without publishing.")
        parser.add_argument("--note", default="", help="What changed in this version.")

    def handle(self, *args, **options):
        document = Document.objects.filter(slug=options["document"]).first()
        if document is None:
            raise CommandError(f"No document {options['document']!r}.")
        try:
            markdown = Path(options["path"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {options['path']}: {error}") from error
        try:
            if options["translation"]:
                version = document.versions.order_by("-number").first()
                if version is None:
                    raise CommandError("The document has no version to translate yet.")
                services.add_translation(actor=None, version=version, markdown=markdown, language=options["language"])
            else:
                opens = _moment(options["opens"]) if options["opens"] else timezone.now()
                closes = _moment(options["closes"]) if options["closes"] else opens + timedelta(days=30)
                version = services.create_version(
                    actor=None,
                    document=document,
                    markdown=markdown,
                    language=options["language"],
                    opens_at=opens,
                    closes_at=closes,
                    allow_anonymous=not options["signed_only"],
                    publish=not options["unpublished"],
                    note=options["note"],
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"{document.slug} version {version.number}: {version.sections.count()} sections, "
            f"{version.paragraphs.count()} paragraphs."
        )
