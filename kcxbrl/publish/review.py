"""out/index.html: one review page for the reports in an output folder, made from the files
each build left there (validation.json, findings.json, coverage.json, the exports, the viewer),
so it describes what is on disk, whichever build wrote it. Plain HTML, no script, no network."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kcxbrl.errors import display_name
from kcxbrl.publish.render import render_review

REVIEW_PAGE = "index.html"
# coverage rules whose tokens are numbers but not figures: years and dates in captions, numbers in labels
NOT_FIGURES = frozenset({"table.header", "table.label", "table.noteReference", "prose.date", "prose.heading"})


def review_page(out: Path) -> str:
    """The page for every report folder in `out` (out/NAME/ with NAME.json and validation.json)."""
    documents = [_document(folder) for folder in sorted(out.iterdir()) if _is_report(folder)]
    across = _load(out / "checks.json")
    return render_review({
        "documents": documents,
        "across": [_finding(f) for f in across.get("findings", [])] if isinstance(across, dict) else [],
        "compared": across.get("compared") if isinstance(across, dict) else None,
        "totals": {key: sum(d[key] for d in documents) for key in ("facts", "errors", "warnings", "inconsistencies",
                                                                   "assertions", "findings")},
    })


def _is_report(folder: Path) -> bool:
    return (folder.is_dir() and not folder.name.startswith(".") and (folder / f"{folder.name}.json").is_file()
            and (folder / "validation.json").is_file())


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _document(folder: Path) -> dict:
    name = folder.name
    validation = _load(folder / "validation.json")
    coverage = _load(folder / "coverage.json")
    findings = _load(folder / "findings.json")
    by_rule = coverage.get("by_rule", {}) if isinstance(coverage, dict) else {}
    shown = [f for f in findings if isinstance(f, dict) and (f.get("severity") != "info" or
                                                              str(f.get("code", "")).startswith("source."))]
    # the report and the xBRL-CSV keep the package's inner name (the stem made safe for URIs)
    report = next(iter(sorted((folder / "reports").glob("*.xhtml"))), None)
    csv = next(iter(sorted(folder.glob("*-metadata.json"))), None)
    files = [("report", report), ("viewer", folder / "viewer.html"), ("xBRL-JSON", folder / f"{name}.json"),
             ("xBRL-CSV", csv), ("package", folder / f"{name}.xbri")] + [
        (file.split(".")[0], folder / file) for file in ("validation.json", "findings.json", "checks.json",
                                                        "coverage.json", "sources.json")]
    links = {label: _href(path.relative_to(folder.parent)) for label, path in files if path is not None and path.is_file()}
    return {
        "name": _shown(name),
        "anchor": _href(Path(name)),
        "facts": int(validation.get("fact_count", 0)),
        "errors": int(validation.get("errors", 0)),
        "warnings": int(validation.get("warnings", 0)),
        "inconsistencies": int(validation.get("inconsistencies", 0)),
        "assertions": int(validation.get("assertions", 0)),
        "untagged_tables": sum(n for rule, n in by_rule.items() if rule.startswith("table.") and rule not in NOT_FIGURES),
        "untagged_prose": sum(n for rule, n in by_rule.items() if rule.startswith("prose.") and rule not in NOT_FIGURES),
        "findings": len(shown),
        "finding_rows": [_finding(f) for f in shown],
        "messages": [{"level": m.get("level", ""), "code": m.get("code", ""), "where": _where(m.get("href"), m.get("line")),
                      "text": m.get("text", "")} for m in validation.get("messages", [])],
        "links": list(links.items()),
        "report": links.get("report"),
        "viewer": links.get("viewer"),
    }


def _href(path: Path) -> str:
    """A relative URL for a file name as it is on disk (bytes that are not UTF-8 included)."""
    return quote(os.fsencode(path.as_posix()))


def _shown(name: str) -> str:
    """A name as the page can print it: bytes that are not UTF-8 and control characters escaped."""
    return display_name(os.fsencode(name).decode("utf-8", "backslashreplace"))


def _where(href: Any, line: Any) -> str:
    return f"{href or ''}:{line}" if line else str(href or "")


def _finding(f: dict) -> dict:
    ref = f.get("ref") or {}
    others = sorted({r.get("line") for r in f.get("refs") or [] if isinstance(r, dict)} - {ref.get("line"), None})
    return {"severity": f.get("severity", ""), "code": f.get("code", ""), "message": f.get("message", ""),
            "where": f"{ref.get('file', '')}:{ref.get('line', '')}"
                     + (f" (also {', '.join(str(n) for n in others)})" if others else "")}
