from django.urls import path

from kelisim.accounts import views

app_name = "accounts"

# Under /<lang>/accounts/, beside allauth's pages: keep these paths clear of allauth's
# (login/, signup/, email/, password/, 2fa/, reauthenticate/, confirm-email/, ...).
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.api_tokens, name="api_tokens"),
    path("profile/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("profile/my-data.json", views.data_export, name="data_export"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("users/", views.user_list, name="users"),
    path("users/<int:pk>/", views.user_roles, name="user_roles"),
    path("users/<int:pk>/grant/", views.role_grant, name="role_grant"),
    path("users/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("roles/history/", views.role_history, name="role_history"),
    path("signin-link/<str:token>/", views.signin_link, name="signin_link"),
]
