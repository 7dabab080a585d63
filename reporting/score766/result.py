"""The shape of a QĐ 766 score: a unit and period's total, its groups, their sub-indicators.
Plain dataclasses (picklable for the cache, ``as_dict`` for the API and the live dashboard)."""

from dataclasses import asdict, dataclass, field

MEASURED, EMPTY, UNMEASURABLE = "measured", "empty", "unmeasurable"
STATUS_LABELS = {
    MEASURED: "đã đo",
    EMPTY: "không phát sinh trong kỳ",
    UNMEASURABLE: "chưa đo được",
}


@dataclass
class ScoreItem:
    code: str
    name: str
    group: str
    max_points: float
    points: float = 0.0
    status: str = MEASURED
    reason: str = ""
    numerator: int | None = None
    denominator: int | None = None
    rate: float | None = None
    target: float = 100.0
    formula: str = ""
    verified: str = "unverified"

    @property
    def measured(self) -> bool:
        return self.status == MEASURED

    @property
    def lost_points(self) -> float:
        """Points missed on a measured item (an unmeasured one loses nothing: it is apart)."""
        return round(self.max_points - self.points, 2) if self.measured else 0.0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


class Sums:
    """Points of a group or a whole score, summed over its items (``_parts``)."""

    def _parts(self) -> list[ScoreItem]:
        raise NotImplementedError

    @property
    def points(self) -> float:
        return round(sum(i.points for i in self._parts()), 2)

    @property
    def max_points(self) -> float:
        return round(sum(i.max_points for i in self._parts()), 2)

    @property
    def measured_max(self) -> float:
        return round(sum(i.max_points for i in self._parts() if i.measured), 2)

    @property
    def lost_points(self) -> float:
        return round(sum(i.lost_points for i in self._parts()), 2)

    @property
    def unmeasured(self) -> float:
        """Points of items not measured (no data source, or nothing in the period)."""
        return round(self.max_points - self.measured_max, 2)


@dataclass
class ScoreGroup(Sums):
    code: str
    name: str
    items: list[ScoreItem] = field(default_factory=list)

    def _parts(self):
        return self.items


@dataclass
class Score(Sums):
    unit_code: str
    unit_name: str
    level: str
    period_token: str
    period_label: str
    complete: bool
    groups: list[ScoreGroup] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # items not applying at this level

    @property
    def items(self) -> list[ScoreItem]:
        return [i for g in self.groups for i in g.items]

    def _parts(self):
        return self.items

    @property
    def total(self) -> float:
        return self.points

    @property
    def max(self) -> float:
        return self.max_points

    @property
    def lost(self) -> float:
        return self.lost_points

    def as_dict(self) -> dict:
        out = asdict(self)
        out.update(
            total=self.total,
            max=self.max,
            measured_max=self.measured_max,
            lost=self.lost,
            unmeasured=self.unmeasured,
        )
        for group, raw in zip(self.groups, out["groups"], strict=True):
            raw.update(
                points=group.points,
                max_points=group.max_points,
                measured_max=group.measured_max,
                lost_points=group.lost_points,
            )
            for item, raw_item in zip(group.items, raw["items"], strict=True):
                raw_item.update(measured=item.measured, lost_points=item.lost_points)
        return out
