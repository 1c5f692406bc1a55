import django.db.models.deletion
from django.db import migrations, models

# Only the index goes: AlterField would also drop and re-add the foreign key, checking every entry.
INDEX = "cohorts_shortlistentry_run_id_558fb4e8"


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0003_merge_offers_and_shortlist"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="shortlistentry",
                    name="run",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entries",
                        to="cohorts.shortlistrun",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "cohorts_shortlistentry" ("run_id")',
                ),
            ],
        ),
    ]
