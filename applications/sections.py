"""The founder's answers, section by section, in the order the form asks them.

The form, the founder's read-back, the reviewers' page and the personal-data export all read
these lists, so an answer added here shows everywhere. Keys match applications.completeness.SECTIONS
(which says what a complete application needs); team and deck are not model fields.
"""

SECTION_FIELDS = {
    "startup": [
        "startup_name",
        "website",
        "country",
        "city",
        "founded_on",
        "legal_form",
        "team_size",
        "stage",
        "funding_raised_eur",
    ],
    "team": [],
    "product": [
        "problem",
        "solution",
        "target_users",
        "foundation_models",
        "foundation_models_other",
        "hub_usage",
        "training_plans",
    ],
    "compute": ["gpu_hours_per_month", "data_must_stay_in_eu", "data_kinds"],
    "traction": ["traction", "revenue_band", "motivation", "available_in_paris"],
    "deck": [],
    "consents": ["privacy_consent", "accuracy_declaration"],
}
# Every answer in form order; internal columns (version, the deck's storage name...) are not answers.
ANSWER_FIELDS = tuple(name for names in SECTION_FIELDS.values() for name in names)
