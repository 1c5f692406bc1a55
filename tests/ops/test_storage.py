"""Object storage: configuration from the environment, checksums checked after upload."""

import base64
import hashlib
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from accelerator.config import parse_private_storage
from ops.storage import ChecksumMismatch, PrivateStorage, walk
from tests.storage_helpers import new_bucket, s3_client, s3_environment, use_s3


def test_without_a_bucket_decks_stay_in_the_local_folder():
    assert parse_private_storage({}) == {"BACKEND": "ops.storage.PrivateFileSystemStorage"}


def test_scaleway_paris_bucket_from_the_environment():
    conf = parse_private_storage(
        {
            "S3_BUCKET": "portal-decks",
            "S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
            "S3_REGION": "fr-par",
            "S3_ACCESS_KEY_ID": "SCWXXXXXXXXXXXXXXXXX",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_PREFIX": "/portal/",
            "S3_PRESIGNED_DOWNLOADS": "true",
            "S3_PRESIGNED_SECONDS": "30",
        }
    )
    assert conf["BACKEND"] == "ops.storage.PrivateS3Storage"
    assert conf["OPTIONS"] == {
        "bucket_name": "portal-decks",
        "endpoint_url": "https://s3.fr-par.scw.cloud",
        "region_name": "fr-par",
        "location": "portal",
        "querystring_expire": 30,
        "presigned_downloads": True,
        "access_key": "SCWXXXXXXXXXXXXXXXXX",
        "secret_key": "secret",
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"S3_BUCKET": "b", "S3_ENDPOINT_URL": "s3.fr-par.scw.cloud"}, "S3_ENDPOINT_URL must start with https://"),
        ({"S3_BUCKET": "b", "S3_ACCESS_KEY_ID": "key"}, "must be set together"),
        ({"S3_BUCKET": "b", "S3_PRESIGNED_SECONDS": "0"}, "S3_PRESIGNED_SECONDS must be a whole number of at least 1"),
    ],
)
def test_wrong_values_stop_start_up_naming_the_variable(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_private_storage(env)


def test_an_object_whose_checksum_differs_is_removed_and_refused(settings, s3_endpoint):
    bucket = use_s3(settings, s3_endpoint)
    storage = storages["private"]
    sent = base64.b64encode(hashlib.sha256(b"%PDF- what the portal sent").digest()).decode()
    s3_client(s3_endpoint).upload_fileobj(
        io.BytesIO(b"%PDF- what the server holds"), bucket, "decks/1/x.pdf", ExtraArgs={"ChecksumAlgorithm": "SHA256"}
    )
    with pytest.raises(ChecksumMismatch, match=r"decks/1/x\.pdf"):
        storage.verify("decks/1/x.pdf", sent)
    assert not storage.exists("decks/1/x.pdf")


def test_a_saved_object_carries_its_sha256_and_keeps_its_name(settings, s3_endpoint):
    bucket = use_s3(settings, s3_endpoint)
    name = PrivateStorage().save("decks/7/a.pdf", ContentFile(b"%PDF-1.4 deck"))
    assert name == "decks/7/a.pdf"
    head = s3_client(s3_endpoint).head_object(Bucket=bucket, Key=name, ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(b"%PDF-1.4 deck").digest()).decode()
    assert head["ContentType"] == "application/pdf"


@pytest.mark.usefixtures("deck_storage")
def test_walk_lists_every_file_in_both_storages():
    storage = PrivateStorage()
    assert list(walk(storage)) == []  # an empty bucket, a folder not created yet
    for name in ("decks/1/a.pdf", "decks/2/b.pdf", "exports/c.csv"):
        storage.save(name, ContentFile(b"x"))
    assert sorted(walk(storage)) == ["decks/1/a.pdf", "decks/2/b.pdf", "exports/c.csv"]


def test_a_prefix_keeps_the_portal_under_its_folder_of_the_bucket(settings, s3_endpoint):
    bucket = new_bucket(s3_endpoint)
    conf = parse_private_storage({**s3_environment(s3_endpoint, bucket), "S3_PREFIX": "portal"})
    settings.STORAGES = {**settings.STORAGES, "private": conf}
    PrivateStorage().save("decks/1/a.pdf", ContentFile(b"x"))
    keys = [o["Key"] for o in s3_client(s3_endpoint).list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == ["portal/decks/1/a.pdf"]
