"""A paginator that stops counting: lists of 300,000 reviews need no exact total to be useful."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """Counts at most CAP + 1 rows (a LIMITed subquery) instead of a COUNT(*) over the whole table.

    Past the cap, the list says "more than 10,000" (admin/reviews/pagination.html) and offers the
    first pages; filters and sorting narrow it down from there.
    """

    cap = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
