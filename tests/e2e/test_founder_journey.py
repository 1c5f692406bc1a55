"""A founder applies in a real browser, in English and in French, from sign-up to the confirmation.

Read the call, sign up, verify the address through the link in the e-mail, start an application,
save part of it as a draft, log out, come back, upload a deck, complete and submit it, and get the
confirmation e-mail. Every founder page on the way is checked with axe-core and for CSP violations.
The call is entered in both languages: in French, the call page, the form and the e-mails show its
French texts and no English.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Application, Status
from tests.applications.helpers import minimal_pdf
from tests.e2e.checks import assert_accessible, assert_page_is_clean
from tests.e2e.helpers import PASSWORD, Texts, label, link_in, mails_to, wait_for_path
from tests.factories.calls import CallFactory, CriterionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOUNDER = {
    "en": {"first": "Ada", "last": "Lovelace", "email": "ada@example.eu", "startup": "Analytical Engines"},
    "fr": {"first": "Émilie", "last": "du Châtelet", "email": "emilie@example.fr", "startup": "Principia IA"},
}
# What each founder types, in their language.
ANSWERS = {
    "en": {
        "name": "Founder One",
        "problem": "Restaurants waste food.",
        "solution": "A planner fine-tuned from Llama.",
        "users": "Restaurant chefs.",
        "hub": "We publish our fine-tunes.",
        "train": "Llama 8B.",
        "traction": "12 pilot restaurants.",
        "why": "Compute and mentoring.",
    },
    "fr": {
        "name": "Fondatrice Une",
        "problem": "Les restaurants gaspillent la nourriture.",
        "solution": "Un planificateur affiné à partir de Llama.",
        "users": "Les chefs de cuisine.",
        "hub": "Nous publions nos modèles affinés.",
        "train": "Llama 8B.",
        "traction": "Douze restaurants pilotes.",
        "why": "Le calcul et le mentorat.",
    },
}
# The call's public texts, entered in both languages by organisers.
CALL_TEXTS = {
    "en": {
        "title": "Open models 2026",
        "summary": "Six months at STATION F for five startups.",
        "description": "Build your product on **open models** with our partners.",
        "eligibility": "Startups not yet incorporated may apply.",
        "role": "GPUs kept in the EU",
        "criterion": "Use of open models",
        "criterion_description": "How deeply the product builds on them.",
    },
    "fr": {
        "title": "Modèles ouverts 2026",
        "summary": "Six mois à STATION F pour cinq startups.",
        "description": "Construisez votre produit sur des **modèles ouverts** avec nos partenaires.",
        "eligibility": "Les startups pas encore immatriculées peuvent candidater.",
        "role": "Des GPU conservés dans l’UE",
        "criterion": "Usage des modèles ouverts",
        "criterion_description": "À quel point le produit repose sur eux.",
    },
}
# Words that only an English sentence has: none may be left on a French page or e-mail.
ENGLISH = re.compile(
    r"\b(the|and|your|you|with|of|to|is|are|for|this|that|from|will|have|not|yet|left|days|hours|"
    r"call|apply|draft|saved|save|submit|submitted|deadline|time|team|startup name)\b",
    re.IGNORECASE,
)


def bilingual_call():
    texts = {
        f"{field}_{language}": CALL_TEXTS[language][field]
        for language in ("en", "fr")
        for field in ("title", "summary", "description")
    }
    call = CallFactory(
        slug="open-models-2026",
        eligibility_notes_en=CALL_TEXTS["en"]["eligibility"],
        eligibility_notes_fr=CALL_TEXTS["fr"]["eligibility"],
        **texts,
    )
    call.partners.create(name="Scaleway", role_en=CALL_TEXTS["en"]["role"], role_fr=CALL_TEXTS["fr"]["role"])
    CriterionFactory(
        call=call,
        name_en=CALL_TEXTS["en"]["criterion"],
        name_fr=CALL_TEXTS["fr"]["criterion"],
        description_en=CALL_TEXTS["en"]["criterion_description"],
        description_fr=CALL_TEXTS["fr"]["criterion_description"],
    )
    return call


def assert_in_language(text, language):
    """The call's texts in the reader's language only; in French, no English sentence at all."""
    other = "fr" if language == "en" else "en"
    for value in CALL_TEXTS[other].values():
        assert value not in text, value
    if language == "fr":
        found = ENGLISH.findall(text)
        assert not found, f"English on a French page or e-mail: {found}\n{text}"


def read_the_call(page, t, call):
    page.goto(call.get_absolute_url())
    main = page.locator("main")
    texts = CALL_TEXTS[t.language]
    assert main.get_by_role("heading", level=1).inner_text().strip() == texts["title"]
    for key in ("summary", "eligibility", "role", "criterion", "criterion_description"):
        assert main.get_by_text(texts[key]).first.is_visible(), key
    assert_in_language(main.inner_text(), t.language)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # allauth counts sign-ups and logins per address in the cache, which outlives a test.
    settings.ACCOUNT_RATE_LIMITS = False


def check(page):
    assert_accessible(page)
    assert_page_is_clean(page)


def sign_up(page, t, person, call):
    read_the_call(page, t, call)
    page.get_by_role("link", name=t("Sign up to apply")).click()
    main = page.locator("main")
    main.get_by_label(label(t("First name"))).fill(person["first"])
    main.get_by_label(label(t("Last name"))).fill(person["last"])
    main.get_by_label(label(t("E-mail address"))).fill(person["email"])
    main.get_by_label(label(t("Password"))).fill(PASSWORD)
    main.get_by_label(label(t("Password (again)"))).fill(PASSWORD)
    # The language proposed is the one the visitor's browser asked for.
    assert main.get_by_label(label(t("Language"))).input_value() == t.language
    check(page)
    main.get_by_role("button", name=t("Sign up")).click()
    wait_for_path(page, reverse("account_email_verification_sent"))
    check(page)


def verify_email(page, t, person):
    (message,) = mails_to(person["email"])
    assert person["first"] in message.body
    assert_in_language(message.subject + "\n" + message.body, t.language)
    page.goto(link_in(message, "/accounts/confirm-email/"))
    assert_in_language(page.locator("main").inner_text(), t.language)
    page.locator("main").get_by_role("button", name=t("Confirm")).click()
    page.wait_for_url(lambda url: "/confirm-email/" not in url)


def log_in(page, t, person):
    page.get_by_role("link", name=t("Log in")).click()
    check(page)
    main = page.locator("main")
    main.get_by_label(label(t("E-mail address"))).fill(person["email"])
    main.get_by_label(label(t("Password"))).fill(PASSWORD)
    main.get_by_role("button", name=t("Log in")).click()
    wait_for_path(page, reverse("applications:list"))


def save_draft(page, t):
    page.locator(".sticky-actions").get_by_role("button", name=t("Save draft")).click()
    saved = t("Draft saved at %(time)s").split("%(time)s")[0]
    page.get_by_role("alert").filter(has_text=saved).wait_for()


def fill_the_rest(page, t):
    answer = ANSWERS[t.language]
    main = page.locator("main")
    main.get_by_label(label(t("Website"))).fill("https://engines.example.eu")
    main.get_by_label(label(t("Founding date"))).fill("2024-05-01")
    main.get_by_label(label(t("Legal form"))).select_option(label=t.same("SAS / SASU"))
    main.get_by_label(t("Team size (people)"), exact=True).fill("3")
    main.get_by_label(label(t("Stage"))).select_option(label=t("Product in use (MVP)"))
    main.get_by_label(label(t("Name"))).fill(answer["name"])
    main.get_by_label(label(t("Role"))).fill("CEO")
    main.get_by_label(label(t("What problem do you solve?"))).fill(answer["problem"])
    main.get_by_label(label(t("What is your solution?"))).fill(answer["solution"])
    main.get_by_label(label(t("Who are your users?"))).fill(answer["users"])
    main.get_by_label(label("Llama")).check()
    main.get_by_label(label(t("How do you use the Hugging Face Hub?"))).fill(answer["hub"])
    main.get_by_label(label(t("What would you fine-tune or train during the programme?"))).fill(answer["train"])
    main.get_by_label(label(t("Estimated H100 GPU-hours per month"))).fill("500")
    main.locator("input[name=data_must_stay_in_eu][value=True]").check()
    main.get_by_label(label(t("No personal data"))).check()
    main.get_by_label(label(t("Users and customers so far"))).fill(answer["traction"])
    main.get_by_label(label(t("Revenue"))).select_option(label=t("Under €10k a year"))
    main.get_by_label(label(t("Why this programme?"))).fill(answer["why"])
    main.locator("input[name=available_in_paris][value=True]").check()
    main.locator("input[name=privacy_consent]").check()
    main.locator("input[name=accuracy_declaration]").check()


@pytest.mark.parametrize(("language", "locale"), [("en", "en-GB"), ("fr", "fr-FR")])
def test_founder_applies_from_sign_up_to_confirmation(open_page, language, locale, tmp_path):
    t = Texts(language)
    person = FOUNDER[language]
    call = bilingual_call()
    page = open_page(locale=locale)
    mail.outbox.clear()

    sign_up(page, t, person, call)
    assert page.locator("html").get_attribute("lang") == language
    verify_email(page, t, person)
    # Verified and signed in: the portal takes the founder on to the call's application.
    wait_for_path(page, reverse("applications:start", args=[call.slug]))
    check(page)
    page.get_by_role("button", name=t("Start my application")).click()
    application = Application.objects.get(owner__email=person["email"])
    wait_for_path(page, reverse("applications:edit", args=[application.pk]))
    check(page)
    assert page.locator("main h1").inner_text().endswith(CALL_TEXTS[language]["title"])

    # Part of the form, saved as a draft, then the founder leaves.
    main = page.locator("main")
    main.get_by_label(label(t("Startup name"))).fill(person["startup"])
    main.get_by_label(label(t("City"))).fill("Paris")
    main.get_by_label(label(t("Country where the startup is based"))).select_option("FR")
    save_draft(page, t)
    page.get_by_role("button", name=t("Log out")).click()
    wait_for_path(page, reverse("home"))
    assert page.get_by_role("link", name=t("Log in")).is_visible()

    # Back another day: the draft is in the list with what was saved.
    log_in(page, t, person)
    check(page)
    row = page.get_by_role("row").filter(has_text=person["startup"])
    assert row.get_by_text(t("Draft")).is_visible()
    row.get_by_role("link", name=t("Edit")).click()
    wait_for_path(page, reverse("applications:edit", args=[application.pk]))
    assert main.get_by_label(label(t("City"))).input_value() == "Paris"

    # The deck, then everything else, then submit.
    deck = tmp_path / "deck.pdf"
    deck.write_bytes(minimal_pdf())
    main.get_by_label(label(t("Upload a pitch deck"))).set_input_files(deck)
    fill_the_rest(page, t)
    save_draft(page, t)
    assert main.get_by_text(t("Current deck:")).is_visible()
    assert_in_language(main.inner_text(), language)
    check(page)
    page.get_by_role("button", name=t("Save and review submission")).click()
    wait_for_path(page, reverse("applications:submit", args=[application.pk]))
    check(page)
    page.get_by_role("button", name=t("Submit my application")).click()
    wait_for_path(page, application.get_absolute_url())
    submitted = t("Your application is submitted. A confirmation e-mail is on its way to every founder on it.")
    assert page.get_by_role("alert").filter(has_text=submitted).is_visible()
    assert page.locator("main").get_by_text(t("Submitted"), exact=True).first.is_visible()
    check(page)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.pitch_deck
    subject = t("Application submitted: %(title)s", title=CALL_TEXTS[language]["title"])
    (confirmation,) = [m for m in mails_to(person["email"]) if m.subject == subject]
    assert application.get_absolute_url() in confirmation.body
    assert CALL_TEXTS[language]["title"] in confirmation.body
    assert_in_language(confirmation.subject + "\n" + confirmation.body, language)
