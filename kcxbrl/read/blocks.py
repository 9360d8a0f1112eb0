"""Plain text lines -> the Document's blocks (headings, paragraphs, tables, with line numbers).

The text comes from a PDF or newswire conversion. Tables are tab-separated, but damaged:
rows whose figures are separated by spaces, a label and its figures on different lines,
section labels without tabs, blank lines inside a table, and a second header row in the
middle where a table continued on a new page. The reader keeps every line it is given;
it only decides which block each line belongs to. A paragraph broken by blank lines
mid-sentence is one paragraph (the blank lines stay in it as empty lines, so lines and columns
stay the file's); a caption line ("... STATEMENTS OF ...", "(All amounts in thousands)") always
ends a table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from kcxbrl.errors import InputError
from kcxbrl.findings import SourceRef
from kcxbrl.read.model import Cell, Document, Heading, Paragraph, Row, Table
from kcxbrl.read.normalise import normalise_lines, restore_columns
from kcxbrl.read.text import is_amount, parse_amount, parse_runs, plain, plain_offsets


MAX_INPUT_BYTES = 20 * 1024 * 1024  # an announcement is well under 1 MB; 20 MB is surely not one
# An announcement's tables have about a thousand cells; each cell costs a few kB as a model, so
# a file of nothing but tab-separated digits (well under 20 MB) would cost minutes and gigabytes.
MAX_TABLE_CELLS = 100_000

# Words a table header is made of (periods, currencies, column captions); garbled fragments
# of them ("For the si", "2022 2023 2") still carry one of these.
_HEADER_WORDS = re.compile(
    r"(?<!\d)(19|20)\d\d\b|\b[1-4]q\d\d\b|\b[12]h\d\d\b|^(notes?|not|rmb|us\$|hk\$|%|\(%\)|change|percentage|function|employees)$|"
    r"^(cny|usd|rmb)\s*\([^)]{1,3}\)$|"  # "CNY (¥)", "USD ($)": SEC's rendering of a currency column
    r"rmb'000|us\$'000|\(in thousands\)|\((?:un)?audited\)|year-on-year|\bchange\b|^for the\b|^as (at|of)\b|"
    r"months? ended|years? ended|weeks? ended|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|number of",
    re.IGNORECASE,
)
_LOOKAHEAD_LINES = 3  # non-blank lines a table may pause for (section labels, split rows)
# A line that captions a table (a statement's title, the amounts' scale) starts a new one: a table
# never goes on across it, so a table whose header was lost is not read as more rows of the one
# above (whose columns, periods and currencies are not its own).
_SCALE_LINE = re.compile(r"^\(?\s*(?:all\s+)?amounts\s+(?:are\s+)?(?:in|expressed)\b|^\(in (thousands|millions)\b",
                         re.IGNORECASE)
_CAPTION = re.compile(
    r"^\(?\s*(?:all\s+)?amounts\s+(?:are\s+)?(?:in|expressed)\b"
    r"|\b(?:statements?\s+of|balance\s+sheets?|reconciliations?\s+of)\b",
    re.IGNORECASE,
)


def read_lines(path: Path) -> list[str]:
    name = path.name

    def line_at(data: bytes, offset: int) -> int:
        """1-based line of a byte offset, counting CRLF, CR and LF line ends as below."""
        head = data[:offset]
        return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1

    try:
        if not path.exists():
            raise InputError(name, None, "file not found")
        if not path.is_file():
            raise InputError(name, None, "not a regular file")
        size = path.stat().st_size
        if size == 0:
            raise InputError(name, None, "file is empty")
        if size > MAX_INPUT_BYTES:
            raise InputError(name, None, f"file is {size} bytes; an announcement is expected to be under {MAX_INPUT_BYTES}")
        data = path.read_bytes()
    except IsADirectoryError:  # replaced by a folder since the check above
        raise InputError(name, None, "not a regular file") from None
    except OSError as exc:  # no permission to read it, an I/O error of the disk: the input is not usable
        raise InputError(name, None, f"cannot be read ({exc.strerror or exc})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(name, 1, "UTF-16 text (byte order mark); save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(name, line_at(data, nul), "binary content (NUL byte): not a text announcement")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(name, line_at(data, exc.start), f"not UTF-8 text (byte 0x{data[exc.start]:02x})") from None
    # page breaks from PDF conversion (form feed, vertical tab) are whitespace, kept in place so
    # lines and columns stay as in the file; other control characters cannot go into XML 1.0
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", " ").replace("\x0c", " ").split("\n")
    not_xml = re.compile("[\x01-\x08\x0e-\x1f\ufffe\uffff]")
    for number, line in enumerate(lines, 1):
        bad = not_xml.search(line)
        if bad:
            raise InputError(name, number, f"control character U+{ord(bad.group()):04X} at column {bad.start() + 1}: "
                                           "not plain text")
    cells = 0
    for number, line in enumerate(lines, 1):
        cells += line.count("\t") + 1 if "\t" in line else spaced_figure_count(line, MAX_TABLE_CELLS - cells + 1)
        if cells > MAX_TABLE_CELLS:
            raise InputError(name, number, f"more than {MAX_TABLE_CELLS:,} table cells by this line: "
                                           "not an announcement (they have a few thousand)")
    if not any(line.strip() for line in lines):
        raise InputError(name, None, "file has no text")
    first = next(i for i, line in enumerate(lines) if line.strip())
    if re.match(r"\s*<(\?xml|!doctype|html)", lines[first], re.IGNORECASE):
        raise InputError(name, first + 1, "markup document (HTML/XML), expected plain text")
    return lines


# ---------------------------------------------------------------- line classification


def split_cells(raw: str, file: str, line_no: int) -> tuple[Cell, ...]:
    """Cells of a table line: tab-separated, or a label followed by space-separated figures."""
    if "\t" in raw:
        cells, pos = [], 0
        for part in raw.split("\t"):
            cells.append(_cell(part, file, line_no, pos))
            pos += len(part) + 1
        return tuple(cells)
    return _split_spaced_figures(raw, file, line_no)


def _cell(part: str, file: str, line_no: int, pos: int) -> Cell:
    lead = len(part) - len(part.lstrip())
    return Cell(text=plain(part), runs=parse_runs(part.strip()), ref=SourceRef(file=file, line=line_no, column=pos + lead + 1))


def _split_spaced_figures(raw: str, file: str, line_no: int) -> tuple[Cell, ...]:
    """'Total liabilities **9,159,435** **10,816,556**' -> label cell + one cell per figure."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", raw)]
    figures: list[tuple[int, int]] = []
    while spans and is_amount(plain(raw[spans[-1][0]:spans[-1][1]])):
        figures.insert(0, spans.pop())
    # "(1,234)" may have been split as "(1,234" ")" only if spaced oddly; keep it simple
    label_end = spans[-1][1] if spans else 0
    cells = [_cell(raw[:label_end], file, line_no, 0)]
    cells += [_cell(raw[s:e], file, line_no, s) for s, e in figures]
    return tuple(cells)


