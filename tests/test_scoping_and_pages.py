"""Unit scoping (one helper for pages and API), the home page and the catalogue page."""

import pytest
from django.urls import reverse

from dossiers import queries

from .factories import DossierFactory, ProcedureFactory, UnitFactory, UnitLevelFactory, staff


@pytest.fixture
def district(db):
    district_level = UnitLevelFactory(code="district", name="Huyện", rank=2)
    agency = UnitLevelFactory(code="agency", name="Cơ quan chuyên môn", rank=3, is_area=False)
    district = UnitFactory(code="H50.22", name="UBND huyện Bắc Yên", level=district_level)
    return {
        "district": district,
        "office": UnitFactory(code="H50.22.01", name="Văn phòng", level=agency, parent=district),
        "land": UnitFactory(code="H50.22.04", name="Phòng TN&MT", level=agency, parent=district),
        "ta_xua": UnitFactory(code="H50.22.30", name="UBND xã Tà Xùa", parent=district),
        "xim_vang": UnitFactory(code="H50.22.33", name="UBND xã Xím Vàng", parent=district),
        "elsewhere": UnitFactory(code="H50.99", name="UBND huyện khác", level=district_level),
    }


def test_unit_paths_make_subtrees(district):
    codes = set(district["district"].subtree().values_list("code", flat=True))
    assert codes == {"H50.22", "H50.22.01", "H50.22.04", "H50.22.30", "H50.22.33"}
    assert district["land"].area() == district["district"]


def test_each_unit_sees_only_its_dossiers(district):
    ta_xua = DossierFactory(received=True, receiving_unit=district["ta_xua"])
    xim_vang = DossierFactory(received=True, receiving_unit=district["xim_vang"])
    handed_to_land = DossierFactory(
        in_progress=True, receiving_unit=district["ta_xua"], current_unit=district["land"]
    )
    DossierFactory(received=True, receiving_unit=district["elsewhere"])

    clerk = staff(district["ta_xua"], "clerk")
    specialist = staff(district["land"], "specialist")
    office = staff(district["office"], "district_office")
    assert set(queries.scoped_dossiers(clerk)) == {ta_xua, handed_to_land}
    assert set(queries.scoped_dossiers(specialist)) == {handed_to_land}
    assert set(queries.scoped_dossiers(office)) == {ta_xua, xim_vang, handed_to_land}


def test_a_user_without_a_unit_sees_nothing(district):
    DossierFactory(received=True, receiving_unit=district["ta_xua"])
    from .factories import UserFactory

    loner = UserFactory(role="district_office")
    assert queries.staff_unit(loner) is None
    assert not queries.scoped_dossiers(loner).exists()
    assert not queries.scoped_units(loner).exists()


def test_home_names_the_unit_and_counts_its_dossiers(
    client, district, django_assert_max_num_queries
):
    DossierFactory(received=True, receiving_unit=district["ta_xua"])
    DossierFactory(returned=True, receiving_unit=district["ta_xua"])
    DossierFactory(received=True, receiving_unit=district["xim_vang"])
    client.force_login(staff(district["ta_xua"], "clerk"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    body = response.content.decode()
    assert "<h1>UBND xã Tà Xùa</h1>" in body
    assert 'Hồ sơ của đơn vị <span class="count">2</span>' in body


def test_home_of_an_account_without_unit_explains_it(client, db):
    from .factories import UserFactory

    client.force_login(UserFactory())
    assert "Tài khoản chưa được gán đơn vị" in client.get(reverse("home")).content.decode()


def test_catalogue_page_finds_without_diacritics_and_escapes(client, district):
    ProcedureFactory(name="Đăng ký kết hôn", national_code="1.000894")
    ProcedureFactory(name="Cấp <script>alert(1)</script> giấy phép", national_code="1.000001")
    client.force_login(staff(district["ta_xua"], "clerk"))
    body = client.get(reverse("catalogue"), {"q": "dang ky ket hon"}).content.decode()
    assert "Đăng ký kết hôn" in body and "1 thủ tục" in body
    body = client.get(reverse("catalogue"), {"q": "giay phep"}).content.decode()
    assert "&lt;script&gt;" in body and "<script>alert" not in body
    empty = client.get(reverse("catalogue"), {"q": "khong co thu tuc nay"}).content.decode()
    assert "Không có thủ tục nào khớp điều kiện lọc" in empty
