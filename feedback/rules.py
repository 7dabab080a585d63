"""The PAKN rules as data (feedback/data/pakn.json): the answer's deadline in working days, the
content's limits. Read once per process."""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "pakn.json"


@cache
def rules() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def answer_working_days() -> int:
    return int(rules()["answer_deadline"]["working_days"])


def content_limits() -> tuple[int, int]:
    content = rules()["content"]
    return int(content["min_chars"]), int(content["max_chars"])
