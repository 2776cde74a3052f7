"""Steps of the comment journeys that several hosts' browser tests take."""


def approve_in_the_moderation_queue(moderator, comment) -> None:
    """A signed-in moderator's page approves ``comment`` from the queue as fitting the policy."""
    moderator.goto("/en/comments/moderation/")
    moderator.get_by_label(f"Select comment {comment.pk}").check()
    moderator.get_by_label("Approve").check()
    moderator.get_by_label("Reason").select_option("fits_policy")
    moderator.get_by_role("button", name="Apply to selected").click()
    moderator.wait_for_load_state()
    assert "1 comment moderated" in moderator.locator(".messages").inner_text()
