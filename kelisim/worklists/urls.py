from django.urls import path

from kelisim.worklists import views

app_name = "worklists"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:key>/", views.queue, name="queue"),
]
