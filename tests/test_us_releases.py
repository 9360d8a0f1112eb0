"""Real results releases of US issuers (8-K exhibit 99.1, tests/fixtures/issuers/*/README.md), as
one converter printed them: no currency over any column (the prose says "$"), negative figures
that lost their ")" ("(14,143"), percentages split from their "%", and Markdown rows without
their outer bars. Each is built by the real pipeline without a profile and validated by Arelle;
the bar-separated copy gives the tab copy's facts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Built, build_and_load, build_each
from kcxbrl.read import parse_lines
from kcxbrl.understand import understand
from kcxbrl.understand.tables import document_currency, named_currencies
from kcxbrl.profile import load_profile

ISSUERS = Path(__file__).parent / "fixtures" / "issuers"
RELEASES = {
    "strattec": ISSUERS / "strattec" / "strattec-fy2026-q4",
    "xpel": ISSUERS / "xpel" / "xpel-2026-q2",
    "legalzoom": ISSUERS / "legalzoom" / "legalzoom-2026-q2",
    "flexsteel": ISSUERS / "flexsteel" / "flexsteel-fy2026-q4",
}
K = 1000


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Built]:
    paths = {name + copy: stem.with_name(stem.name + copy + ".txt") for name, stem in RELEASES.items()
             for copy in ("", ".pipe")}
    return build_each(paths, tmp_path_factory.mktemp("us"), viewer=False)


def one_value(built: Built, concept: str, period: str, unit: str | None = "USD", **dims: str) -> Decimal:
    values = {Decimal(str(f["value"])) for f in built.table_facts(concept, period, unit, **dims)}
    assert len(values) == 1, (concept, period, unit, dims, values)
    return values.pop()


def _key(fact: dict) -> tuple:
    return tuple(sorted(fact["dimensions"].items())), fact["value"]


@pytest.mark.parametrize("name", sorted(RELEASES))
def test_a_us_release_builds_valid_with_its_columns_in_us_dollars(built, name):
    """Before, every one of them stopped at exit 3: no column had a currency."""
    v = built[name].result.validation
    assert v is not None and v.errors == 0 and v.warnings == 0
    table_units = {f["dimensions"].get("unit") for f in built[name].oim["facts"].values()
                   if not f["dimensions"]["concept"].startswith("dei:")} - {None}
    assert table_units and all("CNY" not in u for u in table_units)
    assert "iso4217:USD" in table_units
    said = [f for f in built[name].result.findings if f.code == "table.currencyFromDocument"]
    assert all("USD" in f.message and "only currency the document names" in f.message for f in said)
    if name in ("strattec", "xpel"):  # no "$" in their cells, captions or the lines above them
        assert said


@pytest.mark.parametrize("name", sorted(RELEASES))
def test_the_bar_separated_copy_gives_the_tab_copys_facts(built, name):
    tab = {_key(f) for f in built[name].oim["facts"].values()}
    bars = {_key(f) for f in built[name + ".pipe"].oim["facts"].values()}
    assert bars == tab


def test_strattec_balance_sheet_figures(built):
    """STRATTEC's balance sheet at June 28, 2026 (lines 124-162): figures in thousands of US$;
    '(14,143' lost its ')' and is still the negative it was printed as."""
    strattec = built["strattec"]
    assert one_value(strattec, "CashAndCashEquivalentsAtCarryingValue", "@2026-06-28") == 108_243 * K
    assert one_value(strattec, "CashAndCashEquivalentsAtCarryingValue", "@2025-06-29") == 84_579 * K
    assert one_value(strattec, "LiabilitiesAndStockholdersEquity", "@2026-06-28") == 387_479 * K
    assert one_value(strattec, "StockholdersEquity", "@2026-06-28") == 238_646 * K
    assert one_value(strattec, "AccumulatedOtherComprehensiveIncomeLossNetOfTax", "@2026-06-28") == -14_143 * K
    assert one_value(strattec, "AccumulatedOtherComprehensiveIncomeLossNetOfTax", "@2025-06-29") == -16_113 * K
    unclosed = [f.ref.line for f in strattec.result.findings if f.code == "table.unclosedParenthesis"]
    assert 156 in unclosed
    # "Less: treasury stock, at cost (144,321": printed taken away already; the stock is 144,321
    assert one_value(strattec, "TreasuryStockValue", "@2026-06-28") == 144_321 * K
    assert not [f for f in strattec.result.findings if f.code.startswith("source.")]


def test_strattec_income_statement_signs_by_its_own_sums(built):
    """Costs printed positive, 'Interest expense (37' printed as a charge among the other
    income: operating income 6,168 + interest income 859 - 37 + other income 2,630 = 9,620, so
    the interest expense is 37 (a 'Operating margin 4.1 %' row between is no part of the sum)."""
    strattec = built["strattec"]
    q4 = "2026-03-30/2026-06-28"  # the fiscal quarter after the one ended March 29, 2026
    assert one_value(strattec, "InterestExpenseNonoperating", q4) == 37 * K
    assert one_value(strattec, "InvestmentIncomeInterest", q4) == 859 * K
    assert one_value(strattec, "CostOfRevenue", q4) == 128_179 * K
    assert one_value(strattec, "IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest",
                     q4) == 9_620 * K
    assert one_value(strattec, "NetIncomeLossAttributableToNoncontrollingInterest", q4) == -264 * K
    assert one_value(strattec, "NetIncomeLoss", q4) == 3_882 * K
    v = strattec.result.validation
    assert v is not None and (v.errors, v.warnings, v.inconsistencies, v.assertions) == (0, 0, 0, 0)


def test_a_percent_sign_in_a_cell_of_its_own_belongs_to_the_figure_before_it():
    """'Gross margin | 15.6 | % | 16.7 | %': four percentages, not a row with unreadable cells."""
    lines = ["ACME CORPORATION", "CONDENSED CONSOLIDATED STATEMENTS OF INCOME", "(in thousands)", "",
             "\tThree Months Ended", "\tJune 30, 2026\tJune 30, 2025",
             "Net sales\t$ 151,827\t$ 152,013",
             "Cost of goods sold\t128,179\t126,613",
             "Gross profit\t23,648\t25,400",
             "Gross margin\t15.6\t%\t16.7\t%"]
    profile = load_profile("kingsoft-cloud")
    tagging = understand(parse_lines("acme.txt", lines), profile)
    assert not [f for f in tagging.findings if f.code == "table.unreadableCell"]
    margin = next(r for t in tagging.tables for r in t.rows if r.label == "Gross margin")
    assert [(a.value, a.percent) for a in margin.amounts] == [(Decimal("15.6"), True), (Decimal("16.7"), True)]


def test_the_one_currency_a_document_names():
    assert named_currencies("Net sales were $115.4 million") == {"USD"}
    assert named_currencies("(dollars in thousands, except per share data)") == {"USD"}
    assert named_currencies("HK$10.00 per share") == set()
    assert named_currencies("RMB943.7 million (US$134.9 million)") == {"CNY", "USD"}
    two = parse_lines("two.txt", ["Revenue was RMB1.0 billion (US$139.6 million).", "",
                                  "\tJune 30, 2025", "Revenue\t1,000"])
    assert document_currency(two) is None
    one = parse_lines("one.txt", ["Revenue was $1.0 billion.", "", "\tJune 30, 2025", "Revenue\t1,000"])
    found = document_currency(one)
    assert found is not None and found[0] == "USD" and found[1].line == 1


def test_an_sec_rendered_statement_header_is_read(tmp_path):
    """SEC's rendering of a filing's statement (111, Inc.'s FY2023 R4 page): '12 Months Ended',
    'Dec. 31, 2023', currencies as 'CNY (¥)' / 'USD ($)', and '¥ 14,948,129' in the first row."""
    inc = build_and_load(ISSUERS / "111inc" / "111inc-fy2023-r4.txt", tmp_path, viewer=False)
    revenue = "RevenueFromContractWithCustomerExcludingAssessedTax"
    assert one_value(inc, revenue, "2023-01-01/2023-12-31", "CNY") == 14_948_129 * K
    assert one_value(inc, revenue, "2023-01-01/2023-12-31", "USD") == 2_105_399 * K
    assert one_value(inc, revenue, "2021-01-01/2021-12-31", "CNY") == 12_425_902 * K


def test_flexsteel_income_statement(built):
    """'Interest (expense) (22' under 'Other income (expense):': an expense of 22 thousand;
    '—' in the prior year's quarter is a nil figure."""
    flexsteel = built["flexsteel"]
    q4, prior = "2026-04-01/2026-06-30", "2025-04-01/2025-06-30"
    assert one_value(flexsteel, "RevenueFromContractWithCustomerExcludingAssessedTax", q4) == 115_365 * K
    assert one_value(flexsteel, "InterestExpenseNonoperating", q4) == 22 * K
    assert one_value(flexsteel, "InterestExpenseNonoperating", prior) == 0
    assert one_value(flexsteel, "NonoperatingIncomeExpense", q4) == 161 * K
    assert not [f for f in flexsteel.result.findings if f.code.startswith("source.")]


def test_a_52_53_week_retailers_weeks_ended_header(tmp_path):
    """'Thirteen Weeks Ended' and 'Fifty-Two Weeks Ended' over a fiscal year ending on a
    Saturday: the quarter is the 13 weeks to February 1, 2025, the year starts the day after
    the prior year's end the header prints (February 3, 2024)."""
    text = "\n".join([
        "Acme Stores, Inc. (NYSE: ACME) reported results for its fourth quarter. Net sales were $1.2 billion.", "",
        "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS", "(in thousands)", "",
        "\tThirteen Weeks Ended\t\tFifty-Two Weeks Ended\t",
        "\tFebruary 1, 2025\tFebruary 3, 2024\tFebruary 1, 2025\tFebruary 3, 2024",
        "Net sales\t$ 1,201,500\t$ 1,150,200\t$ 4,310,900\t$ 4,120,400",
        "Cost of sales\t800,100\t770,300\t2,900,200\t2,780,100",
        "Gross profit\t401,400\t379,900\t1,410,700\t1,340,300"])
    source = tmp_path / "acme.txt"
    source.write_text(text, encoding="utf-8")
    acme = build_and_load(source, tmp_path / "out", viewer=False)
    revenue = "RevenueFromContractWithCustomerExcludingAssessedTax"
    assert one_value(acme, revenue, "2024-11-03/2025-02-01") == 1_201_500 * K
    assert one_value(acme, revenue, "2024-02-04/2025-02-01") == 4_310_900 * K
    assert one_value(acme, "GrossProfit", "2023-02-05/2024-02-03") == 1_340_300 * K
    assert one_value(acme, "CostOfRevenue", "2024-11-03/2025-02-01") == 800_100 * K  # printed positive: a cost


def test_reports_that_name_no_registrant_are_never_compared(tmp_path, capsys):
    """Two statements that name no company (two SEC viewer pages, say) may be two issuers':
    their figures for the same year are not a restatement of each other."""
    from kcxbrl.cli import main

    def statement(revenue: str) -> str:
        return "\n".join(["CONSOLIDATED STATEMENTS OF OPERATIONS", "$ in Thousands", "", "\t12 Months Ended",
                          "\tDec. 31, 2019", "Net revenues\t$ " + revenue, "Cost of revenues\t(500)",
                          "Gross profit\t" + f"{int(revenue.replace(',', '')) - 500:,}"])
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(statement("1,000"), encoding="utf-8")
    second.write_text(statement("2,000"), encoding="utf-8")
    main(["build", str(first), str(second), "--out", str(tmp_path / "out"), "--no-viewer"])
    out = capsys.readouterr().out
    assert "0 comparatives differing across documents" in out
    checks = json.loads((tmp_path / "out" / "checks.json").read_text(encoding="utf-8"))
    assert not [f for f in checks["findings"] if f["code"] == "source.comparativeDiffers"]
