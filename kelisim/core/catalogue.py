"""The data catalogue: every dataset the apps register (``core.registry.register_dataset``), as a page for
people (``/<lang>/data/``, with each dataset's files, licence, last change and column dictionary) and as DCAT
in JSON-LD (``/data/catalog.jsonld``) that a national open-data portal harvests.

Encoding convention of every file listed: UTF-8; CSV files start with a byte-order mark (so that spreadsheet
programs read them as UTF-8), use commas, and quote as RFC 4180 does; dates are ISO 8601; codes (region ISO
3166-2 codes, strand codes, BINs, plan item codes, version numbers) stay the same in every language, and the
labels beside them are in the language of the address the file was taken from.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from kelisim.core import registry

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC BY 4.0"


def _absolute(path: str) -> str:
    return path if path.startswith("http") else f"{settings.SITE_URL}{path}"


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def entries() -> list[dict]:
    """Each dataset with its files and last change, read now."""
    return [
        {"dataset": dataset, "distributions": dataset.distributions(), "modified": dataset.modified()}
        for dataset in registry.datasets()
    ]


def dcat(language: str) -> dict:
    """The catalogue as DCAT (DCAT-AP's classes and properties) in JSON-LD."""
    catalogue_url = _absolute("/data/catalog.jsonld")
    with translation.override(language):
        rows = entries()
        datasets = []
        for row in rows:
            dataset = row["dataset"]
            item = {
                "@id": f"{catalogue_url}#{dataset.key}",
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.key,
                "dct:title": {"@language": language, "@value": str(dataset.title)},
                "dct:description": {"@language": language, "@value": str(dataset.description)},
                "dct:publisher": {"@id": "#publisher"},
                "dct:license": {"@id": LICENSE},
                "dcat:landingPage": {"@id": _absolute(f"/{language}/data/#{dataset.key}")},
                "dcat:keyword": list(dataset.keywords),
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dct:title": str(distribution.title or dataset.title),
                        "dcat:accessURL": {"@id": _absolute(distribution.path)},
                        "dcat:downloadURL": {"@id": _absolute(distribution.path)},
                        "dcat:mediaType": distribution.media_type,
                        "dct:format": distribution.format,
                        "dct:license": {"@id": LICENSE},
                    }
                    for distribution in row["distributions"]
                ],
            }
            if row["modified"]:
                item["dct:modified"] = {"@type": "xsd:dateTime", "@value": _iso(row["modified"])}
            if dataset.conforms_to:
                item["dct:conformsTo"] = {"@id": dataset.conforms_to}
            datasets.append(item)
    modified = max((row["modified"] for row in rows if row["modified"]), default=None)
    catalogue = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": catalogue_url,
        "@type": "dcat:Catalog",
        "dct:title": "Kelisim open data",
        "dct:description": "Consultations, the action plan, contracts and activities of the Kelisim programme.",
        "dct:language": [{"@id": f"http://id.loc.gov/vocabulary/iso639-1/{code}"} for code in ("kk", "ru", "en")],
        "dct:license": {"@id": LICENSE},
        "dct:publisher": {"@id": "#publisher", "@type": "foaf:Agent", "foaf:name": settings.KELISIM_PUBLISHER_NAME},
        "foaf:homepage": {"@id": _absolute("/")},
        "dcat:dataset": datasets,
    }
    if modified:
        catalogue["dct:modified"] = {"@type": "xsd:dateTime", "@value": _iso(modified)}
    return catalogue


@require_GET
def catalogue_jsonld(request):
    language = request.GET.get("lang", "")
    language = language if language in {code for code, _name in settings.LANGUAGES} else "en"
    response = JsonResponse(dcat(language), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    return response


@require_GET
def catalogue_page(request):
    return render(
        request,
        "core/data_catalogue.html",
        {"entries": entries(), "license_url": LICENSE, "license_name": LICENSE_NAME},
    )
