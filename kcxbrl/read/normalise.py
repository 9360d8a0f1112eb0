"""Characters and spacing that carry no meaning, normalised before anything reads the text.

Converters leave characters that only look like spaces (NBSP, thin and figure spaces) and
characters that are not seen at all (zero-width spaces and joiners, byte order marks, soft
hyphens, bidi marks and embeddings) inside labels and figures; and some print a table's cells
separated by runs of spaces instead of tabs. Each line is normalised here: space-like
characters become spaces, invisible ones are dropped, and a run of two or more spaces that
separates a label from its figures (or one header caption from the next) becomes a tab.

Normalising may move characters, so each changed line keeps a map from its normalised
columns back to the file's; `restore_columns` puts the file's columns back into every
SourceRef of the blocks read from normalised lines, so that every figure still points at
its place in the file.
"""

from __future__ import annotations

import re

from kcxbrl.read.model import Block, Cell, Heading, Table
from kcxbrl.read.text import is_footnote_mark, parse_amount

# look like a space: NBSP, ogham space, en/em/thin/hair spaces, narrow NBSP, math space, ideographic space
_SPACE_LIKE = dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                                "\u200a\u202f\u205f\u3000"), " ")
# carry no meaning in a label or figure: soft hyphen, Arabic letter mark, Mongolian vowel separator,
# zero-width space/non-joiner/joiner, LRM/RLM, bidi embeddings/overrides/isolates, word joiner and
# invisible operators, byte order mark
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_UNUSUAL = re.compile("[\u00a0\u1680\u2000-\u200f\u202a-\u202f\u205f-\u2064\u2066-\u2069\u3000\ufeff\u00ad\u061c\u180e]")

# A gap: two or more spaces between two printed characters.
_GAP = re.compile(r"(?<=[^ \t]) {2,}(?=[^ \t])")
_LEADING_GAP = re.compile(r"^ {2,}(?=[^ \t])")
_TRAILING_GAP = re.compile(r"(?<=[^ \t]) {2,}$")
# What a header cell is made of: years, dates, periods, currencies, column captions; a cell that
# is nothing else is a header cell ("Dec 31, 2022 RMB", "Three Months Ended", "US$'000", "%").
_HEADER_TOKEN = re.compile(
    r"\byear-on-year\b|\bnumber\s+of(?:\s+\w+)?"
    r"|(?:19|20)\d\d|\b(?:rmb|us\\?\$|hk\$|usd|cny)(?:\s*'000)?|\bnotes?\b|\(?%\)?|\((?:un)?audited\)"
    r"|\b(?:three|six|nine|twelve)\b|\b(?:months?|years?|quarters?|weeks?|periods?)\b|\bend(?:ed|ing)\b"
    r"|\bas\s+(?:at|of)\b|\bfor\s+the\b|\bfiscal\b|\byoy\b|\bchange\b|\bpercentage\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|\b\d{1,2}\b",
    re.IGNORECASE)
