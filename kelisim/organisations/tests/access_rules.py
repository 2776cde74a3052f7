from kelisim.core.tests.access import EVERYONE, OFFICERS, SIGNED_IN, Rule, page_and_form

MANAGERS = frozenset({"ngo_admin", "officer", "administrator"})


def extend_world(world):
    from kelisim.accounts.models import User
    from kelisim.organisations.models import ImportJob, Membership

    applicant = User.objects.create_user(email="applicant@world.test", password="world-password-123")
    world.pending_membership = Membership.objects.create(
        user=applicant, organisation=world.organisation, status=Membership.Status.PENDING
    )
    world.member_membership = Membership.objects.get(user=world.users["ngo_member"], organisation=world.organisation)
    world.import_job = ImportJob.objects.create(
        created_by=world.users["officer"],
        original_name="registry.csv",
        source="imports/registry.csv",
        status=ImportJob.Status.DONE,
        stage=ImportJob.Stage.FINISHED,
    )
    world.previewed_import_job = ImportJob.objects.create(
        created_by=world.users["officer"],
        original_name="registry.xlsx",
        source="imports/registry.xlsx",
        status=ImportJob.Status.PREVIEW,
    )


def _organisation(world):
    return {"pk": world.organisation.pk}


def _exclusion(world):
    return {"status": "excluded", "note": "Access table check"}


def _on_membership(action: str, membership: str, *, allowed, data=None) -> Rule:
    """A POST on one of ``world``'s memberships of its organisation (``membership`` names the attribute)."""
    return Rule(
        f"organisations:{action}",
        method="POST",
        kwargs=lambda world: {"pk": world.organisation.pk, "membership_pk": getattr(world, membership).pk},
        data=(lambda world: data) if data is not None else None,
        allowed=allowed,
    )


ACCESS_RULES = [
    Rule("organisations:list", allowed=EVERYONE),
    Rule("organisations:list", allowed=EVERYONE, query="q=dialogue&region=KZ-71&verified=on", note="filtered"),
    Rule("organisations:export", allowed=EVERYONE),
    Rule("organisations:detail", kwargs=_organisation, allowed=EVERYONE),
    Rule("organisations:register", allowed=SIGNED_IN),
    # The form is sent with mistakes: managers see it again with the errors.
    *page_and_form(
        "organisations:edit",
        kwargs=_organisation,
        data=lambda world: {"name_en": "", "legal_form": "no"},
        allowed=MANAGERS,
    ),
    # Everyone signed in may ask; a present member gets a message and the page again.
    Rule("organisations:join", method="POST", kwargs=_organisation, allowed=SIGNED_IN),
    # Only the organisation's own members have a membership to leave (the last admin is told why not).
    Rule("organisations:leave", method="POST", kwargs=_organisation, allowed={"ngo_member", "ngo_admin"}),
    Rule("organisations:members", kwargs=_organisation, allowed=MANAGERS),
    Rule("organisations:join_requests", allowed=OFFICERS),
    _on_membership("membership_decide", "pending_membership", data={"decision": "approve"}, allowed=MANAGERS),
    _on_membership("membership_role", "member_membership", data={"role": "admin"}, allowed=MANAGERS),
    # A member may remove themselves (leave); removing anyone else is for managers.
    _on_membership("membership_remove", "member_membership", allowed=MANAGERS | {"ngo_member"}),
    *page_and_form("organisations:verify", kwargs=_organisation, data=_exclusion, allowed=OFFICERS),
    Rule("organisations:history", kwargs=_organisation, allowed=OFFICERS),
    Rule("organisations:import_upload", allowed=OFFICERS),
    Rule("organisations:import_detail", kwargs=lambda world: {"pk": world.import_job.pk}, allowed=OFFICERS),
    # Cancelling a checked file waiting for confirmation: officers only (the service checks it again).
    Rule(
        "organisations:import_decide",
        method="POST",
        kwargs=lambda world: {"pk": world.previewed_import_job.pk},
        data=lambda world: {"decision": "cancel"},
        allowed=OFFICERS,
    ),
    Rule("organisations:import_template", kwargs=lambda world: {"file_format": "xlsx"}, allowed=OFFICERS),
]
