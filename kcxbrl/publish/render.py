"""Filing -> Inline XBRL 1.1 XHTML, through the jinja2 templates in templates/.

This module prepares a plain view model (dicts of strings); the templates only lay it out, and
`templates/_ix.j2` is the one macro that writes ix: elements. Autoescaping is on, so every piece
of text from the input is escaped.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kcxbrl.dts import Taxonomy
from kcxbrl.publish.model import Filing
from kcxbrl.read import Cell, Heading, Paragraph, Run, Table, is_header_row, parse_amount
from kcxbrl.resources import templates_dir
from kcxbrl.understand import AnalysedTable, Column, Fact, TextFact


UNIT_MEASURES = {
    "CNY": ("iso4217:CNY", None),
    "USD": ("iso4217:USD", None),
    "shares": ("xbrli:shares", None),
    "pure": ("xbrli:pure", None),
    "CNY_per_share": ("iso4217:CNY", "xbrli:shares"),
    "USD_per_share": ("iso4217:USD", "xbrli:shares"),
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_report(filing: Filing, title: str, taxonomy: Taxonomy) -> bytes:
    page = build_view(filing, title, taxonomy)
    return _environment().get_template("report.xhtml.j2").render(page=page).encode("utf-8")


# characters XML 1.0 does not allow (a file name may carry them into the title: control
# characters, and lone surrogates from bytes that are not UTF-8)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def build_view(filing: Filing, title: str, taxonomy: Taxonomy) -> dict:
    qname = taxonomy.qname
    by_cell: dict[tuple[int, int], list[Fact]] = {}  # a cell's facts: one, or one per concept it is tagged with
    for fact in filing.facts:
        if not fact.in_prose:
            by_cell.setdefault((fact.source.line, fact.source.column), []).append(fact)
    inline = _inline_facts(filing, qname)
    # inside a text block, a figure gets no marking span: the span would become part of the
    # text block's value (the style sheet marks those figures by their ix element instead)
    in_text = {k for block in filing.text_blocks for first, last in block.parts for k in range(first, last + 1)}
    tables = [b for b in filing.document.blocks if isinstance(b, Table)]
    analysed = {tables[t.index].ref.line: t for t in filing.tables if t.index < len(tables)}
    contexts = {f.context.id: f.context for f in filing.facts} | {t.context.id: t.context for t in filing.text_facts}
    units = sorted({f.unit for f in filing.facts if f.unit})
    return {
        "title": _NOT_XML.sub("\ufffd", title),
        "namespaces": sorted(taxonomy.namespaces.items()),
        "schema_ref": filing.schema_ref,
        "entity_scheme": filing.entity_scheme,
        "entity_id": filing.entity_id,
        "contexts": [
            {"id": c.id, "start": c.period.start.isoformat() if c.period.start else None,
             "end": c.period.end.isoformat(), "members": [(qname(axis), qname(member)) for axis, member in c.dimensions]}
            for _, c in sorted(contexts.items())
        ],
        "units": [{"id": u, "numerator": UNIT_MEASURES[u][0], "denominator": UNIT_MEASURES[u][1]} for u in units],
        "hidden_facts": [
            {"attrs": _text_fact_attrs(t, qname), "value": t.value} for t in filing.text_facts if t.display is None
        ],
        "body": _nest([_block_view(block, by_cell, inline, qname, analysed.get(block.ref.line), k not in in_text)
                       for k, block in enumerate(filing.document.blocks)], _text_block_wrappers(filing, qname)),
    }


def _inline_facts(filing: Filing, qname) -> dict[int, list[tuple[int, dict]]]:
    """The facts tagged inside running text, by line: prose figures and cover facts, each as
    (column, view)."""
    inline: dict[int, list[tuple[int, dict]]] = {}
    for fact in filing.facts:
        if fact.in_prose:
            inline.setdefault(fact.source.line, []).append((fact.source.column, _fact_view(fact, fact.display, (), qname)))
    for text in filing.text_facts:
        if text.display is not None and text.source is not None:
            view = {"tag": "nonNumeric", "fact": _text_fact_attrs(text, qname), "shown": text.display,
                    "title": f"line {text.source.line}: {text.concept}"}
            inline.setdefault(text.source.line, []).append((text.source.column, view))
    return {line: sorted(items, key=lambda item: item[0]) for line, items in inline.items()}


def _text_fact_attrs(fact: TextFact, qname) -> tuple:
    return (("contextRef", fact.context.id),) + ((("format", fact.format),) if fact.format else ()) + (
        ("id", fact.id), ("name", qname(fact.concept)))


def _text_block_wrappers(filing: Filing, qname) -> list[tuple[int, int, str, tuple]]:
    """(first block, last block, ix tag, attributes) for each part of each text block: the
    first part is the ix:nonNumeric, each later part an ix:continuation it chains to."""
    wrappers = []
    for block in filing.text_blocks:
        ids = [block.id] + [f"{block.id}-c{k}" for k in range(1, len(block.parts))]
        for k, (first, last) in enumerate(block.parts):
            chain = (("continuedAt", ids[k + 1]),) if k + 1 < len(ids) else ()
            if k == 0:
                attrs = (("contextRef", block.context.id),) + chain + (
                    ("escape", "true"), ("id", block.id), ("name", qname(block.concept)))
                wrappers.append((first, last, "nonNumeric", attrs))
            else:
                wrappers.append((first, last, "continuation", chain + (("id", ids[k]),)))
    return wrappers


def _nest(views: list[dict], wrappers: list[tuple[int, int, str, tuple]]) -> list[dict]:
    """Block views as a tree: each wrapper holds the blocks it covers (a policy's text block
    sits inside its note's). Wrappers are nested or apart by construction (textblocks)."""
    root: list[dict] = []
    stack: list[tuple[int, list[dict]]] = [(len(views), root)]
    pending = sorted(wrappers, key=lambda w: (w[0], -w[1]))
    for k, view in enumerate(views):
        while stack[-1][0] < k:
            stack.pop()
        while pending and pending[0][0] == k:
            first, last, tag, attrs = pending.pop(0)
            node = {"wrap": {"tag": tag, "attrs": attrs}, "children": []}
            stack[-1][1].append(node)
            stack.append((last, node["children"]))
        stack[-1][1].append({"wrap": None, "block": view})
    return root


def _runs(runs: tuple[Run, ...]) -> list[dict]:
    return [{"text": r.text, "bold": r.bold, "italic": r.italic, "underline": r.underline} for r in runs]


def _styled(run: Run) -> bool:
    return run.bold or run.italic or run.underline


def _block_view(block, by_cell: dict[tuple[int, int], list[Fact]], inline: dict[int, list[tuple[int, dict]]],
                qname, analysed: AnalysedTable | None = None, marked: bool = True) -> dict:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "line": block.ref.line,
                "segments": _line_segments(block.runs, _in_plain_text(block, 0, inline, marked))}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "line": block.ref.line,
                "lines": [_line_segments(line, _in_plain_text(block, k, inline, marked)) for k, line in enumerate(block.lines)]}
    assert isinstance(block, Table)
    reading = _reading(block, analysed, by_cell) if analysed is not None else None
    if reading is not None:
        return {"kind": "table", "rows": _rows_as_read(block, reading, by_cell, qname), "line": block.ref.line}
    width = max((len(r.cells) for r in block.rows), default=0)
    rows = []
    for row in block.rows:
        cells = [_cell_view(index, cell, by_cell, qname) for index, cell in enumerate(row.cells)]
        cells += [_EMPTY_CELL] * (width - len(cells))
        rows.append({"cells": cells, "css": _row_css(row)})
    return {"kind": "table", "rows": rows, "line": block.ref.line}


