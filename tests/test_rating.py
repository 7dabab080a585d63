"""Satisfaction ratings: one per returned dossier, on the public site or the counter's kiosk;
a negative rating with a comment reaches the unit's leader."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dossiers import services
from dossiers.models import AuditEvent, Rating

from .factories import staff
from .workflow_fixtures import receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def returned(district):
    at = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    d = receive(district, at=at)
    step = timedelta(hours=1)
    services.assign(d.pk, actor=district["clerk"], at=at + step)
    services.propose_result(d.pk, actor=district["specialist"], at=at + 2 * step)
    services.approve(d.pk, actor=district["leader"], at=at + 3 * step)
    services.return_result(d.pk, actor=district["clerk"], at=at + 4 * step)
    return d


def test_a_citizen_rates_once_online_and_a_complaint_reaches_the_leader(client, district):
    d = returned(district)
    form = {
        "ma": d.code,
        "kt": d.check_code,
        "score": "1",
        "comment": "Chờ lâu, <b>cán bộ</b> không hướng dẫn",
    }
    assert "Cảm ơn ông/bà đã đánh giá" in client.post("/danh-gia/", form).content.decode()
    rating = Rating.objects.get(dossier=d)
    assert rating.flagged and rating.channel == "web"
    again = client.post("/danh-gia/", {**form, "score": "4"}).content.decode()
    assert "Hồ sơ này đã được đánh giá" in again
    assert Rating.objects.get(dossier=d).score == 1
    counter_leader = staff(district["counter"], "leader", username="ld.motcua")
    client.force_login(counter_leader)
    home = client.get("/").content.decode()
    assert "Góp ý không hài lòng cần lãnh đạo xem" in home
    assert "Chờ lâu, &lt;b&gt;cán bộ&lt;/b&gt;" in home
    assert AuditEvent.objects.filter(action="dossier.rated").count() == 1


def test_ratings_are_refused_before_return_or_with_a_wrong_factor(client, district):
    d = receive(district)
    early = client.post("/danh-gia/", {"ma": d.code, "kt": d.check_code, "score": "4"})
    assert "chưa trả kết quả" in early.content.decode()
    wrong = client.post("/danh-gia/", {"ma": d.code, "kt": "0000", "score": "4"}).content.decode()
    assert "Không tìm thấy hồ sơ" in wrong
    bad = client.post("/danh-gia/", {"ma": d.code, "kt": d.check_code, "score": "9"})
    assert bad.status_code == 200 and not Rating.objects.exists()


def test_the_kiosk_at_the_counter(client, district):
    d = returned(district)
    client.force_login(district["specialist"])
    with pytest.raises(services.WorkflowError):
        services.rating.rate_at_counter(d.pk, actor=district["specialist"], score=4)
    client.force_login(district["clerk"])
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert "Mời công dân đánh giá tại quầy" in page
    done = client.post(f"/ho-so/{d.code}/danh-gia/", {"score": "4"}).content.decode()
    assert "Cảm ơn ông/bà đã đánh giá!" in done
    rating = Rating.objects.get(dossier=d)
    assert rating.channel == "kiosk" and rating.satisfied and not rating.flagged
