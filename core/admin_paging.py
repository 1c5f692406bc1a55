"""A paginator for admin lists of 100,000 rows and more: it stops counting past a cap.

Shared by the applications and reviews admins (templates/admin/pagination.html shows the cap).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """Counts at most CAP + 1 rows (a LIMITed subquery) instead of a COUNT(*) over the whole list.

    Past the cap, the list says "more than 10,000" and offers the first pages; filters and sorting
    narrow it down from there.

    The subquery selects primary keys only, in no order: PostgreSQL stops after cap + 1 rows. In
    the list's order it would first sort every matching row (a plan it picks for a composite index
    too when it has no statistics, after a bulk load), and the joins that only the columns need go.
    """

    cap = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class CappedCountAdmin:
    """ModelAdmin mixin: capped counts, no unfiltered total, and optionally narrow rows on the list's page."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    # The fields the list shows (for .only()); empty: every field. Only the list's page is narrowed:
    # actions and the change page get the full rows.
    list_only: tuple = ()

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # The history page pages its log entries with this paginator too: not those.
        if self.list_only and queryset.model is self.model:
            queryset = queryset.only(*self.list_only)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
