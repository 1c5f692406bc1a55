"""Is an uploaded file a pitch deck we can safely hand to reviewers?

Checked by content, never by name: the first bytes must be a PDF header, nothing but line ends may
follow the final %%EOF (a file with something appended, such as HTML or an archive, is refused, not
trimmed), pypdf must be able to read the pages, and nothing in the document may run on its own
(scripts, launch actions, automatic actions, embedded files, links other than web and e-mail
addresses). Reviewers open these files on their own machines.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Keys whose mere presence means active content.
FORBIDDEN_KEYS = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFiles", "/AA", "/RichMedia", "/XFA"}
# Values of /S (action type), /Type or /Subtype that mean the same. GoToR and GoToE open another
# file (one on a network share, \\host\share, leaks the reader's Windows credentials) and
# SubmitForm sends the form's fields to an address: links only to web pages and e-mail addresses.
FORBIDDEN_NAMES = {
    "/JavaScript",
    "/Launch",
    "/EmbeddedFile",
    "/RichMedia",
    "/FileAttachment",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/SubmitForm",
}
# A deck has far fewer objects; this bounds the time a hostile file can cost us.
MAX_OBJECTS = 300_000
# Links (URI actions) a reviewer's PDF reader may follow: web pages and e-mail addresses only.
ALLOWED_URI_SCHEMES = {"http", "https", "mailto"}
# How much of the end of the file is searched for the final %%EOF.
TAIL_BYTES = 1024 * 1024
# PDF white-space (ISO 32000-1, 7.2.2): the line end after %%EOF, and padding some writers add.
PDF_WHITESPACE = b"\0\t\n\f\r "


class UnsafeLink(Exception):
    """A URI action whose address is not http(s) or mailto (javascript:, file:, a relative path...)."""

    def __init__(self, address: str):
        super().__init__(address)
        # Shown to the founder: printable, and short enough for one line.
        shown = "".join(ch if ch.isprintable() else "?" for ch in address)
        self.address = shown if len(shown) <= 80 else shown[:79] + "…"


def validate_pitch_deck(upload) -> int:
    """Raise ValidationError with a message for the founder, or return the number of pages."""
    limit = settings.PITCH_DECK_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the pitch deck may be at most %(limit)s. Compress the images or remove slides.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    upload.seek(0)
    header = upload.read(5)
    upload.seek(0)
    if header != b"%PDF-":
        raise ValidationError(
            _(
                "This file is not a PDF. Export your deck as PDF (for example File → Export → PDF) "
                "and upload that file."
            ),
            code="not_pdf",
        )
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("This PDF is protected by a password, so reviewers could not open it. Upload it without a password."),
                code="encrypted",
            )
        pages = len(reader.pages)
        active = _active_content(reader)
    except ValidationError:
        raise
    except UnsafeLink as link:
        raise ValidationError(
            _(
                "This PDF contains a link to “%(address)s”, which is not a web (http, https) or e-mail (mailto) "
                "address; we do not accept other links for reviewers' safety. Remove or correct that link, "
                "export the deck again and upload the new file."
            )
            % {"address": link.address},
            code="unsafe_link",
        ) from None
    except Exception as exc:
        raise ValidationError(
            _("This PDF could not be read; it may be damaged. Export it again and upload the new file."),
            code="unreadable",
        ) from exc
    finally:
        upload.seek(0)
    if _has_data_after_end(upload):
        raise ValidationError(
            _(
                "This PDF has data after its end-of-file marker, which we do not accept for reviewers' safety. "
                'Export the deck again as a plain PDF ("Save as PDF" or "Print to PDF") and upload that file.'
            ),
            code="data_after_end",
        )
    if pages == 0:
        raise ValidationError(_("This PDF has no pages."), code="no_pages")
    if active:
        raise ValidationError(
            _(
                "This PDF contains active content (%(what)s), which we do not accept for reviewers' safety. "
                'Export the deck again as a plain PDF ("Save as PDF" or "Print to PDF") and upload that file.'
            )
            % {"what": active},
            code="active_content",
        )
    return pages


def _active_content(reader: PdfReader) -> str:
    """The first active-content marker found in the objects reachable from the trailer, or ''."""
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in FORBIDDEN_KEYS:
                    return key
                if key == "/OpenAction" and not isinstance(_resolve(value), ArrayObject):
                    # A page to open at ([page /Fit], what LaTeX writes) is harmless; an action is not.
                    return key
                if key in {"/S", "/Type", "/Subtype"} and isinstance(value, NameObject) and value in FORBIDDEN_NAMES:
                    return str(value)
                if key == "/URI":
                    _check_link(_resolve(value))
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return ""


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _has_data_after_end(upload) -> bool:
    """Whether anything but white-space follows the last %%EOF (or there is no %%EOF near the end)."""
    upload.seek(max(upload.size - TAIL_BYTES, 0))
    tail = upload.read()
    upload.seek(0)
    end = tail.rfind(b"%%EOF")
    return end < 0 or bool(tail[end + len(b"%%EOF") :].strip(PDF_WHITESPACE))


# What a browser ignores in a URL: C0 controls and spaces around it, and tabs and line breaks
# anywhere in it ("java\tscript:" is "javascript:").
_URL_IGNORED = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$|[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def _check_link(value) -> None:
    """Raise UnsafeLink unless value (the /URI of a URI action) is an absolute http(s) or mailto address.

    The catalog's /URI entry is a dictionary (a /Base for relative links): walked as any other.
    """
    if isinstance(value, DictionaryObject):
        return
    if isinstance(value, bytes):
        address = value.decode("latin-1")
    elif isinstance(value, str):
        address = str(value)
    else:
        raise UnsafeLink(repr(value))
    scheme = _SCHEME.match(_URL_IGNORED.sub("", address))
    if scheme is None or scheme.group(1).lower() not in ALLOWED_URI_SCHEMES:
        raise UnsafeLink(address)
