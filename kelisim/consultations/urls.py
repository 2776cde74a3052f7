from django.urls import path

from kelisim.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.index, name="index"),
    path("suggestions/", views.suggestion_list, name="list"),
    path("suggestions.csv", views.export_csv, name="export_csv"),
    path("suggestions.json", views.export_json, name="export_json"),
    path("statistics/", views.statistics, name="statistics"),
    path("s/<str:reference>/", views.suggestion_detail, name="suggestion"),
    path("s/<str:reference>/support/", views.support, name="support"),
    path("follow/<str:token>/", views.follow, name="follow"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("triage/", views.triage, name="triage"),
    path("triage/<str:reference>/", views.triage_detail, name="triage_detail"),
    path("d/<slug:slug>/", views.document, name="document"),
    path("d/<slug:slug>/import/", views.import_document, name="import"),
    path("d/<slug:slug>/v<int:number>/", views.version, name="version"),
    path("d/<slug:slug>/v<int:number>/window/", views.edit_window, name="window"),
    path("d/<slug:slug>/v<int:number>/suggest/", views.suggest, name="suggest"),
    path("d/<slug:slug>/v<int:number>/p/<str:key>/", views.paragraph, name="paragraph"),
]
