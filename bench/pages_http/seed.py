"""Seed (or reuse) ten times the demo's volume in the database of DATABASE_URL, then describe it for the bench.

Run by bench/pages_http/run.py in a process of its own per database. Each part is seeded only if the database does
not hold it yet, so an interrupted seeding continues where it stopped (BENCH_REUSE=1 keeps what is there).
Writes a JSON description (addresses to request, an officer's session, queries per page) to argv[1].
"""

import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ORGANISATIONS = 23_000
COMMENTS = 1_000_000
BIG_ARTICLE_COMMENTS = 2_000
REPORTS = 1_000_000
BATCH = 5_000
# Parts left out on a machine without the time to seed them (the table then says what the data held):
# BENCH_SEED_SKIP=comments,reports keeps the article with 2,000 comments but not the million.
SKIPPED = {part.strip() for part in os.environ.get("BENCH_SEED_SKIP", "").split(",") if part.strip()}


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _report(name, value, unit, note=""):
    log(f"{name}: {value:,.1f} {unit} {note}")


def seed_organisations(officer) -> None:
    from bench import bench_organisations
    from kelisim.core.models import Region, Strand
    from kelisim.organisations.models import Organisation

    if Organisation.objects.count() >= ORGANISATIONS:
        return
    regions = list(Region.objects.values_list("code", flat=True))
    strands = list(Strand.objects.values_list("code", flat=True))
    seconds, _cpu, job = bench_organisations._import(
        bench_organisations._csv(regions, strands), officer, "organisations"
    )
    _report("organisations imported", seconds, "s", f"{job.created_count} rows")


def seed_suggestions() -> None:
    from bench import bench_consultations
    from kelisim.consultations.models import Suggestion

    if Suggestion.objects.count() >= bench_consultations.SUGGESTIONS:  # BENCH_SUGGESTIONS for a smaller volume
        return
    started = time.perf_counter()
    bench_consultations._seed(_report)
    _report("suggestions seeded", time.perf_counter() - started, "s")


def seed_plan() -> None:
    from bench import bench_plans
    from kelisim.plans.models import ActionPlan

    if ActionPlan.objects.filter(slug="bench-plan").exists():
        return
    started = time.perf_counter()
    bench_plans._seed(_report)
    _report("plan seeded (300 items, 5 versions)", time.perf_counter() - started, "s")


