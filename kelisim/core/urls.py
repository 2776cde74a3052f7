from django.urls import path

from kelisim.core import catalogue, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy-and-open-data/", views.about_data, name="about_data"),
    path("data/", catalogue.catalogue_page, name="data_catalogue"),
    path("search/", views.site_search, name="search"),
]
