from django import template

from kelisim.consultations.models import Status

register = template.Library()

# The badge colour of each status: answered (green), declined (red), waiting for an answer (amber).
STATUS_TONES = {
    Status.ACCEPTED: "badge-ok",
    Status.PARTLY_ACCEPTED: "badge-ok",
    Status.DECLINED: "badge-danger",
    Status.RECEIVED: "badge-warn",
    Status.UNDER_REVIEW: "badge-warn",
}


@register.filter
def status_tone(status: str) -> str:
    """The extra badge class for a suggestion's status, with its leading space (or nothing)."""
    tone = STATUS_TONES.get(status, "")
    return f" {tone}" if tone else ""
