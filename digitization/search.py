"""Full-text search over OCR text, scoped to the user's dossiers.

A query typed without diacritics matches with or without them ("bac yen" finds "Bắc Yên");
a query typed with diacritics matches only text that has those very marks ("Bắc Yên" does not
find "Bac Yen" nor "Bác Yến"). PostgreSQL: full-text search (the `simple` configuration,
no stemming) over GIN indexes, ranked with ts_rank. SQLite (embedded mode): substring match
on the same folded column, newest first.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from dossiers import queries as dossier_queries

from .models import ScannedPage
from .textsearch import fold, has_diacritics, normalise

PAGE_HITS = 30
RELATED = ("file", "file__dossier", "file__dossier__applicant", "file__dossier__procedure")
SNIPPET = 90


@dataclass
class PageHit:
    page: ScannedPage
    rank: float
    snippet: str  # safe HTML with <mark>s


def terms_of(query: str) -> tuple[list[str], bool]:
    """The query's words and whether to respect diacritics."""
    accented = has_diacritics(query)
    text = normalise(query).lower() if accented else fold(query)
    return [t for t in re.split(r"[^\w]+", text) if t], accented


def page_hits(user, query: str) -> list[PageHit]:
    terms, accented = terms_of(query)
    if not terms:
        return []
    pages = (
        ScannedPage.objects.filter(
            file__dossier__in=dossier_queries.scoped_dossiers(user).values("pk")
        )
        .select_related(
            "file",
            "file__dossier",
            "file__dossier__applicant",
            "file__dossier__procedure",
            "file__component",
        )
        .defer("words", "pdf")
    )
    column = "lowered" if accented else "folded"
    if connection.vendor == "postgresql":
        vector = f'to_tsvector(\'simple\'::regconfig, "{ScannedPage._meta.db_table}"."{column}")'
        tsquery = "plainto_tsquery('simple'::regconfig, %s)"
        words = " ".join(terms)
        # Only the column name (a constant above) is formatted in; the words are parameters.
        matches = RawSQL(f"{vector} @@ {tsquery}", [words], output_field=BooleanField())  # noqa: S611
        rank = RawSQL(f"ts_rank({vector}, {tsquery})", [words], output_field=FloatField())  # noqa: S611
        pages = pages.filter(matches).annotate(rank=rank)
        rows = list(pages.order_by("-rank", "-file_id", "number")[:PAGE_HITS])
    else:
        for term in terms:
            pages = pages.filter(**{f"{column}__contains": term})
        rows = list(pages.order_by("-file_id", "number")[:PAGE_HITS])
        for row in rows:
            row.rank = 0.0
    return [PageHit(p, p.rank, snippet(p, terms, accented)) for p in rows]


def dossiers_with_word(word: str):
    """The ids of the dossiers one of whose scanned pages holds the folded ``word`` in its OCR
    text, as a subquery (the archive's search uses it): PostgreSQL matches the word through
    the folded column's full-text index, SQLite (embedded mode) by substring."""
    pages = ScannedPage.objects.filter(file__dossier__isnull=False)
    if connection.vendor == "postgresql":
        # The very expression of the index (migration 0002), so that the planner uses it.
        vector = Func(
            F("folded"),
            template="to_tsvector('simple'::regconfig, %(expressions)s)",
            output_field=SearchVectorField(),
        )
        pages = pages.annotate(vector=vector).filter(vector=SearchQuery(word, config="simple"))
    else:
        pages = pages.filter(folded__contains=word)
    return pages.values("file__dossier_id")


def snippet(page, terms, accented) -> str:
    """A window of the page's text around the first match, the matches marked."""
    haystack = page.lowered if accented else page.folded
    text = page.text
    spans = []
    for term in terms:
        for match in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", haystack):
            spans.append((match.start(), match.end()))
    if not spans:
        return escape(text[: SNIPPET * 2])
    spans.sort()
    start = max(0, spans[0][0] - SNIPPET)
    end = min(len(text), spans[0][1] + SNIPPET)
    out, cursor = [], start
    for a, b in spans:
        if a < cursor or b > end:
            continue
        out.append(escape(text[cursor:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    out.append(escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(out).replace("\n", " ") + suffix)  # noqa: S308 - escaped above
