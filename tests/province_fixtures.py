"""A province on today's map for tests of province-wide reception: two communes with their
TTPVHCC, a department, the province's centre, a commune procedure and a provincial one, and
staff of every role where they work."""

from datetime import date

import pytest

from tests.factories import ProcedureFactory, UnitFactory, UnitLevelFactory, staff

TODAYS_MAP = date(2025, 7, 1)


@pytest.fixture
def province(db):
    level = UnitLevelFactory(code="province", name="Tỉnh", rank=1)
    agency = UnitLevelFactory(code="agency", name="Cơ quan", rank=3, is_area=False)
    p = UnitFactory(code="H50", name="Tỉnh Sơn La", level=level, has_counter=False)

    def commune(code, name):
        return UnitFactory(
            code=code,
            name=f"UBND xã {name}",
            short_name=f"Xã {name}",
            parent=p,
            valid_from=TODAYS_MAP,
            counter_name=f"Trung tâm Phục vụ hành chính công xã {name}",
        )

    units = {
        "province": p,
        "ta_xua": commune("H50.03868", "Tà Xùa"),
        "bac_yen": commune("H50.03856", "Bắc Yên"),
        "so": UnitFactory(
            code="H50.STP", name="Sở Tư pháp", level=agency, parent=p, has_counter=False
        ),
        "centre": UnitFactory(
            code="H50.TT", name="TTPVHCC tỉnh", level=agency, parent=p, kind="one_stop_province"
        ),
    }
    commune_level = UnitLevelFactory(code="commune")
    units["commune_procedure"] = ProcedureFactory(level=commune_level)
    units["commune_procedure"].handling_units.set([units["ta_xua"], units["bac_yen"]])
    units["province_procedure"] = ProcedureFactory(level=level, name="Cấp phiếu lý lịch tư pháp")
    units["province_procedure"].handling_units.set([units["so"]])
    for key in ("ta_xua", "bac_yen", "centre"):
        units[f"clerk_{key}"] = staff(units[key], "clerk")
    for key in ("bac_yen", "so"):
        units[f"specialist_{key}"] = staff(units[key], "specialist")
        units[f"leader_{key}"] = staff(units[key], "leader")
    return units
