from kelisim.notifications.models import Follow, Notification, Preference


def export_personal_data(user) -> dict:
    return {
        "email_choice": Preference.objects.filter(user=user).values_list("email", flat=True).first() or "immediately",
        "follows": [
            {"object": f"{follow.content_type.app_label}.{follow.content_type.model}:{follow.object_id}"}
            for follow in Follow.objects.filter(user=user).select_related("content_type")
        ],
        "notifications": [
            {"kind": n.kind, "text": n.text, "created_at": n.created_at.isoformat(), "read": n.read_at is not None}
            for n in Notification.objects.filter(recipient=user)
        ],
    }


def erase_personal_data(user) -> None:
    Notification.objects.filter(recipient=user).delete()
    Follow.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()
