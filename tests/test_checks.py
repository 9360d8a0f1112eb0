"""The checks of the announcements' own figures (kcxbrl/check/): sums with Calculations 1.1
rounding, the same figure printed twice, comparatives across documents."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal

import pytest

from kcxbrl.check import (
    ReportedFact, comparative_findings, figure_disagreements, load_report, reported_facts, sum_findings,
)
from kcxbrl.cli import bundled_samples, main
from kcxbrl.dts.model import Axis, Concept, Dimensions, Role, Summation, Taxonomy
from kcxbrl.findings import SourceRef
from kcxbrl.rounding import agree, sum_meets
from kcxbrl.understand import Context, Fact, Period

from conftest import SAMPLE_NAMES

D = Decimal


# ---------------------------------------------------------------- rounding (made-up figures)


def test_interval_semantics_of_a_sum():
    half = D("0.5")
    # 3 + 3 + 3 against 10: intervals [8.5, 10.5] and [9.5, 10.5] meet
    assert sum_meets(D(10), half, [(1, D(3), half)] * 3) == (True, D(9), D(2))
    # 3 + 3 + 2 against 10: [6.5, 9.5] touches [9.5, 10.5] at 9.5: still consistent
    assert sum_meets(D(10), half, [(1, D(3), half), (1, D(3), half), (1, D(2), half)])[0]
    # 3 + 2 + 2 against 10: [5.5, 8.5] cannot meet [9.5, 10.5]
    assert not sum_meets(D(10), half, [(1, D(3), half), (1, D(2), half), (1, D(2), half)])[0]
    # a negative weight widens the interval just the same
    assert sum_meets(D(1), half, [(1, D(5), half), (-1, D(3), half)]) == (True, D(2), D("1.5"))
    assert not sum_meets(D(0), half, [(1, D(5), half), (-1, D(3), half)])[0]
    # exact figures (shares) allow nothing
    assert not sum_meets(D(10), D(0), [(1, D(4), D(0)), (1, D(5), D(0))])[0]


def test_agreement_at_the_lower_precision():
    assert not agree(D(1468000), "-3", D(1400000), "-5")  # 1,468 thousand is 1.5 million, not 1.4
    assert agree(D(1468000), "-3", D(1500000), "-5")
    assert agree(D(1450000), "-3", D(1500000), "-5")  # half rounds away from zero
    assert agree(D(-1450000), "-3", D(-1500000), "-5")
    assert not agree(D(-1450000), "-3", D(-1400000), "-5")
    assert agree(D(3547111168), "INF", D(3547111168), "INF")
    assert not agree(D(3547111168), "INF", D(3547111169), "INF")
    assert agree(D("0.31"), "2", D("0.3"), "1")


P = Period(start=date(2025, 1, 1), end=date(2025, 6, 30))


def _fact(concept: str, value: int | str, line: int, unit: str = "CNY", decimals: str = "0", members: dict | None = None,
          prose: bool = False, role: str = "t") -> Fact:
    context = Context(period=P, dimensions=tuple(sorted((members or {}).items())))
    return Fact(id=f"{'p' if prose else 'f'}-{line}-{1 if unit == 'CNY' else 9}", concept=concept, context=context,
                unit=unit, value=D(value), decimals=decimals, display=str(value), format="ixt:num-dot-decimal",
                source=SourceRef(file="made-up.txt", line=line, column=1 if unit == "CNY" else 9), label=concept,
                role=role)


def _taxonomy(calc: tuple[Summation, ...] = (), axes: dict | None = None) -> Taxonomy:
    names = {"Total", "A", "B", "C"}
    concepts = {n: Concept(name=n, type="monetary", label=n) for n in names}
    dims = Dimensions(table="T", line_items="L", axes=axes) if axes else None
    return Taxonomy(concepts=concepts, roles=(Role(id="t", order=1, definition="t", tree=(), calc=calc, dimensions=dims),),
                    tables=())


SUM = (Summation(total="Total", items=(("A", 1), ("B", 1), ("C", -1))),)


def _codes(findings) -> list[tuple[str, int]]:
    return [(f.code, f.ref.line) for f in findings]


def test_a_sum_that_holds_within_rounding_raises_nothing_unless_the_books_currency_fails_to_foot():
    facts = [_fact("A", 3, 1), _fact("B", 3, 2), _fact("C", -3, 3), _fact("Total", 10, 4)]  # 3 + 3 + 3 = 9, allowed 2
    # RMB is the currency the books are kept in: within rounding, but a column that does not foot
    [finding] = sum_findings(facts, _taxonomy(SUM), rate=D(2))
    assert finding.code == "source.sumDoesNotFoot" and finding.ref.line == 4 and "does not foot" in finding.message
    # the same figures as a US$ convenience translation, or as ratios, are rounded one by one: nothing
    usd = [f.model_copy(update={"unit": "USD"}) for f in facts]
    assert sum_findings(usd, _taxonomy(SUM), rate=D(2)) == []
    pure = [f.model_copy(update={"unit": "pure"}) for f in facts]
    assert sum_findings(pure, _taxonomy(SUM), rate=D(2)) == []
    # a column that foots exactly raises nothing
    facts[-1] = _fact("Total", 9, 4)
    assert sum_findings(facts, _taxonomy(SUM), rate=D(2)) == []


def test_a_sum_that_does_not_hold_names_the_lines_and_figures():
    facts = [_fact("A", 3, 1), _fact("B", 2, 2), _fact("C", -2, 3), _fact("Total", 10, 4)]  # 3 + 2 + 2 = 7
    [finding] = sum_findings(facts, _taxonomy(SUM))
    assert finding.code == "source.sumDisagrees" and finding.ref.line == 4
    assert [r.line for r in finding.refs] == [1, 2, 3]
    assert "'Total' prints 10" in finding.message
    assert "'A' 3 (line 1) + 'B' 2 (line 2) - 'C' (2) (line 3) = 7" in finding.message
    assert "(3)" in finding.message and "(2.0)" in finding.message  # the difference and what rounding allows


def test_thousands_are_half_a_thousand_each():
    facts = [_fact("A", 1000, 1, decimals="-3"), _fact("B", 2000, 2, decimals="-3"), _fact("Total", 4500, 3, decimals="-3")]
    # 1,500 off, exactly what three half-thousands allow: not a sum that disagrees
    assert _codes(sum_findings(facts, _taxonomy(SUM))) == [("source.sumDoesNotFoot", 3)]
    facts[-1] = _fact("Total", 4501, 3, decimals="-3")
    assert _codes(sum_findings(facts, _taxonomy(SUM))) == [("source.sumDisagrees", 3)]


def test_usd_figures_are_allowed_the_rounding_of_their_rmb_figures():
    # US$ = RMB / 2, rounded: each US$ figure may be off by its own half unit plus half an RMB unit / 2
    usd = [_fact("A", 4, 1, "USD"), _fact("B", 8, 2, "USD"), _fact("Total", 10, 3, "USD")]  # off by 2
    rmb = [_fact("A", 9, 1), _fact("B", 15, 2), _fact("Total", 24, 3)]  # 9 + 15 = 24
    strict = sum_findings(usd, _taxonomy(SUM))
    assert len(strict) == 1  # on its own, 2 is more than three half units
    assert sum_findings(usd + rmb, _taxonomy(SUM), rate=D(2)) == []  # 3 x (0.5 + 0.25) = 2.25 allows it
    usd[2] = _fact("Total", 9, 3, "USD")  # off by 3: no rounding explains it
    assert [f.ref.line for f in sum_findings(usd + rmb, _taxonomy(SUM), rate=D(2))] == [3]


def test_items_not_printed_and_prohibited_arcs_are_left_out():
    facts = [_fact("A", 3, 1), _fact("B", 7, 2), _fact("Total", 10, 4)]  # no C: left out, as Calculations 1.1 does
    assert sum_findings(facts, _taxonomy(SUM)) == []
    facts.append(_fact("C", -5, 3))  # C printed elsewhere: 3 + 7 + 5 = 15
    assert len(sum_findings(facts, _taxonomy(SUM))) == 1
    assert sum_findings(facts, _taxonomy(SUM), prohibited={("t", "Total", "C")}) == []  # this report's total leaves C out


def test_inconsistent_duplicates_stop_the_sum_and_prose_is_not_summed():
    facts = [_fact("A", 3, 1), _fact("B", 7, 2), _fact("Total", 10, 4), _fact("A", 4, 5)]
    assert sum_findings(facts, _taxonomy(SUM)) == []  # the duplicate is figureDisagrees' to report
    assert [f.ref.line for f in figure_disagreements(facts)] == [5]
    facts = [_fact("A", 3, 1), _fact("B", 7, 2), _fact("Total", 10, 4), _fact("Total", 12, 6, prose=True)]
    assert sum_findings(facts, _taxonomy(SUM)) == []


AXIS = {"X": Axis(domain="D", members=("M1", "M2", "M3"))}


def test_dimensional_breakdown_adds_to_its_default():
    members = [_fact("A", v, 10 + i, members={"X": m}) for i, (m, v) in enumerate([("M1", 5), ("M2", 3), ("M3", 2)])]
    assert sum_findings([*members, _fact("A", 10, 20)], _taxonomy(axes=AXIS)) == []
    # 4 half units allow 2: within rounding, but the RMB column does not foot
    assert _codes(sum_findings([*members, _fact("A", 12, 20)], _taxonomy(axes=AXIS))) == [("source.sumDoesNotFoot", 20)]
    [finding] = sum_findings([*members, _fact("A", 13, 20)], _taxonomy(axes=AXIS))
    assert finding.ref.line == 20 and [r.line for r in finding.refs] == [10, 11, 12]
    assert "breakdown by X" in finding.message and "= 10" in finding.message
    # two of three members printed: not a breakdown the report shows
    assert sum_findings([*members[:2], _fact("A", 13, 20)], _taxonomy(axes=AXIS)) == []
    # an axis of one member locates a part; it is not a breakdown
    one = {"X": Axis(domain="D", members=("M1",))}
    assert sum_findings([members[0], _fact("A", 13, 20)], _taxonomy(axes=one)) == []


def test_figure_printed_twice_is_compared_at_the_lower_precision():
    table = _fact("A", 1468000, 1, decimals="-3")
    prose = _fact("A", 1400000, 2, decimals="-5", prose=True)
    [finding] = figure_disagreements([table, prose])
    assert finding.ref.line == 2 and finding.refs[0].line == 1
    assert finding.message.startswith("the text prints 1400000 (A, D2025-01-01_2025-06-30, CNY) but the table at line 1")
    assert figure_disagreements([table, _fact("A", 1500000, 2, decimals="-5", prose=True)]) == []
    # two tables: the later one is reported, against the first
    [finding] = figure_disagreements([table, _fact("A", 1469000, 7, decimals="-3")])
    assert finding.ref.line == 7 and "the table at line 7 prints 1469000" in finding.message


def _reported(document: str, value: int, unit: str = "CNY", line: int = 1, decimals: int | None = 0,
              concept: str = "Assets", period: str = "@2024-12-31") -> ReportedFact:
    return ReportedFact(document=document, id=f"f-{line}-1", concept=concept, period=period, dimensions=(), unit=unit,
                        value=D(value), decimals=decimals, file=f"{document}.txt", line=line, column=1, display=f"{value:,}")


def test_comparatives_across_documents():
    same = {"a": [_reported("a", 1000)], "b": [_reported("b", 1000, line=5)]}
    assert comparative_findings(same) == ([], 1)
    rounded = {"a": [_reported("a", 1234)], "b": [_reported("b", 1200, decimals=-2)]}
    assert comparative_findings(rounded) == ([], 1)
    [finding], _ = comparative_findings({"a": [_reported("a", 1234)], "b": [_reported("b", 1300, decimals=-2)]})
    assert "(1,300 against 1,200 at the lower precision)" in finding.message
    restated = {"a": [_reported("a", 1000)], "b": [_reported("b", 2000, line=5)]}
    [finding], compared = comparative_findings(restated)
    assert compared == 1 and finding.code == "source.comparativeDiffers" and finding.severity == "warning"
    assert (finding.ref.file, finding.ref.line, finding.refs[0].file, finding.refs[0].line) == ("b.txt", 5, "a.txt", 1)
    assert "b.txt line 5 prints 2,000 but a.txt line 1 prints 1,000" in finding.message


def test_usd_comparatives_at_other_rates_are_listed_as_info():
    reports = {"a": [_reported("a", 7000), _reported("a", 1000, "USD", 2)],
               "b": [_reported("b", 7000), _reported("b", 1100, "USD", 2)]}
    [finding], compared = comparative_findings(reports)
    assert compared == 2 and (finding.code, finding.severity) == ("source.comparativeAtOtherRate", "info")
    reports["b"][0] = _reported("b", 7700)  # the RMB figure differs too: a real difference, twice
    found, _ = comparative_findings(reports)
    assert sorted(f.code for f in found) == ["source.comparativeDiffers"] * 2


def test_xbrl_json_periods_and_units():
    oim = {"facts": {
        "f-3-4": {"value": "-1107093000", "decimals": -3, "dimensions": {
            "concept": "kcx:NetIncomeLoss", "entity": "cik:1", "period": "2025-04-01T00:00:00/2025-07-01T00:00:00",
            "unit": "iso4217:CNY", "kcx:ProductOrServiceAxis": "kcx:OtherServicesMember"}},
        "f-5-6": {"value": "3547111168", "dimensions": {
            "concept": "kcx:Shares", "entity": "cik:1", "period": "2025-07-01T00:00:00", "unit": "xbrli:shares"}},
        "cover-DocumentType": {"value": "6-K", "dimensions": {"concept": "kcx:DocumentType", "entity": "cik:1",
                                                             "period": "2025-04-01T00:00:00/2025-07-01T00:00:00"}},
    }}
    facts = reported_facts("r", oim, None)
    assert [(f.id, f.period, f.unit, f.decimals, f.line, f.column, f.file) for f in facts] == [
        ("f-3-4", "2025-04-01/2025-06-30", "CNY", -3, 3, 4, "r.txt"), ("f-5-6", "@2025-06-30", "shares", None, 5, 6, "r.txt")]
    assert facts[0].dimensions == (("ProductOrServiceAxis", "OtherServicesMember"),)
    sourced = reported_facts("r", oim, {"f-3-4": {"file": "r.md", "line": 30, "column": 2, "label": "Net loss"}})
    assert [(f.id, f.file, f.line, f.label) for f in sourced] == [("f-3-4", "r.md", 30, "Net loss")]


# ---------------------------------------------------------------- the samples


def test_the_one_rmb_column_of_the_samples_that_does_not_foot(built):
    """2023 interim, revenue note line 471: enterprise cloud services for the first half of 2022
    print 1,409,083 thousand, but their components (lines 469, 470) add to 1,409,082. Within
    rounding, so Calculations 1.1 and the formula assertions accept it, but the RMB column of the
    issuer's own table does not foot. It is the only one in the five samples."""
    found = [(name, f) for name, b in built.items() for f in b.result.findings if f.code == "source.sumDoesNotFoot"]
    assert [(name, f.ref.line, [r.line for r in f.refs]) for name, f in found] == [
        ("kc-2023-h1-interim-results", 471, [470, 469])]
    message = found[0][1].message
    assert "prints 1,409,083" in message and "= 1,409,082" in message and "D2022-01-01_2022-06-30_EnterpriseCloudServicesMember" in message


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_every_printed_sum_of_the_samples_holds(built, sample):
    """The five announcements' sums and breakdowns all add up within rounding, in both currencies."""
    findings = built[sample].result.findings
    assert [f.message for f in findings if f.code == "source.sumDisagrees"] == []


