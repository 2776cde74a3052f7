"""The expert roster's addresses, under /organisations/experts/ in the organisations namespace."""

from django.urls import path

from kelisim.organisations import expert_views

urlpatterns = [
    path("experts/<int:pk>/", expert_views.expert_detail, name="expert_detail"),
]
