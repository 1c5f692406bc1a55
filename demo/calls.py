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
        "role_en": "Technical mentoring from Meta's AI research lab (FAIR)",
        "role_fr": "Accompagnement technique par le laboratoire de recherche en IA de Meta (FAIR)",
    },
    {
        "name": "Hugging Face",
        "website": "https://huggingface.co/",
        "role_en": "Hub access, open models and expert support",
        "role_fr": "Accès au Hub, modèles ouverts et soutien de ses experts",
    },
    {
        "name": "Scaleway",
        "website": "https://www.scaleway.com/",
        "role_en": "NVIDIA H100 GPU cluster, data kept in the EU",
        "role_fr": "Grappe de GPU NVIDIA H100, données conservées dans l’UE",
    },
    {
        "name": "STATION F",
        "website": "https://stationf.co/",
        "role_en": "Six months on the world's largest startup campus",
        "role_fr": "Six mois sur le plus grand campus de startups au monde",
    },
]

RUBRIC = [
    {
        "name_en": "Use of open-source foundation models",
        "name_fr": "Usage des modèles de fondation open source",
        "description_en": "Depth and quality of how the product builds on Llama or other open models: "
        "fine-tuning, evaluation, contribution back to the ecosystem.",
        "description_fr": "Profondeur et qualité de l’usage de Llama ou d’autres modèles ouverts dans le produit : "
        "affinage, évaluation, contributions en retour à l’écosystème.",
        "weight": 3,
        "scale_max": 5,
    },
    {
        "name_en": "Team",
        "name_fr": "Équipe",
        "description_en": "Technical and business strength of the founders; ability to ship in six months.",
        "description_fr": "Solidité technique et commerciale des fondateurs ; capacité à livrer en six mois.",
        "weight": 3,
        "scale_max": 5,
    },
    {
        "name_en": "Product and market",
        "name_fr": "Produit et marché",
        "description_en": "A real problem, identified users, traction or a credible path to it.",
        "description_fr": "Un vrai problème, des utilisateurs identifiés, de la traction "
        "ou un chemin crédible pour y arriver.",
        "weight": 2,
        "scale_max": 5,
    },
    {
        "name_en": "Compute plan",
        "name_fr": "Plan de calcul",
        "description_en": "A concrete, well-sized plan for the H100 GPU-hours the programme provides.",
        "description_fr": "Un plan concret et bien dimensionné pour les heures de GPU H100 fournies par le programme.",
        "weight": 1,
        "scale_max": 5,
    },
    {
        "name_en": "European impact",
        "name_fr": "Impact européen",
        "description_en": "Contribution to the European AI ecosystem and to data sovereignty.",
        "description_fr": "Contribution à l’écosystème européen de l’IA et à la souveraineté des données.",
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

DESCRIPTION_FR = """\
Meta, avec Hugging Face et Scaleway, organise à STATION F un programme d’accélération pour les
startups européennes qui construisent leurs produits sur des **modèles de fondation open source**
comme Llama.

Ce que reçoivent les startups sélectionnées :

- un accompagnement technique par le laboratoire de recherche en IA de Meta (FAIR) ;
- l’accès à la plateforme Hugging Face, à ses modèles et à ses experts ;
- de la puissance de calcul sur la grappe de **GPU NVIDIA H100** de Scaleway, avec des données
  conservées dans l’Union européenne ;
- six mois à STATION F, à Paris, le plus grand campus de startups au monde.

Cinq startups sont sélectionnées. Les candidatures sont évaluées par des équipes de Meta et de
Hugging Face selon les critères publiés.
"""

ELIGIBILITY_EN = (
    "Startups based in the EU or the EEA that build their product on open-source foundation models; "
    "the company may be founded or not yet incorporated."
)
ELIGIBILITY_FR = (
    "Startups établies dans l’UE ou l’EEE qui construisent leur produit sur des modèles de fondation "
    "open source ; la société peut être déjà créée ou pas encore immatriculée."
)


# Each call's public texts, in English and French.
CALL_TEXTS = {
    CURRENT_SLUG: {
        "title_en": "AI Startup Programme — Meta × Hugging Face × Scaleway",
        "title_fr": "Programme startups IA — Meta × Hugging Face × Scaleway",
        "summary_en": "Six months at STATION F for five European startups building on open-source "
        "foundation models, with H100 GPUs in the EU.",
        "summary_fr": "Six mois à STATION F pour cinq startups européennes qui construisent sur des "
        "modèles de fondation open source, avec des GPU H100 dans l’UE.",
        "description_en": DESCRIPTION,
        "description_fr": DESCRIPTION_FR,
        "eligibility_notes_en": ELIGIBILITY_EN,
        "eligibility_notes_fr": ELIGIBILITY_FR,
    },
    PAST_SLUG: {
        "title_en": "AI Startup Programme 2024 — Meta × Hugging Face × Scaleway",
        "title_fr": "Programme startups IA 2024 — Meta × Hugging Face × Scaleway",
        "summary_en": "The 2024 edition: five European startups at STATION F from September 2024 to February 2025.",
        "summary_fr": "L’édition 2024 : cinq startups européennes à STATION F de septembre 2024 à février 2025.",
        "description_en": DESCRIPTION,
        "description_fr": DESCRIPTION_FR,
    },
}


def _add_missing_french(call, defaults: dict) -> None:
    """A demo call created before the texts were bilingual gets the French ones, where still empty;
    nothing an organiser wrote is overwritten."""
    changed = [f for f in defaults if f.endswith("_fr") and not getattr(call, f)]
    for field in changed:
        setattr(call, field, defaults[field])
    if changed:
        call.save(update_fields=changed)
    for partner in call.partners.filter(role_fr__isnull=True) | call.partners.filter(role_fr=""):
        french = next((p["role_fr"] for p in PARTNERS if p["name"] == partner.name), None)
        if french:
            partner.role_fr = french
            partner.save(update_fields=["role_fr"])
    for criterion in call.criteria.all():
        source = next((c for c in RUBRIC if c["name_en"] == criterion.name_en), None)
        updates = [f for f in ("name_fr", "description_fr") if source and not getattr(criterion, f)]
        for field in updates:
            setattr(criterion, field, source[field])
        if updates:
            criterion.save(update_fields=updates)


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
            **CALL_TEXTS[CURRENT_SLUG],
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
            **CALL_TEXTS[PAST_SLUG],
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
    for call, created in ((current, created_current), (past, created_past)):
        if not created:
            _add_missing_french(call, CALL_TEXTS[call.slug])
    return {
        "current": current,
        "past": past,
        "created": [c for c, new in ((current, created_current), (past, created_past)) if new],
    }
