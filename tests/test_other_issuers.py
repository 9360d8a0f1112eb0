"""Other issuers and documents with less: a second issuer built with its own profile (chosen
from what the document states), a document of an issuer with no profile (built with the
identity it states, never Kingsoft Cloud's), parent-only condensed statements (the parent's
figures on ParentCompanyMember), a balance sheet alone, and `kcxbrl profile init`.
Every document is built by the real pipeline and validated by Arelle."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Built, build_and_load
from kcxbrl.dts import default_taxonomy
from kcxbrl.profile import load_profile

FIXTURES = Path(__file__).parent / "fixtures"
BILIBILI = FIXTURES / "issuers" / "bilibili" / "bilibili-2023-annual-results.txt"
PARENT_ONLY = FIXTURES / "less" / "parent-only.txt"
BALANCE_ONLY = FIXTURES / "less" / "balance-sheet-only.txt"
SEGMENTS = FIXTURES / "less" / "segment-income-statement.txt"
FY = {year: f"{year}-01-01/{year}-12-31" for year in (2019, 2020, 2021, 2022, 2023)}
K = 1000  # the statements print thousands


@pytest.fixture(scope="module")
def others(tmp_path_factory) -> dict[str, Built]:
    out = tmp_path_factory.mktemp("others")
    taxonomy = default_taxonomy()
    found = {}
    for path in (BILIBILI, PARENT_ONLY, BALANCE_ONLY, SEGMENTS):
        found[path.stem] = build_and_load(path, out, taxonomy)  # no profile given: chosen from the document
    return found


def one_value(built: Built, concept: str, period: str, unit: str | None = None, **dims: str) -> Decimal:
    facts = built.table_facts(concept, period, unit, **dims)
    values = {Decimal(str(f["value"])) for f in facts}
    assert len(values) == 1, (concept, period, unit, dims, facts)
    return values.pop()


def cover(built: Built, concept: str) -> str | None:
    return next((f["value"] for f in built.oim["facts"].values()
                 if f["dimensions"]["concept"].split(":", 1)[1] == concept), None)


def arelle_clean(built: Built) -> None:
    v = built.result.validation
    assert v is not None
    assert (v.errors, v.warnings, v.inconsistencies, v.assertions) == (0, 0, 0, 0), v


# ---------------------------------------------------------------- a second issuer: Bilibili


def test_the_second_issuer_is_built_with_its_own_profile_and_validates_clean(others):
    bili = others[BILIBILI.stem]
    arelle_clean(bili)
    assert not [f for f in bili.result.findings if f.code.startswith("profile.")]
    assert cover(bili, "EntityRegistrantName") == "Bilibili Inc."
    assert cover(bili, "EntityCentralIndexKey") == "0001723690"
    assert cover(bili, "EntityFileNumber") == "001-38429"
    assert cover(bili, "TradingSymbol") == "BILI"
    report = next((bili.result.folder / "reports").glob("*.xhtml")).read_text(encoding="utf-8")
    assert "0001795589" not in report and "Kingsoft" not in report


def test_the_second_issuers_statements_are_fully_tagged(others):
    findings = others[BILIBILI.stem].result.findings
    # nothing unmapped, unread or unplaced; what is said is the tool's own information
    assert [f for f in findings if f.severity != "info"] == []
    assert sorted({f.code for f in findings}) == ["table.footnoteMark", "table.headerContinued", "table.incompleteSum"]
    assert not [f for f in findings if f.code.startswith("source.")]


@pytest.mark.parametrize("concept, period, unit, dims, printed", [
    ("RevenueFromContractWithCustomerExcludingAssessedTax", FY[2023], "CNY", {}, 22_527_987),
    ("RevenueFromContractWithCustomerExcludingAssessedTax", FY[2023], "USD", {}, 3_173_001),
    ("RevenueFromContractWithCustomerExcludingAssessedTax", FY[2021], "CNY", {}, 19_383_684),
    ("CostOfRevenue", FY[2023], "CNY", {}, 17_086_122),  # printed (17,086,122): an expense, positive
    ("SellingAndMarketingExpense", FY[2023], "CNY", {}, 3_916_150),
    ("OperatingExpenses", FY[2023], "CNY", {}, 10_506_052),
    ("OperatingIncomeLoss", FY[2023], "CNY", {}, -5_064_187),
    ("ForeignCurrencyTransactionGainLossBeforeTax", FY[2023], "CNY", {}, -35_575),
    ("NonoperatingIncomeExpense", FY[2023], "CNY", {}, 331_179),
    ("IncomeTaxExpenseBenefit", FY[2023], "CNY", {}, 78_705),
    ("ProfitLoss", FY[2023], "CNY", {}, -4_811_713),
    # "Net loss/(profit) attributable to noncontrolling interests": 19,511 is a loss of the NCI
    ("NetIncomeLossAttributableToNoncontrollingInterest", FY[2021], "CNY", {}, -19_511),
    ("NetIncomeLossAttributableToNoncontrollingInterest", FY[2023], "CNY", {}, 10_608),
    ("ComprehensiveIncomeNetOfTaxAttributableToNoncontrollingInterest", FY[2021], "CNY", {}, -19_511),
    ("NetIncomeLoss", FY[2023], "CNY", {}, -4_822_321),
    ("ComprehensiveIncomeNetOfTaxIncludingPortionAttributableToNoncontrollingInterest", FY[2023], "CNY", {}, -4_657_346),
    # "Share-based compensation expenses included in:" is the expense on the line items' members
    ("AllocatedShareBasedCompensationExpense", FY[2023], "CNY", {"IncomeStatementLocationAxis": "CostOfSalesMember"}, 63_724),
    ("AllocatedShareBasedCompensationExpense", FY[2023], "USD",
     {"IncomeStatementLocationAxis": "GeneralAndAdministrativeExpenseMember"}, 84_079),
    ("ShareBasedCompensation", FY[2023], "CNY", {}, 1_132_644),
    # the issuer's share classes on its own members
    ("CommonStockValue", "@2023-12-31", "CNY", {"StatementClassOfStockAxis": "ClassYOrdinarySharesMember"}, 52),
    ("CommonStockValue", "@2023-12-31", "CNY", {"StatementClassOfStockAxis": "ClassZOrdinarySharesMember"}, 213),
    ("StockholdersEquity", "@2023-12-31", "CNY", {}, 14_391_900),
    ("RetainedEarningsAccumulatedDeficit", "@2023-12-31", "CNY", {}, -26_310_766),
    ("LiabilitiesAndStockholdersEquity", "@2023-12-31", "USD", {}, 4_670_357),
    ("NetCashProvidedByUsedInOperatingActivities", FY[2021], "CNY", {}, -2_647_008),
    ("CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents", "@2023-12-31", "CNY", {}, 7_241_821),
    ("CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents", "@2022-12-31", "CNY", {}, 10_187_387),
    # the continuation page without header rows takes the columns of the page before it
    ("CashAndCashEquivalentsAtCarryingValue", "@2022-12-31", "CNY", {}, 10_172_584),
    ("RestrictedCash", "@2023-12-31", "USD", {}, 7_042),
    ("IncomeTaxesPaidNet", FY[2023], "CNY", {}, 103_391),
    ("CapitalExpendituresIncurredButNotYetPaid", FY[2021], "CNY", {}, 183_203),
    ("IntangibleAssetsPurchasesFinancedByPayables", FY[2022], "CNY", {}, 824_929),
    ("AcquisitionsAndInvestmentsFinancedByPayables", FY[2023], "CNY", {}, -80_000),
])
def test_the_second_issuers_figures(others, concept, period, unit, dims, printed):
    assert one_value(others[BILIBILI.stem], concept, period, unit, **dims) == printed * K


def test_per_share_and_per_ads_figures_of_the_second_issuer(others):
    bili = others[BILIBILI.stem]
    assert one_value(bili, "EarningsPerShareBasic", FY[2023], "CNY/shares") == Decimal("-11.67")
    assert one_value(bili, "EarningsPerShareDiluted", FY[2023], "USD/shares") == Decimal("-1.64")
    assert one_value(bili, "WeightedAverageNumberOfSharesOutstandingBasic", FY[2023], "shares") == 413_210_271
    # per ADS is a concept of its own, never a second EarningsPerShareBasic of the same context
    assert len(bili.table_facts("EarningsPerShareBasic", FY[2022], "CNY/shares")) == 1
    assert bili.table_facts("EarningsPerAdsBasic", FY[2022])


def test_a_footnote_mark_takes_its_column_and_gives_no_fact(others):
    bili = others[BILIBILI.stem]
    # "Proceeds from exercise of employees' share options  3  4  2  *" (* Less than 1.)
    assert one_value(bili, "ProceedsFromStockOptionsExercised", FY[2023], "CNY") == 2 * K
    assert bili.table_facts("ProceedsFromStockOptionsExercised", FY[2023], "USD") == []
    mark = [f for f in bili.result.findings if f.code == "table.footnoteMark"]
    assert [f.ref.line for f in mark] == [144]


def test_a_total_printed_without_one_of_its_items_is_not_blamed_on_the_document(others):
    bili = others[BILIBILI.stem]
    # the fixture's balance sheet starts at its equity page: no total liabilities is printed
    incomplete = [f for f in bili.result.findings if f.code == "table.incompleteSum"]
    assert 32 in [f.ref.line for f in incomplete]
    assert "Liabilities is not printed" in " ".join(f.message for f in incomplete)


def test_prose_names_total_revenue_only_when_it_says_so(others):
    bili = others[BILIBILI.stem]
    prose = [f for f in bili.facts("RevenueFromContractWithCustomerExcludingAssessedTax", FY[2023], "CNY")
             if f["id"].startswith("p-")]
    # "Total net revenues were ... RMB22.5 billion ... in 2023"; "Advertising revenues were RMB6.4 billion" is a line of it
    assert [Decimal(str(f["value"])) for f in prose] == [Decimal("22500000000")]


# ---------------------------------------------------------------- no profile; parent-only


def test_an_issuer_without_a_profile_keeps_its_own_identity(others):
    dada = others[PARENT_ONLY.stem]
    arelle_clean(dada)
    missing = [f for f in dada.result.findings if f.code == "profile.missing"]
    assert len(missing) == 1 and "Dada Nexus Limited" in missing[0].message
    assert cover(dada, "EntityRegistrantName") == "Dada Nexus Limited"
    assert cover(dada, "EntityCentralIndexKey") is None and cover(dada, "TradingSymbol") is None
    package = dada.result.folder
    for path in [*package.rglob("*.xhtml"), *package.rglob("*.json")]:
        text = path.read_text(encoding="utf-8")
        assert "0001795589" not in text and "001-39278" not in text and "Kingsoft" not in text, path


def test_parent_only_statements_are_the_parent_companys_figures(others):
    dada = others[PARENT_ONLY.stem]
    parent = {"ConsolidationItemsAxis": "ParentCompanyMember"}
    assert one_value(dada, "CashAndCashEquivalentsAtCarryingValue", "@2021-12-31", "CNY", **parent) == 112_374 * K
    assert one_value(dada, "InvestmentsInAffiliatesSubsidiariesAssociatesAndJointVentures", "@2020-12-31", "CNY",
                     **parent) == 1_657_347 * K
    assert one_value(dada, "LiabilitiesAndStockholdersEquity", "@2021-12-31", "USD", **parent) == 594_765 * K
    assert one_value(dada, "IncomeLossFromEquityMethodInvestments", FY[2021], "CNY", **parent) == -2_155_325 * K
    assert one_value(dada, "OperatingExpenses", FY[2019], "CNY", **parent) == 203_191 * K
    # "Years ended December 31," over 2019 2020 2021 and a US$ column of the last year
    assert one_value(dada, "InvestmentIncomeInterest", FY[2021], "USD", **parent) == 4_650 * K
    # not one figure of the parent's stands as the group's
    numeric = [f for f in dada.oim["facts"].values() if "unit" in f["dimensions"]]
    assert numeric and all(f["dimensions"].get("kcx:ConsolidationItemsAxis") == "kcx:ParentCompanyMember"
                           for f in numeric)
    assert [f.code for f in dada.result.findings if f.severity != "info"] == ["profile.missing"]


# ---------------------------------------------------------------- a segment table


def test_a_segment_table_gives_each_named_column_its_members(others):
    joyy = others[SEGMENTS.stem]
    arelle_clean(joyy)
    year = FY[2020]  # "For the year ended December 31, 2020:" above "Bigo | All other | Elimination(1) | Total"
    other = {"StatementBusinessSegmentsAxis": "AllOtherSegmentsMember"}
    elimination = {"ConsolidationItemsAxis": "IntersegmentEliminationMember"}
    assert one_value(joyy, "RevenueFromContractWithCustomerExcludingAssessedTax", year, "CNY") == 13_230_945 * K
    assert one_value(joyy, "RevenueFromContractWithCustomerExcludingAssessedTax", year, "CNY", **other) == 1_276_662 * K
    assert one_value(joyy, "ResearchAndDevelopmentExpense", year, "CNY", **other) == 752_903 * K
    assert one_value(joyy, "CostOfRevenue", year, "CNY") == 9_509_589 * K  # "Cost of revenues(2)": a footnote's number
    # the elimination of interest between segments lowers the group's interest expense
    assert one_value(joyy, "InterestExpenseNonoperating", year, "CNY", **elimination) == -33_370 * K
    assert one_value(joyy, "OperatingIncomeLoss", year, "CNY") == -2_820_687 * K
    # "Other income 56,111" above "Operating loss" is operating; "Other non-operating expenses
    # (17,257)" below it is not (one concept each, no second value refused)
    assert one_value(joyy, "OtherOperatingIncome", year, "CNY") == 56_111 * K
    assert one_value(joyy, "OtherNonoperatingIncomeExpense", year, "CNY") == -17_257 * K
    assert not [f for f in joyy.result.findings if f.code == "mapping.conflictingValue"]
    # "Bigo" is a segment of JOYY's own: no rule names it, so its column is said, not guessed
    unknown = [f for f in joyy.result.findings if f.code == "table.unknownColumn"]
    assert len(unknown) == 1 and "'Bigo'" in unknown[0].message and unknown[0].ref.line == 7
    assert not [f for f in joyy.oim["facts"].values() if f["value"] in (11447221000, 11954283000, "11954283000")]


# ---------------------------------------------------------------- a balance sheet alone


def test_a_balance_sheet_alone_builds_with_the_facts_of_the_full_release(others, built):
    alone = others[BALANCE_ONLY.stem]
    arelle_clean(alone)
    assert cover(alone, "DocumentPeriodEndDate") == "2025-06-30"
    assert cover(alone, "EntityCentralIndexKey") == "0001795589"  # "Kingsoft Cloud Holdings Limited" heads it

    def figures(b: Built) -> set[tuple]:
        return {(tuple(sorted(f["dimensions"].items())), str(f["value"])) for fid, f in b.oim["facts"].items()
                if fid.startswith("f-") and "unit" in f["dimensions"]}

    mine = figures(alone)
    assert len(mine) == 117  # every figure: 39 rows of the statement x 3 columns
    assert mine <= figures(built["kc-2025-q2-press-release"])


# ---------------------------------------------------------------- profile init


def test_profile_init_writes_a_starting_profile_that_loads(tmp_path):
    target = tmp_path / "bili.toml"
    run = subprocess.run([sys.executable, "-m", "kcxbrl.cli", "profile", "init", str(BILIBILI), "--out", str(target)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    text = target.read_text(encoding="utf-8")
    assert 'name = "Bilibili Inc."' in text and 'trading_symbol = "BILI"' in text and '"9626"' in text
    # rows the base mapping leaves unmapped, each with a proposed concept and its line
    assert 'concept = "CommonStockValue"  # line 23' in text
    assert "# line 165" in text
    profile = load_profile(str(target), default_taxonomy())
    assert profile.name == "Bilibili Inc." and profile.cik is None
    # refuses to overwrite without --force
    again = subprocess.run([sys.executable, "-m", "kcxbrl.cli", "profile", "init", str(BILIBILI), "--out", str(target)],
                           capture_output=True, text=True)
    assert again.returncode == 3 and str(target) in again.stderr


# ---------------------------------------------------------------- the second issuer, damaged


BILI_DAMAGES = ["page_breaks", "split_paragraphs", "wrapped_labels_below", "invisible_characters", "spaces_for_tabs",
                "minus_signs", "footnote_numbers", "wrapped_text"]


def _bili_tagging(lines: list[str]):
    from kcxbrl.check import check
    from kcxbrl.read import parse_lines
    from kcxbrl.understand import understand

    profile = load_profile("bilibili", default_taxonomy())
    document = parse_lines(BILIBILI.name, lines)
    tagging = understand(document, profile)
    return tagging, check(document, tagging, profile.taxonomy)


@pytest.mark.parametrize("damage_name", [*BILI_DAMAGES, "markdown_tables", "all"])
def test_a_damaged_copy_of_the_second_issuer_gives_its_clean_facts(damage_name):
    import damage

    clean_lines = BILIBILI.read_text(encoding="utf-8").split("\n")
    lines = list(clean_lines)
    for name in BILI_DAMAGES if damage_name == "all" else [damage_name]:
        lines = damage.DAMAGES[name](lines)
    assert lines != clean_lines
    (clean, clean_checks), (damaged, checks) = _bili_tagging(clean_lines), _bili_tagging(lines)
    facts = Counter((f.concept, f.context, f.unit, f.value) for f in clean.facts)  # each printing
    assert len(facts) > 400
    assert Counter((f.concept, f.context, f.unit, f.value) for f in damaged.facts) == facts
    assert [f for f in damaged.findings + checks.findings if f.code.startswith("source.")] == []


# ---------------------------------------------------------------- a US filer's conventions


def test_a_us_style_statement_takes_its_signs_currency_and_periods_from_its_own_print(tmp_path):
    """Costs printed positive, "$" in the cells instead of a currency header, the latest year
    first: the figures' own signs, the totals that add up and the header's order decide."""
    us = build_and_load(FIXTURES / "shapes" / "us-style-income-statement.txt", tmp_path)
    result = us.result
    arelle_clean(us)
    q2_2025, q2_2024, h1_2025 = "2025-04-01/2025-06-30", "2024-04-01/2024-06-30", "2025-01-01/2025-06-30"
    assert one_value(us, "RevenueFromContractWithCustomerExcludingAssessedTax", q2_2025, "USD") == 120_500 * K
    assert one_value(us, "RevenueFromContractWithCustomerExcludingAssessedTax", q2_2024, "USD") == 110_200 * K
    assert one_value(us, "CostOfRevenue", h1_2025, "USD") == 121_000 * K  # printed 121,000: a cost, positive
    assert one_value(us, "IncomeTaxExpenseBenefit", q2_2025, "USD") == 3_250 * K
    assert one_value(us, "OperatingIncomeLoss", "2024-01-01/2024-06-30", "USD") == 23_300 * K
    assert one_value(us, "EarningsPerShareDiluted", h1_2025, "USD/shares") == Decimal("0.48")
    assert [f.code for f in result.findings if f.code.startswith(("source.", "table.", "mapping."))] == [
        "table.signsAsPrinted"]


def test_a_us_filers_prose_dollars_are_us_dollars(tmp_path):
    oim = build_and_load(FIXTURES / "shapes" / "us-style-income-statement.txt", tmp_path).oim["facts"]
    prose = sorted((f["dimensions"]["concept"].split(":")[1], f["dimensions"]["period"], f["dimensions"]["unit"],
                    Decimal(str(f["value"])))
                   for fid, f in oim.items() if fid.startswith("p-"))
    assert prose == [
        ("ProfitLoss", "2025-04-01T00:00:00/2025-07-01T00:00:00", "iso4217:USD", 13000000),
        ("RevenueFromContractWithCustomerExcludingAssessedTax", "2024-04-01T00:00:00/2024-07-01T00:00:00", "iso4217:USD", 110200000),
        ("RevenueFromContractWithCustomerExcludingAssessedTax", "2025-04-01T00:00:00/2025-07-01T00:00:00", "iso4217:USD", 120500000),
    ]
