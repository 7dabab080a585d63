"""A small district with a counter and three agencies, and helpers to receive dossiers there;
shared by the reception, API and page tests (loaded as a pytest plugin by conftest)."""

import pytest

from dossiers.models import ProcedureComponent
from dossiers.services import ReceivedComponent, receive_dossier

from .factories import ProcedureFactory, UnitFactory, UnitLevelFactory, staff

CITIZEN = {
    "kind": "person",
    "id_number": "014090001234",
    "name": "Lò Văn Sinh",
    "phone": "0912 345 678",
}


@pytest.fixture
def district(db):
    district_level = UnitLevelFactory(code="district", name="Huyện", rank=2)
    agency = UnitLevelFactory(code="agency", name="Cơ quan chuyên môn", rank=3, is_area=False)
    district = UnitFactory(
        code="H50.22", name="UBND huyện Bắc Yên", level=district_level, has_counter=False
    )
    counter = UnitFactory(
        code="H50.22.02",
        name="Bộ phận Một cửa huyện",
        level=agency,
        parent=district,
        kind="one_stop_district",
    )
    justice = UnitFactory(
        code="H50.22.03",
        name="Phòng Tư pháp",
        level=agency,
        parent=district,
        kind="phong_tu_phap",
        has_counter=False,
    )
    land = UnitFactory(
        code="H50.22.04",
        name="Phòng TN&MT",
        level=agency,
        parent=district,
        kind="phong_tnmt",
        has_counter=False,
    )
    finance = UnitFactory(
        code="H50.22.06",
        name="Phòng TC-KH",
        level=agency,
        parent=district,
        kind="phong_tckh",
        has_counter=False,
    )
    procedure = ProcedureFactory(name="Chứng thực hợp đồng", working_days=3)
    procedure.handling_units.set([counter, justice])
    ProcedureComponent.objects.create(
        procedure=procedure, order=1, name="Phiếu yêu cầu", required=True
    )
    ProcedureComponent.objects.create(
        procedure=procedure, order=2, name="Dự thảo hợp đồng", form="copy", copies=2, required=True
    )
    ProcedureComponent.objects.create(
        procedure=procedure, order=3, name="Giấy tờ khác", required=False
    )
    return {
        "counter": counter,
        "justice": justice,
        "land": land,
        "finance": finance,
        "procedure": procedure,
        "clerk": staff(counter, "clerk", username="motcua"),
        "specialist": staff(justice, "specialist", username="cv.tuphap"),
        "leader": staff(justice, "leader", username="ld.tuphap"),
        "land_specialist": staff(land, "specialist", username="cv.tnmt"),
        "finance_specialist": staff(finance, "specialist", username="cv.tckh"),
    }


def all_components(procedure):
    return [ReceivedComponent(c.pk, c.copies) for c in procedure.components.all()]


def receive(d, at=None, **kwargs):
    return receive_dossier(
        actor=d["clerk"],
        procedure=d["procedure"],
        applicant=kwargs.pop("applicant", CITIZEN),
        components=kwargs.pop("components", all_components(d["procedure"])),
        at=at,
        **kwargs,
    )
