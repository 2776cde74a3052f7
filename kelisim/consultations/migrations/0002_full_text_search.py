from django.db import migrations

from kelisim.consultations.search import SUGGESTION_SEARCH


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [SUGGESTION_SEARCH.create_operation()]
