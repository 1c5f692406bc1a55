"""Interview pages of the admin: the interview rubric on the call's page (rubric), and the pages
of the slots, bookings and panel scoring, each in its own module."""

from interviews.admin import rubric, slots  # noqa: F401 - slots registers its ModelAdmin

rubric.install()
