import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.deck_validation import validate_pitch_deck
from tests.applications.helpers import minimal_pdf, pdf_of_size, pdf_with, post_data, raw_pdf, url

pytestmark = pytest.mark.django_db
TWENTY_MB = 20 * 1024 * 1024


def upload(content: bytes, name="deck.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def rejection(content: bytes, name="deck.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_pitch_deck(upload(content, name))
    return caught.value


def test_a_plain_pdf_is_accepted_whatever_its_name():
    assert validate_pitch_deck(upload(minimal_pdf(), name="deck")) == 1


def test_exactly_twenty_megabytes_is_accepted_one_byte_more_is_not():
    exact = pdf_of_size(TWENTY_MB)
    assert len(exact) == TWENTY_MB
    assert validate_pitch_deck(upload(exact)) == 1
    error = rejection(pdf_of_size(TWENTY_MB + 1))
    assert error.code == "too_big"
    assert "at most 20.0\xa0MB" in error.messages[0]


def test_not_a_pdf():
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    error = rejection(png)
    assert error.code == "not_pdf"
    assert "This file is not a PDF" in error.messages[0]


def test_renamed_executable_is_rejected():
    assert rejection(b"MZ\x90\x00\x03" + b"\0" * 500, name="deck.pdf").code == "not_pdf"
    assert rejection(b"\x7fELF\x02\x01\x01" + b"\0" * 500, name="pitch.pdf").code == "not_pdf"


def test_fake_pdf_with_a_pdf_header_is_rejected():
    assert rejection(b"%PDF-1.7\nthis is not really a pdf\n").code == "unreadable"


def test_empty_file_is_rejected():
    assert rejection(b"").code == "empty"


@pytest.mark.parametrize(
    ("kind", "marker"),
    [
        ("javascript", "/JavaScript"),
        ("open_action", "/OpenAction"),
        ("launch", "/Launch"),
        ("additional_actions", "/AA"),
        ("embedded_file", "/EmbeddedFiles"),
    ],
)
def test_active_content_is_rejected(kind, marker):
    error = rejection(pdf_with(kind))
    assert error.code == "active_content"
    assert marker in error.messages[0]
    assert "active content" in error.messages[0]


def test_javascript_hidden_behind_an_escaped_name_is_rejected():
    # "/J#61vaScript" is "/JavaScript" with the "a" written as a hex escape.
    pdf = raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R/Names<</J#61vaScript 4 0 R>>>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>",
        b"<</Names[(a) 5 0 R]>>",
        b"<</S/J#61vaScript/J#53(app.alert(1))>>",
    )
    error = rejection(pdf)
    assert error.code == "active_content" and "/JavaScript" in error.messages[0]
    assert (
        validate_pitch_deck(
            upload(
                raw_pdf(
                    b"<</Type/Catalog/Pages 2 0 R>>",
                    b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
                    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>",
                )
            )
        )
        == 1
    )


@pytest.mark.parametrize(
    "link",
    [
        "javascript:app.alert(1)",
        "JavaScript:this.print()",
        " java\tscript:app.alert(1)",
        b"javascript:app.alert(1)",
        "file:///C:/Windows/System32/calc.exe",
        "smb://198.51.100.7/share/deck.pdf",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "../../etc/passwd",
        "",
    ],
)
def test_links_other_than_web_and_email_are_refused(link):
    error = rejection(pdf_with("link_annotation", link=link))
    assert error.code == "unsafe_link"
    assert "which is not a web (http, https) or e-mail (mailto) address" in error.messages[0]


@pytest.mark.parametrize(
    "link", ["https://kitchen.example.eu/demo", "http://example.org", "HTTPS://Example.org", "mailto:team@example.eu"]
)
def test_web_and_email_links_are_accepted(link):
    assert validate_pitch_deck(upload(pdf_with("link_annotation", link=link))) == 1


def test_a_refused_link_is_named_and_cut_to_one_line():
    error = rejection(pdf_with("link_annotation", link="javascript:" + "x" * 200 + "\n"))
    assert "“javascript:" + "x" * 68 + "…”" in error.messages[0]


@pytest.mark.parametrize(
    ("action", "marker"),
    [
        (b"<</S/GoToR/F(\\\\\\\\198.51.100.7\\\\share\\\\deck.pdf)/D[0/Fit]>>", "/GoToR"),
        (b"<</S/GoToE/T<</R/C/N(x)>>>>", "/GoToE"),
        (b"<</S/SubmitForm/F<</FS/URL/F(https://198.51.100.7/collect)>>>>", "/SubmitForm"),
    ],
)
def test_actions_that_reach_other_files_or_servers_are_refused(action, marker):
    pdf = raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]/Annots[4 0 R]>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 5 5]/A " + action + b">>",
    )
    error = rejection(pdf)
    assert error.code == "active_content" and marker in error.messages[0]


