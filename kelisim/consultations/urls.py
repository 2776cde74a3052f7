from django.urls import path

from kelisim.consultations.views import documents, intake, open_data, suggestions, triage

app_name = "consultations"

urlpatterns = [
    path("", documents.index, name="index"),
    path("suggestions/", suggestions.suggestion_list, name="list"),
    path("suggestions.csv", open_data.export_csv, name="export_csv"),
    path("suggestions.json", open_data.export_json, name="export_json"),
    path("statistics/", open_data.statistics, name="statistics"),
    path("s/<str:reference>/", suggestions.suggestion_detail, name="suggestion"),
    path("s/<str:reference>/support/", suggestions.support, name="support"),
    path("follow/<str:token>/", suggestions.follow, name="follow"),
    path("confirm-email/<str:token>/", suggestions.confirm_email, name="confirm_email"),
    path("triage/", triage.triage, name="triage"),
    path("triage/record/", triage.record, name="record"),
    path("triage/email/", intake.email_intake, name="email_intake"),
    path("triage/email/<int:pk>/resolve/", intake.resolve_email, name="resolve_email"),
    path("triage/<str:reference>/", triage.triage_detail, name="triage_detail"),
    path("triage/<str:reference>/scan/", triage.scan, name="scan"),
    path("triage/<str:reference>/attachment/<int:pk>/", intake.email_attachment, name="email_attachment"),
    path("d/<slug:slug>/", documents.document, name="document"),
    path("d/<slug:slug>/import/", documents.import_document, name="import"),
    path("d/<slug:slug>/v<int:number>/", documents.version, name="version"),
    path("d/<slug:slug>/v<int:number>/window/", documents.edit_window, name="window"),
    path("d/<slug:slug>/v<int:number>/suggest/", suggestions.suggest, name="suggest"),
    path("d/<slug:slug>/v<int:number>/p/<str:key>/", documents.paragraph, name="paragraph"),
]
