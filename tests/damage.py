"""Ordinary conversion damage, applied to an announcement's lines the way other PDF and newswire
converters print them. Each function takes the lines of a clean document and returns damaged
lines; none changes a figure, a label's words (but `other_wordings`) or a header's meaning.

- page_breaks: every long table broken over pages: a blank line, a page number, a running head
  ("Table of Contents", the issuer's name), a blank line, the table's column header rows printed
  again, then the rows go on;
- split_paragraphs: the paragraph before every table broken mid-sentence by a blank line;
- other_wordings: row labels as other US-GAAP issuers print them;
- wrapped_labels_below: long row labels (two words and more) broken in two, the first part with
  the figures, the rest alone on the next line ("Total Kingsoft Cloud  8,801,020" / "Holdings
  Limited shareholders' equity"), where it may look like a section label or end the table;
- invisible_characters: NBSP, zero-width and bidi characters inside labels and figures;
- spaces_for_tabs: four spaces where the table had a tab;
- minus_signs: negative figures as "−530" (the Unicode minus of HTML converters), not "(530)";
- footnote_numbers: a footnote's number glued to a figure ("1,234(1)"), one row in six;
- wrapped_text: paragraphs broken into lines of at most 80 characters;
- split_parentheses: a negative figure's closing parenthesis in a cell of its own ("(530" | ")");
- wrapped_labels: long row labels broken in two, the first part alone on a line, the rest with
  the figures ("Total Kingsoft Cloud" / "Holdings Limited shareholders' equity  8,801,020");
- markdown_tables: every table as a Markdown pipe table (a rule row under its header), as
  Markdown converters print them (applied alone: it is another converter, not more damage);
- trailing_spaces: two spaces left at the end of every line with text;
- blank_after_rows: a blank line after every table row;
- day_first_dates: header dates day first ("30 Jun 2025", "31 December");
- wrapped_figures: a row's figures after the first wrapped onto the next line, one row in five;
- quarter_headers: the three-month columns' dates printed as quarters ("Q2 2025") beside the
  longer periods' dates.
"""

from __future__ import annotations

import re
import textwrap

from kcxbrl.read import parse_amount

_YEAR = re.compile(r"^(19|20)\d\d$")
_HEADER_WORD = re.compile(r"(19|20)\d\d|RMB|US\\?\$|ended|as (at|of)|%", re.IGNORECASE)


def _cells(line: str) -> list[str]:
    return line.split("\t")


def _has_figure(line: str) -> bool:
    return any(parse_amount(c.strip().strip("*")) is not None and not _YEAR.match(c.strip()) for c in _cells(line)[1:])


def tables(lines: list[str]) -> list[tuple[int, int, int]]:
    """(first line, first data line, last line) of each run of tab lines (0-based, blank lines
    inside a table allowed when a tab line follows)."""
    found = []
    i, n = 0, len(lines)
    while i < n:
        if "\t" not in lines[i]:
            i += 1
            continue
        start = last = i
        j = i + 1
        while j < n and ("\t" in lines[j] or (not lines[j].strip() and j + 1 < n and "\t" in lines[j + 1])):
            if "\t" in lines[j]:
                last = j
            j += 1
        data = next((k for k in range(start, last + 1) if _has_figure(lines[k])), None)
        if data is not None:
            found.append((start, data, last))
        i = last + 1
    return found


