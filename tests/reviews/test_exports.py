import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.spreadsheet import UTF8_BOM
from reviews import exports
from reviews.models import AssignmentState, Review
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import make_reviewer, submit_review, submitted_app

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(call, reviewer_a, reviewer_b):
    app = submitted_app(call, startup_name='=HYPERLINK("http://evil","click")')
    first = submit_review(AssignmentFactory(reviewer=reviewer_a, application=app), value=5, recommendation="strong_yes")
    second = submit_review(AssignmentFactory(reviewer=reviewer_b, application=app), value=2, recommendation="no")
    Review.objects.create(assignment=AssignmentFactory(application=app))  # a draft: not exported
    released = AssignmentFactory(application=app, state=AssignmentState.CONFLICTED)
    Review.objects.create(  # submitted, then the reviewer declared a conflict: does not count
        assignment=released, status="submitted", weighted_score=1.0, submitted_at=first.submitted_at
    )
    return app, first, second


def read_csv(text):
    assert text.startswith(UTF8_BOM)
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_has_one_row_per_submitted_review(call, reviewed, reviewer_a):
    app, first, _second = reviewed
    rows = read_csv("".join(exports.csv_export(call)))

    header, *data = rows
    assert header == [
        "application_id",
        "startup",
        "reviewer_id",
        "reviewer_organisation",
        "Open models",
        "Team",
        "Compute plan",
        "weighted_score",
        "recommendation",
        "confidence",
        "submitted_at",
    ]
    assert len(data) == 2
    mine = next(r for r in data if r[2] == str(reviewer_a.pk))
    assert mine[0] == str(app.pk)
    assert mine[1] == '\'=HYPERLINK("http://evil","click")'  # neutralised for spreadsheets
    assert mine[3] == "Meta"
    assert mine[4:7] == ["5", "5", "4"]  # compute plan is scored out of 4
    assert float(mine[7]) == pytest.approx(first.weighted_score, abs=0.001)
    assert mine[8:10] == ["strong_yes", "2"]
    assert mine[10] == first.submitted_at.isoformat()


def test_json_export(call, reviewed):
    data = json.loads("".join(exports.json_export(call)))
    assert data["call"] == call.slug
    assert [c["name"] for c in data["criteria"]] == ["Open models", "Team", "Compute plan"]
    assert len(data["reviews"]) == 2
    review = data["reviews"][0]
    assert set(review) == {
        "application_id",
        "startup",
        "reviewer_id",
        "reviewer_organisation",
        "scores",
        "weighted_score",
        "recommendation",
        "confidence",
        "submitted_at",
    }
    assert review["startup"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet: kept as typed


def test_empty_call_exports_a_header_and_valid_json(call):
    assert len(read_csv("".join(exports.csv_export(call)))) == 1
    assert json.loads("".join(exports.json_export(call)))["reviews"] == []


def count_queries(call, fmt):
    with CaptureQueriesContext(connection) as queries:
        for _chunk in exports.export(call, fmt):
            pass
    return len(queries)


def test_export_runs_a_constant_number_of_queries(call, reviewed, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 3)
    small = {fmt: count_queries(call, fmt) for fmt in exports.FORMATS}
    reviewers = [make_reviewer() for _ in range(3)]
    for _ in range(8):
        app = submitted_app(call)
        for reviewer in reviewers:
            submit_review(AssignmentFactory(reviewer=reviewer, application=app))
    large = {fmt: count_queries(call, fmt) for fmt in exports.FORMATS}
    assert small == large
    assert all(count <= 6 for count in large.values())  # rubric, reviews, scores (+ savepoint in tests)


def test_command_writes_csv_and_json(call, reviewed, tmp_path, capsys):
    target = tmp_path / "reviews.csv"
    call_command("export_reviews", call.slug, "--format", "csv", "--output", str(target))
    assert len(read_csv(target.read_text(encoding="utf-8"))) == 3

    call_command("export_reviews", call.slug, "--format", "json")
    assert len(json.loads(capsys.readouterr().out)["reviews"]) == 2


def test_admin_export_for_organisers_only(client, call, reviewed, organiser, reviewer_a):
    url = reverse("admin:reviews_review_export")
    client.force_login(reviewer_a)
    assert client.get(url, {"call": call.pk, "format": "csv"}).status_code == 403

    client.force_login(organiser)
    form = client.get(url, {"call": call.pk})
    assert form.status_code == 200 and "Download" in form.content.decode()
    response = client.get(url, {"call": call.pk, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="reviews-{call.slug}.csv"'
    assert len(read_csv(b"".join(response.streaming_content).decode())) == 3


def test_export_action_on_calls(client, call, reviewed, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("admin:calls_call_changelist"), {"action": "export_reviews_json", "_selected_action": [call.pk]}
    )
    assert response["Content-Type"] == "application/json"
    assert len(json.loads(b"".join(response.streaming_content))["reviews"]) == 2
