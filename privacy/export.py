"""A founder's data as one ZIP archive: data.json plus their pitch decks, written to a temporary file.

The archive goes to a temporary file rather than memory: a founder on several applications may
have several 20 MB decks, and many founders may download at once.
"""

import json
import logging
import shutil
import tempfile
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from privacy import selectors

logger = logging.getLogger(__name__)

COPY_CHUNK = 1024 * 1024


def archive_name(now=None) -> str:
    return f"my-data-{(now or timezone.now()):%Y-%m-%d}.zip"


def deck_path(application) -> str:
    return f"decks/application-{application.pk}.pdf"


def write_archive(user, target) -> None:
    """Write the archive into the binary file object `target` (left open, positioned at its end)."""
    applications = list(selectors.applications_of(user))
    paths = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for application in applications:
            if not application.pitch_deck:
                continue
            path = deck_path(application)
            try:
                source = application.pitch_deck.open("rb")
            except FileNotFoundError:
                logger.warning("Pitch deck of application %s is missing from storage", application.pk)
                continue
            # PDFs are compressed already: stored as they are, copied in chunks.
            with source, archive.open(zipfile.ZipInfo(path, _zip_time()), "w", force_zip64=True) as out:
                shutil.copyfileobj(source, out, COPY_CHUNK)
            paths[application.pk] = path
        data = selectors.personal_data(user, deck_paths=paths)
        archive.writestr(
            zipfile.ZipInfo("data.json", _zip_time()),
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            compress_type=zipfile.ZIP_DEFLATED,
        )


def build_archive(user):
    """The archive in a temporary file, rewound, deleted when closed."""
    target = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 - closed by the response that sends it
    try:
        write_archive(user, target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def _zip_time():
    return timezone.localtime().timetuple()[:6]
