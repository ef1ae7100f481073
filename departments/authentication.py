"""Signing in per request, with the person's organisation read in the same query: every
permission check asks for the organisation's kind, which would otherwise cost a query of its
own on every request. API tokens come from a short-lived shared cache when one is set
(departments/token_cache.py)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from departments.services import token_touch, tokens_revoke_all
from departments.token_cache import token_with_user


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with the project's tokens (departments.models.ApiToken):
    an unknown, revoked or expired token is a 401 saying which."""

    def authenticate_credentials(self, key):
        token = token_with_user(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"), code="token_invalid")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                _("令牌已撤销，请重新登录。"), code="token_revoked"
            )
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                _("令牌已过期，请重新登录。"), code="token_expired"
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token_touch(token)
        return token.user, token


class PasswordChangeEndsApiTokens:
    """Listed with the password validators for Django's `password_changed` hook, which runs
    after every password change that saves the user (the settings page, the admin,
    `manage.py changepassword`): the person's API tokens stop signing in, as their other
    sessions do. It accepts every password; its help text tells the person so."""

    def validate(self, password, user=None):
        pass

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            tokens_revoke_all(user=user)

    def get_help_text(self):
        return _("修改密码后，您在各设备上登录所得的接口令牌随即失效。")


class OrganisationModelBackend(ModelBackend):
    """Django's model backend; the person signed in to a session comes with the organisation."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("organisation")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
