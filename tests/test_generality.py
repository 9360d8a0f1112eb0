"""The next document: the samples with ordinary conversion damage (tests/damage.py) give the
clean samples' facts and source findings; tables are understood from their rows; a breakdown
section is a dimension; a line the tool cannot read never becomes the document's fault."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from functools import cache

import pytest

import damage
from kcxbrl.check import check
from kcxbrl.cli import bundled_samples, main
from kcxbrl.profile import load_profile
from kcxbrl.read import parse_lines
from kcxbrl.understand import understand

from conftest import SAMPLE_NAMES

PROFILE = load_profile("kingsoft-cloud")


def tag(name: str, lines: list[str]):
    document = parse_lines(name, lines)
    tagging = understand(document, PROFILE)
    return tagging, check(document, tagging, PROFILE.taxonomy)


@cache
def sample_lines(name: str) -> tuple[str, ...]:
    path = next(p for p in bundled_samples() if p.stem == name)
    return tuple(path.read_text(encoding="utf-8").split("\n"))


@cache
def clean(name: str):
    return tag(f"{name}.txt", list(sample_lines(name)))


def _facts(tagging) -> set[tuple]:
    return {(f.concept, f.context, f.unit, f.value) for f in tagging.facts}


def _printings(tagging) -> Counter:
    """Each fact as often as the document prints it (a statement and its appendix copy)."""
    return Counter((f.concept, f.context, f.unit, f.value) for f in tagging.facts)


def _source(tagging, checks) -> Counter:
    return Counter(f.code for f in tagging.findings + checks.findings if f.code.startswith("source."))


def _all(lines: list[str]) -> list[str]:
    for name, apply in damage.DAMAGES.items():
        if name not in damage.ALONE:
            lines = apply(lines)
    return lines


def _damaging(damage_name: str, sample: str) -> bool:
    apply = _all if damage_name == "all" else damage.DAMAGES[damage_name]
    return apply(list(sample_lines(sample))) != list(sample_lines(sample))


# each damage on each sample it changes (quarter headers: only a release with three-month columns)
DAMAGED = [(sample, name) for name in [*damage.DAMAGES, "all"] for sample in SAMPLE_NAMES if _damaging(name, sample)]


def test_every_damage_changes_a_sample_and_most_change_all():
    assert {name for _, name in DAMAGED} == {*damage.DAMAGES, "all"}
    assert sum(1 for _ in DAMAGED) >= len(SAMPLE_NAMES) * len(damage.DAMAGES)


@pytest.mark.parametrize(("sample", "damage_name"), DAMAGED)
def test_a_damaged_copy_gives_the_clean_facts_and_findings(sample, damage_name):
    apply = _all if damage_name == "all" else damage.DAMAGES[damage_name]
    lines = apply(list(sample_lines(sample)))
    clean_tagging, clean_checks = clean(sample)
    tagging, checks = tag(f"{sample}.txt", lines)
    assert _printings(tagging) == _printings(clean_tagging)  # each printing, not just each value
    assert _source(tagging, checks) == _source(clean_tagging, clean_checks)


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_every_fact_of_a_damaged_copy_points_at_its_figure_in_the_file(sample):
    """Invisible characters and spaces-for-tabs move text around: columns stay the file's."""
    lines = damage.spaces_for_tabs(damage.invisible_characters(list(sample_lines(sample))))
    tagging, _ = tag(f"{sample}.txt", lines)
    for fact in tagging.facts:
        if fact.value is None or fact.format == "ixt:fixed-zero":
            continue
        printed = lines[fact.source.line - 1][fact.source.column - 1:]
        printed = re.sub(r"^[\u200e\u202a(*-]*(<u>)?[*(-]*", "", printed)  # marks, markup, parentheses, minus
        assert printed.startswith(fact.display), (fact.id, printed[:30])


# ---------------------------------------------------------------- tables understood from their rows

PRESS = "kc-2025-q2-press-release"


def test_a_balance_sheet_without_its_caption_is_read_as_a_balance_sheet():
    lines = list(sample_lines(PRESS))
    at = lines.index("UNAUDITED CONDENSED CONSOLIDATED BALANCE SHEETS")
    lines[at] = "UNAUDITED CONDENSED CONSOLIDATED FIGURES"  # no caption says "balance sheet"
    tagging, _ = tag("nocaption.txt", lines)
    assert _facts(tagging) == _facts(clean(PRESS)[0])


