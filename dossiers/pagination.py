from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told its total (summed from the listing's counts) instead of counting."""

    def __init__(self, object_list, per_page, total):
        super().__init__(object_list, per_page)
        self._total = total

    @property
    def count(self):
        return self._total
