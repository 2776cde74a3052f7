"""How a host app tells comments about its objects, so that comments never imports the host.

The host registers its model once, from its ``AppConfig.ready()``::

    register_commentable(Commentable(
        model=Article,
        title=lambda article: article.title,
        url=lambda article: article.get_absolute_url(),
        comments_open=lambda article: article.is_public and article.comments_enabled,
        is_public=lambda article: article.is_public,
        counter_field="comment_count",
    ))

``counter_field`` names an integer column on the host that comments keeps equal to the number of
published comments, so that lists show counts without counting.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models


@dataclass(frozen=True)
class Commentable:
    model: type[models.Model]
    title: Callable[[models.Model], str]
    url: Callable[[models.Model], str]
    comments_open: Callable[[models.Model], bool]
    is_public: Callable[[models.Model], bool]
    counter_field: str = ""

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_commentables: dict[str, Commentable] = {}


def register_commentable(spec: Commentable) -> None:
    _commentables[spec.key] = spec


def commentable_for_key(key: str) -> Commentable | None:
    return _commentables.get(key.lower())


def commentable_for(obj: models.Model) -> Commentable:
    spec = _commentables.get(obj._meta.label_lower)
    if spec is None:
        raise LookupError(f"{obj._meta.label} is not registered as commentable")
    return spec


def target_key(obj: models.Model) -> str:
    return obj._meta.label_lower


def resolve_target(key: str, object_id: int) -> tuple[Commentable, models.Model] | None:
    """The registered host object for ``app_label.model`` and a primary key, or None."""
    spec = commentable_for_key(key)
    if spec is None:
        return None
    obj = spec.model._default_manager.filter(pk=object_id).first()
    if obj is None:
        return None
    return spec, obj


def content_type_of(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj)
