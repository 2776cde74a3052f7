"""After a change that may alter a contract's OCDS release, publish a new release once the change is committed.

Whatever a release says comes from the contract, its milestones and amendments, its plan items, its
application, call and organisation: a save of any of them queues ``funding.tasks.publish_releases`` for the
contracts concerned, after commit (a rolled-back change publishes nothing). Unchanged content publishes
nothing, so a save that changes nothing public costs a hash comparison.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save

from kelisim.funding.models import Application, Call, Contract, ContractAmendment, Milestone
from kelisim.organisations.models import Organisation


def _after_commit(contract_ids) -> None:
    ids = sorted({pk for pk in contract_ids if pk})
    if ids:
        from kelisim.funding.tasks import publish_releases

        transaction.on_commit(lambda: publish_releases.enqueue(ids))


def _contract_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _after_commit([instance.pk])


def _part_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _after_commit([instance.contract_id])


def _application_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _after_commit(Contract.objects.filter(application=instance).values_list("pk", flat=True))


def _call_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _after_commit(Contract.objects.filter(application__call=instance).values_list("pk", flat=True))


def _organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _after_commit(Contract.objects.filter(application__organisation=instance).values_list("pk", flat=True))


def _plan_items_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        _after_commit(pk_set or [] if reverse else [instance.pk])


def connect() -> None:
    post_save.connect(_contract_saved, sender=Contract, dispatch_uid="funding_release_contract")
    post_save.connect(_part_saved, sender=Milestone, dispatch_uid="funding_release_milestone")
    post_save.connect(_part_saved, sender=ContractAmendment, dispatch_uid="funding_release_amendment")
    post_save.connect(_application_saved, sender=Application, dispatch_uid="funding_release_application")
    post_save.connect(_call_saved, sender=Call, dispatch_uid="funding_release_call")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="funding_release_organisation")
    m2m_changed.connect(
        _plan_items_changed, sender=Contract.plan_items.through, dispatch_uid="funding_release_plan_items"
    )