_EMPTY_CELL = {"css": "num", "runs": [], "fact": None, "plain": ""}


def _row_css(row) -> str | None:
    if row.furniture:
        return "furniture"  # a page number, a running head, the header printed again
    if row.cells and row.cells[0].text and all(not c.text for c in row.cells[1:]):
        return "section"
    return None


def _cell_view(index: int, cell: Cell, by_cell: dict[tuple[int, int], list[Fact]], qname, css: str | None = None) -> dict:
    facts = by_cell.get((cell.ref.line, cell.ref.column))
    plain = cell.runs[0].text if len(cell.runs) == 1 and not _styled(cell.runs[0]) else ("" if not cell.runs else None)
    view = {"css": css or ("label" if index == 0 else "num"), "runs": _runs(cell.runs), "fact": None, "plain": plain}
    if facts:
        view.update(_fact_view(facts[0], cell.text, cell.runs, qname))
        # the same figure tagged with more concepts: each an ix:nonFraction inside the one before
        view["nested"] = [_fact_view(f, cell.text, cell.runs, qname)["fact"] for f in facts[1:]]
    return view


# ---------------------------------------------------------------- the tool's reading of a table
#
# Where the tool placed a figure in another column than the printed header stands over it (a
# header that lost a column, a row realigned by evidence), the table is laid out as the tool read
# it: the printed header rows stay first, as printed, then a header row stating the period and
# currency of every column the facts use, then each row's tagged figures in those columns.


