"""The consultation report of one document version: "what you said, what we did", built from the data.

Counts by channel, language, region and strand; how the suggestions were answered; every accepted or partly
accepted suggestion with the plan items it shaped and the roundtable decision; the groups of merged
duplicates; and the timeline of suggestions sent and answered, week by week. A fixed number of queries
whatever the number of suggestions.
"""

from collections import Counter, defaultdict
from datetime import timedelta

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kelisim.consultations import answers
from kelisim.consultations.models import ANSWERED_STATUSES, DocumentVersion, Status, StatusChange, Suggestion
from kelisim.core.i18n import ContentLanguage
from kelisim.core.models import Region, Strand
from kelisim.meetings.models import Decision, Roundtable
from kelisim.plans.models import Provenance

ACCEPTED = (Status.ACCEPTED, Status.PARTLY_ACCEPTED)
WEB = "web"
CHANNEL_LABELS = {WEB: _("Form on the website")}


def _channel_field() -> str | None:
    """The suggestion's channel (email, letter, phone, meeting, web) where the model records it."""
    names = {field.name for field in Suggestion._meta.get_fields()}
    return "channel" if "channel" in names else None


def _channel_labels() -> dict:
    field = _channel_field()
    if field is None:
        return CHANNEL_LABELS
    return {**CHANNEL_LABELS, **dict(Suggestion._meta.get_field(field).flatchoices)}


def stamp(version: DocumentVersion) -> str:
    """What the report depends on, in one short string: it changes when a suggestion arrives, is answered,
    merged or decided on, or shapes the plan (the cached PDF is keyed by it)."""
    suggestions = Suggestion.objects.filter(version=version)
    counts = suggestions.aggregate(n=Count("pk"), answered=Max("answered_at"), sent=Max("created_at"))
    changes = StatusChange.objects.filter(suggestion__version=version).aggregate(last=Max("pk"))["last"]
    decisions = Decision.objects.filter(suggestion__version=version).aggregate(last=Max("pk"))["last"]
    links = Provenance.objects.filter(suggestion__version=version).aggregate(last=Max("pk"))["last"]
    closed = Roundtable.objects.filter(decisions__suggestion__version=version, status=Roundtable.Status.CLOSED).count()
    parts = [counts["n"], counts["answered"], counts["sent"], changes, decisions, links, closed]
    return "-".join(str(part.timestamp() if hasattr(part, "timestamp") else part) for part in parts)


def _table(counter: Counter, labels: dict, order: list) -> list[dict]:
    total = sum(counter.values()) or 1
    keys = [key for key in order if counter.get(key)] + sorted(k for k in counter if k not in order)
    return [
        {
            "code": key or "",
            "label": labels.get(key, key or "—"),
            "count": counter[key],
            "share": 100 * counter[key] / total,
        }
        for key in keys
    ]


def _week(moment) -> str:
    day = timezone.localdate(moment)
    return (day - timedelta(days=day.weekday())).isoformat()


