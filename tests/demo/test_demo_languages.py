"""The demo's current call is written in both languages, and older demo data gets the French."""

import pytest
from django.core.management import call_command

from calls.models import Call, Criterion, Partner
from demo.calls import CURRENT_SLUG

pytestmark = pytest.mark.django_db


def test_demo_call_has_every_public_text_in_french_and_english():
    call_command("seed_demo", verbosity=0)
    call = Call.objects.get(slug=CURRENT_SLUG)
    for field in ("title", "summary", "description", "eligibility_notes"):
        assert getattr(call, f"{field}_en") and getattr(call, f"{field}_fr"), field
        assert getattr(call, f"{field}_en") != getattr(call, f"{field}_fr"), field
    assert all(p.role_fr and p.role_en for p in call.partners.all())
    assert all(c.name_fr and c.description_fr for c in call.criteria.all())


def test_demo_data_from_before_gets_the_french_without_losing_edits():
    call_command("seed_demo", verbosity=0)
    Call.objects.filter(slug=CURRENT_SLUG).update(title_fr=None, summary_fr="Résumé de l'organisatrice")
    Partner.objects.filter(call__slug=CURRENT_SLUG).update(role_fr=None)
    Criterion.objects.filter(call__slug=CURRENT_SLUG).update(name_fr=None)
    call_command("seed_demo", verbosity=0)
    call = Call.objects.get(slug=CURRENT_SLUG)
    assert call.title_fr.startswith("Programme startups IA")
    assert call.summary_fr == "Résumé de l'organisatrice"
    assert all(p.role_fr for p in call.partners.all()) and all(c.name_fr for c in call.criteria.all())
