"""Every model file field is under the one upload policy (``core.files``), and no address serves stored
files without a permission check (issue 18, findings 1 and 2)."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve

from kelisim.core import files


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield f"{model._meta.label}.{field.name}", field


def test_every_model_file_field_is_under_the_upload_policy():
    found = dict(_file_fields())
    assert len(found) >= 9  # reports, evidence, imports (2), applications (2), milestone evidence, roundtables, news
    outside = [label for label, field in found.items() if files.policy_of(field) is None]
    assert outside == [], f"file fields outside core.files' policy: {outside}"
    for label, field in found.items():
        assert field.upload_to(None, "../evil.html").count("evil") == 0, label


@pytest.mark.parametrize("path", ["/media/", "/media/funding/applications/1/plan.pdf", "/media/imports/x.csv"])
def test_no_public_media_address(path):
    with pytest.raises(Resolver404):
        resolve(path)
