"""Open contracting at volume: 5,000 public contracts (3 milestones each) exported as OCDS 1.1.

1. Seed 50 calls x 100 organisations = 5,000 approved applications and signed contracts (bulk).
2. Export the bulk release package and the bulk record package, each in a fresh process so that
   its peak RSS (resource.getrusage) is the export's own and not the seeding's; tracemalloc gives
   the peak of Python allocations. Target: streamed, peak RSS <= 250 MB.
3. For contrast, the same release package built in memory as one list and one json.dumps.

    make bench BENCH=funding
"""

import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

CALLS = 50
ORGANISATIONS = 100
MILESTONES = 3
ROOT = Path(__file__).resolve().parent.parent


def _seed() -> int:
    from django.utils import timezone

    from bench.helpers import Progress
    from kelisim.core.models import Region
    from kelisim.funding.models import Application, Call, Contract, Criterion, Milestone
    from kelisim.organisations.models import Organisation
    from kelisim.organisations.validators import make_bin

    if Contract.objects.filter(number__startswith="BENCH-").count() >= CALLS * ORGANISATIONS:
        return Contract.objects.count()
    region = Region.objects.order_by("pk").first()
    organisations = []
    serial = 0
    while len(organisations) < ORGANISATIONS:
        serial += 1
        number = make_bin(f"1203499{serial:04d}")
        if number and not Organisation.objects.filter(bin=number).exists():
            organisations.append(
                Organisation(
                    bin=number,
                    name_ru=f"Бенч НПО {serial}",
                    name_en=f"Bench NGO {serial}",
                    legal_form=Organisation.LegalForm.PUBLIC_ASSOCIATION,
                    region=region,
                    verification_status=Organisation.Verification.VERIFIED,
                )
            )
    organisations = Organisation.objects.bulk_create(organisations)
    progress = Progress("seeding contracts", CALLS * ORGANISATIONS)
    now = timezone.now()
    for index in range(CALLS):
        call = Call.objects.create(
            reference=f"bench-{index}",
            title_ru=f"Конкурс {index}: работа с молодёжью",
            title_en=f"Call {index}: youth outreach",
            description_ru="Лекции и встречи с молодёжью в регионах. " * 5,
            budget_kzt=Decimal(500_000_000),
            min_award_kzt=Decimal(100_000),
            max_award_kzt=Decimal(5_000_000),
            opens_at=now - timedelta(days=400),
            closes_at=now - timedelta(days=370),
            status=Call.Status.PUBLISHED,
        )
        Criterion.objects.create(call=call, name_en="Relevance", weight=100)
        applications = Application.objects.bulk_create(
            [
                Application(
                    call=call,
                    organisation=organisation,
                    title=f"Project {index}-{position}: lectures for students",
                    summary="Twenty lectures with theologians and psychologists in colleges. " * 3,
                    status=Application.Status.APPROVED,
                    approved_amount_kzt=Decimal(1_500_000),
                    submitted_at=now - timedelta(days=380),
                    determined_at=now - timedelta(days=360),
                )
                for position, organisation in enumerate(organisations)
            ]
        )
        contracts = Contract.objects.bulk_create(
            [
                Contract(
                    application=application,
                    title_en=application.title,
                    summary_en=application.summary,
                    number=f"BENCH-{index:03d}-{position:03d}",
                    amount_kzt=Decimal(1_500_000),
                    period_start=date(2017, 6, 1),
                    period_end=date(2017, 12, 20),
                    status=Contract.Status.ACTIVE,
                    signed_on=date(2017, 5, 29),
                )
                for position, application in enumerate(applications)
            ]
        )
        Milestone.objects.bulk_create(
            [
                Milestone(
                    contract=contract,
                    position=stage,
                    title_en=f"Stage {stage}",
                    deliverables_en="Ten lectures, attendance by sex and age band, photos",
                    due_date=date(2017, 6 + 2 * stage, 15),
                    tranche_kzt=Decimal(500_000),
                    status=Milestone.Status.ACCEPTED if stage == 1 else Milestone.Status.PENDING,
                )
                for contract in contracts
                for stage in range(1, MILESTONES + 1)
            ]
        )
        _first_releases([contract.pk for contract in contracts])
        progress.advance(len(contracts))
    return Contract.objects.count()


def _first_releases(contract_ids: list[int]) -> None:
    """Each contract's first OCDS release, as the funding services publish it after signing."""
    from kelisim.funding import ocds
    from kelisim.funding.models import Release

    rows = []
    for contract in ocds.contract_queryset().filter(pk__in=contract_ids):
        data = ocds.content(contract)
        release = ocds.as_release(data, sequence=1, date=contract.updated_at, tag=ocds.tag_for(contract, None))
        rows.append(
            Release(
                contract=contract,
                sequence=1,
                release_id=release["id"],
                ocid=data["ocid"],
                date=contract.updated_at,
                tag=release["tag"],
                language=data["language"],
                content_hash=ocds.content_hash(data),
                data=release,
            )
        )
    Release.objects.bulk_create(rows)


def export(kind: str, traced: bool) -> dict:
    """Runs in the child process: stream (or build) the package into a file, measure. tracemalloc slows
    Python down several times, so time and RSS come from an untraced run, allocations from a traced one."""
    import resource
    import tracemalloc

    from kelisim.funding import ocds

    target = Path(os.environ.get("KELISIM_VAR_DIR", ROOT / "var")) / f"ocds-{kind}.json"
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    size = 0
    with open(target, "w", encoding="utf-8") as output:
        if kind == "releases":
            chunks = ocds.release_package_stream(uri="https://example.kz/releases.json")
        elif kind == "records":
            chunks = ocds.record_package_stream(uri="https://example.kz/records.json")
        else:  # the naive way, for contrast: every release in one list, one json.dumps
            releases = [ocds.content(contract) for contract in ocds.contract_queryset()]
            chunks = [json.dumps({"version": "1.1", "releases": releases}, ensure_ascii=False)]
        for chunk in chunks:
            output.write(chunk)
            size += len(chunk.encode())
    seconds = time.perf_counter() - started
    peak = 0
    if traced:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    count = None
    if kind != "in-memory":
        with open(target, encoding="utf-8") as written:
            count = len(json.load(written)["releases" if kind == "releases" else "records"])
    target.unlink()
    return {"seconds": seconds, "bytes": size, "rss_mb": rss, "tracemalloc_mb": peak / 1024 / 1024, "count": count}


def _child(kind: str, traced: bool = False) -> dict:
    command = [sys.executable, "-m", "bench.bench_funding", kind, "traced" if traced else "untraced"]
    result = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(report):
    total = _seed()
    report("funding: public contracts", total, "rows", f"{MILESTONES} milestones each")
    for kind, label in (("releases", "release package"), ("records", "record package"), ("in-memory", "in memory")):
        figures = _child(kind)
        figures["tracemalloc_mb"] = _child(kind, traced=True)["tracemalloc_mb"]
        note = f"{figures['count']} items, {figures['bytes'] / 1024 / 1024:.1f} MB" if figures["count"] else ""
        report(f"funding: OCDS bulk {label}, time", figures["seconds"], "s", note)
        report(f"funding: OCDS bulk {label}, peak RSS", figures["rss_mb"], "MB", "whole process, Django included")
        report(f"funding: OCDS bulk {label}, peak Python allocations", figures["tracemalloc_mb"], "MB", "tracemalloc")


if __name__ == "__main__":
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kelisim.settings")
    django.setup()
    print(json.dumps(export(sys.argv[1], traced=sys.argv[2] == "traced")))
