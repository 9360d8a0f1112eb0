"""out/index.html: one review page for the reports in an output folder, made from the files
each build left there (validation.json, findings.json, coverage.json, the exports, the viewer),
so it describes what is on disk, whichever build wrote it. Plain HTML, no script, no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

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
    links = [(label, f"{name}/{file}") for label, file in (
        ("report", f"reports/{name}.xhtml"), ("viewer", "viewer.html"), ("xBRL-JSON", f"{name}.json"),
        ("xBRL-CSV", f"{name}-metadata.json"), ("package", f"{name}.xbri"), ("validation", "validation.json"),
        ("findings", "findings.json"), ("checks", "checks.json"), ("coverage", "coverage.json"),
        ("sources", "sources.json"),
    ) if (folder / file).is_file()]
    return {
        "name": name,
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
        "links": [(label, quote(href)) for label, href in links],
        "report": quote(f"{name}/reports/{name}.xhtml") if (folder / "reports" / f"{name}.xhtml").is_file() else None,
        "viewer": quote(f"{name}/viewer.html") if (folder / "viewer.html").is_file() else None,
    }


def _where(href: Any, line: Any) -> str:
    return f"{href or ''}:{line}" if line else str(href or "")


def _finding(f: dict) -> dict:
    ref = f.get("ref") or {}
    others = sorted({r.get("line") for r in f.get("refs") or [] if isinstance(r, dict)} - {ref.get("line"), None})
    return {"severity": f.get("severity", ""), "code": f.get("code", ""), "message": f.get("message", ""),
            "where": f"{ref.get('file', '')}:{ref.get('line', '')}"
                     + (f" (also {', '.join(str(n) for n in others)})" if others else "")}