def test_the_sum_check_finds_a_changed_aging_bucket(built):
    """The same check on the real 2025 interim facts, with one receivables aging bucket changed by
    5 thousand (six figures in thousands allow 3): the aging table's total (line 574) no longer
    meets its five buckets."""
    from kcxbrl.build import make_filing
    from kcxbrl.understand.sums import unprinted_calc
    from kcxbrl.profile import load_profile
    from kcxbrl.dts import default_taxonomy

    profile = load_profile("kingsoft-cloud")
    taxonomy = profile.taxonomy  # the base and Kingsoft Cloud's own part (its aging buckets)
    path = next(p for p in bundled_samples() if p.stem == "kc-2025-h1-interim-results")
    filing, _ = make_filing(path, default_taxonomy(), profile)
    prohibited = set(unprinted_calc(list(filing.facts), taxonomy))
    assert sum_findings(filing.facts, taxonomy, D("7.1636"), prohibited) == []
    bucket = next(f for f in filing.facts if f.source.line == 573 and f.unit == "CNY"
                  and f.context.period.end == date(2025, 6, 30))  # More than 1 year: 70,374
    assert bucket.value == D(70374000)
    changed = [f.model_copy(update={"value": D(70379000)}) if f is bucket else f for f in filing.facts]
    [finding] = sum_findings(changed, taxonomy, D("7.1636"), prohibited)
    assert finding.ref.line == 574 and [r.line for r in finding.refs] == [569, 570, 571, 572, 573]
    assert "prints 2,018,350" in finding.message and "= 2,018,355" in finding.message


