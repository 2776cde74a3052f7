"""Reading a document version, and the officers' pages that import versions and set the window."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.decorators import officer_required
from kelisim.consultations import selectors, services
from kelisim.consultations.forms import ImportForm, WindowForm
from kelisim.consultations.models import Document, DocumentVersion
from kelisim.consultations.views.saving import saved
from kelisim.core.pagecache import public_page

PAGE_SIZE = 25
# The import form's fields that services.create_version takes as they are.
VERSION_FIELDS = ("markdown", "language", "opens_at", "closes_at", "allow_anonymous", "note")


@public_page("consultations", "core")
def index(request):
    return render(request, "consultations/index.html", {"documents": selectors.documents_for_index()})


@public_page("consultations", "comments", "core")
def document(request, slug):
    version = selectors.latest_published_version(slug)
    return _render_version(request, version)


@public_page("consultations", "comments", "core")
def version(request, slug, number):
    return _render_version(request, selectors.published_version(slug, number))


def _render_version(request, version: DocumentVersion):
    outline = selectors.version_outline(version)
    other_versions = version.document.versions.filter(is_published=True).order_by("-number").only("number", "document")
    return render(
        request,
        "consultations/version.html",
        {"version": version, "outline": outline, "document": version.document, "other_versions": other_versions},
    )


@public_page("consultations", "comments", "core")
def paragraph(request, slug, number, key):
    version = selectors.published_version(slug, number)
    paragraph = selectors.paragraph_in_version(version, key)
    suggestions = selectors.suggestions_on_paragraph_key(version.document_id, key)
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/paragraph.html",
        {"version": version, "document": version.document, "paragraph": paragraph, "page_obj": page},
    )


@officer_required
def import_document(request, slug):
    document = get_object_or_404(Document, slug=slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    version = None

    def save(data) -> str:
        nonlocal version
        version = _import(request.user, document, data)
        return _("Version %(number)d saved.") % {"number": version.number}

    if request.method == "POST" and saved(request, form, save):
        return redirect(version)
    status = 400 if request.method == "POST" else 200
    return render(request, "consultations/import.html", {"document": document, "form": form}, status=status)


def _import(actor, document: Document, data: dict) -> DocumentVersion:
    if data["mode"] == "translation":
        latest = document.versions.order_by("-number").first()
        if latest is None:
            raise ValidationError({"mode": _("Import a first version before a translation.")})
        return services.add_translation(
            actor=actor, version=latest, markdown=data["markdown"], language=data["language"]
        )
    fields = {name: data[name] for name in VERSION_FIELDS}
    return services.create_version(actor=actor, document=document, **fields)


@officer_required
def edit_window(request, slug, number):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), document__slug=slug, number=number)
    initial = {
        "opens_at": timezone.localtime(version.opens_at),
        "closes_at": timezone.localtime(version.closes_at),
        "allow_anonymous": version.allow_anonymous,
        "is_published": version.is_published,
        "intake_address": version.intake_address,
    }
    form = WindowForm(request.POST or None, initial=initial)

    def save(data) -> str:
        services.set_window(actor=request.user, version=version, **data)
        return _("Consultation window saved.")

    if request.method == "POST" and saved(request, form, save):
        return redirect("consultations:triage")
    return render(
        request,
        "consultations/window.html",
        {"version": version, "form": form},
        status=400 if form.errors else 200,
    )
