"""Activity reports at national scale (S6): 1,000,000 reports, dashboards at 16 concurrent connections,
the streamed export of every row, and the 10,000-row XLSX import.

The dashboards are requested over HTTP from a gunicorn server with sync workers (2 × cores + 1, as
the README recommends), 16 connections at a time. ``BENCH_ACTIVITIES_REUSE=1`` keeps the reports already
in the database given by DATABASE_URL (seeding a million rows takes minutes).

Seeding writes reports with executemany in batches (no model instances) and then fills the summary
tables with the same ``summary.rebuild()`` that ``manage.py rebuild_activity_summaries`` runs.
``BENCH_ACTIVITIES_REPORTS`` scales the volume (default 1,000,000).
"""

import http.client
import io
import os
import random
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from bench.helpers import Progress, percentile

REPORTS = int(os.environ.get("BENCH_ACTIVITIES_REPORTS", "1000000"))
BATCH = 5_000
CONCURRENCY = 16
REQUESTS_PER_CONNECTION = 60
SERVER_WORKERS = int(os.environ.get("BENCH_SERVER_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
IMPORT_ROWS = 10_000

COLUMNS = (
    "organisation_id",
    "activity_type",
    "title",
    "description",
    "start_date",
    "end_date",
    "region_id",
    "settlement",
    "venue_type",
    "languages",
    "audiences",
    "strand_id",
    "material_links",
    "material_file",
    "material_file_name",
    "female_under14",
    "female_14_18",
    "female_19_29",
    "female_30plus",
    "male_under14",
    "male_14_18",
    "male_19_29",
    "male_30plus",
    "participants",
    "youth_14_29",
    "online_posts",
    "online_views",
    "online_shares",
    "status",
    "return_comment",
    "created_at",
    "updated_at",
)


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1_048_576


def _seed(organisation_ids, region_ids, strand_ids) -> None:
    """Like real NGOs, each organisation works in one home region (a fifth in a second one too), mostly in
    one strand and with two kinds of activity: that, not the row count, sets the size of the summaries."""
    from django.db import connection
    from django.utils import timezone

    from kelisim.activities.models import ActivityReport

    rng = random.Random(2017)
    now = timezone.now()
    table = ActivityReport._meta.db_table
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    types = ["lecture", "meeting", "training", "prison_session", "online_campaign"]
    audiences = ["school_students", "university_students", "working_youth,unemployed_youth", "inmates", "parents"]
    first = date(2017, 1, 1)
    profiles = {}
    for organisation_id in organisation_ids:
        regions = [rng.choice(region_ids)] + ([rng.choice(region_ids)] if rng.random() < 0.2 else [])
        strands = [rng.choice(strand_ids)] + ([rng.choice(strand_ids)] if rng.random() < 0.2 else [])
        profiles[organisation_id] = (regions, strands, rng.sample(types, 2), rng.choice(audiences))
    progress = Progress(f"seeding {REPORTS:,} reports", REPORTS)
    done = 0
    while done < REPORTS:
        rows = []
        for _ in range(min(BATCH, REPORTS - done)):
            day = first + timedelta(days=rng.randrange(0, 4 * 365))
            cells = [rng.randrange(0, 6), rng.randrange(0, 20), rng.randrange(0, 25), rng.randrange(0, 10)]
            cells += [rng.randrange(0, 6), rng.randrange(0, 20), rng.randrange(0, 25), rng.randrange(0, 10)]
            youth = cells[1] + cells[2] + cells[5] + cells[6]
            status = "verified" if rng.random() < 0.9 else "submitted"
            organisation_id = rng.choice(organisation_ids)
            regions, strands, kinds, audience = profiles[organisation_id]
            rows.append(
                (
                    organisation_id,
                    rng.choice(kinds),
                    "Outreach meeting",
                    "",
                    day,
                    day,
                    rng.choice(regions),
                    "",
                    "school",
                    "kk,ru",
                    audience,
                    rng.choice(strands),
                    "",
                    "",
                    "",
                    *cells,
                    sum(cells),
                    youth,
                    0,
                    0,
                    0,
                    status,
                    "",
                    now,
                    now,
                )
            )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        done += len(rows)
        progress.advance(len(rows))


DASHBOARD_URLS = [
    "/en/activities/",
    "/en/activities/?by=period&period=month",
    "/en/activities/?by=strand&year_from=2018&year_to=2019",
    "/en/activities/?by=organisation",
    "/en/activities/?by=audience",
    "/en/activities/?by=type&region=1",
    "/en/activities/export.csv?by=region",
]


def _uncached_renders(report) -> None:
    """The first visitor after a change (a verification bumps the summaries' version) renders the view."""
    from django.core.cache import cache
    from django.test import Client

    samples = []
    for url in DASHBOARD_URLS:  # the process's first request loads templates, translations and the map
        assert Client().get(url).status_code == 200, url
    for _round in range(3):
        for url in DASHBOARD_URLS:
            cache.clear()
            started = time.perf_counter()
            assert Client().get(url).status_code == 200, url
            samples.append((time.perf_counter() - started) * 1000)
    report("dashboard view after a change (uncached): median", percentile(samples, 0.5), "ms", "one process")
    report("dashboard view after a change (uncached): slowest", max(samples), "ms")


def _start_server(port: int) -> subprocess.Popen:
    """Gunicorn with sync workers, as in production (README), on the bench database."""
    root = Path(__file__).resolve().parent.parent
    environment = {**os.environ, "DEBUG": "0"}
    # In its own process: this one renders with plain static storage, the server with the manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        env=environment,
        cwd=root,
        check=True,
    )
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "kelisim.wsgi", "--workers", str(SERVER_WORKERS)),
            *("--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "64"),
        ],
        env=environment,
        cwd=root,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def _dashboard_p99(report) -> None:
    port = int(os.environ.get("BENCH_PORT", "8765"))
    server = _start_server(port)
    try:
        # Every worker process warms its own cache (the local-memory default; REDIS_URL shares one).
        for _round in range(4 * SERVER_WORKERS):
            for url in DASHBOARD_URLS:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30) as response:
                    assert response.status == 200, url
        samples: list[float] = []
        lock = threading.Lock()

        def client(offset: int) -> None:
            local = []
            for index in range(REQUESTS_PER_CONNECTION):
                url = DASHBOARD_URLS[(offset + index) % len(DASHBOARD_URLS)]
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                started = time.perf_counter()
                connection.request("GET", url)
                response = connection.getresponse()
                response.read()
                local.append((time.perf_counter() - started) * 1000)
                connection.close()
                assert response.status == 200, (url, response.status)
            with lock:
                samples.extend(local)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CONCURRENCY)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    note = f"gunicorn, {SERVER_WORKERS} sync workers, {len(samples):,} requests over HTTP"
    report("dashboard, 16 concurrent connections: median", percentile(samples, 0.5), "ms", note)
    report("dashboard, 16 concurrent connections: p99", percentile(samples, 0.99), "ms", "target ≤ 150 ms")
    report("dashboard throughput", len(samples) / elapsed, "req/s")


