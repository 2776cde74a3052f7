from django.urls import path

from kelisim.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<str:file_format>", views.dashboard_export, name="dashboard_export"),
    path("internal/", views.dashboard_internal, name="dashboard_internal"),
    path("internal/export.<str:file_format>", views.dashboard_internal_export, name="dashboard_internal_export"),
    path("internal/reports.csv", views.reports_export, name="reports_export"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("reports/", views.my_reports, name="my_reports"),
    path("reports/queue/", views.queue, name="queue"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/transition/", views.report_transition, name="report_transition"),
    path("organisation/<int:pk>/", views.organisation_reports, name="organisation_reports"),
    path("organisation/<int:pk>/new/", views.report_create, name="report_create"),
    path("organisation/<int:pk>/import/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/template.xlsx", views.import_template, name="import_template"),
]
