"""Demo review work: submitted applications from European AI startups, reviewer profiles and roles,
assignments and some reviews, so that the admin shows real work on first run.

Idempotent: existing founders, applications and reviews are left as they are; assignment only
fills gaps. The demo reviewers keep work to do: each has one submitted review, one draft and
the rest still to score.
"""

import datetime as dt
from collections import Counter

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from accounts.roles import ORGANISERS
from applications.models import Application, Status, TeamMember
from applications.services import change_status
from reviews import services
from reviews.models import Assignment, AssignmentState, Organisation, Review, ReviewerProfile

# (account key from demo.accounts or e-mail, organisation, domains, first, last)
DEMO_REVIEWER_PROFILES = {
    "reviewer_meta": (Organisation.META, ["meta.com", "fb.com"]),
    "reviewer_hf": (Organisation.HUGGING_FACE, ["huggingface.co"]),
}
# Colleagues of the demo reviewers, so that each application gets its three reviewers. They have
# no usable password: they only exist to carry reviews.
EXTRA_REVIEWERS = [
    ("amira.benali@example.org", "Amira", "Benali", Organisation.META, ["meta.com", "fb.com"], 1),
    ("jonas.lindqvist@example.org", "Jonas", "Lindqvist", Organisation.HUGGING_FACE, ["huggingface.co"], -1),
    ("chloe.marchand@example.org", "Chloé", "Marchand", Organisation.SCALEWAY, ["scaleway.com"], 0),
]

