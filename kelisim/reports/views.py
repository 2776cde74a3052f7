"""Public report pages and their PDF (and XLSX) files, in the reader's language."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from kelisim.consultations.models import DocumentVersion
from kelisim.core.exports import xlsx_response
from kelisim.core.i18n import active_language
from kelisim.reports import consultation, pdf, yearly


def _version(slug: str, number: int) -> DocumentVersion:
    return get_object_or_404(
        DocumentVersion.objects.select_related("document__programme"),
        document__slug=slug,
        number=number,
        is_published=True,
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def consultation_report(request, slug, number):
    version = _version(slug, number)
    return render(request, "reports/consultation_report.html", consultation.report(version))


@require_GET
def consultation_report_pdf(request, slug, number):
    version = _version(slug, number)
    language = active_language()
    content = pdf.cached_pdf(
        "consultation",
        f"{slug}-v{number}",
        language,
        consultation.stamp(version),
        lambda lang: consultation_pdf(version, lang),
    )
    return _pdf_response(content, f"consultation-report-{slug}-v{number}-{get_language()}.pdf")


def consultation_pdf(version: DocumentVersion, language: str) -> bytes:
    from django.utils import translation

    with translation.override(language):
        context = consultation.report(version)
    return pdf.render_pdf("reports/consultation_report_pdf.html", context, language=language)


def _year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


@require_GET
def yearly_report(request, year):
    return render(request, "reports/yearly_report.html", yearly.report(_year(year)))


def yearly_pdf(year: int, language: str) -> bytes:
    from django.utils import translation

    with translation.override(language):
        context = yearly.report(year)
    return pdf.render_pdf("reports/yearly_report_pdf.html", context, language=language)


@require_GET
def yearly_report_pdf(request, year):
    year = _year(year)
    content = pdf.cached_pdf(
        "yearly", str(year), active_language(), yearly.stamp(year), lambda lang: yearly_pdf(year, lang)
    )
    return _pdf_response(content, f"implementation-report-{year}-{get_language()}.pdf")


@require_GET
def yearly_report_xlsx(request, year):
    data = yearly.report(_year(year))
    return xlsx_response(f"implementation-report-{year}-{get_language()}.xlsx", yearly.workbook(data))
