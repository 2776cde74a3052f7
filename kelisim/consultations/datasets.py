"""Suggestions in the data catalogue (``core.registry.register_dataset``), with the meaning of each column."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelisim.core.registry import Column, Dataset, Distribution, register_dataset

COLUMNS = (
    Column("reference", _("The suggestion's reference, such as 2017-00042.")),
    Column("document", _("Code of the consulted document.")),
    Column("version", _("Number of the document version the suggestion was sent on.")),
    Column("section", _("Stable key of the section (the same in every version).")),
    Column("paragraph", _("Stable key of the paragraph (the same in every version).")),
    Column("title", _("Title given by the author.")),
    Column("text", _("The suggestion as published.")),
    Column("language", _("Language of the text: kk, ru or en.")),
    Column("strand", _("Code of the programme strand.")),
    Column("strand_name", _("Name of the strand.")),
    Column("region", _("ISO 3166-2:KZ code of the region.")),
    Column("region_name", _("Name of the region.")),
    Column(
        "status", _("Status code: received, under_review, accepted, partly_accepted, declined, out_of_scope, merged.")
    ),
    Column("status_label", _("Name of the status.")),
    Column("official_answer", _("The programme office's published answer.")),
    Column("answered_on", _("Date of the answer (YYYY-MM-DD).")),
    Column("merged_into", _("Reference of the suggestion this one was merged into.")),
    Column("supporters", _("Number of people who support the suggestion.")),
    Column("signed", _("True when sent from an account, False when anonymous.")),
    Column("sent_on", _("Date it was sent (YYYY-MM-DD).")),
    Column("channel", _("How it reached the office: web, email, letter, phone, meeting, forwarded.")),
    Column("received_on", _("For letters, calls and meetings: the date it was received (YYYY-MM-DD).")),
)


def register() -> None:
    from kelisim.consultations.models import Suggestion

    def modified():
        latest = Suggestion.objects.aggregate(sent=Max("created_at"), answered=Max("answered_at"))
        return max((value for value in latest.values() if value), default=None)

    register_dataset(
        Dataset(
            key="suggestions",
            title=_("Suggestions on the draft programme"),
            description=_("Every public suggestion with its status and official answer, without personal data."),
            distributions=lambda: [
                Distribution(reverse("consultations:export_csv"), "text/csv", "CSV"),
                Distribution(reverse("consultations:export_json"), "application/json", "JSON"),
            ],
            modified=modified,
            columns=COLUMNS,
            keywords=("consultation",),
            order=30,
        )
    )
