import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reviews.models import AssignmentState, Conflict, ConflictSource, Review, ReviewStatus
from tests.factories.applications import TeamMemberFactory
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import submit_review, submitted_app

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page(assignment):
    return reverse("admin:reviews_myreview_change", args=[assignment.pk])


def form_data(call, value=4, **extra):
    data = {f"criterion_{c.pk}": min(value, c.scale_max) for c in call.criteria.all()}
    data.update({"recommendation": "yes", "confidence": "2", "comments": "Solid team."})
    data.update(extra)
    return data


@pytest.fixture
def app(call):
    app = submitted_app(
        call,
        startup_name="Sillon",
        country="FR",
        problem="Farmers decide on <b>guesswork</b>.\nEvery day.",
        solution="<script>alert('x')</script> An assistant.",
        foundation_models=["llama", "mistral"],
        data_must_stay_in_eu=True,
    )
    TeamMemberFactory(application=app, name="Léa Garnier", role="CEO", profile_url="https://example.com/lea")
    TeamMemberFactory(application=app, name="Mallory", role="CTO", profile_url="javascript:alert(1)")
    app.pitch_deck.save("deck.pdf", ContentFile(PDF))
    return app


def test_my_reviews_lists_only_my_active_assignments_with_state(client, call, app, reviewer_a, reviewer_b):
    todo = AssignmentFactory(reviewer=reviewer_a, application=app)
    drafted = AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call, startup_name="Klinikon"))
    Review.objects.create(assignment=drafted)
    done = AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call, startup_name="Polderlex"))
    submit_review(done)
    AssignmentFactory(
        reviewer=reviewer_a, application=submitted_app(call, startup_name="Released"), state=AssignmentState.CONFLICTED
    )
    AssignmentFactory(reviewer=reviewer_b, application=submitted_app(call, startup_name="NotMine"))
    client.force_login(reviewer_a)

    response = client.get(reverse("admin:reviews_myreview_changelist"))

    text = response.content.decode()
    assert response.status_code == 200
    for name in ("Sillon", "Klinikon", "Polderlex", "France", "To do", "Draft", "Submitted"):
        assert name in text
    assert "Released" not in text and "NotMine" not in text
    assert text.index("Sillon") < text.index("Klinikon") < text.index("Polderlex")  # to do first
    assert page(todo) in text

    filtered = client.get(reverse("admin:reviews_myreview_changelist"), {"work": "draft"}).content.decode()
    assert "Klinikon" in filtered and "Sillon" not in filtered


def test_review_page_shows_the_whole_application_read_only(client, call, app, reviewer_a):
    assignment = AssignmentFactory(reviewer=reviewer_a, application=app)
    client.force_login(reviewer_a)

    response = client.get(page(assignment))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Farmers decide on &lt;b&gt;guesswork&lt;/b&gt;.<br>Every day." in text
    assert "<script>alert" not in text and "&lt;script&gt;" in text
    assert "Léa Garnier" in text and "Llama, Mistral" in text
    assert 'href="https://example.com/lea"' in text and "javascript:" not in text
    assert reverse("applications:deck", kwargs={"pk": app.pk}) in text
    for section in ("Startup", "Team", "Product and AI", "Compute and data", "Traction and motivation", "Pitch deck"):
        assert section in text
    for criterion in call.criteria.all():
        assert criterion.name in text and criterion.description in text
    assert "I have a conflict of interest" in text
    assert client.get(reverse("applications:deck", kwargs={"pk": app.pk})).status_code == 200


def test_save_draft_then_submit(client, call, app, reviewer_a):
    assignment = AssignmentFactory(reviewer=reviewer_a, application=app)
    client.force_login(reviewer_a)
    first = call.criteria.order_by("order").first()

    draft = client.post(page(assignment), {f"criterion_{first.pk}": "2", "_draft": "1"}, follow=True)
    assert "Draft saved" in draft.content.decode()
    review = Review.objects.get(assignment=assignment)
    assert review.status == ReviewStatus.DRAFT and review.scores.get().value == 2

    incomplete = client.post(page(assignment), {f"criterion_{first.pk}": "2", "_submit": "1"})
    assert incomplete.status_code == 200
    assert "Score this criterion to submit." in incomplete.content.decode()
    assert 'value="2" required' not in incomplete.content.decode()
    assert Review.objects.get(assignment=assignment).status == ReviewStatus.DRAFT

    done = client.post(page(assignment), {**form_data(call), "_submit": "1"}, follow=True)
    assert "Review submitted" in done.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and review.weighted_score == 4.0
    assert review.comments == "Solid team." and review.confidence == 2