def spaced_figure_count(raw: str, limit: int | None = None) -> int:
    """How many figures end a tab-less line (0 when it does not end in figures), counting no
    further than `limit`."""
    if "\t" in raw:
        return 0
    tokens = raw.split()
    count = 0
    while tokens and is_amount(plain(tokens[-1])) and (limit is None or count < limit):
        tokens.pop()
        count += 1
    return count if (count >= 2 or (count >= 1 and not tokens)) else 0


def is_header_row(cells: tuple[Cell, ...]) -> bool:
    """A row of column captions: no figure, and its cells speak of periods or currencies."""
    texts = [c.text for c in cells if c.text]
    if not texts:
        return False
    if cells[0].text and not _HEADER_WORDS.search(cells[0].text):
        return False  # a row label ("Adjustments:") makes it a row, whatever its cells say
    for text in texts:
        parsed = parse_amount(text)
        if parsed is not None and not _is_year(text):
            return False
    return any(_HEADER_WORDS.search(t) for t in texts[1:] or texts) and all(
        _HEADER_WORDS.search(t) or len(t) <= 4 for t in texts[1:]
    )


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", text.strip()))


def is_data_row(cells: tuple[Cell, ...]) -> bool:
    """A row with at least one figure after its label (a bare year is a column caption)."""
    return any(parse_amount(c.text) is not None and not _is_year(c.text) for c in cells[1:])