def _reading(block: Table, analysed: AnalysedTable, by_cell: dict[tuple[int, int], list[Fact]]
             ) -> tuple[list[Column], dict[tuple[int, int], Column]] | None:
    """The columns as the tool read them (in order) and the column of each tagged cell, or None
    when every tagged figure stands under the printed column it was read as."""
    if not analysed.columns:
        return None
    printed: dict[int, Column] = {}  # cell index -> the header's column, from rows placed by position
    placed: dict[tuple[int, int], Column] = {}  # (line, column) of a figure -> the row's column for it
    rows = {row.line: row for row in block.rows}
    for row in analysed.rows:
        if row.columns is None or row.line not in rows:
            continue
        at = {c.ref.column: k for k, c in enumerate(rows[row.line].cells)}
        for amount, column in zip(row.amounts, row.columns):
            placed[(amount.ref.line, amount.ref.column)] = column
            if row.alignment == "header" and row.columns == analysed.columns and amount.ref.column in at:
                printed.setdefault(at[amount.ref.column], column)
    candidates = list(analysed.columns)
    for column in placed.values():
        if column not in candidates:
            candidates.append(column)
    analysed_rows = {row.line: row for row in analysed.rows}
    of_cell: dict[tuple[int, int], Column] = {}
    sequences: list[list[Column]] = []
    differs = False
    for row in block.rows:
        if row.furniture:
            continue
        sequence = []
        for index, cell in enumerate(row.cells):
            facts = by_cell.get((cell.ref.line, cell.ref.column))
            if not facts or index == 0:
                continue
            key = (cell.ref.line, cell.ref.column)
            column = placed.get(key)
            if column is None or not _carries(facts[0], column):
                under = printed.get(index)
                fitting = [c for c in candidates if _carries(facts[0], c) and c not in sequence]
                column = under if under in fitting else (fitting[0] if fitting else None)
            if column is None:
                return None  # a fact no column of the table explains: leave the table as printed
            of_cell[key] = column
            sequence.append(column)
        sequences.append(sequence)
        # placed otherwise than by position under the header: by the convenience rate (the
        # header lost a column) or by evidence (a realigned row)
        reading = analysed_rows.get(row.line)
        differs = differs or bool(sequence) and (reading is None or reading.alignment != "header"
                                                 or reading.columns != analysed.columns)
    if not differs:
        return None
    order = list(analysed.columns)
    for sequence in sequences:  # a column the header lost goes where the rows print it
        before = None
        for column in sequence:
            if column not in order:
                order.insert(order.index(before) + 1 if before is not None else 0, column)
            before = column
    return order, of_cell


