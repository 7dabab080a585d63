"""Vietnamese on a 360 px phone (issue #21, item 6): no heading breaks a word inside its syllable,
the browser's validation bubbles speak Vietnamese, and a code in the monospace keeps its marks
in the vendored font."""

import pytest

from dossiers.models import Procedure

from .test_browser_journey import login
from .workflow_fixtures import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = (
    "Đăng ký thường trú cho người chưa thành niên có nơi thường trú khác với cha, mẹ "
    "tại khu vực biên giới huyện Bắc Yên"
)
# Every word of every heading, as the number of line boxes its text takes: a word broken inside
# (break-all, overflow-wrap: anywhere in a narrow box) takes two.
BROKEN_WORDS = """[...document.querySelectorAll("h1, h2, h3")].flatMap((h) => {
  const broken = [];
  const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /\\S+/g;
    let m;
    while ((m = re.exec(node.data))) {
      if (/^[A-Z0-9.\\-]+$/.test(m[0]) && m[0].length > 12) continue;  // a dossier code
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
})"""


def test_headings_keep_their_syllables_whole_at_360_px(
    live_server, browser, contexts, district, artifacts_dir
):
    Procedure.objects.filter(pk=district["procedure"].pk).update(
        name=LONG_NAME, online_level="full"
    )
    dossier = receive(district)
    base = live_server.url
    page = login(contexts, browser, base, "motcua", viewport={"width": 360, "height": 740})
    code = district["procedure"].national_code
    pages = {
        "home": "/",
        "list": "/ho-so/",
        "dossier": f"/ho-so/{dossier.code}/",
        "catalogue": "/thu-tuc/",
        "online-form": f"/nop-truc-tuyen/{code}/",
        "status": f"/tra-cuu/?ma={dossier.code}&kt={dossier.check_code}",
    }
    for name, path in pages.items():
        page.goto(base + path)
        assert page.evaluate(BROKEN_WORDS) == [], name
        page.screenshot(path=str(artifacts_dir / f"words-{name}-360.png"), full_page=True)
    # The check sees a broken word: as the headings were drawn before (break-all).
    page.goto(base + pages["online-form"])
    page.evaluate("document.querySelectorAll('h1').forEach((h) => h.style.wordBreak = 'break-all')")
    assert page.evaluate(BROKEN_WORDS) != []


def test_validation_bubbles_speak_vietnamese(live_server, browser, contexts, district):
    page = browser.new_context(locale="en-US").new_page()
    contexts.append(page.context)
    page.goto(f"{live_server.url}/dang-nhap/")
    messages = page.evaluate(
        """[...document.querySelectorAll("form [required]")]
             .filter((f) => !f.checkValidity())  // fires "invalid", as pressing submit does
             .map((f) => [f.name, f.validationMessage])"""
    )
    assert len(messages) == 2, messages  # the user name and the password
    for name, text in messages:
        assert text == "Vui lòng điền vào ô này.", (name, text)
    # The citizens' pages carry no script: their forms leave the checks to the server, whose
    # messages are Vietnamese, and no English bubble shows.
    Procedure.objects.filter(pk=district["procedure"].pk).update(online_level="full")
    for path in ("/tra-cuu/", "/nop-truc-tuyen/", "/danh-gia/", "/dung-giai-quyet/"):
        page.goto(live_server.url + path)
        forms = page.locator("main form")
        assert forms.count() and all(
            forms.nth(i).get_attribute("novalidate") is not None for i in range(forms.count())
        ), path


def test_the_monospace_is_the_vendored_font_with_every_mark(
    live_server, browser, contexts, district
):
    dossier = receive(district)
    page = login(contexts, browser, live_server.url, "motcua")
    page.goto(f"{live_server.url}/ho-so/{dossier.code}/")
    page.evaluate("document.fonts.ready")
    assert page.evaluate(
        """document.fonts.check('700 16px "Portal Mono"', "Ảnh ầm ẩn ẫ ặ ổ ử ỹ")"""
    )
    family = page.locator("h1.mono").evaluate("(h) => getComputedStyle(h).fontFamily")
    assert family.startswith('"Portal Mono"')
