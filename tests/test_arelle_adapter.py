"""Tests of kcxbrl.validate.arelle_adapter against the real, installed Arelle (never mocked).

A small but real report package is built in tmp_path from the hand-written files in
tests/fixtures/minimal_package (taxonomy with a Calculations 1.1 linkbase and a formula value
assertion, META-INF files, an Inline XBRL 1.1 report template) and zipped deterministically.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from kcxbrl.validate.arelle_adapter import ArelleMessage, ValidationReport, arelle_home, validate, validate_taxonomy

FIXTURE = Path(__file__).parent / "fixtures" / "minimal_package"
NAME = "minimal"
RELATIVE_SCHEMA_REF = "../taxonomy/kcx.xsd"
ABSOLUTE_SCHEMA_REF = "http://kcxbrl.example/taxonomy/kcx.xsd"
CALC_CODE = "calc11e:inconsistentCalculationUsingRounding"
FORMULA_CODE = "message:RevenueEqualsComponents"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_deterministically(folder: Path, target: Path) -> Path:
    """Zip ``folder`` (as the single top-level directory) with sorted names and fixed metadata."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(target, "w") as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(folder.parent).as_posix(), date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return target


def build_package(
    tmp_path: Path,
    *,
    schema_ref: str = RELATIVE_SCHEMA_REF,
    service: str = "300",
    eps_unit: str = "CNY-per-share",
    extra_rows: str = "",
    suffix: str = ".xbri",
) -> Path:
    """Write tmp_path/unpacked/minimal/... and tmp_path/minimal.xbri; return the package path."""
    root = tmp_path / "unpacked" / NAME
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("*.template"))
    template = (FIXTURE / "reports" / f"{NAME}.xhtml.template").read_text(encoding="utf-8")
    report = (
        template.replace("@@SCHEMAREF@@", schema_ref)
        .replace("@@SERVICE@@", service)
        .replace("@@EPS_UNIT@@", eps_unit)
        .replace("@@EXTRA_ROWS@@", extra_rows)
    )
    (root / "reports" / f"{NAME}.xhtml").write_text(report, encoding="utf-8")
    return zip_deterministically(root, tmp_path / f"{NAME}{suffix}")


def unpacked_report(tmp_path: Path) -> Path:
    return tmp_path / "unpacked" / NAME / "reports" / f"{NAME}.xhtml"


def codes(report: ValidationReport) -> list[str]:
    return [m.code for m in report.messages]


def eps_row(fact_id: str, value: str) -> str:
    return (
        f'<tr><td>EPS again</td><td><ix:nonFraction id="{fact_id}" name="kcx:EarningsPerShare" '
        f'contextRef="FY2024" unitRef="CNY-per-share" decimals="2" format="ixt:num-dot-decimal">'
        f"{value}</ix:nonFraction></td></tr>"
    )


def test_consistent_package_validates_clean(tmp_path: Path) -> None:
    package = build_package(tmp_path)
    report = validate(package)
    assert report.messages == ()
    assert (report.errors, report.warnings, report.inconsistencies) == (0, 0, 0)
    assert report.ok
    assert report.fact_count == 4
    assert report.entry == str(package)
    assert report.seconds > 0
    # the fixture's formula assertion ran once and held; a satisfied assertion logs no message
    assert report.assertions == 0
    assert report.assertion_results == {"RevenueEqualsComponents": (1, 0)}


