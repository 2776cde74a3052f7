from django.urls import path

from kelisim.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.roundtable_list, name="list"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("new/", views.edit, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel-registration/", views.cancel_registration, name="cancel_registration"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda/<int:item_id>/decide/", views.decide, name="decide"),
    path("<int:pk>/decisions/<int:decision_id>/withdraw/", views.withdraw_decision, name="withdraw_decision"),
    path("<int:pk>/decisions/<int:decision_id>/wording/", views.decision_texts, name="decision_texts"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/attachments/", views.upload_attachment, name="upload_attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/close/", views.close, name="close"),
]
