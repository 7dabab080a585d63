"""axe-core over every page of the main journeys (issue #21, item 10), failing on any critical
or serious violation of WCAG 2.1 AA. axe is vendored (tests/vendor/axe.min.js, MPL-2.0) and
injected with the page's CSP bypassed for the test's own script only."""

from pathlib import Path

import pytest

from dossiers.models import Procedure
from dossiers.roles import ensure_roles

from .test_browser_journey import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"critical", "serious"}
VIEWPORTS = {"counter": {"width": 1366, "height": 768}, "phone": {"width": 360, "height": 740}}
RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + n.failureSummary),
    count: v.nodes.length,
  }));
}"""


def violations(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=AXE)
    found = page.evaluate(RUN, TAGS)
    return [v for v in found if v["impact"] in BLOCKING]


def check(page, pages, problems, shots):
    for name, url in pages.items():
        for viewport, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            found = violations(page, url)
            slug = name.replace(" ", "-")
            page.screenshot(path=str(shots / f"a11y-{slug}-{viewport}.png"), full_page=True)
            for v in found:
                where = f"{name} ({viewport})"
                problems.append(f"{where}: {v['impact']} {v['id']} ×{v['count']} {v['nodes']}")


@pytest.fixture
def admin_user(march):
    ensure_roles()
    office = march["office"]
    office.is_staff = True
    office.save()
    return office


def test_main_journeys_have_no_critical_or_serious_violation(
    live_server, browser, contexts, march, admin_user, artifacts_dir
):
    base = live_server.url
    Procedure.objects.filter(pk=march["procedure"].pk).update(online_level="full")
    dossier = march["d"]
    problems = []

    # A citizen, signed in to nothing.
    citizen = browser.new_context(bypass_csp=True, locale="vi-VN")
    contexts.append(citizen)
    check(
        citizen.new_page(),
        {
            "login": f"{base}/dang-nhap/",
            "online form": f"{base}/nop-truc-tuyen/{march['procedure'].national_code}/",
            "online procedures": f"{base}/nop-truc-tuyen/",
            "status": f"{base}/tra-cuu/?ma={dossier.code}&kt={dossier.check_code}",
            "status form": f"{base}/tra-cuu/",
            "tv display": f"{base}/xep-hang/{march['counter'].code}/man-hinh/",
        },
        problems,
        artifacts_dir,
    )
    # The clerk at the counter.
    clerk = login(contexts, browser, base, "motcua", bypass_csp=True)
    check(
        clerk,
        {
            "home": f"{base}/",
            "reception": f"{base}/tiep-nhan/",
            "dossier list": f"{base}/ho-so/",
            "dossier page": f"{base}/ho-so/{dossier.code}/",
            "catalogue": f"{base}/thu-tuc/",
            "api docs": f"{base}/api/v1/docs/",
        },
        problems,
        artifacts_dir,
    )
    # The district office: reports and the admin.
    office = login(contexts, browser, base, admin_user.username, bypass_csp=True)
    procedure = march["procedure"]
    check(
        office,
        {
            "dashboard": f"{base}/bao-cao/?unit={march['counter'].code}&month=2025-03",
            "map of counters": f"{base}/bao-cao/ban-do/",
            "report table": f"{base}/bao-cao/bang/?unit={march['counter'].code}&month=2025-03",
            "admin index": f"{base}/quan-tri/",
            "admin changelist": f"{base}/quan-tri/dossiers/procedure/",
            "admin change form": f"{base}/quan-tri/dossiers/procedure/{procedure.pk}/change/",
        },
        problems,
        artifacts_dir,
    )
    assert problems == [], "\n".join(problems)