def _carries(fact: Fact, column: Column) -> bool:
    """Could the fact have been read from the column? The same currency (facts without one:
    shares, ratios, fit any), and the column's period: its end, or for a duration column also
    the instant before it starts (the opening balance of a cash flow statement)."""
    currency = {"CNY": "CNY", "CNY_per_share": "CNY", "USD": "USD", "USD_per_share": "USD"}.get(fact.unit or "")
    if currency and column.currency and currency != column.currency:
        return False
    period = fact.context.period
    if period.start is None:
        return period.end == column.end or (
            column.months is not None and period.end == _column_start(column) - timedelta(days=1))
    return column.months is not None and period.end == column.end and period.start == _column_start(column)


def _column_start(column: Column) -> date:
    month = column.end.month - (column.months or 0) + 1
    year = column.end.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


_MONTHS_WORD = {3: "Three months", 6: "Six months", 9: "Nine months", 12: "Year"}


def _column_heading(column: Column) -> list[str]:
    """The lines a header states a column with: ["Six months ended", "Jun 30, 2025", "RMB"]."""
    end = f"{column.end:%b} {column.end.day}, {column.end.year}"
    kind = "As at" if column.months is None else f"{_MONTHS_WORD.get(column.months, f'{column.months} months')} ended"
    currency = {"CNY": "RMB", "USD": "US$"}.get(column.currency or "", "") + (" %" if column.percent else "")
    return [kind, end] + ([currency.strip()] if currency.strip() else [])


def _rows_as_read(block: Table, reading: tuple[list[Column], dict[tuple[int, int], Column]],
                  by_cell: dict[tuple[int, int], list[Fact]], qname) -> list[dict]:
    order, of_cell = reading
    position = {column: k for k, column in enumerate(order)}
    # the printed header: the rows before the first that is neither a header row nor empty
    first_data = next((k for k, r in enumerate(block.rows) if not r.furniture and any(c.text for c in r.cells)
                       and not is_header_row(r.cells)), len(block.rows))
    rows: list[dict] = []
    for number, row in enumerate(block.rows):
        if number == first_data:
            rows.append(_reading_header(order))
        tagged = [(k, c) for k, c in enumerate(row.cells) if (c.ref.line, c.ref.column) in of_cell]
        if row.furniture or number < first_data or (not tagged and any(c.text for c in row.cells[1:])):
            # as printed: the printed header, page furniture, a row the tool placed nothing of
            css = "furniture" if row.furniture else "printed" if number < first_data else "as-printed"
            rows.append({"css": css, "cells": [_cell_view(k, c, by_cell, qname) for k, c in enumerate(row.cells)]})
            continue
        label = row.cells[0] if row.cells else None
        others = [(k, c) for k, c in enumerate(row.cells) if k and c.text and (k, c) not in tagged]
        if label is not None and not label.text and others and parse_amount(others[0][1].text) is None:
            label, others = others[0][1], others[1:]  # a label printed one cell to the right
        cells = [_cell_view(0, label, by_cell, qname) if label is not None else _EMPTY_CELL]
        grid: list[dict] = [_EMPTY_CELL] * len(order)
        for k, cell in tagged:
            grid[position[of_cell[(cell.ref.line, cell.ref.column)]]] = _cell_view(k, cell, by_cell, qname)
        # a printed cell the tool placed in no column stays in the row, after the columns
        rest = [_cell_view(k, c, by_cell, qname, css="num unplaced") for k, c in others]
        rows.append({"css": _row_css(row), "cells": cells + grid + rest})
    return rows


