"""Private file storage: pitch decks never get a public URL."""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read at each use (Django builds a field's storage only once)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        # Fails loudly instead of leaking a public link: files are served by permission-checked views.
        raise ValueError("Private files have no public URL.")


def private_storage():
    """A callable, so migrations do not record the machine's folder."""
    return PrivateFileSystemStorage()


def deck_upload_to(instance, filename):
    # The founder's file name is not trusted: decks are stored under a generated name.
    return f"decks/{instance.call_id}/{uuid.uuid4().hex}.pdf"
