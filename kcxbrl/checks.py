"""Checks of the announcement's own figures (issue 4). Every finding is a `source.*` Finding that
names the file and line(s), the figures involved and what they should satisfy.

Each printed figure stands for an interval: the figure plus or minus half a unit of its last
printed place (1,468 thousand: [1,467.5, 1,468.5] thousand; "RMB1.4 million": [1.35, 1.45]
million); an exact figure (a share count, `INF`) stands for itself.

Translation (`source.translation`): every US$ figure against its RMB figure of the same concept,
period and dimensions at the document's stated convenience rate. The tolerance follows from the
printed rounding of both figures, plus one unit of the US$ figure's last place (issuers translate
before rounding, and routinely land one unit away); a total's US$ figure is often the sum of
rounded US$ lines, so a total may be off by another half unit per line it sums. What is reported
is therefore a figure that no rounding explains, such as a translation copied from the wrong cell.

Sums (`source.sumDisagrees`), Calculations 1.1 semantics on the table figures (prose excluded):
every summation of the taxonomy (`Role.calc`, with its weights, less the arcs this report's
statements do not print: `package.unprinted_calc_arcs`, the same prohibitions the report's entry
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

The same figure printed in several places (`source.figureDisagrees`): every fact with the same
concept, context and unit (highlights, statements, notes, prose) is compared with the most
precise one (the first printed of those, a table's before the text's) after rounding both to
the lower precision of the two ("RMB1.4 million" against 1,468 thousand, which is 1.5 million).

Comparatives across documents (`source.comparativeDiffers`, warning): the same concept, period,
dimensions and unit reported by two announcements, each represented by its most precise table
figure (the text's figure where no table prints it), compared at the lower precision of the
two: a restatement or an error, either way the reader should know. A US$ figure whose RMB
figures agree in both documents differs only because each document translates at its own
convenience rate (`source.comparativeAtOtherRate`, info: listed, not an error).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable

from kcxbrl.models import Context, Fact, Finding, SourceRef
from kcxbrl.taxonomy_model import Taxonomy

USD_UNITS = ("USD", "USD_per_share")
CURRENCY_UNITS = ("CNY", "USD")
_EXACT = 10**6  # precision of an exact (INF) figure, for "the lower precision of the two"


# ---------------------------------------------------------------- precision


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


# ---------------------------------------------------------------- translation


def translation_findings(facts: tuple[Fact, ...] | list[Fact], rate: Decimal | None, taxonomy: Taxonomy) -> list[Finding]:
    if rate is None:
        return []
    lines_summed: dict[str, int] = {}
    for role in taxonomy.roles:
        for summation in role.calc:
            lines_summed[summation.total] = max(lines_summed.get(summation.total, 0), len(summation.items))
    rmb: dict[tuple, Fact] = {}
    for fact in facts:
        if fact.unit in ("CNY", "CNY_per_share") and fact.value is not None:
            rmb.setdefault((fact.concept, fact.context, fact.unit.replace("CNY", "USD")), fact)
    found: list[Finding] = []
    seen: set[tuple] = set()
    for fact in facts:
        if fact.unit not in USD_UNITS or fact.value is None or fact.id.startswith("p-"):
            continue
        key = (fact.concept, fact.context, fact.unit)
        twin = rmb.get(key)
        if twin is None or key in seen:
            continue
        usd_half = _half_unit(fact)
        tolerance = usd_half * (3 + lines_summed.get(fact.concept, 0)) * rate + _half_unit(twin)
        expected = twin.value / rate
        if abs(fact.value * rate - twin.value) > tolerance:
            seen.add(key)
            found.append(Finding(
                severity="warning", code="source.translation",
                message=(f"US${fact.display} ({fact.concept}, {fact.context.id}) does not translate RMB{twin.display} "
                         f"(line {twin.source.line}) at RMB{rate} per US$1.00: expected about US${_shown(abs(expected), fact)}"),
                ref=fact.source, facts=(fact.id, twin.id), refs=(twin.source,)))
    return found


def _half_unit(fact: Fact) -> Decimal:
    return half_unit(fact.decimals)


def _shown(value: Decimal, like: Fact) -> str:
    scaled = value / Decimal(10) ** like.scale
    places = max(0, int(like.decimals) + like.scale) if like.decimals not in (None, "INF") else 0
    return f"{scaled:,.{places}f}"


# ---------------------------------------------------------------- the same figure printed twice


def figure_disagreements(facts: Iterable[Fact]) -> list[Finding]:
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
        _, reference = min(printings, key=lambda p: (-precision(p[1].decimals), _is_prose(p[1]), p[0]))
        assert reference.value is not None
        for _, fact in printings:
            assert fact.value is not None
            if fact is reference or agree(fact.value, fact.decimals, reference.value, reference.decimals):
                continue
            d = min(precision(fact.decimals), precision(reference.decimals))
            at_precision = rounded(reference.value, d)
            if _is_prose(fact):
                subject, whose = "the text prints", "the text's"
            else:
                subject, whose = f"the table at line {fact.source.line} prints", "this figure's"
            other = "the text" if _is_prose(reference) else "the table"
            found.append(Finding(
                severity="warning", code="source.figureDisagrees",
                message=(f"{subject} {fact.display} ({fact.concept}, {fact.context.id}, {fact.unit}) but {other} at "
                         f"line {reference.source.line} prints {reference.display}, which is {_plain(at_precision, fact.scale)} at "
                         f"{whose} precision; both are tagged as printed"),
                ref=fact.source, facts=(fact.id, reference.id), refs=(reference.source,)))
    return found


def _is_prose(fact: Fact) -> bool:
    return fact.id.startswith("p-")


def _plain(value: Decimal, scale: int) -> str:
    return f"{(value / Decimal(10) ** scale).normalize():f}"


# ---------------------------------------------------------------- sums


def sum_findings(facts: Iterable[Fact], taxonomy: Taxonomy, rate: Decimal | None = None,
                 prohibited: Iterable[tuple[str, str, str]] = ()) -> list[Finding]:
    """Every calculation and dimensional breakdown evaluated on the table figures (see the
    module docstring for the rules). `prohibited`: (role id, total, item) arcs this report's
    entry schema prohibits (`package.unprinted_calc_arcs`)."""
    blocked = set(prohibited)
    groups: dict[tuple[str, Context, str], list[Fact]] = {}
    for fact in facts:
        if _is_prose(fact) or fact.value is None or fact.unit is None:
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
    for role in taxonomy.roles:
        for summation in role.calc:
            items = [(item, weight) for item, weight in summation.items if (role.id, summation.total, item) not in blocked]
            for concept, context, unit in list(groups):
                if concept != summation.total:
                    continue
                keys = [((item, context, unit), weight) for item, weight in items if (item, context, unit) in groups]
                if not consistent[(concept, context, unit)] or not keys or any(not consistent[key] for key, _ in keys):
                    continue
                total, bound = bind((concept, context, unit), keys, role.id)
                found += _check_sum(total, bound, role.id, slack, f"the {role.id} calculation", foots(unit))
        if role.dimensions is None:
            continue
        for axis_name, axis in role.dimensions.axes.items():
            if len(axis.members) < 2:
                continue
            for concept, context, unit in list(groups):
                if any(a == axis_name for a, _ in context.dimensions):
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
    return found


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


# ---------------------------------------------------------------- across documents


@dataclass(frozen=True)
class ReportedFact:
    """A numeric fact of a built report (its xBRL-JSON) with where the announcement prints it."""

    document: str  # the report's name, e.g. kc-2025-annual-results
    id: str
    concept: str
    period: str  # "2024-01-01/2024-12-31" or "@2024-12-31" (inclusive dates)
    dimensions: tuple[tuple[str, str], ...]
    unit: str  # CNY, USD, CNY/shares, shares, pure
    value: Decimal
    decimals: int | None  # None: exact
    file: str
    line: int
    column: int
    label: str = ""
    display: str = ""

    @property
    def ref(self) -> SourceRef:
        return SourceRef(file=self.file, line=self.line, column=self.column)

    @property
    def prose(self) -> bool:
        return self.id.startswith("p-")


def sources_json(facts: Iterable[Fact]) -> str:
    """output/NAME/sources.json: fact id -> where the announcement prints it."""
    data = {f.id: {"file": f.source.file, "line": f.source.line, "column": f.source.column, "label": f.label,
                   "display": f.display} for f in facts}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_ID_PLACE = re.compile(r"^[a-z]+-(\d+)-(\d+)$")


def reported_facts(name: str, oim: dict, sources: dict | None) -> list[ReportedFact]:
    """The numeric facts of an xBRL-JSON report. Where sources.json is missing, the line and
    column come from the fact ids (f-LINE-COLUMN, p-LINE-COLUMN) and the file is NAME.txt."""
    found = []
    for fact_id, fact in oim.get("facts", {}).items():
        dims = fact.get("dimensions", {})
        if sources is not None:
            source = sources.get(fact_id)  # the numeric facts kcxbrl read from the text
        else:
            m = _ID_PLACE.match(fact_id)
            source = m and {"file": f"{name}.txt", "line": int(m.group(1)), "column": int(m.group(2))}
        if not source or not _numeric(fact.get("value")):
            continue  # cover facts, nil figures
        decimals = fact.get("decimals")
        found.append(ReportedFact(
            document=name, id=fact_id, concept=_local(dims["concept"]), period=_period(dims["period"]),
            dimensions=tuple(sorted((_local(k), _local(v)) for k, v in dims.items() if ":" in k)),
            unit=_unit(dims.get("unit")), value=Decimal(str(fact["value"])),
            decimals=None if decimals in (None, "INF") else int(decimals),
            file=source["file"], line=int(source["line"]), column=int(source.get("column", 1)),
            label=source.get("label", ""), display=source.get("display", "")))
    return sorted(found, key=lambda f: (f.line, f.column, f.id))


def load_report(folder: Path) -> list[ReportedFact]:
    """A built report folder (output/NAME/): its NAME.json and sources.json."""
    name = folder.name
    oim = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    sources_path = folder / "sources.json"
    sources = json.loads(sources_path.read_text(encoding="utf-8")) if sources_path.exists() else None
    return reported_facts(name, oim, sources)


def comparative_findings(reports: dict[str, list[ReportedFact]]) -> tuple[list[Finding], int]:
    """Every figure two announcements both report (same concept, period, dimensions and unit),
    compared at the lower precision of the two; returns the findings and the number of
    comparisons made."""
    chosen: dict[tuple, dict[str, ReportedFact]] = {}
    for name in sorted(reports):
        for fact in reports[name]:
            key = (fact.concept, fact.period, fact.dimensions, fact.unit)
            current = chosen.setdefault(key, {}).get(name)
            if current is None or _preference(fact) < _preference(current):
                chosen[key][name] = fact
    found: list[Finding] = []
    compared = 0
    for key in sorted(chosen, key=lambda k: (k[1], k[0], k[2], k[3])):
        by_document = chosen[key]
        names = sorted(by_document)
        for i, first_name in enumerate(names):
            for second_name in names[i + 1:]:
                a, b = by_document[first_name], by_document[second_name]
                compared += 1
                if agree(a.value, a.decimals, b.value, b.decimals):
                    continue
                found.append(_comparative(a, b, chosen))
    return sorted(found, key=_finding_order), compared


def _preference(fact: ReportedFact) -> tuple:
    return (fact.prose, -precision(fact.decimals), fact.line, fact.column)


def _comparative(a: ReportedFact, b: ReportedFact, chosen: dict[tuple, dict[str, ReportedFact]]) -> Finding:
    d = min(precision(a.decimals), precision(b.decimals))
    what = f"{a.concept}{''.join(f' [{m}]' for _, m in a.dimensions)} for {_period_words(a.period)} ({a.unit})"
    figures = f"{b.file} line {b.line} prints {_reported(b)} but {a.file} line {a.line} prints {_reported(a)}"
    if a.decimals != b.decimals:
        figures += f" ({_plain_number(rounded(b.value, d))} against {_plain_number(rounded(a.value, d))} at the lower precision)"
    twin_unit = a.unit.replace("USD", "CNY")
    if twin_unit != a.unit:
        twins = chosen.get((a.concept, a.period, a.dimensions, twin_unit), {})
        ta, tb = twins.get(a.document), twins.get(b.document)
        if ta and tb and agree(ta.value, ta.decimals, tb.value, tb.decimals):
            return Finding(
                severity="info", code="source.comparativeAtOtherRate",
                message=(f"{what}: {figures}; their RMB figures agree (line {tb.line}, line {ta.line}: {_reported(tb)}): "
                         "each document translates at its own convenience rate"),
                ref=b.ref, refs=(a.ref,), facts=(f"{b.document}:{b.id}", f"{a.document}:{a.id}"))
    return Finding(
        severity="warning", code="source.comparativeDiffers",
        message=f"{what}: {figures}; a restatement or an error",
        ref=b.ref, refs=(a.ref,), facts=(f"{b.document}:{b.id}", f"{a.document}:{a.id}"))


def _reported(fact: ReportedFact) -> str:
    shown = fact.display or _plain_number(fact.value)
    return f"({shown})" if fact.value < 0 and not shown.startswith(("(", "-")) else shown


def _finding_order(f: Finding) -> tuple:
    return (f.ref.file, f.ref.line, f.ref.column, f.code, f.message)


def _plain_number(value: Decimal) -> str:
    return f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value.normalize():f}"


def _numeric(value: object) -> bool:
    try:
        Decimal(str(value))
    except Exception:
        return False
    return value is not None


def _local(qname: str) -> str:
    return qname.split(":", 1)[1] if ":" in qname else qname


def _unit(unit: str | None) -> str:
    if not unit:
        return "pure"
    return "/".join(_local(m) for m in unit.split("/"))


def _day(text: str, end: bool) -> date:
    """An OIM date: "2025-07-01T00:00:00" as an end is the day before; a bare date is itself."""
    if "T" in text:
        moment = datetime.fromisoformat(text)
        day = moment.date()
        if end and moment.time() == datetime.min.time():
            day -= timedelta(days=1)
        return day
    return date.fromisoformat(text)


def _period(text: str) -> str:
    if "/" in text:
        start, end = text.split("/")
        return f"{_day(start, False).isoformat()}/{_day(end, True).isoformat()}"
    return f"@{_day(text, True).isoformat()}"


def _period_words(period: str) -> str:
    if period.startswith("@"):
        return f"the balance at {period[1:]}"
    start, end = period.split("/")
    return f"{start} to {end}"
