"""Synthetic load data: a call with many submitted applications, reviewers of different harshness and
their submitted reviews, written with bulk inserts in chunks (one transaction per chunk).

Used by `manage.py seed_load`, by scale tests and by the benchmarks. Everyone it creates has an
unusable password and an address on the reserved .example domain, so nobody can log in as them and
no mail can reach anyone.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import REVIEWERS
from applications.models import (
    Application,
    DataKind,
    FoundationModel,
    LegalForm,
    RevenueBand,
    Stage,
    Status,
    TeamMember,
)
from calls.models import Call
from calls.services import upsert_call
from demo.calls import PARTNERS, RUBRIC
from reviews.models import (
    Assignment,
    Organisation,
    Recommendation,
    Review,
    ReviewerProfile,
    ReviewStatus,
    Score,
)
from reviews.services.scoring import weighted_score
from reviews.services.summaries import refresh_reviewer_summaries, refresh_summaries

CHUNK = 2000
STAGES, LEGAL_FORMS, DATA_KINDS, REVENUE_BANDS = Stage.values, LegalForm.values, DataKind.values, RevenueBand.values
DOMAIN = "load.example"
COUNTRIES = ["FR"] * 6 + ["DE"] * 4 + ["NL", "NL", "ES", "ES", "IT", "IT", "SE", "FI", "PL", "PT", "BE", "IE", "AT"]
CITIES = {
    "FR": "Paris",
    "DE": "Berlin",
    "NL": "Amsterdam",
    "ES": "Barcelona",
    "IT": "Milan",
    "SE": "Stockholm",
    "FI": "Helsinki",
    "PL": "Warsaw",
    "PT": "Lisbon",
    "BE": "Brussels",
    "IE": "Dublin",
    "AT": "Vienna",
}
NAME_START = ["Neuro", "Lex", "Medi", "Agri", "Fin", "Code", "Vox", "Geo", "Bio", "Edu", "Retail", "Legal", "Climate"]
NAME_END = ["flow", "mind", "sense", "pilot", "forge", "scope", "ly", "wise", "grid", "loop", "stack", "lens"]
DOMAINS_OF_WORK = [
    "contract review for small businesses",
    "clinical note summarisation",
    "crop disease detection from drone images",
    "customer support in European languages",
    "code review for embedded software",
    "invoice and receipt extraction",
    "energy demand forecasting",
    "tutoring for secondary school maths",
]
FIRST = ["Camille", "Lukas", "Sofia", "Matteo", "Elin", "Jan", "Inès", "Pieter", "Marta", "Aino", "Tomás", "Léa"]
LAST = ["Martin", "Müller", "García", "Rossi", "Nilsson", "Kowalski", "Dubois", "de Vries", "Silva", "Virtanen"]
ORGANISATIONS = [Organisation.META, Organisation.HUGGING_FACE, Organisation.SCALEWAY, Organisation.OTHER]


@dataclass
class LoadResult:
    call: Call
    applications: int = 0
    drafts: int = 0
    reviewers: int = 0
    reviews: int = 0
    seconds: float = 0.0


class _Table:
    """Multi-row INSERT ... RETURNING id for one model, without building model instances.

    bulk_create spends most of its time compiling each value; synthetic rows of a known shape do not
    need that. Every concrete column gets its value from the row dict, or the model's default
    (evaluated once), so NOT NULL columns without a database default are always filled.
    """

    def __init__(self, model, now):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            else:
                self.defaults[f.attname] = f.get_default()
        # psycopg adapts aware datetimes and dates itself; SQLite needs Django's conversion.
        prepared_types = models.JSONField if connection.vendor == "postgresql" else models.JSONField | models.DateField
        self.prepare = [isinstance(f, prepared_types) for f in self.fields]
        quote = connection.ops.quote_name
        self.columns = ", ".join(quote(f.column) for f in self.fields)
        self.table = quote(model._meta.db_table)
        self.pk = quote(model._meta.pk.column)
        self.per_batch = max(1, min(connection.features.max_query_params or 30000, 30000) // len(self.fields))
        self.placeholder = "(" + ", ".join(["%s"] * len(self.fields)) + ")"

    def _params(self, row) -> list:
        values = []
        for f, prepare in zip(self.fields, self.prepare, strict=True):
            value = row.get(f.attname, self.defaults[f.attname])
            if prepare and value is not None:
                value = f.get_db_prep_save(value, connection)
            values.append(value)
        return values

    def insert(self, rows: list[dict], returning: bool = True) -> list[int]:
        if not rows:
            return []
        if connection.vendor == "postgresql":
            return self._copy(rows)
        ids: list[int] = []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.per_batch):
                batch = rows[start : start + self.per_batch]
                params = [value for row in batch for value in self._params(row)]
                # Only quoted model metadata is interpolated; every value is a bound parameter.
                values = ", ".join([self.placeholder] * len(batch))
                sql = f"INSERT INTO {self.table} ({self.columns}) VALUES {values}"  # noqa: S608
                if returning:
                    sql += f" RETURNING {self.pk}"
                cursor.execute(sql, params)
                if returning:
                    ids.extend(row[0] for row in cursor.fetchall())
        return ids

    def _copy(self, rows: list[dict]) -> list[int]:
        """PostgreSQL: ids taken from the table's sequence, then COPY, several times faster than INSERT."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [self.model._meta.db_table, self.model._meta.pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            sql = f"COPY {self.table} ({self.pk}, {self.columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row([pk, *self._params(row)])
        return ids


