"""The taxonomy: generated from its one source, current, and clean in Arelle on its own."""

from __future__ import annotations

import re
import shutil

import pytest

from kcxbrl.validate import arelle_adapter
from kcxbrl.resources import taxonomy_dir
from kcxbrl.dts.generate import OUTPUT_DIR, stale_files, taxonomy_files
from kcxbrl.dts import SCHEMA_FILE, default_taxonomy, load_taxonomy
from kcxbrl.profile import load_profile


def test_committed_taxonomy_files_are_current():
    stale = stale_files(taxonomy_dir() / OUTPUT_DIR, default_taxonomy())
    assert stale == [], f"run: python -m kcxbrl.dts (stale: {stale})"


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
    assert tax.concept("EarningsPerShareBasic").type == tax.concept("EarningsPerShareDiluted").type == "perShare"
    # deprecated by us-gaap in 2022 (replaced by the basic and the diluted element)
    assert "EarningsPerShareBasicAndDiluted" not in tax.concepts
    assert "WeightedAverageNumberOfShareOutstandingBasicAndDiluted" not in tax.concepts


def test_every_statement_sum_is_a_calculation():
    calcs = {s.total: dict(s.items) for role in default_taxonomy().roles for s in role.calc}
    assert calcs["GrossProfit"] == {"RevenueFromContractWithCustomerExcludingAssessedTax": 1, "CostOfRevenue": -1}
    assert calcs["NetIncomeLoss"] == {"ProfitLoss": 1, "NetIncomeLossAttributableToNoncontrollingInterest": -1,
                                      "NetIncomeLossAttributableToRedeemableNoncontrollingInterest": -1}
    assert "TreasuryStockValue" in calcs["StockholdersEquity"] and calcs["StockholdersEquity"]["TreasuryStockValue"] == -1
    assert set(calcs) >= {"AssetsCurrent", "Assets", "LiabilitiesCurrent", "Liabilities", "LiabilitiesAndStockholdersEquity",
                          "OperatingExpenses", "OperatingIncomeLoss", "ProfitLoss", "ComprehensiveIncomeNetOfTax"}


def test_formulas_are_part_of_the_taxonomy():
    tax = default_taxonomy()
    ids = [a.id for a in tax.assertions]
    assert {"BalanceSheetBalances", "NetLossAttribution", "CashRollForward", "CashRollForwardExcludingExchangeRateEffect",
            "RevenueByTimingOfRecognition"} <= set(ids)
    # an issuer's own assertions (its service lines, its non-GAAP measures) come with its profile
    assert not {"RevenueByServiceLine", "AdjustedGrossProfitReconciliation"} & set(ids)
    kc = load_profile("kingsoft-cloud").taxonomy
    assert {"RevenueByServiceLine", "AdjustedGrossProfitReconciliation"} <= {a.id for a in kc.assertions}
    assert "kc-2026-for.xml" in taxonomy_files(kc) and "kcx-2026-for.xml" in taxonomy_files(kc)
    roll = next(a for a in tax.assertions if a.id == "CashRollForward")
    assert roll.duration == "netChange"
    assert [(t.name, t.instant) for t in roll.terms] == [("cashAtEnd", "end"), ("cashAtBeginning", "start"), ("netChange", None)]
    assert "kcx-2026-for.xml" in taxonomy_files(tax)


@pytest.mark.parametrize("edit, error", [
    (('concept = "Assets" }', 'concept = "Asets" }'), "undeclared concepts: Asets"),
    (("{liabilitiesAndEquity} by", "{liabilitiesAndEquityy} by"), "message names unknown figures"),
    (('members = { TimingOfTransferOfGoodOrServiceAxis = "TransferredOverTimeMember" }',
      'members = { TimingOfTransferOfGoodOrServiceAxis = "CostOfSalesMember" }'),
     "CostOfSalesMember is not a member of TimingOfTransferOfGoodOrServiceAxis"),
    (('duration = "netChange"\n', ""), "need `duration`"),
    (('concept = "LiabilitiesAndStockholdersEquity" }]', 'concept = "GrossProfit" }]'), "mix instant and duration"),
    (('instant = "start" }', 'instant = "start", optional = true }'), ""),  # an optional boundary term is fine
    (('{ name = "netChange", concept = "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalentsPeriodIncreaseDecreaseIncludingExchangeRateEffect" }',
      '{ name = "netChange", concept = "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents", instant = "end" }'),
     "the duration term must be neither an instant nor optional"),
])
def test_formula_source_errors_are_rejected(tmp_path, edit, error):
    source = taxonomy_dir() / "source"
    shutil.copytree(source, tmp_path / "source")
    formulas = tmp_path / "source" / "formulas.toml"
    text = formulas.read_text(encoding="utf-8")
    assert edit[0] in text
    formulas.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    if not error:
        assert len(load_taxonomy(tmp_path / "source").assertions) == len(default_taxonomy().assertions)
        return
    with pytest.raises(ValueError, match=re.escape(error)):
        load_taxonomy(tmp_path / "source")
