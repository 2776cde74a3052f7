"""Comments' own tests attach comments to organisations, so that they do not depend on any later
app: the component must work for any registered host."""

from kelisim.comments.registry import Commentable, commentable_for_key, register_commentable
from kelisim.organisations.models import Organisation

HOST_KEY = "organisations.organisation"


def register_test_host() -> str:
    if commentable_for_key(HOST_KEY) is None:
        register_commentable(
            Commentable(
                model=Organisation,
                title=lambda organisation: organisation.name,
                url=lambda organisation: organisation.get_absolute_url(),
                comments_open=lambda organisation: organisation.verification_status != "excluded",
                is_public=lambda organisation: True,
            )
        )
    return HOST_KEY