def page_breaks(lines: list[str], *, every: int = 9, running_head: str = "Table of Contents") -> list[str]:
    """Each table with more than `every` data rows breaks after every `every` rows; the header
    printed again is the one the rows stand under (the last run of caption rows above them)."""
    inserts: list[tuple[int, list[str]]] = []
    for start, data, last in tables(lines):
        rows = [k for k in range(data, last + 1) if lines[k].strip() and (_cells(lines[k])[0].strip() or _has_figure(lines[k]))]
        if len(rows) <= every:
            continue
        for k in rows[every::every]:
            above = [j for j in range(start, k) if "\t" in lines[j] and not _cells(lines[j])[0].strip()
                     and not _has_figure(lines[j]) and _HEADER_WORD.search(lines[j])]
            header: list[int] = []
            for j in reversed(above):  # the caption rows right above the rows' first figures
                if header and j != header[0] - 1:
                    break
                header.insert(0, j)
            if header:
                inserts.append((k, [lines[j] for j in header]))
    out = list(lines)
    page = 20 + len(inserts)
    for k, header in sorted(inserts, reverse=True):
        out[k:k] = ["", str(page), running_head, "", *header]
        page -= 1
    return out


def split_paragraphs(lines: list[str]) -> list[str]:
    """The last paragraph line before each table is broken after its middle word."""
    out = list(lines)
    for start, _, _ in reversed(tables(lines)):
        k = start - 1
        while k >= 0 and not out[k].strip():
            k -= 1
        if k < 0 or "\t" in out[k]:
            continue
        words = out[k].split(" ")
        if len(words) < 6:
            k -= 1  # a caption line: break the paragraph above it
            while k >= 0 and not out[k].strip():
                k -= 1
            if k < 0 or "\t" in out[k]:
                continue
            words = out[k].split(" ")
            if len(words) < 6:
                continue
        middle = len(words) // 2
        out[k:k + 1] = [" ".join(words[:middle]), "", " ".join(words[middle:])]
    return out


# How other US-GAAP issuers print the samples' row labels (seen in their published statements).
WORDINGS = [
    (r"^Total revenues\t", "Net revenues\t"),
    (r"^Selling and marketing expenses\t", "Sales and marketing expenses\t"),
    (r"^Operating loss\t", "Loss from operations\t"),
    (r"^Total operating expenses\t", "Total operating costs and expenses\t"),
    (r"^Income tax \(expense\) benefit\t", "Income tax\t"),
    (r"^Income tax expense\t", "Income tax\t"),
    (r"^Foreign exchange \(loss\) gain\t", "Exchange losses\t"),
    (r"^Other \(loss\) gain, net\t", "Other gains (losses), net\t"),
    (r"^Other \(expense\) income, net\t", "Others, net\t"),
    (r"^Total assets\t", "TOTAL ASSETS\t"),
    (r"^Total liabilities\t", "TOTAL LIABILITIES\t"),
    (r"^Loss before income taxes\t", "Loss before income tax expenses\t"),
]


