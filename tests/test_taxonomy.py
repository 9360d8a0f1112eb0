"""The taxonomy: generated from its one source, current, and clean in Arelle on its own."""

from __future__ import annotations

from kcxbrl import arelle_adapter
from kcxbrl.resources import taxonomy_dir
from kcxbrl.taxonomy_gen import OUTPUT_DIR, stale_files, taxonomy_files
from kcxbrl.taxonomy_model import SCHEMA_FILE, default_taxonomy


def test_committed_taxonomy_files_are_current():
    stale = stale_files(taxonomy_dir() / OUTPUT_DIR, default_taxonomy())
    assert stale == [], f"run: python -m kcxbrl.taxonomy_gen (stale: {stale})"


def test_taxonomy_alone_loads_clean_offline():
    report = arelle_adapter.validate_taxonomy(taxonomy_dir() / OUTPUT_DIR / SCHEMA_FILE)
    assert report.messages == (), [f"{m.level} {m.code} {m.text[:200]}" for m in report.messages]


def test_generation_is_deterministic():
    assert taxonomy_files(default_taxonomy()) == taxonomy_files(default_taxonomy())


def test_concepts_keep_us_gaap_definitions():
    tax = default_taxonomy()
    cost = tax.concept("CostOfRevenue")
    assert (cost.type, cost.period, cost.balance) == ("monetary", "duration", "debit")
    assert tax.concept("NetIncomeLossAttributableToNoncontrollingInterest").balance == "debit"
    assert tax.concept("CashAndCashEquivalentsAtCarryingValue").period == "instant"
    assert tax.concept("EarningsPerShareBasicAndDiluted").type == "perShare"


def test_every_statement_sum_is_a_calculation():
    calcs = {s.total: dict(s.items) for role in default_taxonomy().roles for s in role.calc}
    assert calcs["GrossProfit"] == {"RevenueFromContractWithCustomerExcludingAssessedTax": 1, "CostOfRevenue": -1}
    assert calcs["NetIncomeLoss"] == {"ProfitLoss": 1, "NetIncomeLossAttributableToNoncontrollingInterest": -1}
    assert "TreasuryStockValue" in calcs["StockholdersEquity"] and calcs["StockholdersEquity"]["TreasuryStockValue"] == -1
    assert set(calcs) >= {"AssetsCurrent", "Assets", "LiabilitiesCurrent", "Liabilities", "LiabilitiesAndStockholdersEquity",
                          "OperatingExpenses", "OperatingIncomeLoss", "ProfitLoss", "ComprehensiveIncomeNetOfTax"}
