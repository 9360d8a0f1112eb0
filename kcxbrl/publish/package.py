"""The report and its taxonomy as an XBRL Report Package (.xbri), written atomically.

Layout (one top folder, as Report Packages 1.0 require):

    NAME/META-INF/reportPackage.json, taxonomyPackage.xml, catalog.xml
    NAME/reports/NAME.xhtml          (schemaRef ../taxonomy/NAME.xsd: works packed and unpacked)
    NAME/taxonomy/NAME.xsd           the report's entry schema: imports kcx-2026.xsd (+ its calc adjustments)
    NAME/taxonomy/kcx-2026*.x*

The zip is deterministic: sorted entries, fixed timestamps and permissions.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from kcxbrl.dts import (
    SCHEMA_FILE, TAXONOMY_URL_BASE, Taxonomy, build_catalog, build_report_extension, build_taxonomy_package, calc_arcs,
    taxonomy_files,
)

REPORT_PACKAGE_TYPE = "https://xbrl.org/report-package/2023/xbri"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def schema_ref(name: str) -> str:
    """The report's schemaRef: its own entry schema, relative, so it resolves packed and unpacked."""
    return f"../taxonomy/{name}.xsd"


def package_files(name: str, report: bytes, taxonomy: Taxonomy,
                  unprinted: tuple[tuple[str, str, str], ...]) -> dict[str, bytes]:
    """Every file of the package, by its path inside the zip. `unprinted`: (role, total, item)
    of the sums the report's entry schema prohibits (Tagging.unprinted_calc)."""
    files = {
        f"{name}/META-INF/reportPackage.json": (
            json.dumps({"documentInfo": {"documentType": REPORT_PACKAGE_TYPE}}, indent=2) + "\n"
        ).encode(),
        f"{name}/META-INF/taxonomyPackage.xml": build_taxonomy_package(
            TAXONOMY_URL_BASE + SCHEMA_FILE, f"{TAXONOMY_URL_BASE}report/{name}"),
        f"{name}/META-INF/catalog.xml": build_catalog("../taxonomy/"),
        f"{name}/reports/{name}.xhtml": report,
    }
    for rel, data in taxonomy_files(taxonomy).items():
        if not rel.startswith("META-INF/"):
            files[f"{name}/taxonomy/{rel}"] = data
    prohibited = [arc for arc in calc_arcs(taxonomy) if (arc.role.id, arc.total, arc.item) in set(unprinted)]
    for rel, data in build_report_extension(name, prohibited).items():
        files[f"{name}/taxonomy/{rel}"] = data
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[path])
    return buffer.getvalue()


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A scratch folder beside the outputs; removed whatever happens."""
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".kcxbrl-", dir=out))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def move_into_place(staged: Path, target: Path) -> None:
    """Move a staged file or folder into place, replacing what was there."""
    if target.is_dir() and staged.is_dir():
        trash = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, trash)
        os.replace(staged, target)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(staged, target)
