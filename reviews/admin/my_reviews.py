""" "My reviews": a reviewer's own assignments, and the page where they score one.

Only active assignments of the logged-in reviewer exist here: any other id is a 404, whether it
exists or not. Other reviewers' scores appear only once the reviewer has submitted their own.
"""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import is_reviewer
from applications.answers import read_back
from calls.templatetags.portal import deadline
from reviews import selectors, services
from reviews.admin.filters import AssignmentCallFilter, WorkStateFilter
from reviews.forms import ConflictReasonForm, ReviewForm
from reviews.models import MyReview, ReviewStatus, WorkState


@admin.register(MyReview)
class MyReviewAdmin(admin.ModelAdmin):
    # A queue, one line per row: the call is the filter on the side, not a column (its long title wrapped rows).
    list_display = ("startup", "country", "state_badge", "review_deadline", "my_score")
    list_display_links = None
    list_filter = (WorkStateFilter, AssignmentCallFilter)
    search_fields = ("application__startup_name",)
    show_full_result_count = False
    list_per_page = 50
    actions = None

    class Media:
        css = {"all": ("reviews/admin.css",)}

    # Permissions: the Reviewers group's permissions on this page, and being a reviewer.

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return is_reviewer(user) and (
            user.has_perm("reviews.view_myreview") or user.has_perm("reviews.change_myreview")
        )

    def has_change_permission(self, request, obj=None):
        return is_reviewer(request.user) and request.user.has_perm("reviews.change_myreview")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            selectors.my_assignments(request.user)
            .annotate(
                work_rank=Case(
                    When(review__isnull=True, then=Value(0)),
                    When(review__status=ReviewStatus.DRAFT, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("work_rank", "application__startup_name", "pk")
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The footer under the list (templates/admin/pagination.html), instead of "7 my reviews".
        changelist.count_text = ngettext(
            "%(count)d review in your queue", "%(count)d reviews in your queue", changelist.result_count
        ) % {"count": changelist.result_count}
        return changelist

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("My reviews"), **(extra_context or {})})

    def get_urls(self):
        # Only the list, the review page and the conflict form: no history, delete or add pages.
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name="{}_{}_changelist".format(*info)),
            path("<int:pk>/change/", view(self.review_view), name="{}_{}_change".format(*info)),
            path("<int:pk>/conflict/", view(self.conflict_view), name="{}_{}_conflict".format(*info)),
        ]

    # List columns

    @admin.display(description=gettext_lazy("startup"), ordering="application__startup_name")
    def startup(self, obj):
        url = reverse("admin:reviews_myreview_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.application.startup_name or obj.application)

    @admin.display(description=gettext_lazy("country"), ordering="application__country")
    def country(self, obj):
        return obj.application.country.name if obj.application.country else "—"

    @admin.display(description=gettext_lazy("call"), ordering="application__call__closes_at")
    def call_title(self, obj):
        return obj.application.call.title

    @admin.display(description=gettext_lazy("state"), ordering="work_rank")
    def state_badge(self, obj):
        return format_html(
            '<span class="review-state review-state-{}">{}</span>', obj.work_state, WorkState(obj.work_state).label
        )

    @admin.display(description=gettext_lazy("my weighted score"), ordering="review__weighted_score")
    def my_score(self, obj):
        review = selectors.own_review(obj)
        return "—" if review is None or review.weighted_score is None else f"{review.weighted_score:.2f}"

    @admin.display(description=gettext_lazy("review deadline"))
    def review_deadline(self, obj):
        call = obj.application.call
        return deadline(call.review_deadline, call.time_zone)

    # The review page

    def _page(self, request, template, context):
        assignment = context["assignment"]
        base = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "application": assignment.application,
            "call": assignment.application.call,
            "has_view_permission": True,
        }
        return TemplateResponse(request, template, {**base, **context})

    # The deck's viewer is a frame of the portal's own inline deck (applications:deck_inline): this
    # page alone may frame 'self'; every other page frames nothing (settings.CONTENT_SECURITY_POLICY).
    @csp_replace({"frame-src": [SELF]})
    def review_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        assignment = selectors.assignment_for_reviewer(request.user, pk)
        application = assignment.application
        call = application.call
        criteria = list(call.criteria.order_by("order", "id"))
        review = selectors.own_review(assignment)
        locked = services.is_locked(assignment)
        here = reverse("admin:reviews_myreview_change", args=[assignment.pk])

        if request.method == "POST":
            if locked or not self.has_change_permission(request):
                messages.error(request, _("The review deadline has passed: reviews can no longer be changed."))
                return redirect(here)
            form = ReviewForm(request.POST, criteria=criteria)
            submit_next = "_submit_next" in request.POST
            submit = "_submit" in request.POST or submit_next
            if form.is_valid():
                was_submitted = review is not None and review.status == ReviewStatus.SUBMITTED
                try:
                    review = services.save_review(
                        assignment, by=request.user, submit=submit, **form.service_arguments()
                    )
                except ValidationError as error:
                    form.add_service_errors(error)
                except services.ReviewLocked as error:
                    messages.error(request, str(error))
                    return redirect(here)
                else:
                    if was_submitted:
                        messages.success(request, _("Your changes to the submitted review are saved."))
                    elif submit:
                        messages.success(request, _("Review submitted. You can still change it until the deadline."))
                    else:
                        messages.success(request, _("Draft saved. It is not submitted yet."))
                    if submit_next:
                        following = selectors.next_review(request.user, after=assignment.pk)
                        if following is not None:
                            return redirect("admin:reviews_myreview_change", following.pk)
                        return redirect("admin:reviews_myreview_changelist")
                    return redirect(here)
        else:
            form = ReviewForm(criteria=criteria, review=review)

        team = application.team_members.all()
        return self._page(
            request,
            "admin/reviews/myreview/review.html",
            {
                "assignment": assignment,
                "title": application.startup_name or str(application),
                "sections": read_back(application, team, for_reviewers=True),
                "form": form,
                "review": review,
                "submitted": review is not None and review.status == ReviewStatus.SUBMITTED,
                "locked": locked,
                "own_scores": {s.criterion_id: s.value for s in review.scores.all()} if review else {},
                "criteria": criteria,
                "others": selectors.other_reviews(assignment, review),
                "queue": selectors.reviewer_queue(request.user),
                "has_next": selectors.next_review(request.user, after=assignment.pk) is not None,
            },
        )

    def conflict_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        assignment = selectors.assignment_for_reviewer(request.user, pk)
        if request.method == "POST":
            form = ConflictReasonForm(request.POST)
            if form.is_valid():
                try:
                    services.declare_own_conflict(assignment, by=request.user, reason=form.cleaned_data["reason"])
                except ValidationError as error:
                    form.add_error("reason", error.messages)
                else:
                    messages.success(
                        request,
                        _("Thank you. %(startup)s was removed from your reviews and will be given to another reviewer.")
                        % {"startup": assignment.application.startup_name},
                    )
                    return redirect("admin:reviews_myreview_changelist")
        else:
            form = ConflictReasonForm()
        return self._page(
            request,
            "admin/reviews/myreview/conflict.html",
            {"assignment": assignment, "title": _("Declare a conflict of interest"), "form": form},
        )
