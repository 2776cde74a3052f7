from django_tasks import task

from kelisim.consultations.models import Suggestion


@task()
def index_suggestion_task(suggestion_id: int) -> int:
    """Find possible duplicates of a new suggestion, after it was saved (the participant does not wait)."""
    # numpy and the encoder load here, in the worker, not in every web process that enqueues (issue 13).
    from kelisim.consultations.duplicates import index_suggestion

    suggestion = Suggestion.objects.select_related("version").filter(pk=suggestion_id).first()
    if suggestion is None:
        return 0
    return len(index_suggestion(suggestion))


@task()
def read_intake_mailbox() -> dict:
    """Turn the emails waiting in the intake mailbox into suggestions (periodic; see consultations.mailbox)."""
    from kelisim.consultations import mailbox

    return dict(mailbox.read_mailbox())
