"""Review pages of the admin: "My reviews" for reviewers; overview, records and exports for organisers."""

from applications.models import Application
from calls.models import Call
from core.admin_actions import extend_admin
from reviews.admin import my_reviews, overview, records, rubric  # noqa: F401 (registers the pages)
from reviews.admin.actions import (
    assign_reviewers_automatically,
    assign_reviewers_by_hand,
    export_reviews_csv,
    export_reviews_json,
)

extend_admin(Call, assign_reviewers_automatically, export_reviews_csv, export_reviews_json)
extend_admin(Application, assign_reviewers_by_hand)
rubric.install()
