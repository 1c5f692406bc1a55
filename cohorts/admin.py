"""Admin of the cohorts app; each part lives in its own module."""

from cohorts.shortlist import admin as admin_shortlist  # noqa: F401
