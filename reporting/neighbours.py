"""The national neighbours' indicators in one place (issue #19; the QĐ 766/QĐ-TTg criteria they
feed, #23): dossiers checked against CSDLQG về dân cư, fees paid online, dossiers received and
results returned by post — for a unit's sub-tree (within the reader's scope) over a period,
each number with the dossiers behind it. Each share is computed in SQL by its own module
(population_measures, payment_measures, postal); this one gives them one shape."""

from dataclasses import dataclass

from .payment_measures import dossiers_behind, online_payment_share
from .population_measures import population_data_share, verified_dossiers
from .postal import postal_dossiers, postal_share
from .tables import report_units


@dataclass(frozen=True)
class NeighbourMeasure:
    key: str
    name: str
    numerator: int
    denominator: int
    basis: str

    @property
    def rate(self) -> float | None:
        """Per cent; None when there was nothing to count (not a zero that reads as a miss)."""
        return round(100 * self.numerator / self.denominator, 1) if self.denominator else None


LABELS = {
    "population": (
        "Hồ sơ sử dụng dữ liệu dân cư",
        "hồ sơ đã xác thực người nộp với CSDLQG về dân cư / hồ sơ tiếp nhận",
    ),
    "online_payment": (
        "Thanh toán trực tuyến",
        "hồ sơ có phí, lệ phí đã nộp trực tuyến / hồ sơ có phí, lệ phí",
    ),
    "received_by_post": (
        "Tiếp nhận qua bưu chính",
        "hồ sơ nhận qua bưu chính công ích / hồ sơ tiếp nhận",
    ),
    "returned_by_post": (
        "Trả kết quả qua bưu chính",
        "kết quả đã phát cho người nhận qua bưu chính / kết quả đã trả",
    ),
}
# What a list under a number may show (the numerators; denominators are the monthly table's).
DRILLS = ("population", "online_payment", "received_by_post", "returned_by_post")


def neighbour_measures(unit, period, *, scope=None) -> list[NeighbourMeasure]:
    """The four shares of ``unit``'s sub-tree for ``period``: four aggregate queries."""
    units = report_units(unit, scope, period)
    population = population_data_share(units, period)
    payments = online_payment_share(units, period.start, period.until)
    post = postal_share(unit, period, scope=scope)
    rows = [
        ("population", sum(r.verified for r in population), sum(r.received for r in population)),
        (
            "online_payment",
            sum(r["paid_online"] for r in payments),
            sum(r["with_fee"] for r in payments),
        ),
        ("received_by_post", post.received_by_post, post.received),
        ("returned_by_post", post.returned_by_post, post.returned),
    ]
    return [
        NeighbourMeasure(key, LABELS[key][0], numerator, denominator, LABELS[key][1])
        for key, numerator, denominator in rows
    ]


def neighbour_dossiers(unit, period, key, *, scope=None):
    """The dossiers behind the numerator ``key`` (one of DRILLS); ValueError otherwise."""
    units = report_units(unit, scope, period)
    if key == "population":
        rows = verified_dossiers(units, period)
    elif key == "online_payment":
        rows = dossiers_behind(units, period.start, period.until).filter(paid_online=True)
    elif key in ("received_by_post", "returned_by_post"):
        rows = postal_dossiers(unit, period, key, scope=scope)
    else:
        raise ValueError(key)
    return rows.select_related("applicant", "procedure", "current_unit").order_by(
        "received_at", "pk"
    )
