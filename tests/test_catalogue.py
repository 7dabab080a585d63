"""The shipped catalogue and the catalogue's rules: days, retention, national codes."""

import json
import re
from collections import Counter
from copy import deepcopy
from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dossiers.demo import load_units
from dossiers.models import Procedure
from dossiers.services.catalogue import (
    DATA_DIR,
    CatalogueError,
    import_catalogue,
    read_json,
    todays_catalogue,
)

from .factories import ProcedureFactory

REQUIRED_FIELDS = {"HT", "CT", "DD", "XD", "DKKD", "LDTBXH", "TP"}


def test_the_data_file_covers_the_seven_fields_with_forty_procedures():
    data = json.loads((DATA_DIR / "catalogue.json").read_text(encoding="utf-8"))
    procedures = data["procedures"]
    assert len(procedures) >= 40
    codes = [p["national_code"] for p in procedures]
    assert len(codes) == len(set(codes))
    per_field = Counter(p["field"] for p in procedures)
    assert all(per_field[f] >= 5 for f in REQUIRED_FIELDS), per_field
    # Placeholder codes are allowed only when the file says so for that procedure.
    for p in procedures:
        if p["national_code"].startswith("99."):
            assert "MÃ TẠM" in p["uncertain"], p["name"]


@pytest.mark.django_db
def test_the_shipped_catalogue_loads_and_is_valid():
    load_units()
    summary = import_catalogue(read_json(DATA_DIR / "catalogue.json"))
    assert summary["procedures"] == Procedure.objects.count() >= 40
    inter_agency = Procedure.objects.filter(steps__isnull=False).distinct()
    assert inter_agency.exists()
    for procedure in Procedure.objects.prefetch_related("components", "handling_units"):
        procedure.full_clean()
        assert procedure.components.exists(), procedure
        assert procedure.handling_units.exists(), procedure
    # Loading twice changes nothing.
    assert import_catalogue(read_json(DATA_DIR / "catalogue.json")) == summary


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, -3])
def test_a_procedure_with_zero_or_negative_days_is_refused(days):
    load_units()
    data = read_json(DATA_DIR / "catalogue.json")
    broken = deepcopy(data)
    broken["procedures"][0]["time"] = {"kind": "working_days", "days": days}
    before = Procedure.objects.count()
    with pytest.raises(CatalogueError, match="ngày làm việc|không hợp lệ"):
        import_catalogue(broken)
    assert Procedure.objects.count() == before  # one transaction: nothing half-loaded


@pytest.mark.django_db
def test_model_validation_names_the_problem_in_vietnamese():
    procedure = ProcedureFactory.build(working_days=0)
    procedure.field.save()
    procedure.level.save()
    with pytest.raises(ValidationError) as err:
        procedure.full_clean()
    assert "Thời hạn giải quyết phải từ 1 ngày làm việc trở lên." in err.value.messages
    same_day = ProcedureFactory.build(time_kind="same_day", working_days=None)
    with pytest.raises(ValidationError) as err:
        same_day.full_clean()
    assert any("giờ chốt" in m for m in err.value.messages)


@pytest.mark.django_db
def test_the_database_refuses_what_validation_would(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureFactory(working_days=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureFactory(retention_years=None, retention_permanent=False)
    assert ProcedureFactory(same_day=True).same_day_cutoff == time(15, 0)


@pytest.mark.django_db
def test_a_broken_data_file_is_named():
    with pytest.raises(CatalogueError, match="Không tìm thấy tệp"):
        read_json(DATA_DIR / "khong-co.json")


@pytest.mark.django_db
def test_todays_catalogue_loads_with_its_sources_and_says_what_is_unverified():
    """Issue 17's 2026 catalogue: at least 100 real codes over the fields the counters receive
    most; whatever is not verified says so (and why), whatever is verified names its source."""
    load_units()
    data = todays_catalogue()
    items = data["procedures"]
    assert len(items) >= 100
    assert all(re.fullmatch(r"\d\.\d{6}", p["national_code"]) for p in items)
    assert len({p["national_code"] for p in items}) == len(items)
    assert {"HT", "CT", "DD", "XD", "DKKD", "BTXH", "NCC", "TP", "NV", "GD"} <= {
        p["field"] for p in items
    }
    for p in items:
        if p["verified"] is True:
            assert p["sources"], p["national_code"]
        else:
            assert p["uncertain"].strip(), p["national_code"]
    # A record that only shows the code and name on DVCQG does not make a procedure verified.
    seen_on_dvcqg = [p for p in items if any("dvcqg-live-verification" in s for s in p["sources"])]
    assert len(seen_on_dvcqg) == 36
    assert [p["national_code"] for p in seen_on_dvcqg if p["verified"] is True] == ["1.001193"]
    import_catalogue(read_json(DATA_DIR / "catalogue.json"))
    import_catalogue(data)
    loaded = Procedure.objects.filter(national_code__in=[p["national_code"] for p in items])
    assert loaded.count() == len(items)
    assert loaded.filter(verified=False).exclude(data_note="").count() == sum(
        p["verified"] is not True for p in items
    )
