"""security.csp: the headers of the portal's CSP middleware are django-csp's, byte for byte."""

import pytest
from csp.constants import NONCE, SELF
from csp.middleware import CSPMiddleware
from django.http import HttpResponse, HttpResponseServerError
from django.test import RequestFactory

from security.csp import CachedPolicyCSPMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def headers_of(middleware_class, path="/", use_nonce=False, make_response=HttpResponse, **response_attrs):
    middleware = middleware_class(lambda request: None)
    request = RequestFactory().get(path)
    middleware.process_request(request)
    nonce = str(request.csp_nonce) if use_nonce else None
    response = make_response()
    for name, value in response_attrs.items():
        setattr(response, name, value)
    middleware.process_response(request, response)
    return {name: response.get(name) for name in HEADERS}, nonce


def same_as_django_csp(**kwargs):
    ours, nonce = headers_of(CachedPolicyCSPMiddleware, **kwargs)
    theirs, their_nonce = headers_of(CSPMiddleware, **kwargs)
    if nonce is not None:  # each request has its own nonce
        ours = {name: value and value.replace(nonce, "N") for name, value in ours.items()}
        theirs = {name: value and value.replace(their_nonce, "N") for name, value in theirs.items()}
    assert ours == theirs
    return ours


@pytest.fixture
def with_nonce(settings):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "script-src": [SELF, NONCE], "style-src": [SELF, NONCE]},
    }


def test_the_portal_policy():
    headers = same_as_django_csp()
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Content-Security-Policy-Report-Only"] is None


def test_a_nonce_is_the_request_own_in_every_directive_that_asks_for_it(with_nonce):
    headers = same_as_django_csp(use_nonce=True)
    assert headers["Content-Security-Policy"].count("'nonce-N'") == 2
    first, nonce_one = headers_of(CachedPolicyCSPMiddleware, use_nonce=True)
    second, nonce_two = headers_of(CachedPolicyCSPMiddleware, use_nonce=True)
    assert nonce_one != nonce_two
    assert f"'nonce-{nonce_one}'" in first["Content-Security-Policy"]
    assert f"'nonce-{nonce_two}'" in second["Content-Security-Policy"]
    assert nonce_one not in second["Content-Security-Policy"]


def test_a_nonce_not_used_by_the_page_is_left_out(with_nonce):
    headers = same_as_django_csp(use_nonce=False)
    assert "nonce" not in headers["Content-Security-Policy"]


def test_a_changed_setting_changes_the_header(settings):
    before = same_as_django_csp()
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "img-src": ["https://img.example"]}}
    after = same_as_django_csp()
    assert after != before and "https://img.example" in after["Content-Security-Policy"]


def test_report_only_and_excluded_prefixes(settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "EXCLUDE_URL_PREFIXES": ["/quiet/"],
        "DIRECTIVES": {"default-src": [SELF], "report-uri": "/csp-report/"},
    }
    headers = same_as_django_csp()
    assert "report-uri /csp-report/" in headers["Content-Security-Policy-Report-Only"]
    quiet = same_as_django_csp(path="/quiet/page")
    assert quiet["Content-Security-Policy-Report-Only"] is None
    assert quiet["Content-Security-Policy"] == headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "attrs",
    [
        {"_csp_exempt": True},
        {"_csp_exempt_ro": True},
        {"_csp_update": {"img-src": ["https://img.example"]}},
        {"_csp_replace": {"script-src": ["https://js.example"]}},
        {"_csp_config": {"default-src": ["'none'"]}},
    ],
)
def test_per_response_policies_and_exemptions(settings, attrs):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF]}}
    same_as_django_csp(**attrs)


def test_a_header_set_by_the_view_is_kept():
    headers = same_as_django_csp(make_response=lambda: HttpResponse(headers={"Content-Security-Policy": "sandbox"}))
    assert headers["Content-Security-Policy"] == "sandbox"


def test_error_pages_in_debug_have_no_policy(settings):
    settings.DEBUG = True
    headers = same_as_django_csp(make_response=HttpResponseServerError)
    assert headers["Content-Security-Policy"] is None


def test_the_nonce_cannot_be_used_after_the_header_is_written():
    from csp.exceptions import CSPNonceError

    middleware = CachedPolicyCSPMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse())
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