def test_sources_json_maps_every_fact_to_its_line(built):
    result = built["kc-2025-annual-results"].result
    sources = json.loads((result.folder / "sources.json").read_text(encoding="utf-8"))
    facts = [fact_id for fact_id in built["kc-2025-annual-results"].oim["facts"] if fact_id.startswith(("f-", "p-"))]
    assert set(facts) <= set(sources)
    assert sources["f-470-87"] == {"file": "kc-2025-annual-results.txt", "line": 470, "column": 87,
                                   "label": "Cash, cash equivalents and restricted cash at beginning of period",
                                   "display": "390,399"}


# The only figures two samples report differently: cash at December 31, 2024 in US$, translated by
# each document at its own convenience rate from the same RMB2,730,101 thousand.
AT_OTHER_RATE = [
    (("kc-2025-annual-results.txt", 470, "390,399"), ("kc-2024-annual-results.txt", 465, "374,022")),
    (("kc-2025-h1-interim-results.txt", 465, "381,107"), ("kc-2024-annual-results.txt", 465, "374,022")),
    (("kc-2025-h1-interim-results.txt", 465, "381,107"), ("kc-2025-annual-results.txt", 470, "390,399")),
]


def test_comparatives_of_the_samples(built):
    reports = {name: load_report(b.result.folder) for name, b in built.items()}
    findings, compared = comparative_findings(reports)
    assert compared >= 500
    assert [f.code for f in findings] == ["source.comparativeAtOtherRate"] * 3
    got = [((f.ref.file, f.ref.line), (f.refs[0].file, f.refs[0].line)) for f in findings]
    assert got == [((b[0], b[1]), (a[0], a[1])) for b, a in AT_OTHER_RATE]
    for finding, (b, a) in zip(findings, AT_OTHER_RATE):
        assert f"line {b[1]} prints {b[2]} but {a[0]} line {a[1]} prints {a[2]}" in finding.message
        assert "2,730,101" in finding.message


