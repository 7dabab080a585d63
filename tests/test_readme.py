"""The README documents every environment variable the settings read, and opens with the two
commands."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_variable_is_in_the_configuration_table():
    settings_source = (ROOT / "bacyen_portal" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"\)', settings_source))
    read |= set(
        re.findall(r'"([A-Z_]+)"', settings_source.split("for _name in (")[1].split(")")[0])
    )
    readme = (ROOT / "README.md").read_text()
    table = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.M))
    assert read, "no variables found: the pattern no longer matches settings.py"
    assert read <= table, f"missing from the README: {sorted(read - table)}"


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make run", "make test"]
