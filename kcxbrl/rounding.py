"""Printed figures as intervals, for the checks and for the evidence that places rows.

Each printed figure stands for an interval: the figure plus or minus half a unit of its last
printed place (1,468 thousand: [1,467.5, 1,468.5] thousand; "RMB1.4 million": [1.35, 1.45]
million); an exact figure (a share count, `INF`) stands for itself.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable


_EXACT = 10**6  # precision of an exact (INF) figure, for "the lower precision of the two"


def half_unit(decimals: str | int | None) -> Decimal:
    """Half a unit of the last printed place: decimals -3 -> 500; INF or none -> 0."""
    if decimals in (None, "INF"):
        return Decimal(0)
    return Decimal(5) * Decimal(10) ** (-int(decimals) - 1)


def precision(decimals: str | int | None) -> int:
    return _EXACT if decimals in (None, "INF") else int(decimals)


def rounded(value: Decimal, decimals: int) -> Decimal:
    """`value` rounded half away from zero to `decimals` places (negative: tens, thousands...)."""
    if decimals >= _EXACT:
        return value
    quantum = Decimal(1).scaleb(-decimals)
    return (value / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum


def agree(a: Decimal, a_decimals: str | int | None, b: Decimal, b_decimals: str | int | None) -> bool:
    """Two figures agree when they are equal at the lower precision of the two."""
    d = min(precision(a_decimals), precision(b_decimals))
    return rounded(a, d) == rounded(b, d)


def sum_meets(total: Decimal, total_slack: Decimal, items: Iterable[tuple[int, Decimal, Decimal]]) -> tuple[bool, Decimal, Decimal]:
    """Calculations 1.1 rounding semantics: (consistent, computed sum, allowed difference).

    `items` are (weight, value, slack); each figure stands for value +/- slack. The sum is
    consistent when the interval of the weighted items meets the interval of the total."""
    computed = Decimal(0)
    allowed = total_slack
    for weight, value, slack in items:
        computed += weight * value
        allowed += abs(weight) * slack
    return abs(computed - total) <= allowed, computed, allowed
