"""Every background task is safe to run twice: a queue delivers "at least once", so a task may run again
after a worker died, a lease ran out or a retry from the admin. The second run changes nothing and sends
nothing a second time. Each test runs the task itself (``task.call``) twice over what it works on."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from kelisim.activities import tasks as activity_tasks
from kelisim.api import tasks as api_tasks
from kelisim.consultations import tasks as consultation_tasks
from kelisim.core import tasks as core_tasks
from kelisim.core.models import OutboxEmail
from kelisim.meetings import tasks as meeting_tasks
from kelisim.organisations import tasks as organisation_tasks
from kelisim.plans import tasks as plan_tasks
from kelisim.publications import tasks as publication_tasks

pytestmark = pytest.mark.django_db
ORGANISATION_HEADER = "bin,name_ru,name_en,legal_form,region,registration_date,strands,public_email,website\n"


def rows_of(*models) -> dict:
    return {model.__name__: model.objects.count() for model in models}


def task_modules():
    """Every ``tasks`` module of a Kelisim app, found rather than listed, so that a new one cannot be missed."""
    import importlib
    from importlib.util import find_spec

    from django.apps import apps

    names = [f"{config.name}.tasks" for config in apps.get_app_configs() if config.name.startswith("kelisim.")]
    return [importlib.import_module(name) for name in names if find_spec(name)]


def test_every_task_module_is_covered_here():
    """A new @task must be added to this file (and made safe to run twice)."""
    from django_tasks.base import Task

    found = {
        f"{m.__name__}.{name}" for m in task_modules() for name, value in vars(m).items() if isinstance(value, Task)
    }
    covered = {
        "kelisim.activities.tasks.run_import",
        "kelisim.api.tasks.forget_expired_idempotency_keys",
        "kelisim.consultations.tasks.index_suggestion_task",
        # Against a real IMAP server: consultations/tests/test_mailbox.py (a run that died between recording a
        # message and moving it, run again, makes no second suggestion and sends no second acknowledgement).
        "kelisim.consultations.tasks.read_intake_mailbox",
        "kelisim.core.tasks.deliver_email",
        "kelisim.core.tasks.flush_outbox",
        "kelisim.funding.tasks.publish_releases",
        "kelisim.meetings.tasks.send_roundtable_reminders",
        "kelisim.notifications.tasks.send_daily_digests",
        "kelisim.organisations.tasks.run_import",
        "kelisim.plans.tasks.refresh_indicator_progress",
        "kelisim.publications.tasks.publish_scheduled_articles",
        "kelisim.reports.tasks.render_consultation_reports",
    }
    assert found == covered


# --- Imports ---------------------------------------------------------------------------------------------


def test_an_activity_report_import_run_twice_imports_its_reports_once():
    from kelisim.activities import services
    from kelisim.activities.models import ActivityReport, ReportImport
    from kelisim.activities.tests.factories import OrganisationFactory, member_of, xlsx_of
    from kelisim.core.tests.factories import StrandFactory

    StrandFactory(code="youth")
    organisation = OrganisationFactory()
    member = member_of(organisation)
    job = ReportImport.objects.create(organisation=organisation, created_by=member, original_name="reports.xlsx")
    row = {"activity_type": "lecture", "title": "Media literacy", "start_date": "2026-03-12", "region": "KZ-31"}
    row |= {"venue_type": "school", "strand": "youth", "female_14_18": 10, "male_14_18": 8}
    job.source.save("reports.xlsx", ContentFile(xlsx_of([row])))
    # The check (the preview) run twice writes nothing.
    assert activity_tasks.run_import.call(job.pk) == "preview"
    assert activity_tasks.run_import.call(job.pk) == "preview"
    assert not ActivityReport.objects.exists()
    services.confirm_import(actor=member, job=job)
    assert activity_tasks.run_import.call(job.pk) == "done"
    after_first = rows_of(ActivityReport, ActivityReport.history.model)
    assert after_first["ActivityReport"] == 1
    assert activity_tasks.run_import.call(job.pk) == "done"
    assert rows_of(ActivityReport, ActivityReport.history.model) == after_first


def test_an_organisation_import_run_twice_imports_its_rows_once(django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kelisim.core.tests.factories import StrandFactory
    from kelisim.organisations import services
    from kelisim.organisations.models import Organisation
    from kelisim.organisations.tests.factories import officer, valid_bin

    StrandFactory(code="youth")
    line = f"{valid_bin(1)},НПО 1,NGO 1,public_association,KZ-71,2015-01-20,youth,ngo1@example.kz,https://ngo.kz\n"
    upload = SimpleUploadedFile("registry.csv", (ORGANISATION_HEADER + line).encode())
    actor = officer()
    with django_capture_on_commit_callbacks(execute=True):  # the upload's own run: the check, its preview
        job = services.start_import(actor=actor, uploaded_file=upload, mode="all_or_nothing")
    organisation_tasks.run_import.call(job.pk)  # the check delivered twice writes nothing
    assert not Organisation.objects.exists()
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):  # the officer confirms; the write runs
        services.confirm_import(actor=actor, job=job)
    after_first = rows_of(Organisation, Organisation.history.model)
    assert after_first["Organisation"] == 1
    organisation_tasks.run_import.call(job.pk)
    organisation_tasks.run_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    assert rows_of(Organisation, Organisation.history.model) == after_first


def test_an_organisation_import_left_running_by_a_dead_worker_is_finished_when_its_task_runs_again():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kelisim.core.tests.factories import StrandFactory
    from kelisim.organisations.models import ImportJob, Organisation
    from kelisim.organisations.tests.factories import officer, valid_bin

    StrandFactory(code="youth")
    line = f"{valid_bin(2)},НПО 2,NGO 2,public_association,KZ-71,2015-01-20,youth,ngo2@example.kz,https://ngo.kz\n"
    actor = officer()
    job = ImportJob.objects.create(  # confirmed, then its writing worker died
        created_by=actor,
        original_name="registry.csv",
        mode="all_or_nothing",
        status=ImportJob.Status.RUNNING,
        confirmed_by=actor,
        confirmed_at=timezone.now(),
    )
    job.source.save("registry.csv", SimpleUploadedFile("registry.csv", (ORGANISATION_HEADER + line).encode()))
    assert organisation_tasks.run_import.call(job.pk) == "done"
    assert organisation_tasks.run_import.call(job.pk) == "done"
    assert Organisation.objects.count() == 1


# --- Indexing --------------------------------------------------------------------------------------------


def test_indexing_a_suggestion_twice_stores_the_same_index_and_pairs():
    from kelisim.consultations.models import FingerprintGram, GramFrequency, SimilarPair
    from kelisim.consultations.tests import factories

    version = factories.open_version()
    first = factories.suggestion(version, text="Youth clubs should open in villages, not only in regional centres.")
    new = factories.suggestion(version, text="Youth clubs must open in villages too, not only in regional centres.")
    consultation_tasks.index_suggestion_task.call(first.pk)
    consultation_tasks.index_suggestion_task.call(new.pk)
    after_first = rows_of(FingerprintGram, SimilarPair)
    frequencies = dict(GramFrequency.objects.values_list("gram", "count"))
    assert after_first["SimilarPair"] >= 1
    consultation_tasks.index_suggestion_task.call(new.pk)
    assert rows_of(FingerprintGram, SimilarPair) == after_first
    assert dict(GramFrequency.objects.values_list("gram", "count")) == frequencies


# --- Emails, reminders ----------------------------------------------------------------------------------


def test_an_email_delivered_twice_is_sent_once_and_a_second_flush_sends_nothing():
    message = OutboxEmail.objects.create(to="ngo@example.org", subject="Reminder", body_text="Tomorrow at ten.")
    assert core_tasks.deliver_email.call(message.pk) == "sent"
    assert core_tasks.deliver_email.call(message.pk) == "skipped"
    assert core_tasks.flush_outbox.call() == 0
    assert core_tasks.flush_outbox.call() == 0
    assert len(mail.outbox) == 1


def test_a_flush_run_twice_queues_each_waiting_message_to_be_sent_once():
    for number in range(2):
        OutboxEmail.objects.create(to=f"ngo{number}@example.org", subject="Hello", body_text="Text.")
    # The test backend runs tasks at once: the first flush sends both, the second finds nothing to send.
    assert core_tasks.flush_outbox.call() == 2
    assert core_tasks.flush_outbox.call() == 0
    assert len(mail.outbox) == 2
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 2


def test_roundtable_reminders_run_twice_go_out_once():
    from kelisim.meetings import services
    from kelisim.meetings.tests.factories import member, roundtable

    now = timezone.now()
    soon = roundtable(days=0, starts_at=now + timedelta(hours=20), ends_at=now + timedelta(hours=22))
    participant, organisation = member()
    services.register(user=participant, roundtable=soon, organisation=organisation)
    emails_before = OutboxEmail.objects.count()
    assert meeting_tasks.send_roundtable_reminders.call() == 1
    emails_after_first = OutboxEmail.objects.count()
    assert emails_after_first == emails_before + 1
    assert meeting_tasks.send_roundtable_reminders.call() == 0
    assert OutboxEmail.objects.count() == emails_after_first


# --- Scheduled publishing, progress, clean-up -------------------------------------------------------------


def test_scheduled_publishing_run_twice_publishes_once():
    from kelisim.accounts.models import Role
    from kelisim.accounts.tests.factories import make_staff
    from kelisim.publications import services
    from kelisim.publications.models import Article

    officer = make_staff(Role.OFFICER)
    article = services.create_article(actor=officer, language="en", title="Roundtable", lead="Met.", body="Text.")
    soon = timezone.now() + timedelta(hours=1)
    services.transition_article(actor=officer, article=article, to="scheduled", publish_at=soon)
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert publication_tasks.publish_scheduled_articles.call() == 1
    history = Article.history.filter(pk=article.pk).count()
    assert publication_tasks.publish_scheduled_articles.call() == 0
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert Article.history.filter(pk=article.pk).count() == history


def test_refreshing_indicator_progress_twice_adds_no_second_line(monkeypatch):
    from kelisim.plans import progress, registry, services
    from kelisim.plans.models import ProgressSource, ProgressUpdate
    from kelisim.plans.progress import IndicatorReading
    from kelisim.plans.tests.factories import draft_with_items

    tracked = draft_with_items(items_per_strand=1).items.select_related("tracked").first().tracked
    reading = IndicatorReading(name="Events held", measured=True, actual_by_year={2026: 2}, target_by_year={2026: 10})
    values = {tracked.pk: [reading]}
    monkeypatch.setattr(registry, "_reader", lambda item: values.get(item.pk, []))
    monkeypatch.setattr(progress.timezone, "localdate", lambda: date(2026, 6, 1))
    services.set_progress_source(actor=None, tracked=tracked, source=ProgressSource.INDICATORS)
    values[tracked.pk] = [
        IndicatorReading(name="Events held", measured=True, actual_by_year={2026: 8}, target_by_year={2026: 10})
    ]
    assert plan_tasks.refresh_indicator_progress.call() == 1
    lines = ProgressUpdate.objects.count()
    assert plan_tasks.refresh_indicator_progress.call() == 0
    assert ProgressUpdate.objects.count() == lines


def test_forgetting_expired_idempotency_keys_twice_deletes_once():
    from kelisim.api.models import IdempotentRequest

    old = IdempotentRequest.objects.create(identity="x", key="k", method="POST", path="/api/v1/x", body_sha256="0")
    IdempotentRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    IdempotentRequest.objects.create(identity="x", key="fresh", method="POST", path="/api/v1/x", body_sha256="0")
    assert api_tasks.forget_expired_idempotency_keys.call() == 1
    assert api_tasks.forget_expired_idempotency_keys.call() == 0
    assert IdempotentRequest.objects.filter(key="fresh").exists()


# --- Digests, open data and reports -----------------------------------------------------------------------


def test_the_daily_digest_task_run_twice_sends_one_email():
    from kelisim.accounts.tests.factories import UserFactory
    from kelisim.notifications import registry, services
    from kelisim.notifications import tasks as notification_tasks
    from kelisim.notifications.models import EmailChoice

    registry.register_kind(registry.Kind("tests.twice", lambda params: "Something changed"))
    person = UserFactory()
    services.set_email_choice(actor=person, choice=EmailChoice.DAILY)
    services.notify(recipients=[person], kind="tests.twice", params={}, url="/en/")
    tomorrow = timezone.now() + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        notification_tasks.send_daily_digests.call()
        notification_tasks.send_daily_digests.call()
    assert OutboxEmail.objects.filter(to=person.email, topic="notifications.digest").count() == 1


def test_the_release_task_run_twice_publishes_each_change_once(django_capture_on_commit_callbacks):
    from kelisim.funding import tasks as funding_tasks
    from kelisim.funding.models import Release
    from kelisim.funding.tests import factories as funding_factories

    with django_capture_on_commit_callbacks(execute=True):
        contract = funding_factories.signed_contract(actor=funding_factories.officer())
    before = Release.objects.filter(contract=contract).count()
    funding_tasks.publish_releases.call([contract.pk])
    funding_tasks.publish_releases.call([contract.pk])
    assert Release.objects.filter(contract=contract).count() == before == 1


def test_the_consultation_report_task_run_twice_builds_each_pdf_once(settings, tmp_path):
    from kelisim.consultations.tests import factories as consultation_factories
    from kelisim.reports import tasks as report_tasks

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    version = consultation_factories.open_version()
    consultation_factories.suggestion(version, text="Open a youth centre in every district town, please.")
    with mock.patch("kelisim.reports.views.consultation_pdf", return_value=b"%PDF-1.7 test") as build:
        assert report_tasks.render_consultation_reports.call(version.pk) == 3
        assert report_tasks.render_consultation_reports.call(version.pk) == 3
    assert build.call_count == 3, "the second run finds the three stored PDFs"
