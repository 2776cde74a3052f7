from django.urls import path, re_path

from kelisim.organisations import expert_views, views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("export.csv", views.organisation_export, name="export"),
    path("register/", views.organisation_register, name="register"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("join-requests/", views.join_requests, name="join_requests"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/join/", views.membership_request, name="join"),
    path("<int:pk>/leave/", views.membership_leave, name="leave"),
    path("<int:pk>/members/", views.member_list, name="members"),
    path("<int:pk>/members/<int:membership_pk>/decide/", views.membership_decide, name="membership_decide"),
    path("<int:pk>/members/<int:membership_pk>/role/", views.membership_role, name="membership_role"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.membership_remove, name="membership_remove"),
    path("<int:pk>/verification/", views.organisation_verify, name="verify"),
    path("<int:pk>/history/", views.organisation_history, name="history"),
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/decide/", views.import_decide, name="import_decide"),
    re_path(r"^imports/template\.(?P<file_format>csv|xlsx)$", views.import_template, name="import_template"),
    # The expert roster.
    path("experts/", expert_views.expert_list, name="expert_list"),
    path("experts/join/", expert_views.expert_join, name="expert_join"),
    path("experts/add/", expert_views.expert_add, name="expert_add"),
    path("experts/<int:pk>/", expert_views.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/write/", expert_views.expert_message, name="expert_message"),
    path("experts/<int:pk>/edit/", expert_views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/listing/", expert_views.expert_listing, name="expert_listing"),
]
