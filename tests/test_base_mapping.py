"""The base mapping tags another issuer's balance sheet and cash flow statement: the lines US-GAAP
issuers print (Bilibili's FY2023 statements, tests/fixtures/issuers/bilibili) and their usual
wordings, with the sign each us-gaap element's balance asks for."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kcxbrl.build import make_filing
from kcxbrl.dts import default_taxonomy
from kcxbrl.profile import stated_profile
from kcxbrl.read import normalise_label

BILIBILI = Path(__file__).parent / "fixtures" / "issuers" / "bilibili" / "bilibili-2023-annual-results.txt"
FY = {year: (date(year, 1, 1), date(year, 12, 31)) for year in (2021, 2022, 2023)}
K = Decimal(1000)  # the statements print thousands


@pytest.fixture(scope="module")
def filing():
    # the base alone: the identity the document states, not Bilibili's profile (test_second_issuer.py)
    return make_filing(BILIBILI, default_taxonomy(), stated_profile("Bilibili Inc.", trading_symbol="BILI"))[0]


def value(filing, concept, *, year=None, instant=None, unit="CNY", role=None, members=()):
    """The one value of a table fact (prose figures left out) in a year or at an instant."""
    found = set()
    for fact in filing.facts:
        if fact.in_prose or fact.concept != concept or fact.unit != unit or fact.context.dimensions != tuple(members):
            continue
        if role is not None and fact.role != role:
            continue
        period = fact.context.period
        if year is not None and (period.start, period.end) != FY[year]:
            continue
        if instant is not None and (not period.is_instant or period.end != instant):
            continue
        found.add(fact.value)
    assert len(found) == 1, f"{concept}: {found or 'no fact'}"
    return found.pop()


def test_operating_lines_carry_their_elements_sign(filing):
    # the net loss the statement starts from is a credit printed as it is
    assert value(filing, "ProfitLoss", year=2023, role="cash_flow") == -4_811_713 * K
    assert value(filing, "Depreciation", year=2023) == 727_193 * K
    assert value(filing, "AmortizationOfIntangibleAssets", year=2023) == 2_003_199 * K
    assert value(filing, "OperatingLeaseRightOfUseAssetAmortizationExpense", year=2023) == 169_294 * K
    assert value(filing, "ShareBasedCompensation", year=2023) == 1_132_644 * K
    # "Allowance for/(reversal of) expected credit losses (16,000)": a reversal
    assert value(filing, "ProvisionForDoubtfulAccounts", year=2023) == -16_000 * K
    assert value(filing, "DeferredIncomeTaxExpenseBenefit", year=2023) == -25_376 * K
    # credit elements printed as cash effects: a loss added back is a negative gain
    assert value(filing, "UnrealizedGainLossOnInvestments", year=2023) == -66_462 * K
    assert value(filing, "IncomeLossFromEquityMethodInvestments", year=2023) == -112_142 * K
    assert value(filing, "GainLossOnSaleOfPropertyPlantEquipment", year=2023) == -646 * K
    # "Gain of convertible senior notes repurchase (292,213)": the gain the income statement prints
    assert value(filing, "GainsLossesOnExtinguishmentOfDebt", year=2023, role="cash_flow") == 292_213 * K
    assert value(filing, "GainsLossesOnExtinguishmentOfDebt", year=2023, role="income") == 292_213 * K


def test_changes_in_working_capital_follow_asset_and_liability_balances(filing):
    # an increase in receivables is a cash outflow printed in parentheses; the element is a credit
    assert value(filing, "IncreaseDecreaseInAccountsReceivable", year=2021) == 429_460 * K
    assert value(filing, "IncreaseDecreaseInAccountsReceivable", year=2023) == 262_215 * K
    assert value(filing, "IncreaseDecreaseInPrepaidDeferredExpenseAndOtherAssets", year=2023) == -342_537 * K
    # liabilities: a debit element, printed as it is
    assert value(filing, "IncreaseDecreaseInEmployeeRelatedLiabilities", year=2023) == -182_171 * K
    assert value(filing, "IncreaseDecreaseInContractWithCustomerLiability", year=2023) == 133_902 * K
    assert value(filing, "IncreaseDecreaseInAccruedTaxesPayable", year=2023) == 29_006 * K


def test_investing_and_financing_lines(filing):
    assert value(filing, "PaymentsToAcquirePropertyPlantAndEquipment", year=2021) == 965_410 * K
    assert value(filing, "PaymentsToAcquireShortTermInvestments", year=2023) == 13_547_650 * K
    assert value(filing, "ProceedsFromSaleMaturityAndCollectionOfShorttermInvestments", year=2023) == 16_328_255 * K
    assert value(filing, "PaymentsToAcquireBusinessesNetOfCashAcquired", year=2023) == 70_000 * K
    # time deposits: other investments (us-gaap has no element for deposits a non-bank holds)
    assert value(filing, "PaymentsToAcquireOtherInvestments", year=2023) == 9_961_925 * K
    assert value(filing, "ProceedsFromSaleAndMaturityOfOtherInvestments", year=2023) == 9_690_806 * K
    assert value(filing, "CashDivestedFromDeconsolidation", year=2022) == 125 * K
    assert value(filing, "ProceedsFromShortTermDebt", year=2023) == 1_950_482 * K
    assert value(filing, "RepaymentsOfShortTermDebt", year=2023) == 2_032_295 * K
    assert value(filing, "PaymentsToAcquireAdditionalInterestInSubsidiaries", year=2021) == 104_696 * K
    assert value(filing, "ProceedsFromMinorityShareholders", year=2021) == 2_187 * K
    assert value(filing, "ProceedsFromIssuanceOfCommonStock", year=2021) == 19_288_423 * K
    assert value(filing, "PaymentsForRepurchaseOfCommonStock", year=2022) == 347_581 * K
    # one line for proceeds and repurchases of convertible notes: the net element keeps the sign
    assert value(filing, "ProceedsFromRepaymentsOfLongTermDebtAndCapitalSecurities", year=2021) == 10_085_520 * K
    assert value(filing, "ProceedsFromRepaymentsOfLongTermDebtAndCapitalSecurities", year=2023) == -7_675_227 * K


def test_opening_cash_in_the_other_wording(filing):
    # "Cash and cash equivalents and restricted cash at beginning of the year"
    total = "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents"
    assert value(filing, total, instant=date(2022, 12, 31)) == 10_187_387 * K
    assert value(filing, total, instant=date(2023, 12, 31)) == 7_241_821 * K
    assert value(filing, total, instant=date(2020, 12, 31)) == 4_678_109 * K


@pytest.mark.parametrize("total", ["NetCashProvidedByUsedInOperatingActivities",
                                   "NetCashProvidedByUsedInInvestingActivities"])
@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_every_line_of_a_section_is_in_its_sum(filing, total, year):
    """The taxonomy's sum over the tagged lines gives the printed subtotal exactly: every line
    Bilibili prints in the section is mapped, with the sign its element's balance asks for."""
    items = next(s.items for role in default_taxonomy().roles if role.id == "cash_flow" for s in role.calc
                 if s.total == total)
    tagged = {f.concept: f.value for f in filing.facts
              if f.role == "cash_flow" and f.unit == "CNY" and not f.context.dimensions
              and (f.context.period.start, f.context.period.end) == FY[year]}
    assert sum(weight * tagged[item] for item, weight in items if item in tagged) == tagged[total]


