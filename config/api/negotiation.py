"""Content negotiation for every API view."""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, except that OPTIONS describes an endpoint in JSON whatever format is
    asked for: a view that can also render HTML (the printable minutes, `?format=html`) has a
    template for its own answer, not for the endpoint's description."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if request.method == "OPTIONS":
            for renderer in renderers:
                if isinstance(renderer, JSONRenderer):
                    return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
