import pytest
from django.core.management import call_command

from accounts.models import User
from calls.models import Call
from calls.phases import Phase
from demo.calls import CURRENT_SLUG, PAST_SLUG

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (Call.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Call.objects.count(), User.objects.count()) == counts
    assert "organiser@example.org" in first and "founder-demo-2026" in first

    current = Call.objects.get(slug=CURRENT_SLUG)
    assert current.phase == Phase.OPEN
    assert current.cohort_size == 5
    assert 4 <= current.criteria.count() <= 5
    assert {p.name for p in current.partners.all()} >= {"Meta", "Hugging Face", "Scaleway"}
    past = Call.objects.get(slug=PAST_SLUG)
    assert past.phase == Phase.DECIDED
    assert past.closes_at.isoformat().startswith("2024-08-16T21:59")  # 23:59 in Paris (CEST)


def test_demo_logins_work(client):
    call_command("seed_demo")
    assert client.login(username="organiser@example.org", password="organiser-demo-2026")


def test_demo_has_enough_reviewed_startups_for_a_shortlist_and_a_waitlist(capsys):
    from cohorts.models import Section
    from cohorts.shortlist.services import run_shortlist

    call_command("seed_demo")
    run = run_shortlist(Call.objects.get(slug=CURRENT_SLUG), trigger="command")
    sections = [entry.section for entry in run.entries.all()]
    assert sections.count(Section.SHORTLIST) == 5
    assert sections.count(Section.WAITLIST) >= 2  # a decline in the demo promotes someone
