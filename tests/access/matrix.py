"""The access matrix: for every URL pattern of the project, what each role gets.

Each rule lists outcomes in the order of ROLES:

    anonymous | owner (founder of A) | other founder (of B) | assigned reviewer (of A) | unassigned reviewer | organiser

An outcome is a status code, LOGIN (sent to the founders' login with ?next=), ADMIN_LOGIN (sent to the
admin's login with ?next=) or REDIRECT (sent anywhere else). Objects are those of tests/access/world.py.

`post=` is for views that only take POST (their GET is a 405): ALLOWED for the roles that may do
it, the refusal for the others. For other views a POST is refused like the GET is.

Admin pages are grouped by ModelAdmin in ADMIN_MODELS: the standard pages follow `view`, `add`,
`change` and `delete`, and every URL the ModelAdmin adds must be listed in its `own`.
A URL pattern with no entry here fails tests/access/test_access_matrix.py with its route and name.
"""

from dataclasses import dataclass, field

from django.contrib import admin

from tests.access.outcomes import ADMIN_LOGIN, ALLOWED, DENIALS, LOGIN, REDIRECT
from tests.access.world import ROLES


@dataclass(frozen=True)
class Rule:
    get: tuple
    post: tuple | None = None
    get_writes: frozenset = frozenset()  # tables a GET may write (each use says why)
    logs_out: bool = False  # a GET may sign the visitor out (each use says why)

    def refused_post(self, role: str):
        """What a POST by this role must end in, or None when the role may POST here."""
        i = ROLES.index(role)
        expected = self.post[i] if self.post is not None else self.get[i]
        return expected if expected in DENIALS else None


def rule(*get, post=None, get_writes=(), logs_out=False) -> Rule:
    assert len(get) == len(ROLES), get
    assert post is None or len(post) == len(ROLES), post
    return Rule(tuple(get), tuple(post) if post else None, frozenset(get_writes), logs_out)


def staff(reviewers, organiser, *, assigned=None) -> tuple:
    """An admin page: anonymous visitors and founders (not staff) are sent to the admin login."""
    return (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, reviewers if assigned is None else assigned, reviewers, organiser)


EVERYONE = rule(200, 200, 200, 200, 200, 200)
SIGNED_IN = rule(LOGIN, 200, 200, 200, 200, 200)
OWN_APPLICATION = rule(LOGIN, 200, 404, 404, 404, 404)
OWN_APPLICATION_POST = rule(LOGIN, 405, 405, 405, 405, 405, post=(LOGIN, ALLOWED, 404, 404, 404, 404))
SIGNED_OUT_ONLY = rule(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)  # signed-in users are sent on

