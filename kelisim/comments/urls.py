from django.urls import path

from kelisim.comments import views

app_name = "comments"

urlpatterns = [
    path("policy/", views.policy, name="policy"),
    path("on/<str:target>/<int:object_id>/", views.thread, name="thread"),
    path("on/<str:target>/<int:object_id>/write/", views.post_comment, name="post"),
    path("<int:pk>/replies/", views.replies, name="replies"),
    path("<int:pk>/edit/", views.edit_comment, name="edit"),
    path("<int:pk>/delete/", views.delete_comment, name="delete"),
    path("<int:pk>/report/", views.report_comment, name="report"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/bulk/", views.bulk_moderate, name="bulk"),
    path("moderation/<int:pk>/", views.moderate, name="moderate"),
    path("moderation/authors/<int:user_id>/sanction/", views.sanction, name="sanction"),
    path("moderation/sanctions/", views.sanctions, name="sanctions"),
    path("moderation/sanctions/<int:pk>/lift/", views.lift_sanction, name="lift_sanction"),
    path("moderation/words/", views.words, name="words"),
    path("moderation/words/<int:pk>/delete/", views.delete_word, name="delete_word"),
]
