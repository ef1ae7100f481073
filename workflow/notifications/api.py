"""The notification endpoints: a person's own notifications, unread first, and marking read."""

from django.db import models
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.pagination import NewestFirstCursorPagination
from workflow.notifications.models import Notification
from workflow.notifications.services import mark_all_read, mark_read


class NotificationSerializer(serializers.ModelSerializer):
    """A notification put into words in the reader's language (the one the request chose)."""

    kind_label = serializers.CharField(read_only=True, help_text="The kind, in words.")
    title = serializers.CharField(source="rendered_title", read_only=True)
    body = serializers.CharField(source="rendered_body", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "body",
            "params",
            "url",
            "case",
            "created_at",
            "read_at",
        ]


class UnreadFirstPagination(NewestFirstCursorPagination):
    ordering = ("is_read", "-id")


def own_notifications(user):
    return Notification.objects.for_user(user).annotate(
        is_read=models.Case(
            models.When(read_at__isnull=True, then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        )
    )


class NotificationListView(generics.ListAPIView):
    """Your notifications: unread first, then newest first."""

    serializer_class = NotificationSerializer
    pagination_class = UnreadFirstPagination

    def get_queryset(self):
        return own_notifications(self.request.user)


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk):
        """Mark one of your notifications read (404 if it is not yours)."""
        notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
        return Response(NotificationSerializer(mark_read(notification)).data)


class NotificationReadAllView(APIView):
    @extend_schema(
        request=None,
        responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()}),
    )
    def post(self, request):
        """Mark all your notifications read."""
        return Response({"marked": mark_all_read(request.user)})