def ensure_call(slug: str) -> Call:
    now = timezone.now()
    call, _created = upsert_call(
        slug=slug,
        defaults={
            "title": f"Load test call {slug}",
            "summary": "Synthetic call for load tests and benchmarks.",
            "description": "Synthetic data generated by `manage.py seed_load`.",
            "location": "STATION F, Paris",
            "opens_at": now - dt.timedelta(days=60),
            "closes_at": now - dt.timedelta(days=7),
            "review_deadline": now + dt.timedelta(days=14),
            "programme_starts_on": (now + dt.timedelta(days=45)).date(),
            "programme_ends_on": (now + dt.timedelta(days=226)).date(),
        },
        partners=PARTNERS,
        criteria=RUBRIC,
    )
    return call


def ensure_reviewers(call: Call, count: int) -> list[tuple[int, float]]:
    """(user id, harshness) of the call's synthetic reviewers, creating the missing ones."""
    prefix = f"reviewer-{call.slug}-"
    existing = dict(User.objects.filter(username__startswith=prefix).values_list("username", "pk"))
    password = make_password(None)
    missing = [i for i in range(count) if f"{prefix}{i}@{DOMAIN}" not in existing]
    created = User.objects.bulk_create(
        User(
            username=f"{prefix}{i}@{DOMAIN}",
            email=f"{prefix}{i}@{DOMAIN}",
            password=password,
            first_name=FIRST[i % len(FIRST)],
            last_name=f"{LAST[i % len(LAST)]} {i}",
            is_staff=True,
        )
        for i in missing
    )
    ReviewerProfile.objects.bulk_create(
        ReviewerProfile(user=user, organisation=ORGANISATIONS[i % len(ORGANISATIONS)], email_domains=[])
        for i, user in zip(missing, created, strict=True)
    )
    group, _ = Group.objects.get_or_create(name=REVIEWERS)
    group.user_set.add(*created)
    existing.update({u.username: u.pk for u in created})
    # Harshness is a fixed property of each reviewer: some score everything lower, some higher.
    return [
        (existing[f"{prefix}{i}@{DOMAIN}"], random.Random(f"{call.slug}-{i}").gauss(0, 0.5))  # noqa: S311
        for i in range(count)
    ]


def _application(call, owner_id, rng, now, submitted: bool) -> dict:
    name = f"{rng.choice(NAME_START)}{rng.choice(NAME_END)}"
    country = rng.choice(COUNTRIES)
    work = rng.choice(DOMAINS_OF_WORK)
    app = {
        "call_id": call.pk,
        "owner_id": owner_id,
        "startup_name": name,
        "website": f"https://{name.lower()}-{owner_id}.{DOMAIN}",
        "country": country,
        "city": CITIES[country],
        "stage": rng.choice(STAGES),
    }
    if submitted:
        app.update(
            status=Status.SUBMITTED,
            submitted_at=call.opens_at + (min(now, call.closes_at) - call.opens_at) * rng.random(),
            founded_on=dt.date(rng.randint(2019, 2025), rng.randint(1, 12), 1),
            legal_form=rng.choice(LEGAL_FORMS),
            team_size=rng.randint(2, 25),
            funding_raised_eur=rng.choice([0, 50_000, 250_000, 1_200_000, 4_000_000]),
            problem=f"Teams lose hours on {work}.",
            solution=f"A fine-tuned open model that handles {work}, hosted in the EU.",
            target_users="Small and medium businesses in Europe.",
            foundation_models=rng.sample([FoundationModel.LLAMA, FoundationModel.MISTRAL, FoundationModel.QWEN], 2),
            hub_usage="We publish our evaluation sets and adapters on the Hub.",
            training_plans="LoRA fine-tuning on domain data, then distillation to a small model.",
            gpu_hours_per_month=rng.choice([200, 500, 1000, 2500]),
            data_must_stay_in_eu=rng.random() < 0.7,
            data_kinds=[rng.choice(DATA_KINDS)],
            traction=f"{rng.randint(0, 40)} pilot customers.",
            revenue_band=rng.choice(REVENUE_BANDS),
            motivation="Compute and expert support to ship our first production model.",
            available_in_paris=True,
            privacy_consent=True,
            accuracy_declaration=True,
        )
    return app


def _recommendation(score: float) -> str:
    if score >= 4.2:
        return Recommendation.STRONG_YES
    if score >= 3.4:
        return Recommendation.YES
    if score >= 2.6:
        return Recommendation.MAYBE
    return Recommendation.NO


