"""Every sample's package validated by real Arelle (offline, strict), and builds reproducible."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from kcxbrl.validate import arelle_adapter
from kcxbrl.build import build_one
from kcxbrl.cli import bundled_samples, main
from kcxbrl.profile import load_profile
from kcxbrl.dts import default_taxonomy

from conftest import SAMPLE_NAMES


# Where the announcement's prose contradicts its own tables, the table's figure is tagged and the
# prose figure is not (the filing stays clean: no inconsistent duplicates); kcxbrl's finding
# names the line.
SOURCE_DISAGREEMENTS = {
    "kc-2023-h1-interim-results": [198],  # other revenues "RMB1.4 million" vs 1,468 thousand
    "kc-2024-annual-results": [228],  # other revenues 2023 "RMB0.1 million" vs 152 thousand
    "kc-2025-annual-results": [223],  # the same comparative again
    "kc-2025-h1-interim-results": [],
    "kc-2025-q2-press-release": [21, 29],  # "US$101.0 million" vs 101,055; "RMB665.9 million" vs 665,844
}


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_package_validates_with_only_source_inconsistencies(built, sample):
    result = built[sample].result
    report = result.validation
    assert report is not None
    assert (report.errors, report.warnings) == (0, 0), [f"{m.level} {m.code} {m.text[:160]}" for m in report.messages]
    lines = sorted(f.ref.line for f in result.findings if f.code == "source.figureDisagrees")
    assert lines == SOURCE_DISAGREEMENTS[sample]
    has_source_findings = any(f.code.startswith("source.") for f in result.findings)
    assert result.status == ("source" if has_source_findings else "clean")
    assert report.inconsistencies == 0  # the disagreeing prose figure is not tagged
    tagged = {f for f in built[sample].oim["facts"]}
    assert not {f for finding in result.findings if finding.code == "source.figureDisagrees" for f in finding.facts[:1]} & tagged
    assert report.fact_count == result.facts >= 250


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_unpacked_report_validates_and_matches_package(built, sample):
    folder = built[sample].result.folder
    report = arelle_adapter.validate(folder / "reports" / f"{sample}.xhtml")
    packed = built[sample].result.validation
    assert (report.errors, report.warnings, report.inconsistencies) == (packed.errors, packed.warnings, packed.inconsistencies)
    assert report.fact_count == packed.fact_count
    assert (folder / f"{sample}.json").exists() and (folder / "validation.json").exists()


def test_two_builds_are_byte_identical(tmp_path):
    sample = bundled_samples()[0]
    taxonomy, profile = default_taxonomy(), load_profile("kingsoft-cloud")
    first = build_one(sample, tmp_path / "a", taxonomy, profile)
    second = build_one(sample, tmp_path / "b", taxonomy, profile)
    assert first.package.read_bytes() == second.package.read_bytes()
    comparison = filecmp.dircmp(first.folder, second.folder)
    assert not _differences(comparison), _differences(comparison)


def _differences(cmp: filecmp.dircmp) -> list[str]:
    # dircmp compares stat signatures shallowly; compare contents to be sure
    diffs = list(cmp.left_only) + list(cmp.right_only)
    diffs += [f for f in cmp.common_files if Path(cmp.left, f).read_bytes() != Path(cmp.right, f).read_bytes()]
    for sub in cmp.subdirs.values():
        diffs += _differences(sub)
    return diffs


def test_validate_command_reports_counts(built, capsys):
    package = built["kc-2025-h1-interim-results"].result.package
    assert main(["validate", str(package)]) == 0
    out = capsys.readouterr().out
    assert "0 errors, 0 warnings, 0 inconsistencies" in out


def test_validate_command_shows_broken_sums_with_location(tmp_path, built, capsys):
    """Change one printed figure in a copy of a report: Arelle's inconsistency names the file and line."""
    folder = built["kc-2025-annual-results"].result.folder
    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(folder, copy)
    report = copy / "reports" / "kc-2025-annual-results.xhtml"
    text = report.read_text(encoding="utf-8")
    assert text.count(">99,194<") == 1  # restricted cash, 2025: printed once
    report.write_text(text.replace(">99,194<", ">99,294<"), encoding="utf-8")
    assert main(["validate", str(report)]) == 2
    out = capsys.readouterr().out
    assert "calc11e:inconsistentCalculationUsingRounding" in out
    assert "kc-2025-annual-results.xhtml:" in out


# The 2023 interim reconciliation's US$ impairment (8,031) is the interest expense's US$ figure
# copied from the cell below; the US$ subtotals built on it are wrong too. Nothing else in the
# five samples is off by more than rounding.
TRANSLATION_ERRORS = {"kc-2023-h1-interim-results": [89, 90, 96, 98]}


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_translation_check_finds_the_copied_figure_and_nothing_else(built, sample):
    found = sorted(f.ref.line for f in built[sample].result.findings if f.code == "source.translation")
    assert found == TRANSLATION_ERRORS.get(sample, [])
    if found:
        first = next(f for f in built[sample].result.findings if f.code == "source.translation")
        assert "US$8,031" in first.message and "US$25,531" in first.message
    import json

    checks = json.loads((built[sample].result.folder / "checks.json").read_text(encoding="utf-8"))
    assert sorted(c["ref"]["line"] for c in checks if c["code"] == "source.translation") == found


def _result_with(findings, messages):
    from pathlib import Path

    from kcxbrl.validate.arelle_adapter import ArelleMessage, ValidationReport
    from kcxbrl.build import BuildResult

    msgs = tuple(ArelleMessage(level=level, code=code, text="t", fact_ids=ids) for level, code, ids in messages)
    report = ValidationReport(entry="x", messages=msgs, errors=0, warnings=0,
                              inconsistencies=sum(m.category == "inconsistency" for m in msgs),
                              assertions=sum(m.category == "assertion" for m in msgs), fact_count=2, seconds=0.0)
    return BuildResult(name="x", facts=2, findings=tuple(findings), validation=report, generate_seconds=0.0,
                       package=Path("x.xbri"), folder=Path("x"))


def test_a_failed_assertion_on_a_figure_the_source_gets_wrong_is_a_source_status_not_invalid():
    from kcxbrl.findings import Finding, SourceRef

    wrong = Finding(severity="warning", code="source.translation", message="m", ref=SourceRef(file="a.txt", line=89),
                    facts=("f-89-45",))
    failed = ("ASSERTION-NOT-SATISFIED", "message:NetLossAttribution", ("f-90-1", "f-89-45"))
    assert _result_with([wrong], [failed]).status == "source"
    untraced = ("ASSERTION-NOT-SATISFIED", "message:NetLossAttribution", ("f-90-1", "f-91-1"))
    assert _result_with([wrong], [untraced]).status == "invalid"
    assert _result_with([], [failed]).status == "invalid"
