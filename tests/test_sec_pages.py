"""Statements as SEC's financial-report viewer renders them (tests/fixtures/issuers/sec-pages/*,
each README gives the page): "shares in Thousands, $ in Thousands" or no scale at all (whole
dollars), "3 Months Ended" over "Sep. 30, 2023", "[1]" footnote marks after figures, costs
printed positive. Built with no profile (the pages name no company) and validated by Arelle."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Built, build_each

PAGES = Path(__file__).parent / "fixtures" / "issuers" / "sec-pages"
K = 1000


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Built]:
    paths = {path.parent.name: path for path in sorted(PAGES.glob("*/*.txt"))}
    return build_each(paths, tmp_path_factory.mktemp("sec-pages"), viewer=False)


def one_value(built: Built, concept: str, period: str, unit: str = "USD") -> Decimal:
    values = {Decimal(str(f["value"])) for f in built.table_facts(concept, period, unit)}
    assert len(values) == 1, (concept, period, unit, values)
    return values.pop()


def test_every_page_builds_valid_and_blames_nothing(pages):
    assert sorted(pages) == ["baozun", "nic", "permafix", "techtarget", "viomi"]
    for name, built in pages.items():
        v = built.result.validation
        assert v is not None and (v.errors, v.warnings, v.inconsistencies, v.assertions) == (0, 0, 0, 0), name
        assert not [f for f in built.result.findings if f.code.startswith("source.")], name


def test_a_page_in_whole_dollars_is_taken_as_printed(pages):
    """Perma-Fix's 10-Q page states only 'shares in Thousands': its amounts are whole dollars
    ('$ 21,877,000'), not thousands (the default a profile would set), and the page says so."""
    permafix = pages["permafix"]
    q3 = "2023-07-01/2023-09-30"
    assert one_value(permafix, "RevenueFromContractWithCustomerExcludingAssessedTax", q3) == 21_877_000
    assert one_value(permafix, "InterestExpenseNonoperating", q3) == 89_000  # "(89,000)" under other income (expense)
    assert one_value(permafix, "IncomeTaxExpenseBenefit", "2022-01-01/2022-09-30") == -147_000  # a benefit
    assert [f.code for f in permafix.result.findings if f.code == "table.scaleAssumed"] == ["table.scaleAssumed"]
    # "Basic 13,568" under "Number of common shares used in computing net income (loss) per share:"
    # is a share count, never earnings per share
    assert not permafix.facts("EarningsPerShareBasic", q3, "USD/shares")


def test_costs_printed_positive_with_no_sum_to_check(pages):
    """NIC's 10-K page prints its costs positive and no line that would let a sum be checked
    (no gross profit): every cost being positive says how it prints them."""
    nic = pages["nic"]
    q4 = "2017-10-01/2017-12-31"
    assert one_value(nic, "OperatingExpenses", q4) == 66_049 * K
    assert one_value(nic, "RevenueFromContractWithCustomerExcludingAssessedTax", q4) == 83_472 * K
    assert one_value(nic, "IncomeTaxExpenseBenefit", "2016-10-01/2016-12-31") == 3_130 * K  # "3,130 [1]"
    assert one_value(nic, "IncomeTaxExpenseBenefit", "2017-01-01/2017-12-31") == 26_723 * K


def test_other_income_above_operating_income_is_operating(pages):
    """Viomi's 'Other income, net 35,880' stands above 'Income from operations' (1,082,404 -
    807,215 + 35,880 = 311,069): operating, not non-operating, income."""
    viomi = pages["viomi"]
    fy2019 = "2019-01-01/2019-12-31"
    assert one_value(viomi, "OtherOperatingIncome", fy2019, "CNY") == 35_880 * K
    assert not viomi.table_facts("OtherNonoperatingIncomeExpense", fy2019, "CNY")
    assert one_value(viomi, "OperatingIncomeLoss", fy2019, "CNY") == 311_069 * K
