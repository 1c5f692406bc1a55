"""The founder's text survives the deadline night: a server that stops, a lost connection, a reload
while offline, an expired session, a submit whose answer never comes back.

The server here is one the test controls (pytest-django's live server class on a port of its own),
so it can really be stopped mid-typing and started again on the same address. Going offline is
Chromium's own switch (`context.set_offline`); a submit lost on the way is an aborted route.
"""

import socket
import threading
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core import mail
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

from applications.models import Application, Status, StatusChange
from tests.applications.helpers import complete
from tests.e2e.checks import assert_accessible
from tests.e2e.helpers import PASSWORD, Texts, label, wait_for_path
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFLINE = (
    "Not saved yet: there is no connection to the portal. Your text is kept in this browser and is sent "
    "as soon as the connection is back."
)
SERVER = (
    "Not saved yet: the portal is not answering right now. Your text is kept in this browser; it is sent again shortly."
)
SIGNED_OUT = (
    "Not saved yet: you are logged out. Your text is kept in this browser. Log in again, then come back "
    "to this tab: it is sent by itself."
)
RESTORED = "This browser kept changes that had not reached the portal: they are back in the form and are being saved."
SUBMIT_UNKNOWN = (
    "The connection failed, so it is not known whether your application was submitted. Check its status, "
    "or press “Submit my application” again: it is safe, an application is submitted only once and you get "
    "one confirmation e-mail."
)


class OneRequestPerConnection(QuietWSGIRequestHandler):
    # HTTP/1.0: the connection closes after each answer, so once the server stops no kept-alive
    # connection (with its own thread) goes on answering the browser.
    protocol_version = "HTTP/1.0"


class RestartableServerThread(LiveServerThread):
    def _create_server(self, connections_override=None):
        return self.server_class(
            (self.host, self.port),
            OneRequestPerConnection,
            allow_reuse_address=True,  # started again on the same port right after it stopped
            connections_override=connections_override,
        )