STARTUPS = [
    {
        "founder": ("lea.garnier@example.org", "Léa", "Garnier", "fr"),
        "startup_name": "Sillon",
        "website": "https://sillon.example",
        "country": "FR",
        "city": "Lyon",
        "founded_on": dt.date(2023, 3, 1),
        "legal_form": "sas",
        "team_size": 6,
        "stage": "mvp",
        "funding_raised_eur": 600_000,
        "problem": "French farmers get agronomic advice once or twice a season; decisions on disease, "
        "irrigation and fertiliser are taken every day, often on guesswork.",
        "solution": "An agronomy assistant in French, on the phone and WhatsApp, that answers with the farm's "
        "own plot history, weather and regional advisory bulletins.",
        "target_users": "Cereal and vineyard farmers in France, then Spain and Italy; cooperatives resell it.",
        "foundation_models": ["llama", "mistral"],
        "hub_usage": "We publish a French agronomy question-answer dataset (40k pairs) and our evaluation set.",
        "training_plans": "Fine-tune Llama 3.1 8B on advisory notes with LoRA; distil to a 3B model for offline use.",
        "gpu_hours_per_month": 800,
        "data_must_stay_in_eu": True,
        "data_kinds": ["personal"],
        "traction": "1,200 farmers in a pilot with two cooperatives in Burgundy; 35% weekly active.",
        "revenue_band": "lt100k",
        "motivation": "H100 time for our first full fine-tune, and Meta's help on evaluation in agronomy.",
        "available_in_paris": True,
        "team": [("Léa Garnier", "CEO, agronomist"), ("Hugo Perrin", "CTO, ex-INRAE ML engineer")],
        "quality": 4,
    },
    {
        "founder": ("jan.becker@example.org", "Jan", "Becker", "en"),
        "startup_name": "Klinikon",
        "website": "https://klinikon.example",
        "country": "DE",
        "city": "Berlin",
        "founded_on": dt.date(2022, 9, 1),
        "legal_form": "gmbh",
        "team_size": 11,
        "stage": "revenue",
        "funding_raised_eur": 1_500_000,
        "problem": "Hospital doctors in Germany spend up to three hours a day writing discharge letters.",
        "solution": "Drafts discharge letters from the ward's notes and the doctor's dictation, on the hospital's "
        "own servers; the doctor edits and signs.",
        "target_users": "Internal medicine and surgery wards in German hospitals.",
        "foundation_models": ["llama"],
        "hub_usage": "We use quantised Llama weights from the Hub and publish our German clinical "
        "de-identification model.",
        "training_plans": "Continued pre-training of Llama 3.1 70B on de-identified German clinical text.",
        "gpu_hours_per_month": 2500,
        "data_must_stay_in_eu": True,
        "data_kinds": ["health", "personal"],
        "traction": "Live in 3 hospitals (Charité pilot ward, two regional hospitals); 9,000 letters drafted.",
        "revenue_band": "lt1m",
        "motivation": "Compute in the EU we can show to hospital data protection officers.",
        "available_in_paris": True,
        "team": [("Jan Becker", "CEO, physician"), ("Mira Schulz", "CTO"), ("Tobias Weber", "Head of ML")],
        "quality": 5,
    },
    {
        "founder": ("marta.puig@example.org", "Marta", "Puig", "en"),
        "startup_name": "Tramuntana Labs",
        "website": "https://tramuntana.example",
        "country": "ES",
        "city": "Barcelona",
        "founded_on": dt.date(2024, 1, 1),
        "legal_form": "sl",
        "team_size": 4,
        "stage": "prototype",
        "funding_raised_eur": 250_000,
        "problem": "Customer service voice bots do not understand Catalan, Basque or Galician speakers.",
        "solution": "Voice agents for utilities and local government in Spain's co-official languages.",
        "target_users": "Regional utilities, city councils, telecom operators.",
        "foundation_models": ["llama", "other"],
        "foundation_models_other": "Whisper (speech recognition)",
        "hub_usage": "We released a Catalan speech dataset with Projecte AINA and use the Hub for all checkpoints.",
        "training_plans": "Fine-tune Llama 3.2 3B for dialogue in Catalan and Basque; adapt Whisper to accents.",
        "gpu_hours_per_month": 600,
        "data_must_stay_in_eu": True,
        "data_kinds": ["personal"],
        "traction": "Two paid pilots with a Catalan water utility and a city council.",
        "revenue_band": "lt10k",
        "motivation": "Expert help on speech-to-LLM latency, and the STATION F network in Southern Europe.",
        "available_in_paris": True,
        "team": [("Marta Puig", "CEO"), ("Iker Etxeberria", "CTO, speech researcher")],
        "quality": 3,
    },
    {
        "founder": ("pieter.dejong@example.org", "Pieter", "de Jong", "en"),
        "startup_name": "Polderlex",
        "website": "https://polderlex.example",
        "country": "NL",
        "city": "Amsterdam",
        "founded_on": dt.date(2023, 6, 1),
        "legal_form": "bv",
        "team_size": 7,
        "stage": "mvp",
        "funding_raised_eur": 900_000,
        "problem": "Small Dutch businesses sign supplier contracts they cannot afford to have a lawyer read.",
        "solution": "Contract review in Dutch and English that flags unusual clauses and explains them plainly.",
        "target_users": "SMEs and their accountants in the Netherlands and Belgium.",
        "foundation_models": ["mistral", "llama"],
        "hub_usage": "Our Dutch legal embedding model is on the Hub.",
        "training_plans": "Preference tuning on lawyer-annotated clause explanations.",
        "gpu_hours_per_month": 400,
        "data_must_stay_in_eu": True,
        "data_kinds": ["financial"],
        "traction": "600 paying SMEs through two accounting firms.",
        "revenue_band": "lt1m",
        "motivation": "Move from API models to our own fine-tuned open model.",
        "available_in_paris": False,
        "team": [("Pieter de Jong", "CEO, lawyer"), ("Anouk Visser", "CTO")],
        # An advisor who works at Hugging Face: a conflict of interest for its reviewers, found from the domain.
        "advisor": ("Sanne de Wit", "Advisor", "sanne.dewit@huggingface.co"),
        "quality": 3,
    },
    {
        "founder": ("aino.korhonen@example.org", "Aino", "Korhonen", "en"),
        "startup_name": "Sisu Code",
        "website": "https://sisucode.example",
        "country": "FI",
        "city": "Helsinki",
        "founded_on": dt.date(2023, 11, 1),
        "legal_form": "other",
        "team_size": 5,
        "stage": "prototype",
        "funding_raised_eur": 400_000,
        "problem": "Embedded C code for cars and medical devices must follow MISRA rules; reviews take weeks.",
        "solution": "A code review assistant that explains MISRA violations and proposes compliant fixes.",
        "target_users": "Automotive and medical device software teams in the Nordics and Germany.",
        "foundation_models": ["qwen", "llama"],
        "hub_usage": "We publish an open benchmark of MISRA violations with fixes.",
        "training_plans": "Fine-tune a code model on 2M annotated C functions; train a reward model on reviewer edits.",
        "gpu_hours_per_month": 1200,
        "data_must_stay_in_eu": False,
        "data_kinds": ["none"],
        "traction": "Design partners: a Tier-1 automotive supplier and an insulin pump maker.",
        "revenue_band": "none",
        "motivation": "GPU time for the reward model, and advice from FAIR on code evaluation.",
        "available_in_paris": True,
        "team": [("Aino Korhonen", "CEO"), ("Mikko Laine", "CTO, ex-automotive")],
        "quality": 4,
    },
    {
        "founder": ("tomasz.nowak@example.org", "Tomasz", "Nowak", "en"),
        "startup_name": "Wisła Vision",
        "website": "https://wislavision.example",
        "country": "PL",
        "city": "Warsaw",
        "founded_on": dt.date(2022, 4, 1),
        "legal_form": "other",
        "team_size": 9,
        "stage": "revenue",
        "funding_raised_eur": 2_000_000,
        "problem": "Insurers process claims with photos, invoices and handwritten forms by hand.",
        "solution": "Document and photo understanding with vision-language models that pre-fills claim decisions.",
        "target_users": "Property and car insurers in Central Europe.",
        "foundation_models": ["llama"],
        "hub_usage": "We use Llama 3.2 Vision from the Hub and share our Polish OCR evaluation set.",
        "training_plans": "Fine-tune Llama 3.2 11B Vision on 300k annotated claim documents.",
        "gpu_hours_per_month": 1800,
        "data_must_stay_in_eu": True,
        "data_kinds": ["personal", "financial"],
        "traction": "Two insurers in production, 40k claims a month.",
        "revenue_band": "lt1m",
        "motivation": "Scale training on H100s and meet Western European insurers in Paris.",
        "available_in_paris": True,
        "team": [("Tomasz Nowak", "CEO"), ("Zofia Wójcik", "CTO"), ("Piotr Zieliński", "ML lead")],
        "quality": 2,
    },
]


