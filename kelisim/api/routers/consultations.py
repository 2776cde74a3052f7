"""The public consultation: documents, suggestions, and sending a suggestion under the form's rules.

No personal data leaves through here: suggestions carry no author, email or token.
"""

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja import Status as Answer
from ninja.errors import AuthenticationError
from ninja.pagination import paginate

from kelisim.api.auth import token_auth
from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.consultations import selectors, services, validation
from kelisim.consultations.models import TEXT_MAX_LENGTH, Status, Suggestion
from kelisim.consultations.ratelimit import client_address
from kelisim.core.models import Region, Strand

router = Router(tags=["consultation"])


def _clean(value: str) -> str:
    """PostgreSQL text cannot hold NUL; such input matches nothing rather than failing."""
    return value.replace("\x00", "")


class DocumentVersionOut(Schema):
    number: int
    opens_at: datetime
    closes_at: datetime
    is_open: bool
    allow_anonymous: bool

    @staticmethod
    def resolve_is_open(version) -> bool:
        return version.is_open()


class DocumentOut(Schema):
    slug: str
    kind: str
    title_kk: str
    title_ru: str
    title_en: str
    programme: str
    versions: list[DocumentVersionOut]

    @staticmethod
    def resolve_programme(document) -> str:
        return document.programme.slug

    @staticmethod
    def resolve_versions(document) -> list:
        return document.published_versions


class ParagraphOut(Schema):
    key: str = Field(description="Stable ID: the same paragraph keeps it in later versions.")
    text_kk: str
    text_ru: str
    text_en: str
    suggestion_count: int


class SectionOut(Schema):
    key: str
    heading_kk: str
    heading_ru: str
    heading_en: str
    paragraphs: list[ParagraphOut]

    @staticmethod
    def resolve_paragraphs(section) -> list:
        return list(section.paragraphs.all())


class DocumentTextOut(Schema):
    slug: str
    version: DocumentVersionOut
    sections: list[SectionOut]


class SuggestionOut(Schema):
    reference: str
    document: str
    version: int
    section: str | None = Field(description="Stable ID of the section, if the suggestion is about one.")
    paragraph: str | None = Field(description="Stable ID of the paragraph, if the suggestion is about one.")
    title: str
    text: str
    language: str
    strand: str | None
    region: str | None
    status: str
    official_answer: str
    answered_at: datetime | None
    merged_into: str | None
    support_count: int
    signed: bool
    created_at: datetime

    @staticmethod
    def resolve_document(suggestion) -> str:
        return suggestion.version.document.slug

    @staticmethod
    def resolve_official_answer(suggestion) -> str:
        return suggestion.answer_text

    @staticmethod
    def resolve_version(suggestion) -> int:
        return suggestion.version.number

    @staticmethod
    def resolve_section(suggestion) -> str | None:
        return suggestion.section.key if suggestion.section_id else None

    @staticmethod
    def resolve_paragraph(suggestion) -> str | None:
        return suggestion.paragraph.key if suggestion.paragraph_id else None

    @staticmethod
    def resolve_strand(suggestion) -> str | None:
        return suggestion.strand.code if suggestion.strand_id else None

    @staticmethod
    def resolve_region(suggestion) -> str | None:
        return suggestion.region.code if suggestion.region_id else None

    @staticmethod
    def resolve_merged_into(suggestion) -> str | None:
        return suggestion.merged_into.reference if suggestion.merged_into_id else None

    @staticmethod
    def resolve_signed(suggestion) -> bool:
        return suggestion.author_id is not None


class SuggestionFilters(Schema):
    q: str = Field("", max_length=200, description="Words in the title or text.")
    document: str = Field("", max_length=80, description="Document slug.")
    status: str = Field("", max_length=20, description="One of: " + ", ".join(Status.values))
    language: str = Field("", max_length=2, description="kk, ru or en.")
    strand: str = Field("", max_length=40, description="Strand code.")
    region: str = Field("", max_length=8, description="Region code, e.g. KZ-71.")
    sort: str = Field("", max_length=10, description="newest (default), oldest or support.")


