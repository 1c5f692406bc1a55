"""On PostgreSQL, a score's copy of its scale is its criterion's scale, whatever writes it.

reviews_score already checks 1 <= value <= scale_max (score_within_scale). This foreign key on
(criterion_id, scale_max) to the criterion's unique (id, scale_max) makes scale_max always equal
to the criterion's own: an update() that raises a score's scale_max, or a criterion's scale
changed under its scores, is refused by the database at the statement. It is checked immediately
(not deferred) so the error names the statement that broke it.

SQLite cannot add a foreign key to an existing table; there the services and forms refuse these
writes (reviews.services.rubric), and score_within_scale still holds against the copied scale.
"""

from django.db import migrations

CONSTRAINT = "score_scale_is_criterion_scale"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE reviews_score ADD CONSTRAINT {CONSTRAINT} "
        "FOREIGN KEY (criterion_id, scale_max) REFERENCES calls_criterion (id, scale_max) "
        "ON UPDATE NO ACTION ON DELETE NO ACTION NOT DEFERRABLE"
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE reviews_score DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0003_criterion_id_scale_unique"),
        ("reviews", "0006_rubric_change"),
    ]

    operations = [migrations.RunPython(add, remove)]
