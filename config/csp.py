"""django-csp's middleware with the site's policy built once per process.

django-csp builds the Content-Security-Policy header anew for every response (a deep copy of
the settings' directives, then the string): about a tenth of the Python a small API request
runs. The site's policy uses no nonce and no view changes it, so for a response without either
the header is the same string every time; this builds it once (again when a test changes the
setting) and sets it exactly where django-csp would. A response with a nonce or a per-view
policy (csp.decorators) goes through django-csp unchanged.
"""

import functools
import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What csp.decorators leave on a response to change its policy.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_DEBUG_PAGES = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


@functools.cache
def _site_policies() -> tuple:
    """(header, the response attribute exempting it, URL prefixes left out, policy)."""
    return tuple(
        (header, exempt, tuple((getattr(settings, name, None) or {}).get(excluded) or ()), policy)
        for header, exempt, name, excluded, policy in (
            (
                HEADER,
                "_csp_exempt",
                "CONTENT_SECURITY_POLICY",
                "EXCLUDE_URL_PREFIXES",
                build_policy(),
            ),
            (
                HEADER_REPORT_ONLY,
                "_csp_exempt_ro",
                "CONTENT_SECURITY_POLICY_REPORT_ONLY",
                "EXCLUDE_URL_PREFIXES",
                build_policy(report_only=True),
            ),
        )
    )


@receiver(setting_changed, dispatch_uid="csp-policy-changed")
def _forget_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_PAGES and settings.DEBUG:
            return response
        for header, exempt, excluded, policy in _site_policies():
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
