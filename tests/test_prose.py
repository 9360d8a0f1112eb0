"""Figures in the prose: tagged in place at the scale and precision printed, on the same concept
and context as the tables; what is left untagged says why."""

from __future__ import annotations

import re

from decimal import Decimal

import pytest

from kcxbrl.understand import understand
from kcxbrl.profile import load_profile
from kcxbrl.read import read_document
from kcxbrl.resources import samples_dir
from kcxbrl.dts import default_taxonomy

from test_golden_facts import FY24, FY25, H1_23, Q1_25, Q2_24, REV

PROSE = [
    # sample, concept, period, unit, value, decimals, dims
    ("kc-2025-annual-results", REV, FY25, "CNY", 6633500000, -5, {"ProductOrServiceAxis": "PublicCloudServicesMember"}),
    ("kc-2025-annual-results", REV, FY25, "USD", 948600000, -5, {"ProductOrServiceAxis": "PublicCloudServicesMember"}),
    ("kc-2025-annual-results", "ProfitLoss", FY24, "CNY", -1979000000, -5, {}),  # "from net loss of RMB1,979.0 million in 2024"
    ("kc-2025-annual-results", "EarningsPerShareBasic", FY25, "USD/shares", Decimal("-0.03"), 2, {}),
    ("kc-2025-annual-results", "GrossMargin", FY24, "pure", Decimal("0.172"), 3, {}),
    ("kc-2025-annual-results", "CashAndCashEquivalentsAtCarryingValue", "@2024-12-31", "CNY", 2648800000, -5, {}),
    ("kc-2023-h1-interim-results", "AdjustedEBITDA", H1_23, "CNY", -191900000, -5, {}),  # "RMB-191.9 million"
    ("kc-2025-q2-press-release", REV, Q1_25, "CNY", 1970000000, -5, {}),  # "in the first quarter of 2025"
    ("kc-2025-q2-press-release", "AdjustedOperatingIncomeLoss", Q2_24, "CNY", -188500000, -5, {}),
    ("kc-2025-h1-interim-results", "EntityNumberOfEmployees", "@2025-06-30", "pure", 13868, 0, {}),  # "13,868 employees"
]


@pytest.mark.parametrize("sample,concept,period,unit,value,decimals,dims", PROSE,
                         ids=[f"{p[0]}-{p[1]}-{p[2]}-{p[3]}" for p in PROSE])
def test_prose_fact(built, sample, concept, period, unit, value, decimals, dims):
    facts = [f for f in built[sample].facts(concept, period, unit, **dims) if f["id"].startswith("p-")]
    assert facts, f"no prose {concept} {period} {unit} in {sample}"
    assert {Decimal(f["value"]) for f in facts} == {Decimal(value)}
    assert {f["decimals"] for f in facts} == {decimals}


def _prose(sample: str):
    document = read_document(samples_dir() / f"{sample}.txt")
    return understand(document, load_profile("kingsoft-cloud")).prose


def test_growth_rates_and_cut_sentences_stay_untagged_by_a_stated_rule():
    figures = {(f.ref.line, f.text): f for f in _prose("kc-2025-q2-press-release")}
    assert figures[(19, "31.7")].rule == "prose.growthRate"  # "increased by 31.7% from RMB1,234.5 million"
    assert figures[(19, "1,234.5")].fact is not None
    assert all(f.rule for f in figures.values() if f.fact is None)


def test_a_figure_whose_period_follows_a_blank_line_gets_it():
    """Press release lines 35/37: "... from RMB204.0 million in the same period in" / "" /
    "2024 and decreased by 14.1% from RMB226.2 million last quarter": the paragraph goes on after
    the blank line, so 204.0 is R&D of the second quarter of 2024 and 226.2 that of the first
    quarter of 2025, each at its own line and file column."""
    figures = {(f.ref.line, f.text): f for f in _prose("kc-2025-q2-press-release")}
    q2_24, q1_25 = figures[(35, "204.0")].fact, figures[(37, "226.2")].fact
    assert (q2_24.concept, q2_24.context.id, q2_24.unit, q2_24.value, q2_24.decimals) == (
        "ResearchAndDevelopmentExpense", "D2024-04-01_2024-06-30", "CNY", 204000000, "-5")
    assert (q1_25.concept, q1_25.context.id, q1_25.value) == ("ResearchAndDevelopmentExpense", "D2025-01-01_2025-03-31", 226200000)
    raw = (samples_dir() / "kc-2025-q2-press-release.txt").read_text(encoding="utf-8").split("\n")
    assert raw[34][q2_24.source.column - 1:].startswith("204.0") and q2_24.id == f"p-35-{q2_24.source.column}"


def test_prose_facts_sit_in_the_text(built):
    report = built["kc-2025-annual-results"].result.folder / "reports" / "kc-2025-annual-results.xhtml"
    text = report.read_text(encoding="utf-8")
    assert 'name="kcx:RevenueFromContractWithCustomerExcludingAssessedTax" scale="6"' in text
    # marked for the reviewer: a span whose title names the line the figure was read from
    assert re.search(r'Revenues from public cloud services were RMB<span class="tagged" title="line \d+: [^"]*">'
                     r'<ix:nonFraction ', text)


