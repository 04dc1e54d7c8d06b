"""On PostgreSQL the database itself refuses UPDATE and DELETE on audit entries.

(SQLite relies on the model and queryset guards: Django's test flush deletes rows there.)
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_logentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_logentry_append_only
    BEFORE UPDATE OR DELETE ON audit_logentry
    FOR EACH ROW EXECUTE FUNCTION audit_logentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_logentry_append_only ON audit_logentry;
DROP FUNCTION IF EXISTS audit_logentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
