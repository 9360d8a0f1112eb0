"""US issuers' statements as they print them (tests/fixtures/issuers/: Strattec, XPEL, LegalZoom,
Flexsteel, 111, Inc.; sources in each README): the signs of the rows a statement's own sums
settle, sections nested and closed by their totals, the wordings any US-GAAP issuer prints.

The releases print "$" on each statement's first row; the conversion dropped it, and a column
whose header names no currency is another change's business. Where a fixture's statement has
no currency of its own, these tests build a copy with the "$" put back on that first row
(`_with_dollars`), nothing else changed. 111, Inc.'s statement names its currencies ("RMB",
"US$": the twelve-rmb probe variant).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Built
from kcxbrl.build import build_one
from kcxbrl.dts import default_taxonomy

ISSUERS = Path(__file__).parent / "fixtures" / "issuers"
K = 1000  # every statement here prints thousands


def _with_dollars(source: Path, lines: list[int], target: Path) -> Path:
    """A copy of `source` with "$ " before each figure of the given (1-based) lines."""
    text = source.read_text(encoding="utf-8").split("\n")
    for n in lines:
        cells = text[n - 1].split("\t")
        text[n - 1] = "\t".join([cells[0]] + [f"$ {c}" if re.fullmatch(r"\(?[\d,.]+\)?", c.strip()) else c
                                              for c in cells[1:]])
    target.write_text("\n".join(text), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def us(tmp_path_factory) -> dict[str, Built]:
    folder = tmp_path_factory.mktemp("us")
    sources = folder / "sources"
    sources.mkdir()
    documents = {
        "111inc": ISSUERS / "111inc" / "111inc-fy2023-r4.twelve-rmb.txt",
        # income statement line 106, balance sheet line 143
        "xpel": _with_dollars(ISSUERS / "xpel" / "xpel-2026-q2.usdcaption.txt", [106, 143], sources / "xpel.txt"),
        # balance sheet line 100 (the pack has no income statement)
        "legalzoom": _with_dollars(ISSUERS / "legalzoom" / "legalzoom-2026-q2.txt", [100], sources / "legalzoom.txt"),
        # income statement line 93, balance sheet line 127
        "strattec": _with_dollars(ISSUERS / "strattec" / "strattec-fy2026-q4.usdcaption.txt", [93, 127],
                                  sources / "strattec.txt"),
        # income statement line 54
        "flexsteel": _with_dollars(ISSUERS / "flexsteel" / "flexsteel-fy2026-q4.txt", [54], sources / "flexsteel.txt"),
    }
    taxonomy = default_taxonomy()
    built = {}
    for name, path in documents.items():
        result = build_one(path, folder / "out", taxonomy, viewer=False)
        oim = json.loads((result.folder / f"{result.name}.json").read_text(encoding="utf-8"))
        built[name] = Built(result=result, oim=oim)
    return built


def value(built: Built, concept: str, period: str, unit: str = "USD") -> Decimal:
    facts = built.table_facts(concept, period, unit)
    values = {Decimal(str(f["value"])) for f in facts}
    assert len(values) == 1, (concept, period, unit, facts)
    return values.pop()


def codes(built: Built, prefix: str) -> list[str]:
    return [f"{f.code}@{f.ref.line}" for f in built.result.findings if f.code.startswith(prefix)]


FY2023, FY2022 = "2023-01-01/2023-12-31", "2022-01-01/2022-12-31"
Q2_2026, Q2_2025, H1_2026 = "2026-04-01/2026-06-30", "2025-04-01/2025-06-30", "2026-01-01/2026-06-30"


# ---------------------------------------------------------------- 111, Inc.: the shares of non-controlling interests


def test_redeemable_non_controlling_interests_are_never_the_parents_net_income(us):
    """Line 25 "Net loss attributable to redeemable non-controlling interest 30,852" is the
    redeemable interests' share; line 27 "... to ordinary shareholders (392,693)" is what is left
    for the ordinary shares after the adjustment of line 26: tagged, not refused as a conflict."""
    inc = us["111inc"]
    assert value(inc, "NetIncomeLossAttributableToRedeemableNoncontrollingInterest", FY2023, "CNY") == -30_852 * K
    assert value(inc, "NetIncomeLossAttributableToRedeemableNoncontrollingInterest", FY2023, "USD") == -4_345 * K
    assert value(inc, "NetIncomeLossAvailableToCommonStockholdersBasic", FY2023, "CNY") == -392_693 * K
    assert value(inc, "NetIncomeLossAvailableToCommonStockholdersBasic", FY2022, "CNY") == -416_878 * K
    assert inc.table_facts("NetIncomeLoss", FY2023, "CNY") == []  # the parent's own figure is not printed
    assert codes(inc, "mapping.conflictingValue") == []


def test_a_share_printed_as_the_amount_added_back_is_the_interests_loss(us):
    """-353,433 + 16,829 + 30,852 - 86,941 = -392,693: the shares are printed as amounts added
    to the net loss, so the non-controlling interests' share of the loss is -16,829."""
    inc = us["111inc"]
    assert value(inc, "ProfitLoss", FY2023, "CNY") == -353_433 * K
    assert value(inc, "NetIncomeLossAttributableToNoncontrollingInterest", FY2023, "CNY") == -16_829 * K
    assert value(inc, "NetIncomeLossAttributableToNoncontrollingInterest", FY2023, "USD") == -2_370 * K
    assert value(inc, "NetIncomeLossAttributableToNoncontrollingInterest", "2021-01-01/2021-12-31", "CNY") == -27_819 * K
    v = inc.result.validation
    assert v is not None and (v.errors, v.inconsistencies, v.assertions) == (0, 0, 0), v
    assert codes(inc, "source.") == []


