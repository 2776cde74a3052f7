"""Links people give (an organisation's website, a report's materials, evidence, a roundtable's online room):
only ``http`` and ``https``. Checked when they arrive — the model fields' validator, which forms, the API and
imports all run — and again when shown (``{% web_link %}``), so that a ``javascript:`` or ``data:`` address
stored before these checks is shown as text, never as something to click. Links are rendered with
``rel="nofollow ugc noopener"``: they are other people's, not the platform's recommendation."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

SCHEMES = ("http", "https")
REL = "nofollow ugc noopener"


@deconstructible
class WebURLValidator(URLValidator):
    """A web address: http or https only (Django's own validator also takes ftp and ftps)."""

    schemes = list(SCHEMES)
    message = _("Give a web address starting with http:// or https://.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.schemes = list(SCHEMES)


validate_web_url = WebURLValidator()


def is_web_url(value) -> bool:
    try:
        validate_web_url(str(value or "").strip())
    except ValidationError:
        return False
    return True


def link_list(text: str) -> list[str]:
    """The addresses in a text of links, one per line or separated by spaces (as the import takes them)."""
    return (text or "").split()


def validate_link_list(text: str) -> None:
    """Every address of a text of links is a web address; the message names the first wrong one."""
    for link in link_list(text):
        if not is_web_url(link):
            raise ValidationError(
                _("“%(value)s” is not a web address starting with http:// or https://."),
                code="invalid",
                params={"value": link[:200]},
            )


def web_link(url: str, label: str = "") -> str:
    """The link as HTML if it is a web address, else its text (escaped): checked again when shown."""
    url = str(url or "").strip()
    if not is_web_url(url):
        return format_html("{}", label or url)
    return format_html('<a href="{}" rel="{}">{}</a>', url, REL, label or url)


# --- Kelisim's own pages --------------------------------------------------------------------------------------

# Matches Django's int, slug and str converters, and appears in no address by chance.
_KEY_PLACEHOLDER = "918273645546372819"


def url_for_each(view_name: str):
    """The address of ``view_name`` for one key at a time, reversed once: ``url_for_each("plans:item")("1.2.3")``.
    For lists that link every row: a reversal per row cost more than the rest of a row (the plan's 300 items, the
    officers' queues of fifty)."""
    from django.urls import reverse
    from django.utils.encoding import iri_to_uri

    pattern = reverse(view_name, args=[_KEY_PLACEHOLDER])
    return lambda key: pattern.replace(_KEY_PLACEHOLDER, iri_to_uri(str(key)))
