"""The expert roster's addresses, under /organisations/experts/ in the organisations namespace."""

from django.urls import path

from kelisim.organisations import expert_views

urlpatterns = [
    path("experts/", expert_views.expert_list, name="expert_list"),
    path("experts/join/", expert_views.expert_join, name="expert_join"),
    path("experts/add/", expert_views.expert_add, name="expert_add"),
    path("experts/<int:pk>/", expert_views.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/write/", expert_views.expert_message, name="expert_message"),
    path("experts/<int:pk>/edit/", expert_views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/listing/", expert_views.expert_listing, name="expert_listing"),
]
