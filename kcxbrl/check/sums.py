"""Sums (`source.sumDisagrees`), Calculations 1.1 semantics on the table figures (prose excluded):
every summation of the taxonomy (`Role.calc`, with its weights, less the arcs this report's
statements do not print: `understand.sums`, the same prohibitions the report's entry
schema carries) and every dimensional breakdown (the figure at an axis's default, the total, is
the sum of the figures at all the axis's members, where the report prints the total and every
member; an axis of one member, such as share-based compensation in cost of revenues, locates a
part and is not a breakdown) is evaluated for each context and unit, both currencies. Items
without a figure in that context and unit are left out, a sum with no item is not evaluated,
and a sum binding a figure printed twice inconsistently is not evaluated (the duplicate is
reported instead), as Calculations 1.1 does. A sum is inconsistent only when the intervals
cannot meet: |sum of weighted items - total| > half unit of the total + half unit of each item.
The currency the books are kept in (RMB here; every currency but the convenience translation's)
foots: an issuer's table in thousands adds up exactly, so a column that misses by a unit it
could lose to rounding is still reported (`source.sumDoesNotFoot`, a component or subtotal one
unit off), where all the figures are printed to the same place. Translated figures and ratios
are rounded one by one and are held to the interval rule only.
A US$ figure is a rounded translation of an RMB figure that was itself rounded, so it is
allowed the rounding of both: its own half unit plus its RMB figure's half unit divided by the
rate (about 0.57 units for RMB7.2 per US$1.00). A US$ total that differs from the sum of its
translated lines by the rounding of each line is therefore consistent; one that differs by more
than that is as wrong as its RMB column would be.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Sequence

from kcxbrl.check.translation import USD_UNITS
from kcxbrl.dts import Summation, Taxonomy
from kcxbrl.findings import Finding
from kcxbrl.rounding import agree, half_unit, precision, sum_meets
from kcxbrl.understand import AnalysedTable, Context, Fact


CURRENCY_UNITS = ("CNY", "USD")

Arc = tuple[str, str, str]  # (role, total, item)


def sum_findings(facts: Iterable[Fact], taxonomy: Taxonomy, rate: Decimal | None = None,
                 prohibited: Iterable[Arc] = ()) -> list[Finding]:
    """Every calculation and dimensional breakdown evaluated on the table figures (see the
    module docstring for the rules). `prohibited`: (role id, total, item) arcs this report's
    entry schema prohibits (`Tagging.unprinted_calc`)."""
    return sum_checks(facts, taxonomy, rate, prohibited)[0]


def sum_checks(facts: Iterable[Fact], taxonomy: Taxonomy, rate: Decimal | None = None,
               prohibited: Iterable[Arc] = (), tables: Sequence[AnalysedTable] = ()) -> tuple[list[Finding], list[Arc]]:
    """sum_findings, and with the report's `tables`: a calculation that does not hold where its
    statement prints, between its items and its total, a line the tool did not read (or read
    as no part of the sum) is the tool's own `table.incompleteSum` (info), never the
    document's error; its arcs are returned, for the report's entry schema to prohibit, so that
    Arelle does not check it either."""
    facts = list(facts)
    blocked = set(prohibited)
    strangers = _Strangers(tables, facts, taxonomy)
    unchecked: list[Arc] = []
    groups: dict[tuple[str, Context, str], list[Fact]] = {}
    for fact in facts:
        if fact.in_prose or fact.value is None or fact.unit is None:
            continue
        groups.setdefault((fact.concept, fact.context, fact.unit), []).append(fact)
    consistent = {key: all(agree(f.value, f.decimals, printed[0].value, printed[0].decimals) for f in printed)  # type: ignore[arg-type]
                  for key, printed in groups.items()}

    def pick(key: tuple[str, Context, str], role: str, near: int = 0) -> Fact | None:
        """The printing a sum binds: the most precise, in a table of the sum's role, nearest `near`."""
        printed = groups.get(key)
        if not printed or not consistent[key]:
            return None
        return min(printed, key=lambda f: (-precision(f.decimals), f.role != role, abs(f.source.line - near),
                                           f.source.line, f.source.column))

    def bind(total_key: tuple[str, Context, str], item_keys: list[tuple[tuple[str, Context, str], int]],
             role: str) -> tuple[Fact, list[tuple[Fact, int]]]:
        """The total and its items as one table prints them: of the total's printings, the one
        whose items stand nearest to it (a note's total with the note's lines)."""
        def items_near(total: Fact) -> list[tuple[Fact, int]]:
            return [(f, w) for f, w in ((pick(k, role, total.source.line), w) for k, w in item_keys) if f is not None]

        def rank(total: Fact) -> tuple:
            distance = sum(abs(f.source.line - total.source.line) for f, _ in items_near(total))
            return (-precision(total.decimals), total.role != role, distance, total.source.line, total.source.column)

        total = min(groups[total_key], key=rank)
        return total, items_near(total)

    def slack(fact: Fact, role: str) -> Decimal:
        allowed = half_unit(fact.decimals)
        if rate and fact.unit in USD_UNITS:
            twin = pick((fact.concept, fact.context, fact.unit.replace("USD", "CNY")), role)
            if twin is not None:
                allowed += half_unit(twin.decimals) / rate
        return allowed

    def foots(unit: str) -> bool:
        """Amounts in the currency the books are kept in foot exactly; translated (convenience)
        figures and ratios are rounded one by one and need not."""
        return unit in CURRENCY_UNITS and not (rate and unit in USD_UNITS)

    found: list[Finding] = []
    seen: set[tuple] = set()
    on_axis = {(c, axis) for c, context, _ in groups for axis, _ in context.dimensions}  # breakdowns there can be
    by_concept: dict[str, list[tuple[str, Context, str]]] = {}  # the groups of a sum's total, in order
    for key in groups:
        by_concept.setdefault(key[0], []).append(key)
    for role in taxonomy.roles:
        for summation in role.calc:
            items = [(item, weight) for item, weight in summation.items if (role.id, summation.total, item) not in blocked]
            for concept, context, unit in by_concept.get(summation.total, ()):
                keys = [((item, context, unit), weight) for item, weight in items if (item, context, unit) in groups]
                if not consistent[(concept, context, unit)] or not keys or any(not consistent[key] for key, _ in keys):
                    continue
                total, bound = bind((concept, context, unit), keys, role.id)
                problems = _check_sum(total, bound, role.id, slack, f"the {role.id} calculation", foots(unit))
                stranger = strangers.find(total, summation, role.id) if problems else None
                if problems and stranger is None:
                    # items bound from another table (a note's lines under the statement's total):
                    # a line of that table the tool did not read may be one of them
                    stranger = next((found for found in (strangers.unread_in(f) for f, _ in bound
                                                         if not strangers.same_table(f, total)) if found), None)
                if problems and stranger is None:
                    # an item the sum binds nothing for, where the table prints it on members only
                    # (share classes) or is a subtotal the table prints nothing of (a page of the
                    # statement that is not in the text): the document is not what is wrong
                    subtotals = {s.total for s in role.calc}
                    unprinted = [item for item, _ in items if (item, context, unit) not in groups
                                 and (item in subtotals or strangers.prints(total, item))]
                    if unprinted:
                        stranger = (total.source.line, f"{unprinted[0]} is not printed for {context.id}", None)
                if stranger is not None:
                    if (role.id, summation.total, summation.items[0][0]) not in unchecked:
                        unchecked += [(role.id, summation.total, item) for item, _ in summation.items]
                        found.append(_incomplete(total, summation, stranger))
                    continue
                found += problems
        unchecked += _prose_only_sums(role, facts, groups, blocked | set(unchecked), found)
        if role.dimensions is None:
            continue
        for axis_name, axis in role.dimensions.axes.items():
            if len(axis.members) < 2:
                continue
            for concept, context, unit in list(groups):
                if (concept, axis_name) not in on_axis or any(a == axis_name for a, _ in context.dimensions):
                    continue
                member_keys = [(concept, Context(period=context.period, dimensions=tuple(sorted(context.dimensions + ((axis_name, m),)))), unit)
                               for m in axis.members]
                if not all(key in groups for key in member_keys):
                    continue  # the report does not print every member: not a breakdown it shows
                done = (axis_name, concept, context, unit)
                if done in seen or not consistent[(concept, context, unit)] or not all(consistent[k] for k in member_keys):
                    continue
                seen.add(done)
                total, members = bind((concept, context, unit), [(key, 1) for key in member_keys], role.id)
                found += _check_sum(total, members, role.id, slack, f"the breakdown by {axis_name}", foots(unit))
    return found, unchecked


