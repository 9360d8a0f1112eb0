"""Stage 3, check: the announcement's own figures, checked once, on what the understand stage
tagged; and the coverage of what it left untagged.

- translation.py: every US$ figure against its RMB figure at the stated rate;
- duplicates.py: the same figure printed twice (statements, highlights, notes, prose);
- sums.py: every taxonomy sum and dimensional breakdown the report prints, both currencies;
- comparatives.py: the same figure across documents (run over built reports);
- coverage.py: every numeric token left untagged, with the rule that left it out.

A check that finds the announcement at fault raises a `source.*` Finding naming file and line.
"""

from __future__ import annotations

from typing import Any

from kcxbrl.check.comparatives import ReportedFact, comparative_findings, load_report, reported_facts
from kcxbrl.check.coverage import coverage
from kcxbrl.check.duplicates import figure_disagreements
from kcxbrl.check.sums import sum_checks, sum_findings
from kcxbrl.check.translation import translation_findings
from kcxbrl.dts import Taxonomy
from kcxbrl.findings import Finding, Frozen
from kcxbrl.read import Document
from kcxbrl.understand import Tagging

__all__ = [
    "Checks", "ReportedFact", "check", "comparative_findings", "coverage", "figure_disagreements", "load_report",
    "reported_facts", "sum_checks", "sum_findings", "translation_findings",
]


class Checks(Frozen):
    """What the checks found in one announcement, and what its tagging left untagged."""

    findings: tuple[Finding, ...]
    coverage: dict[str, Any]  # coverage.json: every untagged numeric token with its line and rule
    # (role, total, item) of the calculation arcs the report's entry schema prohibits, so that
    # Arelle checks no sum this stage does not: the sums whose item the statement does not print
    # (Tagging.unprinted_calc), then those it prints with lines the tool did not read
    # (table.incompleteSum)
    prohibited_calc: tuple[tuple[str, str, str], ...] = ()


def check(document: Document, tagging: Tagging, taxonomy: Taxonomy) -> Checks:
    findings = figure_disagreements(tagging.facts + tagging.withheld, {f.id for f in tagging.withheld})
    findings += translation_findings(tagging.facts, tagging.rate, taxonomy)
    sums, unchecked = sum_checks(tagging.facts, taxonomy, tagging.rate, tagging.unprinted_calc, tagging.tables)
    findings += sums
    prohibited = tagging.unprinted_calc + tuple(a for a in unchecked if a not in tagging.unprinted_calc)
    return Checks(findings=tuple(findings), coverage=coverage(document, tagging), prohibited_calc=prohibited)
