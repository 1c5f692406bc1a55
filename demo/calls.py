"""The demo calls: this year's programme, open now, and the real 2024 edition, closed."""

import datetime as dt
import zoneinfo

from calls.services import upsert_call

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CURRENT_SLUG = "ai-startup-programme-2027"
PAST_SLUG = "ai-startup-programme-2024"

PARTNERS = [
    {
        "name": "Meta",
        "website": "https://ai.meta.com/",
        "role": "Technical mentoring from Meta's AI research lab (FAIR)",
    },
    {
        "name": "Hugging Face",
        "website": "https://huggingface.co/",
        "role": "Hub access, open models and expert support",
    },
    {
        "name": "Scaleway",
        "website": "https://www.scaleway.com/",
        "role": "NVIDIA H100 GPU cluster, data kept in the EU",
    },
    {
        "name": "STATION F",
        "website": "https://stationf.co/",
        "role": "Six months on the world's largest startup campus",
    },
]

RUBRIC = [
    {
        "name": "Use of open-source foundation models",
        "description": "Depth and quality of how the product builds on Llama or other open models: "
        "fine-tuning, evaluation, contribution back to the ecosystem.",
        "weight": 3,
        "scale_max": 5,
    },
    {
        "name": "Team",
        "description": "Technical and business strength of the founders; ability to ship in six months.",
        "weight": 3,
        "scale_max": 5,
    },
    {
        "name": "Product and market",
        "description": "A real problem, identified users, traction or a credible path to it.",
        "weight": 2,
        "scale_max": 5,
    },
    {
        "name": "Compute plan",
        "description": "A concrete, well-sized plan for the H100 GPU-hours the programme provides.",
        "weight": 1,
        "scale_max": 5,
    },
    {
        "name": "European impact",
        "description": "Contribution to the European AI ecosystem and to data sovereignty.",
        "weight": 1,
        "scale_max": 5,
    },
]

DESCRIPTION = """\
Meta, with Hugging Face and Scaleway, runs an accelerator at STATION F for European startups
that build their products on **open-source foundation models** such as Llama.

What the selected startups get:

- technical support from Meta's AI research lab (FAIR);
- access to the Hugging Face platform, its models and its experts;
- compute on Scaleway's cluster of **NVIDIA H100 GPUs**, with data kept in the European Union;
- six months at STATION F, Paris, the world's largest startup campus.

Five startups are selected. Applications are reviewed by Meta and Hugging Face staff against the
published criteria.
"""


def _paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


def seed_calls(now: dt.datetime):
    """Create the demo calls if missing. The current call opens a week before the first run."""
    local_today = now.astimezone(PARIS).date()
    closes = dt.datetime.combine(local_today + dt.timedelta(days=28), dt.time(23, 59), tzinfo=PARIS)
    programme_start = (closes + dt.timedelta(days=45)).date().replace(day=1)
    current, created_current = upsert_call(
        slug=CURRENT_SLUG,
        defaults={
            "title": "AI Startup Programme — Meta × Hugging Face × Scaleway",
            "summary": "Six months at STATION F for five European startups building on open-source "
            "foundation models, with H100 GPUs in the EU.",
            "description": DESCRIPTION,
            "location": "STATION F, Paris",
            "opens_at": now - dt.timedelta(days=7),
            "closes_at": closes,
            "review_deadline": closes + dt.timedelta(days=21),
            "programme_starts_on": programme_start,
            "programme_ends_on": programme_start + dt.timedelta(days=181),
            "cohort_size": 5,
        },
        partners=PARTNERS,
        criteria=RUBRIC,
    )
    past, created_past = upsert_call(
        slug=PAST_SLUG,
        defaults={
            "title": "AI Startup Programme 2024 — Meta × Hugging Face × Scaleway",
            "summary": "The 2024 edition: five European startups at STATION F from September 2024 to February 2025.",
            "description": DESCRIPTION,
            "location": "STATION F, Paris",
            "opens_at": _paris(2024, 6, 25, 9, 0),
            "closes_at": _paris(2024, 8, 16, 23, 59),
            "review_deadline": _paris(2024, 8, 30, 18, 0),
            "programme_starts_on": dt.date(2024, 9, 1),
            "programme_ends_on": dt.date(2025, 2, 28),
            "cohort_size": 5,
            "decided_at": _paris(2024, 8, 31, 12, 0),
        },
        partners=PARTNERS,
        criteria=RUBRIC,
    )
    return {
        "current": current,
        "past": past,
        "created": [c for c, new in ((current, created_current), (past, created_past)) if new],
    }
