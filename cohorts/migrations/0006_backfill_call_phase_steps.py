"""Record on each call the steps taken before calls had phases: when its shortlist was locked and
when its first offer went out (calls.phases reads them)."""

from django.db import migrations
from django.db.models import Min


def forwards(apps, schema_editor):
    Call = apps.get_model("calls", "Call")
    ShortlistRun = apps.get_model("cohorts", "ShortlistRun")
    Offer = apps.get_model("cohorts", "Offer")
    for call_id, locked_at in ShortlistRun.objects.filter(locked_at__isnull=False).values_list("call_id", "locked_at"):
        Call.objects.filter(pk=call_id, shortlist_locked_at__isnull=True).update(shortlist_locked_at=locked_at)
    first_offers = Offer.objects.values("call_id").order_by().annotate(first=Min("offered_at"))
    for row in first_offers:
        Call.objects.filter(pk=row["call_id"], offers_sent_at__isnull=True).update(offers_sent_at=row["first"])


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0002_call_phase_steps"),
        ("cohorts", "0005_shortlist_ranking"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
