"""Highlights, non-GAAP reconciliations and notes: representative facts, dimensional ones with
their members, checked in Arelle's xBRL-JSON export of each built package."""

from __future__ import annotations

from decimal import Decimal

import pytest

from test_golden_facts import FY23, FY24, FY25, H1_22, H1_23, H1_24, H1_25, Q1_25, Q2_24, Q2_25, REV

OVER_TIME = {"TimingOfTransferOfGoodOrServiceAxis": "TransferredOverTimeMember"}
AT_POINT = {"TimingOfTransferOfGoodOrServiceAxis": "TransferredAtPointInTimeMember"}
ENT = {"ProductOrServiceAxis": "EnterpriseCloudServicesMember"}
PUB = {"ProductOrServiceAxis": "PublicCloudServicesMember"}
COST_OF_SALES = {"IncomeStatementLocationAxis": "CostOfSalesMember"}
LBT = "IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest"

CASES = [
    # highlights: the same concepts and contexts as the statements (year-on-year change left untagged)
    ("kc-2025-annual-results", "NetIncomeLoss", FY25, "CNY", -936251000, {}),  # label broken over two rows
    ("kc-2023-h1-interim-results", REV, H1_22, "CNY", 4080307000, {}),
    # non-GAAP measures, reconciling items and margins
    ("kc-2025-annual-results", "AdjustedEBITDA", FY25, "USD", 334103000, {}),
    ("kc-2025-annual-results", "NormalizedAdjustedOperatingIncomeLoss", FY24, "CNY", -475974000, {}),
    ("kc-2025-annual-results", "GainLossOnDispositionOfAssets", FY25, "CNY", 102243000, {}),  # printed (102,243): a gain
    ("kc-2025-annual-results", "DepreciationDepletionAndAmortization", FY25, "CNY", 2480364000, {}),
    ("kc-2025-annual-results", "AllocatedShareBasedCompensationExpense", FY25, "CNY", 38275000, COST_OF_SALES),
    ("kc-2025-annual-results", "AllocatedShareBasedCompensationExpense", FY25, "CNY", 446909000, {}),
    ("kc-2025-annual-results", "NetLossMargin", FY24, "pure", Decimal("-0.254"), {}),  # "(25.4)" under "(%)"
    ("kc-2025-q2-press-release", "AdjustedGrossMargin", Q2_25, "pure", Decimal("0.149"), {}),  # "14.9 %"
    ("kc-2025-q2-press-release", "AdjustedNetIncomeLoss", Q1_25, "CNY", -190550000, {}),
    ("kc-2025-q2-press-release", "GrossProfit", H1_25, "CNY", 657163000, {}),  # only the reconciliation prints it
    ("kc-2025-q2-press-release", "AmortizationOfIntangibleAssets", Q2_24, "CNY", 43415000, {}),
    ("kc-2023-h1-interim-results", "AllocatedShareBasedCompensationExpense", H1_22, "CNY", 6828000, COST_OF_SALES),
    ("kc-2023-h1-interim-results", "GainLossOnDispositionOfAssets", H1_23, "CNY", -21672000, {}),  # a loss
    ("kc-2023-h1-interim-results", "ImpairmentOfLongLivedAssetsHeldForUse", H1_23, "USD", 8031000, {}),  # as printed
    # revenue by service line and timing of recognition
    ("kc-2025-annual-results", REV, FY25, "CNY", 299924000, {**ENT, **AT_POINT}),
    ("kc-2025-annual-results", REV, FY25, "USD", 948577000, {**PUB, **OVER_TIME}),
    ("kc-2025-annual-results", REV, FY25, "CNY", 2925127000, ENT),  # the unlabelled subtotal
    ("kc-2025-h1-interim-results", REV, H1_24, "CNY", 224510000, {**ENT, **AT_POINT}),
    # other (loss) gain, net and other (expense) income, net
    ("kc-2024-annual-results", "EquitySecuritiesFvNiUnrealizedGain", FY23, "CNY", 1689000, {}),
    ("kc-2024-annual-results", "EquitySecuritiesFvNiUnrealizedLoss", FY23, "CNY", 25951000, {}),
    ("kc-2025-annual-results", "DerivativeGainLossOnDerivativeNet", FY25, "CNY", -10219000, {}),
    ("kc-2025-annual-results", "GovernmentGrantIncome", FY25, "CNY", 271933000, {}),
    ("kc-2025-annual-results", "ValueAddedTaxTransferredOut", FY25, "USD", 4276000, {}),
    ("kc-2025-annual-results", "GainLossOnExtinguishmentOfLiabilities", FY25, "CNY", -54497000, {}),
    # receivables, allowance and aging; payables aging
    ("kc-2025-annual-results", "AccountsReceivableGrossCurrent", "@2025-12-31", "CNY", 1839894000, {}),
    ("kc-2025-annual-results", "AllowanceForDoubtfulAccountsReceivableCurrent", "@2025-12-31", "CNY", 99422000, {}),
    ("kc-2025-annual-results", "AccountsReceivableNetCurrent", "@2025-12-31", "CNY", 1123859000,
     {"FinancialAssetAgingAxis": "FinancialAssetNotPastDueMember"}),
    ("kc-2023-h1-interim-results", "AccountsReceivableNetCurrent", "@2022-12-31", "CNY", 291507000,
     {"FinancialAssetAgingAxis": "PastDueMoreThanOneYearMember"}),
    ("kc-2025-h1-interim-results", "AccountsPayableCurrent", "@2025-06-30", "USD", 123445000,
     {"AccountsPayableAgingAxis": "InvoicedMoreThanOneYearMember"}),
    # taxation: pretax loss by geography, current and deferred tax (either sign convention)
    ("kc-2025-annual-results", LBT, FY25, "CNY", -966311000, {"StatementGeographicalAxis": "ChineseMainlandMember"}),
    ("kc-2023-h1-interim-results", LBT, H1_22, "CNY", 53918000, {"StatementGeographicalAxis": "OutsideChineseMainlandMember"}),
    ("kc-2024-annual-results", "CurrentIncomeTaxExpenseBenefit", FY24, "CNY", 39365000, {}),  # printed (39,365)
    ("kc-2025-annual-results", "CurrentIncomeTaxExpenseBenefit", FY24, "CNY", 39365000, {}),  # printed 39,365
    ("kc-2025-annual-results", "DeferredIncomeTaxExpenseBenefit", FY25, "CNY", -39759000, {}),
    # loss per share note
    ("kc-2025-h1-interim-results", "NetIncomeLoss", H1_25, "CNY", -771391000, {}),
    # employees by function: the columns are measures, the instant is the caption's date
    ("kc-2025-h1-interim-results", "EntityNumberOfEmployees", "@2025-06-30", "pure", 11666,
     {"EmployeeFunctionAxis": "SolutionDevelopmentAndServicesFunctionMember"}),
    ("kc-2025-h1-interim-results", "EmployeesShareOfTotal", "@2025-06-30", "pure", Decimal("0.84"),
     {"EmployeeFunctionAxis": "SolutionDevelopmentAndServicesFunctionMember"}),
    ("kc-2023-h1-interim-results", "EntityNumberOfEmployees", "@2023-06-30", "pure", 1176,  # "Number of" / "Employees"
     {"EmployeeFunctionAxis": "ResearchAndDevelopmentFunctionMember"}),
    ("kc-2023-h1-interim-results", "EntityNumberOfEmployees", "@2023-06-30", "pure", 9752, {}),
    ("kc-2024-annual-results", "EmployeesShareOfTotal", "@2024-12-31", "pure", 1, {}),  # "100" under percentages
    ("kc-2025-annual-results", "EmployeesShareOfTotal", "@2025-12-31", "pure", Decimal("0.024"),
     {"EmployeeFunctionAxis": "SalesAndMarketingFunctionMember"}),
]


