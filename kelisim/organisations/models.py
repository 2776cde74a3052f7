from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.core import files
from kelisim.core.fields import DESCRIPTION, BoundedTextField
from kelisim.core.i18n import ContentLanguage, Localized
from kelisim.core.links import validate_web_url
from kelisim.core.models import Region, Strand
from kelisim.core.search import SearchIndex
from kelisim.core.workflow import Workflow
from kelisim.organisations.validators import validate_bin

# Names in three languages and the BIN weigh most; descriptions count too. Created by migration
# 0002 (FTS5 on SQLite, a GIN index on PostgreSQL); kept in step by kelisim.core.search.
ORGANISATION_SEARCH = SearchIndex(
    name="organisations_organisation_search",
    table="organisations_organisation",
    columns=(
        ("name_kk", "A"),
        ("name_ru", "A"),
        ("name_en", "A"),
        ("bin", "A"),
        ("description_kk", "C"),
        ("description_ru", "C"),
        ("description_en", "C"),
    ),
)


class LanguageSet(models.CharField):
    """A set of content languages kept as sorted comma-separated codes ("en,kk,ru")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)


def language_codes(value: str) -> list[str]:
    return [code for code in value.split(",") if code]


def language_labels(value: str) -> list[str]:
    labels = dict(ContentLanguage.choices)
    return [str(labels.get(code, code)) for code in language_codes(value)]


class BlankAsNull(models.Func):
    """NULLIF(column, '') with the empty string written into the SQL, not passed as a parameter:
    an expression index can serve an ORDER BY only when both are the same text."""

    template = "NULLIF(%(expressions)s, '')"
    output_field = models.CharField()


def any_to_any(states) -> dict[str, set[str]]:
    """A transition table in which every state may follow every other one."""
    return {state: {other for other in states if other != state} for state in states}


def sort_name(language: str):
    """The name in ``language``, falling back to the other languages, then the BIN, lowercased.

    The public list sorts by this; one expression index per language (see Organisation.Meta)
    lets the database read a page in order instead of sorting 23,000 rows.
    """
    from django.db.models.functions import Coalesce, Lower

    from kelisim.core.i18n import fallback_order

    return Lower(Coalesce(*[BlankAsNull(f"name_{code}") for code in fallback_order(language)], "bin"))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        GOVERNMENT = "government", _("Government body")

    class LegalForm(models.TextChoices):
        PUBLIC_ASSOCIATION = "public_association", _("Public association")
        PUBLIC_FOUNDATION = "public_foundation", _("Public foundation")
        ASSOCIATION = "association", _("Association of legal entities")
        PRIVATE_INSTITUTION = "private_institution", _("Private institution")
        RELIGIOUS_ASSOCIATION = "religious_association", _("Religious association")
        NONPROFIT_COMPANY = "nonprofit_company", _("Non-profit joint-stock company")
        STATE_BODY = "state_body", _("State body")
        OTHER = "other", _("Other")

    class Verification(models.TextChoices):
        UNVERIFIED = "unverified", _("Not verified")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Verification refused")
        EXCLUDED = "excluded", _("Excluded")

    # An officer may move an organisation between any two verification states, always with a reason;
    # the table is explicit so that a later rule (say, "excluded is final") is a one-line change.
    VERIFICATION_WORKFLOW = Workflow(any_to_any(Verification.values), field="verification_status")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NGO)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[validate_bin])
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    focus_strands = models.ManyToManyField(
        Strand, blank=True, related_name="organisations", verbose_name=_("focus strands")
    )
    working_languages = LanguageSet(_("working languages"))
    public_email = models.EmailField(_("public email"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    private_email = models.EmailField(
        _("private email"), blank=True, help_text=_("Seen only by the organisation's admins and officers.")
    )
    private_phone = models.CharField(
        _("private phone"),
        max_length=40,
        blank=True,
        help_text=_("Seen only by the organisation's admins and officers."),
    )
    website = models.URLField(_("website"), blank=True, validators=[validate_web_url])
    description_kk = BoundedTextField(_("description (Kazakh)"), blank=True, max_length=DESCRIPTION)
    description_ru = BoundedTextField(_("description (Russian)"), blank=True, max_length=DESCRIPTION)
    description_en = BoundedTextField(_("description (English)"), blank=True, max_length=DESCRIPTION)
    verification_status = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
        db_index=True,
    )
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[focus_strands])

    name = Localized("name")
    description = Localized("description")

    class Meta:
        ordering = ["name_ru", "pk"]
        indexes = [
            models.Index(fields=["region", "verification_status"]),
            models.Index(fields=["name_ru"]),
            models.Index(sort_name("kk"), models.F("id"), name="organisation_sort_name_kk"),
            models.Index(sort_name("ru"), models.F("id"), name="organisation_sort_name_ru"),
            models.Index(sort_name("en"), models.F("id"), name="organisation_sort_name_en"),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name or self.bin

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED

    @property
    def verification_badge_class(self) -> str:
        return {
            self.Verification.VERIFIED: "badge-ok",
            self.Verification.REJECTED: "badge-danger",
            self.Verification.EXCLUDED: "badge-danger",
        }.get(self.verification_status, "badge-warn")

    @property
    def working_language_list(self) -> list[str]:
        return language_labels(self.working_languages)


# The fields an NGO admin keeps up to date (and an import file describes). The BIN is the organisation's
# identity and the verification fields are the officers': neither is among them.
PROFILE_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "legal_form",
    "registration_date",
    "region",
    "address",
    "working_languages",
    "public_email",
    "public_phone",
    "private_email",
    "private_phone",
    "website",
    "description_kk",
    "description_ru",
    "description_en",
)


class Membership(models.Model):
    """A person's place in an organisation: asked for by the person, approved by an NGO admin."""

    class Role(models.TextChoices):
        MEMBER = "member", _("NGO member")
        ADMIN = "admin", _("NGO admin")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")

    # Asked -> approved or declined; a declined person may ask again. Leaving or being removed deletes
    # the membership (its history keeps who removed it and why).
    WORKFLOW = Workflow(
        {
            Status.PENDING: {Status.ACTIVE, Status.DECLINED},
            Status.DECLINED: {Status.PENDING},
            Status.ACTIVE: set(),
        }
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def is_active_admin(self) -> bool:
        return self.status == self.Status.ACTIVE and self.role == self.Role.ADMIN


class ExpertiseField(models.Model):
    """A field an expert works in: theology, psychology, law, public speaking, …"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)

    name = Localized("name")

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """A lecturer or expert who agreed to be listed (S7). The contact address is never shown."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
        verbose_name=_("account"),
    )
    full_name = models.CharField(_("name"), max_length=200)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    bio_kk = BoundedTextField(_("about (Kazakh)"), blank=True, max_length=4000)
    bio_ru = BoundedTextField(_("about (Russian)"), blank=True, max_length=4000)
    bio_en = BoundedTextField(_("about (English)"), blank=True, max_length=4000)
    fields = models.ManyToManyField(ExpertiseField, related_name="experts", verbose_name=_("fields"))
    languages = LanguageSet(_("languages"))
    regions = models.ManyToManyField(
        Region, blank=True, related_name="experts", verbose_name=_("regions they travel to")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name=_("organisation"),
    )
    contact_email = models.EmailField(_("contact email"), help_text=_("Never shown; messages are forwarded."))
    consent_given_at = models.DateTimeField(_("agreed to be listed on"), default=timezone.now)
    is_listed = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    title = Localized("title")
    bio = Localized("bio")

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("organisations:expert_detail", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        return language_labels(self.languages)


class ImportJob(models.Model):
    """An upload of organisations (CSV or XLSX) processed by a background task, with its report."""

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("Import nothing unless every row is valid")
        VALID_ROWS = "valid_rows", _("Import the valid rows, report the others")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        PREVIEW = "preview", _("Checked: waiting for your confirmation")
        CONFIRMED = "confirmed", _("Confirmed: waiting to be written")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected: nothing imported")
        CANCELLED = "cancelled", _("Cancelled: nothing imported")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    source = models.FileField(_("file"), **files.REGISTRY_IMPORT.field_options())
    original_name = models.CharField(max_length=255)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)

    class Stage(models.TextChoices):
        WAITING = "waiting", _("Waiting for a worker")
        READING = "reading", _("Reading the file")
        CHECKING = "checking", _("Checking rows")
        SAVING = "saving", _("Saving")
        FINISHED = "finished", _("Finished")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.WAITING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0, help_text="Rows checked so far.")
    saved_rows = models.PositiveIntegerField(default=0, help_text="Rows written so far.")
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # What writing would do (importing.preview): counts, rows to create, rows to update with their changes.
    preview = models.JSONField(default=dict, db_default={}, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING, self.Status.CONFIRMED}

    @property
    def progress_percent(self) -> int:
        """Checking is the first half of the work, saving the second."""
        if not self.is_running:
            return 100
        if not self.total_rows:
            return 0
        checked = min(1.0, self.processed_rows / self.total_rows)
        saved = min(1.0, self.saved_rows / self.total_rows)
        return min(99, round(50 * checked + 50 * saved))
