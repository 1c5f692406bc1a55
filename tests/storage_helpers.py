"""The two private storages the deck tests run against: the local folder, and a private bucket on a
real S3 API server (moto's standalone server) listening on loopback, started once per test session."""

import logging
import uuid

import boto3
import pytest

REGION = "fr-par"
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of an S3 API server on 127.0.0.1 (a free port), up for the whole session."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_client(endpoint):
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY
    )


def new_bucket(endpoint) -> str:
    name = f"decks-{uuid.uuid4().hex[:16]}"
    s3_client(endpoint).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def s3_environment(endpoint, bucket) -> dict:
    """The variables an operator sets (README, .env.example), pointing at the test server."""
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def use_s3(settings, endpoint, **options) -> str:
    """Point STORAGES["private"] at a new empty bucket, through the same parsing as production."""
    from accelerator.config import parse_private_storage

    bucket = new_bucket(endpoint)
    conf = parse_private_storage(s3_environment(endpoint, bucket))
    conf["OPTIONS"].update(options)
    settings.STORAGES = {**settings.STORAGES, "private": conf}
    return bucket
