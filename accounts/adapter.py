"""django-allauth hooks: account e-mails go through the outbox, in the recipient's language."""

import hashlib
from collections.abc import Callable

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from core import links
from security.client import client_ip

# The outbox belongs to the mail app, which sits above accounts: it hands its queue_mail over when it
# loads (mail.apps), so that accounts never imports it.
_queue_mail: Callable[..., object] | None = None


def register_mail_queue(queue_mail: Callable[..., object]) -> None:
    global _queue_mail
    _queue_mail = queue_mail


# Context values that make one account e-mail different from another (a new link, a new code).
_UNIQUE_KEYS = ("activate_url", "password_reset_url", "key", "code")


def _dedupe_key(kind: str, email: str, context: dict) -> str:
    parts = [kind, email.lower()] + [str(context[k]) for k in _UNIQUE_KEYS if context.get(k)]
    if len(parts) == 2:
        # Nothing unique in the e-mail (e.g. "no account with this address"): once per minute at most.
        parts.append(timezone.now().strftime("%Y%m%d%H%M"))
    return "account:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:48]


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def user_display(user) -> str:
    """How allauth names a user in its messages: the person's name or e-mail, never the internal username."""
    return str(user)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every portal e-mail is an outbox row: written now, delivered after commit, retried while pending."""
        user = context.get("user")
        if not isinstance(user, User) or user.pk is None:
            user = User.objects.filter(email__iexact=email).first()
        language = getattr(user, "language", None) or translation.get_language() or settings.LANGUAGE_CODE
        kind = "account_" + template_prefix.rsplit("/", 1)[-1]
        # allauth builds its links from the request's host; every e-mail links to SITE_URL instead.
        urls = {key: links.on_portal(value) for key, value in context.items() if key.endswith("_url") and value}
        ctx = {
            **context,
            **urls,
            "email": email,
            "user": user,
            "site_url": links.absolute(""),
            "current_site": get_current_site(self.request) if self.request is not None else None,
        }
        if not _template_exists(f"mail/{kind}_subject.txt"):
            # An allauth e-mail we have no wording of our own for: allauth's text, still through the outbox.
            ctx["allauth_prefix"] = template_prefix
            kind = "account_generic"
        if _queue_mail is None:
            raise ImproperlyConfigured("Account e-mails need the mail app: add 'mail' to INSTALLED_APPS.")
        _queue_mail(
            kind=kind,
            to=email,
            context=ctx,
            language=language,
            dedupe_key=_dedupe_key(kind, email, context),
            recipient=user,
        )

    def get_client_ip(self, request) -> str:
        """The client address allauth's rate limits key on: the one django-axes uses too.

        Behind TRUSTED_PROXY_COUNT proxies it is the address our own proxy saw, not REMOTE_ADDR
        (which would put every visitor in the proxy's one bucket) nor what the client wrote.
        """
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client address")
        return ip

    def get_login_redirect_url(self, request):
        # An explicit ?next= wins (allauth checks it first); otherwise staff work in the admin.
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)
