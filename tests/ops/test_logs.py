"""LOG_FORMAT=json: one JSON object per line, with the id of the request that wrote it."""

import io
import json
import logging
import logging.config

import pytest
from django.core.exceptions import ImproperlyConfigured

from accelerator.config import parse_log_format

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines(settings):
    """The console handler as accelerator/settings.py builds it with LOG_FORMAT=json, writing to a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    config = settings.LOGGING
    configurator = logging.config.DictConfigurator({"version": 1})  # it consumes what it reads: copies
    handler.addFilter(configurator.configure_filter(dict(config["filters"]["request_id"])))
    handler.setFormatter(configurator.configure_formatter(dict(config["formatters"]["json"])))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_request_log_line_is_json_with_the_request_id(client, json_lines):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "lb-1234-abcd"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-1234-abcd"
    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["request_id"] == "lb-1234-abcd"
    assert line["time"].endswith("+00:00")


def test_each_request_gets_its_own_id_when_the_proxy_sends_none_or_a_strange_one(client, json_lines):
    first = client.get("/no-such-page/")["X-Request-ID"]
    second = client.get("/no-such-page/", headers={"X-Request-ID": "<script>"})["X-Request-ID"]
    assert len(first) == 32 and len(second) == 32 and first != second
    assert [line["request_id"] for line in json_lines() if line["logger"] == "django.request"] == [first, second]


def test_lines_outside_a_request_have_an_empty_id(json_lines):
    logging.getLogger("portal.test").warning("sweep step %s failed", "reviewers")
    [line] = json_lines()
    assert (line["message"], line["request_id"]) == ("sweep step reviewers failed", "")


def test_log_format_is_text_or_json():
    assert parse_log_format({}) == "text"
    assert parse_log_format({"LOG_FORMAT": "JSON"}) == "json"
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT must be text or json"):
        parse_log_format({"LOG_FORMAT": "yaml"})
