"""The API addresses of sign-in, the caller and the organisations."""

from django.urls import path

from departments.api import LogoutAllView, LogoutView, MeView, OrganisationListView, TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
    path("me/", MeView.as_view(), name="api-me"),
    path("organisations/", OrganisationListView.as_view(), name="api-organisation-list"),
]
