"""The coverage report: every numeric token of the document that is not inside a tag, with its
line and the rule that left it out (DIR/NAME/coverage.json).

Rules (codes):
  table.header            a column caption (years, dates) - not a figure
  table.label             a number inside a row label ("Between 4 months and 6 months")
  table.noteReference     a "Notes" column reference
  table.yearOnYearChange  a year-on-year change column: growth rates are not tagged
  table.notMapped         a table of no kind the mapping knows (an exhibit index, a list of definitions)
  table.unmappedRow       a row of a mapped table with no concept (also in findings.json)
  table.unalignedRow      a row whose figures could not be placed in columns (findings.json)
  table.stray             a row that is nothing but a number (a page number left by the conversion)
  table.other             a figure the table analysis did not take as a row figure
  prose.*                 see kcxbrl.understand.prose: noConcept, growthRate, periodUnknown, noScale, unit;
                          prose.disagrees (a figure a table's figure contradicts: withheld, see checks.json);
                          prose.date (part of a date), prose.heading (a heading's number)
"""

from __future__ import annotations

import re
from collections import Counter

from kcxbrl.read import Document, Heading, Paragraph, Table, is_header_row, parse_amount
from kcxbrl.understand import AnalysedTable, ProseFigure, Tagging


_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_DATE_CONTEXT = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? ?$|^,? ?(19|20)\d\d|^\s?(19|20)\d\d$", re.IGNORECASE)


def coverage(document: Document, tagging: Tagging) -> dict:
    tagged_cells = {(f.source.line, f.source.column) for f in tagging.facts}
    unmapped = {f.ref.line for f in tagging.findings if f.code == "mapping.unmappedRow"}
    prose = {(p.ref.line, p.ref.column): p for p in tagging.prose}  # once, not per paragraph
    untagged: list[dict] = []
    tables = iter(tagging.tables)
    for block in document.blocks:
        if isinstance(block, Table):
            untagged += _table_tokens(block, next(tables), tagged_cells, unmapped)
        elif isinstance(block, Heading):
            untagged += [_entry(block.ref.line, m.start() + 1, m.group(), "heading", "prose.heading")
                         for m in _NUMBER.finditer(block.text)]
        elif isinstance(block, Paragraph):
            untagged += _paragraph_tokens(block, prose)
    untagged.sort(key=lambda e: (e["line"], e["column"]))
    return {
        "document": document.file,
        "facts": tagging.fact_count,
        "untagged": len(untagged),
        "by_rule": dict(sorted(Counter(e["rule"] for e in untagged).items())),
        "figures": untagged,
    }


def _entry(line: int, column: int, text: str, where: str, rule: str) -> dict:
    return {"line": line, "column": column, "text": text, "where": where, "rule": rule}


def _table_tokens(block: Table, analysed: AnalysedTable, tagged: set, unmapped: set[int]) -> list[dict]:
    rows = {row.line: row for row in analysed.rows}
    out = []
    for row in block.rows:
        header = is_header_row(row.cells)
        filled = [c for c in row.cells if c.text]
        if len(filled) == 1 and _NUMBER.fullmatch(filled[0].text):
            out.append(_entry(row.line, filled[0].ref.column, filled[0].text, "table", "table.stray"))
            continue
        for index, cell in enumerate(row.cells):
            if not cell.text or (index == 0 and cell.text and parse_amount(cell.text) is None):
                if index == 0 and cell.text:
                    out += [_entry(row.line, cell.ref.column + m.start(), m.group(), "table", "table.header" if header else "table.label")
                            for m in _NUMBER.finditer(cell.text)]
                continue
            if (cell.ref.line, cell.ref.column) in tagged:
                continue
            for m in _NUMBER.finditer(cell.text):
                out.append(_entry(cell.ref.line, cell.ref.column + m.start(), m.group(), "table",
                                  _table_rule(header, analysed, rows.get(row.line), cell, unmapped)))
    return out


def _table_rule(header: bool, analysed: AnalysedTable, row, cell, unmapped: set[int]) -> str:
    if header:
        return "table.header"
    if analysed.kind is None:
        return "table.notMapped"
    if row is None:
        return "table.other"
    if row.note and cell.text == row.note:
        return "table.noteReference"
    if not any(a.ref == cell.ref for a in row.amounts):
        return "table.yearOnYearChange" if cell.text.endswith("%") else "table.other"
    if row.columns is None:
        return "table.unalignedRow"
    if row.line in unmapped:
        return "table.unmappedRow"
    return "table.other"


def _paragraph_tokens(block: Paragraph, by_position: dict[tuple[int, int], ProseFigure]) -> list[dict]:
    out = []
    for offset, runs in enumerate(block.lines):
        line = block.ref.line + offset
        text = "".join(r.text for r in runs)
        for m in _NUMBER.finditer(text):
            column = block.file_column(offset, m.start())
            figure = by_position.get((line, column))
            if figure is not None:
                if figure.fact is None:
                    out.append(_entry(line, column, m.group(), "prose", figure.rule))
                continue
            before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 6]
            dated = _DATE_CONTEXT.search(before) or _DATE_CONTEXT.search(after) or re.fullmatch(r"(19|20)\d\d", m.group())
            out.append(_entry(line, column, m.group(), "prose", "prose.date" if dated else "prose.noConcept"))
    return out