# ---------------------------------------------------------------- XPEL: income statement


def test_a_gain_printed_among_charges_is_a_gain(us):
    """Below operating income XPEL prints charges: "Interest expense 262", "Foreign currency
    exchange gain (403)", 23,215 - 262 + 403 = 23,356 before taxes: the gain is +403."""
    xpel = us["xpel"]
    assert value(xpel, "ForeignCurrencyTransactionGainLossBeforeTax", Q2_2026) == 403 * K
    assert value(xpel, "ForeignCurrencyTransactionGainLossBeforeTax", Q2_2025) == 1_039 * K
    assert value(xpel, "ForeignCurrencyTransactionGainLossBeforeTax", H1_2026) == 683 * K
    assert value(xpel, "InterestExpenseNonoperating", Q2_2026) == 262 * K
    assert value(xpel, "IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest",
                 Q2_2026) == 23_356 * K
    assert value(xpel, "CostOfRevenue", Q2_2026) == 79_913 * K  # costs printed positive: as printed
    assert value(xpel, "OperatingExpenses", Q2_2026) == 39_925 * K
    assert codes(xpel, "source.") == []
    v = xpel.result.validation
    assert v is not None and (v.errors, v.inconsistencies, v.assertions) == (0, 0, 0), v


def test_a_share_printed_as_itself_keeps_its_sign(us):
    """18,303 - 264 = 18,039; 16,208 - (82) = 16,290: the shares are printed as themselves."""
    xpel = us["xpel"]
    assert value(xpel, "NetIncomeLossAttributableToNoncontrollingInterest", Q2_2026) == 264 * K
    assert value(xpel, "NetIncomeLossAttributableToNoncontrollingInterest", Q2_2025) == -82 * K
    assert value(xpel, "NetIncomeLoss", Q2_2026) == 18_039 * K


# ---------------------------------------------------------------- balance sheets: sections


