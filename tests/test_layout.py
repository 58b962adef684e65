"""The folder layout is the architecture: these import rules keep it that way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"forms", "kiosk", "sync", "hardware", "locales"}
#: files in the packages that only building needs (``make translations``)
BUILD_ONLY = {"locales/babel.cfg"}


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update((str(path.relative_to(ROOT)), name.split(".")[0]) for name in names)
    return found


@pytest.mark.parametrize("package", ["forms", "hardware"])
def test_standalone_packages_import_nothing_else_of_ours(package):
    assert {(f, m) for f, m in _imports(package) if m in OURS - {package}} == set()


def test_sync_never_imports_kiosk():
    assert {(f, m) for f, m in _imports("sync") if m == "kiosk"} == set()


def test_every_data_file_the_packages_need_is_in_the_installed_package():
    """A provisioned kiosk installs a wheel (deploy/lib.sh), not this tree: every file in a
    package that is not Python must match the package-data globs, or it is left behind
    (a shipped reference list was, once)."""
    import subprocess
    import tomllib

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    shipped = {
        str(path.relative_to(ROOT))
        for package, patterns in globs["package-data"].items()
        for pattern in patterns
        for path in (ROOT / package).glob(pattern)  # as setuptools reads them
    }
    tracked = subprocess.run(
        ["git", "ls-files", *sorted(OURS)], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    needed = [
        name
        for name in tracked
        if not name.endswith((".py", "/README.md"))  # modules ship as modules; READMEs stay
        and name not in BUILD_ONLY
    ]
    assert len(needed) > 50
    assert [name for name in needed if name not in shipped] == []