def _is_label_like(raw: str) -> bool:
    text = plain(raw)
    return 0 < len(text) <= 120 and not text.endswith((".", ";")) and ". " not in text


def _is_caption(raw: str) -> bool:
    return bool(_CAPTION.search(plain(raw)))


def _is_table_line(raw: str) -> bool:
    return "\t" in raw


@lru_cache(maxsize=4096)
def _cells_of(raw: str, file: str, line_no: int) -> tuple[Cell, ...]:
    """split_cells, remembered: the table lookahead looks at the same lines more than once."""
    return split_cells(raw, file, line_no)


# ---------------------------------------------------------------- grouping


def parse_lines(file: str, raw_lines: list[str]) -> Document:
    """The document's blocks from its lines (as read_lines gives them): normalised first
    (normalise.py), every column then set back to the file's."""
    _cells_of.cache_clear()
    lines, column_maps = normalise_lines(raw_lines)
    blocks: list = []
    i, n = 0, len(lines)
    while i < n:
        raw = lines[i]
        if not raw.strip():
            i += 1
        elif _is_table_line(raw):
            i = _take_tables(file, lines, i, blocks)
        else:
            i = _take_text(file, lines, i, blocks)
    stem = Path(file).stem
    return Document(name=stem, file=file, blocks=tuple(restore_columns(blocks, column_maps)), line_count=n)


def _take_text(file: str, lines: list[str], i: int, blocks: list) -> int:
    start = i
    while True:
        while i < len(lines) and lines[i].strip() and not _is_table_line(lines[i]):
            i += 1
        if (i - start == 1 and _heading_level(lines[start], blocks) and not _UNFINISHED.search(plain(lines[start]))
                and not (_in_sentence_case(lines[start]) and _goes_on_in_lower_case(lines, i))):
            # a heading is never continued (a line ending "... in the same period in" is no
            # heading, nor one whose text goes on in lower case after a blank line)
            break
        resume = _continuation(lines, start, i)
        if resume is None:
            break
        i = resume
    # blank lines inside a continued paragraph stay as empty lines: Paragraph.lines keeps one
    # entry per source line, so every figure's line and column are the file's
    raw_block = "\n".join(line if line.strip() else "" for line in lines[start:i])
    runs = parse_runs(raw_block)
    per_line = _split_runs_by_line(runs)
    columns = _file_columns(raw_block)
    ref = SourceRef(file=file, line=start + 1, column=len(lines[start]) - len(lines[start].lstrip()) + 1)
    level = _heading_level(raw_block, blocks) if i - start == 1 else None
    if level:
        blocks.append(Heading(level=level, runs=per_line[0], ref=ref, file_columns=columns[:1]))
    else:
        blocks.append(Paragraph(lines=tuple(per_line), ref=ref, file_columns=columns))
    return i


# A paragraph broken by a blank line mid-sentence ("... in the same period in" / "" /
# "2024 and decreased by ..."): it does not end a sentence, and the next text starts in lower
# case, or with a year or figure that goes on ("2024 and", "30, 2025", "27.8% from").
_UNFINISHED = re.compile(r"\b(?:to|of|and|or|from|in|for|by|with|as|at|on|the|a|an|than|was|were|is|are)$", re.IGNORECASE)
_SENTENCE_FINAL = (".", "!", "?", ":", ";")
_CLOSING_QUOTES = "\"'”’»"
_CONTINUATION = re.compile(
    r"""^(?:[a-z]                                              # "and decreased by ..."
        |(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?(?:[,;]|\s+[a-z(])  # "2024 and", "30, 2025", "27.8% from"
        |(?:19|20)\d\d[.)]                                   # "2024." ends the sentence
        )""", re.VERBOSE)


