"""The people and objects the access matrix is checked against, and the values that fill URL parameters.

One open call with a two-criterion rubric. The owner's application A is submitted, with a deck, a
co-founder, an open invitation, a pending offer and a review submitted by its assigned reviewer. The
other founder has application B on the same call, which the unassigned reviewer reviews: that
reviewer has a declared conflict with A. The organiser runs the call: a shortlist run not locked
yet, B pinned, a reminder sent to A's owner.
"""

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import ORGANISERS
from applications.models import Application, Membership, Status
from applications.services import team
from calls.models import Call
from cohorts.models import ExportJob, Offer, ShortlistOverride, ShortlistRanking, ShortlistRun
from cohorts.shortlist import snapshot
from interviews.models import Slot
from mail.models import MailTemplate, OutboxMessage
from privacy.models import ErasureRecord
from reminders.models import Reminder
from reviews.models import Conflict, ConflictSource, ReviewerProfile, RubricChange
from reviews.services import save_review, save_reviewer_profile
from tests.applications.helpers import complete
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory, CriterionFactory
from tests.factories.interviews import BookingFactory
from tests.factories.reviews import AssignmentFactory

ROLES = ("anonymous", "owner", "other_founder", "assigned_reviewer", "unassigned_reviewer", "organiser")


@dataclass
class World:
    users: dict
    params: dict  # URL parameter name -> value, for URLs outside the admin's model pages
    instances: dict = field(default_factory=dict)  # "app_label.model_name" -> the object its admin pages show

    def instance(self, model):
        label = model._meta.label_lower
        found = self.instances.get(label) or model._default_manager.first()
        assert found is not None, f"the access world has no {label}: create one in tests/access/world.py"
        return found


def _reviewer(organisation: str):
    # As organisers make reviewers: a profile, which makes the account staff and a Reviewer.
    profile = ReviewerProfile(user=UserFactory(), organisation=organisation, email_domains=[])
    return save_reviewer_profile(profile).user


def _organiser():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISERS))
    return user


