"""Stage 2, understand: a Document -> a Tagging (tables, facts, text facts, findings).

Each table's kind (kinds.py, from the mapping data), its columns, scale and rows (tables.py),
each mapped row's facts (facts.py); rows the header does not place, placed by the document's
other figures or reported (realign.py); the figures in the prose (prose.py); notes and
policies as text blocks (textblocks.py); the cover facts (cover.py). Checking the
announcement's own figures is the next stage's (kcxbrl.check).
"""

from __future__ import annotations

import re
from functools import partial

from kcxbrl.errors import InputError
from kcxbrl.findings import Finding
from kcxbrl.profile import IssuerProfile
from kcxbrl.read import Document, Table, is_data_row, is_header_row
from kcxbrl.understand.cover import cover_facts
from kcxbrl.understand.conflicts import one_value_per_table_fact, withheld_prose
from kcxbrl.understand.facts import reporting_period, table_facts
from kcxbrl.understand.issuer import StatedIdentity, choose_profile, stated_identity
from kcxbrl.understand.kinds import classify_tables, row_rule
from kcxbrl.understand.model import (
    AnalysedTable, Amount, Column, Context, Fact, Period, ProseFigure, TableRow, Tagging, TextBlock, TextFact,
)
from kcxbrl.understand.prose import prose_figures
from kcxbrl.understand.realign import Unplaced, place_rows, relations
from kcxbrl.understand.scopes import in_scope, table_scopes
from kcxbrl.understand.sums import unprinted_calc
from kcxbrl.understand.tables import (
    HEADER_DURATION, HEADER_FULL_DATE, HEADER_INSTANT, HEADER_YEAR, TableContext, analyse_table, convenience_rate,
    document_currency, document_scale, stated_date,
)
from kcxbrl.understand.textblocks import text_blocks

__all__ = [
    "AnalysedTable", "Amount", "Column", "Context", "Fact", "Period", "ProseFigure", "TableRow", "Tagging",
    "TextBlock", "TextFact", "StatedIdentity", "choose_profile", "stated_identity", "understand",
]


