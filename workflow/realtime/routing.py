"""WebSocket URLs."""

from django.urls import path

from workflow.realtime import consumers

websocket_urlpatterns = [
    path("ws/cases/<int:case_id>/", consumers.CaseConsumer.as_asgi()),
    path("ws/inbox/", consumers.InboxConsumer.as_asgi()),
    path("ws/sessions/<int:session_id>/", consumers.SessionConsumer.as_asgi()),
]
