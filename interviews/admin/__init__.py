"""Interview pages of the admin: the interview rubric on the call's page (rubric), and the pages
of the slots, bookings and panel scoring, each in its own module."""

from interviews.admin import rubric, scoring, slots  # noqa: F401 - scoring and slots register their ModelAdmins

rubric.install()
