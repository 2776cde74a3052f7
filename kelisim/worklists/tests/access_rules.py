from kelisim.core.tests.access import ADMINISTRATORS, MODERATORS, NOBODY, OFFICERS, SIGNED_IN, Rule


def _queue(key: str, **rule) -> Rule:
    """One queue in full: only for people whose roles include it (anyone else finds nothing, 404)."""
    return Rule("worklists:queue", kwargs=lambda world: {"key": key}, note=key, **rule)


ACCESS_RULES = [
    # Everyone signed in has the page; without a role it says there is no work waiting.
    Rule("worklists:home", allowed=SIGNED_IN),
    _queue("milestone_reports", allowed=OFFICERS),
    _queue("comments_held", allowed=MODERATORS),
    _queue("reviews", allowed={"reviewer"}),
    _queue("member_requests", allowed={"ngo_admin", "ngo_admin_other"}),
    _queue("milestones_due", allowed={"ngo_member", "ngo_admin", "ngo_admin_other"}),
    _queue("failed_emails", allowed=ADMINISTRATORS),
    _queue("no_such_queue", allowed=NOBODY),
    Rule("worklists:translations", allowed=OFFICERS),
]