def report(version: DocumentVersion) -> dict:
    """Everything the page, the PDF and the tests show, in the active language."""
    channel = _channel_field()
    fields = ["pk", "reference", "title", "text", "language", "status", "official_answer", "answer_facts"]
    fields += ["answered_at", "created_at", "region_id", "strand_id", "merged_into_id", "support_count"]
    if channel:
        fields.append(channel)
    rows = list(Suggestion.objects.filter(version=version).order_by("created_at", "pk").values(*fields))
    for row in rows:
        if row["answer_facts"]:  # the system's answer, worded in the report's language
            row["official_answer"] = answers.word(row["answer_facts"])
    by_pk = {row["pk"]: row for row in rows}

    regions = {r.pk: r for r in Region.objects.all()}
    strands = {s.pk: s for s in Strand.objects.all()}
    channels = Counter(row[channel] if channel else WEB for row in rows)
    languages = Counter(row["language"] for row in rows)
    by_region = Counter(regions[row["region_id"]].code if row["region_id"] else "" for row in rows)
    by_strand = Counter(strands[row["strand_id"]].code if row["strand_id"] else "" for row in rows)
    statuses = Counter(row["status"] for row in rows)

    region_labels = {r.code: r.name for r in regions.values()}
    region_labels[""] = _("Not given")
    strand_labels = {s.code: s.name for s in strands.values()}
    strand_labels[""] = _("Not given")

    answered = [row for row in rows if row["status"] in ANSWERED_STATUSES and row["answered_at"]]
    days = sorted((row["answered_at"] - row["created_at"]).days for row in answered)
    median_days = days[len(days) // 2] if days else None

    # Accepted and partly accepted suggestions: the plan items they shaped and the roundtable decisions.
    accepted = [row for row in rows if row["status"] in ACCEPTED]
    ids = [row["pk"] for row in accepted]
    items: dict[int, list] = defaultdict(list)
    for link in (
        Provenance.objects.filter(suggestion_id__in=ids)
        .select_related("tracked", "version")
        .order_by("created_at", "pk")
    ):
        if link.tracked not in items[link.suggestion_id]:
            items[link.suggestion_id].append(link.tracked)
    decisions: dict[int, list] = defaultdict(list)
    for decision in (
        Decision.objects.filter(suggestion_id__in=ids, roundtable__status=Roundtable.Status.CLOSED)
        .select_related("roundtable")
        .order_by("roundtable__starts_at", "pk")
    ):
        decisions[decision.suggestion_id].append(decision)
    status_labels = dict(Status.choices)
    accepted_rows = [
        {
            **row,
            "status_label": status_labels[row["status"]],
            "plan_items": items.get(row["pk"], []),
            "decisions": decisions.get(row["pk"], []),
        }
        for row in accepted
    ]

    # Duplicates: suggestions merged into another, grouped under the one kept.
    groups: dict[int, list] = defaultdict(list)
    for row in rows:
        if row["merged_into_id"]:
            groups[row["merged_into_id"]].append(row)
    kept = {row.pk: row for row in Suggestion.objects.filter(pk__in=[pk for pk in groups if pk not in by_pk])}
    duplicate_groups = []
    for pk, merged in groups.items():
        head = by_pk.get(pk) or kept.get(pk)
        reference = head["reference"] if isinstance(head, dict) else getattr(head, "reference", "")
        duplicate_groups.append({"reference": reference, "merged": [m["reference"] for m in merged]})
    duplicate_groups.sort(key=lambda group: (-len(group["merged"]), group["reference"]))

    # Timeline: suggestions sent and answered per week (Monday).
    sent_weeks = Counter(_week(row["created_at"]) for row in rows)
    answered_weeks = Counter(_week(row["answered_at"]) for row in answered)
    weeks = sorted(set(sent_weeks) | set(answered_weeks))
    timeline = [{"week": week, "sent": sent_weeks[week], "answered": answered_weeks[week]} for week in weeks]

    return {
        "version": version,
        "total": len(rows),
        "answered": len(answered),
        "median_days": median_days,
        "by_channel": _table(channels, _channel_labels(), [WEB]),
        "by_language": _table(languages, dict(ContentLanguage.choices), ["kk", "ru", "en"]),
        "by_region": _table(
            by_region, region_labels, [r.code for r in sorted(regions.values(), key=lambda r: r.sort_order)]
        ),
        "by_strand": _table(
            by_strand, strand_labels, [s.code for s in sorted(strands.values(), key=lambda s: s.sort_order)]
        ),
        "by_status": _table(statuses, status_labels, list(Status.values)),
        "accepted": accepted_rows,
        "duplicate_groups": duplicate_groups,
        "timeline": timeline,
        "opens_at": version.opens_at,
        "closes_at": version.closes_at,
        "generated_at": timezone.now(),
    }
