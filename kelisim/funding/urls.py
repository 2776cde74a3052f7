from django.urls import path

from kelisim.funding import views

app_name = "funding"

urlpatterns = [
    # Public register and open data
    path("", views.call_list, name="index"),
    path("calls/<slug:reference>/", views.call_detail, name="call_detail"),
    path("contracts/", views.contract_register, name="contracts"),
    path("contracts/<str:number>/", views.contract_detail, name="contract_detail"),
    path("contracts/<str:number>/ocds-release.json", views.ocds_contract_release, name="ocds_contract_release"),
    path("contracts/<str:number>/ocds-record.json", views.ocds_contract_record, name="ocds_contract_record"),
    path("ocds/releases.json", views.ocds_releases, name="ocds_releases"),
    path("ocds/records.json", views.ocds_records, name="ocds_records"),
    # Applicants
    path("applications/", views.application_list, name="applications"),
    path("calls/<slug:reference>/apply/", views.application_start, name="application_start"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("submitted-files/<int:pk>/", views.revision_file_download, name="revision_file"),
    path("milestones/<int:pk>/report/", views.milestone_report, name="milestone_report"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    # Reviewers
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/conflict/", views.review_conflict, name="review_conflict"),
    # Officers
    path("manage/", views.dashboard, name="dashboard"),
    path("manage/calls/new/", views.call_create, name="call_create"),
    path("manage/calls/<slug:reference>/", views.call_edit, name="call_edit"),
    path("manage/calls/<slug:reference>/questions/", views.question_add, name="question_add"),
    path("manage/questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("manage/questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("manage/calls/<slug:reference>/criteria/", views.criterion_add, name="criterion_add"),
    path("manage/criteria/<int:pk>/remove/", views.criterion_remove, name="criterion_remove"),
    path("manage/calls/<slug:reference>/status/", views.call_status, name="call_status"),
    path("manage/calls/<slug:reference>/ranking/", views.ranking, name="ranking"),
    path("applications/<int:pk>/assign/", views.application_assign, name="application_assign"),
    path("applications/<int:pk>/determine/", views.application_determine, name="application_determine"),
    path("applications/<int:pk>/contract/", views.contract_create, name="contract_create"),
    path("contracts/<str:number>/milestones/", views.milestone_add, name="milestone_add"),
    path("contracts/<str:number>/status/", views.contract_status, name="contract_status"),
    path("contracts/<str:number>/amend/", views.contract_amend, name="contract_amend"),
    path("reports/<int:pk>/decide/", views.report_decide, name="report_decide"),
]
