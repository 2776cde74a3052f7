"""A version's open data files: CSV (one row per item, with the plan and version number on each row, so that
the files of two versions differ and can be stacked) and JSON (items with their indicators nested)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse

from kelisim.core.exports import csv_lines
from kelisim.plans import selectors
from kelisim.plans.models import PlanVersion
from kelisim.plans.views.public import current_plan_or_404, visible_version_or_404


def export_csv(request, number: int):
    version = visible_version_or_404(request, current_plan_or_404(), number)
    rows = ([row[column] for column in EXPORT_COLUMNS] for row in export_rows(version))
    response = HttpResponse("".join(csv_lines(EXPORT_COLUMNS, rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="action-plan-v{version.number}.csv"'
    return response


def export_json(request, number: int):
    plan = current_plan_or_404()
    version = visible_version_or_404(request, plan, number)
    data = {
        "plan": plan.slug,
        "version": version.number,
        "label": version.label,
        "kind": version.kind,
        "state": version.state,
        "published_at": version.published_at,
        "adopted_on": version.adopted_on,
        "items": export_rows(version, nested=True),
    }
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 1})


EXPORT_COLUMNS = [
    "plan",
    "version",
    "id",
    "number",
    "strand",
    "strand_name",
    "objective",
    "text_kk",
    "text_ru",
    "text_en",
    "responsible_body",
    "partners",
    "regions",
    "deadline",
    "completion_form",
    "budget_kzt",
    "budget_source",
    "weight",
    "status",
    "progress",
    "progress_source",
    "suggestions",
    "indicators",
]


def export_rows(version: PlanVersion, *, nested: bool = False) -> list[dict]:
    items = list(selectors.version_items(version))
    links = selectors.provenance_of([item.tracked_id for item in items], include_unpublished=False)
    suggestions: dict[int, list[str]] = {}
    for link in links:
        if link.suggestion_id:
            suggestions.setdefault(link.tracked_id, []).append(link.suggestion.reference)
    rows = []
    for item in items:
        indicators = [
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "baseline": indicator.baseline,
                "targets": [
                    {"year": t.year, "region": t.region.code if t.region else None, "value": t.value}
                    for t in indicator.targets.all()
                ],
            }
            for indicator in item.indicators.all()
        ]
        partners = [{"bin": p.bin, "name": p.name} for p in item.partners.all()]
        regions = [region.code for region in item.regions.all()]
        refs = sorted(set(suggestions.get(item.tracked_id, [])))
        rows.append(
            {
                "plan": version.plan.slug,
                "version": version.number,
                "id": item.tracked.code,
                "number": item.number,
                "strand": item.objective.strand.code,
                "strand_name": item.objective.strand.name,
                "objective": item.objective.title,
                "text_kk": item.text_kk,
                "text_ru": item.text_ru,
                "text_en": item.text_en,
                "responsible_body": item.responsible_body,
                "partners": partners if nested else "; ".join(f"{p['bin']} {p['name']}" for p in partners),
                "regions": regions if nested else " ".join(regions),
                "deadline": item.deadline,
                "completion_form": item.completion_form,
                "budget_kzt": item.budget_kzt,
                "budget_source": item.budget_source,
                "weight": item.weight,
                "status": item.tracked.status,
                "progress": item.tracked.progress,
                "progress_source": item.tracked.progress_source,  # "manual" or "indicators"
                "suggestions": refs if nested else " ".join(refs),
                "indicators": indicators
                if nested
                else json.dumps(indicators, cls=DjangoJSONEncoder, ensure_ascii=False),
            }
        )
    return rows
