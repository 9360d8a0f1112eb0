"""Stage 5, validate: Arelle, offline and strict, on the written package, with its xBRL-JSON
export. arelle_adapter.py is the one module that imports Arelle."""

from __future__ import annotations

import json

from kcxbrl.validate.arelle_adapter import (
    ArelleMessage, LoadedFact, ValidationReport, Viewer, arelle_home, load_facts, preload, validate, validate_taxonomy,
)

__all__ = [
    "ArelleMessage", "LoadedFact", "ValidationReport", "Viewer", "arelle_home", "load_facts", "preload", "validate",
    "validate_taxonomy", "validation_json",
]


def validation_json(report: ValidationReport) -> str:
    """NAME/validation.json: Arelle's messages and counts (no timings: the file is deterministic)."""
    data = report.model_dump(mode="json", exclude={"seconds", "viewer_seconds", "entry"})
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
