"""Panel scoring: the reviews' rules for interviews (only one's own panel, conflicts, hidden scores,
the lock after the interview day plus the delay) and the no-show outcome."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from interviews import scoring
from interviews.models import Outcome, PanelScoreSheet, SheetStatus
from reviews.models import Conflict, ConflictSource
from tests.factories.applications import TeamMemberFactory
from tests.factories.cohorts import organiser
from tests.factories.interviews import (
    BookingFactory,
    InterviewCallFactory,
    InterviewCriterionFactory,
    InvitationFactory,
    PanelMemberFactory,
    SlotFactory,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def call():
    call = InterviewCallFactory(interview_scoring_closes_after_hours=48)
    InterviewCriterionFactory(call=call, name="Pitch", weight=3, order=0)
    InterviewCriterionFactory(call=call, name="Team", weight=1, order=1, scale_max=4)
    return call


@pytest.fixture
def panel():
    return [
        PanelMemberFactory(email="ana@panel.example", username="ana@panel.example"),
        PanelMemberFactory(email="ben@panel.example", username="ben@panel.example"),
    ]


def interview(call, panel, *, starts_at=None, **application):
    fields = {f"application__{key}": value for key, value in application.items()}
    invitation = InvitationFactory(call=call, application__call=call, **fields)
    slot = SlotFactory(call=call, panel=panel, **({"starts_at": starts_at} if starts_at else {}))
    BookingFactory(invitation=invitation, slot=slot)
    return invitation


def scores(call, value=4):
    return {c.pk: min(value, c.scale_max) for c in call.interview_criteria.all()}


def test_a_panel_member_scores_their_interview_and_the_weighted_score_is_stored(call, panel):
    invitation = interview(call, panel)
    pitch, team = call.interview_criteria.order_by("order")
    sheet = scoring.save_sheet(invitation, by=panel[0], scores={pitch.pk: 5, team.pk: 1}, submit=True)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.submitted_at
    assert sheet.weighted_score == pytest.approx((3 * 5 + 1 * 1) / 4)
    # A submitted sheet can still change until scoring closes, and stays submitted.
    sheet = scoring.save_sheet(invitation, by=panel[0], scores={pitch.pk: 4, team.pk: 4})
    assert sheet.status == SheetStatus.SUBMITTED and sheet.weighted_score == pytest.approx(4.0)


def test_a_draft_may_be_partial_but_a_submission_needs_every_score(call, panel):
    invitation = interview(call, panel)
    pitch, team = call.interview_criteria.order_by("order")
    sheet = scoring.save_sheet(invitation, by=panel[0], scores={pitch.pk: 2, team.pk: None})
    assert sheet.status == SheetStatus.DRAFT and sheet.weighted_score is None
    with pytest.raises(ValidationError) as error:
        scoring.save_sheet(invitation, by=panel[0], scores={pitch.pk: 2, team.pk: None}, submit=True)
    assert f"criterion_{team.pk}" in error.value.message_dict
    with pytest.raises(ValidationError):
        scoring.save_sheet(invitation, by=panel[0], scores={pitch.pk: 2, team.pk: 5}, submit=True)  # scale is 4


def test_only_the_slots_panel_scores(call, panel):
    invitation = interview(call, panel)
    other_panel = PanelMemberFactory()
    interview(call, [other_panel])
    with pytest.raises(PermissionDenied):
        scoring.save_sheet(invitation, by=other_panel, scores=scores(call), submit=True)
    with pytest.raises(PermissionDenied):
        scoring.save_sheet(invitation, by=organiser(), scores=scores(call), submit=True)


def test_a_conflict_found_as_for_reviews_keeps_the_member_out(call, panel):
    # A founder shares the member's e-mail domain: the reviews' detection records it when the
    # startup books the member's slot.
    insider = PanelMemberFactory(email="chloe@mistral.ai", username="chloe@mistral.ai")
    invitation = InvitationFactory(call=call, application__call=call)
    TeamMemberFactory(application=invitation.application, email="ceo@mistral.ai")
    BookingFactory(invitation=invitation, slot=SlotFactory(call=call, panel=[insider, *panel]))
    conflict = Conflict.objects.get(reviewer=insider, application=invitation.application)
    assert conflict.source == ConflictSource.EMAIL_DOMAIN
    assert not scoring.may_score(insider, invitation)
    with pytest.raises(PermissionDenied):
        scoring.save_sheet(invitation, by=insider, scores=scores(call), submit=True)
    assert scoring.may_score(panel[0], invitation)


def test_a_conflict_found_when_the_member_joins_the_panel_later(call, panel):
    invitation = interview(call, panel)
    TeamMemberFactory(application=invitation.application, email="cto@huggingface.co")
    late = PanelMemberFactory(email="dan@huggingface.co", username="dan@huggingface.co")
    invitation.booking.slot.panel.add(late)
    assert Conflict.objects.filter(reviewer=late, application=invitation.application).exists()


def test_a_member_declares_a_conflict_and_the_interview_leaves_their_list(client, call, panel):
    invitation = interview(call, panel)
    client.force_login(panel[0])
    url = reverse("admin:interviews_panelinterview_conflict", args=[invitation.pk])
    response = client.post(url, {"reason": "I advised the founders last year."})
    assert response.status_code == 302
    assert Conflict.objects.get(reviewer=panel[0], application=invitation.application).source == "reviewer"
    listing = client.get(reverse("admin:interviews_panelinterview_changelist"))
    assert reverse("admin:interviews_panelinterview_change", args=[invitation.pk]) not in listing.content.decode()
    page = client.get(reverse("admin:interviews_panelinterview_change", args=[invitation.pk]))
    assert page.status_code == 404


def test_sheets_lock_after_the_last_interview_day_plus_the_delay(call, panel):
    last_day = dt.datetime(2031, 4, 2, 16, 0, tzinfo=PARIS)
    invitation = interview(call, panel, starts_at=last_day)
    midnight = dt.datetime(2031, 4, 3, 0, 0, tzinfo=PARIS)
    scoring.save_sheet(invitation, by=panel[0], scores=scores(call), submit=True, now=midnight)
    before = midnight + dt.timedelta(hours=48) - dt.timedelta(minutes=1)
    scoring.save_sheet(invitation, by=panel[0], scores=scores(call, 2), now=before)
    with pytest.raises(scoring.SheetLocked):
        scoring.save_sheet(invitation, by=panel[0], scores=scores(call, 3), now=midnight + dt.timedelta(hours=48))
    assert PanelScoreSheet.objects.get(panel_member=panel[0]).weighted_score == pytest.approx(2.0)


def test_sheets_lock_once_the_final_ranking_is_locked(call, panel):
    invitation = interview(call, panel)
    call.final_ranking_locked_at = timezone.now()
    call.save(update_fields=["final_ranking_locked_at"])
    with pytest.raises(scoring.SheetLocked):
        scoring.save_sheet(invitation, by=panel[0], scores=scores(call), submit=True)


def test_a_no_show_needs_a_reason_is_recorded_by_the_panel_or_an_organiser_and_is_not_scored(call, panel):
    invitation = interview(call, panel)
    with pytest.raises(ValidationError):
        scoring.record_outcome(invitation, outcome=Outcome.NO_SHOW, by=panel[0], reason=" ")
    with pytest.raises(PermissionDenied):
        scoring.record_outcome(invitation, outcome=Outcome.NO_SHOW, by=PanelMemberFactory(), reason="Absent")
    scoring.record_outcome(invitation, outcome=Outcome.NO_SHOW, by=panel[1], reason="Nobody came, phone off.")
    invitation.refresh_from_db()
    assert invitation.excluded and invitation.outcome_reason == "Nobody came, phone off."
    assert invitation.outcome_recorded_by == panel[1] and invitation.outcome_recorded_at
    with pytest.raises(scoring.SheetLocked):
        scoring.save_sheet(invitation, by=panel[0], scores=scores(call), submit=True)
    # An organiser corrects a mistaken record.
    boss = organiser()
    scoring.record_outcome(invitation, outcome=Outcome.ATTENDED, by=boss, reason="ignored")
    invitation.refresh_from_db()
    assert invitation.outcome == Outcome.ATTENDED and invitation.outcome_reason == ""
    assert invitation.outcome_recorded_by == boss


# The admin page ------------------------------------------------------------------------------


def page(client, invitation):
    return client.get(reverse("admin:interviews_panelinterview_change", args=[invitation.pk]))


def test_a_member_lists_and_opens_only_their_panels_interviews(client, call, panel):
    mine = interview(call, panel, startup_name="Mine AI")
    theirs = interview(call, [PanelMemberFactory()], startup_name="Theirs AI")
    client.force_login(panel[0])
    listing = client.get(reverse("admin:interviews_panelinterview_changelist")).content.decode()
    assert "Mine AI" in listing and "Theirs AI" not in listing
    assert page(client, mine).status_code == 200
    assert page(client, theirs).status_code == 404


def test_the_page_has_labelled_radio_groups_and_a_submit_button(client, call, panel):
    invitation = interview(call, panel)
    client.force_login(panel[0])
    html = page(client, invitation).content.decode()
    pitch = call.interview_criteria.get(name="Pitch")
    assert "<legend>Pitch" in html
    assert f'<label for="id_criterion_{pitch.pk}_0"><input type="radio" name="criterion_{pitch.pk}" value="1"' in html
    # Each radio says what its value means, as on the review page.
    assert '<span class="review-point">1 – weak</span>' in html
    assert f'<span class="review-point">{pitch.scale_max} – excellent</span>' in html
    assert 'name="_submit" value="Submit scores"' in html
    assert "(Paris time)" in html and "STATION F — Room 2" in html


def test_others_scores_are_hidden_until_ones_own_sheet_is_submitted(client, call, panel):
    invitation = interview(call, panel)
    scoring.save_sheet(invitation, by=panel[1], scores=scores(call, 2), comments="Shaky demo.", submit=True)
    client.force_login(panel[0])
    html = page(client, invitation).content.decode()
    assert "Shaky demo." not in html and "shown once you submit yours" in html
    fields = {f"criterion_{pk}": str(value) for pk, value in scores(call, 4).items()}
    response = client.post(
        reverse("admin:interviews_panelinterview_change", args=[invitation.pk]), {**fields, "_submit": "1"}
    )
    assert response.status_code == 302
    html = page(client, invitation).content.decode()
    assert "Shaky demo." in html and "2.00" in html
    assert PanelScoreSheet.objects.get(panel_member=panel[0]).weighted_score == pytest.approx(4.0)


def test_an_organiser_off_the_panel_reads_every_sheet_and_records_a_no_show(client, call, panel):
    invitation = interview(call, panel)
    scoring.save_sheet(invitation, by=panel[1], scores=scores(call, 2), comments="Shaky demo.", submit=True)
    client.force_login(organiser())
    html = page(client, invitation).content.decode()
    assert "Shaky demo." in html and 'name="_submit"' not in html
    url = reverse("admin:interviews_panelinterview_outcome", args=[invitation.pk])
    refused = client.post(url, {"outcome": Outcome.NO_SHOW, "reason": ""})
    assert refused.status_code == 200 and "Say briefly what happened" in refused.content.decode()
    client.post(url, {"outcome": Outcome.NO_SHOW, "reason": "Cancelled the night before."})
    invitation.refresh_from_db()
    assert invitation.outcome == Outcome.NO_SHOW


def test_a_locked_sheet_is_read_only(client, call, panel):
    past = timezone.now() - dt.timedelta(days=10)
    invitation = interview(call, panel, starts_at=past)
    PanelScoreSheet.objects.create(invitation=invitation, panel_member=panel[0])
    client.force_login(panel[0])
    html = page(client, invitation).content.decode()
    assert "Interview scoring has closed" in html and 'name="_submit"' not in html
    fields = {f"criterion_{pk}": str(value) for pk, value in scores(call).items()}
    client.post(reverse("admin:interviews_panelinterview_change", args=[invitation.pk]), {**fields, "_submit": "1"})
    assert PanelScoreSheet.objects.get(panel_member=panel[0]).status == SheetStatus.DRAFT


def test_the_list_keeps_its_query_count_whatever_the_number_of_interviews(
    client, call, panel, django_assert_max_num_queries
):
    for _ in range(3):
        interview(call, panel)
    client.force_login(panel[0])
    url = reverse("admin:interviews_panelinterview_changelist")
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for _ in range(6):
        interview(call, panel)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_panel_member_downloads_the_deck_of_their_interview_only(call, panel):
    from applications.access import readable_applications

    mine = interview(call, panel)
    theirs = interview(call, [PanelMemberFactory()])
    readable = set(readable_applications(panel[0]).values_list("pk", flat=True))
    assert mine.application_id in readable and theirs.application_id not in readable


def test_a_panel_member_finds_their_interviews_on_the_admin_home(client, call, panel):
    soon = timezone.now() + dt.timedelta(days=2)
    interview(call, panel, starts_at=soon, startup_name="Soon AI")
    done = interview(call, panel, starts_at=soon + dt.timedelta(hours=1))
    scoring.save_sheet(done, by=panel[0], scores=scores(call), submit=True)
    client.force_login(panel[0])
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 interview to score" in html and "2 on your panels" in html
    assert "Next interview: Soon AI" in html and "(Paris time)" in html
    assert reverse("admin:interviews_panelinterview_changelist") in html
    client.force_login(PanelMemberFactory())
    assert "interviews to score" not in client.get(reverse("admin:index")).content.decode()
