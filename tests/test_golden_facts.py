"""Golden facts: figures read off the samples by hand, checked in the xBRL-JSON that Arelle
exported from each built package (concept, period, unit, dimensions, sign, value, decimals)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import SAMPLE_NAMES

# period shorthands
H1_22, H1_23 = "2022-01-01/2022-06-30", "2023-01-01/2023-06-30"
FY23, FY24, FY25 = "2023-01-01/2023-12-31", "2024-01-01/2024-12-31", "2025-01-01/2025-12-31"
H1_24, H1_25 = "2024-01-01/2024-06-30", "2025-01-01/2025-06-30"
Q2_24, Q1_25, Q2_25 = "2024-04-01/2024-06-30", "2025-01-01/2025-03-31", "2025-04-01/2025-06-30"
REV = "RevenueFromContractWithCustomerExcludingAssessedTax"
PUBLIC = {"ProductOrServiceAxis": "PublicCloudServicesMember"}
ENTERPRISE = {"ProductOrServiceAxis": "EnterpriseCloudServicesMember"}
OTHER = {"ProductOrServiceAxis": "OtherServicesMember"}
# the samples print "Basic and diluted": tagged as both (us-gaap has no combined element since 2022)
EPS = "EarningsPerShareBasic"
SHARES = "WeightedAverageNumberOfSharesOutstandingBasic"
CASH_RC = "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents"
NET_CHANGE = "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalentsPeriodIncreaseDecreaseIncludingExchangeRateEffect"
NET_CHANGE_EXCL = "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalentsPeriodIncreaseDecreaseExcludingExchangeRateEffect"
LBT = "IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest"
NCI_NET = "NetIncomeLossAttributableToNoncontrollingInterest"

# (concept, period, unit, value, dims); value in units (RMB/US$, shares, per share)
GOLDEN = {
    "kc-2023-h1-interim-results": [
        (REV, H1_23, "CNY", 3699803000, {}),
        (REV, H1_23, "USD", 510226000, {}),
        (REV, H1_22, "CNY", 2669951000, PUBLIC),
        (REV, H1_23, "USD", 202000, OTHER),
        ("CostOfRevenue", H1_22, "CNY", 3935145000, {}),  # printed (3,935,145)
        ("SellingAndMarketingExpense", H1_23, "CNY", 217306000, {}),  # label ran into its section
        ("GeneralAndAdministrativeExpense", H1_23, "USD", 101386000, {}),
        ("OperatingExpenses", H1_22, "CNY", 1230030000, {}),
        ("OperatingIncomeLoss", H1_23, "CNY", -960982000, {}),
        ("ForeignCurrencyTransactionGainLossBeforeTax", H1_23, "CNY", -151422000, {}),
        ("OtherNonoperatingGainsLosses", H1_23, "CNY", -19787000, {}),
        ("OtherNonoperatingIncomeExpense", H1_22, "CNY", 20001000, {}),
        ("IncomeTaxExpenseBenefit", H1_22, "CNY", -5153000, {}),  # a benefit
        ("IncomeTaxExpenseBenefit", H1_23, "CNY", 6371000, {}),  # an expense
        ("ProfitLoss", H1_23, "USD", -152677000, {}),
        (NCI_NET, H1_23, "CNY", -760000, {}),
        ("NetIncomeLoss", H1_22, "CNY", -1356246000, {}),
        (EPS, H1_23, "CNY/shares", Decimal("-0.31"), {}),
        (EPS, H1_23, "USD/shares", Decimal("-0.04"), {}),
        (SHARES, H1_22, "shares", 3651473415, {}),
        ("OtherComprehensiveIncomeLossForeignCurrencyTransactionAndTranslationAdjustmentNetOfTax", H1_23, "CNY", 208781000, {}),
        ("ComprehensiveIncomeNetOfTaxIncludingPortionAttributableToNoncontrollingInterest", H1_22, "CNY", -982659000, {}),
        ("CashAndCashEquivalentsAtCarryingValue", "@2022-12-31", "CNY", 3419166000, {}),
        ("CashAndCashEquivalentsAtCarryingValue", "@2023-06-30", "USD", 511453000, {}),
        ("ShortTermBorrowings", "@2023-06-30", "CNY", 989331000, {}),
        ("AccruedLiabilitiesCurrent", "@2022-12-31", "CNY", 2830826000, {}),
        ("DueFromRelatedPartiesNoncurrent", "@2023-06-30", "CNY", 6389000, {}),
        ("DueToRelatedPartiesNoncurrent", "@2022-12-31", "CNY", 413464000, {}),  # under a garbled header
        ("OtherLiabilitiesNoncurrent", "@2023-06-30", "CNY", 591044000, {}),
        ("TreasuryStockValue", "@2023-06-30", "CNY", 208385000, {}),  # printed (208,385)
        ("RetainedEarningsAppropriated", "@2023-06-30", "CNY", -14700000, {}),  # printed as it stands
        ("LiabilitiesAndStockholdersEquity", "@2022-12-31", "CNY", 17316231000, {}),
        ("NetCashProvidedByUsedInOperatingActivities", H1_23, "CNY", -206157000, {}),
        ("NetCashProvidedByUsedInInvestingActivities", H1_23, "USD", 79501000, {}),
        # this document's net change leaves the exchange-rate effect out: -282,401 - 1,257,570 - 214,796
        (NET_CHANGE_EXCL, H1_22, "CNY", -1754767000, {}),
        (NET_CHANGE_EXCL, H1_23, "USD", 34691000, {}),
        (CASH_RC, "@2021-12-31", "CNY", 4456621000, {}),  # beginning of the 2022 half year
        (CASH_RC, "@2023-06-30", "USD", 527228000, {}),
    ],
    "kc-2024-annual-results": [
        (REV, FY24, "USD", 1066566000, {}),
        (REV, FY24, "CNY", 152000, OTHER),
        (REV, FY24, "USD", 21000, OTHER),
        ("CostOfRevenue", FY23, "CNY", 6197292000, {}),
        ("GrossProfit", FY24, "USD", 183707000, {}),
        ("ImpairmentOfLongLivedAssetsHeldForUse", FY23, "CNY", 653670000, {}),
        ("OperatingExpenses", FY24, "CNY", 3079936000, {}),
        ("InterestExpenseNonoperating", FY23, "CNY", 146026000, {}),
        ("OtherNonoperatingIncomeExpense", FY23, "CNY", 100363000, {}),
        ("OtherNonoperatingIncomeExpense", FY24, "CNY", -6382000, {}),
        (LBT, FY24, "USD", -271336000, {}),
        ("IncomeTaxExpenseBenefit", FY23, "CNY", 17959000, {}),
        ("IncomeTaxExpenseBenefit", FY24, "CNY", -1524000, {}),
        ("NetIncomeLoss", FY23, "CNY", -2176340000, {}),
        (EPS, FY24, "USD/shares", Decimal("-0.07"), {}),
        (EPS, FY23, "CNY/shares", Decimal("-0.61"), {}),
        (SHARES, FY23, "shares", 3558354940, {}),
        ("ComprehensiveIncomeNetOfTax", FY24, "CNY", -1955122000, {}),
        ("ShortTermInvestments", "@2023-12-31", "CNY", 0, {}),  # a dash
        ("ShortTermInvestments", "@2024-12-31", "CNY", 90422000, {}),
        ("DueFromRelatedPartiesNoncurrent", "@2024-12-31", "CNY", 0, {}),
        ("DueFromRelatedPartiesNoncurrent", "@2023-12-31", "CNY", 56264000, {}),
        ("LongTermDebtNoncurrent", "@2023-12-31", "CNY", 100000000, {}),
        ("DeferredIncomeTaxLiabilitiesNet", "@2024-12-31", "USD", 13930000, {}),
        ("StockholdersEquity", "@2023-12-31", "CNY", 6890152000, {}),
        ("StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest", "@2024-12-31", "CNY", 5505320000, {}),
        ("NetCashProvidedByUsedInFinancingActivities", FY23, "CNY", -227852000, {}),
        ("EffectOfExchangeRateOnCashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents", FY24, "USD", -3119000, {}),
        (NET_CHANGE, FY23, "CNY", -1044245000, {}),
        (CASH_RC, "@2022-12-31", "CNY", 3533726000, {}),
        (CASH_RC, "@2024-12-31", "USD", 374022000, {}),
    ],
    "kc-2025-annual-results": [
        (REV, FY25, "CNY", 9558619000, {}),
        (REV, FY25, "USD", 1366864000, {}),
        (REV, FY24, "CNY", 5007251000, PUBLIC),
        (REV, FY25, "CNY", 0, OTHER),
        ("CostOfRevenue", FY25, "CNY", 8055211000, {}),
        ("GrossProfit", FY24, "CNY", 1340926000, {}),
        ("ImpairmentOfLongLivedAssetsHeldForUse", FY24, "CNY", 919724000, {}),
        ("ImpairmentOfLongLivedAssetsHeldForUse", FY25, "CNY", 0, {}),
        ("OperatingIncomeLoss", FY25, "USD", -110525000, {}),
        ("InvestmentIncomeInterest", FY25, "CNY", 80859000, {}),
        ("InterestExpenseNonoperating", FY25, "CNY", 498048000, {}),
        ("ForeignCurrencyTransactionGainLossBeforeTax", FY25, "CNY", 60147000, {}),
        ("ForeignCurrencyTransactionGainLossBeforeTax", FY24, "CNY", -19531000, {}),
        ("IncomeTaxExpenseBenefit", FY25, "CNY", -4203000, {}),
        ("ProfitLoss", FY25, "CNY", -943692000, {}),
        (NCI_NET, FY25, "CNY", -7441000, {}),
        ("NetIncomeLoss", FY25, "USD", -133882000, {}),
        (EPS, FY25, "CNY/shares", Decimal("-0.23"), {}),
        (EPS, FY25, "USD/shares", Decimal("-0.03"), {}),
        (SHARES, FY24, "shares", 3658088876, {}),
        ("OtherComprehensiveIncomeLossForeignCurrencyTransactionAndTranslationAdjustmentNetOfTax", FY25, "CNY", -126272000, {}),
        ("ComprehensiveIncomeNetOfTaxAttributableToNoncontrollingInterest", FY25, "CNY", -7220000, {}),
        ("CashAndCashEquivalentsAtCarryingValue", "@2025-12-31", "CNY", 6018043000, {}),
        ("CashAndCashEquivalentsAtCarryingValue", "@2024-12-31", "CNY", 2648764000, {}),
        ("TreasuryStockValue", "@2025-12-31", "CNY", 31068000, {}),
        ("RetainedEarningsAccumulatedDeficit", "@2025-12-31", "CNY", -15247868000, {}),
        ("MinorityInterest", "@2025-12-31", "CNY", -3992000, {}),
        ("MinorityInterest", "@2025-12-31", "USD", -571000, {}),
        ("LiabilitiesAndStockholdersEquity", "@2025-12-31", "USD", 3822223000, {}),
        ("DueToRelatedPartiesNoncurrent", "@2025-12-31", "CNY", 2212325000, {}),
        ("PrepaidExpenseAndOtherAssetsNoncurrent", "@2025-12-31", "CNY", 139836000, {}),
        ("PrepaidExpenseAndOtherAssetsCurrent", "@2025-12-31", "CNY", 2592314000, {}),
        ("ShortTermInvestments", "@2025-12-31", "CNY", 0, {}),
        ("NetCashProvidedByUsedInInvestingActivities", FY25, "CNY", -4529729000, {}),
        (NET_CHANGE, FY25, "CNY", 3387136000, {}),
        (CASH_RC, "@2024-12-31", "CNY", 2730101000, {}),
        (CASH_RC, "@2025-12-31", "USD", 874754000, {}),
    ],
    "kc-2025-h1-interim-results": [
        (REV, H1_25, "CNY", 2978788000, PUBLIC),
        (REV, H1_25, "CNY", 0, OTHER),
        (REV, H1_25, "USD", 602938000, {}),
        ("CostOfRevenue", H1_25, "CNY", 3662041000, {}),
        ("ResearchAndDevelopmentExpense", H1_24, "CNY", 435922000, {}),
        ("OperatingIncomeLoss", H1_25, "CNY", -561188000, {}),
        ("OtherNonoperatingGainsLosses", H1_25, "CNY", 4864000, {}),
        ("OtherNonoperatingGainsLosses", H1_24, "CNY", -16036000, {}),
        ("IncomeTaxExpenseBenefit", H1_24, "CNY", -8480000, {}),
        ("IncomeTaxExpenseBenefit", H1_25, "CNY", 11584000, {}),
        ("ProfitLoss", H1_25, "USD", -107901000, {}),
        (NCI_NET, H1_24, "CNY", -4748000, {}),
        (EPS, H1_24, "CNY/shares", Decimal("-0.20"), {}),
        (EPS, H1_25, "USD/shares", Decimal("-0.03"), {}),
        (SHARES, H1_25, "shares", 3869381978, {}),
        ("ComprehensiveIncomeNetOfTaxAttributableToNoncontrollingInterest", H1_25, "CNY", -1594000, {}),
        ("CashAndCashEquivalentsAtCarryingValue", "@2025-06-30", "CNY", 5464077000, {}),
        ("CashAndCashEquivalentsAtCarryingValue", "@2025-06-30", "USD", 762756000, {}),
        ("ShortTermInvestments", "@2025-06-30", "CNY", 0, {}),
        ("OperatingLeaseLiabilityCurrent", "@2024-12-31", "CNY", 61258000, {}),
        ("CommonStockValue", "@2025-06-30", "CNY", 28483000, {}),  # "Shareholders' equity: Ordinary shares"
        ("AccumulatedOtherComprehensiveIncomeLossNetOfTax", "@2025-06-30", "USD", 86246000, {}),
        ("Liabilities", "@2025-06-30", "CNY", 17770121000, {}),
        ("NetCashProvidedByUsedInOperatingActivities", H1_24, "CNY", -170167000, {}),
        ("NetCashProvidedByUsedInFinancingActivities", H1_25, "USD", 433101000, {}),
        (NET_CHANGE, H1_25, "CNY", 2787027000, {}),
        (CASH_RC, "@2024-12-31", "USD", 381107000, {}),
        (CASH_RC, "@2024-06-30", "CNY", 2096404000, {}),
    ],
    "kc-2025-q2-press-release": [
        (REV, Q2_25, "CNY", 2349227000, {}),
        (REV, Q2_25, "USD", 327939000, {}),
        (REV, H1_24, "CNY", 3667464000, {}),
        (REV, H1_25, "USD", 602938000, {}),
        (REV, Q1_25, "CNY", 616498000, ENTERPRISE),
        ("CostOfRevenue", Q2_24, "CNY", 1573433000, {}),
        ("OperatingExpenses", H1_25, "CNY", 1218351000, {}),  # the column the header lost
        ("OperatingExpenses", H1_25, "USD", 170075000, {}),
        ("OperatingExpenses", H1_24, "CNY", 1163326000, {}),
        ("OperatingIncomeLoss", Q2_25, "USD", -45646000, {}),
        ("IncomeTaxExpenseBenefit", H1_24, "CNY", -8480000, {}),
        ("IncomeTaxExpenseBenefit", Q2_25, "CNY", 2343000, {}),
        (NCI_NET, Q2_25, "CNY", 602000, {}),  # a profit attributable to NCI
        (EPS, Q2_25, "CNY/shares", Decimal("-0.11"), {}),
        (EPS, H1_25, "USD/shares", Decimal("-0.03"), {}),
        (EPS, H1_25, "CNY/shares", Decimal("-0.20"), {}),
        (SHARES, Q1_25, "shares", 3728092123, {}),
        (SHARES, H1_25, "shares", 3869381978, {}),
        ("CashAndCashEquivalentsAtCarryingValue", "@2025-06-30", "USD", 762756000, {}),
        ("Liabilities", "@2025-06-30", "CNY", 17770121000, {}),  # label and figures on separate lines
        ("LiabilitiesCurrent", "@2024-12-31", "CNY", 9159435000, {}),  # figures separated by spaces
        ("StockholdersEquity", "@2025-06-30", "CNY", 6723900000, {}),
        ("ShortTermInvestments", "@2025-06-30", "USD", 0, {}),
        ("NetCashProvidedByUsedInOperatingActivities", Q1_25, "CNY", -418390000, {}),
        (NET_CHANGE, Q2_25, "USD", 437041000, {}),
        (CASH_RC, "@2025-03-31", "CNY", 2386344000, {}),
        (CASH_RC, "@2024-03-31", "CNY", 2090760000, {}),
        (CASH_RC, "@2025-06-30", "CNY", 5517128000, {}),
    ],
}


def _cases():
    for sample, facts in GOLDEN.items():
        for concept, period, unit, value, dims in facts:
            yield pytest.param(sample, concept, period, unit, value, dims,
                               id=f"{sample}-{concept}-{period}-{unit}-{'-'.join(dims.values())}")


@pytest.mark.parametrize("sample,concept,period,unit,value,dims", list(_cases()))
def test_golden_fact(built, sample, concept, period, unit, value, dims):
    expected_decimals = 2 if "/shares" in unit else (None if unit == "shares" else -3)
    # the tables' facts (the prose repeats some figures at its own precision, tested elsewhere)
    facts = [f for f in built[sample].facts(concept, period, unit, **dims) if f.get("decimals") == expected_decimals]
    assert facts, f"no {concept} {period} {unit} {dims} in {sample}"
    assert {Decimal(f["value"]) for f in facts} == {Decimal(value)}


def test_at_least_25_golden_facts_per_sample():
    assert all(len(facts) >= 25 for facts in GOLDEN.values())


def test_a_figure_the_source_does_not_print_is_not_invented(built):
    # The press release's revenue rows lost their six-month 2025 RMB figure; only the US$ is printed.
    press = built["kc-2025-q2-press-release"]
    assert press.facts(REV, H1_25, "CNY") == []
    assert press.facts("GrossProfit", H1_25, "USD")


@pytest.mark.parametrize("sample,form,focus,end", [
    ("kc-2023-h1-interim-results", "6-K", "H1", "2023-06-30"),
    ("kc-2024-annual-results", "6-K", "FY", "2024-12-31"),
    ("kc-2025-annual-results", "6-K", "FY", "2025-12-31"),
    ("kc-2025-h1-interim-results", "6-K", "H1", "2025-06-30"),
    ("kc-2025-q2-press-release", "6-K", "Q2", "2025-06-30"),
])
def test_cover_facts(built, sample, form, focus, end):
    cover = {f["dimensions"]["concept"]: f["value"] for f in built[sample].oim["facts"].values()
             if f["dimensions"]["concept"].startswith("kcx:D") or f["dimensions"]["concept"].startswith("kcx:E")
             or f["dimensions"]["concept"] in ("kcx:CurrentFiscalYearEndDate", "kcx:AmendmentFlag", "kcx:TradingSymbol")}
    assert cover["kcx:DocumentType"] == form
    assert cover["kcx:DocumentFiscalPeriodFocus"] == focus
    assert cover["kcx:DocumentPeriodEndDate"] == end
    assert cover["kcx:EntityCentralIndexKey"] == "0001795589"
    assert cover["kcx:EntityFileNumber"] == "001-39278"
    assert cover["kcx:CurrentFiscalYearEndDate"] == "--12-31"
    assert cover["kcx:AmendmentFlag"] == "false"


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_a_basic_and_diluted_figure_is_both_the_basic_and_the_diluted_fact(built, sample):
    """Every "Basic and diluted" figure: EarningsPerShareBasic and EarningsPerShareDiluted with the
    same period, unit and value (the same for the weighted average share counts)."""
    oim = built[sample].oim["facts"]
    for basic, diluted in (("EarningsPerShareBasic", "EarningsPerShareDiluted"),
                           ("WeightedAverageNumberOfSharesOutstandingBasic", "WeightedAverageNumberOfDilutedSharesOutstanding")):
        def of(concept: str) -> set[tuple]:
            return {(f["dimensions"]["period"], f["dimensions"].get("unit"), Decimal(f["value"]))
                    for f in oim.values() if f["dimensions"]["concept"].endswith(f":{concept}")}
        assert of(basic) and of(basic) == of(diluted), (basic, diluted)
    assert not [f for f in oim.values() if "BasicAndDiluted" in f["dimensions"]["concept"]]  # deprecated in us-gaap 2022

