"""Reviewers read the rubric in their own language, like founders read the call."""

import pytest
from django.urls import reverse

from calls.models import Criterion
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import submitted_app

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("fr", "Modèles ouverts", "Open models"), ("en", "Open models", "Modèles ouverts")],
)
def test_scoring_page_names_criteria_in_the_reviewers_language(client, call, reviewer_a, language, shown, hidden):
    Criterion.objects.filter(call=call, order=0).update(
        name_en="Open models",
        name_fr="Modèles ouverts",
        description_fr="Comment ils s’appuient sur les modèles ouverts.",
    )
    reviewer_a.language = language
    reviewer_a.save()
    assignment = AssignmentFactory(application=submitted_app(call), reviewer=reviewer_a)
    client.force_login(reviewer_a)
    html = client.get(reverse("admin:reviews_myreview_change", args=[assignment.pk])).content.decode()
    assert shown in html and hidden not in html
    if language == "fr":
        assert "Comment ils s’appuient sur les modèles ouverts." in html
        assert "Team" in html and "(en anglais)" not in html  # no French name: the English one, as written
