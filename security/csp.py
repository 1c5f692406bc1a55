"""django-csp's middleware, with the policy string built once per process instead of twice per response.

django-csp rebuilds both headers (enforced and report-only) from the settings on every response:
about a tenth of a millisecond of CPU per page, for a string that only changes with the settings
and the nonce. Here each is built once with a placeholder where the nonce
goes, and the request's nonce put in its place. A response carrying its own policy (django-csp's
decorators set _csp_config, _csp_update, _csp_replace and their report-only twins) goes through
django-csp unchanged, as does everything else the middleware does.
"""

import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Outside the base64 alphabet of django-csp's nonces, so it cannot occur in a real policy's nonce.
NONCE_PLACEHOLDER = "nonce-placeholder-"
PER_RESPONSE_POLICY = (
    *("_csp_config", "_csp_update", "_csp_replace"),
    *("_csp_config_ro", "_csp_update_ro", "_csp_replace_ro"),
)
POLICY_SETTINGS = {"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"}

# (report_only, with a nonce) -> the header, or "" for none.
_built: dict[tuple[bool, bool], str] = {}


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs):
    if setting in POLICY_SETTINGS:
        _built.clear()


def policy(report_only: bool, nonce: str | None) -> str:
    """What django-csp's build_policy(nonce=nonce, report_only=report_only) returns with no
    per-response policy."""
    key = (report_only, bool(nonce))
    built = _built.get(key)
    if built is None:
        built = _built[key] = build_policy(nonce=NONCE_PLACEHOLDER if nonce else None, report_only=report_only)
    if nonce and NONCE_PLACEHOLDER in built:
        built = built.replace(NONCE_PLACEHOLDER, nonce)
    return built


class CachedPolicyCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if any(hasattr(response, name) for name in PER_RESPONSE_POLICY):
            return super().process_response(request, response)
        # From here on, django-csp's process_response with the policies from policy().
        if response.status_code in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND) and settings.DEBUG:
            return response
        nonce = getattr(request, "_csp_nonce", None)
        for header, report_only, exempt, setting in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            csp = policy(report_only, nonce)
            if not csp or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = csp
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
