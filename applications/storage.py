"""Where pitch decks go: the private storage (ops.storage), under a generated name."""

import uuid

from ops.storage import PrivateStorage


def private_storage():
    """A callable, so migrations do not record the machine's storage settings."""
    return PrivateStorage()


def deck_upload_to(instance, filename):
    # The founder's file name is not trusted: decks are stored under a generated name.
    return f"decks/{instance.call_id}/{uuid.uuid4().hex}.pdf"
