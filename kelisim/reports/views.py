"""Public report pages and their PDF (and XLSX) files, in the reader's language."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from kelisim.consultations.models import DocumentVersion
from kelisim.core.i18n import active_language
from kelisim.reports import consultation, pdf


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
