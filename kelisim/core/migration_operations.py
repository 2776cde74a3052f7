"""Migration operations for rolling upgrades (docs/deployment.md): the release still running keeps writing."""

from django.db import migrations


class AddIndexWithoutBlockingWrites(migrations.AddIndex):
    """``AddIndex`` that PostgreSQL builds ``CONCURRENTLY``: a plain ``CREATE INDEX`` blocks every write to the
    table while it reads all of it (a million activity reports: seconds of failed submissions during an
    upgrade). The migration holding it must say ``atomic = False``, since PostgreSQL cannot build an index
    concurrently inside a transaction. SQLite has one writer anyway and builds it as usual."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, concurrently=True)
