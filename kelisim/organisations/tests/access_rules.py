from kelisim.core.tests.access import EVERYONE, OFFICERS, SIGNED_IN, Rule

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


def _organisation(world):
    return {"pk": world.organisation.pk}


ACCESS_RULES = [
    Rule("organisations:list", allowed=EVERYONE),
    Rule("organisations:list", allowed=EVERYONE, query="q=dialogue&region=KZ-71&verified=on", note="filtered"),
    Rule("organisations:export", allowed=EVERYONE),
    Rule("organisations:detail", kwargs=_organisation, allowed=EVERYONE),
    Rule("organisations:register", allowed=SIGNED_IN),
    Rule("organisations:edit", kwargs=_organisation, allowed=MANAGERS),
    Rule(
        "organisations:edit",
        method="POST",
        kwargs=_organisation,
        data=lambda world: {"name_en": "", "legal_form": "nonsense"},
        allowed=MANAGERS,
        note="rejected form",
    ),
    # Everyone signed in may ask; a present member gets a message and the page again.
    Rule("organisations:join", method="POST", kwargs=_organisation, allowed=SIGNED_IN),
    # Only the organisation's own members have a membership to leave (the last admin is told why not).
    Rule("organisations:leave", method="POST", kwargs=_organisation, allowed={"ngo_member", "ngo_admin"}),
    Rule("organisations:members", kwargs=_organisation, allowed=MANAGERS),
    Rule("organisations:join_requests", allowed=OFFICERS),
    Rule(
        "organisations:membership_decide",
        method="POST",
        kwargs=lambda world: {"pk": world.organisation.pk, "membership_pk": world.pending_membership.pk},
        data=lambda world: {"decision": "approve"},
        allowed=MANAGERS,
    ),
    Rule(
        "organisations:membership_role",
        method="POST",
        kwargs=lambda world: {"pk": world.organisation.pk, "membership_pk": world.member_membership.pk},
        data=lambda world: {"role": "admin"},
        allowed=MANAGERS,
    ),
    # A member may remove themselves (leave); removing anyone else is for managers.
    Rule(
        "organisations:membership_remove",
        method="POST",
        kwargs=lambda world: {"pk": world.organisation.pk, "membership_pk": world.member_membership.pk},
        allowed=MANAGERS | {"ngo_member"},
    ),
    Rule("organisations:verify", kwargs=_organisation, allowed=OFFICERS),
    Rule(
        "organisations:verify",
        method="POST",
        kwargs=_organisation,
        data=lambda world: {"status": "excluded", "note": "Access table check"},
        allowed=OFFICERS,
    ),
    Rule("organisations:history", kwargs=_organisation, allowed=OFFICERS),
    Rule("organisations:import_upload", allowed=OFFICERS),
    Rule("organisations:import_detail", kwargs=lambda world: {"pk": world.import_job.pk}, allowed=OFFICERS),
    Rule("organisations:import_template", kwargs=lambda world: {"file_format": "xlsx"}, allowed=OFFICERS),
]
