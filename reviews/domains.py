"""Which internet domains identify an organisation, for conflicts of interest.

A reviewer is in conflict with an application when one of the reviewer's domains (their e-mail's,
and those of their profile) is the same as, or a parent or subdomain of, a domain of the startup
(the founders' e-mails, team members' e-mails, the website). Mailbox providers and reserved example
domains identify nobody, so they never count.
"""

from urllib.parse import urlsplit

# Public mailbox providers: sharing one says nothing about who you work for.
GENERIC_MAIL_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "outlook.fr",
        "hotmail.com",
        "hotmail.fr",
        "hotmail.co.uk",
        "hotmail.de",
        "hotmail.it",
        "hotmail.es",
        "live.com",
        "live.fr",
        "live.de",
        "msn.com",
        "yahoo.com",
        "yahoo.fr",
        "yahoo.de",
        "yahoo.co.uk",
        "yahoo.es",
        "yahoo.it",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "aol.fr",
        "proton.me",
        "protonmail.com",
        "protonmail.ch",
        "pm.me",
        "tutanota.com",
        "tuta.io",
        "fastmail.com",
        "hey.com",
        "zoho.com",
        "yandex.com",
        "yandex.ru",
        "mail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "gmx.fr",
        "gmx.at",
        "web.de",
        "t-online.de",
        "freenet.de",
        "posteo.de",
        "mailbox.org",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "laposte.net",
        "neuf.fr",
        "bbox.fr",
        "libero.it",
        "virgilio.it",
        "tiscali.it",
        "alice.it",
        "telefonica.net",
        "terra.es",
        "wp.pl",
        "onet.pl",
        "interia.pl",
        "o2.pl",
        "seznam.cz",
        "centrum.cz",
        "ziggo.nl",
        "kpnmail.nl",
        "planet.nl",
        "hetnet.nl",
        "telenet.be",
        "skynet.be",
        "sapo.pt",
        "bluewin.ch",
    ]
)
# RFC 2606 / RFC 6761: documentation and test names (the demo and the tests use them).
RESERVED_DOMAINS = frozenset({"example.com", "example.org", "example.net"})
RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost", "local"})


def normalise(domain: str | None) -> str | None:
    """Lower case, no leading "@", "www." or trailing dot; None for nothing usable."""
    if not domain:
        return None
    value = domain.strip().lower().lstrip("@").rstrip(".")
    if value.startswith("www."):
        value = value[4:]
    if "." not in value or " " in value or "/" in value:
        return None
    return value


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return normalise(email.rsplit("@", 1)[1])


def url_domain(url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if "://" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return normalise(host)


def suffixes(domain: str) -> list[str]:
    """meta.ai.example.co -> [meta.ai.example.co, ai.example.co, example.co] (never a bare TLD)."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def is_generic(domain: str) -> bool:
    if domain.rsplit(".", 1)[-1] in RESERVED_TLDS:
        return True
    return any(s in GENERIC_MAIL_DOMAINS or s in RESERVED_DOMAINS for s in suffixes(domain))


def identifying(domains) -> set[str]:
    """The normalised domains of an iterable that say who someone works for."""
    result = set()
    for domain in domains:
        value = normalise(domain)
        if value and not is_generic(value):
            result.add(value)
    return result


def related(a: str, b: str) -> bool:
    """Same domain, or one is a subdomain of the other."""
    return a == b or a.endswith("." + b) or b.endswith("." + a)


class DomainIndex:
    """Reviewers by domain, to find in one pass which reviewers a set of startup domains concerns."""

    def __init__(self):
        self._exact: dict[str, set[int]] = {}
        self._parents: dict[str, dict[int, str]] = {}

    def add(self, reviewer_id: int, domains) -> None:
        for domain in identifying(domains):
            self._exact.setdefault(domain, set()).add(reviewer_id)
            for parent in suffixes(domain)[1:]:
                self._parents.setdefault(parent, {})[reviewer_id] = domain

    def __bool__(self):
        return bool(self._exact)

    def matches(self, startup_domains) -> dict[int, tuple[str, str]]:
        """{reviewer id: (startup domain, reviewer domain)} for every reviewer in conflict."""
        found: dict[int, tuple[str, str]] = {}
        for domain in identifying(startup_domains):
            for suffix in suffixes(domain):
                for reviewer_id in self._exact.get(suffix, ()):
                    found.setdefault(reviewer_id, (domain, suffix))
            for reviewer_id, reviewer_domain in self._parents.get(domain, {}).items():
                found.setdefault(reviewer_id, (domain, reviewer_domain))
        return found
