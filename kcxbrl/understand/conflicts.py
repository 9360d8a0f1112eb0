"""One value per fact: a figure is never tagged as a concept, context and unit that another
figure already gives a different value.

Table against table: the figure of a statement (a role the taxonomy calls a statement) wins
over a note's or a highlight's, an earlier table over a later one; the other is not tagged and
is reported (`mapping.conflictingValue`): either the mapping misread a row or the document
contradicts itself, and the tool does not know which, so it does not blame the document.

Prose against tables: a figure in the text that disagrees with a table's figure (at the lower
precision of the two) is withheld, so that the filing stays clean; the check stage reports it
(`source.figureDisagrees`). `tag_all_prose` keeps every prose figure tagged as printed.
"""

from __future__ import annotations

from kcxbrl.dts import Taxonomy
from kcxbrl.findings import Finding
from kcxbrl.rounding import agree, precision
from kcxbrl.understand.model import Fact

Key = tuple[str, object, str | None]


def _key(fact: Fact) -> Key:
    return (fact.concept, fact.context, fact.unit)


def _agrees(a: Fact, b: Fact) -> bool:
    if a.value is None or b.value is None:
        return a.value == b.value
    return agree(a.value, a.decimals, b.value, b.decimals)


def one_value_per_table_fact(facts: list[Fact], taxonomy: Taxonomy) -> tuple[list[Fact], list[Finding]]:
    """The table facts less those that contradict a preferred printing of the same fact."""
    statements = {role.id for role in taxonomy.roles if " - Statement - " in role.definition}
    ranked = sorted(enumerate(facts), key=lambda item: (item[1].role not in statements, item[0]))
    kept: dict[Key, Fact] = {}
    dropped: set[int] = set()
    findings: list[Finding] = []
    for order, fact in ranked:
        first = kept.get(_key(fact))
        if first is None:
            kept[_key(fact)] = fact
        elif not _agrees(fact, first):
            dropped.add(order)
            findings.append(Finding(
                severity="warning", code="mapping.conflictingValue",
                message=(f"row '{fact.label[:60]}' would give {fact.concept} ({fact.context.id}, {fact.unit}) the value "
                         f"{fact.display} where line {first.source.line} ('{first.label[:60]}') gives {first.display}; "
                         "not tagged twice (the row may be mapped to the wrong concept, or the document contradicts itself)"),
                ref=fact.source, facts=(first.id,), refs=(first.source,)))
    return [fact for order, fact in enumerate(facts) if order not in dropped], findings


def withheld_prose(table_facts: list[Fact], prose_facts: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """(prose facts to tag, prose facts withheld because a table's figure of the same fact, or a
    more precise prose figure, says otherwise)."""
    best: dict[Key, Fact] = {}
    for fact in table_facts:
        if fact.value is not None:
            best.setdefault(_key(fact), fact)
    for fact in sorted(prose_facts, key=lambda f: -precision(f.decimals)):
        if fact.value is not None:
            best.setdefault(_key(fact), fact)
    tagged, withheld = [], []
    for fact in prose_facts:
        reference = best.get(_key(fact))
        (tagged if reference is None or reference is fact or _agrees(fact, reference) else withheld).append(fact)
    return tagged, withheld
