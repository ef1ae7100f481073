"""The API address of the case categories (the cases themselves are served by workflow)."""

from django.urls import path

from cases.api import CategoryListView

urlpatterns = [
    path("categories/", CategoryListView.as_view(), name="api-category-list"),
]
