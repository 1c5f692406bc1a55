"""Start an application and save drafts (or edits of a submitted application)."""

import os

from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.access import may_edit
from applications.completeness import missing_by_section
from applications.models import TEAM_FIELDS, Application, Status, TeamMember
from applications.selectors import application_for_call, is_editable_at
from applications.services.errors import DeadlinePassed, Incomplete, NotAllowed, NotEditable, StaleVersion
from applications.storage import deck_upload_to

DECK_FIELDS = ("pitch_deck", "pitch_deck_name", "pitch_deck_size", "pitch_deck_uploaded_at")


def start_application(call, *, by, now=None) -> tuple[Application, bool]:
    """The person's application to this call, created if they have none (as owner or co-founder).

    Anyone signed in may apply; an inactive or anonymous account is refused.
    """
    now = now or timezone.now()
    if by is None or not (by.is_authenticated and by.is_active):
        raise NotAllowed
    user = by
    existing = application_for_call(user, call)
    if existing is not None:
        return existing, False
    if not call.is_open_at(now):
        raise DeadlinePassed
    try:
        with transaction.atomic():
            application = Application.objects.create(call=call, owner=user)
            name = user.get_full_name().strip()
            if name:
                # Most founders list themselves first: start the team with them.
                TeamMember.objects.create(application=application, name=name, email=user.email, order=0)
    except IntegrityError:
        # A double click raced us to the unique (call, owner) row: that one is theirs.
        return Application.objects.get(call=call, owner=user), False
    return application, True


def save_application(
    application_id: int,
    *,
    by,
    expected_version: int,
    values: dict,
    team: list[dict] | None = None,
    deck=None,
    clear_deck: bool = False,
    now=None,
) -> Application:
    """Write the founders' answers if nobody saved in between (optimistic locking on `version`).

    Only its founders (owner and co-founders, applications.access) may save: NotAllowed for anyone
    else, and for an application that does not exist. A draft accepts partial answers. A submitted
    application must stay complete: an edit that would leave something missing is refused as a
    whole. Nothing is written when refused. `team` None leaves the team as saved; rows equal to the
    saved ones are not rewritten.
    """
    now = now or timezone.now()
    new_file = ""
    storage = Application._meta.get_field("pitch_deck").storage
    try:
        if deck is not None:
            # Written before the row is locked: a slow upload must not hold the founder's row, and
            # no row lock is held while the storage works. A refused save removes the file below.
            call_id = Application.objects.filter(pk=application_id).values_list("call_id", flat=True).first()
            if call_id is None:
                raise Application.DoesNotExist
            new_file = storage.save(deck_upload_to(Application(call_id=call_id), deck.name), deck)
        with transaction.atomic():
            # Only the application's own row: saves of other founders of the same call never wait
            # on each other (a join locked with FOR UPDATE would lock the call's row too).
            locked = Application.objects.select_for_update(of=("self",)).select_related("call")
            try:
                application = locked.get(pk=application_id)
            except Application.DoesNotExist:
                raise NotAllowed from None
            if not may_edit(by, application):
                raise NotAllowed
            if not is_editable_at(application, now):
                raise NotEditable
            if application.version != expected_version:
                raise StaleVersion(application)
            # Written: the answers that differ from the saved ones (a form may send all of them).
            changed = {name for name, value in values.items() if getattr(application, name) != value}
            for name, value in values.items():
                setattr(application, name, value)
            old_file = application.pitch_deck.name
            if clear_deck and deck is None:
                application.pitch_deck = ""
                application.pitch_deck_name = ""
                application.pitch_deck_size = None
                application.pitch_deck_uploaded_at = None
            if application.status == Status.SUBMITTED:
                team_count = len(team) if team is not None else application.team_members.count()
                missing = missing_by_section(application, team_count=team_count)
                if deck is not None:
                    missing.pop("deck", None)
                if missing:
                    raise Incomplete(missing)
            if deck is not None:
                application.pitch_deck.name = new_file
                application.pitch_deck_name = os.path.basename(deck.name or "")[:255]
                application.pitch_deck_size = deck.size
                application.pitch_deck_uploaded_at = now
            application.version += 1
            written = {*changed, "version", "updated_at"}
            if deck is not None or clear_deck:
                written |= set(DECK_FIELDS)
            application.save(update_fields=written)
            if team is not None:
                rows = [{f: row.get(f) or "" for f in TEAM_FIELDS} for row in team]
                saved_rows = [{f: getattr(m, f) for f in TEAM_FIELDS} for m in application.team_members.all()]
                if rows != saved_rows:  # rewritten only when a row was added, removed or edited
                    application.team_members.all().delete()
                    TeamMember.objects.bulk_create(
                        TeamMember(application=application, order=i, **row) for i, row in enumerate(rows)
                    )
            if old_file and old_file != application.pitch_deck.name:
                # robust: the new deck is saved; an old file left behind is logged, not a failed save.
                transaction.on_commit(lambda: storage.delete(old_file), robust=True)
    except BaseException:
        if new_file:
            storage.delete(new_file)
        raise
    return application