def _in_sentence_case(line: str) -> bool:
    """Words after the first in lower case, as a sentence's ("Basic and diluted loss per
    share"), not a title's ("RESULTS HIGHLIGHTS", "Results of Operations")."""
    words = plain(line).split()[1:]
    return len(words) >= 2 and sum(w[0].islower() for w in words) * 2 > len(words)


def _goes_on_in_lower_case(lines: list[str], end: int) -> bool:
    """The text after the blank lines at `end` starts in lower case ("Basic and diluted loss per
    share" / "" / "during the periods are calculated as follows:"): a sentence broken apart."""
    j = end
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j > end and j < len(lines) and not _is_table_line(lines[j]) and bool(re.match(r"[a-z]", plain(lines[j])))


def _continuation(lines: list[str], start: int, end: int) -> int | None:
    """Where the paragraph of lines[start:end] goes on after blank lines, or None."""
    if end >= len(lines) or lines[end].strip():
        return None  # the text ends at a table line, or the file ends
    last = plain(lines[end - 1]).rstrip(_CLOSING_QUOTES + " ")
    if not last or last.endswith(_SENTENCE_FINAL) or (end - start == 1 and " " not in plain(lines[start])):
        return None  # a sentence ended, or a single word ("Notes") is no paragraph
    j = end
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j >= len(lines) or _is_table_line(lines[j]) or not _CONTINUATION.match(plain(lines[j])):
        return None
    return j


def _file_columns(raw_block: str) -> tuple[tuple[int, ...] | None, ...]:
    """Per line of the block, the 0-based file column of each plain character, or None where
    the plain line is the raw line (no markup, no escapes)."""
    offsets = plain_offsets(raw_block)
    if len(offsets) == len(raw_block):
        return ()
    result: list[tuple[int, ...] | None] = []
    line_start, current = 0, []
    for offset in offsets:
        if raw_block[offset] == "\n":
            result.append(tuple(current))
            line_start, current = offset + 1, []
            continue
        current.append(offset - line_start)
    result.append(tuple(current))
    return tuple(None if list(cols) == list(range(len(cols))) else cols for cols in result)


def _split_runs_by_line(runs) -> list[tuple]:
    lines: list[list] = [[]]
    for run in runs:
        parts = run.text.split("\n")
        for k, part in enumerate(parts):
            if k:
                lines.append([])
            if part:
                lines[-1].append(run.model_copy(update={"text": part}))
    return [tuple(line) for line in lines]


# A form's field and its entry ("By: /s/ Name", "Name: ...", "Title: ...", "Date: ..."): a
# short caption without figures, a colon, then the entry.
_FIELD = re.compile(r"^[A-Za-z][A-Za-z .'/&-]{0,30}:\s+\S")
_CHECK_BOXES = re.compile("[\u2610-\u2612\u22a0\u25a0-\u25a1\u2713\u2714\u2717\u2718]")
_QUESTION = re.compile(r"\bwhether\b|\?\s*$", re.IGNORECASE)
_WORD = re.compile(r"[\w$-]+")


def _answers_question(text: str, blocks: list) -> bool:
    """A line that only repeats alternatives the question just above names ("Indicate ...
    whether ... Form 20-F or Form 40-F." / "Form 20-F ⊠ Form 40-F □"): an answer, not a heading.
    Answers given one a line each are skipped back over to the question."""
    words = {w.lower() for w in _WORD.findall(text)}
    for block in reversed(blocks[-4:]):
        if not isinstance(block, Paragraph):
            return False
        if _QUESTION.search(block.text):
            return words <= {w.lower() for w in _WORD.findall(block.text)}
        if len(block.lines) > 1 or len(_WORD.findall(block.text)) > 8:
            return False  # text, not an answer given on a line of its own
    return False


