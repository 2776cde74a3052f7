"""The header's search box (issue 15) at the bench volume: 200,000 suggestions and 23,000 organisations.

Seeds with the consultation and organisation benches' data when the database does not hold it yet (the
suggestions through ``bench_consultations._seed``, the organisations through the import, previewed and
confirmed), plus plan items, calls and news from the demo loaders; then times ``/en/search/?q=…`` for words
that match many rows, few rows and none, in the three languages. Target: p99 ≤ 100 ms.
"""

import time

from bench.helpers import count_queries, serve_pages_in_process, time_calls

QUERIES = [
    "молодёжь",  # tens of thousands of suggestions, thousands of organisations
    "youth clubs",
    "жастар",
    "hotline",
    "Accord",
    "prisons rehabilitation",
    "зzzz-nothing",
]


def run(report):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from bench import bench_consultations, bench_organisations
    from kelisim.consultations.models import Suggestion
    from kelisim.organisations import services as organisation_services
    from kelisim.organisations.models import ImportJob, Organisation

    serve_pages_in_process()
    with translation.override("en"):
        url = reverse("core:search")
    if Suggestion.objects.count() < bench_consultations.SUGGESTIONS:
        started = time.perf_counter()
        bench_consultations._seed(report)
        report("search: seed 200,000 suggestions", time.perf_counter() - started, "s")
    if Organisation.objects.count() < bench_organisations.ROWS:
        from kelisim.core.models import Region, Strand
        from kelisim.organisations.tests.factories import officer as make_officer

        content = bench_organisations._csv(
            list(Region.objects.values_list("code", flat=True)), list(Strand.objects.values_list("code", flat=True))
        )
        actor = make_officer()
        job = organisation_services.start_import(
            actor=actor, uploaded_file=SimpleUploadedFile("bench.csv", content), mode=ImportJob.Mode.VALID_ROWS
        )
        job.refresh_from_db()
        if job.status == ImportJob.Status.PREVIEW:
            organisation_services.confirm_import(actor=actor, job=job)
    report("search: suggestions", Suggestion.objects.count(), "rows")
    report("search: organisations", Organisation.objects.count(), "rows")

    client = Client()
    all_samples = []
    for query in QUERIES:
        address = f"{url}?q={query}"
        assert client.get(address).status_code == 200, address
        report(f"search '{query}': queries", count_queries(lambda address=address: client.get(address)), "queries")
        timing = time_calls(lambda address=address: client.get(address), repeat=30, warmup=3)
        all_samples.append(timing["p99"])
        report(f"search '{query}': median", timing["median"], "ms", f"p99 {timing['p99']:.1f} ms")
    report("search: worst p99 over the queries", max(all_samples), "ms", "target ≤ 100 ms")