def other_wordings(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        for pattern, replacement in WORDINGS:
            line = re.sub(pattern, replacement, line)
        out.append(line)
    return out


NBSP, ZWSP, ZWNJ, LRM, RLM, BOM, LRE, PDF = "\u00a0", "\u200b", "\u200c", "\u200e", "\u200f", "\ufeff", "\u202a", "\u202c"


def invisible_characters(lines: list[str]) -> list[str]:
    """In every table row: the label's first space an NBSP, a zero-width space inside its first
    word, a left-to-right mark before each figure, a bidi embedding around the last figure; in
    paragraphs, NBSP after "RMB"."""
    out = []
    for line in lines:
        if "\t" in line and _has_figure(line):
            cells = _cells(line)
            label = cells[0]
            if " " in label:
                label = label.replace(" ", NBSP, 1)
            if len(label) > 3:
                label = label[:2] + ZWSP + label[2:]
            figures = [LRM + c if parse_amount(c.strip()) is not None and c.strip() else c for c in cells[1:]]
            if figures and figures[-1].strip():
                figures[-1] = LRE + figures[-1] + PDF
            line = "\t".join([label, *figures])
        elif line.strip() and "\t" not in line:
            line = line.replace("RMB", "RMB" + NBSP, 1) if re.search(r"RMB\d", line) else line
            line = line.replace(" ", ZWNJ + " ", 1)
        out.append(line)
    return out


def spaces_for_tabs(lines: list[str]) -> list[str]:
    return [line.replace("\t", "    ") for line in lines]


def _map_figures(line: str, change) -> str:
    """The line with each figure cell (after the label) passed through `change`."""
    if "\t" not in line or not _has_figure(line):
        return line
    cells = _cells(line)
    return "\t".join([cells[0], *(change(c) if c.strip() and parse_amount(c.strip()) is not None
                                   and not _YEAR.match(c.strip()) else c for c in cells[1:])])


def _negatives_printed(lines: list[str], printed: str) -> list[str]:
    """Each "(530)" figure printed as `printed` says ("{digits}" stands for 530)."""
    def change(cell: str) -> str:
        m = re.fullmatch(r"(\s*)\((\d[\d,.]*)\)(\s*)", cell)
        return f"{m.group(1)}{printed.format(digits=m.group(2))}{m.group(3)}" if m else cell
    return [_map_figures(line, change) for line in lines]


def minus_signs(lines: list[str]) -> list[str]:
    return _negatives_printed(lines, "\u2212{digits}")


def footnote_numbers(lines: list[str]) -> list[str]:
    out, rows = [], 0
    for line in lines:
        if "\t" in line and _has_figure(line):
            rows += 1
            if rows % 6 == 0:
                done: list[bool] = []

                def change(cell: str) -> str:
                    if done or not re.search(r"\d$", cell.strip()):
                        return cell
                    done.append(True)
                    return cell.rstrip() + "(1)"
                line = _map_figures(line, change)
        out.append(line)
    return out


def wrapped_text(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        # prose (a sentence's end in it), not a table row whose cells lost their tabs
        if "\t" not in line and len(line) > 80 and re.search(r"[a-z)%]\.(\s|$)", line):
            out += textwrap.wrap(line, 80, break_long_words=False, break_on_hyphens=False)
        else:
            out.append(line)
    return out


def split_parentheses(lines: list[str]) -> list[str]:
    return _negatives_printed(lines, "({digits}\t)")


def _wrapped_labels(lines: list[str], figures_on_first: bool, min_words: int = 4) -> list[str]:
    """Long row labels (35 characters and more) broken in two at their middle word, the figures
    on the first or the second line."""
    out = []
    for line in lines:
        label = _cells(line)[0]
        words = label.split(" ")
        if "\t" in line and _has_figure(line) and len(label) >= 35 and len(words) >= min_words:
            first, rest, figures = " ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:]), line[len(label):]
            out += [first + figures, rest] if figures_on_first else [first, rest + figures]
        else:
            out.append(line)
    return out


def wrapped_labels(lines: list[str]) -> list[str]:
    return _wrapped_labels(lines, figures_on_first=False)


def wrapped_labels_below(lines: list[str]) -> list[str]:
    """The other way: the first part with the figures, the rest alone on the next line, where it
    may stand like a section label ("Holdings Limited shareholders' equity"), end the table
    ("cash at end of period" and a blank line), come before a page break or an unlabelled total."""
    return _wrapped_labels(lines, figures_on_first=True, min_words=2)


def markdown_tables(lines: list[str]) -> list[str]:
    out = list(lines)
    for start, data, last in reversed(tables(lines)):
        body = [line for line in lines[start:last + 1] if line.strip()]
        width = max(len(_cells(line)) for line in body)
        piped = []
        for k in range(start, last + 1):
            if not lines[k].strip():
                continue
            cells = _cells(lines[k]) + [""] * (width - len(_cells(lines[k])))
            piped.append("| " + " | ".join(c.strip() for c in cells) + " |")
            if k == max(data - 1, start):
                piped.append("|" + "|".join(["---"] * width) + "|")
        out[start:last + 1] = piped
    return out


def blank_after_rows(lines: list[str]) -> list[str]:
    """A blank line after every table row, header rows too (a converter that double-spaces)."""
    out = []
    for line in lines:
        out.append(line)
        if "\t" in line:
            out.append("")
    return out


_MONTH_FIRST = re.compile(r"\b([A-Z][a-z]{2,8})\.? (\d{1,2}),? ((?:19|20)\d\d)\b")
_MONTH_DAY_CELL = re.compile(r"\b([A-Z][a-z]{2,8}) (\d{1,2}),(?=\t|$)")


def day_first_dates(lines: list[str]) -> list[str]:
    """Dates in the tables' header rows printed day first, as Hong Kong and European issuers
    print them: "Jun 30, 2025" -> "30 Jun 2025", "December 31," (over a year) -> "31 December"."""
    out = []
    for line in lines:
        if "\t" in line and not _has_figure(line):
            line = _MONTH_FIRST.sub(lambda m: f"{m.group(2)} {m.group(1)} {m.group(3)}", line)
            line = _MONTH_DAY_CELL.sub(lambda m: f"{m.group(2)} {m.group(1)}", line)
        out.append(line)
    return out


def wrapped_figures(lines: list[str]) -> list[str]:
    """One table row in five with three figures or more (and no empty cell) wrapped at a fixed
    width after its first figure: the label and that figure on one line, the rest on the next."""
    out, rows = [], 0
    for line in lines:
        cells = _cells(line)
        if "\t" in line and _has_figure(line) and cells[0].strip() and len(cells) >= 4 and all(c.strip() for c in cells):
            rows += 1
            if rows % 5 == 0:
                out += ["\t".join(cells[:2]), "\t" + "\t".join(cells[2:])]
                continue
        out.append(line)
    return out


def trailing_spaces(lines: list[str]) -> list[str]:
    """Two spaces left at the end of every line that has text (a converter padding its lines)."""
    return [line + "  " if line.strip() else line for line in lines]


_HEADER_DATE = re.compile(r"^(?P<month>[A-Z][a-z]{2})[a-z]*\.? \d{1,2}, (?P<year>(?:19|20)\d\d)$")
_MONTH_NUMBER = {m: k for k, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                             "Nov", "Dec"), start=1)}


