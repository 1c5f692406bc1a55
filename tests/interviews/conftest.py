# The cohorts tests' call (review deadline just passed), organiser and reviewers.
from tests.cohorts.conftest import call, organiser, reviewers  # noqa: F401
