from django.urls import path

from kelisim.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
]
