"""Private file storage: pitch decks and cohort exports never get a public URL.

The files live in the local folder PRIVATE_MEDIA_ROOT (the embedded default) or in a private
bucket of S3-compatible object storage (`S3_BUCKET` and friends, see accelerator.config). File
fields hold a PrivateStorage, which sends every call to the backend configured as
STORAGES["private"] at the time of the call, so that settings are read at each use.
"""

import base64
import hashlib
import os

from boto3.s3.transfer import TransferConfig
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from storages.backends.s3 import S3Storage
from storages.utils import ReadBytesWrapper, clean_name

PRIVATE = "private"
# The largest object written in one PUT (S3's limit is 5 GiB): larger files would be uploaded in
# parts, whose checksum is one of the parts' checksums, not of the file. Decks are at most 20 MiB.
SINGLE_PUT_MAX = 4 * 1024**3
CHUNK = 1024 * 1024


class ChecksumMismatch(OSError):
    """The object store holds something other than what was sent: the object was removed."""


def sha256_of(content) -> str:
    """Hex SHA-256 of a file object, read from the start; the position is put back at the start."""
    digest = hashlib.sha256()
    content.seek(0)
    for chunk in iter(lambda: content.read(CHUNK), b""):
        digest.update(chunk)
    content.seek(0)
    return digest.hexdigest()


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

    def signed_download_url(self, name, *, filename, content_type):
        return None  # a folder has no such thing: the portal streams the file


class PrivateS3Storage(S3Storage):
    """A private bucket. Every object is written with its SHA-256, which the server checks on receipt
    and which is read back from the server after the upload: a mismatch removes the object and raises.

    `presigned_downloads` (S3_PRESIGNED_DOWNLOADS) lets deck downloads redirect to a short-lived
    pre-signed URL, issued by the view after its permission check; otherwise the portal streams."""

    def __init__(self, *, presigned_downloads=False, **options):
        options.setdefault("default_acl", "private")
        options.setdefault("querystring_auth", True)
        options.setdefault("querystring_expire", 60)
        options.setdefault("file_overwrite", False)
        options.setdefault("signature_version", "s3v4")
        options.setdefault("transfer_config", TransferConfig(multipart_threshold=SINGLE_PUT_MAX))
        super().__init__(**options)
        self.presigned_downloads = presigned_downloads

    def _save(self, name, content):
        cleaned = clean_name(name)
        key = self._normalize_name(cleaned)
        checksum = base64.b64encode(bytes.fromhex(sha256_of(content))).decode()
        params = {**self._get_write_parameters(key, content), "ChecksumAlgorithm": "SHA256", "ChecksumSHA256": checksum}
        body = ReadBytesWrapper(content)
        # s3transfer closes what it uploads (boto/s3transfer#80); the caller still owns the file.
        original_close, body.close = body.close, lambda: None
        try:
            self.bucket.Object(key).upload_fileobj(body, ExtraArgs=params, Config=self.transfer_config)
        finally:
            body.close = original_close
        self.verify(cleaned, checksum)
        return cleaned

    def verify(self, name, checksum: str) -> None:
        """Compare the SHA-256 the server keeps for the object with `checksum` (base64)."""
        key = self._normalize_name(clean_name(name))
        head = self.connection.meta.client.head_object(Bucket=self.bucket_name, Key=key, ChecksumMode="ENABLED")
        stored = head.get("ChecksumSHA256")
        if stored != checksum:
            self.delete(name)
            raise ChecksumMismatch(f"Object {key}: the server holds SHA-256 {stored!r}, {checksum!r} was sent.")

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no public URL; see signed_download_url().")

    def signed_download_url(self, name, *, filename, content_type):
        """A short-lived GET URL that downloads as an attachment, or None when downloads are streamed.

        Only for a view that has checked the reader's permission first."""
        if not self.presigned_downloads:
            return None
        parameters = {
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        }
        return super().url(name, parameters=parameters)


class PrivateStorage(Storage):
    """What the file fields hold: each call goes to STORAGES["private"] as configured at that moment."""

    @property
    def backend(self):
        return storages[PRIVATE]

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def size(self, name):
        return self.backend.size(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def path(self, name):
        return self.backend.path(name)

    def url(self, name):
        return self.backend.url(name)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def signed_download_url(self, name, *, filename, content_type):
        return self.backend.signed_download_url(name, filename=filename, content_type=content_type)


def walk(storage, path=""):
    """Every file name under `path`, recursively (a folder that does not exist has none)."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from walk(storage, f"{path}/{directory}" if path else directory)