def test_a_sub_section_takes_its_parents_orientation(us):
    """XPEL prints "Liabilities" / "Current": the liabilities under "Current" are credits."""
    xpel, at = us["xpel"], "@2026-06-30"
    assert value(xpel, "ShortTermBorrowings", at) == 1_344 * K
    assert value(xpel, "AccruedIncomeTaxesCurrent", at) == 2_233 * K
    assert value(xpel, "LiabilitiesCurrent", at) == 86_935 * K
    assert value(xpel, "Liabilities", at) == 154_092 * K
    assert value(xpel, "LiabilitiesCurrent", "@2025-12-31") == 71_000 * K
    assert value(xpel, "MinorityInterest", at) == 12_431 * K
    assert value(xpel, "LiabilitiesAndStockholdersEquity", at) == 472_648 * K
    assert value(xpel, "CashAndCashEquivalentsAtCarryingValue", at) == 40_675 * K


def test_rows_after_a_total_of_current_items_are_non_current(us):
    """A "Total current ..." row closes its section: the rows after it, up to the next total,
    are the non-current ones (XPEL, LegalZoom print them without a label of their own)."""
    xpel, lz, at = us["xpel"], us["legalzoom"], "@2026-06-30"
    assert value(xpel, "LongTermDebtNoncurrent", at) == 43_456 * K
    assert value(xpel, "OtherLiabilitiesNoncurrent", at) == 10_324 * K
    assert value(lz, "ContractWithCustomerLiabilityCurrent", at) == 221_180 * K  # line 115
    assert value(lz, "ContractWithCustomerLiabilityNoncurrent", at) == 234 * K  # line 119, below the total
    assert value(lz, "ContractWithCustomerLiabilityNoncurrent", "@2025-12-31") == 277 * K
    assert value(lz, "OtherLiabilitiesNoncurrent", at) == 10_723 * K
    assert value(lz, "OtherAssetsNoncurrent", at) == 6_764 * K
    assert value(lz, "Liabilities", at) == 339_203 * K
    assert value(lz, "LiabilitiesAndStockholdersEquity", at) == 466_359 * K
    assert codes(lz, "mapping.conflictingValue") == []
    assert codes(lz, "source.") == [] and codes(xpel, "source.") == []


# ---------------------------------------------------------------- wordings any US-GAAP issuer prints

STRATTEC_Q4 = "2026-03-30/2026-06-28"  # a 52/53-week fiscal year: the quarter after the one to March 29, 2026
FLEXSTEEL_Q4 = "2026-04-01/2026-06-30"


def test_per_share_and_share_counts_under_us_section_labels(us):
    """"Earnings per share attributable to Strattec" / "Weighted average shares outstanding:",
    XPEL's "... attributable to stockholders of the Company" / "Weighted Average Number of
    Common Shares", Flexsteel's "Weighted average number of common shares outstanding:" /
    "Earnings per share of common stock": Basic and Diluted under each."""
    strattec, xpel, flexsteel = us["strattec"], us["xpel"], us["flexsteel"]
    assert value(strattec, "EarningsPerShareBasic", STRATTEC_Q4, "USD/shares") == Decimal("0.96")
    assert value(strattec, "EarningsPerShareDiluted", STRATTEC_Q4, "USD/shares") == Decimal("0.95")
    assert value(xpel, "EarningsPerShareBasic", H1_2026, "USD/shares") == Decimal("1.03")
    assert value(flexsteel, "EarningsPerShareDiluted", FLEXSTEEL_Q4, "USD/shares") == Decimal("2.58")
    # "(in thousands ..., except per share amounts)": the share counts are thousands too, as
    # net income / shares = EPS says (3,882 / 4,035 = 0.96; XPEL 18,039 / 27,562 = 0.65)
    assert value(strattec, "WeightedAverageNumberOfSharesOutstandingBasic", STRATTEC_Q4, "shares") == 4_035_000
    assert value(strattec, "WeightedAverageNumberOfDilutedSharesOutstanding", STRATTEC_Q4, "shares") == 4_091_000
    assert value(xpel, "WeightedAverageNumberOfSharesOutstandingBasic", Q2_2026, "shares") == 27_562_000
    assert value(flexsteel, "WeightedAverageNumberOfSharesOutstandingBasic", FLEXSTEEL_Q4, "shares") == 4_502_000
    for built in (strattec, xpel, flexsteel):
        unmapped = [f.message for f in built.result.findings
                    if f.code == "mapping.unmappedRow" and re.search(r"row '(Basic|Diluted)'", f.message)]
        assert unmapped == []


