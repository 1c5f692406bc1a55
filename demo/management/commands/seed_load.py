from django.core.management.base import BaseCommand, CommandError

from demo.load import seed_load


class Command(BaseCommand):
    help = (
        "Build a synthetic call for load tests: N submitted applications (and D drafts), R reviewers of "
        "different harshness and K submitted reviews per application, with bulk inserts. Running it again "
        "adds more applications to the same call."
    )

    def add_arguments(self, parser):
        parser.add_argument("--call", required=True, help="slug of the call (created with a rubric if missing)")
        parser.add_argument("--applications", type=int, required=True, help="submitted applications to add")
        parser.add_argument("--reviewers", type=int, required=True, help="reviewers in the pool")
        parser.add_argument("--reviews-per-application", type=int, required=True, help="submitted reviews each")
        parser.add_argument("--drafts", type=int, default=0, help="draft applications to add")
        parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same data)")

    def handle(self, *args, **options):
        for name in ("applications", "reviewers", "reviews_per_application", "drafts"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} must not be negative.")
        try:
            result = seed_load(
                slug=options["call"],
                applications=options["applications"],
                reviewers=options["reviewers"],
                reviews_per_application=options["reviews_per_application"],
                drafts=options["drafts"],
                seed=options["seed"],
                progress=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Call {result.call.slug}: {result.applications} submitted applications, {result.drafts} drafts, "
                f"{result.reviewers} reviewers, {result.reviews} reviews in {result.seconds:.1f}s."
            )
        )
