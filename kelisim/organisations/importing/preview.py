"""What an import would do, worked out before anything is written: rows to create, rows to update with a
field-by-field diff, rows that change nothing. The officer confirms this before the file is written."""

from datetime import date

from kelisim.core.models import Region, Strand
from kelisim.organisations.importing.checks import CheckedRow
from kelisim.organisations.importing.columns import WRITTEN_FIELDS
from kelisim.organisations.models import Organisation

MAX_LISTED = 200  # rows listed on the preview page per kind (the counts are always complete)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _name(values: dict) -> str:
    return values.get("name_ru") or values.get("name_kk") or values.get("name_en") or ""


def preview(rows: list[CheckedRow]) -> dict:
    """Compare every checked row with the organisation of the same BIN, by the fields an import writes."""
    bins = [row.values["bin"] for row in rows]
    existing: dict[str, dict] = {}
    for start in range(0, len(bins), 900):
        for values in Organisation.objects.filter(bin__in=bins[start : start + 900]).values(
            "pk", "bin", *WRITTEN_FIELDS
        ):
            existing[values["bin"]] = values
    strand_codes = dict(Strand.objects.values_list("pk", "code"))
    region_codes = dict(Region.objects.values_list("pk", "code"))

    def new_value(row: CheckedRow, field: str) -> str:
        if field == "region":
            return region_codes.get(row.values.get("region_id"), "")
        return _shown(row.values.get(field))

    def old_value(old: dict, field: str) -> str:
        if field == "region":
            return region_codes.get(old.get("region"), "")
        return _shown(old.get(field))

    current_strands: dict[int, set[str]] = {}
    ids = [values["pk"] for values in existing.values()]
    through = Organisation.focus_strands.through
    for start in range(0, len(ids), 900):
        for organisation_id, strand_id in through.objects.filter(
            organisation_id__in=ids[start : start + 900]
        ).values_list("organisation_id", "strand_id"):
            current_strands.setdefault(organisation_id, set()).add(strand_codes.get(strand_id, ""))

    creates, updates, unchanged = [], [], 0
    for row in rows:
        old = existing.get(row.values["bin"])
        if old is None:
            creates.append({"row": row.row, "bin": row.values["bin"], "name": _name(row.values)})
            continue
        changes = [
            {"field": field, "old": old_value(old, field), "new": new_value(row, field)}
            for field in WRITTEN_FIELDS
            if old_value(old, field) != new_value(row, field)
        ]
        old_strands = ";".join(sorted(current_strands.get(old["pk"], set())))
        new_strands = ";".join(sorted(strand_codes.get(pk, "") for pk in row.strand_ids))
        if old_strands != new_strands:
            changes.append({"field": "strands", "old": old_strands, "new": new_strands})
        if changes:
            updates.append(
                {"row": row.row, "bin": row.values["bin"], "name": _name(old), "pk": old["pk"], "changes": changes}
            )
        else:
            unchanged += 1
    return {
        "create_count": len(creates),
        "update_count": len(updates),
        "unchanged_count": unchanged,
        "creates": creates[:MAX_LISTED],
        "updates": updates[:MAX_LISTED],
    }