class Portal:
    """The portal's WSGI application as the server thread calls it: one request at a time, and none
    at all while the founder is cut off from it.

    One at a time, because with in-memory SQLite every request thread shares the test's connection,
    and two requests in their own transactions on one connection break each other ("An error
    occurred in the current transaction"). Cut off, because Chromium's offline switch does not hold
    back everything: the keepalive save of a page being unloaded leaves the browser anyway.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.cut_off_until = None  # while set: nothing arrives until a GET of this path is answered
        self.refused = 0

    def wrap(self, app):
        handler = StaticFilesHandler(app)

        def portal(environ, start_response):
            with self.lock:
                if self.cut_off_until is not None:
                    if (environ["REQUEST_METHOD"], environ["PATH_INFO"]) != ("GET", self.cut_off_until):
                        self.refused += 1
                        start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                        return [b"unreachable"]
                    self.cut_off_until = None  # this page is rendered before anything else arrives
                return handler(environ, start_response)

        return portal


class StoppableServer:
    """A live server (Django's test server thread) that can be stopped and started again on its port,
    or cut off from the browser until the browser opens a given page again."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("localhost", 0))
            self.port = probe.getsockname()[1]
        # An in-memory SQLite database (runs without PostgreSQL) is shared with the server's thread.
        self.shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
        self.portal = Portal()
        self.thread = None
        self.start()

    @property
    def url(self):
        return f"http://localhost:{self.port}"

    def start(self):
        for conn in self.shared.values():
            conn.inc_thread_sharing()
        self.thread = RestartableServerThread(
            "localhost", self.portal.wrap, connections_override=self.shared, port=self.port
        )
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error

    def stop(self):
        self.thread.terminate()
        for conn in self.shared.values():
            conn.dec_thread_sharing()

    def cut_off_until_get(self, path):
        """Nothing the browser sends reaches the portal until it asks for `path` again."""
        with self.portal.lock:
            self.portal.cut_off_until = path

    def query(self, function):
        """Run `function` (ORM reads) while no request is being answered, on the shared connection too."""
        with self.portal.lock:
            return function()


@pytest.fixture
def server():
    running = StoppableServer()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = False


def founder_with_draft(language="en"):
    user = UserFactory(first_name="Ada", last_name="Lovelace", email=f"ada-{language}@example.eu", language=language)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    application = ApplicationFactory(call=CallFactory(), owner=user, startup_name="Analytical Engines", city="")
    return user, application


def open_form(open_page, server, user, application, locale="en-GB"):
    page = open_page(locale=locale)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": server.url}])
    # Leaving a page with unsent text asks first; the founder here always confirms.
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{server.url}/applications/{application.pk}/edit/")
    return page


def stored(server, application) -> Application:
    """The application as the database holds it, read while the server answers no request."""
    return server.query(lambda: Application.objects.get(pk=application.pk))


def saved_value(server, application, field, expected, page, timeout=45):
    """Wait until the database holds `expected` in `field` (retries back off, so allow a while)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if getattr(stored(server, application), field) == expected:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"{field} never became {expected!r}: {getattr(stored(server, application), field)!r}")


def draft_in_storage(page, user, application) -> str:
    return page.evaluate(f"() => localStorage.getItem('accelerator:draft:{user.pk}:{application.pk}') || ''")


def problem(page):
    return page.locator("[data-autosave-problem]")


def test_text_typed_while_the_server_is_stopped_arrives_once_it_is_back(open_page, server):
    t = Texts("en")
    user, application = founder_with_draft()
    page = open_form(open_page, server, user, application)
    main = page.locator("main")
    city = main.get_by_label(label(t("City")))
    city.fill("Paris")
    page.locator("[data-autosave-status]").filter(has_text="Saved at").wait_for()
    saved_value(server, application, "city", "Paris", page)

    server.stop()
    problem_field = main.get_by_label(label(t("What problem do you solve?")))
    problem_field.fill("Restaurants waste food")
    problem(page).filter(has_text=t(OFFLINE)).wait_for()
    assert_accessible(page)
    # Still typing while the server is down: nothing is lost, everything is kept in this browser.
    problem_field.press_sequentially(", every night.")
    page.wait_for_timeout(500)
    assert "Restaurants waste food, every night." in draft_in_storage(page, user, application)
    assert stored(server, application).problem == ""

    server.start()
    saved_value(server, application, "problem", "Restaurants waste food, every night.", page)
    page.locator("[data-autosave-status]").filter(has_text="Saved at").wait_for()
    assert problem(page).count() == 0
    assert draft_in_storage(page, user, application) == ""
    assert stored(server, application).city == "Paris"


def test_a_reload_while_offline_keeps_the_text_and_sends_it_when_back_online(open_page, server):
    t = Texts("en")
    user, application = founder_with_draft()
    page = open_form(open_page, server, user, application)
    form = f"/applications/{application.pk}/edit/"
    # Offline, nothing reaches the portal until the founder opens the form again, not even the
    # keepalive save that Chromium lets the unloading page send past its offline switch.
    server.cut_off_until_get(form)
    page.context.set_offline(True)
    answer = page.locator("main").get_by_label(label(t("Why this programme?")))
    answer.fill("Compute and mentoring, typed on a train.")
    problem(page).filter(has_text=t(OFFLINE)).wait_for()

    # The founder reloads while still offline: the browser cannot show the page, the text waits in storage.
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
        page.reload()
    assert stored(server, application).motivation == ""

    # Back online, the form comes from the portal without the text; this browser's storage puts it
    # back, says so, and saves it.
    page.context.set_offline(False)
    page.goto(server.url + form)
    answer = page.locator("main").get_by_label(label(t("Why this programme?")))
    assert answer.input_value() == "Compute and mentoring, typed on a train."
    assert page.get_by_role("status").filter(has_text=t(RESTORED)).is_visible()
    page.locator("[data-autosave-status]").filter(has_text="Saved at").wait_for()
    assert stored(server, application).motivation == "Compute and mentoring, typed on a train."
    assert draft_in_storage(page, user, application) == ""

    # Loaded again, the saved version is what the page shows: nothing is restored twice.
    page.reload()
    assert page.locator("main").get_by_label(label(t("Why this programme?"))).input_value() == (
        "Compute and mentoring, typed on a train."
    )
    assert problem(page).count() == 0
    assert page.locator("[data-draft-restored]").count() == 0


def test_an_expired_session_asks_to_log_in_again_in_french_and_loses_nothing(open_page, server):
    t = Texts("fr")
    user, application = founder_with_draft("fr")
    page = open_form(open_page, server, user, application, locale="fr-FR")
    main = page.locator("main")
    main.get_by_label(label(t("City"))).fill("Lyon")
    saved_value(server, application, "city", "Lyon", page)
    page.locator("[data-autosave-status]").filter(has_text=t("Saved at %(time)s").split("%(time)s")[0]).wait_for()

    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    users = main.get_by_label(label(t("Who are your users?")))
    users.fill("Les chefs de cuisine.")
    problem(page).filter(has_text=t(SIGNED_OUT)).wait_for()
    assert_accessible(page)
    assert stored(server, application).target_users == ""

    with page.expect_popup() as opened:
        problem(page).get_by_role("link", name=t("Log in again (opens in a new tab)")).click()
    login = opened.value
    login_main = login.locator("main")
    login_main.get_by_label(label(t("E-mail address"))).fill(user.email)
    login_main.get_by_label(label(t("Password"))).fill(PASSWORD)
    login_main.get_by_role("button", name=t("Log in")).click()
    wait_for_path(login, application.get_absolute_url())
    login.close()

    # Back on the form: the text goes with the new session and the token the log-in rotated.
    saved_value(server, application, "target_users", "Les chefs de cuisine.", page)
    assert users.input_value() == "Les chefs de cuisine."
    # The database has it before the answer is back in the page, which then removes the notice.
    problem(page).wait_for(state="detached")
    assert stored(server, application).city == "Lyon"


def test_a_submit_whose_answer_is_lost_says_so_and_a_second_press_submits_once(open_page, server):
    t = Texts("en")
    user, application = founder_with_draft()
    complete(application)
    page = open_form(open_page, server, user, application)
    page.goto(f"{server.url}/applications/{application.pk}/submit/")
    mail.outbox.clear()

    # The request reaches the server and submits, but its answer never comes back.
    def lose_the_answer(route):
        route.fetch()
        route.abort()

    page.route(
        "**/submit/", lambda route: lose_the_answer(route) if route.request.method == "POST" else route.continue_()
    )
    page.get_by_role("button", name=t("Submit my application")).click()
    page.get_by_role("alert").filter(has_text=t(SUBMIT_UNKNOWN)).wait_for()
    assert stored(server, application).status == Status.SUBMITTED
    assert_accessible(page)

    page.unroute("**/submit/")
    page.get_by_role("button", name=t("Submit my application")).click()
    wait_for_path(page, application.get_absolute_url())
    assert (
        page.get_by_role("alert")
        .filter(has_text=t("This application was already submitted; nothing more was needed."))
        .is_visible()
    )
    assert StatusChange.objects.filter(application=application, to_status=Status.SUBMITTED).count() == 1
    assert len([m for m in mail.outbox if user.email in m.to]) == 1


def test_an_edit_typed_during_a_save_follows_it_and_a_failing_server_is_retried(open_page, server):
    t = Texts("en")
    user, application = founder_with_draft()
    page = open_form(open_page, server, user, application)
    held, failed = [], []

    def portal(route):
        if not held:
            held.append(route)  # the first save stays on its way until the test lets it go
        elif len(failed) < 2:
            failed.append(route)
            route.fulfill(status=502, content_type="text/html", body="<h1>Bad gateway</h1>")
        else:
            route.continue_()

    page.route("**/autosave/", portal)
    traction = page.locator("main").get_by_label(label(t("Users and customers so far")))
    traction.fill("12 pilot restaurants")
    while not held:
        page.wait_for_timeout(100)
    traction.press_sequentially(", 3 paying.")
    held[0].continue_()
    saved_value(server, application, "traction", "12 pilot restaurants", page)

    # The edit typed meanwhile goes next; the proxy answers 502 twice, then lets it through.
    problem(page).filter(has_text=t(SERVER)).wait_for()
    saved_value(server, application, "traction", "12 pilot restaurants, 3 paying.", page)
    assert len(failed) == 2
    page.locator("[data-autosave-status]").filter(has_text="Saved at").wait_for()
    assert problem(page).count() == 0


def test_an_autosave_sends_only_what_changed_and_an_emptied_answer_is_saved_empty(open_page, server):
    """The script sends the version and the answers changed since its last acknowledged save,
    URL-encoded (docs/autosave.md); a box unticked or a list with nothing ticked is sent empty."""
    t = Texts("en")
    user, application = founder_with_draft()
    complete(application)  # Llama ticked, the consents ticked, one team member
    page = open_form(open_page, server, user, application)
    bodies = []
    page.on("request", lambda request: bodies.append(request) if request.url.endswith("/autosave/") else None)
    main = page.locator("main")

    # A value the browser put back in the page (restoring it on a return to the page) without an
    # input event: not what the server sent, so it goes with the next save.
    page.evaluate("document.querySelector('[name=website]').value = 'https://restored.example.eu'")
    main.get_by_label(label(t("City"))).fill("Lyon")
    saved_value(server, application, "city", "Lyon", page)
    assert stored(server, application).website == "https://restored.example.eu"
    main.get_by_label(label("Llama")).uncheck()
    saved_value(server, application, "foundation_models", [], page)
    main.locator("input[name=privacy_consent]").uncheck()
    saved_value(server, application, "privacy_consent", False, page)
    main.locator("input[name=team-0-role]").fill("CTO")
    page.locator("[data-autosave-status]").filter(has_text="Saved at").wait_for()
    deadline = time.monotonic() + 30
    while server.query(lambda: list(application.team_members.values_list("role", flat=True))) != ["CTO"]:
        assert time.monotonic() < deadline, "the team's change never arrived"
        page.wait_for_timeout(250)

    assert all(r.headers["content-type"].startswith("application/x-www-form-urlencoded") for r in bodies)
    sent = [r.post_data for r in bodies]
    assert sent[0] == "version=1&website=https%3A%2F%2Frestored.example.eu&city=Lyon"
    assert sent[1:3] == ["version=2&foundation_models=", "version=3&privacy_consent="]
    assert sent[3].startswith("version=4&team-TOTAL_FORMS=1&") and "team-0-role=CTO" in sent[3]
    assert "city" not in sent[3] and "csrfmiddlewaretoken" not in "".join(sent)
    application.refresh_from_db()
    assert (application.city, application.startup_name, application.accuracy_declaration) == (
        "Lyon",
        "Mistral Kitchen",
        True,
    )
