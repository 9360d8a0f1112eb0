"""The taxonomy (the discoverable taxonomy set a report refers to): the typed model of its one
declarative source, taxonomy/source/*.toml, and the generator of the files in
taxonomy/kcx-2026/ and of each report's entry schema.

    python -m kcxbrl.dts          # rewrite taxonomy/kcx-2026/ from taxonomy/source/*.toml
    python -m kcxbrl.dts --check  # exit 1 if the committed files are not current
"""

from kcxbrl.dts.generate import (
    build_catalog, build_report_extension, build_taxonomy_package, stale_files, taxonomy_files,
)
from kcxbrl.dts.model import (
    NAMESPACE, PREFIX, SCHEMA_FILE, TAXONOMY_URL_BASE, VERSION, Breakdown, CalcArc, ColumnMember, Concept, Extension, MeasureColumn, Notes,
    ProseRule, RowRule, Scope, Summation, TableKind, Taxonomy, calc_arcs, default_taxonomy, extend, load_extension, load_taxonomy,
)

__all__ = [
    "NAMESPACE", "PREFIX", "SCHEMA_FILE", "TAXONOMY_URL_BASE", "VERSION", "Breakdown", "CalcArc", "ColumnMember", "Concept", "Extension",
    "MeasureColumn", "extend", "load_extension",
    "Notes", "ProseRule", "RowRule", "Scope", "Summation", "TableKind", "Taxonomy", "build_catalog", "build_report_extension",
    "build_taxonomy_package", "calc_arcs", "default_taxonomy", "load_taxonomy", "stale_files", "taxonomy_files",
]
