from django.urls import path

from kelisim.reports import views

app_name = "reports"

urlpatterns = [
    path("consultation/<slug:slug>/v<int:number>/", views.consultation_report, name="consultation"),
    path("consultation/<slug:slug>/v<int:number>/report.pdf", views.consultation_report_pdf, name="consultation_pdf"),
    path("year/<int:year>/", views.yearly_report, name="yearly"),
    path("year/<int:year>/report.pdf", views.yearly_report_pdf, name="yearly_pdf"),
    path("year/<int:year>/report.xlsx", views.yearly_report_xlsx, name="yearly_xlsx"),
]
