"""What the fast read path of the cohort lists must keep: which run, which reviews, which labels."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cohorts.exports import rows as export_rows
from cohorts.exports import services
from cohorts.models import Section
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.factories.cohorts import ShortlistEntryFactory, ShortlistRunFactory, locked_shortlist
from tests.factories.reviews import AssignmentFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def by_id(call, scope="submitted"):
    return {rec["application_id"]: rec for rec in export_rows.records(call, scope, by=None)}


def csv_table(call, scope="submitted"):
    content = b"".join(services.stream(call, scope, "csv", by=None).streaming_content).decode("utf-8")[1:]
    return [dict(zip(export_rows.KEYS, line, strict=True)) for line in list(csv.reader(io.StringIO(content)))[1:]]


def test_only_the_locked_run_gives_rank_list_and_score():
    call, apps = locked_shortlist(shortlisted=2, waitlisted=1, ranked=0)
    unlocked = ShortlistRunFactory(call=call, locked_at=None)
    # A newer computation that nobody locked ranks them the other way round: it must not show.
    for rank, app in enumerate(reversed(apps), start=1):
        ShortlistEntryFactory(run=unlocked, application=app, rank=rank, section=Section.RANKED, score=1.0)
    other_call, other_apps = locked_shortlist(shortlisted=1, waitlisted=0, ranked=0)
    outside = ApplicationFactory(call=call, submitted=True)  # submitted, not in the locked run
    ShortlistEntryFactory(run=other_call.shortlist_runs.get(), application=outside, rank=9)

    records = list(export_rows.records(call, "submitted", by=None))
    assert [r["application_id"] for r in records] == [apps[0].pk, apps[1].pk, apps[2].pk, outside.pk]
    assert [r["rank"] for r in records] == [1, 2, 3, None]
    assert [r["list"] for r in records] == ["shortlist", "shortlist", "waitlist", ""]
    assert records[0]["score"] == 4.9 and records[3]["score"] is None
    assert [r["application_id"] for r in export_rows.records(call, "shortlist", by=None)] == [a.pk for a in apps]
    assert export_rows.count(call, "shortlist", by=None) == 3
    assert [r["application_id"] for r in export_rows.records(other_call, "shortlist", by=None)] == [other_apps[0].pk]


def test_only_submitted_reviews_count_and_unreviewed_applications_come_last():
    call, _apps = locked_shortlist(shortlisted=1, waitlisted=0, ranked=0)
    strong, weak, unreviewed = (ApplicationFactory(call=call, submitted=True) for _ in range(3))
    for score in (4.0, 5.0):
        ReviewFactory(assignment=AssignmentFactory(application=strong), weighted_score=score)
    ReviewFactory(assignment=AssignmentFactory(application=strong), status="draft", weighted_score=None)
    ReviewFactory(assignment=AssignmentFactory(application=weak), weighted_score=2.0)
    AssignmentFactory(application=unreviewed)  # assigned, never reviewed

    records = by_id(call)
    assert records[strong.pk]["mean_score"] == 4.5 and records[strong.pk]["reviews"] == 2
    assert records[weak.pk]["mean_score"] == 2.0 and records[weak.pk]["reviews"] == 1
    assert records[unreviewed.pk]["mean_score"] is None and records[unreviewed.pk]["reviews"] == 0
    order = [r["application_id"] for r in export_rows.records(call, "submitted", by=None)]
    assert order[1:] == [strong.pk, weak.pk, unreviewed.pk]  # unranked: by mean score, none last
    assert csv_table(call)[3]["mean_score"] == "" and csv_table(call)[3]["reviews"] == "0"


def test_each_founders_own_model_name_is_kept_though_lists_are_labelled_once():
    call, _apps = locked_shortlist(shortlisted=1, waitlisted=0, ranked=0)
    phi = ApplicationFactory(call=call, submitted=True, foundation_models=["other"], foundation_models_other="Phi-3")
    olmo = ApplicationFactory(call=call, submitted=True, foundation_models=["other"], foundation_models_other=" OLMo ")
    blank = ApplicationFactory(call=call, submitted=True, foundation_models=["llama", "other"])
    unknown = ApplicationFactory(call=call, submitted=True, foundation_models=["gemma", "retired-model"])

    records = by_id(call)
    assert records[phi.pk]["models"] == ["Phi-3"]
    assert records[olmo.pk]["models"] == ["OLMo"]
    assert records[blank.pk]["models"] == ["Llama", "Other"]
    assert records[unknown.pk]["models"] == ["Gemma", "retired-model"]
    cells = {int(r["application_id"]): r["models"] for r in csv_table(call)}
    assert cells[phi.pk] == "Phi-3" and cells[olmo.pk] == "OLMo" and cells[blank.pk] == "Llama; Other"


def test_labels_follow_the_language_of_the_export():
    call, apps = locked_shortlist(shortlisted=1, waitlisted=1, ranked=0)
    apps[0].data_must_stay_in_eu = True
    apps[0].country = "DE"
    apps[0].save()
    with translation.override("fr"):
        records = by_id(call)
        table = csv_table(call)
    assert records[apps[0].pk]["list_label"] == "Présélection"
    assert records[apps[1].pk]["list_label"] == "Liste d’attente"
    assert records[apps[0].pk]["country"] == "Allemagne"
    assert table[0]["data_must_stay_in_eu"] == "oui"


def test_text_a_spreadsheet_would_misread_stays_text():
    call, apps = locked_shortlist(shortlisted=1, waitlisted=0, ranked=0)
    apps[0].city = "#N/A"
    apps[0].save()
    assert csv_table(call)[0]["city"] == "#N/A"
    handle = io.BytesIO()
    services.write_xlsx_file(handle, call, "submitted", by=None)
    sheet = openpyxl.load_workbook(io.BytesIO(handle.getvalue())).active
    city = sheet.cell(row=2, column=export_rows.KEYS.index("city") + 1)
    assert city.value == "#N/A" and city.data_type == "s"  # text, not Excel's error value


def test_one_query_for_the_rows_and_one_per_chunk_for_the_teams():
    call, apps = locked_shortlist(shortlisted=3, waitlisted=2, ranked=2)
    for app in apps:
        TeamMemberFactory(application=app, name=f"Second of {app.pk}", order=1)
    with CaptureQueriesContext(connection) as ctx:
        records = list(export_rows.records(call, "submitted", chunk_size=3, by=None))
    assert len(records) == 7 and len(ctx.captured_queries) == 1 + 3  # 7 rows in chunks of 3
    assert all(len(r["founders"]) == 2 for r in records)
    assert records[0]["founders"][1]["name"] == f"Second of {apps[0].pk}"


def test_the_benchmark_builder_makes_a_decided_call(tmp_path):
    from bench.build_export_data import build

    call = build(20, "bench-test", progress=lambda line: None)
    records = list(export_rows.records(call, "submitted", by=None))
    assert len(records) == 20 and all(r["reviews"] == 3 for r in records)
    assert all(1 <= len(r["founders"]) <= 3 for r in records)
    assert [r["rank"] for r in records] == list(range(1, 21))
    assert export_rows.count(call, "shortlist", by=None) == 15 and export_rows.count(call, "cohort", by=None) == 3
    out = tmp_path / "cohort.csv"
    call_command("export_cohort", call.slug, "--scope", "cohort", "--format", "csv", "--output", str(out))
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 4
