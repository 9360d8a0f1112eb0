"""Rows whose figures the header does not place, placed by evidence or not at all.

A row that prints fewer (or more) figures than its header has columns, or whose figures have
shifted, gets each candidate arrangement of its figures over the header's columns tried
against what the rest of the document says:

- the same figure printed elsewhere (statements, highlights, notes, prose) agrees or not, at
  the coarser of the two precisions;
- a sum the taxonomy knows (Calculations 1.1 summations and the formula assertions of
  formulas.toml) holds or not, with every other figure of the sum printed in the same period
  and unit;
- the US$ figure translates the RMB figure of the same period at the stated rate, or not.

An arrangement is evidence-backed when at least one test agrees and none disagrees. Exactly
one such arrangement places the row; otherwise nothing from the row is tagged and the row is
reported. A value is never put in a period or currency on a guess.

The arrangements number choose(columns, figures), which grows exponentially with a crafted
header (16 columns and 8 figures: 12,870; 30 and 15: 155,117,520). A row with more than
ARRANGEMENT_LIMIT of them is reported as not placed, saying so, without trying any: the cost of
a row is bounded (the bundled samples have at most 7 arrangements for a row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from math import comb

from kcxbrl.dts import Taxonomy
from kcxbrl.findings import Finding
from kcxbrl.rounding import agree, half_unit, precision
from kcxbrl.understand.model import Column, Fact, TableRow
from kcxbrl.understand.tables import ALIGNMENT_SLACK, candidate_headers

Members = tuple[tuple[str, str], ...]

# the most arrangements of one row's figures tried (candidate_headers returns none past it)
ARRANGEMENT_LIMIT = 256


@dataclass(frozen=True)
class Unplaced:
    """A row the header does not place, and how to make its facts under a candidate header."""

    row: TableRow
    header: tuple[Column, ...]
    facts_for: Callable[[tuple[Column, ...]], list[Fact]]


@dataclass(frozen=True)
class Term:
    concept: str
    members: Members | None  # None: the same dimensions as the figure tested (a calculation)
    weight: int
    optional: bool = False


@dataclass(frozen=True)
class Relation:
    name: str
    total: Term
    items: tuple[Term, ...]

    @property
    def terms(self) -> tuple[Term, ...]:
        return (self.total, *self.items)


def relations(taxonomy: Taxonomy) -> list[Relation]:
    """Every sum the taxonomy states: calculation summations and the formula assertions whose
    figures share one period (a roll-forward across instants is left to Arelle)."""
    found = [Relation(name=f"calculation of {s.total} ({role.id})", total=Term(s.total, None, 1),
                      items=tuple(Term(c, None, w) for c, w in s.items))
             for role in taxonomy.roles for s in role.calc]
    for a in taxonomy.assertions:
        if any(t.instant for t in a.terms):
            continue
        term = lambda t: Term(t.concept, tuple(sorted(t.members.items())), t.weight, t.optional)  # noqa: E731
        found.append(Relation(name=f"assertion {a.id}", total=term(a.total), items=tuple(term(t) for t in a.items)))
    return found


def place_rows(unplaced: list[Unplaced], known: list[Fact], sums: list[Relation],
               rate: Decimal | None) -> tuple[list[Fact], list[Finding]]:
    placed: list[Fact] = []
    findings: list[Finding] = []
    index = _index(known)
    for item in unplaced:
        backed = []
        arrangements = _arrangements(item.header, len(item.row.amounts))
        for candidate in candidate_headers(item.header, len(item.row.amounts), limit=ARRANGEMENT_LIMIT):
            facts = item.facts_for(candidate)
            agree, disagree, reasons = _evidence(facts, index, sums, rate)
            if agree and not disagree:
                backed.append((candidate, facts, reasons))
        row, ref = item.row, item.row.amounts[0].ref
        if len(backed) == 1:
            candidate, facts, reasons = backed[0]
            placed += facts
            for fact in facts:
                index.setdefault(_key(fact), fact)
            missing = [c for c in item.header if c not in candidate]
            findings.append(Finding(
                severity="warning", code="source.columnsRealigned",
                message=(f"row '{row.label}' prints {_figures(len(row.amounts))} under a {len(item.header)}-column header"
                         + (f" (no figure for {', '.join(_column_name(c) for c in missing)})" if missing else "")
                         + f"; placed by {', '.join(sorted(reasons))}"),
                ref=ref, facts=tuple(f.id for f in facts)))
        else:
            if arrangements > ARRANGEMENT_LIMIT:
                why = (f"its figures have {arrangements:,} arrangements over the columns, more than the "
                       f"{ARRANGEMENT_LIMIT} tried at most")
            elif not backed:
                why = "no arrangement is backed by the document's other figures"
            else:
                why = f"{len(backed)} arrangements agree with the document's other figures"
            findings.append(Finding(
                severity="warning", code="table.unalignedRow",
                message=(f"row '{row.label}' has {_figures(len(row.amounts))} but the header has {len(item.header)} "
                         f"columns and {why}; not tagged"),
                ref=ref))
    return placed, findings


def _arrangements(header: tuple[Column, ...], count: int) -> int:
    """How many headers candidate_headers has for a row of `count` figures (without listing them)."""
    n = len(header)
    if count < n:
        return comb(n, count)
    if count > n:
        lone_usd = [c for c in header if c.currency == "USD"
                    and not any(o.currency == "CNY" and o.end == c.end and o.months == c.months for o in header)]
        return comb(len(lone_usd), count - n)
    return 1


def _figures(count: int) -> str:
    return "1 figure" if count == 1 else f"{count} figures"


def _column_name(column: Column) -> str:
    span = "at" if column.months is None else f"{column.months} months to"
    return f"{span} {column.end.isoformat()}" + (f" {column.currency}" if column.currency else "")


Key = tuple[str, object, Members, str | None]  # concept, period, dimensions, unit


def _key(fact: Fact) -> Key:
    return (fact.concept, fact.context.period, fact.context.dimensions, fact.unit)


def _index(facts: list[Fact]) -> dict[Key, Fact]:
    """The most precise printing of each figure."""
    index: dict[Key, Fact] = {}
    for fact in facts:
        if fact.value is None:
            continue
        key = _key(fact)
        if key not in index or precision(fact.decimals) > precision(index[key].decimals):
            index[key] = fact
    return index


def _evidence(facts: list[Fact], index: dict[Key, Fact], sums: list[Relation],
              rate: Decimal | None) -> tuple[int, int, set[str]]:
    agreeing = disagreeing = 0
    reasons: set[str] = set()
    tentative = {_key(f): f for f in facts}
    for fact in facts:
        verdicts: list[tuple[bool, str]] = []
        other = index.get(_key(fact))
        if other is not None:
            verdicts.append((agree(fact.value, fact.decimals, other.value, other.decimals),
                             f"the same figure at line {other.source.line}"))
        verdicts += _sum_verdicts(fact, index, sums)
        if rate is not None and fact.unit == "USD":
            twin_key = (fact.concept, fact.context.period, fact.context.dimensions, "CNY")
            twin = tentative.get(twin_key) or index.get(twin_key)
            if twin is not None and not (twin.value == 0 and fact.value == 0):
                slack = half_unit(fact.decimals) * rate + half_unit(twin.decimals) + abs(twin.value) * ALIGNMENT_SLACK
                verdicts.append((abs(fact.value * rate - twin.value) <= slack, "the RMB/US$ convenience rate"))
        for ok, reason in verdicts:
            if ok:
                agreeing += 1
                reasons.add(reason)
            else:
                disagreeing += 1
    return agreeing, disagreeing, reasons


def _sum_verdicts(fact: Fact, index: dict[Key, Fact], sums: list[Relation]) -> list[tuple[bool, str]]:
    verdicts = []
    dims = fact.context.dimensions
    for relation in sums:
        if not any(t.concept == fact.concept and (t.members is None or t.members == dims) for t in relation.terms):
            continue
        figures: list[tuple[Term, Fact | None]] = []
        complete = True
        for term in relation.terms:
            members = dims if term.members is None else term.members
            key = (term.concept, fact.context.period, members, fact.unit)
            figure = fact if key == _key(fact) else index.get(key)
            if figure is None and not term.optional:
                complete = False
                break
            figures.append((term, figure))
        if not complete or not any(f is fact for _, f in figures):
            continue
        total = figures[0][1].value  # type: ignore[union-attr]
        summed = sum((t.weight * f.value for t, f in figures[1:] if f is not None), Decimal(0))
        # translated US$ lines are rounded one by one: a unit of each figure's last place
        tolerance = sum((2 * half_unit(f.decimals) for _, f in figures if f is not None), Decimal(0))
        lines = sorted({f.source.line for _, f in figures if f is not None and f is not fact})
        verdicts.append((abs(total - summed) <= tolerance,
                         f"the sum {relation.name} with lines {', '.join(map(str, lines))}"))
    return verdicts