def _heading_level(raw: str, blocks: list | None = None) -> int | None:
    """The level of a one-line block that is a heading (2: capitals, 3: a title or a numbered
    title, 4: a lettered one), or None; `blocks`: the blocks above it."""
    text = plain(raw)
    if not _is_label_like(raw) or len(text) > 200 or text.endswith((",", ":")) or text.startswith("("):
        return None
    if _FIELD.match(text) or _CHECK_BOXES.search(text) or (blocks and _answers_question(text, blocks)):
        return None  # a form's field, a check box, an answer: the cover page's lines, not titles
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 4 and sum(ch.isupper() for ch in letters) / len(letters) > 0.9:
        return 2
    if re.match(r"\d+\.\s+\S", text):
        return 3
    if re.match(r"\([a-z]\)\s+\S", text):
        return 4
    if len(text) <= 100 and text[0].isupper() and not re.search(r"\d{3}", text):
        return 3
    return None


def _take_tables(file: str, lines: list[str], i: int, blocks: list) -> int:
    """Take one or more consecutive tables starting at line i (a tab line). A table continued
    over a page break is one table: the page number, running heads and header rows printed
    again are kept as its furniture rows."""
    rows: list[Row] = []
    has_data = False
    table_start = i
    n = len(lines)
    while i < n:
        raw = lines[i]
        if has_data and (not raw.strip() or _PAGE_NUMBER.match(plain(raw)) or not _is_table_line(raw)
                         or is_header_row(_cells_of(raw, file, i + 1))):
            if not _is_table_line(raw) and _right_below_figures(rows, i) and _may_end_label(raw) \
                    and not spaced_figure_count(raw):
                # a label-only line right below a row (no blank line: not the page's furniture),
                # then a page break: a row of the table, as it would be without the break
                page_break = _page_break(file, lines, i + 1, rows)
                if page_break is not None:
                    furniture, after = page_break
                    rows += [Row(cells=_cells_of(raw, file, i + 1), line=i + 1), *furniture]
                    i = after
                    continue
            page_break = _page_break(file, lines, i, rows)
            if page_break is not None:
                furniture, i = page_break
                rows += furniture
                continue
        if not raw.strip():
            if _continues(lines, i, header_ok=not has_data, file=file):
                i += 1
                while i < n and not lines[i].strip():
                    i += 1  # the same answer for every blank line of the run: ask once
                continue
            break
        if _is_table_line(raw) or spaced_figure_count(raw):
            cells = _cells_of(raw, file, i + 1)
            if is_header_row(cells) and has_data:
                blocks.append(_table(file, rows, table_start))
                rows, has_data, table_start = [], False, i
            row = Row(cells=cells, line=i + 1)
            _join_split_values(rows, row)
            has_data = has_data or is_data_row(row.cells)
            i += 1
            continue
        if _is_label_like(raw) and not _is_caption(raw) and _continues(lines, i, header_ok=False, file=file):
            rows.append(Row(cells=_cells_of(raw, file, i + 1), line=i + 1))
            i += 1
            continue
        if _right_below_figures(rows, i) and _may_end_label(raw):
            below = lines[i + 1] if i + 1 < n else ""
            if _is_table_line(below) and not is_header_row(_cells_of(below, file, i + 2)):
                # between two rows, too long or sentence-like for a section label: the rest of
                # the label above ("Class Y Ordinary Shares (US$0.0001 par value; ... as of December" /
                # "31, 2022; ... 2023)")
                rows.append(Row(cells=_cells_of(raw, file, i + 1), line=i + 1, rest_of_label=True))
                i += 1
                continue
            rest_below = Row(cells=_cells_of(raw, file, i + 1), line=i + 1)
            blocks.append(_table(file, rows, table_start, rest_below))
            return i
        break
    blocks.append(_table(file, rows, table_start))
    return i


def _right_below_figures(rows: list[Row], i: int) -> bool:
    """Line i (0-based) comes right after the table's last row, a labelled row of figures, with
    no blank line between (a page number read as a figure has no label to go on)."""
    if not rows or rows[-1].furniture or not rows[-1].label or not is_data_row(rows[-1].cells):
        return False
    return max((rows[-1].line, *rows[-1].joined_from)) == i


