from django.core.paginator import Paginator

MAX_PAGES = 400


class CountedPaginator(Paginator):
    """A paginator told its total (summed from the listing's counts) instead of counting."""

    def __init__(self, object_list, per_page, total):
        super().__init__(object_list, per_page)
        self._total = total

    @property
    def count(self):
        return self._total

    @property
    def num_pages(self):
        # Paging reads every earlier row's sort key: past this depth, filter instead.
        return min(super().num_pages, MAX_PAGES)
