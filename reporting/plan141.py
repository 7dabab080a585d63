"""The targets of Kế hoạch 141/KH-UBND (Bắc Yên, 15/6/2021) as rows of ``Target``: loaded by
the data migration and by ``load_targets``; the district office edits them in the admin.

Each row: (indicator, level code or "" for every level, remote units only / not / any,
first year in force, value, source). District-level targets apply to the district's units
and agencies alike (the plan's "cấp huyện"). Where the plan states a yearly increase, the
row spells out the resulting level and says so in its source.
"""

SOURCE = "Kế hoạch 141/KH-UBND ngày 15/6/2021, phụ lục"
DISTRICT_LEVELS = ("district", "agency")


def _levels(codes, indicator, year, value, source):
    return [(indicator, code, None, year, value, source) for code in codes]


def rows():
    out = []
    # III.2–4: digitize valid results ≥ 20 % district / ≥ 15 % commune (2021), then + 20 %
    # a year until 100 %.
    for year, district, commune in (
        (2021, 20, 15),
        (2022, 40, 35),
        (2023, 60, 55),
        (2024, 80, 75),
        (2025, 100, 95),
    ):
        note = f"{SOURCE} mục III.2–4 (năm {year}: {'mức gốc' if year == 2021 else 'tăng 20%/năm'})"
        out += _levels(DISTRICT_LEVELS, "result_digitization", year, district, note)
        out += _levels(("commune",), "result_digitization", year, commune, note)
    # III.1, III.6–7: digitization at reception, + 20 % a year 2023–2025 (from the 2022 level
    # of results, the plan giving no separate base).
    for year, district, commune in ((2023, 60, 55), (2024, 80, 75), (2025, 100, 95)):
        note = f"{SOURCE} mục III.6–7 (tăng 20%/năm, năm {year})"
        out += _levels(DISTRICT_LEVELS, "dossier_digitization", year, district, note)
        out += _levels(("commune",), "dossier_digitization", year, commune, note)
    out += [
        ("reuse", "", None, 2022, 30, f"{SOURCE} mục III.8 (≥ 30%, năm 2022)"),
        ("reuse", "", None, 2023, 80, f"{SOURCE} mục III.9 (≥ 80%, 2023–2025)"),
        ("online", "", None, 2023, 50, f"{SOURCE} mục III.10 (≥ 50%, 2023–2025)"),
        ("electronic_transfer", "", None, 2023, 80, f"{SOURCE} mục III.10 (≥ 80%, 2023–2025)"),
        ("satisfaction", "", None, 2025, 95, f"{SOURCE} mục VI.2 (≥ 95% đến năm 2025)"),
        ("waiting_time", "", None, 2022, 30, f"{SOURCE} mục VIII.1 (≤ 30 phút, năm 2022)"),
        ("waiting_time", "", None, 2023, 15, f"{SOURCE} mục VIII.2 (≤ 15 phút, 2023–2025)"),
        ("productivity", "", None, 2023, 1200, f"{SOURCE} mục VIII.3 (≥ 1.200 hồ sơ/người/năm)"),
        (
            "productivity",
            "",
            True,
            2023,
            800,
            f"{SOURCE} mục VIII.3 (xã vùng sâu, vùng xa, đặc biệt khó khăn ≥ 800)",
        ),
    ]
    return out


def load(target_model) -> int:
    """Create the plan's rows that are missing; rows the district office changed are kept."""
    created = 0
    for indicator, level, remote, year, value, source in rows():
        _, new = target_model.objects.get_or_create(
            indicator=indicator,
            level_code=level,
            for_remote_units=remote,
            year=year,
            defaults={"value": value, "source": source},
        )
        created += new
    return created