def seed_comments() -> None:
    """One article with 2,000 comments (400 replies), and the rest of 1,000,000 spread over 300 articles and
    2,000 suggestions, approved, with the hosts' and parents' counters recounted."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from bench import bench_comments
    from bench.helpers import Progress
    from kelisim.comments.models import Comment
    from kelisim.comments.pipeline import text_hash
    from kelisim.comments.services import recount
    from kelisim.consultations.models import Suggestion
    from kelisim.publications.models import Article

    big = Article.objects.filter(slug="bench-2000").first()
    if big is None:
        big = bench_comments._article("bench-2000", "An article with 2,000 comments")
        bench_comments._seed(big, BIG_ARTICLE_COMMENTS, 400)
    existing = Comment.objects.count()
    if existing >= COMMENTS or "comments" in SKIPPED:
        _count_suggestions_comments()
        return
    articles = list(Article.objects.filter(slug__startswith="bench-news-"))
    for number in range(len(articles), 300):
        articles.append(bench_comments._article(f"bench-news-{number}", f"News {number}"))
    suggestions = list(Suggestion.objects.order_by("-created_at").values_list("pk", flat=True)[:2000])
    article_type = ContentType.objects.get_for_model(Article)
    suggestion_type = ContentType.objects.get_for_model(Suggestion)
    hosts = [(article_type.pk, a.pk) for a in articles] + [(suggestion_type.pk, pk) for pk in suggestions]
    rng = random.Random(2017)
    words = ["youth", "жастар", "молодёжь", "plan", "lectures", "мектеп", "school", "колледж", "prevention"]
    start = timezone.now() - timezone.timedelta(days=30)
    todo = COMMENTS - Comment.objects.count()
    progress = Progress("comments", todo)
    index = existing
    # Prepared INSERTs (executemany) rather than model instances: about three times the rows per second.
    columns = (
        "content_type_id, object_id, author_name, author_email, text, text_hash, language, status, reason_code, "
        "notify_on_reply, reply_notification_sent, reply_count, report_count, moderator_note, created_at"
    )
    sql = f"INSERT INTO comments_comment ({columns}) VALUES ({', '.join(['%s'] * 15)})"
    while todo > 0:
        rows = []
        for _ in range(min(BATCH, todo)):
            index += 1
            content_type_id, object_id = hosts[index % len(hosts)]
            text = f"Comment {index}: " + " ".join(rng.choice(words) for _ in range(25))
            rows.append(
                (
                    content_type_id,
                    object_id,
                    f"Reader {index % 5000}",
                    f"reader{index % 5000}@example.kz",
                    text,
                    text_hash(text),
                    ("kk", "ru", "en")[index % 3],
                    Comment.Status.APPROVED.value,
                    "fits_policy",
                    False,
                    False,
                    0,
                    0,
                    "",
                    connection.ops.adapt_datetimefield_value(start + timezone.timedelta(seconds=index)),
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        todo -= len(rows)
        progress.advance(len(rows))
    for content_type_id, object_id in hosts:
        recount(content_type_id=content_type_id, object_id=object_id)


def _count_suggestions_comments() -> None:
    """Data seeded before suggestions kept a comment counter (consultations 0015): count their comments once."""
    from django.contrib.contenttypes.models import ContentType

    from kelisim.comments.models import Comment
    from kelisim.comments.services import recount
    from kelisim.consultations.models import Suggestion

    if Suggestion.objects.filter(comment_count__gt=0).exists():
        return
    suggestion_type = ContentType.objects.get_for_model(Suggestion)
    hosts = Comment.objects.filter(content_type=suggestion_type).values_list("object_id", flat=True).distinct()
    for object_id in hosts.order_by():
        recount(content_type_id=suggestion_type.pk, object_id=object_id)


def seed_reports() -> None:
    from bench import bench_activities
    from kelisim.activities import summary
    from kelisim.activities.models import ActivityReport
    from kelisim.core.models import Region, Strand
    from kelisim.organisations.models import Organisation

    if ActivityReport.objects.count() >= REPORTS or "reports" in SKIPPED:
        return
    strands = [
        Strand.objects.get_or_create(code=code, defaults={"name_en": code, "name_ru": code, "name_kk": code})[0]
        for code in ("youth", "prisons", "zero-tolerance")
    ]
    organisations = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:300])
    started = time.perf_counter()
    bench_activities._seed(organisations, list(Region.objects.values_list("pk", flat=True)), [s.pk for s in strands])
    summary.rebuild()
    _report("activity reports seeded and summarised", time.perf_counter() - started, "s")


def _session_cookie(user) -> str:
    """A signed-in session for ``user``, as a browser would hold it after signing in."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def describe(path: Path) -> None:
    """Addresses of every public page type on the seeded data, the officer's session, queries per page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kelisim.consultations.models import Document, Suggestion
    from kelisim.meetings.models import Roundtable
    from kelisim.organisations.models import Organisation
    from kelisim.plans.models import ActionPlan

    suggestion = Suggestion.objects.order_by("-created_at").first()
    document = Document.objects.get(slug="bench-programme")
    plan = ActionPlan.objects.get(slug="bench-plan")
    adopted = plan.versions.order_by("-number").first()
    item = adopted.items.select_related("tracked").order_by("pk").first()
    organisation = Organisation.objects.order_by("pk").first()
    roundtable = Roundtable.objects.order_by("pk").first()
    public = {
        "home page": "/en/",
        "organisation list": "/en/organisations/",
        "organisation page": f"/en/organisations/{organisation.pk}/",
        "suggestion list": "/en/consultation/suggestions/",
        "suggestion list, page 200": "/en/consultation/suggestions/?page=200",
        "suggestion page": f"/en/consultation/s/{suggestion.reference}/",
        "document page": f"/en/consultation/d/{document.slug}/",
        "news list": "/en/news/",
        "article with 2,000 comments": "/en/news/bench-2000/",
        "plan page": "/en/plan/",
        "plan version (300 items)": f"/en/plan/v{adopted.number}/",
        "roundtables": "/en/roundtables/",
        "funding calls": "/en/funding/",
        "contract register": "/en/funding/contracts/",
        "activities dashboard": "/en/activities/",
        "API: suggestions": "/api/v1/consultations/suggestions",
        "API: organisations": "/api/v1/organisations",
        "API: articles": "/api/v1/articles",
        "API: plan items": f"/api/v1/plan/versions/{adopted.number}/items",
    }
    if item is not None:
        public["plan item"] = f"/en/plan/items/{item.tracked.code}/"
    if roundtable is not None:
        public["roundtable page"] = f"/en/roundtables/{roundtable.pk}/"
    signed_in = {
        "triage queue (officer)": "/en/consultation/triage/",
        "moderation queue (officer)": "/en/comments/moderation/",
        "activity reports queue (officer)": "/en/activities/reports/queue/",
        "join requests (officer)": "/en/organisations/join-requests/",
        "funding dashboard (officer)": "/en/funding/manage/",
        "suggestion page (officer)": public["suggestion page"],
        "suggestion list (officer)": public["suggestion list"],
    }
    officer = _officer()
    cookie = _session_cookie(officer)
    queries, sizes, renders = {}, {}, {}
    anonymous = Client()
    member = Client()
    member.cookies["sessionid"] = cookie
    from django.test.utils import override_settings

    with override_settings(PAGECACHE_ENABLED=False, ALLOWED_HOSTS=["*"]):
        for name, url in {**public, **signed_in}.items():
            client = member if name in signed_in else anonymous
            client.get(url)  # templates and translations loaded
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            queries[name] = len(captured.captured_queries)
            # Uncached render in this process: wall time moves with the machine's load, CPU time much less.
            walls, cpus = [], []
            for _ in range(3):
                wall, cpu = time.perf_counter(), time.process_time()
                client.get(url)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            renders[name] = {"wall": sorted(walls)[1], "cpu": sorted(cpus)[1]}
            sizes[name] = len(response.content) if not response.streaming else 0
            if response.status_code != 200:
                log(f"warning: {url} answered {response.status_code}")
    counts = {
        "organisations": Organisation.objects.count(),
        "suggestions": Suggestion.objects.count(),
    }
    from kelisim.activities.models import ActivityReport
    from kelisim.comments.models import Comment

    counts["comments"] = Comment.objects.count()
    counts["activity reports"] = ActivityReport.objects.count()
    path.write_text(
        json.dumps(
            {
                "public": public,
                "signed_in": signed_in,
                "session": cookie,
                "queries": queries,
                "sizes": sizes,
                "renders": renders,
                "counts": counts,
                "vendor": connection.vendor,
                "document": document.slug,
            },
            indent=2,
        )
    )


def _officer():
    from kelisim.accounts.models import Role, User
    from kelisim.accounts.services import grant_role

    officer, _created = User.objects.get_or_create(email="bench-officer@bench.test", defaults={"display_name": "Bench"})
    for role in (Role.OFFICER, Role.MODERATOR):  # granting a role held already changes nothing
        grant_role(actor=None, user=officer, role=role)
    from allauth.mfa.models import Authenticator

    from kelisim.accounts.tests.factories import give_totp

    if not Authenticator.objects.filter(user=officer).exists():
        give_totp(officer)  # staff always have a second factor (StaffSessionPolicyMiddleware)
    return officer


def _vacuum_analyze() -> None:
    """PostgreSQL after the bulk load as autovacuum leaves it within minutes in a deployment (the PostgreSQL of the
    development machines and CI runs without autovacuum): planner statistics and the visibility map. Without the
    statistics it took the 140,000 waiting suggestions for 167 and read the whole queue to show fifty (400 ms);
    without the visibility map a count of the public suggestions read every row from the table (40 -> 15 ms)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log(f"VACUUM ANALYZE: {time.perf_counter() - started:.0f} s")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.pages_http.settings")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PAGECACHE_ENABLED=False,
    ).enable()
    from kelisim.core import demo as core_demo
    from kelisim.core.models import Strand

    if not Strand.objects.exists():
        core_demo.load()
    officer = _officer()
    steps = (seed_organisations, seed_suggestions, seed_plan, seed_comments, seed_reports)
    for step in () if os.environ.get("BENCH_DESCRIBE_ONLY") else steps:
        started = time.perf_counter()
        if step is seed_organisations:
            step(officer)
        else:
            step()
        log(f"{step.__name__}: {time.perf_counter() - started:.0f} s")
    _vacuum_analyze()
    describe(Path(sys.argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