def _export(report, officer) -> None:
    from django.test import RequestFactory

    from kelisim.activities.views import reports_export

    request = RequestFactory().get("/en/activities/internal/reports.csv")
    request.user = officer
    peak = [_rss_mb()]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _rss_mb())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    size = rows = 0
    for chunk in reports_export(request).streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    report("export of every report (CSV, streamed)", elapsed, "s", f"{rows - 1:,} rows, {size / 1_048_576:.0f} MB")
    report("export: peak RSS of the process", peak[0], "MB", "target ≤ 250 MB")


def _import(report, organisation, user) -> None:
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from openpyxl import Workbook

    from kelisim.activities.importing import COLUMN_NAMES, process_job
    from kelisim.activities.models import ReportImport

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("reports")
    sheet.append(COLUMN_NAMES)
    for number in range(IMPORT_ROWS):
        row = {
            "activity_type": "meeting",
            "title": f"Meeting {number}",
            "start_date": f"2026-{1 + number % 12:02d}-{1 + number % 27:02d}",
            "region": "KZ-31",
            "venue_type": "college",
            "strand": "youth",
            "audiences": "working_youth",
            "female_19_29": 5,
            "male_19_29": 6,
        }
        sheet.append([row.get(name, "") for name in COLUMN_NAMES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = ReportImport.objects.create(organisation=organisation, created_by=user, original_name="bench.xlsx")
    job.source.save("bench.xlsx", ContentFile(buffer.getvalue()))
    started = time.perf_counter()
    job = process_job(job.pk)  # checked and previewed
    ReportImport.objects.filter(pk=job.pk).update(status=ReportImport.Status.CONFIRMED, confirmed_at=timezone.now())
    job = process_job(job.pk)  # confirmed: checked again and written
    elapsed = time.perf_counter() - started
    assert job.status == "done", job.errors[:3]
    report("import of 10,000 XLSX rows (check + write, all or nothing)", elapsed, "s", f"{job.created_count} reports")


def run(report) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    # Pages render with plain static storage: the bench measures the dashboards, not collectstatic.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    from kelisim.accounts.models import Role
    from kelisim.accounts.services import grant_role
    from kelisim.activities import summary
    from kelisim.core.models import Region, Strand
    from kelisim.organisations.models import Membership, Organisation
    from kelisim.organisations.tests.factories import OrganisationFactory, UserFactory

    strands = [
        Strand.objects.get_or_create(code=code, defaults={"name_en": code, "name_ru": code, "name_kk": code})[0]
        for code in ("youth", "prisons", "zero-tolerance")
    ]
    organisations = list(Organisation.objects.all()[:300]) or OrganisationFactory.create_batch(300)
    region_ids = list(Region.objects.values_list("pk", flat=True))

    from kelisim.activities.models import ActivityReport

    if os.environ.get("BENCH_ACTIVITIES_REUSE") and ActivityReport.objects.count() >= REPORTS:
        print(f"  reusing the {ActivityReport.objects.count():,} reports already in this database")
    else:
        started = time.perf_counter()
        _seed([o.pk for o in organisations], region_ids, [s.pk for s in strands])
        report(f"seed {REPORTS:,} reports (executemany)", time.perf_counter() - started, "s")
    started = time.perf_counter()
    counts = summary.rebuild()
    report("rebuild summary tables from scratch", time.perf_counter() - started, "s", f"{counts['activity']:,} rows")

    _uncached_renders(report)
    _dashboard_p99(report)

    officer = UserFactory(email="bench-officer@example.kz")
    grant_role(actor=None, user=officer, role=Role.OFFICER, reason="bench")
    _export(report, officer)

    member = UserFactory(email="bench-member@example.kz")
    Membership.objects.get_or_create(user=member, organisation=organisations[0], status=Membership.Status.ACTIVE)
    _import(report, organisations[0], member)