def seed_load(
    *,
    slug: str,
    applications: int,
    reviewers: int,
    reviews_per_application: int,
    drafts: int = 0,
    seed: int = 0,
    progress: Callable[[str], None] = lambda line: None,
) -> LoadResult:
    if reviews_per_application and reviews_per_application > reviewers:
        raise ValueError("Each application needs distinct reviewers: reviews per application <= reviewers.")
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    call = ensure_call(slug)
    result = LoadResult(call=call)
    criteria = list(call.criteria.order_by("order", "id"))
    pool = ensure_reviewers(call, reviewers) if reviewers else []
    rng.shuffle(pool)
    result.reviewers = len(pool)
    now = timezone.now()
    password = make_password(None)
    tables = {m: _Table(m, now) for m in (User, Application, TeamMember, Assignment, Review, Score)}
    prefix = f"founder-{call.slug}-"
    offset = User.objects.filter(username__startswith=prefix).count()
    k = reviews_per_application
    # Rotation through the shuffled pool: every block of K consecutive slots goes to K distinct
    # reviewers, so loads never differ by more than one.
    slot = Application.objects.filter(call=call, status=Status.SUBMITTED).count() * k

    total = applications + drafts
    for start in range(0, total, CHUNK):
        size = min(CHUNK, total - start)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Synthetic data: a crash may lose the last chunks, never corrupt anything.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            people = [
                {
                    "username": f"{prefix}{offset + start + i}@{DOMAIN}",
                    "email": f"{prefix}{offset + start + i}@{DOMAIN}",
                    "password": password,
                    "first_name": rng.choice(FIRST),
                    "last_name": rng.choice(LAST),
                    "language": rng.choice(["en", "fr"]),
                }
                for i in range(size)
            ]
            user_ids = tables[User].insert(people)
            apps = [
                _application(call, user_id, rng, now, submitted=start + i < applications)
                for i, user_id in enumerate(user_ids)
            ]
            app_ids = tables[Application].insert(apps)
            members = []
            for app_id, person in zip(app_ids, people, strict=True):
                name = f"{person['first_name']} {person['last_name']}"
                members.append({"application_id": app_id, "name": name, "role": "CEO", "email": person["email"]})
                if rng.random() < 0.6:
                    members.append({"application_id": app_id, "name": rng.choice(FIRST), "role": "CTO", "order": 1})
            tables[TeamMember].insert(members, returning=False)

            submitted = [(app_id, app) for app_id, app in zip(app_ids, apps, strict=True) if "submitted_at" in app]
            if k and pool and submitted:
                assignments, harshness = [], []
                for app_id, app in submitted:
                    for j in range(k):
                        reviewer_id, harsh = pool[(slot + j) % len(pool)]
                        assignments.append({"reviewer_id": reviewer_id, "application_id": app_id})
                        harshness.append((harsh, app_id, app["submitted_at"]))
                    slot += k
                assignment_ids = tables[Assignment].insert(assignments)
                reviews, all_scores, quality = [], [], {}
                for assignment_id, (harsh, app_id, app_submitted) in zip(assignment_ids, harshness, strict=True):
                    base = quality.setdefault(app_id, rng.gauss(3.1, 0.8))
                    values = [max(1, min(c.scale_max, round(base + harsh + rng.gauss(0, 0.6)))) for c in criteria]
                    score = weighted_score((c.weight, v) for c, v in zip(criteria, values, strict=True))
                    reviews.append(
                        {
                            "assignment_id": assignment_id,
                            "call_id": call.pk,
                            "status": ReviewStatus.SUBMITTED,
                            "recommendation": _recommendation(score),
                            "confidence": rng.choice((1, 2, 2, 3, 3)),
                            "comments": rng.choice(
                                ["", "", "Strong team.", "Unclear compute plan.", "Great use of Llama."]
                            ),
                            "weighted_score": score,
                            "submitted_at": app_submitted + (now - app_submitted) * rng.random(),
                        }
                    )
                    all_scores.append(values)
                review_ids = tables[Review].insert(reviews)
                tables[Score].insert(
                    [
                        {"review_id": review_id, "criterion_id": c.pk, "value": v, "scale_max": c.scale_max}
                        for review_id, values in zip(review_ids, all_scores, strict=True)
                        for c, v in zip(criteria, values, strict=True)
                    ],
                    returning=False,
                )
                result.reviews += len(reviews)
                # Reviewers' figures once at the end: per chunk they would be recounted each time.
                refresh_summaries([app_id for app_id, _app in submitted], reviewers=False)
            result.applications += len(submitted)
            result.drafts += size - len(submitted)
        elapsed = time.monotonic() - started
        progress(
            f"{start + size}/{total} applications ({100 * (start + size) // total}%), "
            f"{result.reviews} reviews, {elapsed:.1f}s"
        )
    refresh_reviewer_summaries(call.pk, [reviewer_id for reviewer_id, _harsh in pool])
    if connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would take after a bulk load (and must not be
        # relied on: it may be off, or not have run yet when the first page is asked for).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result.seconds = time.monotonic() - started
    return result
