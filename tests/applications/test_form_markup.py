"""What founders and their assistive technology get from the form's fields (applications/forms/field.html).

Each field: its label (a legend for a group of boxes), its help text and its errors next to it,
named by aria-describedby, in the founder's language, with Bootstrap's classes that show them.
"""

import lxml.html
import pytest
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader

from applications.forms import ApplicationForm
from tests.applications.helpers import complete, post_data, url
from tests.factories.applications import TeamMemberFactory

pytestmark = pytest.mark.django_db


def page(response):
    return lxml.html.fromstring(response.content.decode())


def described_by(element, tree) -> list[str]:
    """The texts that aria-describedby points to, in order."""
    return [" ".join(tree.get_element_by_id(i).text_content().split()) for i in element.get("aria-describedby").split()]


def test_a_format_error_is_next_to_its_field_and_named_by_it(client, draft):
    client.force_login(draft.owner)
    tree = page(client.post(url("edit", draft), post_data(draft, website="not a url", country="XX")))
    website = tree.get_element_by_id("id_website")
    assert website.get("aria-invalid") == "true" and "is-invalid" in website.classes
    assert described_by(website, tree) == ["Enter a valid URL."]
    error = tree.get_element_by_id("id_website_error")
    assert "invalid-feedback" in error.classes
    # In the field's own wrapper, right after the input, as Bootstrap shows it.
    assert error.getparent() is website.getparent() is tree.get_element_by_id("div_id_website")
    assert error.getprevious() is website
    label = tree.xpath('//label[@for="id_website"]')[0]
    assert label.text_content().strip() == "Website" and label.getparent() is website.getparent()
    # Help text first, then the error.
    country = tree.get_element_by_id("id_country")
    assert described_by(country, tree)[1] == "Select a valid choice. XX is not one of the available choices."
    assert "countries, listed on the call page" in described_by(country, tree)[0]
    # A field without an error is not marked.
    city = tree.get_element_by_id("id_city")
    assert "is-invalid" not in city.classes and city.get("aria-invalid") is None
    assert "form-control" in city.classes


def test_an_error_on_a_group_of_boxes_is_inside_its_fieldset(client, draft):
    client.force_login(draft.owner)
    data = post_data(draft)
    data["foundation_models"] = ["not-a-model"]
    tree = page(client.post(url("edit", draft), data))
    fieldset = tree.get_element_by_id("div_id_foundation_models").find("fieldset")
    assert fieldset.find("legend").text_content().strip() == "Open-source foundation models you build on"
    assert described_by(fieldset, tree) == ["Select a valid choice. not-a-model is not one of the available choices."]
    boxes = fieldset.xpath('.//input[@type="checkbox"]')
    assert len(boxes) == 8 and all("is-invalid" in box.classes for box in boxes)
    # The message follows the last box (Bootstrap shows .invalid-feedback after an .is-invalid input).
    assert boxes[-1].getparent() is tree.get_element_by_id("id_foundation_models_error").getparent()
    for box in boxes:
        assert tree.xpath(f'//label[@for="{box.get("id")}"]')[0].text_content().strip()


def test_errors_are_in_the_founders_language(client, draft):
    draft.owner.language = "fr"
    draft.owner.save()
    client.force_login(draft.owner)
    tree = page(client.post(url("edit", draft), post_data(draft, website="pas une adresse", team_size="trois")))
    assert described_by(tree.get_element_by_id("id_website"), tree) == ["Saisissez une URL valide."]
    assert described_by(tree.get_element_by_id("id_team_size"), tree) == ["Saisissez un nombre entier."]
    assert tree.xpath('//label[@for="id_website"]')[0].text_content().strip() == "Site web"


def test_team_rows_and_the_deck_show_their_errors_and_help(client, draft):
    client.force_login(draft.owner)
    team = [{"name": "", "role": "CTO", "email": "nope", "profile_url": ""}]
    tree = page(client.post(url("edit", draft), post_data(draft, team=team)))
    email = tree.get_element_by_id("id_team-0-email")
    assert described_by(email, tree) == ["Enter a valid email address."]
    name = tree.get_element_by_id("id_team-0-name")
    assert described_by(name, tree) == ["Give this person's name, or remove the row."]
    profile = tree.get_element_by_id("id_team-0-profile_url")
    assert described_by(profile, tree) == ["LinkedIn, GitHub, Hugging Face..."]
    # The formset's own box keeps its plain look (the row's script turns it into a button).
    assert tree.get_element_by_id("id_team-0-DELETE").get("class") is None
    deck = tree.get_element_by_id("id_pitch_deck")
    assert deck.get("type") == "file" and "form-control" in deck.classes
    assert described_by(deck, tree) == ["PDF, at most 20 MB. No scripts or embedded files."]


def test_saved_answers_are_shown_checked_and_selected(client, draft):
    complete(draft)
    TeamMemberFactory(application=draft, name="Grace")
    draft.owner.language = "fr"
    draft.owner.save()
    client.force_login(draft.owner)
    tree = page(client.get(url("edit", draft)))
    country = tree.get_element_by_id("id_country")
    assert "form-select" in country.classes
    options = country.findall("option")
    assert options[0].get("value") == "" and len(options) > 240
    assert [o.get("value") for o in options if o.get("selected") is not None] == ["FR"]
    # In the reader's language and order.
    names = [o.text for o in options[1:]]
    assert "Allemagne" in names and names.index("Allemagne") < names.index("Belgique")
    assert tree.get_element_by_id("id_foundation_models_0").get("checked") is not None
    assert tree.get_element_by_id("id_data_must_stay_in_eu_1").get("checked") is not None
    assert tree.get_element_by_id("id_privacy_consent").get("checked") is not None
    names = tree.xpath('//input[starts-with(@id, "id_team-")][contains(@id, "-name")]/@value')
    assert "Grace" in names


def test_the_form_fields_are_rendered_with_cached_templates():
    """Parsing a template per request would cost more than rendering it (the loader is Django's default)."""
    form = ApplicationForm()
    for engine in (engines["django"].engine, form.renderer.engine.engine):
        assert isinstance(engine.template_loaders[0], CachedLoader)
