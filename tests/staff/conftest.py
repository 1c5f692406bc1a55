# The reviews' call: closed yesterday, reviews due in two weeks, a rubric of three criteria.
from tests.reviews.conftest import call  # noqa: F401