def test_restated_balance_sheet_totals_agree(built):
    """Total assets and total liabilities at 2024-12-31 are printed by four documents; all agree."""
    reports = {name: load_report(b.result.folder) for name, b in built.items()}
    for concept in ("Assets", "Liabilities", "LiabilitiesAndStockholdersEquity"):
        printed = {name: [f for f in facts if f.concept == concept and f.period == "@2024-12-31" and f.unit == "CNY"
                          and not f.prose] for name, facts in reports.items()}
        assert sum(1 for facts in printed.values() if facts) == 4, concept
        values = {f.value for facts in printed.values() for f in facts}
        assert len(values) == 1, (concept, values)
        assert comparative_findings({n: f for n, f in printed.items() if f})[0] == []


def test_a_changed_comparative_is_reported_by_the_check_command(built, tmp_path, capsys):
    for name in ("kc-2024-annual-results", "kc-2025-annual-results"):
        shutil.copytree(built[name].result.folder, tmp_path / name)
    assert main(["check", str(tmp_path)]) == 0  # only the US$ cash at another rate: info
    out = capsys.readouterr().out
    assert "1 comparativeAtOtherRate" in out
    export = tmp_path / "kc-2025-annual-results" / "kc-2025-annual-results.json"
    oim = json.loads(export.read_text(encoding="utf-8"))
    total = next(i for i, f in oim["facts"].items() if f["dimensions"]["concept"] == "kcx:Assets"
                 and f["dimensions"]["period"].startswith("2025-01-01") and f["dimensions"].get("unit") == "iso4217:CNY")
    oim["facts"][total]["value"] = str(Decimal(oim["facts"][total]["value"]) + 5000000)
    export.write_text(json.dumps(oim), encoding="utf-8")
    reports = [str(tmp_path / "kc-2024-annual-results"), str(tmp_path / "kc-2025-annual-results")]
    assert main(["check", *reports]) == 0  # reported, not fatal
    assert main(["check", *reports, "--strict"]) == 1
    out = capsys.readouterr().out
    assert "1 comparativeDiffers" in out
    line = next(l for l in out.splitlines() if "comparativeDiffers kc-2025-annual-results.txt" in l)
    assert "Assets for the balance at 2024-12-31 (CNY)" in line and "kc-2024-annual-results.txt line" in line


