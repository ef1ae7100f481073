"""The precedents' API: similar cases of a case, following one, and the search."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case
from config.api.pagination import NewestFirstCursorPagination
from workflow.casefile.api import CaseChildMixin
from workflow.precedents import search
from workflow.precedents.models import PrecedentFollow
from workflow.precedents.outcomes import similar_precedents
from workflow.precedents.serializers import (
    FollowInput,
    FollowSerializer,
    HitSerializer,
    SearchQuery,
    SimilarQuery,
    SimilarSerializer,
)
from workflow.precedents.services import precedent_follow


class CaseSimilarView(CaseChildMixin, APIView):
    @extend_schema(
        summary="The resolved and closed cases most similar to this one (类案参照), best first",
        parameters=[SimilarQuery],
        responses={200: SimilarSerializer},
    )
    def get(self, request, pk):
        query = SimilarQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = similar_precedents(self.get_case(), request.user, query.validated_data["limit"])
        return Response(SimilarSerializer({"results": found}).data)


class NewestFollowFirst(NewestFirstCursorPagination):
    ordering = ("-followed_at", "-id")


@extend_schema_view(
    get=extend_schema(summary="The precedents this case followed, newest first"),
    post=extend_schema(
        summary="Follow a precedent: copy its steps into the draft rules, or get them as "
        "assignment rows (coordinators)",
        request=FollowInput,
        responses={201: FollowSerializer},
    ),
)
class CasePrecedentFollowListView(CaseChildMixin, generics.ListCreateAPIView):
    queryset = PrecedentFollow.objects.none()
    serializer_class = FollowSerializer
    pagination_class = NewestFollowFirst

    def get_queryset(self):
        if not self.request.user.is_coordinator:
            # Which precedents the office followed is the office's working note.
            raise PermissionDenied
        return self.get_case().precedent_follows.select_related("precedent", "followed_by")

    def create(self, request, *args, **kwargs):
        case = self.get_case()
        data = FollowInput(data=request.data)
        data.is_valid(raise_exception=True)
        precedent = Case.objects.filter(pk=data.validated_data["precedent"]).first()
        follow = precedent_follow(
            case=case, precedent=precedent, by=request.user, mode=data.validated_data["mode"]
        )
        return Response(FollowSerializer(follow).data, status=status.HTTP_201_CREATED)


class SearchPagination(NewestFirstCursorPagination):
    def get_ordering(self, request, queryset, view):
        return view.kind.ordering


class SearchView(generics.ListAPIView):
    """Search across what the caller may see, one type at a time."""

    serializer_class = HitSerializer
    pagination_class = SearchPagination
    # Rows of several models; the schema reads the hits' serializer, not a model.
    queryset = Case.objects.none()

    @extend_schema(
        summary="Search cases, action items, sessions, resolutions or rules by text",
        parameters=[SearchQuery],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        query = SearchQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        self.kind_name = query.validated_data["type"]
        self.kind = search.KINDS[self.kind_name]
        return search.matching(
            self.kind_name, self.request.user, search.terms_of(query.validated_data["q"])
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return [search.hit(self.kind_name, row) for row in page]
