"""Benchmark data for the cohort exports: a decided call with N submitted applications.

Each application has 1 to 3 team members and 3 submitted reviews (3 criteria each); a locked
shortlist run ranks every application (5 shortlisted, 10 waitlisted, the rest ranked below) and the
top five have offers (3 accepted, 2 pending), as after a real selection. Rows are written with COPY
on PostgreSQL (bulk_create elsewhere) in chunks, a few seconds per 10,000 applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acc_perf .venv/bin/python bench/build_export_data.py 100000

Prints the call's slug. Everyone it creates has an unusable password and an address on .example.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from applications.models import Application, Status, TeamMember  # noqa: E402
from calls.models import Call, Criterion  # noqa: E402
from cohorts.models import Offer, OfferStatus, Section, ShortlistEntry, ShortlistRanking, ShortlistRun  # noqa: E402
from cohorts.shortlist import snapshot  # noqa: E402
from reviews.models import Assignment, Review, ReviewStatus, Score  # noqa: E402

CHUNK = 5000
REVIEWERS = 30
REVIEWS_PER_APPLICATION = 3
SHORTLISTED, WAITLISTED = 5, 10
COUNTRIES = ["FR", "DE", "NL", "ES", "IT", "SE", "FI", "PL", "PT", "BE", "IE", "AT"]
CITIES = ["Paris", "Saint-Étienne", "Berlin", "Amsterdam", "Barcelona", "Milan", "Stockholm", "Łódź"]
MODELS = [["llama"], ["llama", "mistral"], ["qwen", "other"], ["gemma", "deepseek", "llama"]]
ROLES = ["CEO", "CTO", "Head of research"]
TEXT = "Fine-tuning Llama on legal French — données hébergées dans l'UE. " * 20


class Writer:
    """Inserts dicts of column values (attnames) for one model; unset columns get the model default."""

    def __init__(self, model, now):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {
            f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in self.fields
        }

    def insert(self, rows: list[dict]) -> list[int]:
        rows = [{**self.defaults, **row} for row in rows]
        if connection.vendor != "postgresql":
            return [obj.pk for obj in self.model.objects.bulk_create(self.model(**row) for row in rows)]
        meta = self.model._meta
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            # Reserve the ids at once: the builder is the only writer of these tables while it runs.
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s)",
                [meta.db_table, meta.pk.column, meta.db_table, meta.pk.column, len(rows) - 1],
            )
            last = cursor.fetchone()[0]
            ids = list(range(last - len(rows) + 1, last + 1))
            columns = ", ".join(quote(f.column) for f in [meta.pk, *self.fields])
            json_fields = [isinstance(f, models.JSONField) for f in self.fields]
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    values = [pk]
                    for f, is_json in zip(self.fields, json_fields, strict=True):
                        value = row[f.attname]
                        values.append(f.get_db_prep_save(value, connection) if is_json else value)
                    copy.write_row(values)
        return ids


def make_call(slug: str, now) -> tuple[Call, list[Criterion]]:
    call = Call.objects.create(
        title=f"Export benchmark {slug}",
        slug=slug,
        summary="Synthetic call for the export benchmarks.",
        description="Built by bench/build_export_data.py.",
        location="STATION F, Paris",
        opens_at=now - dt.timedelta(days=90),
        closes_at=now - dt.timedelta(days=30),
        review_deadline=now - dt.timedelta(days=10),
        programme_starts_on=(now + dt.timedelta(days=20)).date(),
        programme_ends_on=(now + dt.timedelta(days=200)).date(),
    )
    criteria = [
        Criterion.objects.create(call=call, name=name, weight=weight, scale_max=5, order=i)
        for i, (name, weight) in enumerate([("Team", 2), ("Use of open models", 1), ("Market", 1)])
    ]
    return call, criteria


def build(size: int, slug: str, seed: int = 0, progress=print) -> Call:
    rng = random.Random(seed)  # synthetic data, not security
    now = timezone.now()
    password = make_password(None)
    writers = {m: Writer(m, now) for m in (User, Application, TeamMember, Assignment, Review, Score)}
    started = time.monotonic()
    with transaction.atomic():
        call, criteria = make_call(slug, now)
        reviewers = writers[User].insert(
            [
                {"username": f"r{i}-{slug}@bench.example", "email": f"r{i}-{slug}@bench.example", "is_staff": True}
                | {"password": password, "first_name": "Reviewer", "last_name": str(i)}
                for i in range(REVIEWERS)
            ]
        )
    for start in range(0, size, CHUNK):
        n = min(CHUNK, size - start)
        with transaction.atomic():
            users = writers[User].insert(
                [
                    {"username": f"f{start + i}-{slug}@bench.example", "email": f"f{start + i}-{slug}@bench.example"}
                    | {"password": password, "first_name": "Founder", "last_name": str(start + i)}
                    for i in range(n)
                ]
            )
            apps = writers[Application].insert(
                [
                    {
                        "call_id": call.pk,
                        "owner_id": owner,
                        "status": Status.SUBMITTED,
                        "submitted_at": call.opens_at + dt.timedelta(minutes=rng.randrange(60 * 24 * 60)),
                        "startup_name": f"Startup {start + i} Écoute",
                        "website": f"https://s{start + i}.bench.example",
                        "country": rng.choice(COUNTRIES),
                        "city": rng.choice(CITIES),
                        "foundation_models": rng.choice(MODELS),
                        "foundation_models_other": "Phi-3",
                        "gpu_hours_per_month": rng.choice([None, 200, 500, 1000, 2500]),
                        "data_must_stay_in_eu": rng.choice([None, True, False]),
                        "problem": TEXT,
                        "solution": TEXT,
                        "traction": TEXT,
                        "motivation": TEXT,
                    }
                    for i, owner in enumerate(users)
                ]
            )
            writers[TeamMember].insert(
                [
                    {"application_id": app, "name": f"Founder {j} of {app}", "role": ROLES[j], "order": j}
                    | {"email": f"m{j}.{app}@bench.example"}
                    for app in apps
                    for j in range(rng.randint(1, 3))
                ]
            )
            assignments = writers[Assignment].insert(
                [
                    {"application_id": app, "reviewer_id": reviewers[(k + j) % REVIEWERS]}
                    for k, app in enumerate(apps)
                    for j in range(REVIEWS_PER_APPLICATION)
                ]
            )
            values = [[rng.randint(1, 5) for _c in criteria] for _a in assignments]
            total_weight = sum(c.weight for c in criteria)
            reviews = writers[Review].insert(
                [
                    {
                        "assignment_id": assignment,
                        "call_id": call.pk,
                        "status": ReviewStatus.SUBMITTED,
                        "recommendation": "yes",
                        "confidence": 2,
                        "weighted_score": sum(c.weight * v for c, v in zip(criteria, vs, strict=True)) / total_weight,
                        "submitted_at": now - dt.timedelta(days=12),
                        "comments": "Strong team, unclear compute plan.",
                    }
                    for assignment, vs in zip(assignments, values, strict=True)
                ]
            )
            writers[Score].insert(
                [
                    {"review_id": review, "criterion_id": c.pk, "value": v, "scale_max": c.scale_max}
                    for review, vs in zip(reviews, values, strict=True)
                    for c, v in zip(criteria, vs, strict=True)
                ]
            )
        progress(f"{start + n}/{size} applications, {time.monotonic() - started:.1f}s")
    decide(call, now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    progress(f"call {call.slug}: {size} submitted applications, {time.monotonic() - started:.1f}s")
    return call


def decide(call: Call, now) -> None:
    """Lock a shortlist run ranking every application by mean review score, and make five offers."""
    quote = connection.ops.quote_name
    with transaction.atomic():
        run = ShortlistRun.objects.create(call=call, method="mean", trigger="command", locked_at=now)
        params = [run.pk, SHORTLISTED, Section.SHORTLIST, SHORTLISTED + WAITLISTED, Section.WAITLIST]
        params += [Section.RANKED, SHORTLISTED, call.pk]
        with connection.cursor() as cursor:
            # Only model metadata is interpolated; values are bound parameters.
            cursor.execute(
                f"""
                INSERT INTO {quote(ShortlistEntry._meta.db_table)}
                    (run_id, application_id, section, rank, score, score_mean, review_count, pinned, stable)
                SELECT %s, app_id, CASE WHEN r <= %s THEN %s WHEN r <= %s THEN %s ELSE %s END,
                       r, m, m, n, FALSE, r <= %s
                FROM (
                    SELECT a.application_id AS app_id, AVG(v.weighted_score) AS m, COUNT(*) AS n,
                           ROW_NUMBER() OVER (ORDER BY AVG(v.weighted_score) DESC, a.application_id) AS r
                    FROM {quote(Review._meta.db_table)} v
                    JOIN {quote(Assignment._meta.db_table)} a ON a.id = v.assignment_id
                    JOIN {quote(Application._meta.db_table)} p ON p.id = a.application_id
                    WHERE p.call_id = %s
                    GROUP BY a.application_id
                ) ranked
                """,
                params,
            )
        entries = ShortlistEntry.objects.filter(run=run)
        ShortlistRanking.objects.create(run=run, data=snapshot.pack_rows(entries))
        for section, status in [
            (Section.SHORTLIST, Status.SHORTLISTED),
            (Section.WAITLIST, Status.WAITLISTED),
            (Section.RANKED, Status.REJECTED),
        ]:
            ids = entries.filter(section=section).values("application_id")
            Application.objects.filter(pk__in=ids).update(status=status)
        top = list(entries.filter(section=Section.SHORTLIST).order_by("rank").values_list("application_id", flat=True))
        for seat, app_id in enumerate(top, start=1):
            accepted = seat <= 3
            Offer.objects.create(
                application_id=app_id,
                call=call,
                seat=seat,
                status=OfferStatus.ACCEPTED if accepted else OfferStatus.PENDING,
                respond_by=now + dt.timedelta(days=7),
                responded_at=now if accepted else None,
            )
            Application.objects.filter(pk=app_id).update(status=Status.ACCEPTED if accepted else Status.OFFERED)
        Call.objects.filter(pk=call.pk).update(decided_at=now)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("applications", type=int, help="submitted applications to create")
    parser.add_argument("--slug", help="slug of the new call (default: export-bench-<N>-<time>)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    slug = args.slug or f"export-bench-{args.applications}-{int(time.time())}"
    build(args.applications, slug, args.seed, progress=lambda line: print(line, file=sys.stderr))
    print(slug)


if __name__ == "__main__":
    main()