def understand(document: Document, profile: IssuerProfile, *, tag_all_prose: bool = False) -> Tagging:
    """The document's tables, facts and text facts, with the profile's taxonomy (the base
    extended by the issuer's own part) and identity. A prose figure that a table's figure of the
    same fact contradicts is withheld (reported by the checks) unless `tag_all_prose`."""
    taxonomy = profile.taxonomy
    identity = stated_identity(document)
    # the fiscal year's end as the text states it, else the profile's: what "Q2 2025" ends on
    year_end = (int(identity.fiscal_year_end[2:4]), int(identity.fiscal_year_end[5:7])) if identity.fiscal_year_end \
        else profile.fiscal_year_end_month_day
    stated = convenience_rate(document)
    rate = stated[0] if stated else None
    # a table that states no scale: the profile's configured default; a document with no profile
    # of its own: the one scale its other captions state, else its figures as printed (said)
    stated_scale = None if profile.id else document_scale(document)
    default_scale, default_scale_reason = (
        (profile.default_scale, "") if profile.id else
        (stated_scale[0], f"in the scale the document's captions state (line {stated_scale[1].line})") if stated_scale
        else (0, "as printed (no caption of the document states a scale, and no issuer profile sets one)"))
    named = document_currency(document)
    currency, currency_reason = (
        (profile.reporting_currency, f"the reporting currency of the issuer profile '{profile.id or profile.name}'")
        if profile.reporting_currency else
        (named[0], f"the only currency the document names, first at line {named[1].line}") if named else (None, ""))
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
    previous: AnalysedTable | None = None  # the last table read by its periods, for a continuation page
    for index, (table, title, kind) in by_periods + by_measures:
        if kind is not None and kind.measures and period is None:
            if not facts:
                break
            period = reporting_period(facts, document, year_end)
        ctx = TableContext(title=title, default_scale=default_scale, default_scale_reason=default_scale_reason,
                           rate=rate, instant_by_default=bool(kind and kind.instant),
                           measures=kind.measures if kind else (),
                           as_of=(stated_date(title) or period.end) if kind and kind.measures and period else None,
                           continues=previous if kind and previous and previous.kind == kind.kind else None,
                           column_members=taxonomy.columns, fiscal_year_end=year_end,
                           currency=currency, currency_reason=currency_reason,
                           rule_for=partial(row_rule, taxonomy, kind) if kind else None)
        analysed, table_findings = analyse_table(index, table, ctx, kind.kind if kind else None)
        analysed_tables[index] = analysed
        previous = analysed if not (kind and kind.measures) else previous
        findings += table_findings
        if kind is None:
            findings += _not_understood(analysed, title)
        if kind is not None:
            new_facts, map_findings, table_unplaced = table_facts(analysed, kind, taxonomy, facts)
            facts += new_facts
            findings += map_findings
            unplaced += table_unplaced
    if not facts:
        raise _nothing_tagged(document, [analysed_tables[i] for i in sorted(analysed_tables)], findings)
    period = period or reporting_period(facts, document, year_end)
    tables = [analysed_tables[i] for i in sorted(analysed_tables)]
    prose = prose_figures(document, taxonomy, period)
    prose_facts = [figure.fact for figure in prose if figure.fact is not None]
    placed, placing = place_rows(unplaced, facts + prose_facts, relations(taxonomy), rate)
    facts, conflicts = one_value_per_table_fact(_scoped(facts + placed, tables, table_scopes(document, taxonomy)), taxonomy)
    findings += placing + conflicts
    withheld: list[Fact] = []
    if not tag_all_prose:
        prose_facts, withheld = withheld_prose(facts, prose_facts)
        held = {f.id for f in withheld}
        prose = [p.model_copy(update={"fact": None, "rule": "prose.disagrees"}) if p.fact and p.fact.id in held else p
                 for p in prose]
    facts += prose_facts
    notes, note_findings = text_blocks(document, taxonomy, period)
    findings += note_findings
    cover, cover_findings = cover_facts(document, period, profile, identity, facts)
    findings += cover_findings
    return Tagging(tables=tuple(tables), facts=tuple(facts), withheld=tuple(withheld), findings=tuple(findings),
                   period=period, prose=tuple(prose), text_facts=cover,
                   text_blocks=tuple(notes), rate=rate, unprinted_calc=unprinted_calc(facts, taxonomy))


def _scoped(facts: list[Fact], tables: list[AnalysedTable], scopes: list) -> list[Fact]:
    """Table facts on the members of the scope their table stands in (tables and scopes are in
    document order; a table's facts are on its lines)."""
    scope_at: dict[int, object] = {}
    for table, scope in zip(tables, scopes):
        if scope is not None:
            for row in table.rows:
                for amount in row.amounts:
                    scope_at[amount.ref.line] = scope[0]
    return [in_scope(f, scope_at[f.source.line]) if f.source.line in scope_at else f for f in facts]  # type: ignore[arg-type]


