"""What the news section keeps about a person: their answers to "Do you like this article?"."""

from kelisim.publications.models import Reaction


def export_personal_data(user) -> list[dict]:
    return [
        {"article": reaction.article.slug, "answer": reaction.value, "at": reaction.updated_at.isoformat()}
        for reaction in Reaction.objects.filter(user=user).select_related("article").order_by("created_at")
    ]


def erase_personal_data(user) -> None:
    """An answer is about the article, not the person: the rows go with the account."""
    Reaction.objects.filter(user=user).delete()