def test_check_command_reads_bare_packages(built, tmp_path, capsys):
    for name in ("kc-2024-annual-results", "kc-2025-h1-interim-results"):
        shutil.copyfile(built[name].result.package, tmp_path / f"{name}.xbri")
    assert main(["check", *(str(p) for p in sorted(tmp_path.glob("*.xbri")))]) == 0
    out = capsys.readouterr().out
    assert "across 2 documents:" in out and "kc-2025-h1-interim-results.txt:465" in out
    assert main(["check", str(tmp_path / "missing")]) == 3


def test_build_writes_the_cross_document_checks(tmp_path, capsys):
    inputs = [str(p) for p in bundled_samples() if p.stem in ("kc-2025-annual-results", "kc-2025-h1-interim-results")]
    assert main(["build", *inputs, "--out", str(tmp_path)]) == 0  # findings are reported, not fatal
    out = capsys.readouterr().out
    assert "  kc-2025-annual-results: figureDisagrees 1 (line 223)" in out
    h1 = next(line for line in out.splitlines() if line.startswith("  kc-2025-h1-interim-results: "))
    assert "Disagrees" not in h1 and "translation" not in h1
    assert "across 2 documents:" in out and "1 comparativeAtOtherRate" in out
    checks = json.loads((tmp_path / "checks.json").read_text(encoding="utf-8"))
    assert checks["documents"] == ["kc-2025-annual-results", "kc-2025-h1-interim-results"]  # what it covers
    [finding] = checks["findings"]
    assert (finding["ref"]["file"], finding["ref"]["line"]) == ("kc-2025-h1-interim-results.txt", 465)
    assert (finding["refs"][0]["file"], finding["refs"][0]["line"]) == ("kc-2025-annual-results.txt", 470)


