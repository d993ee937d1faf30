"""The audit log is append-only in the database itself (PostgreSQL): a trigger refuses any
DELETE, and any UPDATE except the redaction of ``before``/``after``/``reason`` by
``centres.audit.redact`` (which sets ``parchemin.audit_redaction`` for its transaction).
Skipped on SQLite (the embedded demo); the model and queryset refuse both everywhere."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION centres_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('parchemin.audit_redaction', true), '') = 'on'
       AND NEW.id = OLD.id
       AND NEW.centre_id IS NOT DISTINCT FROM OLD.centre_id
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.action = OLD.action
       AND NEW.subject_type = OLD.subject_type
       AND NEW.subject_id = OLD.subject_id
       AND NEW.created_at = OLD.created_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'centres_auditentry is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS centres_auditentry_append_only ON centres_auditentry;
CREATE TRIGGER centres_auditentry_append_only
    BEFORE UPDATE OR DELETE ON centres_auditentry
    FOR EACH ROW EXECUTE FUNCTION centres_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS centres_auditentry_append_only ON centres_auditentry;
DROP FUNCTION IF EXISTS centres_auditentry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0002_siret_validation_pending_invitation"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
