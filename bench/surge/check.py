"""The data check: what the founders were told is saved is in the database, once.

- every autosave the server acknowledged is there: the saved text of each field is the acknowledged
  edit or a later one (the founder's edits carry their number, "Edit 12 of …"); at the end of a run,
  a field whose last acknowledged edit is the newest sent holds exactly that text;
- every acknowledged submission is submitted, with exactly one status change to submitted and one
  confirmation e-mail (outbox rows by dedupe key), and no application of the run has more;
- every acknowledged deck is readable (pypdf) and has the SHA-256 the client computed;
- no e-mail went out twice (the surge's mail log against the outbox), and none is left pending.
"""

import collections
import hashlib
import io
import json
import re
from pathlib import Path

SEQ = re.compile(r"^Edit (\d+) of ")


def _acks(out: Path) -> tuple[dict, dict, set]:
    edits, decks, submits = {}, {}, set()
    path = out / "acks.jsonl"
    if not path.exists():
        return edits, decks, submits
    for line in path.read_text().splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue  # a line the client was writing as it was stopped
        if row["k"] == "edit":
            key = (row["app"], row["field"])
            edits[key] = max(edits.get(key, 0), row["seq"])
        elif row["k"] == "deck":
            decks[row["app"]] = row["sha"]
        elif row["k"] == "submit":
            submits.add(row["app"])
    return edits, decks, submits


def data_check(out: Path, call_pk: int, run: str, *, final: bool) -> dict:
    from django.db import close_old_connections, connection

    from applications.models import Application, Status, StatusChange
    from mail.models import OutboxMessage, OutboxStatus

    close_old_connections()
    connection.close()  # a fault may have broken the orchestrator's connection
    edits, decks, submits = _acks(out)
    client = json.loads((out / "client.json").read_text()) if final and (out / "client.json").exists() else None
    fields = sorted({f for _a, f in edits})
    rows = {
        a["pk"]: a for a in Application.objects.filter(call_id=call_pk).values("pk", "status", "pitch_deck", *fields)
    }
    lost, mismatched = [], []
    for (app, field), seq in edits.items():
        saved = rows[app][field] or ""
        m = SEQ.match(saved)
        saved_seq = int(m.group(1)) if m else 0
        if saved_seq < seq:
            lost.append((app, field, seq, saved_seq))
        elif client and saved_seq == seq:
            acked = client["acks"].get(f"{app}:{field}")
            if acked and acked[0] == seq and acked[1].strip() != saved.strip():
                mismatched.append((app, field, seq))
    # Submissions: once each, one confirmation e-mail each.
    not_submitted = [a for a in submits if rows[a]["status"] != Status.SUBMITTED]
    changes = collections.Counter(
        StatusChange.objects.filter(application__call_id=call_pk, to_status=Status.SUBMITTED).values_list(
            "application_id", flat=True
        )
    )
    submitted_apps = {pk for pk, r in rows.items() if r["status"] == Status.SUBMITTED}
    twice = [a for a, n in changes.items() if n > 1]
    mails = collections.Counter()
    for key in (
        OutboxMessage.objects.filter(kind="application_submitted", dedupe_key__isnull=False)
        .filter(to__startswith=f"{run}-")
        .values_list("dedupe_key", flat=True)
    ):
        change_pk = int(key.split(":")[1])
        mails[change_pk] += 1
    change_app = dict(
        StatusChange.objects.filter(application__call_id=call_pk, to_status=Status.SUBMITTED).values_list(
            "pk", "application_id"
        )
    )
    per_app = collections.Counter(change_app[c] for c in mails if c in change_app)
    missing_mail = [a for a in submitted_apps if per_app.get(a, 0) != 1]
    # Decks: readable, and the bytes the founder sent.
    bad_decks = []
    if decks:
        from pypdf import PdfReader

        storage = Application._meta.get_field("pitch_deck").storage
        for app, sha in decks.items():
            name = rows[app]["pitch_deck"]
            try:
                with storage.open(name, "rb") as fh:
                    data = fh.read()
                pages = len(PdfReader(io.BytesIO(data)).pages)
                if hashlib.sha256(data).hexdigest() != sha or pages < 1:
                    bad_decks.append((app, "checksum differs"))
            except Exception as exc:  # noqa: BLE001 - unreadable is what we report
                bad_decks.append((app, f"{type(exc).__name__}"))
    # E-mails: what went out against the outbox.
    outbox = OutboxMessage.objects.filter(to__startswith=f"{run}-")
    status = collections.Counter(outbox.values_list("status", flat=True))
    sent_log = collections.Counter()
    log_path = Path(out.parent / "mail.jsonl")
    if log_path.exists():
        for line in log_path.read_text().splitlines():
            row = json.loads(line)
            if row["to"][0].startswith(f"{run}-"):
                sent_log[(row["to"][0], row["subject"], row["body"])] += 1
    sent_twice = sum(1 for n in sent_log.values() if n > 1)
    outbox_sent = {
        (m.to, m.subject, hashlib.sha256(m.body.encode()).hexdigest())
        for m in outbox.filter(status=OutboxStatus.SENT).only("to", "subject", "body")
    }
    sent_not_logged = len(outbox_sent - set(sent_log))
    result = {
        "edits_acknowledged": len(edits),
        "edits_lost": len(lost),
        "edits_different": len(mismatched),
        "submissions_acknowledged": len(submits),
        "submissions_missing": len(not_submitted),
        "submitted_in_db": len(submitted_apps),
        "submitted_twice": len(twice),
        "confirmations_not_exactly_one": len(missing_mail),
        "decks_acknowledged": len(decks),
        "decks_bad": len(bad_decks),
        "mails": dict(status),
        "mails_sent_twice": sent_twice,
        "mails_marked_sent_not_sent": sent_not_logged,
        "examples": {"lost": lost[:3], "different": mismatched[:3], "decks": bad_decks[:3], "twice": twice[:3]},
    }
    result["data_ok"] = not (lost or mismatched or not_submitted or twice or missing_mail or bad_decks or sent_twice)
    # Pending mail is a failure only at the very end, after the sweep has had its chance.
    result["mail_ok"] = status.get(OutboxStatus.PENDING, 0) == 0 and status.get(OutboxStatus.FAILED, 0) == 0
    return result


def pending_mail(run: str) -> int:
    from django.db import connection

    from mail.models import OutboxMessage, OutboxStatus

    connection.close()
    return OutboxMessage.objects.filter(to__startswith=f"{run}-", status=OutboxStatus.PENDING).count()
