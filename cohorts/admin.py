"""Admin of the cohorts app; each part lives in its own module."""

from cohorts import admin_shortlist  # noqa: F401