class SuggestionIn(Schema):
    document: str = Field(max_length=80, description="Document slug; the latest published version is used.")
    text: str = Field(description=f"10 to {TEXT_MAX_LENGTH} characters.")
    title: str = Field("", max_length=200)
    section: str = Field("", max_length=20, description="Stable ID of a section, or empty.")
    paragraph: str = Field("", max_length=20, description="Stable ID of a paragraph, or empty.")
    language: str = Field("", max_length=2, description="kk, ru or en; detected from the text when empty.")
    strand: str = Field("", max_length=40)
    region: str = Field("", max_length=8)
    contact_email: str = Field("", max_length=254, description="Anonymous only: an address to hear the answer.")


class SuggestionCreated(Schema):
    reference: str
    status: str
    follow_url: str = Field(description="The author's private link. Keep it secret.")


@router.get(
    "/consultations/documents",
    response={200: list[DocumentOut], 422: Error},
    summary="Documents under consultation",
)
@paginate(Page)
def list_documents(request):
    return selectors.documents_for_index()


@router.get(
    "/consultations/documents/{slug}",
    response={200: DocumentTextOut, 404: Error},
    summary="The latest published text of a document, section by section",
)
def get_document(request, slug: str):
    version = selectors.latest_published_version(_clean(slug))
    outline = selectors.version_outline(version)
    return {"slug": slug, "version": version, "sections": outline.sections}


@router.get(
    "/consultations/suggestions",
    response={200: list[SuggestionOut], 422: Error},
    summary="Suggestions, newest first",
)
@paginate(Page)
def list_suggestions(request, filters: Query[SuggestionFilters]):
    for name in ("q", "document", "status", "language", "strand", "region", "sort"):
        setattr(filters, name, _clean(getattr(filters, name)))
    if (filters.status and filters.status not in Status.values) or (
        filters.language and filters.language not in ("kk", "ru", "en")
    ):
        return Suggestion.objects.none()
    queryset = selectors.public_suggestions().select_related("merged_into")
    if filters.document:
        queryset = queryset.filter(version__document__slug=filters.document)
    values = {}
    if filters.strand:
        values["strand"] = Strand.objects.filter(code=filters.strand).first()
        if values["strand"] is None:
            return Suggestion.objects.none()
    if filters.region:
        values["region"] = Region.objects.filter(code=filters.region).first()
        if values["region"] is None:
            return Suggestion.objects.none()
    sort = filters.sort if filters.sort in selectors.SORTS else "newest"
    return selectors.filter_suggestions(
        queryset,
        {"q": filters.q, "status": filters.status, "language": filters.language, "sort": sort, **values},
    )


@router.get(
    "/consultations/suggestions/{reference}",
    response={200: SuggestionOut, 404: Error},
    summary="One suggestion by its reference",
)
def get_suggestion(request, reference: str):
    return get_object_or_404(selectors.public_suggestions().select_related("merged_into"), reference=_clean(reference))


@router.post(
    "/consultations/suggestions",
    response={201: SuggestionCreated, 400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error},
    summary="Send a suggestion, anonymously or with a token",
    description="The same rules as the form: the consultation must be open, anonymous sending must be allowed "
    "without a token, the text must be 10–1500 characters, and rate limits apply (3 an hour per address "
    "anonymously, 20 a day per account). A limited request gets 429 with Retry-After.",
)
def submit_suggestion(request, payload: SuggestionIn):
    for name in ("document", "text", "title", "section", "paragraph", "language", "strand", "region", "contact_email"):
        setattr(payload, name, _clean(getattr(payload, name)))
    user = _token_user(request)
    if not payload.document:
        raise Http404
    version = selectors.latest_published_version(payload.document)
    related = validation.reference_data(strand=payload.strand, region=payload.region)
    section, paragraph = validation.target_by_keys(
        version, section_key=payload.section, paragraph_key=payload.paragraph
    )
    suggestion = services.submit_suggestion(
        version=version,
        author=user,
        address=client_address(request),
        text=payload.text,
        title=payload.title,
        language=payload.language,
        section=section,
        paragraph=paragraph,
        contact_email=payload.contact_email if user is None else "",
        **related,
    )
    with translation.override(suggestion.language):
        follow_path = reverse("consultations:follow", args=[suggestion.follow_token])
    return Answer(
        201,
        {
            "reference": suggestion.reference,
            "status": suggestion.status,
            "follow_url": request.build_absolute_uri(follow_path),
        },
    )


def _token_user(request):
    """The token's owner, or None without one; a token that is not valid is refused (401)."""
    if not request.headers.get("Authorization"):
        return None
    user = token_auth(request)
    if user is None:
        raise AuthenticationError
    return user
