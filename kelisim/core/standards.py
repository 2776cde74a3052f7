"""Validation of open-data exports against the official schema files of each standard.

The files are not copied into the project: they are read from ``settings.KELISIM_SCHEMAS_DIR``
(``ocds-1.1.5/``, ``360giving-1.4.3/``, ``iati-2.03/``), as each standard publishes them. ``jsonschema``
and ``xmlschema`` are development dependencies: these functions serve tests, CI and ``manage.py
validate_open_data``, never a request.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings

OCDS_DIR = "ocds-1.1.5"
OCDS_BASE = "https://standard.open-contracting.org/schema/1__1__5/"
GIVING_DIR = "360giving-1.4.3"
IATI_DIR = "iati-2.03"


class SchemasMissing(RuntimeError):
    """The folder of official schemas is not where the setting says."""


def schema_dir(name: str) -> Path:
    folder = Path(settings.KELISIM_SCHEMAS_DIR) / name
    if not folder.is_dir():
        raise SchemasMissing(f"{folder} is missing: set KELISIM_SCHEMAS_DIR to the folder of official schemas")
    return folder


RFC3339 = re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")


def _format_checker():
    """The standard format checks, with "date-time" always checked (RFC 3339): without it, a schema that
    accepts "a date or a date-time" through ``oneOf`` would find a plain date valid both ways."""
    from jsonschema import FormatChecker

    checker = FormatChecker()
    if "date-time" not in checker.checkers:
        checker.checks("date-time")(lambda value: not isinstance(value, str) or bool(RFC3339.match(value)))
    return checker


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def _json_validator(folder: str, filename: str, base: str, schemas_dir: str):
    from jsonschema import Draft4Validator, validators
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    directory = schema_dir(folder)
    resources = []
    for path in directory.glob("*.json"):
        contents = _load(path)
        resource = Resource.from_contents(contents, default_specification=DRAFT4)
        resources.append((base + path.name, resource))
        identifier = contents.get("$id") or contents.get("id")
        if identifier:
            resources.append((identifier, resource))
    schema = _load(directory / filename)
    cls = validators.validator_for(schema, default=Draft4Validator)
    return cls(schema, registry=Registry().with_resources(resources), format_checker=_format_checker())


def _messages(errors) -> list[str]:
    return [f"{'/'.join(str(part) for part in error.absolute_path)}: {error.message}" for error in errors]


def ocds_errors(package: dict, kind: str) -> list[str]:
    """Errors of an OCDS 1.1.5 "release-package" or "record-package" (an empty list when valid)."""
    validator = _json_validator(OCDS_DIR, f"{kind}-schema.json", OCDS_BASE, str(settings.KELISIM_SCHEMAS_DIR))
    return _messages(validator.iter_errors(package))


def giving_errors(package: dict) -> list[str]:
    """Errors of a 360Giving 1.4 grants package (an empty list when valid)."""
    validator = _json_validator(GIVING_DIR, "360-giving-package-schema.json", "", str(settings.KELISIM_SCHEMAS_DIR))
    return _messages(validator.iter_errors(package))


@lru_cache(maxsize=2)
def _iati_schema(schemas_dir: str):
    import xmlschema

    return xmlschema.XMLSchema(str(schema_dir(IATI_DIR) / "iati-activities-schema.xsd"))


def iati_errors(xml: bytes | str) -> list[str]:
    """Errors of an IATI 2.03 ``iati-activities`` document against the official XSD (empty when valid)."""
    schema = _iati_schema(str(settings.KELISIM_SCHEMAS_DIR))
    return [f"{error.path}: {error.reason}" for error in schema.iter_errors(xml)]
