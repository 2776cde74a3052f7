from django_tasks import task


@task()
def render_consultation_reports(version_id: int) -> int:
    """Build and store the consultation report's PDF in kk, ru and en for the data as it is now (a second
    run finds the files stored and builds nothing)."""
    from kelisim.consultations.models import DocumentVersion
    from kelisim.reports import consultation, pdf
    from kelisim.reports.views import consultation_pdf

    version = DocumentVersion.objects.select_related("document").filter(pk=version_id, is_published=True).first()
    if version is None:
        return 0
    stamp = consultation.stamp(version)
    key = f"{version.document.slug}-v{version.number}"
    languages = ("kk", "ru", "en")
    for language in languages:
        pdf.cached_pdf("consultation", key, language, stamp, lambda lang, v=version: consultation_pdf(v, lang))
    return len(languages)
