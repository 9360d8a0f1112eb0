"""The seams: Arelle only in the adapter, jinja2 only in the renderer, ix: only in one macro."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import kcxbrl
from kcxbrl.resources import templates_dir

PACKAGE = Path(kcxbrl.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_adapter_imports_arelle():
    users = sorted(p.name for p in PACKAGE.glob("*.py") if "arelle" in _imports(p))
    assert users == ["arelle_adapter.py"]


def test_only_the_renderer_imports_jinja2():
    users = sorted(p.name for p in PACKAGE.glob("*.py") if "jinja2" in _imports(p))
    assert users == ["render.py"]


def test_one_macro_writes_ix_elements():
    writers = {p.name for p in templates_dir().glob("*.j2") if re.search(r"<ix:|</ix:", p.read_text(encoding="utf-8"))}
    assert writers == {"_ix.j2"}
    assert all("<ix:" not in p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py"))
