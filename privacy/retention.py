"""Storage limitation (GDPR article 5): drafts of long-closed calls and old login records are deleted.

Safe to run at any time and as often as wanted (beat runs it daily): each run deletes what is
past its retention period now, in small transactions, and a second run finds nothing more.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from applications.models import Application, Status

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class PurgeReport:
    drafts_cutoff: dt.datetime
    logins_cutoff: dt.datetime | None
    drafts: int = 0
    decks: int = 0
    login_records: int = 0
    draft_ids: list = field(default_factory=list)


def drafts_cutoff(now=None, months=None) -> dt.datetime:
    """Drafts of calls that closed before this moment are past retention."""
    months = settings.DRAFT_RETENTION_MONTHS if months is None else months
    return (now or timezone.now()) - relativedelta(months=months)


def expired_drafts(now=None, months=None):
    return Application.objects.filter(status=Status.DRAFT, call__closes_at__lt=drafts_cutoff(now, months))


def purge_old_drafts(now=None, months=None, *, login_days=None, dry_run=False) -> PurgeReport:
    now = now or timezone.now()
    login_days = settings.LOGIN_LOG_RETENTION_DAYS if login_days is None else login_days
    report = PurgeReport(
        drafts_cutoff=drafts_cutoff(now, months),
        logins_cutoff=now - dt.timedelta(days=login_days) if login_days else None,
    )
    storage = Application._meta.get_field("pitch_deck").storage
    ids = list(expired_drafts(now, months).order_by("pk").values_list("pk", flat=True))
    report.draft_ids = ids
    if dry_run:
        report.drafts = len(ids)
        report.decks = expired_drafts(now, months).exclude(pitch_deck="").count()
        report.login_records = sum(_old_login_records(report.logins_cutoff))
        return report
    for start in range(0, len(ids), BATCH_SIZE):
        with transaction.atomic():
            # Re-checked under lock: a draft submitted meanwhile is no longer a draft (and a call
            # reopened by an organiser no longer closed long ago) and is left alone.
            batch = list(
                expired_drafts(now, months)
                .filter(pk__in=ids[start : start + BATCH_SIZE])
                .select_for_update()
                .only("pk", "pitch_deck")
            )
            files = [a.pitch_deck.name for a in batch if a.pitch_deck]
            Application.objects.filter(pk__in=[a.pk for a in batch]).delete()
            report.drafts += len(batch)
            report.decks += len(files)
            transaction.on_commit(lambda files=files: _delete_files(storage, files))
    report.login_records = _purge_login_records(report.logins_cutoff)
    logger.info(
        "Retention: %s drafts (%s decks) of calls closed before %s and %s login records deleted",
        report.drafts,
        report.decks,
        report.drafts_cutoff.isoformat(),
        report.login_records,
    )
    return report


def _old_login_records(cutoff):
    if cutoff is None:
        return []
    return [model.objects.filter(attempt_time__lt=cutoff).count() for model in _LOGIN_MODELS]


def _purge_login_records(cutoff) -> int:
    """django-axes' sign-in log, failure log and throttling counters older than the retention period.

    Counters that old have long stopped counting (the lock lasts 15 minutes)."""
    if cutoff is None:
        return 0
    return sum(model.objects.filter(attempt_time__lt=cutoff).delete()[0] for model in _LOGIN_MODELS)


_LOGIN_MODELS = (AccessLog, AccessFailureLog, AccessAttempt)


def _delete_files(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a folder raises OSError, a bucket botocore errors: logged either way
            logger.exception("Could not delete the expired file %s", name)
