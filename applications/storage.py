"""Private file storage: pitch decks never get a public URL."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        # Fails loudly instead of leaking a public link: files are served by permission-checked views.
        raise ValueError("Private files have no public URL.")


def private_storage():
    """A callable, so migrations do not record the machine's folder; read at each use so tests can move it."""
    return PrivateFileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def deck_upload_to(instance, filename):
    # The founder's file name is not trusted: decks are stored under a generated name.
    return f"decks/{instance.call_id}/{uuid.uuid4().hex}.pdf"