def _check_sum(total: Fact, items: list[tuple[Fact, int]], role: str, slack, what: str, foots: bool) -> list[Finding]:
    assert total.value is not None
    ok, computed, allowed = sum_meets(total.value, slack(total, role),
                                      [(w, f.value, slack(f, role)) for f, w in items if f.value is not None])
    if ok and not (foots and computed != total.value and _same_precision(total, items)):
        return []
    terms = " ".join(f"{'+' if w > 0 else '-'} {_label(f)} {_figure(f.value, total)} (line {f.source.line})"
                     for f, w in items if f.value is not None)
    terms = terms[2:] if terms.startswith("+ ") else terms
    if ok:  # within rounding, but a column of the books' own figures does not foot
        return [Finding(
            severity="warning", code="source.sumDoesNotFoot",
            message=(f"{_label(total)} prints {_figure(total.value, total)} ({total.concept}, {total.context.id}, {total.unit}) "
                     f"but {what} makes it {terms} = {_figure(computed, total)}: the {total.unit} column does not foot "
                     f"(off by {_figure(computed - total.value, total)}; within rounding, but figures in the currency "
                     "the books are kept in add up exactly where the issuer foots its tables)"),
            ref=total.source, facts=(total.id, *(f.id for f, _ in items)),
            refs=tuple(f.source for f, _ in items))]
    return [Finding(
        severity="warning", code="source.sumDisagrees",
        message=(f"{_label(total)} prints {_figure(total.value, total)} ({total.concept}, {total.context.id}, {total.unit}) "
                 f"but {what} makes it {terms} = {_figure(computed, total)}; the difference, "
                 f"{_figure(computed - total.value, total)}, is more than the printed figures' rounding allows "
                 f"({_figure(allowed, total, exact=True)})"),
        ref=total.source, facts=(total.id, *(f.id for f, _ in items)),
        refs=tuple(f.source for f, _ in items))]


