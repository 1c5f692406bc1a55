"""Every kind of e-mail can be opened in the e-mail text editor, with its preview."""

import pytest
from django.urls import reverse

from mail import templating
from tests.factories.applications import ApplicationFactory
from tests.factories.cohorts import organiser

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", templating.discover_kinds())
def test_editor_opens_every_kind_with_a_real_application(client, kind):
    application = ApplicationFactory(submitted=True)
    client.force_login(organiser(is_superuser=True))
    for language in ("en", "fr"):
        url = reverse("admin:mail_mailtemplate_edit", args=[application.call.pk, kind, language])
        response = client.get(url)
        assert response.status_code == 200, (kind, language)
        assert "Preview of what is sent now" in response.content.decode(), (kind, language)
