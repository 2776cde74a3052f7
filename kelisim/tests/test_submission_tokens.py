"""Every HTML form that creates something carries a one-time submission token (kelisim.core.submission), so
that a double click or a re-sent POST shows the first result instead of creating a second record.

Forms name their view in ``action="{% url '...' %}"`` or post to the page that shows them; both kinds are
listed here. A new creating form must be added to one list (and carry ``{% submission_token %}``)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORM = re.compile(r"<form\b(?P<attributes>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
ACTION_URL = re.compile(r"""action="\{%\s*url\s+['"](?P<name>[\w:-]+)['"]""")

# Views that create a record, named in the form's action.
CREATING_VIEWS = {
    "accounts:api_tokens",
    "comments:post",
    "funding:application_start",
    "funding:contract_create",
    "meetings:register",
    "meetings:upload_attachment",
    "organisations:join",
    "organisations:expert_message",
    "plans:start_version",
}
# Templates whose creating form posts to the page itself (no action).
CREATING_PAGES = {
    "accounts/api_tokens.html",
    "activities/import_upload.html",
    "activities/indicator_edit.html",
    "activities/report_form.html",
    "comments/report.html",
    "comments/sanction.html",
    "comments/words.html",
    "consultations/import.html",
    "consultations/suggest.html",
    "funding/call_form.html",
    "funding/includes/card_form.html",
    "funding/milestone_report.html",
    "funding/review.html",
    "meetings/includes/form.html",
    "organisations/experts/form.html",
    "organisations/import_upload.html",
    "organisations/register.html",
    "plans/form.html",
    "plans/item.html",
    "publications/edit.html",
}


def templates() -> dict[str, str]:
    return {
        str(path.relative_to(next(p for p in path.parents if p.name == "templates"))): path.read_text()
        for path in ROOT.glob("*/templates/**/*.html")
    }


def post_forms(source: str):
    for match in FORM.finditer(source):
        if re.search(r"""method=["']post["']""", match["attributes"], re.I):
            action = ACTION_URL.search(match["attributes"])
            yield (action["name"] if action else None), match[0]


def test_every_form_posting_to_a_creating_view_carries_a_token():
    missing, seen = [], set()
    for name, source in templates().items():
        for view, form in post_forms(source):
            if view in CREATING_VIEWS:
                seen.add(view)
                if "{% submission_token %}" not in form:
                    missing.append(f"{name}: {view}")
    assert not missing
    assert seen == CREATING_VIEWS, "a listed view is no longer the action of any form"


@pytest.mark.parametrize("name", sorted(CREATING_PAGES))
def test_every_creating_page_form_carries_a_token_and_loads_the_tag(name):
    source = templates()[name]
    assert any("{% submission_token %}" in form for _view, form in post_forms(source)), name
    assert re.search(r"\{%\s*load\s[^%]*\bsubmission\b", source), name


def test_a_token_is_only_used_where_the_tag_library_is_loaded():
    for name, source in templates().items():
        if "{% submission_token %}" in source:
            assert re.search(r"\{%\s*load\s[^%]*\bsubmission\b", source), name
