"""Every URL pattern of the project, found by walking the root resolver (admin and allauth included)."""

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

# `<int:pk>` in a route; a regex's `(?P<pk>...)` is written the same way so every route reads alike.
ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route as written, regex anchors removed: "applications/<int:pk>/edit/"
    name: str | None  # with its namespaces: "applications:edit"
    callback: object = field(compare=False)
    model_admin: object = field(default=None, compare=False)

    @property
    def params(self) -> list[str]:
        return ROUTE_PARAM.findall(self.route)

    def url(self, values: dict) -> str:
        """The concrete path with each parameter replaced by values[name]."""
        return "/" + ROUTE_PARAM.sub(lambda m: str(values[m.group(1)]), self.route)

    def __str__(self):
        return f"{self.route} ({self.name or 'unnamed'})"


def _piece(pattern) -> str:
    text = str(pattern.pattern)
    if isinstance(pattern.pattern, RegexPattern):
        text = REGEX_PARAM.sub(r"<\1>", text.removeprefix("^").removesuffix("$")).replace("\\", "")
    return text


def all_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[Pattern]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n) if entry.namespace else namespace
            found += all_patterns(entry, prefix + _piece(entry), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            model_admin = getattr(entry.callback, "model_admin", None)
            found.append(Pattern(prefix + _piece(entry), name, entry.callback, model_admin))
    return found
