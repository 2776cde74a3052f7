from django.urls import path

from kelisim.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy-and-open-data/", views.about_data, name="about_data"),
]
