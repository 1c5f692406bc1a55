"""Private file storage: pitch decks never get a public URL."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    """A callable, so migrations do not record the machine's folder; read at each use so tests can move it."""
    # base_url=None: .url() fails loudly instead of leaking a public link.
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def deck_upload_to(instance, filename):
    # The founder's file name is not trusted: decks are stored under a generated name.
    return f"decks/{instance.call_id}/{uuid.uuid4().hex}.pdf"
