"""What the formatter and the import rules keep true of the source (issue #15, item 8): ruff
formats every line (no `# fmt: skip`), and an import written inside a function names, in a
comment, the cycle it breaks — except in AppConfig.ready(), where Django wants them, and in the
benches and tests, which import the portal's modules only once django.setup() has run."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "migrations", "node_modules", "var", "test-artifacts"}


def sources():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def test_the_formatter_lays_out_every_file():
    marked = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sources()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.rstrip().endswith(("# fmt: skip", "# fmt: off"))
    ]
    assert marked == []


def local_imports(path):
    """(line, has a comment) of each import inside a function other than ready()."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "ready":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    # One comment above a run of imports speaks for the whole run.
                    top = inner.lineno - 1
                    while top > 0 and lines[top - 1].lstrip().startswith(("import ", "from ")):
                        top -= 1
                    above = lines[top - 1] if top > 0 else ""
                    commented = "#" in lines[inner.lineno - 1] or above.strip().startswith("#")
                    yield inner.lineno, commented


def test_an_import_inside_a_function_says_why():
    silent = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sources()
        if path.relative_to(ROOT).parts[0] not in {"tests", "bench", "scripts", "manage.py"}
        for line, commented in local_imports(path)
        if not commented
    ]
    assert silent == []


def test_the_check_sees_a_silent_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    import os\n\n    # json: only when asked\n    import json\n    import re\n"
    )
    assert list(local_imports(sample)) == [(2, False), (5, True), (6, True)]