def test_a_table_of_figures_the_mapping_does_not_know_is_a_finding_with_its_line():
    lines = list(sample_lines(PRESS)) + ["", "Widget statistics", "", "\tJun 30, 2024\tJun 30, 2025",
                                         "Widgets shipped\t1,234\t2,345", "Widgets returned\t12\t23"]
    tagging, _ = tag("widgets.txt", lines)
    [finding] = [f for f in tagging.findings if f.code == "table.notUnderstood"]
    assert finding.ref.line == len(lines) - 1 and "not tagged" in finding.message


# ---------------------------------------------------------------- breakdowns are dimensions

BREAKDOWN = [
    "", "Share-based compensation expenses included in:\t\t\t\t\t\t\t",
    "Cost of revenues\t5,076\t9,365\t11,712\t1,635\t10,890\t21,077",
    "Selling and marketing expenses\t1,000\t2,000\t3,000\t419\t4,000\t5,000",
    "Research and development expenses\t10\t20\t30\t4\t40\t50",
    "Widget expenses\t1\t2\t3\t0\t4\t5",
]


def test_rows_under_an_included_in_section_are_the_measure_on_income_statement_location():
    lines = list(sample_lines(PRESS))
    at = next(k for k, line in enumerate(lines)
              if line.startswith("Comprehensive loss attributable to Kingsoft Cloud Holdings Limited shareholders"))
    lines[at + 1:at + 1] = BREAKDOWN
    tagging, _ = tag("breakdown.txt", lines)
    first = at + 4  # 1-based line of "Cost of revenues" (at: 0-based index of the line above the inserted ones)
    sbc = [f for f in tagging.facts if f.source.line in range(first, first + 4)]
    assert sbc and {f.concept for f in sbc} == {"AllocatedShareBasedCompensationExpense"}
    members = {dict(f.context.dimensions).get("IncomeStatementLocationAxis") for f in sbc}
    assert members == {"CostOfSalesMember", "SellingAndMarketingExpenseMember", "ResearchAndDevelopmentExpenseMember"}
    cost = [f for f in sbc if f.source.line == first and f.unit == "CNY"]
    assert cost[0].value == Decimal(5076000) and cost[0].context.period.end.isoformat() == "2024-06-30"
    # the statement's own cost of revenues keeps its one value
    assert {f.value for f in tagging.facts if f.concept == "CostOfRevenue" and f.unit == "CNY" and not f.in_prose
            and f.context.period.end.isoformat() == "2024-06-30" and f.context.period.start.isoformat() == "2024-04-01"} \
        == {Decimal(1573433000)}
    # a row the breakdown has no member for is reported, not guessed
    [unmapped] = [f for f in tagging.findings if f.code == "mapping.unmappedRow" and f.ref.line == first + 3]
    assert "Widget expenses" in unmapped.message


def test_a_row_that_would_give_a_fact_a_second_value_is_not_tagged_twice():
    lines = list(sample_lines(PRESS)) + ["", "KINGSOFT CLOUD HOLDINGS LIMITED", "SELECTED STATEMENT ITEMS", "",
                                         "\tThree Months Ended", "\tJun 30, 2024", "\tRMB",
                                         "Cost of revenues\t(1,573,999)", "Gross profit\t318,347"]
    tagging, _ = tag("twice.txt", lines)
    values = {f.value for f in tagging.facts if f.concept == "CostOfRevenue" and f.unit == "CNY" and not f.in_prose
              and f.context.period.start.isoformat() == "2024-04-01"}
    assert values == {Decimal(1573433000)}
    [conflict] = [f for f in tagging.findings if f.code == "mapping.conflictingValue"]
    assert conflict.ref.line == len(lines) - 1 and conflict.refs[0].line == 184


# ---------------------------------------------------------------- blame only what is printed

