from django.urls import path

from kelisim.funding.views import applications, calls, contracts, review

app_name = "funding"

urlpatterns = [
    # Public register and open data
    path("", calls.call_list, name="index"),
    path("calls/<slug:reference>/", calls.call_detail, name="call_detail"),
    path("contracts/", contracts.contract_register, name="contracts"),
    path("contracts/<str:number>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<str:number>/ocds-release.json", contracts.ocds_contract_release, name="ocds_contract_release"),
    path("contracts/<str:number>/ocds-record.json", contracts.ocds_contract_record, name="ocds_contract_record"),
    path("ocds/releases.json", contracts.ocds_releases, name="ocds_releases"),
    path("ocds/records.json", contracts.ocds_records, name="ocds_records"),
    path("360giving/grants.json", contracts.giving360_json, name="giving360_json"),
    path("360giving/grants.xlsx", contracts.giving360_xlsx, name="giving360_xlsx"),
    path("360giving/grants.csv", contracts.giving360_csv, name="giving360_csv"),
    # Applicants
    path("applications/", applications.application_list, name="applications"),
    path("calls/<slug:reference>/apply/", applications.application_start, name="application_start"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path("attachments/<int:pk>/", applications.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", applications.attachment_remove, name="attachment_remove"),
    path("submitted-files/<int:pk>/", applications.revision_file_download, name="revision_file"),
    path("milestones/<int:pk>/report/", contracts.milestone_report, name="milestone_report"),
    path("milestones/<int:pk>/wording/", contracts.milestone_texts, name="milestone_texts"),
    path("evidence/<int:pk>/", contracts.evidence_download, name="evidence"),
    # Reviewers
    path("reviews/", review.review_list, name="reviews"),
    path("reviews/<int:pk>/", review.review, name="review"),
    path("reviews/<int:pk>/conflict/", review.review_conflict, name="review_conflict"),
    # Officers
    path("manage/", calls.dashboard, name="dashboard"),
    path("manage/calls/new/", calls.call_create, name="call_create"),
    path("manage/calls/<slug:reference>/", calls.call_edit, name="call_edit"),
    path("manage/calls/<slug:reference>/questions/", calls.question_add, name="question_add"),
    path("manage/questions/<int:pk>/remove/", calls.question_remove, name="question_remove"),
    path("manage/questions/<int:pk>/move/", calls.question_move, name="question_move"),
    path("manage/calls/<slug:reference>/criteria/", calls.criterion_add, name="criterion_add"),
    path("manage/criteria/<int:pk>/remove/", calls.criterion_remove, name="criterion_remove"),
    path("manage/calls/<slug:reference>/status/", calls.call_status, name="call_status"),
    path("manage/calls/<slug:reference>/ranking/", calls.ranking, name="ranking"),
    path("applications/<int:pk>/assign/", review.application_assign, name="application_assign"),
    path("applications/<int:pk>/determine/", applications.application_determine, name="application_determine"),
    path("applications/<int:pk>/contract/", applications.contract_create, name="contract_create"),
    path("contracts/<str:number>/milestones/", contracts.milestone_add, name="milestone_add"),
    path("contracts/<str:number>/status/", contracts.contract_status, name="contract_status"),
    path("contracts/<str:number>/amend/", contracts.contract_amend, name="contract_amend"),
    path("contracts/<str:number>/wording/", contracts.contract_texts, name="contract_texts"),
    path("reports/<int:pk>/decide/", contracts.report_decide, name="report_decide"),
]
