"""Every queue of My work filled at once: what each shows, and a page cost that depends on neither the number of
queues read together nor the rows waiting in them (issues 13 and 15)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff, sign_in
from kelisim.activities.models import ReportImport, ReportStatus
from kelisim.activities.tests.factories import ReportFactory
from kelisim.comments.models import Comment
from kelisim.comments.tests.factories import CommentFactory
from kelisim.consultations.models import InboundEmail, SimilarPair
from kelisim.consultations.tests import factories as consultations
from kelisim.core.models import OutboxEmail
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.funding.models import Milestone
from kelisim.funding.tests import factories as funding
from kelisim.organisations.models import ImportJob, Membership
from kelisim.organisations.tests.factories import MembershipFactory, OrganisationFactory
from kelisim.publications.tests.factories import ArticleFactory
from kelisim.worklists.selectors import queue_page, queues_for, work_for

pytestmark = pytest.mark.django_db

STAFF_QUEUES = {
    "triage", "duplicates", "email_attention", "reports", "applications", "milestone_reports",
    "overdue_milestones", "orphan_join_requests", "failed_imports", "comments_held", "comments_reported",
    "failed_tasks", "failed_emails",
}  # fmt: skip


def _world():
    call = funding.open_call()
    return consultations.open_version(), call, funding.signed_contract(milestones=1, call=call)


def _staff_work(count: int, version, call, contract) -> None:
    """``count`` items in every queue an administrator sees."""
    for number in range(count):
        first = consultations.suggestion(version, text=f"Open youth club number {number} in the villages.")
        second = consultations.suggestion(version, text=f"Open a youth club, number {number}, in each village.")
        SimilarPair.objects.create(suggestion=first, other=second, score=0.9)
        InboundEmail.objects.create(
            message_key=f"<{number}-{timezone.now().timestamp()}@example.kz>",
            outcome=InboundEmail.Outcome.ATTENTION,
            sender="dana@example.kz",
            subject=f"Night shelters {number}",
            reason="No address matched",
        )
        ImportJob.objects.create(original_name=f"registry-{number}.csv", source="imports/r.csv", status="failed")
        OutboxEmail.objects.create(
            to="ngo@example.org", subject=f"Reminder {number}", body_text="t", status=OutboxEmail.Status.FAILED
        )
        DBTaskResult.objects.create(
            status="FAILED",
            task_path=f"kelisim.core.tasks.task_{number}",
            args_kwargs={},
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="ValueError",
            traceback="",
        )
        Membership.objects.create(user=UserFactory(), organisation=OrganisationFactory(), status="pending")
    article = ArticleFactory()
    CommentFactory.create_batch(count, target=article, status=Comment.Status.PENDING)
    CommentFactory.create_batch(count, target=article, status=Comment.Status.HIDDEN)
    ReportFactory.create_batch(count, status=ReportStatus.SUBMITTED)
    for _ in range(count):
        funding.submitted_application(call)
    for number in range(count):
        position = contract.milestones.count() + 1
        for status, days in ((Milestone.Status.PENDING, -3), (Milestone.Status.REPORTED, 10)):
            Milestone.objects.create(
                contract=contract,
                title_en=f"Stage {number}",
                deliverables_en="Ten lectures",
                due_date=timezone.localdate() + timedelta(days=days),
                status=status,
                position=position,
            )
            position += 1


def test_an_administrator_sees_every_staff_queue_counted_with_its_oldest_rows():
    _staff_work(6, *_world())
    administrator = make_staff(Role.ADMINISTRATOR)
    work = {item.queue.key: item for item in work_for(administrator)}
    assert set(work) == STAFF_QUEUES
    for key, item in work.items():
        expected = 12 if key == "triage" else 6  # every suggestion is open, half have a duplicate
        assert item.count == expected, key
        # The first rows are the queue's own first rows, in its order, as its full list shows them.
        _queue, _page, rows = queue_page(administrator, key, 1)
        assert item.rows == rows[:5], key
    milestone = work["overdue_milestones"].rows[0]
    assert milestone.age_days == 3 and milestone.url.startswith("/en/funding/contracts/")
    task = work["failed_tasks"].rows[0]
    assert task.title == "kelisim.core.tasks.task_0"
    assert str(DBTaskResult.objects.get(task_path=task.title).pk) in task.url
    assert work["failed_imports"].rows[0].detail == ImportJob.Status.FAILED.label
    assert work["email_attention"].rows[0].detail == "No address matched"


def test_an_ngo_admin_sees_its_own_queues_with_their_rows():
    organisation = OrganisationFactory(name_en="Steppe Youth", name_kk="", name_ru="")
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    Membership.objects.create(user=UserFactory(display_name="Aru"), organisation=organisation, status="pending")
    ReportFactory(organisation=organisation, status=ReportStatus.RETURNED, title="Spring camp")
    ReportImport.objects.create(
        organisation=organisation, created_by=admin, source="a/b.xlsx", original_name="", status="failed"
    )
    work = {item.queue.key: item for item in work_for(admin)}
    assert work["member_requests"].rows[0].title == "Aru → Steppe Youth"
    report = work["reports_to_correct"].rows[0]
    assert (report.title, report.detail) == ("Spring camp", f"{ReportStatus.RETURNED.label} · Steppe Youth")
    failed = work["failed_report_imports"].rows[0]
    status = ReportImport.Status.FAILED.label
    assert (failed.title, failed.detail) == (f" ({status})", status)


def test_my_work_costs_the_same_few_queries_with_one_or_twenty_items_in_every_queue(client):
    world = _world()
    _staff_work(1, *world)
    administrator = make_staff(Role.ADMINISTRATOR)
    assert len(queues_for(administrator)) == len(STAFF_QUEUES)
    sign_in(client, administrator)
    assert_queries_do_not_grow(client, reverse("worklists:home"), add_data=lambda: _staff_work(19, *world), limit=6)