@pytest.mark.parametrize("label", ["Zorblax gizmo", "Intere$t income"])
def test_a_line_the_tool_cannot_read_never_makes_a_correct_total_the_documents_error(tmp_path, capsys, label):
    lines = [line.replace("Interest income\t", f"{label}\t", 1) if line.startswith("Interest income\t") else line
             for line in sample_lines(PRESS)]
    path = tmp_path / "unread.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    code = main(["build", str(path), "--out", str(tmp_path / "out")])
    stdout, err = capsys.readouterr()
    assert err == "" and "0 errors, 0 warnings, 0 inconsistencies, 0 failed assertions" in stdout, stdout
    findings = json.loads((tmp_path / "out" / "unread" / "findings.json").read_text(encoding="utf-8"))
    assert not [f for f in findings if f["code"] in ("source.sumDisagrees", "source.sumDoesNotFoot")]
    incomplete = [f for f in findings if f["code"] == "table.incompleteSum"]
    assert incomplete and incomplete[0]["severity"] == "info" and label[:10] in incomplete[0]["message"]
    assert code == 0


def test_a_row_with_a_cell_that_is_no_figure_is_not_tagged_one_column_off():
    """'n.m.' where a figure stood: the row's other figures would fit the header by count one
    column off; the row is left untagged with its line, and no sum blames the document."""
    name = "kc-2025-q2-press-release"
    lines = list(sample_lines(name))
    at = next(k for k, line in enumerate(lines) if line.startswith("Foreign currency translation adjustments\t"))
    cells = lines[at].split("\t")
    figures = [k for k, c in enumerate(cells) if k and c.strip()]
    cells[figures[0]] = "n.m."
    lines[at] = "\t".join(cells) + "\t" + cells[figures[-1]]  # and a figure too many: the count fits again
    tagging, checks = tag(f"{name}.txt", lines)
    clean_tagging, clean_checks = clean(name)
    assert not [f for f in tagging.facts if f.source.line == at + 1]
    assert {(f.concept, f.context, f.unit, f.value) for f in tagging.facts} <= _facts(clean_tagging)
    assert [f.ref.line for f in tagging.findings if f.code == "table.unreadableCell"] == [at + 1]
    assert not [f for f in tagging.findings + checks.findings if f.code.startswith("source.") and f.ref.line == at + 1]
    assert _source(tagging, checks) - _source(clean_tagging, clean_checks) == Counter()


@pytest.mark.parametrize(("header", "figures", "periods"), [
    # fiscal quarters: three months to the quarter's last day
    ("\tQ2 2024\t1Q25\tQ2 2025", ("1,891,812", "1,970,403", "2,349,227"),
     [(date(2024, 4, 1), date(2024, 6, 30)), (date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30))]),
    # halves beside a quarter: six months to June 30 of their year
    ("\tQ2 2025\tH1 2024\t1H25", ("2,349,227", "3,667,464", "4,319,630"),
     [(date(2025, 4, 1), date(2025, 6, 30)), (date(2024, 1, 1), date(2024, 6, 30)), (date(2025, 1, 1), date(2025, 6, 30))]),
])
def test_quarter_and_half_year_headers_end_on_the_parts_last_day(header, figures, periods):
    lines = ["KINGSOFT CLOUD HOLDINGS LIMITED", "UNAUDITED CONDENSED CONSOLIDATED STATEMENTS OF COMPREHENSIVE LOSS",
             "(All amounts in thousands)", "", header, "\tRMB\tRMB\tRMB",
             "Total revenues\t" + "\t".join(figures)]
    tagging, _ = tag("parts.txt", lines)
    revenue = {(f.context.period.start, f.context.period.end): f.value for f in tagging.facts
               if f.concept == "RevenueFromContractWithCustomerExcludingAssessedTax"}
    assert revenue == {period: Decimal(figure.replace(",", "")) * 1000 for period, figure in zip(periods, figures)}


def test_a_header_with_more_dates_than_years_gives_no_column_a_date_it_does_not_print():
    """'Dec 31,' 'June 30,' 'June 30,' over two years (a column dropped from the figures but not
    from the dates): the columns are not Dec 31 of both years; the rows stay untagged, with their
    lines, rather than take a date the header never states."""
    lines = ["KINGSOFT CLOUD HOLDINGS LIMITED", "UNAUDITED CONDENSED CONSOLIDATED BALANCE SHEETS",
             "(All amounts in thousands)", "",
             "\tDec 31, 2022\tJune 30, 2023", "\tRMB\tRMB",
             "Accounts receivable, net\t2,402,430\t2,048,327", "",
             "An ageing analysis of the trade receivables is as follows:", "",
             "\tDec 31,\tJune 30,\tJune 30,", "\t2022\t2023", "\tRMB\tRMB",
             "Not yet due\t1,251,755\t1,048,588",
             "Within 3 months\t1,150,675\t999,739",
             "Accounts receivable, net\t2,402,430\t2,048,327"]
    tagging, _ = tag("dates.txt", lines)
    instants = {f.context.period.end for f in tagging.facts if f.concept == "AccountsReceivableNetCurrent"}
    assert instants == {date(2022, 12, 31), date(2023, 6, 30)}
    unplaced = [f.ref.line for f in tagging.findings if f.code == "table.unalignedRow"]
    assert unplaced == [14, 15, 16]


