"""Every write of the consultation, by sub-domain: ``documents`` (programmes, documents, versions),
``suggestions`` (sending, confirming, supporting) and ``triage`` (officers' answers and merges).
Views, the API, commands, the demo, other apps and tests call these; the names below are re-exported so
that a caller needs one import."""

from kelisim.consultations.services.documents import (
    add_translation,
    create_version,
    save_document,
    save_programme,
    set_window,
)
from kelisim.consultations.services.suggestions import (
    confirm_contact_email,
    record_suggestion,
    recount_suggestions,
    submit_suggestion,
    support_suggestion,
)
from kelisim.consultations.services.triage import (
    answer_suggestions,
    assign_suggestions,
    decide_duplicate,
    merge_suggestions,
    set_duplicate_threshold,
    transition_suggestion,
)

__all__ = [
    "add_translation",
    "answer_suggestions",
    "assign_suggestions",
    "confirm_contact_email",
    "create_version",
    "decide_duplicate",
    "merge_suggestions",
    "record_suggestion",
    "recount_suggestions",
    "save_document",
    "save_programme",
    "set_duplicate_threshold",
    "set_window",
    "submit_suggestion",
    "support_suggestion",
    "transition_suggestion",
]
