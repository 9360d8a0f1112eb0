"""Stage 3b: analysed tables -> facts (concept, context, unit, decimals, sign) and cover facts.

Signs follow the concept, not the parentheses: a statement prints figures oriented to one
balance (income statements: credit, income positive; assets and cash: debit), so a figure of a
concept with the other balance is negated. Every fact keeps the file, line and column of the
figure it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from kcxbrl.errors import InputError
from kcxbrl.mapping import classify_tables, match_row, prints_amount_to_subtract
from kcxbrl.models import (
    AnalysedTable, Amount, Column, Context, Document, Fact, Finding, Heading, Paragraph, Period, ProseFigure, SourceRef, TableRow,
    TextFact,
)
from kcxbrl.profile import IssuerProfile
from kcxbrl.checks import translation_findings
from kcxbrl.prose import prose_figures
from kcxbrl.tables import TableContext, analyse_table, convenience_rate, period_start
from kcxbrl.taxonomy_model import Concept, RowRule, TableKind, Taxonomy

CURRENCY_UNITS = {"CNY": "iso4217:CNY", "USD": "iso4217:USD"}


@dataclass(frozen=True)
class Tagging:
    tables: tuple[AnalysedTable, ...]
    facts: tuple[Fact, ...]
    findings: tuple[Finding, ...]
    period: Period  # the document's reporting period (duration)
    prose: tuple[ProseFigure, ...] = ()  # every figure found in paragraphs, tagged or not


def tag_document(document: Document, taxonomy: Taxonomy, profile: IssuerProfile) -> Tagging:
    rate = convenience_rate(document)
    findings: list[Finding] = []
    tables: list[AnalysedTable] = []
    facts: list[Fact] = []
    for index, (table, title, kind) in enumerate(classify_tables(document, taxonomy)):
        ctx = TableContext(title=title, default_scale=profile.default_scale,
                           rate=rate[0] if rate else None, instant_by_default=bool(kind and kind.instant))
        analysed, table_findings = analyse_table(index, table, ctx, kind.kind if kind else None)
        tables.append(analysed)
        findings += table_findings
        if kind is not None:
            table_facts, map_findings = _table_facts(analysed, kind, taxonomy, facts)
            facts += table_facts
            findings += map_findings
    if not facts:
        raise InputError(document.file, None, "no financial statement found: not a results announcement")
    period = _reporting_period(facts, document)
    prose = prose_figures(document, taxonomy, period)
    prose_facts = [figure.fact for figure in prose if figure.fact is not None]
    findings += disagreements(prose_facts, facts)
    facts += prose_facts
    findings += translation_findings(facts, rate[0] if rate else None, taxonomy)
    return Tagging(tables=tuple(tables), facts=tuple(facts), findings=tuple(findings), period=period, prose=tuple(prose))


# ---------------------------------------------------------------- table facts


def _table_facts(table: AnalysedTable, kind: TableKind, taxonomy: Taxonomy,
                 known: list[Fact]) -> tuple[list[Fact], list[Finding]]:
    if kind.orientation != "evidence":
        return _table_facts_oriented(table, kind, kind.orientation, taxonomy)
    # The table's own sign convention: the one under which its figures agree with the same
    # facts printed before (a tax note printing the benefit as positive or as negative).
    seen = {(f.concept, f.context, f.unit): f.value for f in known}
    best = None
    for orientation in ("debit", "credit"):
        facts, findings = _table_facts_oriented(table, kind, orientation, taxonomy)
        agree = sum(1 for f in facts if seen.get((f.concept, f.context, f.unit)) == f.value)
        if best is None or agree > best[0]:
            best = (agree, facts, findings)
    assert best is not None
    return best[1], best[2]


def _table_facts_oriented(table: AnalysedTable, kind: TableKind, table_orientation: str,
                          taxonomy: Taxonomy) -> tuple[list[Fact], list[Finding]]:
    findings: list[Finding] = []
    mapped: list[tuple[TableRow, RowRule]] = []
    rules = taxonomy.rules(kind)
    first_row = table.rows[0].label if table.rows else ""
    for index, row in enumerate(table.rows):
        percent = any(a.percent for a in row.amounts) or bool(row.columns and any(c.percent for c in row.columns))
        rule = match_row(rules, row.label, row.section, percent, first_row, index == len(table.rows) - 1)
        if rule is None:
            findings.append(Finding(severity="warning", code="mapping.unmappedRow",
                                    message=f"no concept for row '{row.label}' (section '{row.section}') in a {kind.kind} table; not tagged",
                                    ref=row.amounts[0].ref))
            continue
        mapped.append((row, rule))
    concepts = _resolve_alternatives(mapped, taxonomy)
    facts: list[Fact] = []
    for (row, rule), concept_name in zip(mapped, concepts):
        if row.columns is None:
            continue  # reported by the table analysis: figures with no certain column
        concept = taxonomy.concept(concept_name)
        orientation = rule.orientation or (table_orientation if kind.orientation == "evidence" else kind.orientation_for(row.section))
        flip = concept.balance is not None and not prints_amount_to_subtract(row.label) and concept.balance != orientation
        for amount, column in zip(row.amounts, row.columns):
            fact, problem = _fact(amount, column, concept, rule, flip, table.scale, row.label, kind.role)
            if fact:
                facts.append(fact)
            if problem:
                findings.append(problem)
    return facts, findings


def _resolve_alternatives(mapped: list[tuple[TableRow, RowRule]], taxonomy: Taxonomy) -> list[str]:
    """Pick between a rule's concept and its alternative by which one's printed sum holds
    (e.g. a net change in cash with or without the exchange-rate effect)."""
    printed: dict[str, TableRow] = {rule.concept: row for row, rule in mapped if not rule.members}
    chosen = []
    for row, rule in mapped:
        name = rule.concept
        if rule.alternative and not _sum_holds(rule.concept, row, printed, taxonomy) and _sum_holds(
            rule.alternative, row, printed, taxonomy
        ):
            name = rule.alternative
        chosen.append(name)
    return chosen


def _sum_holds(total: str, row: TableRow, printed: dict[str, TableRow], taxonomy: Taxonomy) -> bool:
    for role in taxonomy.roles:
        for summation in role.calc:
            if summation.total != total:
                continue
            if not all(item in printed for item, _ in summation.items):
                return False
            for k, amount in enumerate(row.amounts):
                expected = Decimal(0)
                for item, weight in summation.items:
                    item_amounts = printed[item].amounts
                    if k >= len(item_amounts):
                        return False
                    expected += weight * (item_amounts[k].value or 0)
                if abs(expected - (amount.value or 0)) > len(summation.items):
                    return False
            return True
    return False


def _fact(amount: Amount, column: Column, concept: Concept, rule: RowRule, flip: bool, scale: int,
          label: str, role: str) -> tuple[Fact | None, Finding | None]:
    period = _period(column, concept, rule)
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
    context = Context(period=period, dimensions=tuple(sorted(rule.members.items())))
    digits = amount.text.strip("()%- \u2013").strip()
    fmt = "ixt:fixed-zero" if amount.value is None else "ixt:num-dot-decimal"
    return Fact(
        id=f"f-{amount.ref.line}-{amount.ref.column}", concept=concept.name, context=context, unit=unit,
        value=value * Decimal(10) ** fact_scale if fact_scale else value, decimals=decimals, scale=fact_scale,
        display=digits if amount.value is not None else amount.text.strip(), format=fmt, source=amount.ref, label=label,
        role=role,
    ), None


def _period(column: Column, concept: Concept, rule: RowRule) -> Period | None:
    if column.months is None:  # instant column
        return Period(end=column.end) if concept.period == "instant" else None
    start = period_start(column.end, column.months)
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


def disagreements(prose_facts: list[Fact], table_facts: list[Fact]) -> list[Finding]:
    """A figure the prose prints that the tables contradict, at the prose's own precision
    ("RMB665.9 million" against a table's 665,844 thousand, which is 665.8 million)."""
    by_key: dict[tuple, Fact] = {}
    for fact in table_facts:
        by_key.setdefault((fact.concept, fact.context, fact.unit), fact)
    found = []
    for fact in prose_facts:
        table = by_key.get((fact.concept, fact.context, fact.unit))
        if table is None or table.value is None or fact.value is None or fact.decimals in (None, "INF"):
            continue
        quantum = Decimal(1).scaleb(-int(fact.decimals))
        rounded = (table.value / quantum).quantize(Decimal(1), rounding="ROUND_HALF_UP") * quantum
        if rounded != fact.value:
            found.append(Finding(
                severity="warning", code="source.figureDisagrees",
                message=(f"the text prints {fact.display} ({fact.concept}, {fact.context.id}, {fact.unit}) but the table at "
                         f"line {table.source.line} prints {table.display}, which is {_plain(rounded, fact.scale)} at the "
                         "text's precision; both are tagged as printed"),
                ref=fact.source, facts=(fact.id, table.id)))
    return found


def _plain(value: Decimal, scale: int) -> str:
    return f"{(value / Decimal(10) ** scale).normalize():f}"


# ---------------------------------------------------------------- reporting period and cover


def _reporting_period(facts: list[Fact], document: Document) -> Period:
    """The period the document reports on: the latest end date, and the shortest duration
    ending then (a quarter in a press release that also shows the half year)."""
    durations = [f.context.period for f in facts if not f.context.period.is_instant]
    if not durations:
        raise InputError(document.file, None, "no reporting period found in the statements")
    end = max(p.end for p in durations)
    start = max(p.start for p in durations if p.end == end and p.start)
    return Period(start=start, end=end)


def fiscal_period_focus(period: Period, fiscal_year_end: tuple[int, int]) -> tuple[str, str]:
    """(DocumentFiscalYearFocus, DocumentFiscalPeriodFocus) for the reporting period."""
    assert period.start is not None
    months = round((period.end - period.start).days / 30.44)
    fye_month = fiscal_year_end[0]
    fiscal_year = period.end.year if period.end.month <= fye_month else period.end.year + 1
    months_into_year = (period.end.month - fye_month) % 12 or 12
    if months >= 12:
        focus = "FY"
    elif months == 6:
        focus = "H1" if months_into_year == 6 else "H2"
    elif months == 9:
        focus = "M9"
    else:
        focus = f"Q{max(1, min(4, months_into_year // 3))}"
    return str(fiscal_year), focus


_FORM = re.compile(r"\bFORM\s+(6-K|8-K|10-K|10-Q|20-F|40-F)\b")


def document_type(document: Document, default: str) -> tuple[str, SourceRef | None]:
    for block in document.blocks[:20]:
        if isinstance(block, Heading | Paragraph):
            m = _FORM.search(block.text)
            if m:
                return m.group(1), block.ref
    return default, None


def cover_facts(document: Document, period: Period, profile: IssuerProfile) -> tuple[TextFact, ...]:
    form, form_ref = document_type(document, profile.default_document_type)
    year, focus = fiscal_period_focus(period, profile.fiscal_year_end_month_day)
    context = Context(period=period)
    values = [
        ("DocumentType", form, form_ref),
        ("AmendmentFlag", "false", None),
        ("DocumentPeriodEndDate", period.end.isoformat(), None),
        ("DocumentFiscalYearFocus", year, None),
        ("DocumentFiscalPeriodFocus", focus, None),
        ("CurrentFiscalYearEndDate", profile.fiscal_year_end, None),
        ("EntityRegistrantName", profile.name, None),
        ("EntityCentralIndexKey", profile.cik, None),
        ("EntityFileNumber", profile.file_number, None),
        ("TradingSymbol", profile.trading_symbol, None),
    ]
    return tuple(TextFact(id=f"cover-{name}", concept=name, context=context, value=value, source=ref)
                 for name, value, ref in values)
