"""Private file storage: pitch decks never get a public URL."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self):
        # base_url=None: .url() fails loudly instead of leaking a public link.
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def deck_upload_to(instance, filename):
    # The founder's file name is not trusted: decks are stored under a generated name.
    return f"decks/{instance.call_id}/{uuid.uuid4().hex}.pdf"
