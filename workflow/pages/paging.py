"""Pages of a list: the one page size every list page uses."""

from django.core.paginator import Paginator

PAGE_SIZE = 20


def page_of(queryset, number):
    return Paginator(queryset, PAGE_SIZE).get_page(number)