def _nothing_tagged(document: Document, tables: list[AnalysedTable], findings: list[Finding]) -> InputError:
    """Why no figure of the document could be tagged, naming the first table the mapping knows
    and what it lacked: a period its header gives its columns, a currency, rows the mapping knows."""
    known = [t for t in tables if t.kind]
    if not known:
        return InputError(document.file, None, "no financial statement found: no table is one the mapping knows "
                                               "by its rows or caption" + _first_table_line(tables_of(document)))
    # the table that would have given the most figures: what it lacked is what the document lacks
    table = max(known, key=lambda t: (sum(len(r.amounts) for r in t.rows), -t.ref.line))
    header, others = _header_lines(tables_of(document)[table.index])
    printed = "; ".join(f"line {line}: '{_cut(text)}'" for line, text in header[:3]) or "no header rows"
    printed += "".join(f"; line {line}, '{_cut(text)}', above the first figures, is not read as a header row"
                       for line, text in others[:1])
    if not table.columns:
        text = " ".join(t for _, t in header)
        dates = [m.group(0) for m in HEADER_FULL_DATE.finditer(text)]
        unread = [m.group(0) for m in _PERIOD_PHRASE.finditer(text) if not HEADER_DURATION.search(m.group(0))]
        if dates and not HEADER_DURATION.search(text) and not HEADER_INSTANT.search(text):
            lacks = (f"it prints the dates {', '.join(dict.fromkeys(dates))} but no length of period the tool reads"
                     + (f" ('{unread[0]}' is not one: it reads 'Three/Six/Nine/Twelve Months Ended', 'Year Ended', "
                        "'As of')" if unread else ""))
        elif not dates and not HEADER_YEAR.search(text):
            lacks = "it prints no date and no year"
        else:
            lacks = "the tool could not pair its dates and years with its periods, one column each"
        return InputError(document.file, None, f"no reporting period found: the table at line {table.ref.line} is a "
                                               f"statement the mapping knows ({table.kind}), but no column of it has a "
                                               f"period: {lacks} (header {printed})")
    lines = {row.line for row in table.rows}
    no_currency = [f for t in known for f in findings if f.code == "mapping.noCurrency"
                   and f.ref.line in {row.line for row in t.rows}]
    if no_currency and any(f.ref.line in lines for f in no_currency):
        readings = "; ".join(dict.fromkeys(c.reading() for c in table.columns))
        return InputError(document.file, None, (
            f"no figure tagged: the table at line {table.ref.line} is a statement the mapping knows ({table.kind}) and "
            f"its header gives its columns periods ({readings}), but no currency: the tool read none from its header "
            f"({printed}), its figures' signs or its caption ({len(no_currency)} figures of {len(known)} known "
            f"table{'s' if len(known) > 1 else ''} left untagged, mapping.noCurrency)"))
    unmapped = sum(1 for f in findings if f.code == "mapping.unmappedRow" and f.ref.line in lines)
    return InputError(document.file, None, (
        f"no figure tagged: the table at line {table.ref.line} is a statement the mapping knows ({table.kind}), with "
        f"columns ({'; '.join(dict.fromkeys(c.reading() for c in table.columns))}), but none of its rows gave a fact"
        + (f" ({unmapped} rows no rule of the mapping knows, mapping.unmappedRow)" if unmapped else "")))


# a length of period as a header may print it, read or not ("12 Months Ended", "52 Weeks Ended")
_PERIOD_PHRASE = re.compile(r"\b(?:\d{1,2}|[a-z]+)\s+(?:months?|weeks?)\s+ended\b", re.IGNORECASE)


def _cut(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[:width - 3] + "..."


def _header_lines(table: Table) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(line, cells joined) of a table's header rows, and of the other rows of captions (no label)
    above its first figures."""
    above = []
    for row in table.rows:
        if row.furniture:
            continue
        if is_data_row(row.cells):
            break
        above.append(row)
    rows = [r for r in above if is_header_row(r.cells)] or above
    return ([(row.line, " | ".join(c.text for c in row.cells if c.text)) for row in rows],
            [(row.line, " | ".join(c.text for c in row.cells if c.text)) for row in above
             if row not in rows and not row.cells[0].text and any(c.text for c in row.cells)])


def tables_of(document: Document) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table)]


def _first_table_line(tables: list[Table]) -> str:
    return f" (the first table is at line {tables[0].ref.line})" if tables else " (the text has no table)"


def _not_understood(table: AnalysedTable, title: str) -> list[Finding]:
    """A table that prints figures but fits no kind of the mapping: said, with its line, so that
    no figure is lost without a word."""
    figures = [a for row in table.rows for a in row.amounts]
    if not figures:
        return []
    caption = title.split(" | ")[-1][:80] if title else ""
    return [Finding(severity="warning", code="table.notUnderstood",
                    message=(f"a table of {len(table.rows)} rows and {len(figures)} figures"
                             + (f" under '{caption}'" if caption else "")
                             + " fits no kind of table the mapping knows (by its rows, caption or header); not tagged"),
                    ref=figures[0].ref)]

