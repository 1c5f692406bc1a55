from django.urls import path

from applications import views_deck, views_form, views_founder, views_submit, views_team

app_name = "applications"
urlpatterns = [
    path("applications/", views_founder.application_list, name="list"),
    path("calls/<slug:slug>/apply/", views_founder.start, name="start"),
    path("applications/<int:pk>/", views_founder.detail, name="detail"),
    path("applications/<int:pk>/edit/", views_form.edit, name="edit"),
    path("applications/<int:pk>/autosave/", views_form.autosave, name="autosave"),
    path("applications/<int:pk>/submit/", views_submit.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views_submit.withdraw, name="withdraw"),
    path("applications/<int:pk>/deck/", views_deck.deck_download, name="deck"),
    path("applications/<int:pk>/deck/view/", views_deck.deck_inline, name="deck_inline"),
    path("applications/<int:pk>/invitations/", views_team.invite, name="invite"),
    path(
        "applications/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views_team.revoke_invitation,
        name="revoke_invitation",
    ),
    path("applications/<int:pk>/members/<int:member_pk>/remove/", views_team.remove_member, name="remove_member"),
    path("applications/<int:pk>/leave/", views_team.leave, name="leave"),
    path("invitations/<str:token>/", views_team.invitation, name="invitation"),
]
