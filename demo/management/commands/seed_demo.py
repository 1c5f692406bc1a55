from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo.accounts import seed_accounts
from demo.applications import seed_founder_draft
from demo.calls import seed_calls
from demo.decided import seed_decided_call
from demo.reviews import seed_reviews


class Command(BaseCommand):
    help = "Create the demo calls and accounts (safe to run again: existing data is kept)."

    def handle(self, *args, **options):
        with transaction.atomic():
            calls = seed_calls(timezone.now())
            accounts = seed_accounts()
            seed_founder_draft(accounts["founder"][0], calls["current"])
            review_demo = seed_reviews(calls, accounts, timezone.now())
            decided = seed_decided_call(calls["past"], accounts)
        for call in calls["created"]:
            self.stdout.write(f"Created call: {call.title} ({call.slug})")
        self.stdout.write(
            f"Review demo: {review_demo['applications']} submitted applications, "
            f"{review_demo['assignments']} new assignments, {review_demo['reviews']} new reviews."
        )
        if decided["told"]:
            self.stdout.write(
                f"2024 edition: {decided['applications']} applications, {decided['reviews']} reviews, "
                f"shortlist locked, {decided['offers']} offers accepted, decision e-mails queued."
            )
        self.stdout.write(self.style.SUCCESS("Demo ready. Logins:"))
        for key, (user, password) in accounts.items():
            self.stdout.write(f"  {key:<14} {user.email:<28} {password}")
