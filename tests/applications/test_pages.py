import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application, Membership
from applications.services.submission import submit_application
from calls.models import Call
from demo.accounts import seed_accounts
from demo.applications import seed_founder_draft
from demo.calls import CURRENT_SLUG
from tests.applications.helpers import complete, minimal_pdf, url
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.factories.calls import CallFactory

pytestmark = pytest.mark.django_db


def test_list_shows_status_deadline_and_progress(client, draft):
    complete(draft)
    submit_application(draft.pk, by=draft.owner)
    other_call = CallFactory(title="Second call")
    client.force_login(draft.owner)
    html = client.get(reverse("applications:list")).content.decode()
    assert "Mistral Kitchen" in html and "Submitted" in html
    assert "7 of 7 sections complete" in html
    assert draft.call.closes_at.isoformat() in html and "Paris time" in html and "left" in html
    # Calls still open where the founder has no application are offered.
    assert reverse("applications:start", args=[other_call.slug]) in html


def test_list_page_query_count_is_bounded(client, founder, django_assert_max_num_queries):
    def add_applications(n):
        for _ in range(n):
            application = ApplicationFactory(owner=founder, call=CallFactory())
            TeamMemberFactory(application=application)
            joined = ApplicationFactory(call=CallFactory())
            Membership.objects.create(application=joined, user=founder, call=joined.call)

    client.force_login(founder)
    add_applications(2)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("applications:list")).status_code == 200
    add_applications(15)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("applications:list"))
    assert len(response.context["rows"]) == 34


def test_detail_shows_sections_with_state_and_time_left_in_paris(client, draft):
    draft.startup_name = "Half Way"
    draft.save()
    client.force_login(draft.owner)
    html = client.get(url("detail", draft)).content.decode()
    assert "0 of 7 sections complete" in html
    assert "Missing:" in html and "website" in html
    assert "Paris time" in html and "left" in html
    assert url("edit", draft) + "#section-product" in html
    assert "Half Way" in html


def test_detail_after_the_deadline_is_read_only(client, draft):
    complete(draft)
    submit_application(draft.pk, by=draft.owner)
    Call.objects.filter(pk=draft.call_id).update(
        opens_at=draft.call.opens_at.replace(year=2020), closes_at=draft.call.opens_at.replace(year=2021)
    )
    client.force_login(draft.owner)
    html = client.get(url("detail", draft)).content.decode()
    assert "can no longer be changed" in html
    assert url("edit", draft) not in html and "Mistral Kitchen" in html
    assert "Applications are closed." in html


def test_edit_form_renders_every_section_with_its_state(client, draft):
    client.force_login(draft.owner)
    html = client.get(url("edit", draft)).content.decode()
    for key in ("startup", "team", "product", "compute", "traction", "deck", "consents"):
        assert f'id="section-{key}"' in html
    assert 'enctype="multipart/form-data"' in html and 'name="version" value="1"' in html
    assert "js/application-form.js" in html and "<script>" not in html
    assert 'accept="application/pdf,.pdf"' in html
    assert reverse("accounts:privacy") in html


def test_form_in_french(client, draft):
    draft.owner.language = "fr"
    draft.owner.save()
    client.force_login(draft.owner)
    html = client.get(url("edit", draft)).content.decode()
    assert '<html lang="fr">' in html
    for text in (
        "Nom de la startup",
        "Produit et IA",
        "Calcul et données",
        "Traction et motivation",
        "Enregistrer le brouillon",
        "Ajouter une personne",
        "heure de Paris",
        "Consentements",
    ):
        assert text in html, text
    response = client.post(url("edit", draft), {"version": "1", "website": "pas une url"})
    assert "Saisissez une URL valide." in response.content.decode()


def test_admin_lists_applications_with_deck_link(client, draft):
    complete(draft)
    draft.pitch_deck.save("deck.pdf", io.BytesIO(minimal_pdf()))
    submit_application(draft.pk, by=draft.owner)
    ApplicationFactory(startup_name="Other Startup")
    organiser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(organiser)
    changelist = reverse("admin:applications_application_changelist")
    html = client.get(changelist).content.decode()
    assert "Mistral Kitchen" in html and "Other Startup" in html
    assert url("deck", draft) in html
    for header in ("Status", "Country", "Call", "Submitted"):
        assert header in html
    searched = client.get(changelist, {"q": "kitchen"}).content.decode()
    assert "Mistral Kitchen" in searched and "Other Startup" not in searched
    filtered = client.get(changelist, {"status__exact": "submitted"}).content.decode()
    assert "Mistral Kitchen" in filtered and "Other Startup" not in filtered
    change = client.get(reverse("admin:applications_application_change", args=[draft.pk]))
    assert change.status_code == 200 and url("deck", draft) in change.content.decode()


def test_demo_founder_gets_one_partial_draft(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    founder = seed_accounts()["founder"][0]
    application = Application.objects.get(owner=founder, call__slug=CURRENT_SLUG)
    assert application.status == "draft" and application.startup_name
    assert application.team_members.count() == 2
    _app, created = seed_founder_draft(founder, application.call)
    assert not created and Application.objects.filter(owner=founder).count() == 1


def test_demo_founder_can_log_in_with_the_printed_password(client):
    call_command("seed_demo")
    response = client.post(reverse("account_login"), {"login": "founder@example.org", "password": "founder-demo-2026"})
    assert response.status_code == 302 and response["Location"] == reverse("applications:list")