def test_out_of_scale_value_is_a_form_error(client, call, app, reviewer_a):
    assignment = AssignmentFactory(reviewer=reviewer_a, application=app)
    client.force_login(reviewer_a)
    response = client.post(
        page(assignment), {**form_data(call), "_submit": "1", f"criterion_{call.criteria.last().pk}": "9"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Review.objects.exists()


def test_other_scores_are_hidden_until_my_review_is_submitted(client, call, app, reviewer_a, reviewer_b):
    mine = AssignmentFactory(reviewer=reviewer_a, application=app)
    theirs = AssignmentFactory(reviewer=reviewer_b, application=app)
    submit_review(theirs, value=1, recommendation="no", comments="Private note for organisers")
    client.force_login(reviewer_a)

    before = client.get(page(mine)).content.decode()
    assert "Other reviewers' scores are shown once you submit yours." in before
    # The score as the section writes it ("Reviewer 1 · 1.00 · No"): a bare "1.00" can be part of a
    # timestamp elsewhere on the page (12:09:41.009785).
    assert "Reviewer 1" not in before and "· 1.00 ·" not in before and "Other reviewers</h2>" not in before

    client.post(page(mine), {**form_data(call), "_submit": "1"})
    after = client.get(page(mine)).content.decode()

    assert "Other reviewers</h2>" in after and "Reviewer 1" in after and "· 1.00 ·" in after
    assert "Private note for organisers" not in after  # comments are for organisers only
    assert reviewer_b.email not in after


def test_locked_after_the_review_deadline(client, call, app, reviewer_a):
    assignment = AssignmentFactory(reviewer=reviewer_a, application=app)
    submit_review(assignment, value=3)
    call.review_deadline = call.closes_at + dt.timedelta(minutes=1)
    call.save()
    client.force_login(reviewer_a)

    text = client.get(page(assignment)).content.decode()
    assert "this review is locked" in text and 'name="_submit"' not in text

    response = client.post(page(assignment), {**form_data(call, value=5), "_submit": "1"}, follow=True)
    assert "The review deadline has passed" in response.content.decode()
    assert Review.objects.get(assignment=assignment).weighted_score == 3.0


def test_unassigned_and_released_applications_are_404(client, call, app, reviewer_a, reviewer_b):
    theirs = AssignmentFactory(reviewer=reviewer_b, application=app)
    released = AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call), state=AssignmentState.CONFLICTED)
    client.force_login(reviewer_a)
    for assignment in (theirs, released):
        assert client.get(page(assignment)).status_code == 404
        assert client.post(page(assignment), {**form_data(call), "_submit": "1"}).status_code == 404
        assert client.get(reverse("admin:reviews_myreview_conflict", args=[assignment.pk])).status_code == 404
    assert client.get("/admin/reviews/myreview/999999/change/").status_code == 404
    assert client.get("/admin/reviews/myreview/abc/change/").status_code == 404
    assert client.get(f"/admin/reviews/myreview/{theirs.pk}/history/").status_code == 404
    assert client.get(f"/admin/reviews/myreview/{theirs.pk}/delete/").status_code == 404
    assert client.get(reverse("applications:deck", kwargs={"pk": app.pk})).status_code == 404
    assert not Review.objects.exists()


def test_a_conflict_hides_the_application_even_while_the_assignment_is_active(client, call, app, reviewer_a):
    """The reviewer's page asks applications.access: a conflict row is enough, whatever the assignment says."""
    assignment = AssignmentFactory(reviewer=reviewer_a, application=app)
    client.force_login(reviewer_a)
    assert client.get(page(assignment)).status_code == 200
    Conflict.objects.create(reviewer=reviewer_a, application=app, source=ConflictSource.ORGANISER, reason="Advisor")
    assert client.get(page(assignment)).status_code == 404
    assert client.get(reverse("applications:deck", kwargs={"pk": app.pk})).status_code == 404


def test_scoring_page_frames_the_inline_deck_and_only_it_may_frame(client, call, app, reviewer_a):
    from tests.security.test_headers import EXPECTED_CSP, parse_csp

    assignment = AssignmentFactory(reviewer=reviewer_a, application=app)
    client.force_login(reviewer_a)

    response = client.get(page(assignment))

    text = response.content.decode()
    inline = reverse("applications:deck_inline", kwargs={"pk": app.pk})
    assert f'<iframe class="review-deck-viewer" src="{inline}"' in text
    assert 'title="Pitch deck of Sillon"' in text
    assert reverse("applications:deck", kwargs={"pk": app.pk}) in text  # the download is kept
    assert parse_csp(response["Content-Security-Policy"]) == {**EXPECTED_CSP, "frame-src": "'self'"}
    assert response["X-Frame-Options"] == "DENY"  # the page itself is framed by nobody
    # Every other page, the queue included, frames nothing.
    queue = client.get(reverse("admin:reviews_myreview_changelist"))
    assert parse_csp(queue["Content-Security-Policy"]) == EXPECTED_CSP
    assert parse_csp(queue["Content-Security-Policy"])["frame-src"] == "'none'"


def test_each_score_says_what_it_means(client, call, app, reviewer_a):
    assignment = AssignmentFactory(reviewer=reviewer_a, application=app)
    client.force_login(reviewer_a)

    text = client.get(page(assignment)).content.decode()

    criterion = call.criteria.order_by("order").first()
    assert f'<legend>{criterion.name} <span class="quiet">weight {criterion.weight}</span></legend>' in text
    for label in ("1 – weak", "2 – fair", "3 – good", "4 – very good", "5 – excellent"):
        assert label in text


def test_the_queue_counts_reviews_in_words(client, call, app, reviewer_a):
    AssignmentFactory(reviewer=reviewer_a, application=app)
    AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call, startup_name="Klinikon"))
    client.force_login(reviewer_a)

    text = client.get(reverse("admin:reviews_myreview_changelist")).content.decode()

    assert "2 reviews in your queue" in text
    assert "my reviews</p>" not in text.replace("\n", "")
