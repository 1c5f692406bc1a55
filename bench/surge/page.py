"""The application form as a browser holds it: every field's value, as FormData sends it."""

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

    def get(self, name):
        return next((v for k, v in self.values if k == name), None)

    def set(self, name, value):
        self.values = [(k, value if k == name else v) for k, v in self.values]

    def multipart(self, **files):
        """For requests' files=: multipart/form-data, as fetch() sends a FormData."""
        return [(k, (None, v)) for k, v in self.values] + list(files.items())
