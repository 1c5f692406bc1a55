"""The admin site: a home page per role, sections in the order of the work, human names.

Organisers see the calls first (each with its phase and its page), then the work in the order a
call goes through it; accounts, two-factor devices and sign-in attempts are grouped last under
"People and security". Reviewers see their queue on the home page itself. Staff sign in with their
e-mail address, so the login form says so.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_organiser, is_reviewer
from calls.selectors import admin_call_list
from interviews.panel import panel_queue, sits_on_a_panel
from reviews.selectors import reviewer_queue

# The work, in the order a call goes through it; apps not listed come after these, before people.
WORK_ORDER = ("calls", "applications", "reviews", "cohorts", "mail", "reminders", "privacy", "ops")
# Apps whose models are grouped under "People and security", in this order.
PEOPLE_AND_SECURITY = ("accounts", "auth", "account", "otp_totp", "security", "axes")
# The human names of third-party models (their own verbose names are technical).
HUMAN_NAMES = {
    ("account", "emailaddress"): _("E-mail addresses"),
    ("otp_totp", "totpdevice"): _("Two-factor devices"),
    ("axes", "accessattempt"): _("Sign-in attempts"),
    ("axes", "accessfailurelog"): _("Failed sign-ins"),
    ("axes", "accesslog"): _("Sign-in log"),
    ("auth", "group"): _("Roles (groups)"),
}


class EmailAuthenticationForm(AdminAuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail")
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class PortalAdminSite(admin.AdminSite):
    site_header = "AI Startup Programme · STATION F"
    site_title = "Programme admin"
    login_form = EmailAuthenticationForm

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                name = HUMAN_NAMES.get((app["app_label"], model["object_name"].lower()))
                if name:
                    model["name"] = name
        if app_label is not None:
            return app_list
        work = [app for app in app_list if app["app_label"] not in PEOPLE_AND_SECURITY]
        work.sort(key=lambda app: WORK_ORDER.index(app["app_label"]) if app["app_label"] in WORK_ORDER else 99)
        people = sorted(
            (app for app in app_list if app["app_label"] in PEOPLE_AND_SECURITY),
            key=lambda app: PEOPLE_AND_SECURITY.index(app["app_label"]),
        )
        if people:
            work.append(
                {
                    "name": _("People and security"),
                    "app_label": "accounts",
                    "app_url": people[0]["app_url"],
                    "has_module_perms": True,
                    "models": [model for app in people for model in app["models"]],
                }
            )
        return work

    def index(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if is_organiser(request.user):
            calls = admin_call_list()
            for call, _phase in calls:
                call.cockpit_url = reverse("admin:calls_call_cockpit", args=[call.pk])
            extra_context["organiser_calls"] = calls
        elif is_reviewer(request.user):
            queue = reviewer_queue(request.user)
            if queue["next"] is not None:
                queue["next_url"] = reverse("admin:reviews_myreview_change", args=[queue["next"].pk])
            extra_context["reviewer_queue"] = queue
            extra_context["my_reviews_url"] = reverse("admin:reviews_myreview_changelist")
        if not is_organiser(request.user) and sits_on_a_panel(request.user):
            # Panel members (reviewers or not) find their interviews on the home page too.
            extra_context["panel_queue"] = panel_queue(request.user)
            extra_context["my_interviews_url"] = reverse("admin:interviews_panelinterview_changelist")
        return super().index(request, extra_context)
