import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.exports import rows as export_rows
from cohorts.models import ExportJob
from cohorts.offers import services as offers
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.factories.cohorts import locked_shortlist, organiser
from tests.factories.reviews import AssignmentFactory, ReviewFactory

pytestmark = pytest.mark.django_db

HEADERS = [str(label) for _key, label in export_rows.COLUMNS]


@pytest.fixture
def selection():
    """A call after selection: five offers, two accepted, one declined and its seat re-offered."""
    call, apps = locked_shortlist(shortlisted=5, waitlisted=2, ranked=2)
    first = apps[0]
    first.startup_name = "Écoute IA"
    first.city = "Saint-Étienne"
    first.foundation_models = ["llama", "mistral", "other"]
    first.foundation_models_other = "Phi-3"
    first.gpu_hours_per_month = 1200
    first.data_must_stay_in_eu = True
    first.save()
    TeamMemberFactory(application=first, name="Zoë Lévy", role="CTO", email="zoe@ecoute.example", order=5)
    apps[1].data_must_stay_in_eu = False
    apps[1].save()
    for score in (4.0, 5.0):
        ReviewFactory(assignment=AssignmentFactory(application=first), weighted_score=score)
    sent = offers.send_offers(call)
    offers.respond(sent[0], accept=True, by=first.owner)
    offers.respond(sent[1], accept=True, by=apps[1].owner)
    offers.respond(sent[2], accept=False, by=apps[2].owner)
    ApplicationFactory(call=call)  # a draft: never exported
    return call, apps


