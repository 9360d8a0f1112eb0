"""Which of the taxonomy's sums a report prints: a sum is checked (by Calculations 1.1 in
Arelle and by the check stage) only with the items the report's statement prints, never across
tables: an item the statement does not print but another table does (an impairment named only
in a reconciliation) leaves the sum (`unprinted_calc`; the report's entry schema prohibits
those arcs). A sum the statement prints with lines the tool did not read is the check stage's
business (kcxbrl.check.sums: `table.incompleteSum`)."""

from __future__ import annotations

from kcxbrl.dts import Taxonomy, calc_arcs
from kcxbrl.understand.model import Fact

Arc = tuple[str, str, str]  # (role, total, item)


def unprinted_calc(facts: list[Fact], taxonomy: Taxonomy) -> tuple[Arc, ...]:
    """(role, total, item) of the taxonomy sums whose item this report's statement of that sum
    does not print, where the item is tagged elsewhere in the report; and every arc of such a
    sum whose total only the prose gives (its statement not read): never a partial sum of prose
    figures that Arelle would add up without the items the tool lost."""
    in_role: dict[str, set[str]] = {}
    for fact in facts:
        in_role.setdefault(fact.role or "", set()).add(fact.concept)
    everywhere = {f.concept for f in facts}
    lone = {(arc.role.id, arc.total, arc.item) for arc in calc_arcs(taxonomy)
            if arc.item not in in_role.get(arc.role.id, set()) and arc.item in everywhere}
    in_tables = {f.concept for f in facts if not f.in_prose}
    orphaned = {(role, total) for role, total, _ in lone if total in everywhere and total not in in_tables}
    return tuple((arc.role.id, arc.total, arc.item) for arc in calc_arcs(taxonomy)
                 if (arc.role.id, arc.total, arc.item) in lone or (arc.role.id, arc.total) in orphaned)
