"""The pipeline, end to end, for one announcement:

read (reader) -> tables and facts (tables, mapping, facts) -> filing -> XHTML (render)
-> report package (package) -> Arelle validation and xBRL-JSON export (arelle_adapter).

Nothing is written to the output folder until the input has been read and tagged, and then
everything is staged beside it and moved into place: an unusable input leaves no files.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from kcxbrl import arelle_adapter
from kcxbrl.checks import sources_json, sum_findings
from kcxbrl.coverage import coverage
from kcxbrl.facts import cover_facts, tag_document
from kcxbrl.models import Filing, Finding
from kcxbrl.package import package_files, publish, schema_ref, staging, unprinted_calc_arcs, write_tree, zip_bytes
from kcxbrl.profile import IssuerProfile
from kcxbrl.reader import read_document
from kcxbrl.render import render_report
from kcxbrl.taxonomy_model import Taxonomy

ENTITY_SCHEME = "http://www.sec.gov/CIK"


class BuildResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    facts: int
    findings: tuple[Finding, ...]
    validation: arelle_adapter.ValidationReport | None
    generate_seconds: float
    coverage: dict[str, int] = {}  # untagged numeric tokens by the rule that left them out
    package: Path
    folder: Path

    @property
    def ok(self) -> bool:
        return self.validation is not None and self.validation.ok

    @property
    def status(self) -> str:
        """clean; "source": every message of Arelle's is an inconsistency or an unsatisfied
        assertion that involves a fact a finding about the source's own figures names;
        "invalid": anything else."""
        v = self.validation
        source_facts = {fact_id for f in self.findings if f.code.startswith("source.") for fact_id in f.facts}
        if v is None or v.ok:
            return "source" if source_facts else "clean"
        traced = all(m.category in ("inconsistency", "assertion") and set(m.fact_ids) & source_facts
                     for m in v.messages if m.category)
        return "source" if traced and not (v.errors or v.warnings) else "invalid"


def make_filing(path: Path, taxonomy: Taxonomy, profile: IssuerProfile) -> Filing:
    document = read_document(path)
    tagging = tag_document(document, taxonomy, profile)
    # the sums this report prints: the taxonomy's, less the arcs its entry schema prohibits
    prohibited = tuple((arc.role.id, arc.total, arc.item) for arc in unprinted_calc_arcs(tagging.facts, taxonomy))
    sums = sum_findings(tagging.facts, taxonomy, tagging.rate, prohibited)
    return Filing(
        document=document,
        tables=tagging.tables,
        facts=tagging.facts,
        prose=tagging.prose,
        text_blocks=tagging.text_blocks,
        text_facts=cover_facts(document, tagging.period, profile),
        findings=tagging.findings + tuple(sums),
        unprinted_calc=prohibited,
        schema_ref=schema_ref(document.name),
        entity_scheme=ENTITY_SCHEME,
        entity_id=profile.cik,
    )


def generate(path: Path, taxonomy: Taxonomy, profile: IssuerProfile) -> tuple[Filing, dict[str, bytes]]:
    """Everything up to the package's files, in memory (no Arelle, no disk writes)."""
    filing = make_filing(path, taxonomy, profile)
    name = filing.document.name
    title = f"{profile.name}: {name}"
    report = render_report(filing, title)
    return filing, package_files(name, report, taxonomy, filing.unprinted_calc)


def build_one(path: Path, out: Path, taxonomy: Taxonomy, profile: IssuerProfile, *, validate: bool = True) -> BuildResult:
    started = time.perf_counter()
    filing, files = generate(path, taxonomy, profile)
    generate_seconds = time.perf_counter() - started
    name = filing.document.name
    with staging(out) as tmp:
        package = tmp / f"{name}.xbri"
        package.write_bytes(zip_bytes(files))
        folder = tmp / name
        write_tree(tmp, files)
        report = None
        if validate:
            report = arelle_adapter.validate(package, export_json=folder / f"{name}.json")
            (folder / "validation.json").write_text(_validation_json(report), encoding="utf-8")
        (folder / "findings.json").write_text(findings_json(filing.findings), encoding="utf-8")
        source_findings = tuple(f for f in filing.findings if f.code.startswith("source."))
        (folder / "checks.json").write_text(findings_json(source_findings), encoding="utf-8")
        (folder / "sources.json").write_text(sources_json(filing.facts), encoding="utf-8")
        report_coverage = coverage(filing, filing.prose)
        (folder / "coverage.json").write_text(json.dumps(report_coverage, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        publish(package, out / f"{name}.xbri")
        publish(folder, out / name)
    return BuildResult(name=name, facts=filing.fact_count, findings=filing.findings,
                       coverage=report_coverage["by_rule"],
                       validation=report, generate_seconds=generate_seconds,
                       package=out / f"{name}.xbri", folder=out / name)


def _validation_json(report: arelle_adapter.ValidationReport) -> str:
    data = report.model_dump(mode="json", exclude={"seconds", "entry"})
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def findings_json(findings: tuple[Finding, ...]) -> str:
    data = [f.model_dump(mode="json") for f in findings]
    data.sort(key=lambda f: (f["ref"]["file"], f["ref"]["line"], f["ref"]["column"], f["code"], f["message"]))
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