def _reading_header(order: list[Column]) -> dict:
    first = {"css": "label", "runs": [], "fact": None, "header": True,
             "plain": "As read (period, currency of the tagged figures):",
             "title": "The header printed above does not stand over every figure the tool tagged; "
                      "this row states the column each tagged figure was read in."}
    cells = [first]
    for column in order:
        cells.append({"css": "num", "runs": [], "fact": None, "header": True, "plain": None,
                      "lines": _column_heading(column)})
    return {"css": "reading", "cells": cells}


def _in_plain_text(block: Heading | Paragraph, offset: int, inline: dict[int, list[tuple[int, dict]]],
                   marked: bool = True) -> list[tuple[int, dict]]:
    """The facts of a line at their place in its plain text (facts keep file columns); `marked`:
    with the title of the span that marks them."""
    return [(block.plain_index(offset, column), view if marked else view | {"title": None})
            for column, view in inline.get(block.ref.line + offset, [])]


def _line_segments(runs: tuple[Run, ...], facts: list[tuple[int, dict]]) -> list[dict]:
    """A line of running text as text segments and the facts tagged in it (each at its index
    in the plain text)."""
    if not facts:
        return [{"runs": _runs(runs), "fact": None}]
    text = "".join(r.text for r in runs)
    segments: list[dict] = []
    pos = 0
    for index, view in facts:
        start, end = index, index + len(view["shown"])
        if start < pos or text[start:end] != view["shown"]:
            continue  # not where expected: leave the text as it is rather than tag the wrong span
        segments.append({"runs": _runs(_slice(runs, pos, start)), "fact": None})
        segments.append({"fact": view, "runs": []})
        pos = end
    segments.append({"runs": _runs(_slice(runs, pos, len(text))), "fact": None})
    return segments


def _slice(runs: tuple[Run, ...], start: int, end: int) -> tuple[Run, ...]:
    """The runs covering text[start:end], cut at the edges."""
    out, pos = [], 0
    for run in runs:
        a, b = max(start, pos), min(end, pos + len(run.text))
        if a < b:
            out.append(run.model_copy(update={"text": run.text[a - pos:b - pos]}))
        pos += len(run.text)
    return tuple(out)


def _fact_view(fact: Fact, printed: str, runs: tuple[Run, ...], qname) -> dict:
    at = printed.find(fact.display)
    before, after = (printed[:at], printed[at + len(fact.display):]) if at >= 0 else ("", "")
    attrs = (
        ("contextRef", fact.context.id),
        ("decimals", fact.decimals),
        ("format", fact.format),
        ("id", fact.id),
        ("name", qname(fact.concept)),
        ("scale", str(fact.scale)),
    ) + ((("sign", "-"),) if fact.negative else ()) + (("unitRef", fact.unit),)
    return {
        "tag": "nonFraction",
        "fact": attrs,
        "shown": fact.display,
        "before": before,
        "after": after,
        "bold": any(r.bold for r in runs),
        "underline": any(r.underline for r in runs),
        "title": fact_title(fact),
    }


_UNIT_WORDS = {"CNY": "RMB", "USD": "US$", "CNY_per_share": "RMB per share", "USD_per_share": "US$ per share",
               "shares": "shares", "pure": "ratio"}


def fact_title(fact: Fact) -> str:
    """What a tagged figure was read as, for the page (a title: the reviewer hovers over it):
    'line 183: Total revenues | Three months ended Jun 30, 2025 | RMB | ...Member'."""
    period = fact.context.period
    end = f"{period.end:%b} {period.end.day}, {period.end.year}"
    if period.start is None:
        when = f"As at {end}"
    else:
        months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        when = f"{_MONTHS_WORD.get(months, f'{months} months')} ended {end}"
    parts = [f"line {fact.source.line}: {fact.label or fact.concept}", when, _UNIT_WORDS.get(fact.unit or "", fact.unit or "")]
    parts += [member for _, member in fact.context.dimensions]
    return " | ".join(p for p in parts if p)


def render_review(view: dict) -> str:
    """out/index.html from its view model (publish/review.py)."""
    return _environment().get_template("index.html.j2").render(page=view)
