from django.urls import path

from kelisim.activities.views import dashboards, imports, indicators, opendata, reports

app_name = "activities"

urlpatterns = [
    path("", dashboards.dashboard, name="dashboard"),
    path("export.<str:file_format>", dashboards.dashboard_export, name="dashboard_export"),
    path("internal/", dashboards.dashboard_internal, name="dashboard_internal"),
    path("internal/export.<str:file_format>", dashboards.dashboard_internal_export, name="dashboard_internal_export"),
    path("internal/reports.csv", dashboards.reports_export, name="reports_export"),
    path("indicators/", indicators.indicators, name="indicators"),
    path("iati/activities.xml", opendata.iati_activities, name="iati_activities"),
    path("indicators/<int:pk>/", indicators.indicator_edit, name="indicator_edit"),
    path("indicators/evidence/<int:pk>/", indicators.evidence_file, name="evidence_file"),
    path("reports/", reports.my_reports, name="my_reports"),
    path("reports/queue/", reports.queue, name="queue"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/file/", reports.report_file, name="report_file"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/transition/", reports.report_transition, name="report_transition"),
    path("organisation/<int:pk>/", reports.organisation_reports, name="organisation_reports"),
    path("organisation/<int:pk>/new/", reports.report_create, name="report_create"),
    path("organisation/<int:pk>/import/", imports.import_upload, name="import_upload"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/decide/", imports.import_decide, name="import_decide"),
    path("imports/template.xlsx", imports.import_template, name="import_template"),
]
