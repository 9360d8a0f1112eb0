"""The layout is the pipeline: each stage imports only what comes before it, other stages only
through their package's top; Arelle only in the adapter, jinja2 only in the renderer, ix: only
in one macro."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import kcxbrl
from kcxbrl.resources import templates_dir

PACKAGE = Path(kcxbrl.__file__).parent

# Lower ranks never import higher ones. Rank 0: what every stage shares.
RANKS = {
    "kcxbrl.errors": 0, "kcxbrl.resources": 0, "kcxbrl.findings": 0, "kcxbrl.rounding": 0,
    "kcxbrl.dts": 1,  # the taxonomy: model of taxonomy/source and its generator
    "kcxbrl.profile": 2,  # issuer profiles
    "kcxbrl.read": 3,
    "kcxbrl.understand": 4,
    "kcxbrl.check": 5,
    "kcxbrl.publish": 6,
    "kcxbrl.validate": 7,
    "kcxbrl.build": 8,  # runs the stages
    "kcxbrl.profile_init": 8,  # a starting profile: reads and understands a document
    "kcxbrl.cli": 9,
    "kcxbrl.benchmark": 10,
    "kcxbrl.__main__": 10,  # the command: kcxbrl.cli, with Ctrl-C covered while it is imported
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _unit(module: str) -> str | None:
    """The stage or shared module a module belongs to."""
    return next((u for u in sorted(RANKS, key=len, reverse=True) if module == u or module.startswith(u + ".")), None)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in _modules()}
    return names


def test_every_module_belongs_to_a_stage_or_the_shared_base():
    modules = [m for m in _modules() if m not in ("kcxbrl", "kcxbrl.samples", "kcxbrl.profiles")]
    assert [m for m in modules if _unit(m) is None] == []


def test_no_stage_imports_a_later_one():
    backwards = []
    for module, path in _modules().items():
        unit = _unit(module)
        if unit is None:
            continue
        for imported in _imports(path):
            target = _unit(imported)
            if target is not None and RANKS[target] > RANKS[unit]:
                backwards.append(f"{module} imports {imported}")
    assert backwards == []


def test_another_stage_is_imported_through_its_top():
    """A stage's public function and models are at its package's top; its modules are its own."""
    reaching_in = []
    for module, path in _modules().items():
        unit = _unit(module)
        for imported in _imports(path):
            target = _unit(imported)
            if target and target != unit and imported != target and (PACKAGE / target.split(".", 1)[1]).is_dir():
                reaching_in.append(f"{module} imports {imported}")
    assert reaching_in == []


def test_only_the_adapter_imports_arelle():
    # ixbrl-viewer is an Arelle plugin: it runs on Arelle's model, so it lives in the adapter too
    users = sorted(m for m, p in _modules().items()
                   if any(i.split(".")[0] in ("arelle", "iXBRLViewerPlugin") for i in _imports(p)))
    assert users == ["kcxbrl.validate.arelle_adapter"]


def test_only_the_renderer_imports_jinja2():
    users = sorted(m for m, p in _modules().items() if any(i.split(".")[0] == "jinja2" for i in _imports(p)))
    assert users == ["kcxbrl.publish.render"]


def test_one_macro_writes_ix_elements():
    writers = {p.name for p in templates_dir().glob("*.j2") if re.search(r"<ix:|</ix:", p.read_text(encoding="utf-8"))}
    assert writers == {"_ix.j2"}
    assert all("<ix:" not in p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))


def test_readme_pipeline_table_names_every_module():
    """The README's pipeline table is the map of the tree: each module is named in the row of its
    stage's package (a module of the package's top, in a row whose package is a module or
    `kcxbrl/`); a new module without a mention is a map gone stale."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Pipeline"):]
    table = section[section.index("| stage |"):]
    rows = [line.strip("|").split("|", 2) for line in table[:table.index("\n\n")].splitlines()[2:]]
    by_folder: dict[str, str] = {}
    for _, package, text in rows:
        folder = package.strip().split("`")[1]
        folder = folder.rstrip("/") if folder.endswith("/") else "kcxbrl"
        by_folder[folder] = by_folder.get(folder, "") + package.replace("kcxbrl/", "") + text
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        folder = path.parent.relative_to(PACKAGE.parent).as_posix()
        if path.name == "__init__.py" or folder in ("kcxbrl/samples", "kcxbrl/profiles"):
            continue
        if f"`{path.name}`" not in by_folder.get(folder, ""):
            missing.append(f"{folder}/{path.name}")
    assert missing == []
