"""Queue and deliver e-mails through the outbox."""

import random
from datetime import timedelta
from email.message import Message
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from mail.models import OutboxMessage, OutboxStatus
from mail.rendering import render_mail

MAX_ATTEMPTS = 10


def queue_mail(
    *, kind: str, to: str, context: dict, language: str = "en", dedupe_key=None, recipient=None, attachments=None
):
    """Write an e-mail to the outbox; a task delivers it once the transaction commits.

    With a dedupe_key, queueing the same e-mail twice returns the first one and sends
    nothing more: this is what makes confirmations, reminders and offers exactly-once.
    `attachments`: text files sent with it, [{"filename", "content_type", "content"}] (see
    attachment()), stored with the e-mail.
    """
    if dedupe_key:
        existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing
    subject, body = render_mail(kind, context, language)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                kind=kind,
                dedupe_key=dedupe_key,
                recipient=recipient,
                to=to,
                language=language,
                subject=subject,
                body=body,
                attachments=list(attachments or []),
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        # Another transaction queued the same e-mail between our check and our insert.
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    enqueue_delivery(message.pk)
    return message


def queue_mails(messages: list[dict]) -> dict[str, OutboxMessage]:
    """queue_mail for many e-mails at once, in a constant number of queries.

    Each item has the keyword arguments of queue_mail; dedupe_key is required. Returns
    {dedupe_key: message}. Keys already in the outbox are neither rendered nor sent again.
    """
    keys = [m.get("dedupe_key") for m in messages]
    if not all(keys):
        raise ValueError("queue_mails needs a dedupe_key for every e-mail.")
    existing = set(OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    now = timezone.now()
    rows = []
    for m in messages:
        if m["dedupe_key"] in existing:
            continue
        language = m.get("language", "en")
        subject, body = render_mail(m["kind"], m["context"], language)
        rows.append(
            OutboxMessage(
                kind=m["kind"],
                dedupe_key=m["dedupe_key"],
                recipient=m.get("recipient"),
                to=m["to"],
                language=language,
                subject=subject,
                body=body,
                attachments=list(m.get("attachments") or []),
                next_attempt_at=now,
            )
        )
    # ignore_conflicts: a concurrent transaction may insert the same key; its row wins.
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    # Bodies are not read back: a sweep queueing 100,000 e-mails must not hold them all.
    rows = OutboxMessage.objects.filter(dedupe_key__in=keys).defer("body", "attachments")
    queued = {m.dedupe_key: m for m in rows}
    for message in queued.values():
        if message.dedupe_key not in existing:
            enqueue_delivery(message.pk)
    return queued


def attachment(filename: str, content_type: str, content: str) -> dict:
    """One text file to send with an e-mail, e.g. ("interview.ics", "text/calendar; method=REQUEST", ...)."""
    return {"filename": filename, "content_type": content_type, "content": content}


def _mime_part(item: dict) -> MIMEText:
    # The content type may carry parameters (text/calendar; method=REQUEST): calendar programs
    # read the method from the part's header, so it is kept as given.
    header = Message()
    header["Content-Type"] = item["content_type"]
    maintype, subtype = header.get_content_maintype(), header.get_content_subtype()
    if maintype != "text":
        raise ValueError(f"Only text attachments are stored in the outbox, not {item['content_type']}.")
    part = MIMEText(item["content"], subtype, "utf-8")
    for name, value in header.get_params()[1:]:
        part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=item["filename"])
    return part


def enqueue_delivery(message_id: int) -> None:
    from mail.tasks import deliver

    # After commit: the worker must find the row, and a rolled-back change sends nothing.
    # A broker that is down must not fail the founder's request; the sweep re-sends later.
    transaction.on_commit(lambda: _send_to_broker(deliver, message_id))


def _send_to_broker(task, message_id):
    try:
        task.delay(message_id)
    except Exception:  # noqa: BLE001 - any broker failure; the pending row is the source of truth
        import logging

        logging.getLogger(__name__).warning("Broker unavailable; outbox message %s waits for the sweep", message_id)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter: 1, 2, 4 ... minutes, capped at one hour."""
    base = min(60 * 2 ** max(attempts - 1, 0), 3600)
    return timedelta(seconds=base + random.uniform(0, base / 4))  # noqa: S311 - jitter, not security


def deliver(message_id: int) -> bool:
    """Send one outbox message if it is still pending. Returns True if it was sent now.

    The row is locked while sending so two deliveries of the same message (a retry and the
    sweep) cannot both send it.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxStatus.PENDING:
            return False
        message.attempts += 1
        try:
            email = EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to],
            )
            for item in message.attachments or []:
                email.attach(_mime_part(item))
            email.send()
        except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            else:
                message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return True


def retry_countdown(message_id: int, longest: float) -> float | None:
    """Seconds until a pending message's next attempt, if it is due within `longest` seconds.

    The outbox row holds the schedule (backoff with jitter, retry_delay); the delivery task
    follows it for the first, short waits and leaves longer ones to the periodic sweep, so no
    task ever sits in the broker for long.
    """
    row = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).values("next_attempt_at").first()
    if row is None or row["next_attempt_at"] is None:
        return None
    wait = max((row["next_attempt_at"] - timezone.now()).total_seconds(), 0.0)
    return wait if wait <= longest else None


def due_message_ids(now=None, limit=500, grace=timedelta(minutes=1)) -> list[int]:
    """Pending messages whose next attempt is due since `grace` (first attempts included)."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now - grace)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def retry_now(message_ids) -> int:
    """Queue again e-mails that failed or wait for a later attempt; sent ones are left alone."""
    ids = list(
        OutboxMessage.objects.filter(pk__in=list(message_ids))
        .exclude(status=OutboxStatus.SENT)
        .values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxStatus.PENDING, next_attempt_at=timezone.now())
    for message_id in ids:
        enqueue_delivery(message_id)
    return len(ids)
