"""Signing in per request, with the person's organisation read in the same query: every
permission check asks for the organisation's kind, which would otherwise cost a query of its
own on every request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication (`Authorization: Token …`), same answers."""

    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user__organisation").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token


class OrganisationModelBackend(ModelBackend):
    """Django's model backend; the person signed in to a session comes with the organisation."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("organisation")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
