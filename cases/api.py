from rest_framework import generics

from cases.models import Category
from cases.serializers import CategorySerializer
from config.api.pagination import OldestFirstCursorPagination


class CategoryListView(generics.ListAPIView):
    """Active problem categories (问题类别) with their default time limits."""

    serializer_class = CategorySerializer
    queryset = Category.objects.filter(is_active=True)
    pagination_class = OldestFirstCursorPagination
