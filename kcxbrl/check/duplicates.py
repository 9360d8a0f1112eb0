"""The same figure printed in several places (`source.figureDisagrees`): every fact with the same
concept, context and unit (highlights, statements, notes, prose) is compared with the most
precise one (the first printed of those, a table's before the text's) after rounding both to
the lower precision of the two ("RMB1.4 million" against 1,468 thousand, which is 1.5 million).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from kcxbrl.findings import Finding
from kcxbrl.rounding import agree, precision, rounded
from kcxbrl.understand import Fact


def figure_disagreements(facts: Iterable[Fact], withheld: set[str] = frozenset()) -> list[Finding]:
    """A figure printed in several places (highlights, statements, notes, prose) that another
    printing of the same concept, context and unit contradicts at the lower precision of the two.
    Each is compared with the most precise printing (the first of those, a table's before the
    text's) and reported where it stands."""
    groups: dict[tuple, list[tuple[int, Fact]]] = {}
    for order, fact in enumerate(facts):
        if fact.value is None or fact.decimals is None:
            continue
        groups.setdefault((fact.concept, fact.context, fact.unit), []).append((order, fact))
    found = []
    for printings in groups.values():
        if len(printings) < 2:
            continue
        _, reference = min(printings, key=lambda p: (-precision(p[1].decimals), p[1].in_prose, p[0]))
        assert reference.value is not None
        for _, fact in printings:
            assert fact.value is not None
            if fact is reference or agree(fact.value, fact.decimals, reference.value, reference.decimals):
                continue
            d = min(precision(fact.decimals), precision(reference.decimals))
            at_precision = rounded(reference.value, d)
            if fact.in_prose:
                subject, whose = "the text prints", "the text's"
            else:
                subject, whose = f"the table at line {fact.source.line} prints", "this figure's"
            other = "the text" if reference.in_prose else "the table"
            found.append(Finding(
                severity="warning", code="source.figureDisagrees",
                message=(f"{subject} {fact.display} ({fact.concept}, {fact.context.id}, {fact.unit}) but {other} at "
                         f"line {reference.source.line} prints {reference.display}, which is {_plain(at_precision, fact.scale)} at "
                         f"{whose} precision; "
                         + ("the text's figure is not tagged" if fact.id in withheld else "both are tagged as printed")),
                ref=fact.source, facts=(fact.id, reference.id), refs=(reference.source,)))
    return found



def _plain(value: Decimal, scale: int) -> str:
    return f"{(value / Decimal(10) ** scale).normalize():f}"