def csv_rows(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8")[1:]
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # RFC 4180 line ends
    return list(csv.reader(io.StringIO(text, newline="")))


def expected(app, call, **overrides):
    app.refresh_from_db()
    members = list(app.team_members.order_by("order", "id"))
    offer = getattr(app, "offer", None)
    row = {
        "startup": app.startup_name,
        "country_code": str(app.country.code),
        "country": str(app.country.name),
        "city": app.city,
        "website": app.website,
        "founders": "; ".join(m.name for m in members),
        "founder_emails": "; ".join(m.email for m in members),
        "founder_roles": "; ".join(m.role for m in members),
        "status": str(app.get_status_display()),
        "offer": str(offer.get_status_display()) if offer else "",
        "application_id": app.pk,
    }
    row.update(overrides)
    return row


def fetch(client, call, scope, fmt):
    client.force_login(organiser())
    url = reverse("admin:cohorts_call_export_file", args=[call.pk])
    return client.get(url, {"scope": scope, "format": fmt})


def test_cohort_csv_reads_back_field_by_field(client, selection):
    call, apps = selection
    response = fetch(client, call, "cohort", "csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{call.slug}-cohort-' in response["Content-Disposition"]
    table = csv_rows(b"".join(response.streaming_content))
    header, body = table[0], table[1:]
    assert header[:-2] == HEADERS[:-2] and header[-2].startswith("Submitted (Paris time)")
    got = [dict(zip(export_rows.KEYS, line, strict=True)) for line in body]
    assert [int(r["application_id"]) for r in got] == [apps[0].pk, apps[1].pk]
    first = expected(apps[0], call)
    for key, value in first.items():
        assert got[0][key] == str(value), key
    assert got[0]["city"] == "Saint-Étienne" and got[0]["startup"] == "Écoute IA"
    assert got[0]["models"] == "Llama; Mistral; Phi-3"
    assert got[0]["gpu_hours_per_month"] == "1200"
    assert got[0]["data_must_stay_in_eu"] == "yes" and got[1]["data_must_stay_in_eu"] == "no"
    assert got[0]["rank"] == "1" and got[0]["list"] == "Shortlist"
    assert got[0]["mean_score"] == "4.5" and got[0]["reviews"] == "2"
    assert got[0]["score"] == "4.9"
    assert got[0]["founders"].endswith("; Zoë Lévy") and got[0]["founder_roles"] == "CEO; CTO"


def test_shortlist_json_has_ranks_lists_and_structured_values(client, selection):
    call, apps = selection
    response = fetch(client, call, "shortlist", "json")
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(b"".join(response.streaming_content))
    assert document["call"] == call.slug and document["scope"] == "shortlist"
    assert [r["application_id"] for r in document["rows"]] == [a.pk for a in apps[:7]]
    assert [r["rank"] for r in document["rows"]] == [1, 2, 3, 4, 5, 6, 7]
    assert [r["list"] for r in document["rows"]] == ["shortlist"] * 5 + ["waitlist"] * 2
    first = document["rows"][0]
    assert first["founders"][-1] == {"name": "Zoë Lévy", "email": "zoe@ecoute.example", "role": "CTO"}
    assert first["models"] == ["Llama", "Mistral", "Phi-3"]
    assert first["data_must_stay_in_eu"] is True and first["gpu_hours_per_month"] == 1200
    assert first["status"] == "accepted" and first["offer"] == "accepted"
    assert document["rows"][2]["status"] == "declined"
    assert document["rows"][5]["offer"] == "pending"  # promoted from the waitlist
    for row, app in zip(document["rows"], apps[:7], strict=True):
        exp = expected(app, call)
        assert row["startup"] == exp["startup"] and row["city"] == exp["city"] and row["website"] == exp["website"]
        assert [m["email"] for m in row["founders"]] == exp["founder_emails"].split("; ")


def test_submitted_xlsx_reads_back_field_by_field(client, selection):
    call, apps = selection
    client.force_login(organiser())
    response = client.post(reverse("admin:cohorts_call_export_xlsx", args=[call.pk]), {"scope": "submitted"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"{call.slug}-submitted-" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0][:-2] == HEADERS[:-2]
    got = [dict(zip(export_rows.KEYS, line, strict=True)) for line in table[1:]]
    assert sorted(r["application_id"] for r in got) == sorted(a.pk for a in apps)  # the draft is left out
    by_id = {r["application_id"]: r for r in got}
    for app in apps:
        exp = expected(app, call)
        for key, value in exp.items():
            assert (by_id[app.pk][key] or "") == value, (app.pk, key)
    assert by_id[apps[0].pk]["gpu_hours_per_month"] == 1200  # numbers stay numbers
    assert by_id[apps[0].pk]["mean_score"] == 4.5
    assert by_id[apps[8].pk]["list"] == "Ranked below"


@pytest.mark.parametrize("scope", ["cohort", "shortlist", "submitted"])
def test_every_scope_in_every_format_agrees(client, selection, scope):
    call, _apps = selection
    csv_ids = [int(r[-1]) for r in csv_rows(b"".join(fetch(client, call, scope, "csv").streaming_content))[1:]]
    doc = json.loads(b"".join(fetch(client, call, scope, "json").streaming_content))
    response = client.post(reverse("admin:cohorts_call_export_xlsx", args=[call.pk]), {"scope": scope})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    xlsx_ids = [r[-1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert csv_ids == [r["application_id"] for r in doc["rows"]] == xlsx_ids
    assert len(csv_ids) == {"cohort": 2, "shortlist": 7, "submitted": 9}[scope]


PAYLOADS = {
    "startup_name": '=HYPERLINK("http://evil.example","Click")',
    "city": " =1+1",
    "website": "+33 1 23 45",
    "foundation_models_other": "\t=cmd|' /C calc'!A0",
}


def test_formulas_are_neutralised_in_every_text_cell_of_csv_and_xlsx(client):
    call, apps = locked_shortlist(shortlisted=1, waitlisted=0, ranked=0)
    app = apps[0]
    for field, value in PAYLOADS.items():
        setattr(app, field, value)
    app.foundation_models = ["other"]
    app.save()
    app.team_members.all().delete()
    TeamMemberFactory(application=app, name="@SUM(1+1)", email="-2+3@x.example", role="\rCEO")
    client.force_login(organiser())
    table = csv_rows(b"".join(fetch(client, call, "submitted", "csv").streaming_content))
    response = client.post(reverse("admin:cohorts_call_export_xlsx", args=[call.pk]), {"scope": "submitted"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    xlsx = [list(r) for r in sheet.iter_rows(values_only=True)]
    for line in (table[1], xlsx[1]):
        row = dict(zip(export_rows.KEYS, line, strict=True))
        assert row["startup"] == "'" + PAYLOADS["startup_name"]
        assert row["city"] == "' =1+1"
        assert row["website"] == "'+33 1 23 45"
        assert row["models"] == "'" + PAYLOADS["foundation_models_other"].strip()
        assert row["founders"] == "'@SUM(1+1)"
        assert row["founder_emails"] == "'-2+3@x.example"
        assert row["founder_roles"].replace("\n", "\r") == "'\rCEO"  # XML turns CR into LF
        for value in line:
            if isinstance(value, str) and value:
                assert value.lstrip(" ")[0] not in "=+-@\t\r", value
    # no cell of the workbook is stored as a formula
    raw = openpyxl.load_workbook(
        io.BytesIO(
            b"".join(
                client.post(
                    reverse("admin:cohorts_call_export_xlsx", args=[call.pk]), {"scope": "submitted"}
                ).streaming_content
            )
        )
    )
    assert all(cell.data_type != "f" for row in raw.active.iter_rows() for cell in row)
    # JSON is not opened by spreadsheets: values are exact
    doc = json.loads(b"".join(fetch(client, call, "submitted", "json").streaming_content))
    assert doc["rows"][0]["startup"] == PAYLOADS["startup_name"]


def test_streamed_export_uses_a_constant_number_of_queries(client, selection):
    call, _apps = selection
    client.force_login(organiser())
    url = reverse("admin:cohorts_call_export_file", args=[call.pk])

    def queries_for_export():
        with CaptureQueriesContext(connection) as ctx:
            b"".join(client.get(url, {"scope": "submitted", "format": "csv"}).streaming_content)
        return len(ctx.captured_queries)

    queries_for_export()  # the first request of a session also records the staff activity time
    few = queries_for_export()
    for _ in range(25):
        app = ApplicationFactory(call=call, submitted=True)
        TeamMemberFactory.create_batch(2, application=app)
    assert queries_for_export() == few


def test_small_chunks_still_fetch_team_members_per_chunk(selection, django_assert_max_num_queries):
    call, _apps = selection
    with django_assert_max_num_queries(2 * 5 + 2):  # 9 rows in chunks of 2: application + members per chunk
        records = list(export_rows.records(call, "submitted", chunk_size=2, by=None))
    assert len(records) == 9


@pytest.mark.usefixtures("deck_storage")  # the built file goes to the private storage: folder or bucket
def test_large_xlsx_is_built_in_the_background_with_progress(
    client, selection, settings, django_capture_on_commit_callbacks
):
    call, _apps = selection
    settings.COHORT_EXPORT_XLSX_INLINE_MAX_ROWS = 3
    client.force_login(organiser())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("admin:cohorts_call_export_xlsx", args=[call.pk]), {"scope": "submitted"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:cohorts_exportjob_progress", args=[job.pk])
    page = client.get(response.url)
    assert page.status_code == 200 and "export_progress.js" in page.content.decode()
    status = client.get(reverse("admin:cohorts_exportjob_status", args=[job.pk])).json()
    assert status["status"] == "queued" and status["total"] == 9 and status["download_url"] is None
    assert client.get(reverse("admin:cohorts_exportjob_download", args=[job.pk])).status_code == 404
    for callback in callbacks:
        callback()  # the task runs (eagerly) once the request's transaction committed
    status = client.get(reverse("admin:cohorts_exportjob_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100 and status["done"] == 9
    download = client.get(status["download_url"])
    assert download.status_code == 200 and f"{call.slug}-submitted-" in download["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 10
    from cohorts.exports.services import build_job

    assert build_job(job.pk) is False  # a redelivered task leaves a finished job alone


def test_get_never_changes_data(client, selection):
    call, _apps = selection
    client.force_login(organiser())
    url = reverse("admin:cohorts_call_export_file", args=[call.pk])
    response = client.get(url, {"scope": "submitted", "format": "xlsx"})
    assert response.status_code == 302 and not ExportJob.objects.exists()
    assert client.get(reverse("admin:cohorts_call_export_xlsx", args=[call.pk])).status_code == 405
    assert client.get(url, {"scope": "everything", "format": "csv"}).status_code == 404


@pytest.mark.parametrize("name", ["cohorts_call_exports", "cohorts_call_export_file"])
def test_only_organisers_export(client, selection, name):
    call, _apps = selection
    url = reverse(f"admin:{name}", args=[call.pk]) + "?scope=cohort&format=csv"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(call.applications.first().owner)  # a founder
    assert client.get(url).status_code == 302
    client.force_login(organiser())
    assert client.get(url).status_code == 200


def test_exports_page_lists_scopes_with_counts(client, selection):
    call, _apps = selection
    client.force_login(organiser())
    html = client.get(reverse("admin:cohorts_call_exports", args=[call.pk])).content.decode()
    assert "Cohort (accepted offers)" in html and "Every submitted application" in html
    call_page = client.get(reverse("admin:calls_call_change", args=[call.pk]))
    if call_page.status_code == 200:  # organisers' model permissions come from the group setup
        assert reverse("admin:cohorts_call_exports", args=[call.pk]) in call_page.content.decode()


def test_superuser_call_page_has_the_buttons(admin_client, selection):
    call, _apps = selection
    html = admin_client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    for name in ("cohorts_call_dashboard", "cohorts_call_offers", "cohorts_call_exports"):
        assert reverse(f"admin:{name}", args=[call.pk]) in html


def test_export_action_on_selected_applications(admin_client, selection):
    _call, apps = selection
    response = admin_client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_selected_csv", "_selected_action": [apps[0].pk, apps[3].pk]},
    )
    table = csv_rows(b"".join(response.streaming_content))
    assert sorted(int(r[-1]) for r in table[1:]) == sorted([apps[0].pk, apps[3].pk])
    assert "-selection-" in response["Content-Disposition"]


def test_export_action_refused_to_non_organisers(client, selection):
    _call, apps = selection
    staff = UserFactory(is_staff=True, is_superuser=False)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_application"))
    client.force_login(staff)
    response = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "export_selected_csv", "_selected_action": [apps[0].pk]},
        follow=True,
    )
    assert "Only organisers may export" in response.content.decode()


def test_command_writes_each_format(selection, tmp_path):
    call, apps = selection
    out = tmp_path / "cohort.csv"
    call_command("export_cohort", call.slug, "--scope", "cohort", "--format", "csv", "--output", str(out))
    table = csv_rows(out.read_bytes())
    assert [int(r[-1]) for r in table[1:]] == [apps[0].pk, apps[1].pk]
    out = tmp_path / "list.xlsx"
    call_command("export_cohort", call.slug, "--scope", "shortlist", "--format", "xlsx", "--output", str(out))
    assert openpyxl.load_workbook(out).active.max_row == 8
    out = tmp_path / "all.json"
    call_command("export_cohort", call.slug, "--scope", "submitted", "--format", "json", "--output", str(out))
    assert len(json.loads(out.read_text())["rows"]) == 9
    out = tmp_path / "fr.csv"
    call_command("export_cohort", call.slug, "--format", "csv", "--language", "fr", "--output", str(out))
    assert csv_rows(out.read_bytes())[0][2] == "Startup"


def test_command_refuses_an_unknown_call():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No call"):
        call_command("export_cohort", "nope")