def test_strict_build_exits_1_for_the_sources_own_findings(tmp_path, capsys):
    [annual] = [str(p) for p in bundled_samples() if p.stem == "kc-2025-annual-results"]
    assert main(["build", annual, "--out", str(tmp_path), "--strict"]) == 1  # its prose/table disagreement
    assert "exit 1 (with --strict" in capsys.readouterr().out.splitlines()[-1]


def test_the_checks_json_of_a_folder_describes_the_reports_in_it(built, tmp_path, capsys):
    """Rebuilding one document into a folder of several compares it with all of them again;
    a folder left with one report has no stale comparison."""
    samples = {p.stem: str(p) for p in bundled_samples()}
    out = tmp_path / "out"
    for name in ("kc-2024-annual-results", "kc-2025-annual-results"):  # reports an earlier build left there
        shutil.copytree(built[name].result.folder, out / name, symlinks=True)
        (out / f"{name}.xbri").symlink_to(built[name].result.package.readlink())
    assert main(["build", samples["kc-2025-h1-interim-results"], "--out", str(out)]) == 0
    checks = json.loads((out / "checks.json").read_text(encoding="utf-8"))
    assert checks["documents"] == ["kc-2024-annual-results", "kc-2025-annual-results", "kc-2025-h1-interim-results"]
    assert oct((out / "checks.json").stat().st_mode & 0o777) == "0o644"
    assert not list(out.glob(".checks.json.*"))
    for name in ("kc-2024-annual-results", "kc-2025-annual-results"):
        shutil.rmtree(out / name)
        (out / f"{name}.xbri").unlink()
    assert main(["build", samples["kc-2025-h1-interim-results"], "--out", str(out)]) == 0
    assert not (out / "checks.json").exists()

