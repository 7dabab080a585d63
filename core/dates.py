"""Dates as the counters write them, dd/mm/yyyy, whatever the browser's language.

A native ``<input type="date">`` shows the browser's order (mm/dd/yyyy in an English Chromium:
1 November 2026 read "11/01/2026"), so every date the portal asks for is a text input with a
mask (static/js/dates.js adds the slashes), parsed here. The ISO form ``yyyy-mm-dd`` is still
accepted so that links and bookmarks written before keep working.
"""

from datetime import date, datetime, time

from django import forms
from django.utils import timezone

DAY_FORMAT = "%d/%m/%Y"
# ISO last: old links and the API's own values.
DAY_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DAY_ERROR = "Ngày phải theo dạng ngày/tháng/năm, ví dụ 01/11/2026."
# The browser's first check (its bubble says the title); the server's parse is the rule.
DAY_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}"
MOMENT_PATTERN = DAY_PATTERN + r"( \d{0,2}:?\d{0,2})?"
MOMENT_ERROR = "Ngày giờ phải theo dạng ngày/tháng/năm giờ:phút, ví dụ 01/11/2026 16:30."


class DayInput(forms.TextInput):
    """A text input for one day: numeric keyboard on phones, ``dd/mm/yyyy`` shown, the mask
    of static/js/dates.js (``data-date-mask``), and the value written back the same way."""

    def __init__(self, attrs=None, with_time=False):
        base = {
            "placeholder": "dd/mm/yyyy hh:mm" if with_time else "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "16" if with_time else "10",
            "data-date-mask": "moment" if with_time else "day",
            "pattern": MOMENT_PATTERN if with_time else DAY_PATTERN,
            "title": MOMENT_ERROR if with_time else DAY_ERROR,
        }
        super().__init__({**base, **(attrs or {})})
        self.format = f"{DAY_FORMAT} %H:%M" if with_time else DAY_FORMAT

    def format_value(self, value):
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return value.strftime(self.format)
        if isinstance(value, date):
            return value.strftime(DAY_FORMAT)
        return super().format_value(value)


def parse_day(text) -> date | None:
    """The day written in ``text`` (dd/mm/yyyy, or ISO), or None when it is not one."""
    text = (text or "").strip()
    for fmt in DAY_INPUT_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def day_text(day: date | None) -> str:
    return day.strftime(DAY_FORMAT) if day else ""


class DayField(forms.DateField):
    """One day typed dd/mm/yyyy, with the Vietnamese message when it is not one."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS
    default_error_messages = {"invalid": DAY_ERROR}


class MomentField(forms.DateTimeField):
    """A day with an optional time (``01/11/2026`` or ``01/11/2026 16:30``). A day alone means
    ``default_time`` of that day in the portal's zone (for an appointment: closing time)."""

    default_error_messages = {"invalid": MOMENT_ERROR}

    def __init__(self, *, default_time: time = time(17, 0), **kwargs):
        kwargs.setdefault("widget", DayInput(with_time=True))
        super().__init__(**kwargs)
        self.default_time = default_time

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            day = parse_day(text)
            if day is not None:
                moment = datetime.combine(day, self.default_time)
                return timezone.make_aware(moment)
            for fmt in (f"{DAY_FORMAT} %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"):
                try:
                    return timezone.make_aware(datetime.strptime(text, fmt))
                except ValueError:
                    continue
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
