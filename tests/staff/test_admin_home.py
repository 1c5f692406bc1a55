"""The admin home per role: organisers start from their calls, reviewers from their queue."""

import re
import zoneinfo

import pytest
from django.utils import timezone

from reviews.models import AssignmentState
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import organiser
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import make_reviewer, submit_review, submitted_app

pytestmark = pytest.mark.django_db


def section_titles(html: str) -> list[str]:
    return re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', html)


def test_organiser_home_lists_calls_first_then_the_work_then_people_and_security(client, call):
    # A superuser sees every section (the demo's organiser is one).
    client.force_login(organiser(is_superuser=True))
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert html.index("home-calls") < html.index('id="content-main"') + 2000
    assert call.title in html
    assert "Under review" in html  # the call's phase, from calls.phases
    titles = section_titles(html)
    assert titles[:4] == ["Calls", "Applications", "Reviews", "Cohorts"]
    assert titles[-1] == "People and security"
    assert titles.count("Accounts") == 0
    for technical in ("OTP_TOTP", "Otp_Totp", "Axes", "Access attempts", "Email addresses"):
        assert technical not in html
    for human in ("Two-factor devices", "Sign-in attempts", "E-mail addresses"):
        assert human in html


def test_reviewer_home_shows_the_queue_and_the_next_review(client, call):
    reviewer = make_reviewer()
    apps = [submitted_app(call, startup_name=name) for name in ("Alpha", "Bravo", "Charlie", "Delta")]
    assignments = [AssignmentFactory(application=app, reviewer=reviewer) for app in apps]
    submit_review(assignments[0])
    AssignmentFactory(application=submitted_app(call), reviewer=reviewer, state=AssignmentState.CONFLICTED)
    client.force_login(reviewer)

    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    due = timezone.localtime(call.review_deadline, zoneinfo.ZoneInfo("Europe/Paris"))
    assert "3 to do" in html
    assert f"{due.day} {due:%B}" in html
    assert "(Paris time)" in html
    assert "1 of 4 done" in html
    next_url = f"/admin/reviews/myreview/{assignments[1].pk}/change/"
    assert re.search(rf'<a class="button default" href="{next_url}">Start the next review</a>', html)
    assert "home-calls" not in html


def test_reviewer_home_in_french(client, call):
    reviewer = make_reviewer(language="fr")
    AssignmentFactory(application=submitted_app(call), reviewer=reviewer)
    client.force_login(reviewer)
    html = client.get("/admin/").content.decode()
    assert "1 à faire" in html
    assert "Commencer l’évaluation suivante" in html


def test_reviewer_with_everything_submitted(client, call):
    reviewer = make_reviewer()
    submit_review(AssignmentFactory(application=submitted_app(call), reviewer=reviewer))
    client.force_login(reviewer)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "All done: you submitted your review." in html
    assert "Start the next review" not in html


def test_admin_login_asks_for_the_email(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<label[^>]*for="id_username"[^>]*>E-mail:</label>', html)
    assert "Username" not in html


def test_founder_cannot_reach_the_admin_home(client):
    client.force_login(UserFactory())
    assert client.get("/admin/").status_code == 302