def test_us_income_statement_lines(us):
    xpel, flexsteel, inc = us["xpel"], us["flexsteel"], us["111inc"]
    assert value(xpel, "GrossProfit", Q2_2026) == 63_140 * K  # "Gross Margin" printed in dollars
    # "Net income and comprehensive income": both
    assert value(flexsteel, "ProfitLoss", FLEXSTEEL_Q4) == 12_712 * K
    assert value(flexsteel, "ComprehensiveIncomeNetOfTaxIncludingPortionAttributableToNoncontrollingInterest",
                 FLEXSTEEL_Q4) == 12_712 * K
    assert value(inc, "CostOfRevenue", FY2023, "CNY") == 14_099_151 * K  # "Cost of products sold (14,099,151)"
    assert codes(flexsteel, "source.") == [] and codes(us["strattec"], "source.") == []


def test_us_balance_sheet_lines(us):
    strattec, xpel, lz = us["strattec"], us["xpel"], us["legalzoom"]
    at = "@2026-06-28"
    assert value(strattec, "ReceivablesNetCurrent", at) == 99_109 * K
    assert value(strattec, "OtherAssetsCurrent", at) == 8_053 * K
    assert value(strattec, "OtherLiabilitiesCurrent", at) == 12_383 * K
    assert value(strattec, "AdditionalPaidInCapital", at) == 107_138 * K  # "Capital in excess of par value"
    assert value(strattec, "DeferredIncomeTaxAssetsNet", at) == 16_080 * K  # "Deferred income taxes" under assets
    at = "@2026-06-30"
    assert value(xpel, "AccountsPayableAndAccruedLiabilitiesCurrent", at) == 57_157 * K
    assert value(xpel, "OtherLiabilitiesCurrent", at) == 20_828 * K  # "Other short-term liabilities"
    assert value(xpel, "OperatingLeaseLiabilityCurrent", at) == 5_373 * K  # "Current portion of lease liabilities"
    assert value(xpel, "OperatingLeaseLiabilityNoncurrent", at) == 13_377 * K
    assert value(xpel, "AdditionalPaidInCapital", at) == 19_822 * K  # "Additional paid-in-capital"
    assert value(xpel, "StockholdersEquity", at) == 306_125 * K
    assert value(xpel, "IncomeTaxesReceivable", "@2025-12-31") == 581 * K
    assert value(xpel, "DeferredIncomeTaxLiabilitiesNet", "@2025-12-31") == 120 * K
    assert value(lz, "DeferredIncomeTaxAssetsNet", at) == 24_095 * K
    assert value(lz, "PreferredStockValue", at) == 0
    for built in (strattec, xpel, lz):
        v = built.result.validation
        assert v is not None and (v.errors, v.inconsistencies, v.assertions) == (0, 0, 0), (built.result.name, v)


def _tagging(path: Path):
    from kcxbrl.read import parse_lines
    from kcxbrl.profile import stated_profile
    from kcxbrl.understand import understand

    document = parse_lines(path.name, path.read_text(encoding="utf-8").split("\n"))
    return understand(document, stated_profile("Probe", default_taxonomy()))


def test_share_counts_take_the_scale_the_caption_states():
    """Strattec's caption "(in thousands of U.S. dollars, except per share amounts)" excepts the
    per-share amounts, not the shares (here its EPS has no currency, so only the caption
    tells)."""
    tagging = _tagging(ISSUERS / "strattec" / "strattec-fy2026-q4.usdcaption.txt")
    counts = {(f.context.period.key, f.value) for f in tagging.facts
              if f.concept == "WeightedAverageNumberOfSharesOutstandingBasic"}
    assert ("D2026-03-30_2026-06-28", 4_035_000) in counts


