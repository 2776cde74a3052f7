"""An automatic conflict of interest no longer stores "Member of the applicant organisation." in the
language of the officer who assigned the reviewer: the flag says it, worded for each reader. Notes a person
wrote stay."""

from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

SENTENCE = gettext_noop("Member of the applicant organisation.")  # kept in the catalogue for this


def forwards(apps, schema_editor):
    ReviewAssignment = apps.get_model("funding", "ReviewAssignment")
    worded = {SENTENCE}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            worded.add(gettext(SENTENCE))
    ReviewAssignment.objects.filter(automatic_conflict=True, conflict_note__in=worded).update(conflict_note="")


class Migration(migrations.Migration):
    dependencies = [("funding", "0008_text_limits")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
