"""The publish stage's input: everything a report is made of."""

from __future__ import annotations

from typing import Any

from kcxbrl.findings import Finding, Frozen
from kcxbrl.read import Document
from kcxbrl.understand import AnalysedTable, Fact, ProseFigure, TextBlock, TextFact


class Filing(Frozen):
    """A read, understood and checked announcement: what its report package and the files beside
    it are made of."""

    document: Document
    tables: tuple[AnalysedTable, ...]
    facts: tuple[Fact, ...]
    prose: tuple[ProseFigure, ...] = ()
    text_facts: tuple[TextFact, ...]
    text_blocks: tuple[TextBlock, ...] = ()
    findings: tuple[Finding, ...]
    # (role, total, item) of the calculation arcs the report's entry schema prohibits: the sums
    # the check stage did not check (Checks.prohibited_calc)
    prohibited_calc: tuple[tuple[str, str, str], ...] = ()
    coverage: dict[str, Any] = {}  # what the tagging left untagged (coverage.json)
    schema_ref: str
    entity_scheme: str
    entity_id: str

    @property
    def fact_count(self) -> int:
        return len(self.facts) + len(self.text_facts) + len(self.text_blocks)
