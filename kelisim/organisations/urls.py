from django.urls import path

from kelisim.organisations import expert_urls, views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    *expert_urls.urlpatterns,
]
