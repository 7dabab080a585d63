"""The arrows of design.md, checked on the source: an app imports only apps below it
(reporting → archive → integrations → digitization → dossiers; counter → dossiers), none
imports the wiring package (bacyen_portal), core imports no app, and no services module
imports a tasks module (tasks import services; work is enqueued by name, core/queue.py).
Imports inside functions count too: a cycle hidden in a function is still a cycle."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BELOW = {
    "core": set(),
    "dossiers": {"core"},
    "digitization": {"core", "dossiers"},
    "integrations": {"core", "dossiers", "digitization"},
    "archive": {"core", "dossiers", "digitization", "integrations"},
    # reporting reads every app below it, the counter queue included (waiting times).
    "reporting": {
        "core",
        "dossiers",
        "digitization",
        "integrations",
        "archive",
        "counter",
        "feedback",
    },
    "counter": {"core", "dossiers"},
    # Citizens' complaints and requests (PAKN) and the sentiment of comments: feedback reads
    # dossiers and units; dossiers never imports it; reporting reads it (the QĐ 766 score).
    "feedback": {"core", "dossiers"},
}
# Operations (backups, the restore check) sit on top: they read every app.
BELOW["operations"] = {
    "core",
    "dossiers",
    "digitization",
    "integrations",
    "archive",
    "reporting",
    "counter",
    "feedback",
}
# The local counterpart of the national platforms is a separate process: it imports no part of
# the portal, and no part of the portal imports it (they meet over HTTP).
BELOW["counterpart"] = set()
PACKAGES = set(BELOW) | {"bacyen_portal"}


def imports(path: Path):
    """(line, imported top-level package, imported dotted module) of every import in a file,
    relative imports resolved."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0], alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            names = [f"{name}.{alias.name}" for alias in node.names]
            for dotted in names or [name]:
                yield node.lineno, name.split(".")[0], dotted


def app_files():
    for app in BELOW:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            if "migrations" not in path.parts:
                yield app, path


def test_each_app_imports_only_the_apps_below_it():
    wrong = []
    for app, path in app_files():
        for line, top, _ in imports(path):
            if top in PACKAGES and top != app and top not in BELOW[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {top}")
    assert wrong == []


def test_no_services_module_imports_a_tasks_module():
    wrong = []
    for _, path in app_files():
        if "services" not in path.parts:
            continue
        for line, _, dotted in imports(path):
            parts = dotted.split(".")
            if "tasks" in parts[1:]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {dotted}")
    assert wrong == []


def test_the_walk_sees_imports_inside_functions(tmp_path):
    sample = ROOT / "dossiers" / "calendar.py"
    found = {dotted for _, _, dotted in imports(sample)}
    assert "dossiers.models.CalendarOverride" in found  # imported inside WorkingCalendar.load()