def test_share_counts_take_the_tables_scale_where_the_eps_it_prints_says_so():
    """XPEL's income statement lost its caption; its net income 18,039 over 27,562 gives the
    0.65 it prints as EPS only with both in thousands: 27,562,000 shares."""
    tagging = _tagging(ISSUERS / "xpel" / "xpel-2026-q2.usdcaption.txt")
    shares = {(f.concept, f.context.period.key): f.value for f in tagging.facts if f.unit == "shares"}
    assert shares[("WeightedAverageNumberOfSharesOutstandingBasic", "D2026-04-01_2026-06-30")] == 27_562_000
    assert not [f for f in tagging.findings if f.code == "table.sharesScale"]


def test_share_counts_whose_scale_nothing_states_are_not_tagged(tmp_path):
    """The same statement without its EPS rows: 27,562 could be shares or thousands of shares;
    it is reported, not guessed."""
    lines = (ISSUERS / "xpel" / "xpel-2026-q2.usdcaption.txt").read_text(encoding="utf-8").split("\n")
    at = lines.index("Earnings per share attributable to stockholders of the Company")
    del lines[at:at + 3]
    path = tmp_path / "xpel-no-eps.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    tagging = _tagging(path)
    assert not [f for f in tagging.facts if f.unit == "shares"]
    assert [f.ref.line for f in tagging.findings if f.code == "table.sharesScale"] == [at + 2]


def test_ordinary_shareholders_with_no_adjustment_between_is_the_parents_net_loss(tmp_path):
    """The same statement without line 26's adjustment, line 27 printing net loss plus the two
    shares added back: "Net loss attributable to ordinary shareholders" is then NetIncomeLoss."""
    lines = (ISSUERS / "111inc" / "111inc-fy2023-r4.twelve-rmb.txt").read_text(encoding="utf-8").split("\n")
    assert lines[25].startswith("Adjustment attributable") and lines[26].startswith("Net loss attributable to ordinary")
    lines[26] = "Net loss attributable to ordinary shareholders\t(305,752)\t(43,066)\t(328,459)\t(536,440)"
    del lines[25]
    path = tmp_path / "111inc-no-adjustment.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    tagging = _tagging(path)
    found = {(f.concept, f.context.period.key, f.unit): f.value for f in tagging.facts}
    assert found[("NetIncomeLoss", "D2023-01-01_2023-12-31", "CNY")] == -305_752 * K
    assert found[("NetIncomeLossAttributableToNoncontrollingInterest", "D2023-01-01_2023-12-31", "CNY")] == -16_829 * K
    assert found[("NetIncomeLossAttributableToRedeemableNoncontrollingInterest", "D2022-01-01_2022-12-31", "CNY")] \
        == -32_329 * K
    assert not [c for c, _, _ in found if c == "NetIncomeLossAvailableToCommonStockholdersBasic"]


def test_ordinary_shareholders_after_an_adjustment_alone_is_available_to_common(tmp_path):
    """No non-controlling interests printed, only a line that is none of them between the net
    loss and "Net loss attributable to ordinary shareholders": the latter is what is left for
    the ordinary shares, never the parent's net loss."""
    lines = (ISSUERS / "111inc" / "111inc-fy2023-r4.twelve-rmb.txt").read_text(encoding="utf-8").split("\n")
    lines[26] = "Net loss attributable to ordinary shareholders\t(440,374)\t(62,026)\t(464,488)\t(754,395)"
    del lines[23:25]  # the two shares of non-controlling interests
    path = tmp_path / "111inc-adjustment-only.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    tagging = _tagging(path)
    found = {(f.concept, f.context.period.key, f.unit): f.value for f in tagging.facts}
    assert found[("NetIncomeLossAvailableToCommonStockholdersBasic", "D2023-01-01_2023-12-31", "CNY")] == -440_374 * K
    assert not [c for c, _, _ in found if c == "NetIncomeLoss"]