def quarter_headers(lines: list[str]) -> list[str]:
    """Under a "Three Months Ended" caption, the three-month columns' dates printed as the quarters
    they end ("Jun 30, 2025" -> "Q2 2025"), the longer periods' dates beside them as they were.
    The three-month group is the dates before the first that goes back in time."""
    out = list(lines)
    for start, data, _ in tables(lines):
        header = range(start, data)
        if not any("three months ended" in lines[k].lower() for k in header):
            continue
        for k in header:
            cells = _cells(lines[k])
            dates = [_HEADER_DATE.match(c.strip()) for c in cells]
            if sum(bool(d) for d in dates) < 2:
                continue
            previous, backwards = None, False
            for n, d in enumerate(dates):
                if not d:
                    continue
                key = (int(d.group("year")), _MONTH_NUMBER[d.group("month")])
                backwards = backwards or (previous is not None and key < previous)
                previous = key
                if not backwards:
                    cells[n] = f"Q{(key[1] + 2) // 3} {key[0]}"
            out[k] = "\t".join(cells)
    return out


DAMAGES = {
    "page_breaks": page_breaks,
    "split_paragraphs": split_paragraphs,
    "other_wordings": other_wordings,
    "wrapped_labels_below": wrapped_labels_below,  # before spaces_for_tabs: "all" has it with the others
    "invisible_characters": invisible_characters,
    "spaces_for_tabs": spaces_for_tabs,
    "minus_signs": minus_signs,
    "footnote_numbers": footnote_numbers,
    "wrapped_text": wrapped_text,
    "split_parentheses": split_parentheses,
    "wrapped_labels": wrapped_labels,
    "markdown_tables": markdown_tables,
    "quarter_headers": quarter_headers,
    "trailing_spaces": trailing_spaces,
    "blank_after_rows": blank_after_rows,
    "day_first_dates": day_first_dates,
    "wrapped_figures": wrapped_figures,
}
ALONE = {"markdown_tables"}  # another converter's print, not combined with the others
