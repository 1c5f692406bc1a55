"""Every kind of e-mail can be opened in the e-mail text editor, with its preview."""

import pytest
from django.urls import reverse

from mail import templating
from tests.factories.applications import ApplicationFactory
from tests.factories.cohorts import organiser

pytestmark = pytest.mark.django_db


# Their built-in texts need values the editor does not have (counts, `now`, a deadline to format,
# `user`): opening them answers 500. Reported to their owners; strict, so the fix is noticed.
NOT_EDITABLE_YET = {"reminder_founder", "reminder_reviewer", "shortlist_ready"}
KINDS = [
    pytest.param(kind, marks=pytest.mark.xfail(strict=True, reason="editor cannot render this kind yet"))
    if kind in NOT_EDITABLE_YET
    else kind
    for kind in templating.discover_kinds()
]


@pytest.mark.parametrize("kind", KINDS)
def test_editor_opens_every_kind_with_a_real_application(client, kind):
    application = ApplicationFactory(submitted=True)
    client.force_login(organiser(is_superuser=True))
    for language in ("en", "fr"):
        url = reverse("admin:mail_mailtemplate_edit", args=[application.call.pk, kind, language])
        response = client.get(url)
        assert response.status_code == 200, (kind, language)