def build_world() -> World:
    now = timezone.now()
    call = CallFactory(slug="open-call")
    criteria = [CriterionFactory(call=call, name="Team"), CriterionFactory(call=call, name="Open models")]
    owner, other_founder, co_founder = UserFactory(), UserFactory(), UserFactory()
    unverified = EmailAddress.objects.create(user=co_founder, email=co_founder.email, verified=False, primary=True)

    application = complete(ApplicationFactory(call=call, owner=owner))
    Application.objects.filter(pk=application.pk).update(status=Status.SUBMITTED, submitted_at=now)
    application.refresh_from_db()
    membership = Membership.objects.create(application=application, user=co_founder, call=call)
    invitation, token = team.invite(application.pk, by=owner, email="invited@example.com")
    other_application = ApplicationFactory(call=call, owner=other_founder, submitted=True)

    assigned_reviewer, unassigned_reviewer = _reviewer("meta"), _reviewer("hugging_face")
    assignment = AssignmentFactory(reviewer=assigned_reviewer, application=application)
    AssignmentFactory(reviewer=unassigned_reviewer, application=other_application)
    review = save_review(
        assignment,
        by=assigned_reviewer,
        scores={c.pk: 4 for c in criteria},
        recommendation="yes",
        confidence=2,
        submit=True,
    )
    conflict = Conflict.objects.create(
        reviewer=unassigned_reviewer, application=application, source=ConflictSource.ORGANISER, reason="friend"
    )
    organiser = _organiser()
    device = TOTPDevice.objects.create(user=organiser, name="phone", confirmed=True)

    run = ShortlistRun.objects.create(call=call, method="mean", trigger="admin", created_by=organiser)
    RubricChange.objects.create(
        call=call,
        changed_by=organiser,
        changed_at=now,
        weights=[{"criterion": 1, "name": "Team", "before": 2, "after": 3}],
        reviews_changed=1,
    )
    ShortlistRanking.objects.create(run=run, data=snapshot.pack_rows(run.entries.all()))  # as every run has one
    override = ShortlistOverride.objects.create(
        application=other_application, kind="pin", reason="strategic partner", created_by=organiser
    )
    reminder = Reminder.objects.create(
        kind="founder",
        call=call,
        application=application,
        recipient=owner,
        offset_hours=48,
        deadline=call.closes_at,
        due_at=call.closes_at - dt.timedelta(hours=48),
        message=OutboxMessage.objects.first(),
    )
    offer = Offer.objects.create(application=application, call=call, seat=1, respond_by=now + dt.timedelta(days=7))
    erasure = ErasureRecord.objects.create(erased_at=now - dt.timedelta(days=30))
    job = ExportJob.objects.create(call=call, scope="cohort", requested_by=organiser)
    template = MailTemplate.objects.create(call=call, kind="offer", language="fr", subject="Offre", body="Bonjour")
    # An interview slot (the call has no interview stage: A is not invited, so nobody books it).
    Slot.objects.create(call=call, starts_at=now + dt.timedelta(days=7), room="STATION F — Room 1")
    attempt = AccessAttempt.objects.create(username=owner.email, ip_address="203.0.113.9", failures_since_start=1)
    AccessLog.objects.create(username=owner.email, ip_address="203.0.113.9")
    AccessFailureLog.objects.create(username=owner.email, ip_address="203.0.113.9")

    # A call with the interview stage, its own startup booked on a slot (the panel's pages show it).
    interview = BookingFactory(slot__panel=[UserFactory(is_staff=True)]).invitation

    for user in (owner, other_founder, assigned_reviewer, unassigned_reviewer, organiser):
        # As allauth keeps them (its e-mail page would otherwise create the row on a GET).
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    users = {
        "anonymous": None,
        "owner": owner,
        "other_founder": other_founder,
        "assigned_reviewer": assigned_reviewer,
        "unassigned_reviewer": unassigned_reviewer,
        "organiser": organiser,
    }
    params = {
        "slug": call.slug,
        "pk": application.pk,
        "invitation_pk": invitation.pk,
        "member_pk": membership.pk,
        "token": token,
        "offer_pk": offer.pk,
        "call_id": call.pk,
        "step": "assign",
        "offer_id": offer.pk,
        "job_id": job.pk,
        "kind": "offer",
        "language": "fr",
        "id": owner.pk,
        "device_pk": device.pk,
        "assignment_pk": assignment.pk,
        "interview_pk": interview.pk,
        "run_pk": run.pk,
        "app_label": "applications",
        "url": "no-such-page/",
        "content_type_id": ContentType.objects.get_for_model(Call).pk,
        "object_id": call.pk,
        "key": EmailConfirmationHMAC(unverified).key,
        # A reset link of someone who never signs in here: signing in changes the token's hash.
        "uidb36": user_pk_to_url_str(co_founder),
        "reset_key": default_token_generator.make_token(co_founder),
    }
    instances = {
        "calls.call": call,
        "applications.application": application,
        "accounts.user": owner,
        "auth.group": Group.objects.get(name=ORGANISERS),
        "cohorts.offer": offer,
        "cohorts.exportjob": job,
        "mail.mailtemplate": template,
        "mail.outboxmessage": OutboxMessage.objects.first(),
        "account.emailaddress": EmailAddress.objects.get(user=owner),
        "axes.accessattempt": attempt,
        "otp_totp.totpdevice": device,
        "reviews.myreview": assignment,
        "interviews.panelinterview": interview,
        "reviews.assignment": assignment,
        "reviews.review": review,
        "reviews.conflict": conflict,
        "reviews.reviewerprofile": assigned_reviewer.reviewer_profile,
        "reviews.applicationprogress": application,
        "reviews.reviewerprogress": assigned_reviewer,
        "cohorts.shortlistrun": run,
        "cohorts.shortlistoverride": override,
        "reminders.reminder": reminder,
        "privacy.erasurerecord": erasure,
    }
    return World(users=users, params=params, instances=instances)


# Query strings some pages need to do their work rather than answer 404.
QUERIES = {"admin/cohorts/exportjob/call/<int:call_id>/file/": "?scope=submitted&format=csv"}


def url_for(pattern, world: World) -> str:
    """A concrete URL for the pattern, with the world's objects in its parameters."""
    values = dict(world.params)
    route = pattern.route
    if route.startswith("offers/"):
        values["pk"] = world.params["offer_pk"]
    elif route.startswith("accounts/password/reset/key/"):
        values["key"] = world.params["reset_key"]
    elif route.startswith("admin/otp_totp/totpdevice/"):
        values["pk"] = world.params["device_pk"]
    elif route.startswith("admin/cohorts/shortlistrun/"):
        values["pk"] = world.params["run_pk"]
    elif route.startswith("admin/reviews/myreview/"):
        values["pk"] = world.params["assignment_pk"]
    elif route.startswith("admin/interviews/panelinterview/"):
        values["pk"] = world.params["interview_pk"]
    if pattern.model_admin is not None and "object_id" in pattern.params:
        values["object_id"] = world.instance(pattern.model_admin.model).pk
    return pattern.url(values) + QUERIES.get(route, "")


def database_state() -> dict:
    """Every row of every table that a request could change on purpose (sessions and login logs aside)."""
    skipped = {"sessions.session", "axes.accesslog", "axes.accessattempt"}
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in skipped or model._meta.proxy or not model._meta.managed:
            continue
        # last_login changes when the tests sign someone in again, never by a page's doing.
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        state[label] = list(model._default_manager.order_by("pk").values_list(*columns))
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))
