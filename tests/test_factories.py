import pytest

from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.factories.reviews import ReviewerProfileFactory, ScoreFactory

pytestmark = pytest.mark.django_db


def test_factories_build_valid_rows():
    assert ApplicationFactory(submitted=True).is_submitted
    assert TeamMemberFactory().application.pk
    assert ReviewerProfileFactory().user.is_staff
    score = ScoreFactory()
    assert score.value <= score.scale_max
