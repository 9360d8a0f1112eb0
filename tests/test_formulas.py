"""The taxonomy's formula value assertions (taxonomy/source/formulas.toml) run in Arelle.

(a) every sample: Arelle loaded, evaluated and satisfied each assertion (its own result counts,
    --formulaAsserResultCounts); (b) a figure tampered in a built report's XHTML makes the
    assertion fail, through the adapter, with a message naming the figures and the facts bound.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kcxbrl.validate import arelle_adapter
from kcxbrl.dts.generate import (
    FOR, FORMULA_NSMAP, FUNCTIONS_PREFIX, SCHEMA_FILE, build_formulas, build_schema, formula_variables,
)
from kcxbrl.dts import default_taxonomy
from kcxbrl.dts.generate import issuer_file_names
from kcxbrl.profile import load_profile

from conftest import SAMPLE_NAMES, Built

# the base taxonomy's assertions and Kingsoft Cloud's own (its service lines, aging buckets ...)
KC = load_profile("kingsoft-cloud").taxonomy
ASSERTION_IDS = {a.id for a in KC.assertions}

# Evaluations each sample at least gives each assertion (one per column the statement prints,
# RMB and US$); None: the sample prints none of the figures, so nothing is evaluated.
MINIMUM_EVALUATIONS = {
    "kc-2023-h1-interim-results": {
        "BalanceSheetBalances": 3, "NetLossAttribution": 3,
        "ComprehensiveLossAttribution": 3, "CashRollForward": None, "CashRollForwardExcludingExchangeRateEffect": 3,
        "RevenueByServiceLine": 3, "RevenueByTimingOfRecognition": 9, "AdjustedGrossProfitReconciliation": 3,
        "AccountsReceivableAging": 3, "AccountsPayableAging": 3, "LossBeforeIncomeTaxesByJurisdiction": 3,
        "EmployeesByFunction": 1, "EmployeeSharesByFunction": 1,
    },
    "kc-2024-annual-results": {
        "BalanceSheetBalances": 3, "NetLossAttribution": 3,
        "ComprehensiveLossAttribution": 3, "CashRollForward": 3, "CashRollForwardExcludingExchangeRateEffect": None,
        "RevenueByServiceLine": 3, "RevenueByTimingOfRecognition": 9, "AdjustedGrossProfitReconciliation": 3,
        "AccountsReceivableAging": 3, "AccountsPayableAging": 3, "LossBeforeIncomeTaxesByJurisdiction": 3,
        "EmployeesByFunction": 1, "EmployeeSharesByFunction": 1,
    },
    "kc-2025-annual-results": {
        "BalanceSheetBalances": 3, "NetLossAttribution": 3,
        "ComprehensiveLossAttribution": 3, "CashRollForward": 3, "CashRollForwardExcludingExchangeRateEffect": None,
        "RevenueByServiceLine": 3, "RevenueByTimingOfRecognition": 9, "AdjustedGrossProfitReconciliation": 3,
        "AccountsReceivableAging": 3, "AccountsPayableAging": 3, "LossBeforeIncomeTaxesByJurisdiction": 3,
        "EmployeesByFunction": 1, "EmployeeSharesByFunction": 1,
    },
    "kc-2025-h1-interim-results": {
        "BalanceSheetBalances": 3, "NetLossAttribution": 3,
        "ComprehensiveLossAttribution": 3, "CashRollForward": 3, "CashRollForwardExcludingExchangeRateEffect": None,
        "RevenueByServiceLine": 3, "RevenueByTimingOfRecognition": 9, "AdjustedGrossProfitReconciliation": 3,
        "AccountsReceivableAging": 3, "AccountsPayableAging": 3, "LossBeforeIncomeTaxesByJurisdiction": 3,
        "EmployeesByFunction": 1, "EmployeeSharesByFunction": 1,
    },
    # the press release prints quarters and six months (more columns) and no notes; its
    # share-based compensation in cost of revenues has six figures for seven columns
    "kc-2025-q2-press-release": {
        "BalanceSheetBalances": 3, "NetLossAttribution": 3,
        "ComprehensiveLossAttribution": 3, "CashRollForward": 4, "CashRollForwardExcludingExchangeRateEffect": None,
        "RevenueByServiceLine": 6, "RevenueByTimingOfRecognition": None, "AdjustedGrossProfitReconciliation": 6,
        "AccountsReceivableAging": None, "AccountsPayableAging": None, "LossBeforeIncomeTaxesByJurisdiction": None,
        "EmployeesByFunction": None, "EmployeeSharesByFunction": None,
    },
}


def test_expected_table_covers_every_assertion():
    assert len(ASSERTION_IDS) == 13
    for sample in SAMPLE_NAMES:
        assert set(MINIMUM_EVALUATIONS[sample]) == ASSERTION_IDS


@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_every_assertion_runs_and_holds_on_the_samples(built, sample):
    report = built[sample].result.validation
    assert report is not None
    # every assertion of formulas.toml was loaded and run (a missing id: it did not compile)
    assert set(report.assertion_results) == ASSERTION_IDS
    unsatisfied = [m for m in report.messages if m.category == "assertion"]
    assert (report.assertions, unsatisfied) == (0, [])
    for assertion_id, (satisfied, not_satisfied) in report.assertion_results.items():
        assert not_satisfied == 0, assertion_id
        minimum = MINIMUM_EVALUATIONS[sample][assertion_id]
        if minimum is None:
            assert satisfied == 0, (assertion_id, satisfied)
        else:
            assert satisfied >= minimum, (assertion_id, satisfied)
    # the balance sheet prints three columns (prior year end, period end, its US$ translation)
    assert report.assertion_results["BalanceSheetBalances"] == (3, 0)
    # the report's formula linkbase is the taxonomy's, reached through the report's entry schema
    folder = built[sample].result.folder
    assert (folder / "taxonomy" / FOR).read_bytes() == build_formulas(default_taxonomy())
    assert KC.extension is not None  # and the issuer's, reached through its schema
    issuer_for = folder / "taxonomy" / issuer_file_names(KC)["for"]
    assert issuer_for.read_bytes() == build_formulas(KC, KC.extension.assertions, functions=False)
    assert f'schemaLocation="{SCHEMA_FILE}"' in (folder / "taxonomy" / f"{sample}.xsd").read_text(encoding="utf-8")


def test_each_assertion_is_evaluated_somewhere(built):
    evaluated = {a for b in built.values() for a, (ok, _) in b.result.validation.assertion_results.items() if ok}
    assert evaluated == ASSERTION_IDS


def test_cash_roll_forward_follows_the_printed_net_change_line(built):
    # 2023 H1 prints the net increase before the exchange-rate effect, the others after it
    results = {name: b.result.validation.assertion_results for name, b in built.items()}
    assert results["kc-2023-h1-interim-results"]["CashRollForward"] == (0, 0)
    assert results["kc-2023-h1-interim-results"]["CashRollForwardExcludingExchangeRateEffect"] == (3, 0)
    for name in SAMPLE_NAMES:
        if name != "kc-2023-h1-interim-results":
            assert results[name]["CashRollForward"][0] >= 3
            assert results[name]["CashRollForwardExcludingExchangeRateEffect"] == (0, 0)


# ---------------------------------------------------------------- tampering


def _copy_report(built: Built, tmp_path: Path) -> Path:
    folder = built.result.folder
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target / "reports" / f"{folder.name}.xhtml"


def _set_value(report: Path, fact_id: str, printed: str) -> None:
    text = report.read_text(encoding="utf-8")
    pattern = re.compile(rf'(<ix:nonFraction[^>]*\bid="{re.escape(fact_id)}"[^>]*>)([^<]*)(<)')
    text, count = pattern.subn(lambda m: m.group(1) + printed + m.group(3), text)
    assert count == 1, fact_id
    report.write_text(text, encoding="utf-8")


def _table_fact(built: Built, concept: str, period: str, unit: str = "CNY", **dims: str) -> dict:
    facts = built.table_facts(concept, period, unit, **dims)
    assert facts, (concept, period, unit, dims)
    return facts[0]


def _thousands(fact: dict) -> str:
    return f"{abs(Decimal(fact['value'])) / 1000:,.0f}"


def _assertion_messages(report: arelle_adapter.ValidationReport) -> list[arelle_adapter.ArelleMessage]:
    return [m for m in report.messages if m.category == "assertion"]


def test_tampered_total_assets_fail_with_the_figures_named(built, tmp_path):
    sample = built["kc-2025-annual-results"]
    assets = _table_fact(sample, "Assets", "@2025-12-31")
    equity = _table_fact(sample, "LiabilitiesAndStockholdersEquity", "@2025-12-31")
    assert Decimal(assets["value"]) == Decimal(equity["value"]) == Decimal(26_729_189_000)
    report_path = _copy_report(sample, tmp_path)
    _set_value(report_path, assets["id"], "26,729,689")  # 500 thousand more
    report = arelle_adapter.validate(report_path)
    failed = _assertion_messages(report)
    assert report.assertions == 1 and len(failed) == 1
    message = failed[0]
    assert message.code == "message:BalanceSheetBalances"
    assert message.level == "ERROR"
    assert message.text == (
        "Total assets 26729689000 differ from total liabilities, non-controlling interests and shareholders' "
        "equity 26729189000 by 500000 (rounding tolerance 1000; context I2025-12-31, unit CNY)")
    assert set(message.fact_ids) == {assets["id"], equity["id"]}
    assert message.fact_ids[0] == assets["id"]  # the total first: href/line point at it
    assert message.href == report_path.name and isinstance(message.line, int)
    assert report.assertion_results["BalanceSheetBalances"] == (2, 1)
    assert not report.ok
    # Arelle's own calculation check sees the broken Assets = current + non-current sum too
    assert report.errors == 0 and report.inconsistencies >= 1


@pytest.mark.parametrize("printed, holds", [("26,729,190", True), ("26,729,191", False)])
def test_rounding_tolerance_is_half_a_unit_per_figure(built, tmp_path, printed, holds):
    # two figures in thousands: a gap of 1,000 is within 2 x 500, a gap of 2,000 is not
    sample = built["kc-2025-annual-results"]
    assets = _table_fact(sample, "Assets", "@2025-12-31")
    report_path = _copy_report(sample, tmp_path)
    _set_value(report_path, assets["id"], printed)
    report = arelle_adapter.validate(report_path)
    failed = [m.code for m in _assertion_messages(report)]
    assert failed == ([] if holds else ["message:BalanceSheetBalances"])
    assert report.assertion_results["BalanceSheetBalances"] == ((3, 0) if holds else (2, 1))


def test_tampered_cash_at_end_breaks_the_roll_forward_of_its_period_only(built, tmp_path):
    sample = built["kc-2025-annual-results"]
    concept = "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents"
    end = _table_fact(sample, concept, "@2025-12-31")
    start = _table_fact(sample, concept, "@2024-12-31")
    change = _table_fact(sample, concept + "PeriodIncreaseDecreaseIncludingExchangeRateEffect", "2025-01-01/2025-12-31")
    assert Decimal(start["value"]) + Decimal(change["value"]) == Decimal(end["value"])
    report_path = _copy_report(sample, tmp_path)
    tampered = Decimal(end["value"]) + 10_000_000
    _set_value(report_path, end["id"], f"{tampered / 1000:,.0f}")
    report = arelle_adapter.validate(report_path)
    failed = _assertion_messages(report)
    assert [m.code for m in failed] == ["message:CashRollForward"]
    text = failed[0].text
    assert text.startswith(
        f"Cash, cash equivalents and restricted cash at the end of the period {tampered:.0f} differ from the "
        f"balance at the beginning {Decimal(start['value']):.0f} plus the net change {Decimal(change['value']):.0f} "
        "by 10000000 (rounding tolerance 1500;")
    assert set(failed[0].fact_ids) >= {end["id"], start["id"], change["id"]}
    # the 2024 roll-forward (whose beginning is 2023-12-31) and the US$ column still hold
    assert report.assertion_results["CashRollForward"] == (2, 1)


def test_tampered_service_line_breaks_the_revenue_breakdown(built, tmp_path):
    sample = built["kc-2025-annual-results"]
    period = "2025-01-01/2025-12-31"
    concept = "RevenueFromContractWithCustomerExcludingAssessedTax"
    total = _table_fact(sample, concept, period)
    members = {name: _table_fact(sample, concept, period, ProductOrServiceAxis=name)
               for name in ("PublicCloudServicesMember", "EnterpriseCloudServicesMember", "OtherServicesMember")}
    assert sum(Decimal(f["value"]) for f in members.values()) == Decimal(total["value"])
    report_path = _copy_report(sample, tmp_path)
    # every printing of the public cloud figure (statement and notes), so no duplicate disagrees
    public = [f for f in sample.table_facts(concept, period, "CNY", ProductOrServiceAxis="PublicCloudServicesMember")]
    bumped = Decimal(members["PublicCloudServicesMember"]["value"]) + 3_000_000
    for fact in public:
        _set_value(report_path, fact["id"], f"{bumped / 1000:,.0f}")
    report = arelle_adapter.validate(report_path)
    failed = {m.code: m for m in _assertion_messages(report)}
    assert "message:RevenueByServiceLine" in failed
    message = failed["message:RevenueByServiceLine"]
    enterprise = Decimal(members["EnterpriseCloudServicesMember"]["value"])
    other = Decimal(members["OtherServicesMember"]["value"])
    assert message.text == (
        f"Total revenues {Decimal(total['value']):.0f} differ from public cloud {bumped:.0f} plus enterprise cloud "
        f"{enterprise:.0f} plus other services {other:.0f} by -3000000 (rounding tolerance 2000; "
        f"context {_context_id(report_path, total['id'])}, unit CNY)")
    assert total["id"] in message.fact_ids
    assert report.assertion_results["RevenueByServiceLine"] == (2, 1)


def test_tampered_share_based_compensation_breaks_adjusted_gross_profit(built, tmp_path):
    sample = built["kc-2025-annual-results"]
    period = "2025-01-01/2025-12-31"
    sbc = sample.table_facts("AllocatedShareBasedCompensationExpense", period, "CNY", IncomeStatementLocationAxis="CostOfSalesMember")
    adjusted = _table_fact(sample, "AdjustedGrossProfit", period)
    gross = _table_fact(sample, "GrossProfit", period)
    assert len(sbc) == 1
    assert Decimal(gross["value"]) + Decimal(sbc[0]["value"]) == Decimal(adjusted["value"])
    report_path = _copy_report(sample, tmp_path)
    _set_value(report_path, sbc[0]["id"], f"{(Decimal(sbc[0]['value']) + 5_000_000) / 1000:,.0f}")
    report = arelle_adapter.validate(report_path)
    codes = [m.code for m in _assertion_messages(report)]
    assert codes == ["message:AdjustedGrossProfitReconciliation"]
    message = _assertion_messages(report)[0]
    assert f"share-based compensation in cost of revenues {Decimal(sbc[0]['value']) + 5_000_000:.0f} by -5000000" in message.text
    assert sbc[0]["id"] in message.fact_ids


def test_the_sum_left_to_calculations_fails_on_a_tampered_figure_and_names_it(built, tmp_path):
    # total liabilities and equity = liabilities + total equity: roles.toml's balance sum, so no
    # formula assertion repeats it (formulas.toml); Calculations 1.1 names the figures
    sample = built["kc-2025-annual-results"]
    period = "@2025-12-31"
    tampered = sample.table_facts("Liabilities", period, "CNY")
    assert tampered
    report_path = _copy_report(sample, tmp_path)
    bumped = Decimal(tampered[0]["value"]) + 7_000_000
    for fact in tampered:  # every printing, so no duplicate disagrees (Calculations 1.1 skip those)
        _set_value(report_path, fact["id"], f"{bumped / 1000:,.0f}")
    report = arelle_adapter.validate(report_path)
    total = _table_fact(sample, "LiabilitiesAndStockholdersEquity", period)["id"]
    calc = [m for m in report.messages if m.code == "calc11e:inconsistentCalculationUsingRounding" and total in m.fact_ids]
    assert len(calc) == 1, [m.code for m in report.messages]
    named = set(calc[0].fact_ids)
    assert {f["id"] for f in tampered} <= named
    assert _table_fact(sample, "StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest", period)["id"] in named
    assert report.assertions == 0  # no formula assertion repeats the sum


def _context_id(report: Path, fact_id: str) -> str:
    match = re.search(rf'<ix:nonFraction[^>]*\bid="{re.escape(fact_id)}"[^>]*>', report.read_text(encoding="utf-8"))
    assert match
    context = re.search(r'contextRef="([^"]+)"', match.group(0))
    assert context
    return context.group(1)


# ---------------------------------------------------------------- the generated linkbase


def test_every_xpath_prefix_is_declared():
    """An undeclared prefix makes Arelle skip an assertion silently: check every expression."""
    tax = KC
    text = build_formulas(tax).decode()
    expressions = (re.findall(r'(?:select|test)="([^"]*)"', text) + re.findall(r">([^<]*\{\$[^<]*)<", text)
                   + re.findall(r"<cfi:(?:step|output)[^>]*>([^<]*)<", text))  # the custom functions' bodies
    assert len(expressions) > 5 * len(tax.assertions)
    used = {prefix for e in expressions for prefix in re.findall(r"\b([A-Za-z][\w.-]*):[A-Za-z]", e)}
    assert used == {"xfi", "xs", FUNCTIONS_PREFIX}
    assert used <= set(FORMULA_NSMAP)
    qnames = re.findall(r"<(?:cf|df):qname>([^<]+)</", text)
    assert qnames and {q.split(":")[0] for q in qnames} == {"kcx", "kc"}
    assert f'xmlns:kc="{KC.namespaces["kc"]}"' in text


def test_every_assertion_has_an_english_message_naming_its_figures():
    tax = KC
    text = build_formulas(tax).decode()
    for assertion in tax.assertions:
        message = re.search(rf'<msg:message [^>]*xlink:label="{assertion.id}_message"[^>]*xml:lang="en">([^<]*)<', text)
        assert message, assertion.id
        for term in assertion.terms:
            assert "{$" + term.name + "}" in message.group(1)
        assert set(formula_variables(assertion)) >= {t.name for t in assertion.terms} | {"difference", "tolerance"}
    assert text.count("<va:valueAssertion ") == len(tax.assertions)
    assert text.count('arcrole="http://xbrl.org/arcrole/2010/assertion-unsatisfied-message"') == len(tax.assertions)


def test_schema_references_the_formula_linkbase_without_a_role():
    schema = build_schema(default_taxonomy()).decode()
    ref = re.search(rf'<link:linkbaseRef [^>]*xlink:href="{FOR}"[^>]*/>', schema)
    assert ref and "xlink:role" not in ref.group(0)