@pytest.mark.parametrize("sample,concept,period,unit,value,dims", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}" for c in CASES])
def test_fact(built, sample, concept, period, unit, value, dims):
    facts = built[sample].table_facts(concept, period, unit, **dims)
    assert facts, f"no {concept} {period} {unit} {dims} in {sample}"
    assert {Decimal(f["value"]) for f in facts} == {Decimal(value)}


def test_dimensional_facts_are_covered_by_hypercubes(built):
    """Every context with a dimension uses only axes and members the definition linkbase
    declares (Arelle reports nothing; this checks that the members are the ones meant)."""
    axes = set()
    for b in built.values():
        for fact in b.oim["facts"].values():
            axes |= {k for k in fact["dimensions"] if k.startswith("kcx:")}
    assert axes == {"kcx:ProductOrServiceAxis", "kcx:TimingOfTransferOfGoodOrServiceAxis", "kcx:IncomeStatementLocationAxis",
                    "kcx:FinancialAssetAgingAxis", "kcx:AccountsPayableAgingAxis", "kcx:StatementGeographicalAxis",
                    "kcx:EmployeeFunctionAxis"}


def test_shifted_reconciliation_row_is_placed_by_the_sums_it_belongs_to(built):
    """Press release line 222: six share-based compensation figures under a seven-column header,
    printed one cell to the right. Only one arrangement makes gross profit + this row = adjusted
    gross profit in every column (and agrees with the RMB/US$ rate): they belong to the first six
    columns. The seventh (6M 2025 US$) is not printed and not invented; the finding names the row."""
    press = built["kc-2025-q2-press-release"]
    expected = [(Q2_24, "CNY", 5076000), (Q1_25, "CNY", 9365000), (Q2_25, "CNY", 11712000), (Q2_25, "USD", 1635000),
                (H1_24, "CNY", 10890000), (H1_25, "CNY", 21077000)]
    for period, unit, value in expected:
        facts = press.table_facts("AllocatedShareBasedCompensationExpense", period, unit, **COST_OF_SALES)
        assert [(f["id"].split("-")[1], Decimal(f["value"])) for f in facts] == [("222", Decimal(value))]
    assert press.table_facts("AllocatedShareBasedCompensationExpense", H1_25, "USD", **COST_OF_SALES) == []
    found = [f for f in press.result.findings if f.ref.line == 222]
    assert [f.code for f in found] == ["source.columnsRealigned"]
    assert "no figure for 6 months to 2025-06-30 USD" in found[0].message
    assert "AdjustedGrossProfit" in found[0].message


def test_row_whose_label_slipped_and_lost_a_column_is_placed_by_the_same_figure_in_the_prose(built):
    """2025 interim line 103: "<tab>Gross margin<tab>16.7%" under a 2024 / 2025 header. The
    business review says gross margin was 16.7% in the first half of 2024 (and 15.2% in 2025):
    the figure is 2024's; 2025's is not printed in the table."""
    interim = built["kc-2025-h1-interim-results"]
    facts = interim.table_facts("GrossMargin", H1_24, "pure")
    assert [(f["id"], Decimal(f["value"])) for f in facts] == [("f-103-15", Decimal("0.167"))]
    assert interim.table_facts("GrossMargin", H1_25, "pure") == []
    found = [f for f in interim.result.findings if f.ref.line == 103]
    assert [f.code for f in found] == ["source.columnsRealigned"]
