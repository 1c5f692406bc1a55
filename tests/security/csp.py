"""Checks that a page will work under the portal's Content Security Policy (script-src and
style-src 'self'): nothing inline. Other test modules can use assert_no_inline_code(html) on the
pages they render."""

from html.parser import HTMLParser


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and not names.get("src") and names.get("type", "") != "application/json":
            self._in_inline_script = True
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f'style="{names["style"]}" on <{tag}>')
        for name, value in names.items():
            if name.startswith("on"):
                self.problems.append(f'{name}="{value}" on <{tag}>')
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f'{name}="{value}" on <{tag}>')

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


def assert_no_inline_code(html: str) -> None:
    problems = inline_code(html)
    assert not problems, "The CSP would block: " + "; ".join(problems)