def test_deterministic_zip(tmp_path: Path) -> None:
    first = build_package(tmp_path / "a")
    second = build_package(tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
    assert names == sorted(names)
    assert {name.split("/", 1)[0] for name in names} == {NAME}
    assert f"{NAME}/META-INF/reportPackage.json" in names


def test_relative_schema_ref_also_validates_unpacked(tmp_path: Path) -> None:
    build_package(tmp_path)
    report = validate(unpacked_report(tmp_path))
    assert report.ok, report.messages
    assert report.fact_count == 4


def test_absolute_schema_ref_needs_the_package_catalog(tmp_path: Path) -> None:
    package = build_package(tmp_path, schema_ref=ABSOLUTE_SCHEMA_REF)
    packed = validate(package)
    assert packed.ok, packed.messages
    assert packed.fact_count == 4
    unpacked = validate(unpacked_report(tmp_path))
    assert not unpacked.ok
    assert "IOerror" in codes(unpacked)
    assert "ix11.12.1.2:missingReferences" in codes(unpacked)


def test_broken_sum_is_a_calc_inconsistency_and_a_failed_assertion(tmp_path: Path) -> None:
    report = validate(build_package(tmp_path, service="400"))
    assert not report.ok
    assert report.inconsistencies == 1
    assert report.warnings == 0
    calc = next(m for m in report.messages if m.code == CALC_CODE)
    assert calc.level == "INCONSISTENCY"
    assert calc.href == f"{NAME}.xhtml"
    assert isinstance(calc.line, int)
    assert set(calc.fact_ids) == {"f-revenue", "f-product", "f-service"}
    assert calc.fact_ids[0] == "f-revenue"  # the summation's total comes first
    # the formula value assertion Revenue = ProductRevenue + ServiceRevenue fails: Arelle logs it
    # at ERROR, the adapter gives it a category (and a count) of its own
    assert report.errors == 0
    assert report.assertions == 1
    assert report.assertion_results == {"RevenueEqualsComponents": (0, 1)}
    formula = next(m for m in report.messages if m.code == FORMULA_CODE)
    assert formula.level == "ERROR"
    assert formula.category == "assertion"
    assert formula.text == "Revenue 1500000 differs from product 1200000 plus service 400000"
    # Arelle's first ref is the assertion in the linkbase; the adapter points at the first fact
    assert formula.href == f"{NAME}.xhtml"
    assert isinstance(formula.line, int)
    assert set(formula.fact_ids) == {"f-revenue", "f-product", "f-service"}


def test_c11r_tolerates_a_one_unit_rounding_gap(tmp_path: Path) -> None:
    # 1,200 + 301 vs 1,500 (thousands, decimals=-3): the intervals overlap, so c11r is satisfied;
    # the exact formula value assertion still fails.
    report = validate(build_package(tmp_path, service="301"))
    assert report.inconsistencies == 0
    assert codes(report) == [FORMULA_CODE]
    assert (report.errors, report.assertions) == (0, 1)


def test_inconsistent_duplicate_fact_is_counted(tmp_path: Path) -> None:
    report = validate(build_package(tmp_path, extra_rows=eps_row("f-eps-dup", "1.30")))
    assert (report.errors, report.warnings, report.inconsistencies) == (0, 0, 1)
    duplicate = report.messages[0]
    assert duplicate.code == "arelle:duplicateFacts"
    assert duplicate.level == "WARNING"  # how Arelle logs it; counted as an inconsistency
    assert duplicate.fact_ids == ("f-eps", "f-eps-dup")
    assert report.fact_count == 5


def test_consistent_duplicate_fact_is_fine(tmp_path: Path) -> None:
    report = validate(build_package(tmp_path, extra_rows=eps_row("f-eps-dup", "1.25")))
    assert report.ok, report.messages
    assert report.fact_count == 5


def test_utr_checks_dtr_per_share_type(tmp_path: Path) -> None:
    report = validate(build_package(tmp_path, eps_unit="CNY"))
    assert report.errors == 1
    assert codes(report) == ["utre:error-NumericFactUtrInvalid"]
    assert report.messages[0].fact_ids == ("f-eps",)


def test_json_export_is_written_and_byte_identical(tmp_path: Path) -> None:
    package = build_package(tmp_path)
    first, second = tmp_path / "out" / "a.json", tmp_path / "out" / "b.json"
    report = validate(package, export_json=first)
    assert report.ok, report.messages
    validate(package, export_json=second)
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["documentInfo"]["documentType"] == "https://xbrl.org/2021/xbrl-json"
    facts = data["facts"]
    assert list(facts) == ["f-product", "f-service", "f-revenue", "f-eps"]
    values = {fact_id: Decimal(fact["value"]) for fact_id, fact in facts.items()}
    assert values == {
        "f-product": Decimal(1_200_000),
        "f-service": Decimal(300_000),
        "f-revenue": Decimal(1_500_000),
        "f-eps": Decimal("1.25"),
    }
    assert facts["f-revenue"]["dimensions"]["concept"] == "kcx:Revenue"
    assert facts["f-revenue"]["dimensions"]["unit"] == "iso4217:CNY"
    assert facts["f-eps"]["dimensions"]["unit"] == "iso4217:CNY/xbrli:shares"


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    report = validate(tmp_path / "nope.xbri")
    assert not report.ok
    assert report.errors >= 1
    assert report.fact_count == 0
    assert "FileSourceError" in codes(report)


def test_failed_export_is_an_error(tmp_path: Path) -> None:
    report = validate(tmp_path / "nope.xbri", export_json=tmp_path / "x.json")
    assert "kcxbrl:oimExportFailed" in codes(report)
    assert not (tmp_path / "x.json").exists()


def test_garbled_zip_is_reported(tmp_path: Path) -> None:
    garbled = tmp_path / "garbled.xbri"
    garbled.write_bytes(b"PK\x03\x04 this is not a zip")
    report = validate(garbled)
    assert report.errors >= 1
    assert "FileSourceError" in codes(report)


def test_malformed_xhtml_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xhtml"
    broken.write_text("<html><body><p>unclosed</body></html>", encoding="utf-8")
    report = validate(broken)
    assert report.errors >= 1
    assert "xmlSchema:syntax" in codes(report)


def test_plain_xhtml_is_not_silently_ok(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xhtml"
    plain.write_text('<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>', encoding="utf-8")
    report = validate(plain)
    assert codes(report) == ["kcxbrl:notXbrl"]
    assert report.errors == 1


def test_zip_suffix_with_xbri_document_type_is_an_error(tmp_path: Path) -> None:
    report = validate(build_package(tmp_path, suffix=".zip"))
    assert "rpe:documentTypeFileExtensionMismatch" in codes(report)


def test_validate_taxonomy(tmp_path: Path) -> None:
    build_package(tmp_path)
    report = validate_taxonomy(tmp_path / "unpacked" / NAME / "taxonomy" / "kcx.xsd")
    assert report.ok, report.messages
    assert report.fact_count == 0


def test_missing_arcrole_ref_for_calc11_is_an_error(tmp_path: Path) -> None:
    build_package(tmp_path)
    cal = tmp_path / "unpacked" / NAME / "taxonomy" / "kcx_cal.xml"
    text = cal.read_text(encoding="utf-8")
    start, end = text.index("<link:arcroleRef"), text.index("/>", text.index("<link:arcroleRef")) + 2
    cal.write_text(text[:start] + text[end:], encoding="utf-8")
    report = validate_taxonomy(cal.parent / "kcx.xsd")
    assert "xbrl.3.5.2.5:missingArcroleRef" in codes(report)


def test_models_are_frozen() -> None:
    message = ArelleMessage(level="ERROR", code="x", text="t", href=None, line=None)
    with pytest.raises(ValidationError):
        message.code = "y"  # type: ignore[misc]
    report = ValidationReport(
        entry="e", messages=(message,), errors=1, warnings=0, inconsistencies=0, fact_count=0, seconds=0.0
    )
    assert not report.ok
    assert ValidationReport.model_validate(report.model_dump()) == report
    failed = report.model_copy(update={"errors": 0, "assertions": 1})
    assert not failed.ok  # an unsatisfied assertion alone makes a report not ok


def test_arelle_config_dir_is_not_home_and_env_is_restored(tmp_path: Path) -> None:
    before = os.environ.get("XDG_CONFIG_HOME")
    validate(tmp_path / "nope.xbri")
    assert os.environ.get("XDG_CONFIG_HOME") == before
    home = arelle_home()
    assert home.is_dir()
    assert not home.resolve().is_relative_to(Path.home().resolve() / ".config")


def test_importing_the_adapter_does_not_import_arelle() -> None:
    code = "import sys, kcxbrl.validate.arelle_adapter; sys.exit('arelle' in sys.modules)"
    project = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_unmessaged_failing_assertion_is_still_reported(tmp_path: Path) -> None:
    build_package(tmp_path, service="400")
    formula = tmp_path / "unpacked" / NAME / "taxonomy" / "kcx_for.xml"
    text = formula.read_text(encoding="utf-8")
    start = text.index("<generic:arc ")
    end = text.index("/>", start) + 2
    formula.write_text(text[:start] + text[end:], encoding="utf-8")
    report = validate(unpacked_report(tmp_path))
    assert FORMULA_CODE not in codes(report)
    unsatisfied = [m for m in report.messages if m.code == "formula:assertionUnsatisfied"]
    assert len(unsatisfied) == 1
    assert unsatisfied[0].level == "ERROR"
    assert unsatisfied[0].category == "assertion"
    assert report.errors == 0 and report.assertions == 1 and report.inconsistencies == 1
    assert report.assertion_results == {"RevenueEqualsComponents": (0, 1)}