def test_coverage_report_lists_every_untagged_figure_with_its_rule(built):
    import json

    for name, b in built.items():
        report = json.loads((b.result.folder / "coverage.json").read_text(encoding="utf-8"))
        assert report["untagged"] == len(report["figures"]) == sum(report["by_rule"].values())
        assert all(f["rule"] and f["line"] > 0 for f in report["figures"])
        # in the statements, highlights, reconciliations and notes nothing is left without a reason
        # that the findings also give: unplaced rows are the only untagged statement figures
        assert set(report["by_rule"]) <= {
            "table.header", "table.label", "table.stray", "table.noteReference", "table.yearOnYearChange", "table.notMapped",
            "table.unalignedRow", "prose.date", "prose.heading", "prose.noConcept", "prose.growthRate",
            "prose.periodUnknown", "prose.noScale", "prose.unit", "prose.disagrees"}, name
        # every figure of a financial table is tagged: damaged rows are placed by evidence
        assert [f for f in report["figures"] if f["rule"] in ("table.unalignedRow", "table.unmappedRow", "table.other")] == []
    annual = json.loads((built["kc-2025-annual-results"].result.folder / "coverage.json").read_text(encoding="utf-8"))
    # tables of no financial kind: the exhibit index (lines 31-33) and the definitions (from line 756)
    assert {f["line"] for f in annual["figures"] if f["rule"] == "table.notMapped"} == {31, 32, 33, 757, 759}


@pytest.mark.parametrize("sample,rate,date", [
    ("kc-2023-h1-interim-results", "7.2513", "@2023-06-30"),
    ("kc-2025-annual-results", "6.9931", "@2025-12-31"),
    ("kc-2025-q2-press-release", "7.1636", "@2025-06-30"),
])
def test_convenience_rate_is_tagged_where_stated(built, sample, rate, date):
    facts = built[sample].facts("ForeignCurrencyExchangeRateTranslation1", date, "pure")
    assert facts and {Decimal(f["value"]) for f in facts} == {Decimal(rate)}
    assert {f["decimals"] for f in facts} == {4}


# ---------------------------------------------------------------- paragraphs broken mid-sentence


def test_paragraph_broken_by_a_blank_line_mid_sentence_is_one_paragraph():
    """Press release lines 35-37: "... from RMB204.0 million in the same period in" / "" /
    "2024 and decreased by 14.1% from RMB226.2 million last quarter. ..." is one paragraph; the
    blank line stays an (empty) line of it, so every figure keeps its file line and column."""
    from kcxbrl.read import Paragraph

    path = samples_dir() / "kc-2025-q2-press-release.txt"
    raw = path.read_text(encoding="utf-8").split("\n")
    document = read_document(path)
    (paragraph,) = [b for b in document.blocks if isinstance(b, Paragraph) and b.ref.line == 35]
    texts = ["".join(run.text for run in line) for line in paragraph.lines]
    assert len(texts) == 3 and texts[1] == ""
    assert texts[0].endswith("from RMB204.0 million in the same period in")
    assert texts[2] == raw[36] and texts[2].startswith("2024 and decreased by 14.1% from RMB226.2 million last quarter.")
    assert not [b for b in document.blocks if b.ref.line in (36, 37)]
    figures = {(f.ref.line, f.text): f for f in _prose("kc-2025-q2-press-release")}
    for line, digits in ((35, "204.0"), (37, "14.1"), (37, "226.2")):  # file columns
        assert raw[line - 1][figures[(line, digits)].ref.column - 1:].startswith(digits)


def test_prose_figures_point_at_the_file_text_despite_markup_and_escapes():
    """"(US\\$327.9¹ million)" on press release line 17: the escape puts the figure one column
    further right in the file than in the text read; every prose figure of every sample points
    at its own digits in the file."""
    for path in sorted(samples_dir().glob("*.txt")):
        raw = path.read_text(encoding="utf-8").split("\n")
        for f in _prose(path.stem):
            assert raw[f.ref.line - 1][f.ref.column - 1:].startswith(f.text), (path.name, f.ref, f.text)
    figures = {(f.ref.line, f.text): f for f in _prose("kc-2025-q2-press-release")}
    assert figures[(17, "327.9")].ref.column == 48


LEAD = "The quarter went well. "  # a first line that is a sentence, never a heading


@pytest.mark.parametrize("first,second,joined", [
    (LEAD + "Costs were RMB1.0 million, compared with RMB2.0 million in the same period in", "2024 and rose.", True),
    (LEAD + "Revenues were RMB1.0 million, mainly due to", "higher demand.", True),
    (LEAD + "Cash was RMB1.0 million as of June", "30, 2025, the end of the period.", True),
    (LEAD + "Costs rose by", "27.8% from the same quarter of 2024.", True),
    (LEAD + "Revenues were RMB1.0 million in the same quarter of", "2024.", True),
    ("Revenues were RMB1.0 million in the same quarter of", "2024 and 2025.", True),  # short, but no heading
    (LEAD + "Revenues were RMB1.0 million in 2025.", "and then some.", False),  # the sentence ended
    (LEAD + "Our outlook is as follows:", "revenue will grow.", False),
    (LEAD + "Revenues were RMB1.0 million in the same period of", "The next sentence starts anew.", False),
    (LEAD + "Please see the notes listed in", "1. CORPORATE INFORMATION", False),  # a numbered heading
    (LEAD + "Exhibit No. Description of the", "99.1 Announcement of results", False),
    (LEAD + "Revenues were RMB1.0 million in the same period in", "2024\t2025\t2025", False),  # a table
    ("RESULTS HIGHLIGHTS", "and more", False),  # a heading is never continued
    ("Revenue by service line", "2024 and 2025 compared", False),  # nor is a caption
])
def test_which_paragraphs_a_blank_line_breaks(first, second, joined):
    from kcxbrl.read import Paragraph
    from kcxbrl.read import parse_lines

    document = parse_lines("t.txt", [first, "", "", second, "", "Last words."])
    starts = [b.ref.line for b in document.blocks]
    if joined:
        assert starts == [1, 6]
        paragraph = document.blocks[0]
        assert isinstance(paragraph, Paragraph)
        assert ["".join(r.text for r in line) for line in paragraph.lines] == [first, "", "", second]
    else:
        assert starts[:2] == [1, 4]