def test_link_hidden_in_a_bookmark_is_refused_too():
    pdf = raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R/Outlines 4 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>",
        b"<</Type/Outlines/First 5 0 R/Last 5 0 R/Count 1>>",
        b"<</Title(Demo)/Parent 4 0 R/A<</S/URI/URI(javascript:app.alert\\(1\\))>>>>",
    )
    assert rejection(pdf).code == "unsafe_link"


@pytest.mark.parametrize(
    "appended",
    [
        b"<html><script>alert(1)</script></html>",
        b"\n<html><body>hello</body></html>\n",
        b"PK\x05\x06" + b"\0" * 18,  # an (empty) ZIP archive's end record
        b"x",
    ],
)
def test_data_after_the_final_eof_is_refused(appended):
    error = rejection(minimal_pdf() + appended)
    assert error.code == "data_after_end"
    assert "data after its end-of-file marker" in error.messages[0]


def test_line_ends_after_the_final_eof_are_fine():
    pdf = minimal_pdf()
    assert pdf.rstrip().endswith(b"%%EOF")
    for ending in (b"", b"\n", b"\r\n", b"\r\n\r\n  \0"):
        assert validate_pitch_deck(upload(pdf.rstrip() + ending)) == 1


def test_a_pdf_updated_in_place_keeps_its_earlier_eof_markers():
    # An incremental update appends objects, a new xref and a second %%EOF: that is still a PDF.
    original = raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>",
    )
    previous_xref = int(original.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    offset = len(original)
    update = b"3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 20 20]>>\nendobj\n"
    xref = offset + len(update)
    update += b"xref\n3 1\n%010d 00000 n \n" % offset
    update += b"trailer<</Size 4/Root 1 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (previous_xref, xref)
    assert validate_pitch_deck(upload(original + update)) == 1


def test_the_form_refuses_such_files_in_the_founders_language(client, draft):
    draft.owner.language = "fr"
    draft.owner.save(update_fields=["language"])
    client.force_login(draft.owner)
    cases = [
        (pdf_with("link_annotation", link="javascript:alert(1)"), "contient un lien vers « javascript:alert(1) »"),
        (minimal_pdf() + b"<html></html>", "contient des données après sa marque de fin de fichier"),
    ]
    for content, message in cases:
        data = post_data(draft)
        data["pitch_deck"] = upload(content)
        response = client.post(url("edit", draft), data)
        assert response.status_code == 400
        assert message in response.content.decode()
        draft.refresh_from_db()
        assert not draft.pitch_deck


def test_opening_on_a_page_is_not_active_content():
    # What LaTeX/Beamer writes: /OpenAction [page /Fit]; harmless, so accepted.
    assert validate_pitch_deck(upload(pdf_with("open_destination"))) == 1


def test_the_form_shows_each_rejection_to_the_founder(client, draft):
    client.force_login(draft.owner)
    cases = [
        (b"MZ\x90\x00" + b"\0" * 100, "This file is not a PDF."),
        (pdf_with("javascript"), "This PDF contains active content (/JavaScript)"),
    ]
    for content, message in cases:
        data = post_data(draft)
        data["pitch_deck"] = upload(content)
        response = client.post(url("edit", draft), data)
        assert response.status_code == 400
        assert message in response.content.decode()
        draft.refresh_from_db()
        assert not draft.pitch_deck


def test_too_big_upload_through_the_form(client, draft, settings):
    settings.PITCH_DECK_MAX_BYTES = 1024
    client.force_login(draft.owner)
    data = post_data(draft)
    data["pitch_deck"] = upload(minimal_pdf() + b"\n" * 2048)
    response = client.post(url("edit", draft), data)
    assert response.status_code == 400
    # Stopped while arriving: nothing past the limit is written, and the founder is told why.
    assert "This file is over 1.0\xa0KB, the limit for a pitch deck." in response.content.decode()
    draft.refresh_from_db()
    assert not draft.pitch_deck


def test_the_form_still_checks_csrf(draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(draft.owner)
    assert client.post(url("edit", draft), post_data(draft, city="Forged")).status_code == 403
    draft.refresh_from_db()
    assert draft.city == ""