def _may_end_label(raw: str) -> bool:
    """A line that may be the end of a label wrapped below its figures: short text that ends no
    sentence and introduces nothing (a caption, a page number, "Notes:" are not)."""
    text = plain(raw)
    return (0 < len(text) <= 200 and not text.endswith((".", ";", ":")) and not _is_caption(raw)
            and not _PAGE_NUMBER.match(text))


# A page number as converters print it: "24", "- 24 -", "Page 24", "24 of 40", "F-12".
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*(?:[A-Z]{1,2}-)?\d{1,3}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,3})?$", re.IGNORECASE)
_CONTINUED = re.compile(r"\(?\bcontinued\b\)?|\(cont(?:'d|inued)?\.?\)", re.IGNORECASE)
_PERIOD_OR_CURRENCY = re.compile(r"\b(?:19|20)\d\d\b|\b(?:RMB|US\$|USD|CNY|HK\$)", re.IGNORECASE)
_NUMBERED_TITLE = re.compile(r"^(?:\d{1,2}\.|\([a-z]\)|[A-Z]\.)\s+\S")
_MAX_FURNITURE_LINES = 5  # page number, running heads: a page break prints a few short lines


def _page_break(file: str, lines: list[str], i: int, rows: list[Row]) -> tuple[list[Row], int] | None:
    """The table of `rows` goes on after a page break at line i: page furniture (a page number,
    running heads such as "Table of Contents" or the issuer's name, and the column header rows
    printed again), then its rows. Returns the furniture as rows and where the table's rows go
    on; None when the table ends at line i. A caption ("... STATEMENTS OF ...") between the two
    parts starts a new table, unless it says "(continued)"."""
    n = len(lines)
    header = _header_texts(rows)
    furniture: list[int] = []
    page_number = continued = False
    j = i
    while j < n:
        raw = lines[j]
        text = plain(raw)
        if not text:
            j += 1
            continue
        if _PAGE_NUMBER.match(text):
            page_number = True
        elif _is_table_line(raw) or spaced_figure_count(raw):
            break
        elif continued and _SCALE_LINE.match(text):
            pass  # the amounts' scale printed again under a "(continued)" caption: furniture too
        elif len(text) > 100 or text.endswith((".", ";", ":")) or _NUMBERED_TITLE.match(text) or (
                _is_caption(raw) and not _CONTINUED.search(text)):
            return None  # running text, a section label, a note's title or another table's caption: the table has ended
        else:
            continued = continued or bool(_CONTINUED.search(text))
        furniture.append(j)
        if len(furniture) > _MAX_FURNITURE_LINES:
            return None
        j += 1
    if j >= n:
        return None
    repeated: list[int] = []
    k = j
    while k < n and _is_table_line(lines[k]) and is_header_row(_cells_of(lines[k], file, k + 1)):
        repeated.append(k)
        k += 1
        after = k
        while after < n and not lines[after].strip():
            after += 1  # a converter that prints a blank line after every row: the next header row
        if after > k and after < n and _is_table_line(lines[after]) and is_header_row(_cells_of(lines[after], file, after + 1)):
            k = after
    if repeated:
        printed_again = [_texts(_cells_of(lines[r], file, r + 1)) for r in repeated]
        # the header printed again: every row one of the table's header rows (or the dates and
        # currencies of one), and all of its dates and currencies printed again (a table under
        # the same first header row but without its currency row is another table)
        if not header or not all(texts in header or (_dated(texts) and _dated(texts) in map(_dated, header))
                                 for texts in printed_again) \
                or not {_dated(t) for t in header} - {()} <= {_dated(t) for t in printed_again}:
            return None  # a header of its own: another table
    elif not (page_number or continued) or not is_data_row(_cells_of(lines[j], file, j + 1)):
        return None
    if not furniture and j == i and not (repeated and rows and is_data_row(rows[-1].cells)
                                         and all(_texts(_cells_of(lines[r], file, r + 1)) in header for r in repeated)):
        # nothing between the two: not a page break, unless the header rows are printed again
        # word for word right under a row of figures (a converter that drops the blank lines of
        # a page break; after a label-only row, the same header heads another table)
        return None
    return [Row(cells=_cells_of(lines[f], file, f + 1), line=f + 1, furniture=True) for f in furniture + repeated], k


