"""Every write of the funding app: one function per use case, keyword-only arguments, permission checked
inside, one transaction, history recorded with who and why. One module per sub-domain:

- ``calls``: calls for proposals, their questions and criteria, ``transition_call``;
- ``applications``: drafts, attachments, ``submit_application``, ``determine_application``;
- ``review``: reviewer assignment, conflicts of interest, ``submit_review``;
- ``contracts``: contracts, milestones, ``transition_contract``, amendments, milestone reports;
- ``releases``: OCDS releases published after each change of a contract's public content;
- ``notifications``: the emails about an application; ``saving``: a unique row's clash as a ValidationError.

The public names are re-exported here, so that callers write ``services.submit_application(...)``.
"""

from kelisim.funding.services.applications import (
    BudgetRow,
    Determination,
    add_attachment,
    determine_application,
    remove_attachment,
    save_draft,
    start_application,
    submit_application,
)
from kelisim.funding.services.calls import (
    add_criterion,
    add_question,
    move_question,
    remove_criterion,
    remove_question,
    save_call,
    transition_call,
)
from kelisim.funding.services.contracts import (
    add_milestone,
    amend_contract,
    create_contract,
    decide_milestone_report,
    next_contract_number,
    submit_milestone_report,
    transition_contract,
    translate_contract,
    translate_milestone,
)
from kelisim.funding.services.releases import publish_release, publish_releases
from kelisim.funding.services.review import (
    assign_balanced,
    assign_reviewer,
    declare_conflict,
    reviewer_load,
    submit_review,
    suggest_reviewers,
)

__all__ = [
    "BudgetRow",
    "Determination",
    "add_attachment",
    "add_criterion",
    "add_milestone",
    "add_question",
    "amend_contract",
    "assign_balanced",
    "assign_reviewer",
    "create_contract",
    "decide_milestone_report",
    "declare_conflict",
    "determine_application",
    "move_question",
    "next_contract_number",
    "publish_release",
    "publish_releases",
    "remove_attachment",
    "remove_criterion",
    "remove_question",
    "reviewer_load",
    "save_call",
    "save_draft",
    "start_application",
    "submit_application",
    "submit_milestone_report",
    "submit_review",
    "suggest_reviewers",
    "transition_call",
    "transition_contract",
    "translate_contract",
    "translate_milestone",
]
