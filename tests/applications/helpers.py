"""Building blocks for application tests: complete answers, form posts, PDFs."""

import datetime as dt
import io

from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from applications.answers import ANSWER_FIELDS
from applications.models import TeamMember

COMPLETE = {
    "startup_name": "Mistral Kitchen",
    "website": "https://kitchen.example.eu",
    "country": "FR",
    "city": "Paris",
    "founded_on": dt.date(2024, 5, 1),
    "legal_form": "sas",
    "team_size": 3,
    "stage": "mvp",
    "funding_raised_eur": 0,
    "problem": "Restaurants waste food.",
    "solution": "A planner fine-tuned from Llama.",
    "target_users": "Restaurant chefs.",
    "foundation_models": ["llama"],
    "hub_usage": "We publish our fine-tunes.",
    "training_plans": "Fine-tune Llama 8B on menus.",
    "gpu_hours_per_month": 500,
    "data_must_stay_in_eu": False,
    "data_kinds": ["none"],
    "traction": "12 pilot restaurants.",
    "revenue_band": "lt10k",
    "motivation": "Compute and mentoring.",
    "available_in_paris": True,
    "privacy_consent": True,
    "accuracy_declaration": True,
}


def minimal_pdf(padding: int = 0) -> bytes:
    """A valid one-page PDF; `padding` bytes of page content make it as large as a test needs."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    if padding:
        content = DecodedStreamObject()
        content.set_data(b" " * padding)
        page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_of_size(size: int) -> bytes:
    padding = max(size - len(minimal_pdf(padding=1)), 1)
    for _ in range(5):  # the /Length number grows with the padding: converge in a few steps
        pdf = minimal_pdf(padding=padding)
        if len(pdf) == size:
            return pdf
        padding += size - len(pdf)
    raise AssertionError("could not build a PDF of that size")


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand from numbered object bodies (1 is the catalog), with a correct xref."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def link_annotation(address) -> DictionaryObject:
    """A clickable area whose action opens `address` (a str, or bytes as some writers store it)."""
    uri = ByteStringObject(address) if isinstance(address, bytes) else TextStringObject(address)
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), FloatObject(50), FloatObject(50)]),
            NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): uri}),
        }
    )


def pdf_with(kind: str, link: str | bytes = "javascript:alert(1)") -> bytes:
    """A one-page PDF carrying one kind of active content (or a harmless page destination, or a
    link annotation to `link`)."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    uri_action = DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("x")})
    if kind == "javascript":
        script = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
        names = ArrayObject([TextStringObject("a"), writer._add_object(script)])
        tree = DictionaryObject({NameObject("/Names"): names})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    elif kind == "open_action":
        writer._root_object[NameObject("/OpenAction")] = uri_action
    elif kind == "open_destination":
        writer._root_object[NameObject("/OpenAction")] = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    elif kind == "launch":
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), FloatObject(50), FloatObject(50)]),
                NameObject("/A"): DictionaryObject(
                    {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
                ),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    elif kind == "additional_actions":
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): uri_action})
    elif kind == "link_annotation":
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(link_annotation(link))])
    elif kind == "embedded_file":
        writer.add_attachment("payload.txt", b"not a deck")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def complete(application, team=1):
    for name, value in COMPLETE.items():
        setattr(application, name, value)
    application.save()
    for i in range(team):
        TeamMember.objects.create(application=application, name=f"Founder {i}", role="CEO", order=i)
    application.pitch_deck.save("deck.pdf", io.BytesIO(minimal_pdf()), save=True)
    return application


def _field_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return value
    return str(value)


def post_data(application, team=None, **changes) -> dict:
    """What the edit form posts for this application as saved, with `changes` applied."""
    data = {"version": str(application.version)}
    values = {name: getattr(application, name) for name in ANSWER_FIELDS}
    values.update(changes)
    for name, value in values.items():
        if name in {"privacy_consent", "accuracy_declaration"}:
            if value:
                data[name] = "on"
            continue
        data[name] = _field_value(value)
    if team is None:
        team = [
            {"name": m.name, "role": m.role, "email": m.email, "profile_url": m.profile_url}
            for m in application.team_members.all()
        ]
    data.update(
        {
            "team-TOTAL_FORMS": str(len(team)),
            "team-INITIAL_FORMS": str(application.team_members.count()),
            "team-MIN_NUM_FORMS": "0",
            "team-MAX_NUM_FORMS": "20",
        }
    )
    for i, row in enumerate(team):
        for key, value in row.items():
            data[f"team-{i}-{key}"] = value
    return data


def url(name, application, **kwargs):
    return reverse(f"applications:{name}", kwargs={"pk": application.pk, **kwargs})
