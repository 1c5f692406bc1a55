"""The way back to a call's cockpit from the pages its steps lead to (templates/admin/includes/cockpit_back.html).

The cockpit itself belongs to cohorts, above every app whose pages are its steps; those pages only
need the call they show, which this mixin finds in their list's call filter."""

from calls.models import Call


def call_from_query(value) -> Call | None:
    return Call.objects.filter(pk=value).first() if value and str(value).isdigit() else None


class CockpitLinkMixin:
    """ModelAdmin mixin: a list filtered by one call says "← Call cockpit: <title>" above it."""

    cockpit_call_parameter = "call"

    def changelist_view(self, request, extra_context=None):
        call = call_from_query(request.GET.get(self.cockpit_call_parameter))
        return super().changelist_view(request, {"cockpit_call": call, **(extra_context or {})})