def test_equity_block(filing):
    end = date(2023, 12, 31)
    # rows under the "Ordinary shares:" sub-section of equity are credits like the rest of equity
    assert value(filing, "AdditionalPaidInCapital", instant=end) == 40_445_175 * K
    assert value(filing, "RetainedEarningsAppropriated", instant=end) == 44_749 * K
    assert value(filing, "RetainedEarningsAccumulatedDeficit", instant=end) == -26_310_766 * K
    # "Total Bilibili Inc.'s shareholders' equity" / "Noncontrolling interests" / "Total shareholders' equity"
    assert value(filing, "StockholdersEquity", instant=end) == 14_391_900 * K
    assert value(filing, "MinorityInterest", instant=end) == 12_367 * K
    assert value(filing, "StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest",
                 instant=end) == 14_404_267 * K
    assert value(filing, "LiabilitiesAndStockholdersEquity", instant=end, unit="USD") == 4_670_357 * K


def test_what_the_base_leaves_to_the_issuer(filing):
    unmapped = [f.message for f in filing.findings if f.code == "mapping.unmappedRow"]
    # Class Y / Class Z shares are the issuer's own members; the non-cash schedule has no
    # us-gaap element whose balance could be checked
    assert all("Class Y Ordinary" in m or "Class Z Ordinary" in m or "non-cash investing" in m for m in unmapped), unmapped
    assert len(unmapped) == 5  # the two share classes, three of the five non-cash lines
    assert not [f for f in filing.facts if f.concept == "CommonStockValue"]


def _rule(kind, label, section=""):
    tax = default_taxonomy()
    rules = tax.rules(tax.table_kind(kind))
    return next((r for r in rules if r.matches(normalise_label(label), normalise_label(section), False, "", False)), None)


