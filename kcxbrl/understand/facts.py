"""Analysed table rows -> facts (concept, context, unit, decimals, sign).

Signs follow the concept, not the parentheses: a statement prints figures oriented to one
balance (income statements: credit, income positive; assets and cash: debit), so a figure of a
concept with the other balance is negated. Every fact keeps the file, line and column of the
figure it was read from.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from kcxbrl.dts import Concept, RowRule, TableKind, Taxonomy
from kcxbrl.errors import InputError
from kcxbrl.findings import Finding
from kcxbrl.read import Document
from kcxbrl.read import Heading, Paragraph, normalise_label
from kcxbrl.rounding import half_unit, sum_meets
from kcxbrl.understand.kinds import breakdown_of, label_orientation, match_row, prints_amount_to_subtract
from kcxbrl.understand.model import AnalysedTable, Amount, Column, Context, Fact, Period, TableRow
from kcxbrl.understand.realign import Unplaced
from kcxbrl.understand.tables import period_start


# ---------------------------------------------------------------- table facts


TableTagging = tuple[list[Fact], list[Finding], list[Unplaced]]


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
AS_PRINTED = "as printed"  # a table whose every figure carries its concept's own sign


def table_facts(table: AnalysedTable, kind: TableKind, taxonomy: Taxonomy, known: list[Fact]) -> TableTagging:
    facts, findings, unplaced = _table_facts_signed(table, kind, taxonomy, known)
    facts, unsure, scale = _shares_scaled(facts, table)
    if scale != 0:  # rows placed later by other figures count their shares the same way
        unplaced = [Unplaced(row=u.row, header=u.header, facts_for=partial(_rescaled, u.facts_for, scale))
                    for u in unplaced]
    return facts, findings + unsure, unplaced


def _rescaled(facts_for, scale: int | None, columns: tuple[Column, ...]) -> list[Fact]:
    """The facts of a row placed later, its share counts in the table's scale for them (None:
    not tagged, the scale unknown)."""
    facts = facts_for(columns)
    if scale is None:
        return [f for f in facts if f.unit != "shares"]
    return [_in_scale(f, scale) if f.unit == "shares" and f.value is not None and not f.scale else f for f in facts]


def _in_scale(fact: Fact, scale: int) -> Fact:
    return fact.model_copy(update={"value": fact.value * Decimal(10) ** scale, "scale": scale,  # type: ignore[operator]
                                   "decimals": str(_printed_decimals(fact.display) - scale)})


def _table_facts_signed(table: AnalysedTable, kind: TableKind, taxonomy: Taxonomy, known: list[Fact]) -> TableTagging:
    if kind.orientation != "evidence":
        if kind.orientation != "credit" or kind.instant:
            # only an income statement's costs are printed either way
            return _table_facts_oriented(table, kind, kind.orientation, taxonomy, by_sums=True)
        # (the table's convention is decided on the rows as the convention alone reads them:
        # the sums read row by row below would make either look consistent)
        declared = _table_facts_oriented(table, kind, kind.orientation, taxonomy)
        held, failed = _sums_in(declared[0], kind.role, taxonomy)
        if not held and not failed and _costs_all_printed_positive(declared[0], taxonomy):
            # no sum of the table can be checked: its costs and expenses, every one printed as
            # a positive amount, say how it prints them
            printed = _table_facts_oriented(table, kind, AS_PRINTED, taxonomy, by_sums=True)
            note = Finding(severity="info", code="table.signsAsPrinted",
                           message=("the table prints each figure with its concept's own sign (costs as positive "
                                    "amounts): no sum of it can be checked, and every cost and expense it prints "
                                    "is positive; signs are taken as printed"),
                           ref=table.ref)
            return printed[0], [note, *printed[1]], printed[2]
        if not failed:
            return _table_facts_oriented(table, kind, kind.orientation, taxonomy, by_sums=True)
        # The statement's own convention: many issuers print costs and expenses as positive
        # amounts to subtract ("Cost of revenue 60,250") where others print them negative. The
        # convention under which the table's own totals add up is the table's.
        printed = _table_facts_oriented(table, kind, AS_PRINTED, taxonomy)
        held_printed, failed_printed = _sums_in(printed[0], kind.role, taxonomy)
        if held_printed > held and failed_printed < failed:
            printed = _table_facts_oriented(table, kind, AS_PRINTED, taxonomy, by_sums=True)
            note = Finding(severity="info", code="table.signsAsPrinted",
                           message=(f"the table prints each figure with its concept's own sign (costs as positive "
                                    f"amounts): its totals add up that way ({held_printed} sums) and not with costs "
                                    f"negative ({failed} of {held + failed} fail); signs are taken as printed"),
                           ref=table.ref)
            return printed[0], [note, *printed[1]], printed[2]
        return _table_facts_oriented(table, kind, kind.orientation, taxonomy, by_sums=True)
    # The table's own sign convention: the one under which its figures agree with the same
    # facts printed before (a tax note printing the benefit as positive or as negative).
    seen = {(f.concept, f.context, f.unit): f.value for f in known}
    best = None
    for orientation in ("debit", "credit"):
        tagged = _table_facts_oriented(table, kind, orientation, taxonomy)
        agree = sum(1 for f in tagged[0] if seen.get((f.concept, f.context, f.unit)) == f.value)
        held, failed = _sums_in(tagged[0], kind.role, taxonomy)  # where nothing printed before says: its own sums
        if best is None or (agree, held - failed) > best[0]:
            best = ((agree, held - failed), tagged)
    assert best is not None
    return best[1]


def _costs_all_printed_positive(facts: list[Fact], taxonomy: Taxonomy) -> bool:
    """Under an income statement's declared convention (costs printed negative), every figure
    of a cost or expense (a debit concept) came out negative: each was printed positive, and
    there are at least two of them."""
    costs = [f.value for f in facts if f.value and taxonomy.concept(f.concept).balance == "debit"
             and not taxonomy.concept(f.concept).sign_as]
    return len(costs) >= 2 and all(v < 0 for v in costs)  # type: ignore[operator]


def _table_facts_oriented(table: AnalysedTable, kind: TableKind, table_orientation: str,
                          taxonomy: Taxonomy, *, by_sums: bool = False) -> TableTagging:
    """The table's facts under a sign convention; `by_sums`: with the signs of the rows between
    a printed figure and the total it leads to read off the sum they make (`_signs_by_sums`)."""
    findings: list[Finding] = []
    mapped: list[tuple[TableRow, RowRule]] = []
    rules = taxonomy.rules(kind)
    first_row = table.rows[0].label if table.rows else ""
    for index, row in enumerate(table.rows):
        if not row.amounts:
            continue  # a row whose cells could not be read (table.unreadableCell)
        breakdown = breakdown_of(taxonomy.breakdowns, row.section)
        if breakdown is not None:  # "X included in:": the rows are X on the axis, never the line items
            rule = breakdown.rule_for(normalise_label(row.label))
            if rule is None:
                findings.append(Finding(
                    severity="warning", code="mapping.unmappedRow",
                    message=(f"row '{row.label}' breaks down {breakdown.concept} (section '{row.section}') but no member "
                             f"of {breakdown.axis} fits its label; not tagged"), ref=row.amounts[0].ref))
                continue
            mapped.append((row, rule))
            continue
        percent = any(a.percent for a in row.amounts) or bool(row.columns and any(c.percent for c in row.columns))
        rule = match_row(rules, row.label, row.section, percent, first_row, index == len(table.rows) - 1)
        if rule is None:
            findings.append(Finding(severity="warning", code="mapping.unmappedRow",
                                    message=f"no concept for row '{row.label}' (section '{row.section}') in a {kind.kind} table; not tagged",
                                    ref=row.amounts[0].ref))
            continue
        mapped.append((row, rule))
    concepts = _resolve_alternatives(mapped, taxonomy, table.rows)

    def convention(row: TableRow, rule: RowRule) -> str:
        if kind.orientation == "evidence":  # the figures it shares with the statements say
            return rule.orientation or table_orientation
        if table_orientation == AS_PRINTED:
            return label_orientation(row.label) or AS_PRINTED
        return rule.orientation or label_orientation(row.label) or kind.orientation_for(row.section, row.outer)

    orientations = [convention(row, rule) for row, rule in mapped]
    settled = (_signs_by_sums(table, mapped, concepts, orientations, taxonomy) if by_sums else {})
    facts: list[Fact] = []
    unplaced: list[Unplaced] = []
    for (row, rule), concept_name, orientation in zip(mapped, concepts, orientations):
        # the statement's own sum says which way its figure counts
        orientation = settled.get(row.line, orientation)
        if row.columns is None:
            if table.columns and not row.unreadable:  # placed later, by the document's other figures (realign.py), or reported
                unplaced.append(Unplaced(row=row, header=table.columns, facts_for=partial(
                    _row_facts, row, rule, concept_name, orientation, table.scale, kind.role, taxonomy)))
            continue
        row_facts, problems = _row_facts_and_problems(row, row.columns, rule, concept_name, orientation, table.scale,
                                                      kind.role, taxonomy)
        facts += row_facts
        findings += problems
    return facts, findings, unplaced


def _signs_by_sums(table: AnalysedTable, mapped: list[tuple[TableRow, RowRule]], concepts: list[str],
                   orientations: list[str], taxonomy: Taxonomy) -> dict[int, str]:
    """The orientation of each row whose sign the statement's own sums settle: a run of rows
    from a printed figure S to the total T it leads to (a sum of the taxonomy: S an item of
    weight +1, the rows between its other items, T its total; or, where the table prints no
    such total, the first row of a concept that totals nothing, as "Net loss attributable to
    ordinary shareholders" after the non-controlling interests' shares and an adjustment).
    Every column is tried both ways: the rows between as amounts to add to S (T = S + the
    printed figures: "Foreign currency exchange gain (403)" printed as a charge under income
    printed positive is not) or as amounts to take from it (T = S - the printed figures: costs
    and charges printed positive, "Net loss attributable to non-controlling interest 16,829"
    added back). Only a reading under which some column adds up and no column adds up the
    other way decides; a row's figure is then its concept's value of its weight in the sum
    ("Less: X" is X as printed, taken away, either way), S and T printed with the sign the
    table's convention gives them (costs printed negative under income printed positive: the
    operating expenses' items add up to their total as printed, each a cost). Rows outside such
    runs keep the table's convention."""
    rows = [row for row in table.rows if row.amounts or row.unreadable]
    concept_of: dict[int, str | None] = {row.line: None for row in rows}
    printed_sign: dict[int, int] = {}  # value = sign x printed figure, by the table's convention
    for (row, rule), name, orientation in zip(mapped, concepts, orientations):
        concept_of[row.line] = None if rule.members or not name else name
        if not name:
            continue
        concept = taxonomy.concept(name)
        balance = concept.sign_as or concept.balance
        flip = (balance is not None and orientation != AS_PRINTED and not prints_amount_to_subtract(row.label)
                and balance != orientation)
        printed_sign[row.line] = -1 if flip else 1
    dimensional = {row.line for row, rule in mapped if rule.members}
    totals = {s.total for role in taxonomy.roles for s in role.calc}
    decided: dict[int, str] = {}
    dropped: set[int] = set()
    for role in taxonomy.roles:
        for summation in role.calc:
            weights = dict(summation.items)
            for start, row in enumerate(rows):
                if weights.get(concept_of[row.line] or "") != 1:
                    continue
                run = _run_to_total(rows[start + 1:], concept_of, dimensional, summation.total, weights, totals)
                if run is None:
                    continue
                items, total = run
                sign = printed_sign[row.line]
                if printed_sign.get(total.line) != sign:
                    continue  # S and T printed one as its value, the other negated: no sum to read
                reading = _reading(row, items, total)
                if reading is None:
                    continue
                for item in items:
                    name = concept_of[item.line]
                    if name is None or prints_amount_to_subtract(item.label):
                        continue
                    concept = taxonomy.concept(name)
                    balance = concept.sign_as or concept.balance
                    if balance is None:
                        continue
                    # its value is weight x sign x printed (added) or -weight x sign x printed (taken away)
                    keep = weights[name] * sign * (1 if reading == "added" else -1) == 1
                    orientation = balance if keep else ("credit" if balance == "debit" else "debit")
                    if decided.get(item.line, orientation) != orientation:
                        dropped.add(item.line)
                    decided[item.line] = orientation
    return {line: o for line, o in decided.items() if line not in dropped}


def _run_to_total(rows: list[TableRow], concept_of: dict[int, str | None], dimensional: set[int], total: str,
                  weights: dict[str, int], totals: set[str]) -> tuple[list[TableRow], TableRow] | None:
    """The rows after a sum's item S up to its total T, or None when another line stands in
    between (a row of another concept, a row on members, a row not read)."""
    prints_total = any(concept_of[r.line] == total for r in rows)
    items: list[TableRow] = []
    for row in rows:
        name = concept_of[row.line]
        if row.line in dimensional or not row.amounts or row.unreadable:
            return None  # (a row with a cell it could not read: its figures are not all there)
        if name is None and all(a.percent for a in row.amounts):
            continue  # a margin between the amounts ("Operating margin 4.1 %"): no part of any sum
        if name == total:
            return (items, row) if items else None
        if name is None or (name in weights and weights[name] != 0):
            items.append(row)
            continue
        if not prints_total and name not in totals and any(concept_of[r.line] for r in items):
            return items, row
        return None
    return None


def _reading(start: TableRow, items: list[TableRow], total: TableRow) -> str | None:
    """"added" or "subtracted": how the items' printed figures lead from S to T in every
    column where one way adds up and the other does not; None when no column tells or the
    columns disagree."""
    ways: set[str] = set()
    figures = [_by_column(row) for row in items]
    for column, end in _by_column(total).items():
        first = _by_column(start).get(column)
        printed = [f.get(column) for f in figures]
        if first is None or any(p is None for p in printed):
            continue
        holds = {}
        for way, sign in (("added", 1), ("subtracted", -1)):
            terms = [(1, first.value or Decimal(0), half_unit(first.decimals))]
            terms += [(-1 if prints_amount_to_subtract(row.label) else sign, p.value or Decimal(0), half_unit(p.decimals))
                      for row, p in zip(items, printed)]  # type: ignore[union-attr]
            holds[way] = sum_meets(end.value or Decimal(0), half_unit(end.decimals), terms)[0]
        if holds["added"] != holds["subtracted"]:
            ways.add("added" if holds["added"] else "subtracted")
    return ways.pop() if len(ways) == 1 else None


_EXCEPT = re.compile(r"\bexcept\b([^)]*)", re.IGNORECASE)
_SHARES_WORD = re.compile(r"(\bper )?\b(shares?|adss?)\b", re.IGNORECASE)
_NET_INCOME = ("NetIncomeLossAvailableToCommonStockholdersBasic", "NetIncomeLoss", "ProfitLoss")
_PER_SHARE_OF = {"WeightedAverageNumberOfSharesOutstandingBasic": "EarningsPerShareBasic",
                 "WeightedAverageNumberOfDilutedSharesOutstanding": "EarningsPerShareDiluted",
                 "WeightedAverageNumberOfAdsOutstandingBasic": "EarningsPerAdsBasic",
                 "WeightedAverageNumberOfAdsOutstandingDiluted": "EarningsPerAdsDiluted"}


def _shares_scaled(facts: list[Fact], table: AnalysedTable) -> tuple[list[Fact], list[Finding], int | None]:
    """Numbers of shares in the table's scale or as printed. "(in thousands, except per share
    amounts)" prints shares in thousands, "(in thousands, except share and per share data)" as
    they are. The statement's own figures decide first: the scale under which its net income
    divided by its weighted average shares gives the earnings per share it prints (27,562
    shares for net income of 18,039 thousand and EPS 0.65: thousands of shares); else the
    caption or header where it states the scale. A table whose scale nothing states (the
    issuer's default) leaves its share counts untagged (table.sharesScale): 27,562 could be
    either."""
    shares = [f for f in facts if f.unit == "shares" and f.value is not None and not f.scale]
    if not table.scale:
        return facts, [], 0
    if not shares:
        return facts, [], _shares_scale_by_caption(table)
    scale = _shares_scale_by_eps(facts, shares, table.scale)
    if scale is None and any(abs(f.value) >= 10 ** 9 for f in shares):  # type: ignore[arg-type]
        scale = 0  # 3,558,354,940 thousand shares would be more than any company has issued
    if scale is None:
        scale = _shares_scale_by_caption(table)
        if scale is None:
            ids = {f.id for f in shares}
            lines = sorted({f.source.line for f in shares})
            return [f for f in facts if f.id not in ids], [Finding(
                severity="warning", code="table.sharesScale",
                message=(f"the numbers of shares at line{'s' if len(lines) > 1 else ''} "
                         f"{', '.join(map(str, lines))} stand in a table whose scale no caption states, and no "
                         "earnings per share it prints tells whether they are in units or in thousands; not tagged"),
                ref=shares[0].source)], None
    if not scale:
        return facts, [], 0
    ids = {f.id for f in shares}
    return [_in_scale(f, scale) if f.id in ids else f for f in facts], [], scale


def _shares_scale_by_caption(table: AnalysedTable) -> int | None:
    """The table's scale, or 0 where the caption excepts shares ("except share and per share
    data", not "except per share amounts"); None when no caption or header states a scale."""
    stated = " ".join([table.title, *(c.header for c in table.columns)])
    if not re.search(r"in (thousands|millions)|'000", stated, re.IGNORECASE):
        return None
    excepted = _EXCEPT.search(stated)
    names_shares = bool(excepted and any(not m.group(1) for m in _SHARES_WORD.finditer(excepted.group(1))))
    return 0 if names_shares else table.scale


def _printed_decimals(display: str) -> int:
    return len(display.split(".", 1)[1]) if "." in display else 0


def _shares_scale_by_eps(facts: list[Fact], shares: list[Fact], scale: int) -> int | None:
    """0 or `scale`: the one under which net income / shares = the printed earnings per share
    in every period that prints all three (and the other in none); None when nothing tells."""
    by_key = {(f.concept, f.context.id, f.unit): f for f in facts if f.value is not None}
    fits: dict[int, int] = {0: 0, scale: 0}
    for count in shares:
        eps_concept = _PER_SHARE_OF.get(count.concept)
        if eps_concept is None or not count.value:
            continue
        for eps in (f for f in facts if f.concept == eps_concept and f.context == count.context and f.value is not None):
            currency = (eps.unit or "").removesuffix("_per_share")
            income = next((by_key[(c, count.context.id, currency)] for c in _NET_INCOME
                           if (c, count.context.id, currency) in by_key), None)
            if income is None or income.value is None:
                continue
            slack = half_unit(eps.decimals) * 3 + abs(eps.value) / 200  # type: ignore[arg-type]
            for candidate in fits:
                if abs(income.value / (count.value * Decimal(10) ** candidate) - eps.value) <= slack:  # type: ignore[operator]
                    fits[candidate] += 1
    held = [candidate for candidate, n in fits.items() if n]
    return held[0] if len(held) == 1 else None


def _row_facts_and_problems(row: TableRow, columns: tuple[Column, ...], rule: RowRule, concept_name: str | None,
                            orientation: str, scale: int, role: str, taxonomy: Taxonomy) -> tuple[list[Fact], list[Finding]]:
    """The row's facts, column by column: its concept's, then each concept it is tagged with too
    (`also`, ids suffixed -2, -3 ...)."""
    facts: list[Fact] = []
    problems: list[Finding] = []
    printed = tuple(sorted({c.end for c in columns}))  # the dates the header prints: a 52/53-week period's start
    for amount, column in zip(row.amounts, columns):
        if not column.known:
            continue  # a named column no rule knows: said once for the table (table.unknownColumn)
        names = [column.measure] if column.measure else [concept_name or "", *rule.also]
        for k, name in enumerate(names):
            concept = taxonomy.concept(name)
            balance = concept.sign_as or concept.balance
            # "Less: X 602" prints X's own figure for the reader to take away; "Less: treasury stock
            # (144,321)" prints it taken away already, in the table's convention like any row
            as_printed = prints_amount_to_subtract(row.label) and not (amount.value is not None and amount.value < 0)
            flip = (balance is not None and orientation != AS_PRINTED and not as_printed and balance != orientation)
            fact, problem = _fact(amount, column, concept, rule, flip, scale, row.label, role, printed)
            if fact and k:
                fact = fact.model_copy(update={"id": f"{fact.id}-{k + 1}"})
            if fact:
                facts.append(fact)
            if problem and not k:
                problems.append(problem)
    return facts, problems


def _row_facts(row: TableRow, rule: RowRule, concept_name: str | None, orientation: str, scale: int, role: str,
               taxonomy: Taxonomy, columns: tuple[Column, ...]) -> list[Fact]:
    return _row_facts_and_problems(row, columns, rule, concept_name, orientation, scale, role, taxonomy)[0]


def _resolve_alternatives(mapped: list[tuple[TableRow, RowRule]], taxonomy: Taxonomy,
                          rows: tuple[TableRow, ...] = ()) -> list[str]:
    """Pick between a rule's concept and its alternative by which one's printed sum holds
    (e.g. a net change in cash with or without the exchange-rate effect). An alternative that
    totals no sum of the taxonomy is taken when the concept's sum, printed in full, fails both
    ways its items can be printed, or a line of figures that is none of its items stands between
    the row and the sum's first item ("Net loss attributable to ordinary shareholders" after an
    adjustment or preferred dividends below the net loss is not the parent's net loss)."""
    printed: dict[str, TableRow] = {rule.concept: row for row, rule in mapped if not rule.members}
    concept_at = {row.line: rule.concept for row, rule in mapped}
    totals = {s.total for role in taxonomy.roles for s in role.calc}
    chosen = []
    for row, rule in mapped:
        name = rule.concept
        if rule.alternative and not _sum_holds(rule.concept, row, printed, taxonomy) and (
            _sum_holds(rule.alternative, row, printed, taxonomy)
            or (rule.alternative not in totals and (
                _sum_fails_both_ways(rule.concept, row, printed, taxonomy)
                or _other_line_between(rule.concept, row, printed, rows, concept_at, taxonomy)))
        ):
            name = rule.alternative
        below = [printed[total] for total in rule.above if total in printed]
        if below and below[0].line > row.line:
            name = rule.above[concept_at[below[0].line]]
        chosen.append(name)
    return chosen


def _other_line_between(total: str, row: TableRow, printed: dict[str, TableRow], rows: tuple[TableRow, ...],
                        concept_at: dict[int, str | None], taxonomy: Taxonomy) -> bool:
    """Whether a line with figures that is none of the sum's items stands between the row and
    the nearest printed item of weight +1 above it (net loss)."""
    for role in taxonomy.roles:
        for summation in role.calc:
            if summation.total != total:
                continue
            items = dict(summation.items)
            starts = [printed[c].line for c, w in items.items() if w == 1 and c in printed and printed[c].line < row.line]
            if not starts:
                return False
            between = [r for r in rows if max(starts) < r.line < row.line and (r.amounts or r.unreadable)]
            return any(concept_at.get(r.line) not in items for r in between)
    return False


def _sum_fails_both_ways(total: str, row: TableRow, printed: dict[str, TableRow], taxonomy: Taxonomy) -> bool:
    """Whether the row's figures are, in some column, neither S + the other items' printed
    figures nor S - them (S: the sum's items of weight +1), with every item of the sum the table
    prints having a figure there."""
    for role in taxonomy.roles:
        for summation in role.calc:
            if summation.total != total:
                continue
            items = [(item, weight) for item, weight in summation.items if item in printed]
            if not any(w == 1 for _, w in items) or not any(w != 1 for _, w in items):
                return False
            for column, amount in _by_column(row).items():
                figures = [(_by_column(printed[item]).get(column), weight) for item, weight in items]
                if any(a is None for a, _ in figures):
                    continue
                base = sum((a.value or 0 for a, w in figures if w == 1), Decimal(0))  # type: ignore[union-attr]
                rest = sum((a.value or 0 for a, w in figures if w != 1), Decimal(0))  # type: ignore[union-attr]
                value = amount.value or 0
                if abs(base + rest - value) > len(items) and abs(base - rest - value) > len(items):
                    return True
            return False
    return False


def _sums_in(facts: list[Fact], role_id: str, taxonomy: Taxonomy) -> tuple[int, int]:
    """(held, failed): the role's calculations over one table's facts, per context and unit,
    where the total and at least two of its items are printed, within their rounding."""
    values = {(f.concept, f.context, f.unit): f for f in facts if f.value is not None}
    held = failed = 0
    for role in taxonomy.roles:
        if role.id != role_id:
            continue
        for summation in role.calc:
            for (concept, context, unit), total in values.items():
                if concept != summation.total:
                    continue
                items = [(weight, values[(item, context, unit)]) for item, weight in summation.items
                         if (item, context, unit) in values]
                if len(items) < 2:
                    continue
                ok = sum_meets(total.value, half_unit(total.decimals),  # type: ignore[arg-type]
                               [(w, f.value, half_unit(f.decimals)) for w, f in items])[0]
                held, failed = (held + 1, failed) if ok else (held, failed + 1)
    return held, failed


def _sum_holds(total: str, row: TableRow, printed: dict[str, TableRow], taxonomy: Taxonomy) -> bool:
    """Whether the row's figures are the sum of the printed items', column by column (by the
    columns the rows were placed in; by position where a row has none)."""
    for role in taxonomy.roles:
        for summation in role.calc:
            if summation.total != total:
                continue
            items = [(item, weight) for item, weight in summation.items if item in printed]
            if not items:
                return False  # an item the table does not print counts as nothing (Calculations 1.1)
            figures = _by_column(row)
            compared = 0
            for column, amount in figures.items():
                item_amounts = [(_by_column(printed[item]).get(column), weight) for item, weight in items]
                if any(a is None for a, _ in item_amounts):
                    continue  # a column the items do not print (a header that lost it)
                expected = sum((weight * (a.value or 0) for a, weight in item_amounts), Decimal(0))
                if abs(expected - (amount.value or 0)) > len(items):
                    return False
                compared += 1
            return compared > 0
    return False


def _by_column(row: TableRow) -> dict[object, Amount]:
    if row.columns is not None:
        return {(c.end, c.months, c.currency): a for a, c in zip(row.amounts, row.columns)}
    return dict(enumerate(row.amounts))


def _fact(amount: Amount, column: Column, concept: Concept, rule: RowRule, flip: bool, scale: int,
          label: str, role: str, printed: tuple[date, ...] = ()) -> tuple[Fact | None, Finding | None]:
    if amount.footnote_mark:
        return None, Finding(severity="info", code="table.footnoteMark",
                             message=f"'{label[:60]}' prints the mark '{amount.text}' ({column.reading()}) where a "
                                     "figure would stand (its footnote says why); not tagged",
                             ref=amount.ref)
    period = _period(column, concept, rule, printed)
    if period is None:
        return None, Finding(severity="error", code="mapping.periodType",
                             message=f"{concept.name} is a {concept.period} concept but its column is "
                                     f"{'an instant' if column.months is None else 'a duration'}",
                             ref=amount.ref)
    unit, fact_scale, decimals = _unit_scale_decimals(concept, column, amount, scale)
    if unit is None:
        return None, Finding(severity="warning", code="mapping.noCurrency",
                             message=f"no currency for the column of '{label}' ({column.header[:60]}); not tagged",
                             ref=amount.ref)
    value = None if amount.value is None else (-amount.value if flip else amount.value)
    if value is None:
        value = Decimal(0)  # a dash in a statement is a zero
    context = Context(period=period, dimensions=tuple(sorted({**dict(column.members), **rule.members}.items())))
    shown = _DIGITS.search(amount.text)  # the digits alone: signs, parentheses, "$" stay outside the tag
    digits = shown.group() if shown else amount.text.strip()
    fmt = "ixt:fixed-zero" if amount.value is None else "ixt:num-dot-decimal"
    return Fact(
        id=f"f-{amount.ref.line}-{amount.ref.column}", concept=concept.name, context=context, unit=unit,
        value=value * Decimal(10) ** fact_scale if fact_scale else value, decimals=decimals, scale=fact_scale,
        display=digits if amount.value is not None else amount.text.strip(), format=fmt, source=amount.ref, label=label,
        role=role,
    ), None


def _period(column: Column, concept: Concept, rule: RowRule, printed: tuple[date, ...] = ()) -> Period | None:
    if column.months is None:  # instant column
        return Period(end=column.end) if concept.period == "instant" else None
    start = period_start(column.end, column.months, printed)
    if concept.period == "duration":
        return Period(start=start, end=column.end)
    if rule.instant == "start":
        return Period(end=start - timedelta(days=1))
    if rule.instant == "end":
        return Period(end=column.end)
    return None


def _unit_scale_decimals(concept: Concept, column: Column, amount: Amount, scale: int) -> tuple[str | None, int, str]:
    printed = amount.decimals
    if concept.type == "monetary":
        return (column.currency, scale, str(printed - scale)) if column.currency else (None, 0, "")
    if concept.type == "perShare":
        return (f"{column.currency}_per_share", 0, str(printed)) if column.currency else (None, 0, "")
    if concept.type == "shares":
        return "shares", 0, "INF"
    if concept.type in ("pure", "percent"):
        return ("pure", -2, str(printed + 2)) if amount.percent or column.percent else ("pure", 0, str(printed))
    return "pure", 0, str(printed)


# ---------------------------------------------------------------- reporting period


def reporting_period(facts: list[Fact], document: Document, fiscal_year_end: tuple[int, int] = (12, 31)) -> Period:
    """The period the document reports on: the latest end date, and the shortest duration
    ending then (a quarter in a press release that also shows the half year). A document
    that prints only instants (a balance sheet alone) reports on the period its words name
    ("for the six months ended June 30, 2025"), else on the fiscal year to its latest instant."""
    durations = [f.context.period for f in facts if not f.context.period.is_instant]
    if durations:
        end = max(p.end for p in durations)
        start = max(p.start for p in durations if p.end == end and p.start)
        return Period(start=start, end=end)
    instants = [f.context.period.end for f in facts if f.context.period.is_instant]
    if not instants:
        raise InputError(document.file, None, "no reporting period found: no figure is of a period or an instant")
    end = max(instants)
    months = _stated_months(document, end)
    if months:
        return Period(start=period_start(end, months), end=end)
    month, day = fiscal_year_end
    year_end = date(end.year, month, min(day, calendar.monthrange(end.year, month)[1]))
    if year_end >= end:
        year_end = date(end.year - 1, month, min(day, calendar.monthrange(end.year - 1, month)[1]))
    return Period(start=year_end + timedelta(days=1), end=end)


_MONTH_NAMES = "january|february|march|april|may|june|july|august|september|october|november|december"
_PERIOD_ENDED = re.compile(rf"\b(three|six|nine|twelve)[- ]months?\s+ended\s+({_MONTH_NAMES})\s+(\d{{1,2}}),?\s+(\d{{4}})"
                           rf"|\b(quarter|half[- ]year|(?:fiscal\s+)?year)\s+ended\s+({_MONTH_NAMES})\s+(\d{{1,2}}),?\s+(\d{{4}})",
                           re.IGNORECASE)
_MONTHS_OF = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "quarter": 3, "half-year": 6, "half year": 6, "year": 12,
              "fiscal year": 12}


def _stated_months(document: Document, end: date) -> int | None:
    """The length of the period the text says ends at `end` ("six months ended June 30, 2025")."""
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            for m in _PERIOD_ENDED.finditer(block.text):
                words = (m.group(1) or m.group(5)).lower()
                month, day, year = (m.group(2), m.group(3), m.group(4)) if m.group(1) else (m.group(6), m.group(7), m.group(8))
                stated = date(int(year), _MONTH_NAMES.split("|").index(month.lower()) + 1, int(day))
                if stated == end:
                    return _MONTHS_OF.get(" ".join(words.split()), 12)
    return None
