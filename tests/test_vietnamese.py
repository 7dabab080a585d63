"""Vietnamese throughout (issue #21, item 6): the admin's own messages (Django's catalogue misses
its plural ones, so "Please correct the errors below." stayed English), the admin's scripts,
names family first, and a monospace font that carries the tone marks."""

import io
import json
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from dossiers.models import StaffProfile
from dossiers.text import full_name

from .factories import UnitFactory, staff
from .test_admin_and_screens import office  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
ENGLISH_ADMIN = (
    "Please correct",
    "Select ",
    "Change ",
    "Add another",
    "Skip to main content",
    "Toggle theme",
    "Breadcrumbs",
    "Enter a search term",
)


def test_an_admin_form_with_errors_says_so_in_vietnamese(
    client,
    office,  # noqa: F811 - the fixture imported above
):
    client.force_login(office)
    page = client.post("/quan-tri/dossiers/calendaroverride/add/", {"date": "", "kind": ""})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Vui lòng sửa các lỗi được chỉ ra dưới đây." in html
    for english in ENGLISH_ADMIN:
        assert english not in html, english
    listing = client.get("/quan-tri/dossiers/calendaroverride/").content.decode()
    assert re.search(r"Chọn .+ để sửa", listing)
    for english in ENGLISH_ADMIN:
        assert english not in listing, english


def test_the_admins_scripts_get_vietnamese_too(
    client,
    office,  # noqa: F811 - the fixture imported above
):
    client.force_login(office)
    catalog = client.get("/quan-tri/jsi18n/").content.decode()
    for words in ("Đã chọn %(sel)s trên %(cnt)s", "Chủ nhật", "Chọn %s: đánh dấu rồi bấm"):
        assert json.dumps(words)[1:-1] in catalog, words  # the catalogue is JSON-escaped


def test_names_are_written_family_first(db):
    unit = UnitFactory(name="Bộ phận Một cửa huyện")
    user = staff(unit, "clerk", first_name="Lan", last_name="Cầm Thị", username="lan")
    assert full_name(user) == "Cầm Thị Lan"
    assert user.get_full_name() == "Lan Cầm Thị"  # Django's order, which no screen uses
    assert str(StaffProfile.objects.get(user=user)).startswith("Cầm Thị Lan — ")


def test_no_screen_writes_a_name_with_djangos_family_last_order():
    found = [
        str(p.relative_to(ROOT))
        for pattern in ("**/*.py", "**/templates/**/*.html")
        for p in ROOT.glob(pattern)
        if ".venv" not in p.parts
        and "tests" not in p.parts
        and re.search(r"get_full_name\(\)|\.get_full_name\b", p.read_text(errors="ignore"))
        and p.name != "text.py"  # which says why it is not used
    ]
    assert found == []


@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_the_vendored_monospace_has_every_vietnamese_letter(weight):
    font = TTFont(io.BytesIO((ROOT / f"static/fonts/NotoSansMono-{weight}.woff").read_bytes()))
    cmap = font.getBestCmap()
    letters = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    missing = [ch for ch in letters + letters.upper() if ord(ch) not in cmap]
    assert missing == []
    css = (ROOT / "static/css/portal.css").read_text()
    assert f"../fonts/NotoSansMono-{weight}.woff" in css
    assert re.search(r'\.mono \{ font-family: "Portal Mono"', css)
