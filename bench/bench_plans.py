"""The action plan at 300 items across 5 versions (draft 1–4 and the adopted plan).

1. Seed draft 1 (3 strands × 10 objectives × 10 items, each with an indicator and yearly targets,
   partners and regions), then four more versions through the services (each copies every item),
   changing, adding and removing a few items in each.
2. The public plan page, the printable version page, an item page and the comparison of draft 1
   with the adopted plan: queries and milliseconds (median, p99). The comparison of two published
   versions is cached (plans.comparison), so the repeated requests read it from the cache; it is
   also timed computed, with the cache emptied before each request.
"""

import random
import time

from bench.helpers import count_queries, serve_pages_in_process, time_calls

STRANDS = 3
OBJECTIVES_PER_STRAND = 10
ITEMS_PER_OBJECTIVE = 10


def _seed(report):
    from datetime import date

    from kelisim.consultations import services as consultation_services
    from kelisim.core.models import Region, Strand
    from kelisim.plans import services
    from kelisim.plans.models import Indicator, IndicatorTarget, Objective, PlanItem, PlanVersion, TrackedItem

    rng = random.Random(2017)
    strands = [
        Strand.objects.update_or_create(
            code=f"bench-{n}", defaults={"name_en": f"Strand {n}", "name_ru": f"Направление {n}", "sort_order": n}
        )[0]
        for n in range(STRANDS)
    ]
    programme = consultation_services.save_programme(
        actor=None, slug="bench-plan-programme", period_start=2017, period_end=2020, title_en="Bench programme"
    )
    plan = services.save_plan(actor=None, programme=programme, slug="bench-plan", title_en="Bench plan")
    version = services.start_version(actor=None, plan=plan, kind=PlanVersion.Kind.DRAFT)
    regions = list(Region.objects.all())
    total = STRANDS * OBJECTIVES_PER_STRAND * ITEMS_PER_OBJECTIVE
    trackeds = TrackedItem.objects.bulk_create([TrackedItem(plan=plan, code=f"AP-{n + 1:04d}") for n in range(total)])
    plan.last_item_number = total
    plan.save(update_fields=["last_item_number"])
    objectives = Objective.objects.bulk_create(
        [
            Objective(
                version=version, strand=strand, key=f"OB-{s * 100 + o:03d}", position=o + 1, title_en=f"Objective {o}"
            )
            for s, strand in enumerate(strands)
            for o in range(OBJECTIVES_PER_STRAND)
        ]
    )
    words = [
        "lectures",
        "meetings",
        "schools",
        "colleges",
        "bloggers",
        "inmates",
        "families",
        "villages",
        "trainings",
        "videos",
    ]
    items = PlanItem.objects.bulk_create(
        [
            PlanItem(
                version=version,
                tracked=trackeds[n],
                objective=objectives[n // ITEMS_PER_OBJECTIVE],
                position=n % ITEMS_PER_OBJECTIVE + 1,
                text_en=" ".join(rng.choice(words) for _ in range(25)),
                text_ru="Мероприятие " + str(n),
                responsible_body=rng.choice(["Ministry of Education", "Akimat", "Ministry of Religious Affairs"]),
                deadline=date(2018 + n % 3, 12, 31),
                completion_form="Report",
                budget_kzt=rng.randint(1, 90) * 1_000_000,
                budget_source="republican budget",
            )
            for n in range(total)
        ]
    )
    for item in items:
        item.regions.add(rng.choice(regions))
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                item=item, name_ru="Охват", name_en="People reached", unit_ru="человек", unit_en="people", baseline=100
            )
            for item in items
        ]
    )
    IndicatorTarget.objects.bulk_create(
        [
            IndicatorTarget(indicator=indicator, year=year, value=100 * year % 7 + 50)
            for indicator in indicators
            for year in (2017, 2018, 2019, 2020)
        ]
    )
    services.renumber(version)
    services.publish_version(actor=None, version=version)
    first = version
    for step in range(4):
        kind = PlanVersion.Kind.ADOPTED if step == 3 else PlanVersion.Kind.DRAFT
        started = time.perf_counter()
        version = services.start_version(actor=None, plan=plan, kind=kind)
        report(f"start version {version.number} (copy {total} items)", time.perf_counter() - started, "s")
        if kind == PlanVersion.Kind.DRAFT:
            sample = list(version.items.select_related("objective").order_by("?")[:12])
            for item in sample[:8]:
                services.save_item(
                    actor=None,
                    version=version,
                    objective=item.objective,
                    item=item,
                    text_en=item.text_en + " and online",
                )
            for item in sample[8:10]:
                services.remove_item(actor=None, item=item)
            for item in sample[10:]:
                services.save_item(
                    actor=None,
                    version=version,
                    objective=item.objective,
                    text_en="A new measure",
                    responsible_body="Akimat",
                )
            version = services.publish_version(actor=None, version=version)
        else:
            version = services.publish_version(actor=None, version=version, adopted_on=date(2017, 3, 15))
    return plan, first, version


def run(report):
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from kelisim.plans.models import ActionPlan, PlanVersion

    serve_pages_in_process()
    reverse("plans:index")
    plan = ActionPlan.objects.filter(slug="bench-plan").first()
    if plan is not None and ActionPlan.objects.count() == 1:
        versions = list(plan.versions.order_by("number"))
        first, last = versions[0], versions[-1]
    else:
        started = time.perf_counter()
        plan, first, last = _seed(report)
        report("seed a plan of 300 items in 5 versions", time.perf_counter() - started, "s")
    report("plan versions", PlanVersion.objects.filter(plan=plan).count(), "rows")
    report("items in the adopted plan", last.items.count(), "rows")

    client = Client()
    item = last.items.select_related("tracked").order_by("number").first()
    with translation.override("en"):
        pages = {
            "plan page": reverse("plans:index"),
            "plan page, filtered": reverse("plans:index") + "?status=not_started&body=Akimat",
            "version page (printable)": reverse("plans:version", args=[last.number]),
            "item page": reverse("plans:item", args=[item.tracked.code]),
            "comparison page (draft 1 vs adopted)": reverse("plans:compare") + f"?a={first.number}&b={last.number}",
            "version as CSV": reverse("plans:export_csv", args=[last.number]),
        }
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        report(f"{name}: queries", count_queries(lambda url=url: client.get(url)), "queries")
        timing = time_calls(lambda url=url: client.get(url), repeat=20, warmup=2)
        report(f"{name}: median", timing["median"], "ms")
        report(f"{name}: p99", timing["p99"], "ms")

    compare_url = pages["comparison page (draft 1 vs adopted)"]

    def computed():
        cache.clear()
        return client.get(compare_url)

    report("comparison page, computed (cache emptied): queries", count_queries(computed), "queries")
    timing = time_calls(computed, repeat=10, warmup=1)
    report("comparison page, computed (cache emptied): median", timing["median"], "ms")
    report("comparison page, computed (cache emptied): p99", timing["p99"], "ms")
