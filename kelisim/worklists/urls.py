from django.urls import path

from kelisim.worklists import views

app_name = "worklists"

urlpatterns = [
    path("", views.home, name="home"),
    # Before the queues: "translations" is not a queue key.
    path("translations/", views.missing_translations, name="translations"),
    path("<slug:key>/", views.queue, name="queue"),
]
