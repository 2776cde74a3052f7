import factory
from django.contrib.contenttypes.models import ContentType

from kelisim.comments.models import Comment
from kelisim.comments.pipeline import text_hash


class CommentFactory(factory.django.DjangoModelFactory):
    """A published visitor comment on ``target`` (bypassing the pipeline: for reads and moderation)."""

    class Meta:
        model = Comment
        exclude = ("target",)

    target = None
    content_type = factory.LazyAttribute(lambda c: ContentType.objects.get_for_model(c.target))
    object_id = factory.LazyAttribute(lambda c: c.target.pk)
    author_name = "Aigul"
    author_email = "aigul@example.kz"
    text = factory.Sequence(lambda n: f"A thoughtful remark number {n}.")
    text_hash = factory.LazyAttribute(lambda c: text_hash(c.text))
    language = "en"
    status = Comment.Status.APPROVED
    reason_code = "fits_policy"
