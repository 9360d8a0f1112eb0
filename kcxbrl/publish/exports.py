"""The JSON files beside each report: what kcxbrl noticed (findings.json), the announcement's own
errors (checks.json), where each fact was printed (sources.json) and what was left untagged
(coverage.json). Each is sorted and deterministic."""

from __future__ import annotations

import json
from typing import Any, Iterable

from kcxbrl.findings import Finding
from kcxbrl.understand import Fact


def findings_json(findings: Iterable[Finding]) -> str:
    data = [f.model_dump(mode="json") for f in findings]
    data.sort(key=lambda f: (f["ref"]["file"], f["ref"]["line"], f["ref"]["column"], f["code"], f["message"]))
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def sources_json(facts: Iterable[Fact]) -> str:
    """output/NAME/sources.json: fact id -> where the announcement prints it."""
    data = {f.id: {"file": f.source.file, "line": f.source.line, "column": f.source.column, "label": f.label,
                   "display": f.display} for f in facts}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def coverage_json(coverage: dict[str, Any]) -> str:
    return json.dumps(coverage, indent=2, ensure_ascii=False) + "\n"
