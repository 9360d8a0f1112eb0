"""Every sample's package validated by real Arelle (offline, strict), and builds reproducible."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from kcxbrl import arelle_adapter
from kcxbrl.build import build_one
from kcxbrl.cli import bundled_samples, main
from kcxbrl.profile import load_profile
from kcxbrl.taxonomy_model import default_taxonomy

from conftest import SAMPLE_NAMES


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_package_validates_clean(built, sample):
    report = built[sample].result.validation
    assert report is not None
    assert (report.errors, report.warnings, report.inconsistencies) == (0, 0, 0), [
        f"{m.level} {m.code} {m.text[:160]}" for m in report.messages]
    assert report.fact_count == built[sample].result.facts >= 250


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_unpacked_report_validates_and_matches_package(built, sample):
    folder = built[sample].result.folder
    report = arelle_adapter.validate(folder / "reports" / f"{sample}.xhtml")
    assert report.ok and report.fact_count == built[sample].result.validation.fact_count
    assert (folder / f"{sample}.json").exists() and (folder / "validation.json").exists()


def test_two_builds_are_byte_identical(tmp_path):
    sample = bundled_samples()[0]
    taxonomy, profile = default_taxonomy(), load_profile()
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
    package = built["kc-2025-annual-results"].result.package
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
    assert ">9,558,619<" in text
    report.write_text(text.replace(">9,558,619<", ">9,558,719<", 1), encoding="utf-8")
    assert main(["validate", str(report)]) == 1
    out = capsys.readouterr().out
    assert "calc11e:inconsistentCalculationUsingRounding" in out
    assert "kc-2025-annual-results.xhtml:" in out
