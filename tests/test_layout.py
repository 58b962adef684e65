"""The folder layout is the architecture: these import rules keep it that way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"forms", "kiosk", "sync", "hardware", "locales"}


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
