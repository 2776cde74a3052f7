"""The NGO registry at the scenario's scale: 23,000 organisations.

1. Write a 23,000-row CSV (valid BINs, every region, strands, three-language names).
2. Import it through the same service and task an officer's upload uses, timed.
3. Import it again (every row an update), timed.
4. The public list (plain, searched, filtered) and a detail page: queries and milliseconds.
"""

import csv
import io
import random
import threading
import time
from datetime import date

from bench.helpers import Progress, count_queries, time_calls

ROWS = 23_000


def _csv(regions: list[str], strands: list[str]) -> bytes:
    from kelisim.organisations.importing.columns import COLUMN_NAMES
    from kelisim.organisations.validators import make_bin

    words = [
        ("Жастар", "Молодёжь", "Youth"),
        ("Диалог", "Диалог", "Dialogue"),
        ("Отбасы", "Семья", "Family"),
        ("Білім", "Знание", "Knowledge"),
        ("Келісім", "Согласие", "Accord"),
        ("Еріктілер", "Волонтёры", "Volunteers"),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMN_NAMES)
    progress = Progress("writing CSV", ROWS)
    rng = random.Random(2017)
    serial = 0
    for index in range(ROWS):
        bin_number = None
        while bin_number is None:
            serial += 1
            registered = date(1995 + serial % 25, 1 + serial % 12, 1)
            bin_number = make_bin(f"{registered:%y%m}4{serial % 10}{serial // 10:05d}")
        kk, ru, en = words[index % len(words)]
        values = {
            "bin": bin_number,
            "name_kk": f"«{kk}» қоғамдық бірлестігі №{index}",
            "name_ru": f"Общественное объединение «{ru}» №{index}",
            "name_en": f"{en} public association No. {index}",
            "legal_form": rng.choice(["public_association", "public_foundation", "private_institution"]),
            "region": regions[index % len(regions)],
            "registration_date": registered.isoformat(),
            "address": f"ул. Абая, {index % 200 + 1}",
            "strands": ";".join(rng.sample(strands, k=min(len(strands), 1 + index % 2))),
            "working_languages": rng.choice(["kk;ru", "ru", "kk", "en;kk;ru"]),
            "public_email": f"ngo{index}@example.kz",
            "website": f"https://ngo{index}.example.kz",
            "description_ru": f"Работа с молодёжью и профилактика, проект {index}.",
            "description_en": f"Youth work and prevention, project {index}.",
        }
        writer.writerow([values.get(name, "") for name in COLUMN_NAMES])
        if (index + 1) % 1000 == 0:
            progress.advance(1000)
    return buffer.getvalue().encode("utf-8")


def _import(content: bytes, officer, label: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kelisim.organisations import services
    from kelisim.organisations.models import ImportJob

    progress = Progress(label, ROWS)
    finished = threading.Event()
    previous_job = ImportJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def watch():
        # The task commits its progress as it checks rows; a second connection reads it.
        from django.db import connection

        try:
            while not finished.wait(0.25):
                job = ImportJob.objects.filter(pk__gt=previous_job).order_by("-pk").first()
                if job is not None and job.processed_rows > progress.done:
                    progress.advance(job.processed_rows - progress.done)
        finally:
            connection.close()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    job = services.start_import(
        actor=officer,
        uploaded_file=SimpleUploadedFile("bench.csv", content),
        mode=ImportJob.Mode.ALL_OR_NOTHING,
    )
    job.refresh_from_db()
    if job.status == ImportJob.Status.PREVIEW:  # checked and previewed; written once confirmed
        job = services.confirm_import(actor=officer, job=job)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    finished.set()
    watcher.join()
    job.refresh_from_db()
    if progress.done < ROWS:
        progress.advance(ROWS - progress.done)
    assert job.status == ImportJob.Status.DONE, job.errors[:5]
    return elapsed, cpu, job


def run(report):
    from django.conf import settings
    from django.test.utils import override_settings

    from kelisim.accounts.models import Role, User
    from kelisim.accounts.services import grant_role
    from kelisim.core import demo as core_demo
    from kelisim.core.models import Region, Strand
    from kelisim.organisations.models import Organisation

    if not Strand.objects.exists():
        core_demo.load()
    regions = list(Region.objects.values_list("code", flat=True))
    strands = list(Strand.objects.values_list("code", flat=True))
    officer, _created = User.objects.get_or_create(email="bench-officer@bench.test")
    grant_role(actor=None, user=officer, role=Role.OFFICER)

    content = _csv(regions, strands)
    before = Organisation.objects.count()
    # Wall time depends on what else the machine runs; CPU time of this process (the task runs
    # in it, SQLite too) does not, so both are reported.
    seconds, cpu, job = _import(content, officer, "importing 23,000 rows")
    report("organisations: import 23,000 rows (new)", seconds, "s", f"{job.created_count} created")
    report("organisations: import 23,000 rows (new), CPU", cpu, "s")
    seconds, cpu, job = _import(content, officer, "re-importing (updates)")
    report("organisations: re-import 23,000 rows (updates)", seconds, "s", f"{job.updated_count} updated")
    report("organisations: re-import 23,000 rows (updates), CPU", cpu, "s")
    total = Organisation.objects.count()
    report("organisations: in the registry", total, "rows", f"{before} before the import")

    # Pages render with plain static storage: the bench measures the registry, not collectstatic.
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        _measure_pages(report, regions, strands)


def _measure_pages(report, regions, strands):
    from django.test import Client
    from django.urls import reverse

    from kelisim.organisations.models import Organisation

    client = Client()
    list_url = reverse("organisations:list")
    pages = {
        "list": list_url,
        "list, page 400": f"{list_url}?page=400",
        "list, search 'молодёжь'": f"{list_url}?q=молодёжь",
        "list, search by BIN prefix": f"{list_url}?q={Organisation.objects.order_by('-pk').first().bin[:6]}",
        "list, region + strand + verified": f"{list_url}?region={regions[3]}&strand={strands[0]}&verified=on",
        "detail": reverse("organisations:detail", args=[Organisation.objects.order_by("-pk").first().pk]),
        "export CSV (all 23,000)": reverse("organisations:export"),
    }
    for label, url in pages.items():
        if "export" in label:

            def fetch(url=url):
                response = client.get(url)
                return b"".join(response.streaming_content)

            report(f"organisations: {label}", count_queries(fetch), "queries")
            timing = time_calls(fetch, repeat=3, warmup=1)
        else:

            def fetch(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            report(f"organisations: {label}", count_queries(fetch), "queries")
            timing = time_calls(fetch, repeat=50)
        report(f"organisations: {label} median", timing["median"], "ms")
        report(f"organisations: {label} p99", timing["p99"], "ms")
