"""The exports load where they are written: NAME/NAME.json (xBRL-JSON) and the xBRL-CSV pair
(NAME-metadata.json + NAME-facts.csv) load back in Arelle, offline, with the report's facts; the
viewer is written beside them with its script, for no network."""

from __future__ import annotations

import json
import re

import pytest

from kcxbrl.validate import load_facts

from conftest import SAMPLE_NAMES


@pytest.fixture(scope="module")
def loaded(built) -> dict[str, dict[str, tuple]]:
    """Per sample, what Arelle loads from the package, the xBRL-JSON and the xBRL-CSV export."""
    forms = {}
    for name, b in built.items():
        folder = b.result.folder
        forms[name] = {form: load_facts(path) for form, path in (
            ("package", b.result.package),
            ("json", folder / f"{name}.json"),
            ("csv", folder / f"{name}-metadata.json"),
        )}
    return forms


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_exports_reload_with_the_reports_facts(loaded, built, sample):
    forms = loaded[sample]
    for form, (report, _) in forms.items():
        assert (form, report.errors, report.warnings) == (form, 0, 0), [m.text for m in report.messages]
    package_facts = forms["package"][1]
    assert len(package_facts) == built[sample].result.facts
    assert forms["json"][1] == package_facts  # concept, period, dimensions, unit, value, decimals
    assert forms["csv"][1] == package_facts


def test_loaded_values_are_the_printed_figures(loaded):
    """Spot values: the press release's Q2 2025 revenues as loaded from each form: the
    statement's RMB'000 2,349,227 (line 183) and the text's RMB2,349.2 million."""
    for form, (_, facts) in loaded["kc-2025-q2-press-release"].items():
        revenue = {(f.value, f.decimals) for f in facts
                   if f.concept.endswith("}RevenueFromContractWithCustomerExcludingAssessedTax")
                   and f.period == "2025-04-01T00:00:00/2025-07-01T00:00:00" and not f.dimensions
                   and f.unit and f.unit.endswith("}CNY")}
        assert revenue == {("2349227000", "-3"), ("2349200000", "-5")}, form


def test_taxonomy_references_point_into_the_folder(built):
    for name, b in built.items():
        folder = b.result.folder
        for export in (f"{name}.json", f"{name}-metadata.json"):
            refs = json.loads((folder / export).read_text(encoding="utf-8"))["documentInfo"]["taxonomy"]
            assert refs == [f"taxonomy/{name}.xsd"]
            assert all((folder / ref).is_file() for ref in refs)
        metadata = json.loads((folder / f"{name}-metadata.json").read_text(encoding="utf-8"))
        assert metadata["documentInfo"]["documentType"] == "https://xbrl.org/2021/xbrl-csv"
        assert (folder / metadata["tables"]["facts"]["url"]).is_file()


def test_viewer_beside_the_report_with_its_script(built):
    for name, b in built.items():
        folder = b.result.folder
        page = (folder / "viewer.html").read_text(encoding="utf-8")
        scripts = re.findall(r'<script src="([^"]*)"', page)
        assert scripts == ["ixbrlviewer.js"]  # copied beside the page: no network
        assert (folder / "ixbrlviewer.js").stat().st_size > 100_000
        data = json.loads(re.search(r'<script type="application/x.ixbrl-viewer\+json">(.*?)</script>', page, re.S)[1])
        facts = data["sourceReports"][0]["targetReports"][0]["facts"]
        assert len(facts) == b.result.facts
        assert data["filingDocuments"] == f"{name}.xbri"
        assert data["features"]["home_link_url"] == "../index.html"
        assert not re.search(r"\b(?:src|href)=\"https?:", page)
