"""Kelisim's queue class for the RQ backend (``TASKS_BACKEND=django_tasks_rq.RQBackend``, see settings).

``django-tasks-rq`` enqueues jobs without retries, so with plain RQ a job whose worker was SIGKILLed ends in
the FailedJobRegistry (``AbandonedJobError``) once its StartedJobRegistry entry expires, and a job that
raised is never run again: "at most once". Giving every job RQ's ``Retry`` makes both cases run again
(abandoned jobs are re-queued by ``StartedJobRegistry.cleanup`` while retries are left): "at least once",
up to ``TASK_MAX_ATTEMPTS`` runs, with the same back-off as the database backend.
"""

from django.conf import settings
from django_rq.queues import DjangoRQ
from rq.job import Retry

RETRY_INTERVALS = [5, 10, 20, 40, 80, 160]


def default_retry() -> Retry:
    retries = max(1, getattr(settings, "TASK_MAX_ATTEMPTS", 5) - 1)
    return Retry(max=retries, interval=RETRY_INTERVALS[:retries])


class RetryingQueue(DjangoRQ):
    def create_job(self, *args, **kwargs):
        if kwargs.get("retry") is None:
            kwargs["retry"] = default_retry()
        return super().create_job(*args, **kwargs)