def _same_precision(total: Fact, items: list[tuple[Fact, int]]) -> bool:
    """All printed to the same place (a total in thousands of lines in thousands)."""
    return all(f.decimals == total.decimals for f, _ in items)


def _label(fact: Fact) -> str:
    label = " ".join(fact.label.split()) or fact.concept
    return f"'{label[:60]}'"


def _figure(value: Decimal, like: Fact, exact: bool = False) -> str:
    """A value in the way `like` is printed (its scale, its places, negatives in parentheses)."""
    scaled = value / Decimal(10) ** like.scale
    places = max(0, int(like.decimals) + like.scale) if like.decimals not in (None, "INF") else 0
    if exact:
        places += 1
    text = f"{abs(scaled):,.{places}f}"
    return f"({text})" if value < 0 else text


# ---------------------------------------------------------------- lines the tool did not read


def _prose_only_sums(role, facts: list[Fact], tables: dict, blocked: set, found: list[Finding]) -> list[Arc]:
    """The role's sums whose total only the prose gives for a context (no table row of it was
    read there) while the report tags some of its items and not others (a table the tool could
    not read): Arelle would add up the items it has and blame the total. Not checked, and its
    arcs prohibited, with an info finding (appended to `found`)."""
    tagged: dict[tuple[str, Context, str], Fact] = {}
    for fact in facts:
        if fact.value is not None and fact.unit is not None:
            tagged.setdefault((fact.concept, fact.context, fact.unit), fact)
    arcs: list[Arc] = []
    for summation in role.calc:
        if (role.id, summation.total, summation.items[0][0]) in blocked:
            continue
        for (concept, context, unit), total in tagged.items():
            if concept != summation.total or not total.in_prose or (concept, context, unit) in tables:
                continue
            present = [item for item, _ in summation.items if (item, context, unit) in tagged]
            if not present or len(present) == len(summation.items):
                continue
            missing = next(item for item, _ in summation.items if (item, context, unit) not in tagged)
            arcs += [(role.id, summation.total, item) for item, _ in summation.items]
            found.append(_incomplete(total, summation, (total.source.line, f"{missing} is not read for {context.id}",
                                                        None)))
            break
    return arcs


def _incomplete(total: Fact, summation: Summation, stranger: tuple[int, str, bool | None]) -> Finding:
    """`stranger`: (line, label, read) of the line that makes the sum incomplete; read is None
    when no line gives one of its items (the report prints the total without it)."""
    line, label, read = stranger
    if read is None:
        why = f"{label}, so the sum lacks an item"
    else:
        why = (f"line {line} ('{label[:60]}') stands between its items and its total and was "
               + ("read as no part of the sum" if read else "not read"))
    return Finding(
        severity="info", code="table.incompleteSum",
        message=(f"the sum of {summation.total} at line {total.source.line} is not checked in this report: {why}"
                 "; the printed figures are not blamed for what the tool did not read"),
        ref=total.source)


