import django.db.models.deletion
from django.db import migrations, models


def pack_existing_runs(apps, schema_editor):
    """Every run stored before this migration gets its packed ranking, built from its rows (which
    then held every application). Their rows stay: locking skips those already stored."""
    from cohorts.shortlist import snapshot

    ShortlistRun = apps.get_model("cohorts", "ShortlistRun")
    ShortlistEntry = apps.get_model("cohorts", "ShortlistEntry")
    ShortlistRanking = apps.get_model("cohorts", "ShortlistRanking")
    for run_id in ShortlistRun.objects.values_list("pk", flat=True).iterator():
        data = snapshot.pack_rows(ShortlistEntry.objects.filter(run_id=run_id))
        ShortlistRanking.objects.create(run_id=run_id, data=data)


def store_uncompressed(apps, schema_editor):
    """On PostgreSQL, the packed ranking (7 MB at 100,000 applications) is stored out of line
    without compression: compressing it cost more than the rest of storing a run, for little space."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cohorts_shortlistranking ALTER COLUMN data SET STORAGE EXTERNAL")


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0004_shortlist_entry_run_index_covered_by_unique"),
    ]

    operations = [
        migrations.CreateModel(
            name="ShortlistRanking",
            fields=[
                (
                    "run",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="ranking",
                        serialize=False,
                        to="cohorts.shortlistrun",
                    ),
                ),
                ("data", models.BinaryField()),
            ],
            options={
                "verbose_name": "shortlist ranking",
                "verbose_name_plural": "shortlist rankings",
            },
        ),
        migrations.RunPython(store_uncompressed, migrations.RunPython.noop),
        migrations.RunPython(pack_existing_runs, migrations.RunPython.noop),
    ]