@pytest.mark.parametrize("label, section, concept", [
    ("TOTAL ASSETS", "", "Assets"),
    ("TOTAL LIABILITIES", "", "Liabilities"),
    ("Inventories", "Current assets:", "InventoryNet"),
    ("Accounts receivable, net of allowance for credit losses", "Current assets:", "AccountsReceivableNetCurrent"),
    ("Short-term time deposits", "Current assets:", "OtherShortTermInvestments"),
    ("Time deposits", "Non-current assets:", "OtherLongTermInvestments"),
    ("Restricted cash", "Non-current assets:", "RestrictedCashNoncurrent"),
    ("Prepayments and other current assets", "Current assets:", "PrepaidExpenseAndOtherAssetsCurrent"),
    ("Long-term investments, net", "Non-current assets:", "LongTermInvestments"),
    ("Deferred tax assets", "Non-current assets:", "DeferredIncomeTaxAssetsNet"),
    ("Other non-current assets", "Non-current assets:", "OtherAssetsNoncurrent"),
    ("Salary and welfare payables", "Current liabilities:", "EmployeeRelatedLiabilitiesCurrent"),
    ("Taxes payable", "Current liabilities:", "TaxesPayableCurrent"),
    ("Contract liabilities", "Current liabilities:", "ContractWithCustomerLiabilityCurrent"),
    ("Deferred revenue", "Non-current liabilities:", "ContractWithCustomerLiabilityNoncurrent"),
    ("Convertible senior notes, current portion", "Current liabilities:", "ConvertibleNotesPayableCurrent"),
    ("Convertible senior notes", "Non-current liabilities:", "ConvertibleDebtNoncurrent"),
    ("Lease liabilities", "Non-current liabilities:", "OperatingLeaseLiabilityNoncurrent"),
    ("Current portion of long-term borrowings", "Current liabilities:", "LongTermDebtCurrent"),
    ("Ordinary shares (US$0.0001 par value; 2,000,000,000 shares authorized)", "Shareholders' equity:", "CommonStockValue"),
    ("Treasury stock", "Shareholders' equity:", "TreasuryStockValue"),
    ("Noncontrolling interests", "", "MinorityInterest"),
    ("Total Kingsoft Cloud Holdings Limited shareholders' equity", "", "StockholdersEquity"),
    ("Total liabilities, mezzanine equity and shareholders' equity", "", "LiabilitiesAndStockholdersEquity"),
])
def test_balance_sheet_wordings(label, section, concept):
    rule = _rule("balance", label, section)
    assert rule is not None and rule.concept == concept, rule


def test_share_classes_and_total_equity():
    rule = _rule("balance", "Class A ordinary shares (US$0.00001 par value; 4,800,000,000 shares authorized)")
    assert (rule.concept, rule.members) == ("CommonStockValue", {"StatementClassOfStockAxis": "CommonClassAMember"})
    rule = _rule("balance", "Total shareholders’ equity")  # with non-controlling interests above it, or not
    assert (rule.concept, rule.alternative) == ("StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest",
                                                "StockholdersEquity")


@pytest.mark.parametrize("label, concept", [
    ("Cash, cash equivalents and restricted cash, end of period", "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents"),
    ("Depreciation and amortization", "DepreciationDepletionAndAmortization"),
    ("Share-based compensation", "ShareBasedCompensation"),
    ("Inventories", "IncreaseDecreaseInInventories"),
    ("Income taxes payable", "IncreaseDecreaseInAccruedIncomeTaxesPayable"),
    ("Operating lease liabilities", "IncreaseDecreaseInOperatingLeaseLiability"),
    ("Proceeds from disposal of property and equipment", "ProceedsFromSaleOfPropertyPlantAndEquipment"),
    ("Proceeds from long-term borrowings", "ProceedsFromIssuanceOfLongTermDebt"),
    ("Proceeds from issuance of convertible senior notes", "ProceedsFromConvertibleDebt"),
    ("Repurchase of convertible senior notes", "RepaymentsOfConvertibleDebt"),
    ("Cash paid for interest", "InterestPaidNet"),
])
def test_cash_flow_wordings(label, concept):
    rule = _rule("cash_flow", label)
    assert rule is not None and rule.concept == concept, rule


def test_dimension_scaffolding():
    tax = default_taxonomy()
    axes = tax.axis_domains()
    assert axes["ConsolidationItemsAxis"] == ("ConsolidationItemsDomain",
                                              frozenset({"ParentCompanyMember", "IntersegmentEliminationMember"}))
    assert axes["StatementBusinessSegmentsAxis"] == ("SegmentDomain", frozenset({"AllOtherSegmentsMember"}))
    for role in ("income", "balance", "cash_flow"):
        dims = next(r.dimensions for r in tax.roles if r.id == role)
        assert (dims.table, dims.line_items) == ("StatementTable", "StatementLineItems")
        assert {"ConsolidationItemsAxis", "StatementBusinessSegmentsAxis"} <= set(dims.axes)
    assert tax.concept("ConsolidationItemsAxis").type == "axis" and tax.concept("ParentCompanyMember").origin == "srt"
