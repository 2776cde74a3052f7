from django_tasks import task

from kelisim.api.idempotency import forget_expired


@task()
def forget_expired_idempotency_keys() -> int:
    return forget_expired()
