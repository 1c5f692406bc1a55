"""The application form as a browser holds it: every field's value, as FormData sends it, and what
its script sends with an autosave (docs/autosave.md)."""

from lxml import html


class Page:
    def __init__(self, content: bytes):
        form = html.fromstring(content).get_element_by_id("application-form")
        # Rows inside <template> are not part of the form (their names hold __prefix__); the JS
        # never sends remove_deck in the background.
        self.values = [
            (k, v.strip("\n") if isinstance(v, str) else v)
            for k, v in form.form_values()
            if "__prefix__" not in k and k != "remove_deck"
        ]
        # What the server has saved as this page knows it: the page as loaded, then each acknowledged save.
        self.acknowledged = self.values

    def get(self, name):
        return next((v for k, v in self.values if k == name), None)

    def set(self, name, value):
        self.values = [(k, value if k == name else v) for k, v in self.values]

    def multipart(self, **files):
        """For requests' files=: multipart/form-data, as fetch() sends a FormData."""
        return [(k, (None, v)) for k, v in self.values] + list(files.items())

    def autosave_request(self, token: str, origin: str) -> tuple[dict, list]:
        """What the form's script posts to the autosave URL (docs/autosave.md), as keyword arguments
        of a requests or Locust post, and the page's values it stands for: on "saved", give them
        to saved()."""
        headers = {"Accept": "application/json", "X-Requested-With": "fetch", "X-CSRFToken": token, "Origin": origin}
        return {"data": self.changes(), "headers": headers}, self.values

    def saved(self, sent: list, version) -> None:
        """The server acknowledged the autosave of `sent` (from autosave_request) with this version."""
        self.set("version", str(version))
        self.acknowledged = sent

    def changes(self) -> list[tuple[str, str]]:
        """An autosave's body, URL-encoded by requests' data=: the version and the answers that differ
        from the acknowledged ones (emptied: one empty value), the team whole when a row changed."""
        now, then = _by_name(self.values), _by_name(self.acknowledged)
        pairs, team = [("version", self.get("version"))], False
        for name in dict.fromkeys([*now, *then]):
            if name in ("version", "csrfmiddlewaretoken") or now.get(name) == then.get(name):
                continue
            if name.startswith("team-"):
                team = True
                continue
            pairs += [(name, value) for value in now.get(name) or [""]]
        return pairs + ([(k, v) for k, v in self.values if k.startswith("team-")] if team else [])


def _by_name(values) -> dict:
    found = {}
    for name, value in values:
        found.setdefault(name, []).append(value)
    return found