def _dated(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The cells of a header row that say a period or a currency (what the row means, whatever
    else a garbled copy of it prints: "Notes" or "Not")."""
    return tuple(t for t in texts if _PERIOD_OR_CURRENCY.search(t))


def _texts(cells: tuple[Cell, ...]) -> tuple[str, ...]:
    texts = [c.text for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


def _header_texts(rows: list[Row]) -> list[tuple[str, ...]]:
    """The texts of a table's column header rows (those before its first row of figures)."""
    header = []
    for row in rows:
        if row.furniture:
            continue
        if is_data_row(row.cells):
            break
        if is_header_row(row.cells):
            header.append(_texts(row.cells))
    return header


def _continues(lines: list[str], i: int, header_ok: bool, file: str = "") -> bool:
    """Does the table go on after line i? Only if a data row (or, while the header is still
    being read, another header row) comes soon, with nothing but blank lines and short labels
    in between."""
    seen = 0
    for j in range(i + 1, len(lines)):
        raw = lines[j]
        if not raw.strip():
            continue
        if _is_table_line(raw) or spaced_figure_count(raw):
            return header_ok or not is_header_row(_cells_of(raw, file, j + 1))
        seen += 1
        if seen > _LOOKAHEAD_LINES or not _is_label_like(raw) or _is_caption(raw):
            return False
    return False


def _join_split_values(rows: list[Row], row: Row) -> bool:
    """Add `row` to `rows` (in place: a table may have many rows); a figures-only line right
    after a label-only line is that label's row ('Total liabilities' / '12,087,334 17,770,121
    2,480,614'). True when joined."""
    if rows and not row.cells[0].text and is_data_row(row.cells):
        prev = rows[-1]
        prev_label_only = (prev.label and all(not c.text for c in prev.cells[1:]) and not prev.label.endswith(":")
                           and not prev.furniture)
        if prev_label_only and not is_header_row(prev.cells) and not _is_table_line_row(prev):
            rows[-1] = Row(cells=(prev.cells[0],) + row.cells[1:], line=prev.line, joined_from=(row.line,))
            return True
        if _figures_wrapped(rows, row):
            rows[-1] = Row(cells=prev.cells + row.cells[1:], line=prev.line,
                           joined_from=(*prev.joined_from, row.line))
            return True
    rows.append(row)
    return False


def _figures_wrapped(rows: list[Row], row: Row) -> bool:
    """`row`, figures without a label on the line right under a labelled row that prints fewer
    cells than the table's rows do, is the rest of that row's figures wrapped at a fixed width
    ("Total ... equity 5,168,040" / "6,723,900 938,621"): the two together have as many cells
    as a header row of the table has, or two of its rows of figures, and the row above has no
    empty cell of its own (an empty cell is a column without a figure, not a wrap)."""
    prev = rows[-1]
    if not prev.label or prev.furniture or not is_data_row(prev.cells) or any(not c.text for c in prev.cells[1:]):
        return False
    if max((prev.line, *prev.joined_from)) != row.line - 1:
        return False
    width = len(prev.cells) + len(row.cells) - 1
    above = [r for r in rows[:-1] if not r.furniture and len(r.cells) == width]
    return len(prev.cells) < width and (any(is_header_row(r.cells) for r in above)
                                        or sum(1 for r in above if is_data_row(r.cells)) >= 2)


def _is_table_line_row(row: Row) -> bool:
    # a tab-separated label row followed by an unlabelled figures row is a subtotal, not a split
    return len(row.cells) > 1


def _table(file: str, rows: list[Row], start: int, rest_below: Row | None = None) -> Table:
    return Table(rows=tuple(rows), ref=SourceRef(file=file, line=start + 1), rest_below=rest_below)
