"""Stage 3b: analysed tables -> facts (concept, context, unit, decimals, sign) and cover facts.

Signs follow the concept, not the parentheses: a statement prints figures oriented to one
balance (income statements: credit, income positive; assets and cash: debit), so a figure of a
concept with the other balance is negated. Every fact keeps the file, line and column of the
figure it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from datetime import timedelta
from decimal import Decimal

from kcxbrl.errors import InputError
from kcxbrl.mapping import classify_tables, match_row, prints_amount_to_subtract
from kcxbrl.models import (
    AnalysedTable, Amount, Column, Context, Document, Fact, Finding, Heading, Paragraph, Period, ProseFigure, SourceRef, TableRow,
    TextBlock, TextFact,
)
from kcxbrl.profile import IssuerProfile
from kcxbrl.checks import figure_disagreements, translation_findings
from kcxbrl.prose import prose_figures
from kcxbrl.realign import Unplaced, place_rows, relations
from kcxbrl.textblocks import text_blocks
from kcxbrl.tables import TableContext, analyse_table, convenience_rate, period_start, stated_date
from kcxbrl.taxonomy_model import Concept, RowRule, TableKind, Taxonomy

CURRENCY_UNITS = {"CNY": "iso4217:CNY", "USD": "iso4217:USD"}


@dataclass(frozen=True)
class Tagging:
    tables: tuple[AnalysedTable, ...]
    facts: tuple[Fact, ...]
    findings: tuple[Finding, ...]
    period: Period  # the document's reporting period (duration)
    prose: tuple[ProseFigure, ...] = ()  # every figure found in paragraphs, tagged or not
    text_blocks: tuple[TextBlock, ...] = ()  # notes and policies
    rate: Decimal | None = None  # the stated RMB per US$1.00 convenience rate


def tag_document(document: Document, taxonomy: Taxonomy, profile: IssuerProfile) -> Tagging:
    stated = convenience_rate(document)
    rate = stated[0] if stated else None
    findings: list[Finding] = []
    facts: list[Fact] = []
    unplaced: list[Unplaced] = []
    classified = list(enumerate(classify_tables(document, taxonomy)))
    # Tables whose columns are measures take their instant from their caption, else from the
    # reporting period, which the period tables settle: they come second.
    by_periods = [t for t in classified if not (t[1][2] and t[1][2].measures)]
    by_measures = [t for t in classified if t[1][2] and t[1][2].measures]
    analysed_tables: dict[int, AnalysedTable] = {}
    period: Period | None = None
    for index, (table, title, kind) in by_periods + by_measures:
        if kind is not None and kind.measures and period is None:
            if not facts:
                break
            period = _reporting_period(facts, document)
        ctx = TableContext(title=title, default_scale=profile.default_scale,
                           rate=rate, instant_by_default=bool(kind and kind.instant),
                           measures=kind.measures if kind else (),
                           as_of=(stated_date(title) or period.end) if kind and kind.measures and period else None)
        analysed, table_findings = analyse_table(index, table, ctx, kind.kind if kind else None)
        analysed_tables[index] = analysed
        findings += table_findings
        if kind is not None:
            table_facts, map_findings, table_unplaced = _table_facts(analysed, kind, taxonomy, facts)
            facts += table_facts
            findings += map_findings
            unplaced += table_unplaced
    if not facts:
        raise InputError(document.file, None, "no financial statement found: not a results announcement")
    period = period or _reporting_period(facts, document)
    tables = [analysed_tables[i] for i in sorted(analysed_tables)]
    prose = prose_figures(document, taxonomy, period)
    prose_facts = [figure.fact for figure in prose if figure.fact is not None]
    placed, placing = place_rows(unplaced, facts + prose_facts, relations(taxonomy), rate)
    facts += placed
    findings += placing
    findings += figure_disagreements([*facts, *prose_facts])
    facts += prose_facts
    findings += translation_findings(facts, rate, taxonomy)
    notes, note_findings = text_blocks(document, taxonomy, period)
    findings += note_findings
    return Tagging(tables=tuple(tables), facts=tuple(facts), findings=tuple(findings), period=period, prose=tuple(prose),
                   text_blocks=tuple(notes), rate=rate)


# ---------------------------------------------------------------- table facts


TableTagging = tuple[list[Fact], list[Finding], list[Unplaced]]


def _table_facts(table: AnalysedTable, kind: TableKind, taxonomy: Taxonomy, known: list[Fact]) -> TableTagging:
    if kind.orientation != "evidence":
        return _table_facts_oriented(table, kind, kind.orientation, taxonomy)
    # The table's own sign convention: the one under which its figures agree with the same
    # facts printed before (a tax note printing the benefit as positive or as negative).
    seen = {(f.concept, f.context, f.unit): f.value for f in known}
    best = None
    for orientation in ("debit", "credit"):
        tagged = _table_facts_oriented(table, kind, orientation, taxonomy)
        agree = sum(1 for f in tagged[0] if seen.get((f.concept, f.context, f.unit)) == f.value)
        if best is None or agree > best[0]:
            best = (agree, tagged)
    assert best is not None
    return best[1]


def _table_facts_oriented(table: AnalysedTable, kind: TableKind, table_orientation: str,
                          taxonomy: Taxonomy) -> TableTagging:
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
    unplaced: list[Unplaced] = []
    for (row, rule), concept_name in zip(mapped, concepts):
        orientation = rule.orientation or (table_orientation if kind.orientation == "evidence" else kind.orientation_for(row.section))
        if row.columns is None:
            if table.columns:  # placed later, by the document's other figures (realign.py), or reported
                unplaced.append(Unplaced(row=row, header=table.columns, facts_for=partial(
                    _row_facts, row, rule, concept_name, orientation, table.scale, kind.role, taxonomy)))
            continue
        row_facts, problems = _row_facts_and_problems(row, row.columns, rule, concept_name, orientation, table.scale,
                                                      kind.role, taxonomy)
        facts += row_facts
        findings += problems
    return facts, findings, unplaced


def _row_facts_and_problems(row: TableRow, columns: tuple[Column, ...], rule: RowRule, concept_name: str | None,
                            orientation: str, scale: int, role: str, taxonomy: Taxonomy) -> tuple[list[Fact], list[Finding]]:
    facts: list[Fact] = []
    problems: list[Finding] = []
    for amount, column in zip(row.amounts, columns):
        concept = taxonomy.concept(column.measure or concept_name or "")
        flip = concept.balance is not None and not prints_amount_to_subtract(row.label) and concept.balance != orientation
        fact, problem = _fact(amount, column, concept, rule, flip, scale, row.label, role)
        if fact:
            facts.append(fact)
        if problem:
            problems.append(problem)
    return facts, problems


def _row_facts(row: TableRow, rule: RowRule, concept_name: str | None, orientation: str, scale: int, role: str,
               taxonomy: Taxonomy, columns: tuple[Column, ...]) -> list[Fact]:
    return _row_facts_and_problems(row, columns, rule, concept_name, orientation, scale, role, taxonomy)[0]


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


def document_type(document: Document, default: str) -> str:
    for block in document.blocks[:20]:
        if isinstance(block, Heading | Paragraph):
            m = _FORM.search(block.text)
            if m:
                return m.group(1)
    return default


def cover_facts(document: Document, period: Period, profile: IssuerProfile) -> tuple[TextFact, ...]:
    """The dei cover facts. Those the cover prints (form type, registrant name, file number,
    trading symbol) are tagged where it prints them; the rest go in ix:hidden."""
    form = document_type(document, profile.default_document_type)
    year, focus = fiscal_period_focus(period, profile.fiscal_year_end_month_day)
    context = Context(period=period)
    values = [
        ("DocumentType", form, rf"(?i:\bform)\s+({re.escape(form)})\b"),
        ("AmendmentFlag", "false", None),
        ("DocumentPeriodEndDate", period.end.isoformat(), None),
        ("DocumentFiscalYearFocus", year, None),
        ("DocumentFiscalPeriodFocus", focus, None),
        ("CurrentFiscalYearEndDate", profile.fiscal_year_end, None),
        ("EntityRegistrantName", profile.name, rf"(?<![\w-])({re.escape(profile.name)})(?![\w-])"),
        ("EntityCentralIndexKey", profile.cik, None),
        ("EntityFileNumber", profile.file_number, rf"(?<![\w-])({re.escape(profile.file_number)})(?![\w-])"),
        ("TradingSymbol", profile.trading_symbol, rf"(?i:\b(?:nasdaq|nyse)[^:;,)]{{0,20}}):\s*({re.escape(profile.trading_symbol)})\b"),
    ]
    cover = _cover_lines(document)
    facts = []
    for name, value, printed in values:
        ref = _first_printed(cover, printed, document.file) if printed else None
        facts.append(TextFact(id=f"cover-{name}", concept=name, context=context, value=value, source=ref,
                              display=value if ref else None))
    return tuple(facts)


def _cover_lines(document: Document) -> list[tuple[Heading | Paragraph, int, str]]:
    """(block, line offset, plain text) of the text before the first table: the cover page."""
    lines: list[tuple[Heading | Paragraph, int, str]] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            lines.append((block, 0, block.text))
        elif isinstance(block, Paragraph):
            lines += [(block, k, "".join(r.text for r in line)) for k, line in enumerate(block.lines)]
        else:
            break
    return lines


def _first_printed(lines: list[tuple[Heading | Paragraph, int, str]], pattern: str, file: str) -> SourceRef | None:
    for block, offset, text in lines:
        m = re.search(pattern, text)  # the value group matches case and all: it is the fact's value
        if m:
            return SourceRef(file=file, line=block.ref.line + offset, column=block.file_column(offset, m.start(1)))
    return None