def _more(founder, name, country, city, stage, models, pitch, users, quality, team_size=4, gpu=400):
    """A shorter demo entry: enough startups for a shortlist of five and a waiting list."""
    return {
        "founder": founder,
        "startup_name": name,
        "website": f"https://{name.lower().replace(' ', '')}.example",
        "country": country,
        "city": city,
        "founded_on": dt.date(2023, 9, 1),
        "legal_form": "other",
        "team_size": team_size,
        "stage": stage,
        "funding_raised_eur": 250_000,
        "problem": pitch[0],
        "solution": pitch[1],
        "target_users": users,
        "foundation_models": models,
        "hub_usage": "We publish our evaluation sets and adapters on the Hugging Face Hub.",
        "training_plans": "Domain fine-tuning with LoRA, then distillation to a smaller model for inference.",
        "gpu_hours_per_month": gpu,
        "data_must_stay_in_eu": True,
        "data_kinds": ["personal"],
        "traction": "Paying pilots with three customers.",
        "revenue_band": "lt100k",
        "motivation": "GPU time for our first large fine-tune and mentoring on evaluation.",
        "available_in_paris": True,
        "team": [(f"{founder[1]} {founder[2]}", "CEO"), ("Sam Okafor", "CTO")],
        "quality": quality,
    }