class _Strangers:
    """The rows of the tables, to find a line between a sum's items and its total that the tool
    did not read as part of the sum."""

    def __init__(self, tables: Sequence[AnalysedTable], facts: list[Fact], taxonomy: Taxonomy):
        concepts_at: dict[tuple[int, int], set[str]] = {}
        for fact in facts:
            if not fact.in_prose:
                concepts_at.setdefault((fact.source.line, fact.source.column), set()).add(fact.concept)
        self.taxonomy = taxonomy
        self.table_of: dict[tuple[int, int], int] = {}
        self.rows: list[list[tuple[int, str, set[str]]]] = []  # per table: (line, label, concepts read)
        for table in tables:
            rows = []
            for row in table.rows:
                if not row.amounts and not row.unreadable:
                    continue
                if row.amounts and all(a.percent for a in row.amounts) and not row.unreadable:
                    continue  # a margin printed between the amounts ("Gross margin 15.6 %"): no part of a sum
                cells = [(a.ref.line, a.ref.column) for a in row.amounts]
                for cell in cells:
                    self.table_of[cell] = len(self.rows)
                rows.append((row.amounts[0].ref.line if row.amounts else row.line, row.label,
                             set().union(*(concepts_at.get(c, set()) for c in cells))))
            self.rows.append(rows)

    def same_table(self, a: Fact, b: Fact) -> bool:
        return self.table_of.get((a.source.line, a.source.column)) == self.table_of.get((b.source.line, b.source.column))

    def unread_in(self, fact: Fact) -> tuple[int, str, bool] | None:
        """(line, label, False) of the first row of the fact's table that the tool did not read."""
        where = self.table_of.get((fact.source.line, fact.source.column))
        if where is None:
            return None
        return next(((line, label, False) for line, label, concepts in self.rows[where] if not concepts), None)

    def prints(self, total: Fact, concept: str) -> bool:
        """Whether the total's table reads a cell as `concept` (on any members)."""
        where = self.table_of.get((total.source.line, total.source.column))
        return where is not None and any(concept in row[2] for row in self.rows[where])

    def find(self, total: Fact, summation: Summation, role_id: str) -> tuple[int, str, bool | None] | None:
        """(line, label, read) of the first row between the sum's first item and its total, in
        the total's table, that is no part of the sum: not read, or read as a monetary concept
        that is neither an item, an item's line, nor a subtotal of them."""
        where = self.table_of.get((total.source.line, total.source.column))
        if where is None:
            return None
        rows = self.rows[where]
        total_at = next((k for k, r in enumerate(rows) if r[0] == total.source.line and summation.total in r[2]), None)
        if total_at is None:
            return None
        sums = {s.total: s for role in self.taxonomy.roles if role.id == role_id for s in role.calc}
        closure = _closure(summation, sums)
        items = {item for item, _ in summation.items}
        in_table = set().union(*(r[2] for r in rows))
        missing = [item for item, _ in summation.items if item not in in_table]
        if missing and (in_table & _closure_of(missing, sums)):
            # an item the table does not print although it prints lines of it (operating expenses
            # line by line, no total): the sum binds nothing for it, so it cannot hold
            return total.source.line, f"{missing[0]} is not printed as a line of its own", None
        first = next((k for k in range(total_at) if rows[k][2] & items), None)
        if first is None:
            return None
        while first > 0 and not rows[first - 1][2]:
            first -= 1  # rows not read right above the first item ("Class A ordinary shares ...") may be items
        for line, label, concepts in rows[first:total_at]:
            if not concepts:
                return line, label, False
            if concepts & closure or not any(self.taxonomy.concepts[c].type == "monetary" for c in concepts):
                continue
            return line, label, True
        return None


def _closure_of(items: list[str], sums: dict[str, Summation]) -> set[str]:
    """The lines that make up the given subtotals (their items, and the items' items)."""
    found: set[str] = set()
    stack = list(items)
    while stack:
        inner = sums.get(stack.pop())
        if inner is not None:
            for item, _ in inner.items:
                if item not in found:
                    found.add(item)
                    stack.append(item)
    return found


def _closure(summation: Summation, sums: dict[str, Summation]) -> set[str]:
    """The items of a sum, their own items (a subtotal's lines), the subtotals made of them, and
    every sum's concepts of the same network the items belong to."""
    found = {summation.total} | {item for item, _ in summation.items}
    stack = list(found)
    while stack:
        inner = sums.get(stack.pop())
        if inner is not None:
            for item, _ in inner.items:
                if item not in found:
                    found.add(item)
                    stack.append(item)
    changed = True
    while changed:  # a subtotal of lines already in ("Total other income, net" of its lines)
        changed = False
        for total, inner in sums.items():
            if total not in found and all(item in found for item, _ in inner.items):
                found.add(total)
                changed = True
    return found