SITE = {
    # Public pages
    "": EVERYONE,
    "calls/<slug:slug>/": EVERYONE,
    "privacy/": EVERYONE,
    "healthz": EVERYONE,
    # A redirect to the icon's static file.
    "favicon.ico": rule(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    # Off unless METRICS_TOKEN or METRICS_ALLOWED_IPS is set (tests/ops/test_metrics.py).
    "metrics": rule(404, 404, 404, 404, 404, 404),
    # Founders' workspace: A's pages for its founders only; 404 for everyone else, ids reveal nothing.
    "applications/": SIGNED_IN,
    # Founders already on an application to the call are sent to it; staff see the start page.
    "calls/<slug:slug>/apply/": rule(LOGIN, REDIRECT, REDIRECT, 200, 200, 200),
    "applications/<int:pk>/": OWN_APPLICATION,
    "applications/<int:pk>/edit/": OWN_APPLICATION,
    "applications/<int:pk>/submit/": OWN_APPLICATION,
    "applications/<int:pk>/withdraw/": OWN_APPLICATION,
    "applications/<int:pk>/autosave/": OWN_APPLICATION_POST,
    "applications/<int:pk>/invitations/": OWN_APPLICATION_POST,
    "applications/<int:pk>/invitations/<int:invitation_pk>/revoke/": OWN_APPLICATION_POST,
    "applications/<int:pk>/members/<int:member_pk>/remove/": OWN_APPLICATION_POST,
    "applications/<int:pk>/leave/": OWN_APPLICATION_POST,
    # The deck: also for the reviewers assigned to A and for organisers.
    "applications/<int:pk>/deck/": rule(LOGIN, 200, 404, 200, 404, 200),
    # The same deck served inline for the reviewer's viewer: the same rule as the download.
    "applications/<int:pk>/deck/view/": rule(LOGIN, 200, 404, 200, 404, 200),
    # Anyone with the link sees who invites them; signed in as someone else, the page says why not (403).
    "invitations/<str:token>/": rule(200, 403, 403, 403, 403, 403),
    # The offer to A: its owner only. accept/decline: GET asks to confirm, POST answers.
    "offers/<int:pk>/": OWN_APPLICATION,
    "offers/<int:pk>/accept/": OWN_APPLICATION,
    "offers/<int:pk>/decline/": OWN_APPLICATION,
    # The interview booking of A: A is not invited to interview, so even its founders get a 404
    # (tests/interviews/test_booking.py covers an invited startup).
    "applications/<int:pk>/interview/": rule(LOGIN, 404, 404, 404, 404, 404),
    "applications/<int:pk>/interview/book/": rule(
        LOGIN, 405, 405, 405, 405, 405, post=(LOGIN, 404, 404, 404, 404, 404)
    ),
    # Calendar links: signed tokens, read without a session; a made-up one is a 404 for everyone.
    "calendar/interview/<str:token>.ics": rule(404, 404, 404, 404, 404, 404),
    "calendar/panel/<str:token>.ics": rule(404, 404, 404, 404, 404, 404),
    # Accounts (ours and django-allauth's)
    "i18n/setlang/": rule(405, 405, 405, 405, 405, 405, post=(ALLOWED,) * 6),
    "accounts/preferences/": SIGNED_IN,
    # Personal data: each signed-in person their own (download, and the deletion plan; POST deletes).
    "accounts/data/": SIGNED_IN,
    "accounts/data/export/": SIGNED_IN,
    "accounts/delete/": SIGNED_IN,
    "accounts/login/": SIGNED_OUT_ONLY,
    "accounts/signup/": SIGNED_OUT_ONLY,
    "accounts/logout/": rule(REDIRECT, 200, 200, 200, 200, 200),  # GET asks to confirm; POST signs out
    "accounts/inactive/": EVERYONE,
    "accounts/reauthenticate/": SIGNED_IN,
    "accounts/reauthenticate/code/": SIGNED_IN,
    "accounts/reauthenticate/code/confirm/": rule(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/login/code/confirm/": rule(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/email/": SIGNED_IN,
    "accounts/password/change/": SIGNED_IN,
    "accounts/password/set/": rule(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),  # they have one
    "accounts/password/reset/": EVERYONE,
    "accounts/password/reset/done/": EVERYONE,
    "accounts/password/reset/key/done/": EVERYONE,
    # A valid reset link: the key moves to the session and the visitor to the form without it in the URL.
    "accounts/password/reset/key/<uidb36>-<key>/": rule(*(REDIRECT,) * 6),
    "accounts/confirm-email/": EVERYONE,
    # The link of another person's address: allauth signs the current user out before confirming,
    # so an address is never confirmed into the wrong account. The confirmation itself is a POST.
    "accounts/confirm-email/<key>/": rule(200, 200, 200, 200, 200, 200, logs_out=True),
    # Second factor (off in the test settings: nobody is asked, so everyone is sent on)
    "two-factor/": rule(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    # Founders have nothing to set up; staff without a device see the key, kept on an unconfirmed
    # device that the next visit reuses (it counts only once a code confirms it, by POST).
    "two-factor/setup/": rule(
        LOGIN, REDIRECT, REDIRECT, 200, 200, REDIRECT, get_writes=["otp_totp.totpdevice"]
    ),  # the organiser has a device
}

ADMIN_SITE = {
    "admin/": rule(*staff(200, 200)),
    # Signed in but not staff: the login page says so (200); staff are sent to the index.
    "admin/login/": rule(200, 200, 200, REDIRECT, REDIRECT, REDIRECT),
    # Logging out is a POST; visitors who are not staff are sent to the index, which asks them to log in.
    "admin/logout/": rule(REDIRECT, REDIRECT, REDIRECT, 405, 405, 405, post=(REDIRECT,) * 3 + (ALLOWED,) * 3),
    "admin/password_change/": rule(*staff(200, 200)),
    "admin/password_change/done/": rule(*staff(200, 200)),
    "admin/jsi18n/": rule(*staff(200, 200)),
    "admin/autocomplete/": rule(*staff(403, 403)),  # no model given: refused
    "admin/r/<path:content_type_id>/<path:object_id>/": rule(*staff(REDIRECT, REDIRECT)),  # to the public page
    "admin/<app_label>/": rule(*staff(404, 200)),  # applications: reviewers may see nothing there
    "admin/<url>": rule(*staff(404, 404)),
}


@dataclass(frozen=True)
class ModelPages:
    """The standard admin pages of one model and the URLs its ModelAdmin adds (by route below it)."""

    view: tuple  # list, history (and change, unless given)
    add: tuple | None = None  # default: like `view`
    change: tuple | None = None  # default: like `view`
    delete: tuple | None = None  # default: like `add`
    own: dict = field(default_factory=dict)

    def standard(self) -> dict:
        add = self.add or self.view
        return {
            "": rule(*self.view),
            "add/": rule(*add),
            "<path:object_id>/history/": rule(*self.view),
            "<path:object_id>/change/": rule(*(self.change or self.view)),
            "<path:object_id>/delete/": rule(*(self.delete or add)),
            # The bare id redirects any staff member to the change page, which decides.
            "<path:object_id>/": rule(*staff(REDIRECT, REDIRECT)),
        }


SUPERUSERS_ONLY = staff(403, 403)
ORGANISERS = staff(403, 200)
ORGANISERS_POST = rule(*staff(403, 405), post=staff(403, ALLOWED))
# A reviewer's own assignment (A's, for the assigned reviewer): anyone else's is a 404, ids reveal nothing.
OWN_ASSIGNMENT = staff(404, 403, assigned=200)

ADMIN_MODELS = {
    # Accounts and security: superusers; organisers read the accounts (to make reviewers).
    "auth.group": ModelPages(view=SUPERUSERS_ONLY),
    "accounts.user": ModelPages(view=ORGANISERS, add=SUPERUSERS_ONLY, own={"<id>/password/": rule(*SUPERUSERS_ONLY)}),
    "account.emailaddress": ModelPages(view=SUPERUSERS_ONLY),
    "axes.accessattempt": ModelPages(view=SUPERUSERS_ONLY),
    "axes.accesslog": ModelPages(view=SUPERUSERS_ONLY),
    "axes.accessfailurelog": ModelPages(view=SUPERUSERS_ONLY),
    "otp_totp.totpdevice": ModelPages(
        view=SUPERUSERS_ONLY,
        own={"<int:pk>/config/": rule(*SUPERUSERS_ONLY), "<int:pk>/qrcode/": rule(*SUPERUSERS_ONLY)},
    ),
    # The call's own data: organisers have every permission, reviewers none.
    "calls.call": ModelPages(
        view=ORGANISERS,
        own={
            # The call's cockpit (cohorts.admin_cockpit); its steps' buttons only take POST.
            "<int:call_id>/cockpit/": rule(*ORGANISERS),
            "<int:call_id>/cockpit/<slug:step>/": ORGANISERS_POST,
            # Reminding reviewers from the cockpit (reminders.admin_nudge): GET confirms, POST sends.
            "<int:call_id>/remind-reviewers/": rule(*ORGANISERS),
        },
    ),
    "applications.application": ModelPages(view=ORGANISERS),
    "mail.outboxmessage": ModelPages(view=ORGANISERS, add=SUPERUSERS_ONLY),  # read, and retry by action
    # Reviews. Reviewers see only "My reviews"; organisers (who do not review) everything else.
    "reviews.myreview": ModelPages(
        view=staff(200, 403),
        own={
            "": rule(*staff(200, 403)),
            "<int:pk>/change/": rule(*OWN_ASSIGNMENT),  # GET shows, POST scores
            "<int:pk>/conflict/": rule(*OWN_ASSIGNMENT),  # GET asks why, POST declares it
        },
    ),
    # The panel's interviews: staff on a slot's panel (nobody in the world's roles) and organisers,
    # who read every booked interview; the conflict form is for the panel only.
    "interviews.panelinterview": ModelPages(
        view=ORGANISERS,
        own={
            "": rule(*ORGANISERS),
            "<int:pk>/change/": rule(*ORGANISERS),  # GET shows, POST scores (panel members only)
            "<int:pk>/outcome/": rule(*staff(403, REDIRECT)),  # GET goes back to the page, POST records
            "<int:pk>/conflict/": rule(*staff(403, 403)),
        },
    ),
    "reviews.applicationprogress": ModelPages(view=ORGANISERS, add=SUPERUSERS_ONLY),
    "reviews.reviewerprogress": ModelPages(view=ORGANISERS, own={"": rule(*ORGANISERS)}),
    "reviews.assignment": ModelPages(view=ORGANISERS, add=SUPERUSERS_ONLY),  # made by the assignment action
    "reviews.review": ModelPages(view=ORGANISERS, add=SUPERUSERS_ONLY, own={"export/": rule(*ORGANISERS)}),
    "reviews.reviewchange": ModelPages(view=ORGANISERS, add=SUPERUSERS_ONLY),  # the history is append-only
    "reviews.rubricchange": ModelPages(view=ORGANISERS, add=SUPERUSERS_ONLY),  # written by change_weights only
    "reviews.conflict": ModelPages(view=ORGANISERS, delete=SUPERUSERS_ONLY),
    "reviews.reviewerprofile": ModelPages(view=ORGANISERS),
    # Offers, exports and e-mail texts: organisers read them; they change them only through their pages.
    "cohorts.offer": ModelPages(
        view=ORGANISERS,
        add=SUPERUSERS_ONLY,
        own={
            "call/<int:call_id>/": rule(*ORGANISERS),
            "call/<int:call_id>/dashboard/": rule(*ORGANISERS),
            "call/<int:call_id>/send/": rule(*ORGANISERS),  # GET shows who gets an offer, POST sends
            "call/<int:call_id>/decisions/": rule(*ORGANISERS),  # GET shows who is told, POST sends
            "<int:offer_id>/withdraw/": rule(*ORGANISERS),  # GET asks for a reason, POST withdraws
        },
    ),
    "cohorts.exportjob": ModelPages(
        view=ORGANISERS,
        add=SUPERUSERS_ONLY,
        change=staff(REDIRECT, REDIRECT),  # to the job's progress page, which is for organisers
        own={
            "call/<int:call_id>/": rule(*ORGANISERS),
            "call/<int:call_id>/file/": rule(*ORGANISERS),
            "call/<int:call_id>/xlsx/": ORGANISERS_POST,
            # The interview schedule: the world's call has no interview stage (its tests: tests/cohorts).
            "call/<int:call_id>/interview-schedule/": rule(*staff(403, 404)),
            "<int:job_id>/progress/": rule(*ORGANISERS),
            "<int:job_id>/status/": rule(*ORGANISERS),
            "<int:job_id>/download/": rule(*staff(403, 404)),  # the world's job has no file yet
        },
    ),
    # The shortlist: organisers only (reviewers never see rankings). Runs are snapshots: no add,
    # change or delete; the run's page is the snapshot. Pins and exclusions change until the lock.
    "cohorts.shortlistrun": ModelPages(
        view=ORGANISERS,
        add=SUPERUSERS_ONLY,
        own={
            "<int:pk>/lock/": rule(*ORGANISERS),  # GET asks to confirm, POST locks
            "<int:pk>/rerun/": rule(*staff(403, REDIRECT)),  # GET goes back to the snapshot, POST runs
            # GET goes back to the snapshot, POST computes the final ranking (calls with interviews)
            "<int:pk>/final/": rule(*staff(403, REDIRECT)),
        },
    ),
    "cohorts.shortlistoverride": ModelPages(view=ORGANISERS),
    # Interview slots: organisers make them, one by one or as a series (GET shows the form, POST makes them).
    "interviews.slot": ModelPages(view=ORGANISERS, own={"series/": rule(*ORGANISERS)}),
    # The reminders ledger: organisers read it (and retry an e-mail by action).
    "reminders.reminder": ModelPages(view=ORGANISERS, add=SUPERUSERS_ONLY),
    # Erasures: ids only, read-only evidence that a deletion happened.
    "privacy.erasurerecord": ModelPages(view=ORGANISERS, add=SUPERUSERS_ONLY),
    "mail.mailtemplate": ModelPages(
        view=ORGANISERS,
        add=SUPERUSERS_ONLY,
        change=staff(REDIRECT, REDIRECT),  # to the call's e-mail text page, which is for organisers
        own={
            "call/<int:call_id>/": rule(*ORGANISERS),
            "call/<int:call_id>/<slug:kind>/<slug:language>/": rule(*ORGANISERS),  # GET edits, POST saves
            # GET shows both texts, POST goes back to the built-in one
            "call/<int:call_id>/<slug:kind>/<slug:language>/reset/": rule(*ORGANISERS),
        },
    ),
}


def _model_admin_for(route: str):
    """(label, prefix) of the ModelAdmin whose pages start this admin route, or None."""
    for model in admin.site._registry:
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if route.startswith(prefix):
            return model._meta.label_lower, prefix
    return None


def expand(patterns) -> tuple[dict, list[str]]:
    """{route: Rule} for every pattern, and the problems: patterns without an entry, stale entries."""
    rules, problems, used = {}, [], set()
    registered = {model._meta.label_lower for model in admin.site._registry}
    for label in sorted(registered - set(ADMIN_MODELS)):
        problems.append(f"ModelAdmin {label} has no entry in ADMIN_MODELS (tests/access/matrix.py)")
    for label in sorted(set(ADMIN_MODELS) - registered):
        problems.append(f"stale entry ADMIN_MODELS[{label!r}]: no such ModelAdmin any more")
    for pattern in patterns:
        route = pattern.route
        if route in SITE or route in ADMIN_SITE:
            rules[route] = SITE.get(route) or ADMIN_SITE[route]
            used.add(route)
            continue
        found = _model_admin_for(route) if route.startswith("admin/") else None
        if found is None or found[0] not in ADMIN_MODELS:
            if found is None:
                problems.append(f"URL {pattern} has no entry in SITE or ADMIN_SITE (tests/access/matrix.py)")
            continue
        label, prefix = found
        pages = ADMIN_MODELS[label]
        below = route.removeprefix(prefix)
        chosen = pages.own.get(below) or pages.standard().get(below)
        if chosen is None:
            problems.append(f"admin URL {pattern} has no entry in ADMIN_MODELS[{label!r}].own")
            continue
        rules[route] = chosen
        used.add((label, below))
    for route in sorted((set(SITE) | set(ADMIN_SITE)) - used):
        problems.append(f"stale entry {route!r}: no URL pattern has this route any more")
    for label, pages in ADMIN_MODELS.items():
        problems += [
            f"stale entry {label}.own[{below!r}]: the ModelAdmin has no such URL"
            for below in pages.own
            if (label, below) not in used
        ]
    for route, chosen in rules.items():
        if chosen.post is None and 405 in chosen.get:
            problems.append(f"{route!r} answers GET with 405: say who may POST with post=")
    return rules, problems