STARTUPS += [
    _more(
        ("ines.duarte@example.org", "Inês", "Duarte", "en"),
        "Maré Health",
        "PT",
        "Lisbon",
        "mvp",
        ["llama"],
        ("Nurses lose an hour a shift to handover notes.", "Speech-to-note handovers in Portuguese and Spanish."),
        "Hospital wards in Portugal and Spain.",
        4,
    ),
    _more(
        ("pieter.claes@example.org", "Pieter", "Claes", "en"),
        "Dijkwerk",
        "BE",
        "Ghent",
        "revenue",
        ["mistral", "llama"],
        ("Flood-defence inspections are on paper.", "Inspection reports from drone video."),
        "Water boards in Belgium and the Netherlands.",
        5,
    ),
    _more(
        ("anna.kowalczyk@example.org", "Anna", "Kowalczyk", "en"),
        "Księga AI",
        "PL",
        "Kraków",
        "prototype",
        ["qwen"],
        ("Polish accounting rules change monthly.", "An assistant that cites the current rule."),
        "Accounting offices in Poland.",
        3,
    ),
    _more(
        ("matteo.rinaldi@example.org", "Matteo", "Rinaldi", "en"),
        "Vigna Vision",
        "IT",
        "Verona",
        "mvp",
        ["llama", "gemma"],
        ("Vine diseases are spotted too late.", "Leaf photos diagnosed on the phone."),
        "Wine growers in Italy and France.",
        4,
    ),
    _more(
        ("sofie.nielsen@example.org", "Sofie", "Nielsen", "en"),
        "Fjord Code",
        "DK",
        "Aarhus",
        "idea",
        ["deepseek"],
        ("Legacy COBOL in Nordic banks has no authors left.", "Code explanation and tests for COBOL."),
        "Banks and insurers in the Nordics.",
        2,
    ),
    _more(
        ("camille.roux@example.org", "Camille", "Roux", "fr"),
        "Lexiflore",
        "FR",
        "Bordeaux",
        "mvp",
        ["mistral"],
        ("Small firms cannot read tenders fast enough.", "Tender summaries with the risks flagged."),
        "Small construction firms in France.",
        3,
    ),
]


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and a few lines of text (Helvetica), with a correct cross-reference table."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1", "replace")

    text = b"BT /F1 24 Tf 72 760 Td (" + escape(title) + b") Tj /F1 12 Tf"
    for line in lines:
        text += b" 0 -22 Td (" + escape(line) + b") Tj"
    text += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def demo_user(email, first, last, language="en", staff=False) -> User:
    """The demo person with this e-mail, created once. Found by username or by e-mail (any case), so
    that an organiser who edited the person in the admin does not get a duplicate."""
    user = User.objects.filter(Q(username=email) | Q(email__iexact=email)).order_by("pk").first()
    if user is None:
        user = User.objects.create(
            username=email, email=email, first_name=first, last_name=last, language=language, is_staff=staff
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def demo_reviewers(accounts) -> dict[int, int]:
    """Profiles and roles; returns {reviewer id: harshness} for the scripted reviews."""
    organiser = accounts["organiser"][0]
    organiser.groups.add(Group.objects.get_or_create(name=ORGANISERS)[0])
    harshness = {}
    for key, (organisation, domains) in DEMO_REVIEWER_PROFILES.items():
        user = accounts[key][0]
        profile = ReviewerProfile.objects.filter(user=user).first() or ReviewerProfile(
            user=user, organisation=organisation, email_domains=domains
        )
        services.save_reviewer_profile(profile)
        harshness[user.pk] = 0
    for email, first, last, organisation, domains, harsh in EXTRA_REVIEWERS:
        user = demo_user(email, first, last, staff=True)
        profile = ReviewerProfile.objects.filter(user=user).first() or ReviewerProfile(
            user=user, organisation=organisation, email_domains=domains
        )
        services.save_reviewer_profile(profile)
        harshness[user.pk] = harsh
    return harshness


def demo_applications(call, startups, submitted_at) -> dict[Application, int]:
    """The submitted demo applications of a call, created once, with the quality each one's reviews
    are scripted from. Looked up by their founder (an e-mail, the stable key): an organiser may
    have renamed or edited them since. `submitted_at(index)` is when the index-th one was submitted.
    """
    result = {}
    for index, data in enumerate(startups):
        data = dict(data)
        email, first, last, language = data.pop("founder")
        team, advisor = data.pop("team"), data.pop("advisor", None)
        quality = data.pop("quality")
        owner = demo_user(email, first, last, language)
        application = Application.objects.filter(call=call, owner=owner).first()
        if application is None:
            application = Application.objects.create(
                call=call, owner=owner, privacy_consent=True, accuracy_declaration=True, **data
            )
            members = [TeamMember(application=application, name=n, role=r, order=i) for i, (n, r) in enumerate(team)]
            members[0].email = email
            if advisor:
                members.append(
                    TeamMember(application=application, name=advisor[0], role=advisor[1], email=advisor[2], order=9)
                )
            TeamMember.objects.bulk_create(members)
            lines = [data["solution"][:90], f"{data['city']} · {data['team_size']} people", "Pitch deck (demo)"]
            application.pitch_deck.save("deck.pdf", ContentFile(_pdf(data["startup_name"], lines)), save=False)
            application.pitch_deck_uploaded_at = submitted_at(index)
            application.submitted_at = submitted_at(index)
            application.save()
            change_status(application, Status.SUBMITTED, by=owner, note="demo data")
        result[application] = quality
    return result


def _scores(criteria, quality, harsh, spread) -> dict[int, int]:
    return {c.pk: max(1, min(c.scale_max, quality + harsh + (spread if i % 2 else 0))) for i, c in enumerate(criteria)}


def _reviews(call, accounts, harshness, quality: dict[int, int], now) -> int:
    """Script some reviews: colleagues submit everything, the demo reviewers one submitted and one draft.

    On the application with the most submitted reviews, reviewers split (+2 / -2) so that the
    organiser's overview shows a disagreement flag.
    """
    criteria = list(call.criteria.order_by("order", "id"))
    demo_ids = {accounts[key][0].pk for key in DEMO_REVIEWER_PROFILES}
    assignments = (
        Assignment.objects.filter(application__in=list(quality), state=AssignmentState.ACTIVE)
        .select_related("reviewer", "application")
        .order_by("reviewer_id", "application__startup_name")
    )
    plan = []  # (assignment, submit)
    position: dict[int, int] = {}
    for assignment in assignments:
        rank = position.get(assignment.reviewer_id, 0)
        position[assignment.reviewer_id] = rank + 1
        if assignment.reviewer_id in demo_ids and rank > 1:
            continue  # left for the person trying the demo
        plan.append((assignment, not (assignment.reviewer_id in demo_ids and rank == 1)))
    submitted_per_app = Counter(a.application_id for a, submit in plan if submit)
    split_app = min(submitted_per_app, key=lambda app_id: (-submitted_per_app[app_id], app_id), default=None)

    written = 0
    split_turn = 0
    for index, (assignment, submit) in enumerate(plan):
        harsh = harshness.get(assignment.reviewer_id, 0)
        if assignment.application_id == split_app and submit:
            harsh = 2 if split_turn % 2 == 0 else -2
            split_turn += 1
        if Review.objects.filter(assignment=assignment).exists():
            continue
        scores = _scores(criteria, quality[assignment.application_id], harsh, spread=-1 if index % 2 else 0)
        mean = sum(scores.values()) / len(scores)
        recommendation = "strong_yes" if mean >= 4.5 else "yes" if mean >= 3.5 else "maybe" if mean >= 2.5 else "no"
        services.save_review(
            assignment,
            by=assignment.reviewer,
            scores=scores if submit else dict(list(scores.items())[:2]),
            recommendation=recommendation if submit else "",
            confidence=2 + (assignment.reviewer_id % 2) if submit else None,
            comments=f"Demo review of {assignment.application.startup_name}." if submit else "",
            submit=submit,
            now=now - dt.timedelta(hours=(7 * index) % 47 + 1),
        )
        written += 1
    return written


def seed_reviews(calls, accounts, now) -> dict:
    """Create the demo's review work on the current call. Safe to run again."""
    call = calls["current"]
    with transaction.atomic():
        harshness = demo_reviewers(accounts)
        applications = demo_applications(
            call, STARTUPS, lambda index: now - dt.timedelta(days=5 - index % 5, hours=index)
        )
        report = services.assign_reviewers(call, seed=2027)
        quality = {a.pk: q for a, q in applications.items()}
        written = _reviews(call, accounts, harshness, quality, now) if now < call.review_deadline else 0
    return {"applications": len(applications), "assignments": report.created, "reviews": written, "report": report}