def test_a_label_wrapped_onto_its_figures_row_is_one_label_not_a_section():
    name = "kc-2025-q2-press-release"
    lines = list(sample_lines(name))
    at = next(k for k, line in enumerate(lines) if line.startswith("Current operating lease liabilities\t"))
    lines[at:at + 1] = ["Current operating", "lease liabilities\t" + lines[at].split("\t", 1)[1]]
    tagging, checks = tag(f"{name}.txt", lines)
    clean_tagging, clean_checks = clean(name)
    assert _facts(tagging) == _facts(clean_tagging)
    assert _source(tagging, checks) == _source(clean_tagging, clean_checks)


def test_a_markdown_copy_validates_clean_with_the_clean_facts(tmp_path, capsys):
    """Another converter's print end to end: every table a pipe table, built and validated by
    Arelle (an empty cell keeps a file column of its own, so no figure is tagged twice)."""
    name = "kc-2025-q2-press-release"
    source = tmp_path / f"{name}.txt"
    source.write_text("\n".join(damage.markdown_tables(list(sample_lines(name)))), encoding="utf-8")
    assert main(["build", str(source), "--out", str(tmp_path / "out"), "--no-viewer"]) == 0
    validation = json.loads((tmp_path / "out" / name / "validation.json").read_text(encoding="utf-8"))
    assert (validation["errors"], validation["warnings"], validation["inconsistencies"]) == (0, 0, 0)
    oim = json.loads((tmp_path / "out" / name / f"{name}.json").read_text(encoding="utf-8"))["facts"]
    assert len([k for k in oim if k.startswith("f-")]) == len([f for f in clean(name)[0].facts if f.id.startswith("f-")])


@pytest.mark.parametrize("sample", ["kc-2023-h1-interim-results", "kc-2025-annual-results"])
def test_a_note_reference_with_its_parts_stays_a_note_reference(sample):
    """'3(a)', '8(1)', '6b' in the notes column: a note's part or a footnote glued on, never a
    figure that pushes the row's figures a column along."""
    lines = list(sample_lines(sample))
    changed = 0
    for k, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) > 3 and re.fullmatch(r"\d{1,2}", cells[1].strip()):
            cells[1] = cells[1].strip() + ("(a)", "(1)", "b")[changed % 3]
            lines[k], changed = "\t".join(cells), changed + 1
    assert changed >= 5
    tagging, checks = tag(f"{sample}.txt", lines)
    clean_tagging, clean_checks = clean(sample)

    def placed(t) -> set[tuple]:  # the facts with the line they come from (statements print twice)
        return {(f.source.line, f.concept, f.context, f.unit, f.value) for f in t.facts}
    assert placed(tagging) == placed(clean_tagging)
    assert _source(tagging, checks) == _source(clean_tagging, clean_checks)


@pytest.mark.parametrize("sample", ["kc-2025-annual-results", "kc-2025-h1-interim-results"])
def test_nil_printed_as_a_word_is_a_nil_figure(sample):
    """'Nil' where the sample prints a dash (as Hong Kong issuers print it): the same zero facts."""
    lines = [re.sub(r"(?<=\t)[-–—_](?=\t|$)", "Nil", line) if "\t" in line else line for line in sample_lines(sample)]
    assert lines != list(sample_lines(sample))
    tagging, checks = tag(f"{sample}.txt", lines)
    clean_tagging, clean_checks = clean(sample)
    assert _printings(tagging) == _printings(clean_tagging)
    assert _source(tagging, checks) == _source(clean_tagging, clean_checks)


@pytest.mark.parametrize(("caption", "scale"), [("(in US$ millions, except per share data)", 6),
                                              ("(in RMB thousands)", 3), ("(RMB in millions)", 6)])
