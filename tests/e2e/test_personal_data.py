"""A founder's own data in a real browser: payloads stay inert, the archive downloads, the account goes."""

import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client

from applications.models import TeamMember
from tests.applications.helpers import complete
from tests.e2e.checks import assert_accessible, assert_page_is_clean
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture
def founder():
    user = UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.eu", username="ada")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    application = complete(ApplicationFactory(call=CallFactory(), owner=user))
    application.startup_name = "Hostile " + PAYLOAD
    application.problem = PAYLOAD
    application.save()
    TeamMember.objects.filter(application=application).update(name=PAYLOAD, profile_url="javascript:alert(3)")
    return user, application


def sign_in(page, user, live_server):
    """A signed-in session, as after the sign-in page (which its own tests cover)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_payloads_stay_text_archive_downloads_and_the_account_is_deleted(page, founder, tmp_path, live_server):
    user, application = founder
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, user, live_server)

    page.goto(application.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Hostile " + PAYLOAD
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.get_by_text("javascript:alert(3)").is_visible()
    assert dialogs == []
    assert_page_is_clean(page)

    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Download your data or delete your account").click()
    assert page.get_by_role("heading", name="Your data", level=1).is_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download my data (ZIP)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("my-data-") and path.suffix == ".zip"
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
        assert f"decks/application-{application.pk}.pdf" in archive.namelist()
    assert data["applications"][0]["answers"]["problem"] == PAYLOAD

    page.get_by_role("link", name="Delete my account…").click()
    assert page.get_by_text("Hostile " + PAYLOAD).is_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account for good").click()
    assert page.get_by_text("This is not your password.").is_visible()
    assert_accessible(page)
    # The refused form answers 400 on purpose; Chromium logs that status as a console error.
    page.problems[:] = [p for p in page.problems if "status of 400" not in p]
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text("Your account is deleted.").is_visible()
    assert page.get_by_role("link", name="Log in").is_visible()
    assert dialogs == []
    assert_page_is_clean(page)
    user.refresh_from_db()
    assert not user.is_active and user.email.endswith("@anonymised.invalid")
