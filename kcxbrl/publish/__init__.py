"""Stage 4, publish: a Filing -> the report (Inline XBRL through the jinja2 templates,
render.py), its report package with the taxonomy and the report's entry schema (package.py),
the JSON files beside it (exports.py), and the review page of an output folder (review.py); staged and moved into place so that an unusable
input or a failure leaves nothing half written.
"""

from __future__ import annotations

from kcxbrl.dts import Taxonomy
from kcxbrl.publish.exports import coverage_json, findings_json, sources_json
from kcxbrl.publish.model import Filing
from kcxbrl.publish.package import move_into_place, package_files, schema_ref, staging, write_tree, zip_bytes
from kcxbrl.publish.render import render_report
from kcxbrl.publish.review import NOT_FIGURES, REVIEW_PAGE, review_page

__all__ = [
    "NOT_FIGURES", "REVIEW_PAGE", "Filing", "findings_json", "move_into_place", "report_files", "review_page",
    "schema_ref", "sidecar_files", "sources_json", "staging", "write_tree", "zip_bytes",
]


def report_files(filing: Filing, taxonomy: Taxonomy, title: str) -> dict[str, bytes]:
    """Every file of the report package, by its path inside the zip (NAME/...)."""
    report = render_report(filing, title, taxonomy)
    return package_files(filing.document.name, report, taxonomy, filing.prohibited_calc)


def sidecar_files(filing: Filing) -> dict[str, str]:
    """The JSON files that go beside the unpacked package, by name."""
    source_findings = tuple(f for f in filing.findings if f.code.startswith("source."))
    return {
        "findings.json": findings_json(filing.findings),
        "checks.json": findings_json(source_findings),
        "sources.json": sources_json(filing.facts),
        "coverage.json": coverage_json(filing.coverage),
    }