def test_a_caption_names_the_scale_with_its_currency_between(caption, scale):
    lines = ["ACME HOLDINGS LIMITED", "UNAUDITED CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS", caption, "",
             "\tThree Months Ended", "\tJune 30, 2025", "\tRMB",
             "Total revenues\t120.5", "Cost of revenues\t(100.2)", "Gross profit\t20.3"]
    tagging, _ = tag("acme.txt", lines)
    revenue = [f.value for f in tagging.facts if f.concept == "RevenueFromContractWithCustomerExcludingAssessedTax"]
    assert revenue == [Decimal("120.5") * 10 ** scale]


def test_a_statement_the_tool_cannot_read_leaves_arelle_no_partial_sum_of_the_prose(tmp_path, capsys):
    """Thousands grouped by spaces ('2 349 227') in every table: no row is read, the prose
    still gives revenue, cost of revenues and gross profit for some periods and not others.
    Arelle must not add up what is left and blame the prose: the sums whose total only the prose
    gives are not checked (`table.incompleteSum` where an item is missing), the build is valid."""
    name = "kc-2025-q2-press-release"
    spaced = [re.sub(r"(?<=\d),(?=\d{3})", " ", line) if "\t" in line else line for line in sample_lines(name)]
    source = tmp_path / f"{name}.txt"
    source.write_text("\n".join(spaced), encoding="utf-8")
    assert main(["build", str(source), "--out", str(tmp_path / "out"), "--no-viewer"]) == 0
    validation = json.loads((tmp_path / "out" / name / "validation.json").read_text(encoding="utf-8"))
    assert (validation["errors"], validation["warnings"], validation["inconsistencies"]) == (0, 0, 0)
    oim = json.loads((tmp_path / "out" / name / f"{name}.json").read_text(encoding="utf-8"))["facts"]
    gross = {f["dimensions"]["period"] for k, f in oim.items()
             if k.startswith("p-") and f["dimensions"]["concept"] == "kcx:GrossProfit"}
    assert gross  # the prose's gross profit is tagged, unchecked
    findings = json.loads((tmp_path / "out" / name / "findings.json").read_text(encoding="utf-8"))
    assert not [f for f in findings if f["code"] in ("source.sumDisagrees", "source.sumDoesNotFoot")]



# ---------------------------------------------------------------- a label wrapped below its figures, or not

_SECTIONS = re.compile(r"^(Shareholders' equity|Operating expenses|Current assets|Non-current liabilities):\t*$")


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_a_section_label_right_below_a_row_without_its_colon_stays_a_section(sample):
    """"Total liabilities  12,087,334 ..." / "Shareholders' equity" (no colon, no tabs) / rows: the
    two lines joined read as a row the mapping knows ("Total liabilities ... equity"), but the row
    above is one already, so the line is the section its rows stand under (wrapped_labels_below
    has the line that is the rest of a label)."""
    lines = [_SECTIONS.sub(r"\1", line) for line in sample_lines(sample)]
    assert lines != list(sample_lines(sample))
    tagging, checks = tag(f"{sample}.txt", lines)
    clean_tagging, clean_checks = clean(sample)
    assert _facts(tagging) == _facts(clean_tagging)
    assert _source(tagging, checks) == _source(clean_tagging, clean_checks)


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_text_right_below_a_tables_last_row_stays_text(sample):
    """No blank line between a table's last row and the heading or paragraph below it: the line
    might be the rest of the row's label, but the label joined is no other row the mapping knows,
    so the row keeps its label and the line stays a block of its own, with its words."""
    lines: list[str] = []
    for line in sample_lines(sample):
        if not line.strip() and lines and "\t" in lines[-1] and damage._has_figure(lines[-1]):
            continue  # the blank lines under a table's last row
        lines.append(line)
    document = parse_lines(f"{sample}.txt", lines)
    below = [b.rest_below for b in document.blocks if getattr(b, "rest_below", None)]
    assert below  # the lines the reader could not tell from a label's rest
    texts = {b.ref.line: b.text for b in document.blocks if not hasattr(b, "rows")}
    assert all(texts[row.line].strip().startswith(row.label) for row in below)
    tagging, checks = tag(f"{sample}.txt", lines)
    clean_tagging, clean_checks = clean(sample)
    assert _facts(tagging) == _facts(clean_tagging)
    assert _source(tagging, checks) == _source(clean_tagging, clean_checks)
