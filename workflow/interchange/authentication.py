"""How an external system signs in: `Authorization: ApiKey <key>`. An unknown or revoked key is
a 401 saying which; what the system may do is checked by `AllowsOperation`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from workflow.interchange.services import system_by_key

KEYWORD = "ApiKey"


def system_for_key(key: str):
    """The live system whose key this is; AuthenticationFailed (401) otherwise."""
    system = system_by_key(key)
    if system is None:
        raise exceptions.AuthenticationFailed(_("密钥无效。"), code="key_invalid")
    if system.is_revoked:
        raise exceptions.AuthenticationFailed(_("该密钥已撤销。"), code="key_revoked")
    return system


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace") != KEYWORD:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("密钥格式不正确。"), code="key_invalid")
        system = system_for_key(header[1].decode(errors="replace"))
        return system.user, system

    def authenticate_header(self, request):
        return KEYWORD


class AllowsOperation(permissions.BasePermission):
    """The view's `operation` is among those the administrator allowed the system."""

    message = _("该外部系统无权执行此操作。")

    def has_permission(self, request, view):
        system = request.auth
        return getattr(system, "allows", None) is not None and system.allows(view.operation)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`ApiKey <key>`: an external system's key (docs/interchange.md)",
        }