_STRONG_HEADER_TOKEN = re.compile(
    r"(?:19|20)\d\d|\b(?:rmb|us\\?\$|hk\$|usd|cny)|%|\bend(?:ed|ing)\b|\bas\s+(?:at|of)\b|\bnotes?\b"
    r"|\bchange\b|\bpercentage\b|\bnumber\s+of\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.IGNORECASE)
_MARKUP = re.compile(r"\*\*|</?[uib]>", re.IGNORECASE)


def normalise_lines(lines: list[str]) -> tuple[list[str], dict[int, tuple[int, ...]]]:
    """The lines normalised, and for each line that changed (by 0-based index) the file column
    (0-based) of each of its characters, plus one past its end."""
    cleaned: list[str] = []
    maps: dict[int, tuple[int, ...]] = {}
    for index, line in enumerate(lines):
        text, columns = normalise_line(line)
        cleaned.append(text)
        if columns is not None:
            maps[index] = columns
    return cleaned, maps


def normalise_line(line: str) -> tuple[str, tuple[int, ...] | None]:
    piped = _pipe_row(line)
    if piped is None and _UNUSUAL.search(line) is None and "  " not in line:
        return line, None
    chars: list[str] = []
    columns: list[int] = []
    for char, column in piped if piped is not None else zip(line, range(len(line))):
        char = char.translate(_SPACE_LIKE)
        if not _INVISIBLE.match(char):
            chars.append(char)
            columns.append(column)
    text = "".join(chars)
    gaps = _cell_gaps(text) if piped is None else []
    if gaps:
        out: list[str] = []
        out_columns: list[int] = []
        pos = 0
        for start, end in gaps:
            out += chars[pos:start] + ["\t"]
            out_columns += columns[pos:start] + [columns[start]]
            pos = end
        out += chars[pos:]
        out_columns += columns[pos:]
        text, columns = "".join(out), out_columns
    columns.append(len(line))
    if text == line:
        return line, None
    return text, tuple(columns)


# A Markdown table row ("| Revenues | 2,349,227 | 1,891,812 |") and its rule row ("|---|--:|").
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*:?-{3,}:?\s*$")


def _pipe_row(line: str) -> list[tuple[str, int]] | None:
    """A Markdown table row as (character, file column) pairs of a tab-separated row (cells
    stripped, the outer bars dropped); a rule row as no characters; None for any other line."""
    if _PIPE_ROW.match(line) and line.count("|") >= 3:
        first, last = line.index("|"), line.rindex("|")
    elif _BARE_PIPES.search(line) and _bare_pipe_row(line):
        first, last = -1, len(line)  # "Net sales | 115,365 | 114,611": the outer bars left out
    else:
        return None
    cells, start = [], first + 1
    for k in range(first + 1, last + 1):
        if k == len(line) or line[k] == "|":
            cells.append((start, k))
            start = k + 1
    if all(_PIPE_RULE.match(line[a:b]) for a, b in cells):
        return []
    out: list[tuple[str, int]] = []
    for n, (a, b) in enumerate(cells):
        if n:
            out.append(("\t", a - 1))  # at its bar: an empty cell keeps a column of its own
        while a < b and line[a].isspace():
            a += 1
        while b > a and line[b - 1].isspace():
            b -= 1
        out += [(line[k], k) for k in range(a, b)]
    return out


# GFM's table row without its outer bars: cells separated by " | "
_BARE_PIPES = re.compile(r"(?:^|\S) \|(?: |$)")
_UNCLOSED = re.compile(r"\(\s*\d[\d,]*(?:\.\d+)?")  # "(37": a negative figure that lost its ")"


def _bare_pipe_row(line: str) -> bool:
    """A row of cells separated by bars with no bar at either end: figures after its label, or
    captions only a header has (prose with a bar in it is neither)."""
    cells = [c.strip() for c in line.split("|")]
    filled = [c for c in cells if c]
    return any(_is_figure(c) or _UNCLOSED.fullmatch(_plain(c)) for c in cells[1:]) or (
        (len(filled) >= 2 or not cells[0]) and filled and _is_header_row(filled)) or (
        len(cells) >= 3 and filled == cells[:1])  # a section's label over empty cells ("ASSETS |  | ")


def _plain(text: str) -> str:
    return _MARKUP.sub("", text).strip()


def _is_figure(text: str) -> bool:
    """A figure, or the footnote mark that stands where one would ("*")."""
    plain = _plain(text)
    return parse_amount(plain) is not None or is_footnote_mark(plain)


def _is_header_cell(text: str, strong: bool = True) -> bool:
    """Nothing but header words, give or take a letter or two of a garbled one ("For the s");
    `strong`: and one that only a header says (a year, a currency, "ended", a date...)."""
    plain = _plain(text)
    if not plain or len(plain) > 60 or plain.endswith("."):
        return False
    if strong and not _STRONG_HEADER_TOKEN.search(plain):
        return False
    rest = _HEADER_TOKEN.sub(" ", plain)
    return len(re.findall(r"[^\W\d_]", rest)) <= 3 and not re.search(r"\d", rest)


_CAPTION_WORDS = re.compile(r"^[^\W\d_][\w'&/-]*(?: [\w'&/()-]+){0,2}$")


def _is_header_row(cells: list[str]) -> bool:
    """Captions: each a header cell or a short caption of a few words ("Employees"), one at
    least a header cell only a header has."""
    return any(_is_header_cell(c) for c in cells) and all(
        _is_header_cell(c, strong=False) or (len(_plain(c)) <= 25 and _CAPTION_WORDS.match(_plain(c))) for c in cells)


def _cell_gaps(text: str) -> list[tuple[int, int]]:
    """The runs of spaces in `text` that separate table cells: before a figure (a label and its
    figures, or figure from figure), or between the captions of a header row (every cell after
    the first a period, date, year, currency or column caption). A gap inside a label ("Net loss
    attributable to" with two spaces) or in running text is left alone."""
    gaps = [(m.start(), m.end()) for m in _GAP.finditer(text)]
    if "\t" in text:  # tabs separate the cells; a gap inside a cell only before a figure
        return [(s, e) for s, e in gaps if _is_figure(_cell_at(text, e))]
    leading = _LEADING_GAP.match(text)
    bounds = ([(0, leading.end())] if leading else []) + gaps
    trailing = _TRAILING_GAP.search(text)
    if trailing and not gaps and _is_header_cell(text.strip()):
        # one header caption padded with spaces where its row had empty cells ("Three Months Ended")
        return bounds + [(trailing.start(), trailing.end())]
    if not bounds:
        return []
    cells = [text[s:e] for s, e in zip([0] + [end for _, end in bounds], [start for start, _ in bounds] + [len(text)])]
    first, rest = cells[0], cells[1:]
    if len(rest) >= (1 if leading else 2) and _is_header_row(rest) and len(first) <= 40 \
            and not first.rstrip().endswith("."):
        return bounds  # a header row: an empty or short first cell, then captions
    if leading:
        # an unlabelled row of figures (a total), or else indentation, not an empty cell
        return bounds if rest and all(_is_figure(c) for c in rest) else []
    figure_gaps = [(s, e) for s, e in gaps if _is_figure(_cell_at(text, e))]
    if figure_gaps and len(first) <= 160 and all(_is_figure(_cell_at(text, e)) for _, e in gaps[gaps.index(figure_gaps[0]):]):
        return figure_gaps  # a label and its figures (a gap inside the label stays)
    return []


def _cell_at(text: str, start: int) -> str:
    """The text from `start` to the next tab or gap."""
    m = re.compile(r"\t| {2,}").search(text, start)
    return text[start:m.start() if m else len(text)]


# ---------------------------------------------------------------- back to the file's columns


def restore_columns(blocks: list[Block], maps: dict[int, tuple[int, ...]]) -> list[Block]:
    """The blocks with every column that was read from a normalised line set back to the
    file's column."""
    if not maps:
        return blocks
    return [_restored(block, maps) for block in blocks]


def _file_column(maps: dict[int, tuple[int, ...]], line: int, column: int) -> int:
    """1-based file column of a 1-based column of normalised line `line` (1-based)."""
    columns = maps.get(line - 1)
    if columns is None:
        return column
    return columns[min(column - 1, len(columns) - 1)] + 1


def _restored(block: Block, maps: dict[int, tuple[int, ...]]) -> Block:
    if isinstance(block, Table):
        below = (block.rest_below,) if block.rest_below else ()
        if not any(row.line - 1 in maps or any(line - 1 in maps for line in row.joined_from)
                   for row in block.rows + below):
            return block
        rows = tuple(row.model_copy(update={"cells": tuple(_cell(c, maps) for c in row.cells)}) for row in block.rows)
        rest = tuple(row.model_copy(update={"cells": tuple(_cell(c, maps) for c in row.cells)}) for row in below)
        return block.model_copy(update={"rows": rows, "rest_below": rest[0] if rest else None})
    first = block.ref.line
    count = 1 if isinstance(block, Heading) else len(block.lines)
    if not any(first - 1 + k in maps for k in range(count)):
        return block
    ref = block.ref.model_copy(update={"column": _file_column(maps, first, block.ref.column)})
    file_columns = []
    for k in range(count):
        own = block.file_columns[k] if k < len(block.file_columns) else None
        columns = maps.get(first - 1 + k)
        if columns is None:
            file_columns.append(own)
            continue
        width = len(own) if own is not None else len(columns) - 1
        file_columns.append(tuple(columns[min(own[i] if own is not None else i, len(columns) - 1)] for i in range(width)))
    return block.model_copy(update={"ref": ref, "file_columns": tuple(file_columns)})


def _cell(cell: Cell, maps: dict[int, tuple[int, ...]]) -> Cell:
    column = _file_column(maps, cell.ref.line, cell.ref.column)
    return cell if column == cell.ref.column else cell.model_copy(update={"ref": cell.ref.model_copy(update={"column": column})})
