from kelisim.comments.tests.hosts import register_test_host
from kelisim.core.tests.access import EVERYONE, MODERATORS, NOBODY, Rule, page_and_form

HOST = register_test_host()


def extend_world(world):
    from kelisim.comments.models import AuthorSanction, Comment, WordRule
    from kelisim.comments.tests.factories import CommentFactory

    target = world.organisation
    world.comment = CommentFactory(target=target, text="A visitor's published comment.")
    world.citizen_comment = CommentFactory(
        target=target, author=world.users["citizen"], author_name="", author_email="", text="The citizen's comment."
    )
    world.held_comment = CommentFactory(target=target, status=Comment.Status.PENDING, reason_code="visitor")
    from kelisim.accounts.models import User

    banned = User.objects.create_user(email="banned@world.test", password="world-password-123")
    world.sanction = AuthorSanction.objects.create(
        user=banned, kind="ban", reason="spam", created_by=world.users["moderator"]
    )
    world.word_rule = WordRule.objects.create(phrase="casino", kind="banned")


def _target(world):
    return {"target": HOST, "object_id": world.organisation.pk}


def _comment_data(world):
    return {
        "text": "I would add lectures in schools.",
        "name": "Visitor",
        "email": "v@example.kz",
        "accept_policy": "on",
    }


def _own_comment(world):
    return {"pk": world.citizen_comment.pk}


def _published_comment(world):
    return {"pk": world.comment.pk}


def _held_comment(world):
    return {"pk": world.held_comment.pk}


def _citizen(world):
    return {"user_id": world.users["citizen"].pk}


ACCESS_RULES = [
    Rule("comments:policy", allowed=EVERYONE),
    Rule("comments:thread", kwargs=_target, allowed=EVERYONE),
    Rule("comments:post", kwargs=_target, allowed=EVERYONE, note="form page"),
    Rule("comments:post", kwargs=_target, method="POST", data=_comment_data, allowed=EVERYONE),
    Rule("comments:replies", kwargs=_published_comment, allowed=EVERYONE),
    *page_and_form(
        "comments:edit",
        kwargs=_own_comment,
        data=lambda world: {"text": "The citizen's comment, corrected."},
        allowed={"citizen"},
        note="author",
    ),
    *page_and_form(
        "comments:delete", kwargs=_own_comment, data=lambda world: {"confirm": "1"}, allowed={"citizen"}, note="author"
    ),
    *page_and_form(
        "comments:report", kwargs=_published_comment, data=lambda world: {"reason": "spam"}, allowed=EVERYONE
    ),
    Rule("comments:queue", allowed=MODERATORS),
    Rule("comments:queue", query="status=unreviewed&language=en", allowed=MODERATORS, note="filtered"),
    Rule(
        "comments:bulk",
        method="POST",
        data=lambda world: {"comments": [world.held_comment.pk], "decision": "approve", "reason": "fits_policy"},
        allowed=MODERATORS,
    ),
    *page_and_form(
        "comments:moderate",
        kwargs=_held_comment,
        data=lambda world: {"decision": "reject", "reason": "spam", "note": ""},
        allowed=MODERATORS,
    ),
    *page_and_form(
        "comments:sanction",
        kwargs=_citizen,
        data=lambda world: {"kind": "suspension", "reason": "abuse", "days": "7", "note": "Please keep it civil."},
        allowed=MODERATORS,
    ),
    Rule("comments:sanctions", allowed=MODERATORS),
    *[
        Rule(url_name, kwargs=kwargs, method="POST", data=data, allowed=MODERATORS)
        for url_name, kwargs, data in [
            ("comments:lift_sanction", lambda world: {"pk": world.sanction.pk}, lambda world: {"reason": "appeal"}),
            ("comments:delete_word", lambda world: {"pk": world.word_rule.pk}, lambda world: {"confirm": "1"}),
        ]
    ],
    *page_and_form(
        "comments:words",
        data=lambda world: {"phrase": "lottery", "kind": "suspect", "language": ""},
        allowed=MODERATORS,
    ),
    Rule("api:list_comments", kwargs=_target, allowed=EVERYONE),
    Rule("api:post_comment", kwargs=_target, method="POST", allowed=NOBODY, note="(needs a Bearer token)"),
]
