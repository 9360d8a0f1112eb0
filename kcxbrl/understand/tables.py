"""Each table understood: its columns (period, currency), scale, sections and rows.

Named steps, each pure: header rows -> columns; caption -> scale; data rows -> amounts;
amounts -> columns (by position when the counts agree, otherwise by evidence).
A row whose figures cannot be placed in columns with certainty keeps `columns=None`:
the fact builder tags nothing from it and reports it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations

from kcxbrl.dts import ColumnMember, MeasureColumn
from kcxbrl.findings import Finding, SourceRef
from kcxbrl.read import (
    CONVENIENCE_RATE, Document, Heading, Paragraph, Row, Table, currency_sign, is_currency_sign, is_data_row, is_footnote_mark,
    is_header_row, normalise_label, parse_amount,
)
from kcxbrl.understand.model import AnalysedTable, Amount, Column, TableRow


_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# "June 30, 2025", "Dec. 31, 2023", and day first as Hong Kong and European issuers print it:
# "30 June 2025", "31 Dec 2024"
_FULL_DATE = re.compile(
    rf"\b(?:(?P<month>{_MONTH_NAME})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH_NAME}),?\s+(?P<year2>(?:19|20)\d\d))\b", re.IGNORECASE)
# a month and perhaps its day, with no year ("December 31,", "30 June"): a day is never the
# first digits of a year ("Dec 2024" is December, no day)
_MONTH_DAY = re.compile(
    rf"(?:\b(?P<day2>\d{{1,2}})\s+)?\b(?P<month>{_MONTH_NAME})(?:\s+(?P<day>\d{{1,2}})(?!\d))?,?", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d,.])((?:19|20)\d\d)(?![\d,])")
_CURRENCY = re.compile(r"\b(RMB|US\$|USD|CNY)(?:\s*'000)?", re.IGNORECASE)
# "Three Months Ended", "12 Months Ended", "Year ended"; a 52/53-week calendar's "Thirteen Weeks
# Ended", "52 Weeks Ended" (weeks counted as the months of the quarter or year they make up)
_DURATION = re.compile(
    r"\b(three|six|nine|twelve|3|6|9|12|thirteen|twenty-six|thirty-nine|fifty-two|fifty-three|13|26|39|52|53)"
    r"\s+(?:months?\s+|weeks?\s+)?ended|\b(year|quarter)s?\s+ended", re.IGNORECASE)
_INSTANT = re.compile(r"\bas\s+(?:at|of)\b", re.IGNORECASE)
_MONTHS_IN = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "year": 12, "quarter": 3, "3": 3, "6": 6, "9": 9, "12": 12,
              "thirteen": 3, "twenty-six": 6, "thirty-nine": 9, "fifty-two": 12, "fifty-three": 12,
              "13": 3, "26": 6, "39": 9, "52": 12, "53": 12}
_CHANGE = re.compile(r"\bchange\b", re.IGNORECASE)
_NOTES = re.compile(r"^notes?$", re.IGNORECASE)
# a cell of the notes column: "3", "3(a)", "3a", "3(1)" (a note's part, or a footnote glued on)
_NOTE_REFERENCE = re.compile(r"\d{1,2}(?:\([a-z\d]{1,2}\)|[a-z]|[¹²³⁴⁵⁶⁷⁸⁹])?", re.IGNORECASE)
# "(in thousands)", "(RMB in thousands)", "(in RMB thousands)", "(in US$ millions)", "RMB'000";
# not "shares in Thousands" (SEC's viewer: the share counts' scale, not the amounts')
_THOUSANDS = re.compile(r"(?<!shares )(?<!share )\bin (?:(?:rmb|us\$|usd|u\.s\. dollars?|\$)\s?)?thousands|'000\b",
                        re.IGNORECASE)
_MILLIONS = re.compile(r"(?<!shares )(?<!share )\bin (?:(?:rmb|us\$|usd|u\.s\. dollars?|\$)\s?)?millions|'000,000",
                       re.IGNORECASE)
# what a header's words are read by, for saying what a header lacks (understand/__init__.py)
HEADER_FULL_DATE, HEADER_YEAR, HEADER_DURATION, HEADER_INSTANT = _FULL_DATE, _YEAR, _DURATION, _INSTANT
# "Operating expenses: Selling and marketing expenses" is a section label and a row run
# together; "Less: ..." is a row of its own.
_MARKUP = re.compile(r"</?[uib]>|\*\*", re.IGNORECASE)
_FIGURE_LIKE = re.compile(r"^[(\-\u2212–]?\s*\d")  # a figure the tool cannot read, not a note ("Note 2(e)")
_OPENED = re.compile(r"\(\s*\d[\d,]*(?:\.\d+)?\s*")
_TOTAL = re.compile(r"^total\b(?!.*:\s*$)", re.IGNORECASE)  # "Total Kingsoft Cloud" / "Holdings Limited ...": a total is no section
UNFINISHED = re.compile(r"\b(to|of|and|from|in|for|by|attributable)$", re.IGNORECASE)
_SECTION_SPLIT = re.compile(r"^(?!(?:less|add|plus|deduct)\s*:)([^:]{3,80}:)\s*(\S.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class TableContext:
    """What the table understanding needs to know about the document around a table."""

    title: str
    default_scale: int
    rate: Decimal | None
    instant_by_default: bool  # the mapping data says this kind of table is a balance sheet
    measures: tuple[MeasureColumn, ...] = ()  # columns are measures (employees: number, share) ...
    as_of: date | None = None  # ... of this instant
    column_members: tuple[ColumnMember, ...] = ()  # members of columns named instead of dated
    fiscal_year_end: tuple[int, int] = (12, 31)  # (month, day): what "Q2 2025" ends on
    # why a table that states no scale takes `default_scale` ("" for a profile's configured one)
    default_scale_reason: str = ""
    # the currency of columns that state none (not by header, signs or caption), and why
    currency: str | None = None
    currency_reason: str = ""
    # the table this one continues (same kind, just before it): its columns and scale serve a
    # continuation page printed without header rows
    continues: AnalysedTable | None = None
    # the mapping's row rule of this table's kind for (label, section, percent, first row's
    # label, last row), or None: the evidence that a line below a row of figures is the rest of
    # its label (the mapping is the understand stage's, so the reader leaves that to here)
    rule_for: Callable[[str, str, bool, str, bool], object | None] | None = None


# ---------------------------------------------------------------- document-level facts


def convenience_rate(document: Document) -> tuple[Decimal, SourceRef] | None:
    """The stated RMB per US$1.00 convenience rate, with where it is stated."""
    for block in document.blocks:
        if isinstance(block, Paragraph | Heading):
            m = CONVENIENCE_RATE.search(block.text)
            if m:
                return Decimal(m.group("num")), block.ref
    return None


def stated_date(text: str) -> date | None:
    """The last full date a caption states ("... as of June 30, 2025, ...")."""
    dates = [d for d in (_date(m) for m in _FULL_DATE.finditer(text)) if d]
    return dates[-1] if dates else None


def titles_before(document: Document) -> list[str]:
    """For each table (in order), the text of the short blocks right above it: its caption."""
    titles: list[str] = []
    recent: list[str] = []
    for block in document.blocks:
        if isinstance(block, Table):
            titles.append(" | ".join(recent[-4:]))
            recent = []
        elif isinstance(block, Heading):
            recent.append(block.text)
        elif isinstance(block, Paragraph):
            recent.append(block.text if len(block.text) < 400 else "")
    return titles


# ---------------------------------------------------------------- header -> columns


@dataclass(frozen=True)
class HeaderReading:
    columns: tuple[Column, ...]
    change_column: bool  # a trailing year-on-year change column (not a period)
    notes_column: int | None  # cell index of a "Notes" column
    scale: int | None


def read_header(rows: list[Row], instant_by_default: bool,
                fiscal_year_end: tuple[int, int] = (12, 31)) -> HeaderReading:
    """The columns a table's header rows state. A fiscal quarter's cell ("Q2 2025", "2Q25")
    is its quarter's last day and three months, whatever else the header prints ("Six
    Months Ended" over "Jun 30, 2025" beside it)."""
    kinds: list[tuple[int | None, tuple[int, int] | None]] = []  # (months or None=instant, month/day)
    full_dates: list[date] = []
    part_months: dict[int, int] = {}  # index into full_dates of a date a quarter's or half's cell names: its months
    month_days: list[tuple[int, int]] = []
    years: list[int] = []
    currencies: list[str | None] = []
    change = False
    percent_cells = 0
    notes_column = None
    scale = None
    texts: list[str] = []
    for row in rows:
        for index, cell in enumerate(row.cells):
            text = cell.text
            if not text:
                continue
            texts.append(text)
            if _NOTES.match(text) and index > 0:
                notes_column = index
            if _CHANGE.search(text):
                change = True
            if _THOUSANDS.search(text):
                scale = 3
            for end, length in _fiscal_part_ends(text, fiscal_year_end):
                part_months[len(full_dates)] = length
                full_dates.append(end)
            text = _HALF.sub(" ", _QUARTER.sub(" ", text))
            for kind in _period_kinds(text):
                kinds.append(kind)
            dates = [_date(m) for m in _FULL_DATE.finditer(text)]
            full_dates += [d for d in dates if d]
            rest = _FULL_DATE.sub(" ", text)
            if not _DURATION.search(rest) and not _INSTANT.search(rest):
                month_days += [md for md in (_month_day(m) for m in _MONTH_DAY.finditer(rest)) if md]
            years += [int(y) for y in _YEAR.findall(rest)]
            for m in _CURRENCY.finditer(text):
                currencies.append("USD" if m.group(1).upper() in ("US$", "USD") else "CNY")
            if text.strip() in ("%", "(%)"):
                currencies.append(None)
                percent_cells += 1
    if change and currencies and currencies[-1] is None:
        currencies.pop()  # the "%" over a year-on-year change column: not a period's column
        percent_cells -= 1
    percent = bool(percent_cells) and all(c is None for c in currencies)
    if percent:
        currencies = []
    ends = _column_ends(full_dates, month_days, years, kinds, currencies)
    if not ends or (part_months and ends != full_dates):
        return HeaderReading((), change, notes_column, scale)
    if part_months:
        # the quarters' and halves' columns are their three or six months; the header's other
        # phrases name the rest
        others = [e for k, e in enumerate(ends) if k not in part_months]
        lengths = set(part_months.values())
        rest = _column_months(others, [k for k in kinds if k[0] not in lengths], instant_by_default) if others else []
        if rest is None:
            return HeaderReading((), change, notes_column, scale)
        rest_iter = iter(rest)
        months = [part_months[k] if k in part_months else next(rest_iter) for k in range(len(ends))]
    else:
        months = _column_months(ends, kinds, instant_by_default)
    if months is None:
        return HeaderReading((), change, notes_column, scale)
    if len(currencies) != len(ends):
        currencies = [None] * len(ends) if not currencies else currencies
    if len(currencies) != len(ends):
        return HeaderReading((), change, notes_column, scale)
    header_text = " ".join(texts)
    columns = tuple(
        Column(end=end, months=m, currency=cur, percent=percent, header=header_text[:200])  # type: ignore[arg-type]
        for end, m, cur in zip(ends, months, currencies)
    )
    return HeaderReading(columns, change, notes_column, scale)


# The rest of a wrapped label: it goes on in lower case, or with a parenthesis that is no sign
# convention of its own ("(Non-GAAP Financial Measure)", not "(Loss) income before ...")
WRAPPED_REST = re.compile(r"^(?:[a-z]|\((?!(?i:loss|income|gain|profit|decrease|increase|expense)))")
_QUARTER = re.compile(r"\bQ([1-4])\s*'?((?:19|20)?\d\d)\b|\b([1-4])Q\s*'?((?:19|20)?\d\d)\b", re.IGNORECASE)


def read_quarter_header(rows: list[Row], fiscal_year_end: tuple[int, int]) -> tuple[Column, ...]:
    """Columns headed by fiscal quarters ("Q2 2025", "2Q25"): each three months ending on the
    quarter's last day, counted from the fiscal year's end (Q2 of a year ending March 31, 2025
    ends September 30, 2024). Currencies from a row of them; counts that do not pair: none."""
    quarters: list[date] = []
    currencies: list[str] = []
    texts: list[str] = []
    for row in rows:
        for cell in row.cells[1:]:
            text = cell.text.strip()
            if not text:
                continue
            texts.append(text)
            quarters += [end for end, length in _fiscal_part_ends(text, fiscal_year_end) if length == 3]
            if _CURRENCY.fullmatch(text):
                currencies.append("USD" if text.upper() in ("US$", "USD") else "CNY")
    if not quarters or (currencies and len(currencies) != len(quarters)):
        return ()
    return tuple(Column(end=end, months=3, currency=currencies[k] if currencies else None,  # type: ignore[arg-type]
                        header=" ".join(texts)[:200]) for k, end in enumerate(quarters))


_HALF = re.compile(r"\bH([12])\s*'?((?:19|20)?\d\d)\b|\b([12])H\s*'?((?:19|20)?\d\d)\b", re.IGNORECASE)


def _fiscal_part_ends(text: str, fiscal_year_end: tuple[int, int]) -> list[tuple[date, int]]:
    """(last day, months) of each fiscal quarter ("Q2 2025", "2Q25") or half ("H1 2025", "1H25")
    a text names, in the order it names them, counted from the fiscal year's end."""
    found = []
    for pattern, months in ((_QUARTER, 3), (_HALF, 6)):
        for m in pattern.finditer(text):
            part = int(m.group(1) or m.group(3))
            year = int(m.group(2) or m.group(4))
            year += 2000 if year < 100 else 0
            month = (fiscal_year_end[0] + months * part - 1) % 12 + 1
            year -= 1 if month > fiscal_year_end[0] else 0
            found.append((m.start(), date(year, month, calendar.monthrange(year, month)[1]), months))
    return [(end, months) for _, end, months in sorted(found)]


_FOOTNOTE_AFTER = re.compile(r"\s*(\(\d{1,2}\)|\d{1,2}\)|[*†‡§]+)$")


def read_named_header(rows: list[Row], title: str, rules: tuple[ColumnMember, ...]) -> tuple[Column, ...]:
    """Columns headed by names ("Bigo | All other | Elimination(1) | Total") over one period the
    caption states ("For the year ended December 31, 2020:"): each with the members its name
    has by `rules`, or not known. No stated period, or names and currencies that do not pair:
    no columns (nothing is guessed)."""
    end = stated_date(title)
    duration = _DURATION.search(title)
    if end is None or not (duration or _INSTANT.search(title)):
        return ()
    months = _MONTHS_IN[(duration.group(1) or duration.group(2)).lower()] if duration else None
    names: list[tuple[str, int]] = []
    currencies: list[str] = []
    for row in rows:
        cells = [c.text.strip() for c in row.cells[1:] if c.text.strip()]
        found = [c for c in cells if _CURRENCY.fullmatch(c)]
        if found and len(found) == len(cells):
            currencies = ["USD" if c.upper() in ("US$", "USD") else "CNY" for c in found]
        elif cells and not any(_YEAR.search(c) or _DURATION.search(c) or _INSTANT.search(c) for c in cells):
            names = [(c, k) for k, c in enumerate(cells)]
    if not names or (currencies and len(currencies) != len(names)):
        return ()
    columns = []
    for (name, k) in names:
        heading = _FOOTNOTE_AFTER.sub("", name)
        rule = next((r for r in rules if r.matches(heading)), None)
        columns.append(Column(end=end, months=months, currency=currencies[k] if currencies else None,  # type: ignore[arg-type]
                              header=" ".join(c.text for r in rows for c in r.cells if c.text)[:200], name=heading,
                              members=tuple(sorted(rule.members.items())) if rule else (), known=rule is not None))
    return tuple(columns)


def read_measure_header(rows: list[Row], measures: tuple[MeasureColumn, ...], as_of: date) -> tuple[Column, ...]:
    """Columns of a table whose columns are measures: the headings above the figures, cell by
    cell (a heading may be broken over two rows: "Number of" / "Employees"). A heading that
    names no measure: no columns at all (nothing is guessed)."""
    stacked: dict[int, list[str]] = {}
    for row in rows:
        for index, cell in enumerate(row.cells[1:], start=1):
            if cell.text:
                stacked.setdefault(index, []).append(cell.text)
    headings = [" ".join(stacked[i]) for i in sorted(stacked)]
    found = [next((m for m in measures if re.search(m.header, h, re.IGNORECASE)), None) for h in headings]
    if not headings or not all(found):
        return ()
    return tuple(Column(end=as_of, months=None, currency=None, header=h, measure=m.concept)  # type: ignore[union-attr]
                 for h, m in zip(headings, found))


def _period_kinds(text: str) -> list[tuple[int | None, tuple[int, int] | None]]:
    found = []
    for m in _DURATION.finditer(text):
        word = (m.group(1) or m.group(2)).lower()
        md = _month_day_after(text[m.end():])
        found.append((_MONTHS_IN[word], md))
    for m in _INSTANT.finditer(text):
        found.append((None, _month_day_after(text[m.end():])))
    return found


def _month_day_after(text: str) -> tuple[int, int] | None:
    m = _MONTH_DAY.match(text.strip())
    return _month_day(m) if m else None


def _month_day(m: re.Match) -> tuple[int, int] | None:
    month = _MONTHS.get(m.group("month")[:3].lower())
    if not month:
        return None
    day = m.group("day") or m.group("day2")
    last = calendar.monthrange(2000, month)[1]  # (a leap year: "February 29")
    if day and not 1 <= int(day) <= last:
        return None
    return (month, int(day) if day else calendar.monthrange(2001, month)[1])


def _date(m: re.Match) -> date | None:
    month = _MONTHS.get((m.group("month") or m.group("month2"))[:3].lower())
    try:
        return date(int(m.group("year") or m.group("year2")), month, int(m.group("day") or m.group("day2"))) \
            if month else None
    except ValueError:
        return None


def _with_year(month_day: tuple[int, int], year: int) -> date:
    month, day = month_day
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _column_ends(full_dates, month_days, years, kinds, currencies) -> list[date]:
    """The end date (or instant) of each column."""
    wanted = len(currencies) if currencies else None
    if full_dates and (wanted is None or len(full_dates) == wanted):
        return full_dates
    phrase_md = next((md for _, md in kinds if md), None)
    if len(set(month_days)) == 1 and not phrase_md:
        phrase_md = month_days[0]  # "For the year ended" / "December 31," on a row of its own
    if years and (wanted is None or len(years) == wanted):
        if len(month_days) == len(years):
            return [_with_year(md, y) for md, y in zip(month_days, years)]
        if phrase_md:
            return [_with_year(phrase_md, y) for y in years]
    # Garbled year cells ("2022 2023 2"): comparative columns ascend and each US$ column
    # translates the latest period; that convention decides when the counts do not.
    # One month and day for every column only where the header states one: a header that names
    # different dates ("Dec 31," "June 30,") with fewer years than dates gives no column a date.
    distinct = sorted(set(years) | {d.year for d in full_dates})
    md = phrase_md or (month_days[0] if len(set(month_days)) == 1 else None)
    if currencies and md and distinct:
        local = [c for c in currencies if c != "USD"]
        if len(local) == len(distinct):
            years_iter = iter(distinct)
            return [_with_year(md, distinct[-1] if c == "USD" else next(years_iter)) for c in currencies]
    return []


def _column_months(ends: list[date], kinds, instant_by_default: bool) -> list[int | None] | None:
    kinds_months = [k for k, _ in kinds]
    if not kinds_months:
        return [None] * len(ends) if instant_by_default else None
    if len(set(kinds_months)) == 1:
        return [kinds_months[0]] * len(ends)
    # Several period groups (three months, six months): each group lists its dates in the
    # order the first group does (ascending, or the latest first as US issuers print them), so
    # a date that goes the other way starts the next group.
    steps = [(cur > prev) - (cur < prev) for prev, cur in zip(ends, ends[1:])]
    direction = next((step for step in steps if step), 1)
    groups = [[ends[0]]]
    for step, cur in zip(steps, ends[1:]):
        if step == -direction:
            groups.append([])
        groups[-1].append(cur)
    distinct_kinds = list(dict.fromkeys(kinds_months))
    if len(groups) != len(distinct_kinds):
        return None
    return [k for k, g in zip(distinct_kinds, groups) for _ in g]


def period_start(end: date, months: int, printed: Iterable[date] = ()) -> date:
    """The first day of the `months` ending on `end`. A period ending on a month's last day is
    calendar months (the day after the same day `months` back). A period ending on another day
    is of a 52/53-week calendar (June 28, 2026): it starts the day after the end printed for the
    period before it (`printed`: the other dates its header prints, June 29, 2025), else whole
    weeks back (13 to a quarter, 52 to a year)."""
    nxt = end + timedelta(days=1)
    if nxt.day == 1:  # calendar months
        year, month = nxt.year, nxt.month - months
        while month < 1:
            month += 12
            year -= 1
        return date(year, month, nxt.day)
    weeks = end - timedelta(weeks=round(months * 52 / 12)) + timedelta(days=1)
    before = [d for d in printed if d < end and abs((d + timedelta(days=1) - weeks).days) <= 7]
    if before:
        return min(before, key=lambda d: abs((d + timedelta(days=1) - weeks).days)) + timedelta(days=1)
    return weeks


# ---------------------------------------------------------------- rows


def _row_amounts(row: Row, notes_column: int | None) -> tuple[tuple[Amount, ...], str | None, str | None, int]:
    """Figures of a row (in order), its note reference, the first cell that is neither, and how
    many of its figures lost their closing parenthesis in the conversion."""
    amounts: list[Amount] = []
    note = None
    unreadable: str | None = None
    unclosed = 0
    opened = None  # a cell "(1,234" waiting for its ")"

    def close_opened() -> None:
        # "(37" followed by another figure or by the row's end: a negative figure whose ")" the
        # converter lost (an opening parenthesis before a figure means nothing else)
        nonlocal unclosed
        text = _MARKUP.sub("", opened.text).strip()
        value, decimals, percent = parse_amount(text + ")")  # type: ignore[misc]
        amounts.append(Amount(text=opened.text, value=value, decimals=decimals, percent=percent, ref=opened.ref))
        unclosed += 1

    for index, cell in enumerate(row.cells[1:], start=1):
        text = cell.text
        if not text:
            continue
        if index == notes_column and _NOTE_REFERENCE.fullmatch(_MARKUP.sub("", text).strip()):
            note = text
            continue
        if is_currency_sign(text):
            continue  # "$" in a cell of its own before the figure
        if is_footnote_mark(text):
            amounts.append(Amount(text=text, value=None, decimals=0, ref=cell.ref, footnote_mark=True))
            continue
        plain = _MARKUP.sub("", text).strip()
        if opened is not None and plain in (")", ")%", "%)"):
            # "(1,234" | ")": one figure
            text, cell, opened = _MARKUP.sub("", opened.text) + plain, opened, None
        elif opened is not None and (parse_amount(text) is not None or _OPENED.fullmatch(plain)):
            close_opened()
            opened = None
        elif opened is not None:
            unreadable, opened = unreadable or opened.text, None
        if plain == "%" and amounts and not amounts[-1].percent and amounts[-1].value is not None \
                and amounts[-1].ref.line == cell.ref.line:
            # "15.6" | "%": the percent sign in a cell of its own belongs to the figure before it
            amounts[-1] = amounts[-1].model_copy(update={"percent": True})
            continue
        parsed = parse_amount(text)
        if parsed is None:
            if _OPENED.fullmatch(plain):
                opened = cell  # its closing parenthesis may stand in the next cell
                continue
            unreadable = unreadable or text
            continue
        value, decimals, percent = parsed
        amounts.append(Amount(text=text, value=value, decimals=decimals, percent=percent, ref=cell.ref))
    if opened is not None:
        close_opened()
    return tuple(amounts), note, unreadable, unclosed


# ---------------------------------------------------------------- alignment by evidence


def _rate_tolerance(usd: Amount, cny: Amount, rate: Decimal) -> Decimal:
    half = lambda a: Decimal(5) * Decimal(10) ** (-(a.decimals + 1))  # noqa: E731 - half a printed unit
    return half(usd) * rate + half(cny)


# Deciding a column needs only "about right": printed US$ subtotals are often sums of rounded
# US$ lines, a few units off the translated RMB total, while a wrong column is far off.
ALIGNMENT_SLACK = Decimal("0.002")


def pair_agrees(cny: Amount, usd: Amount, rate: Decimal) -> bool | None:
    """Does the US$ figure translate the RMB figure at the rate (within rounding and
    ALIGNMENT_SLACK)? None when the pair says nothing (both nil or zero)."""
    if cny.value is None or usd.value is None:
        return None if (cny.value is None and usd.value is None) else False
    if cny.value == 0 and usd.value == 0:
        return None
    if cny.value == usd.value:  # share counts are printed alike in both columns
        return True
    return abs(usd.value * rate - cny.value) <= _rate_tolerance(usd, cny, rate) + abs(cny.value) * ALIGNMENT_SLACK


def _pairs_agree(amounts: tuple[Amount, ...], columns: tuple[Column, ...], rate: Decimal) -> tuple[int, int]:
    """(informative pairs that agree, pairs that disagree) for same-period RMB/US$ columns."""
    good = bad = 0
    for i, col in enumerate(columns):
        if col.currency != "USD":
            continue
        twins = [j for j, c in enumerate(columns) if c.currency == "CNY" and c.end == col.end and c.months == col.months]
        for j in twins:
            verdict = pair_agrees(amounts[j], amounts[i], rate)
            if verdict is True:
                good += 1
            elif verdict is False:
                bad += 1
    return good, bad


def candidate_headers(columns: tuple[Column, ...], count: int, limit: int = 256) -> list[tuple[Column, ...]]:
    """Headers of `count` columns that explain a row with more or fewer figures than the header:
    a header that lost the RMB twin of a US$ column, or a row that lost figures.

    None at all when there are more than `limit`: their number grows as choose(columns, figures)
    (155,117,520 for 15 figures under 30 columns), so past the limit the row is not placed
    (realign.place_rows reports it) rather than tried for hours. The bundled samples need 7."""
    from math import comb

    n = len(columns)
    if count > n:
        extra = count - n
        usd_slots = [i for i, c in enumerate(columns) if c.currency == "USD"
                     and not any(o.currency == "CNY" and o.end == c.end and o.months == c.months for o in columns)]
        if comb(len(usd_slots), extra) > limit:
            return []
        result = []
        for slots in combinations(usd_slots, extra):
            cols = list(columns)
            for i in sorted(slots, reverse=True):
                twin = columns[i].model_copy(update={"currency": "CNY"})
                cols.insert(i, twin)
            result.append(tuple(cols))
        return result
    if count < n:
        if comb(n, count) > limit:
            return []
        return [tuple(c for k, c in enumerate(columns) if k not in drop) for drop in combinations(range(n), n - count)]
    return [columns]


def align_rows(rows: list[TableRow], columns: tuple[Column, ...], rate: Decimal | None) -> list[TableRow]:
    """Give each row's figures their columns; rows that the header does not fit are placed by
    the RMB/US$ rate when exactly one arrangement agrees, and left unplaced otherwise."""
    by_length: dict[int, list[int]] = {}
    result = list(rows)
    for k, row in enumerate(rows):
        if row.unreadable:
            result[k] = row.model_copy(update={"columns": None, "alignment": "unreadable"})
        elif row.amounts:
            by_length.setdefault(len(row.amounts), []).append(k)
    for count, members in by_length.items():
        if count == len(columns) and columns:
            for k in members:
                result[k] = rows[k].model_copy(update={"columns": columns, "alignment": "header"})
            continue
        chosen = _choose_by_rate(rows, members, columns, count, rate) if columns and rate else None
        for k in members:
            if chosen is not None:
                result[k] = rows[k].model_copy(update={"columns": chosen, "alignment": "realigned"})
            else:
                result[k] = rows[k].model_copy(update={"columns": None, "alignment": "unaligned" if columns else "none"})
    return result


def _choose_by_rate(rows, members, columns, count, rate) -> tuple[Column, ...] | None:
    passing = []
    for candidate in candidate_headers(columns, count):
        good = bad = 0
        for k in members:
            g, b = _pairs_agree(rows[k].amounts, candidate, rate)
            good, bad = good + g, bad + b
        if good and not bad:
            passing.append(candidate)
    # Dropped columns leave the rate untested on them: only a single arrangement is evidence.
    return passing[0] if len(passing) == 1 and count > len(columns) else None


# ---------------------------------------------------------------- table


def analyse_table(index: int, table: Table, ctx: TableContext, kind: str | None) -> tuple[AnalysedTable, list[Finding]]:
    findings: list[Finding] = []
    rows = [row for row in table.rows if not row.furniture]  # a page break's furniture is not a row
    first_data = next((k for k, r in enumerate(rows) if is_data_row(r.cells)), len(rows))
    if ctx.measures and ctx.as_of:
        header_rows = rows[:first_data]
        # counts and shares are printed unscaled unless the caption says otherwise
        header = HeaderReading(read_measure_header(header_rows, ctx.measures, ctx.as_of), False, None,
                               _caption_scale(ctx.title) or 0)
    else:
        header_rows = [r for r in rows[:first_data] if is_header_row(r.cells)]
        header = read_header(_distinct(header_rows), ctx.instant_by_default, ctx.fiscal_year_end)
    columns = header.columns[:-1] if header.change_column and header.columns and header.columns[-1].currency is None else header.columns
    # only a table with no header rows at all continues another: a header it prints but the tool
    # cannot read is not replaced by a guess
    if not columns and header_rows and not ctx.measures:
        columns = read_quarter_header(header_rows, ctx.fiscal_year_end)
    if not columns and header_rows and not ctx.measures:
        # (a row of names is no header row by its words: every row above the first figures)
        columns = read_named_header(rows[:first_data], ctx.title, ctx.column_members)
        findings += [Finding(
            severity="warning", code="table.unknownColumn",
            message=(f"the column '{c.name}' ({c.reading()}) names no segment or member the mapping knows "
                     "(an issuer profile's [[taxonomy.columns]] can name it); its figures are not tagged"),
            ref=table.ref) for c in columns if not c.known]
    inherited = (ctx.continues if not header_rows and not ctx.measures and ctx.continues and ctx.continues.columns
                 else None)
    scale = header.scale if header.scale is not None else _caption_scale(ctx.title) or (
        inherited.scale if inherited else ctx.default_scale)
    if ctx.default_scale_reason and kind is not None and header.scale is None and _caption_scale(ctx.title) is None \
            and not inherited:
        findings.append(Finding(
            severity="info", code="table.scaleAssumed",
            message=f"the table's header and caption state no scale: its figures are taken {ctx.default_scale_reason}",
            ref=table.ref))
    if inherited:
        columns = inherited.columns
        findings.append(Finding(
            severity="info", code="table.headerContinued",
            message=(f"the table has no header rows of its own: it continues the table at line {inherited.ref.line} "
                     f"and takes its {len(columns)} columns ({'; '.join(c.reading() for c in columns)})"),
            ref=table.ref))

    table_rows: list[TableRow] = []
    sections = _Sections()
    pending = ""  # a label broken over two rows ("Net loss attributable to" / "Kingsoft Cloud ...")
    # a label-only line read as a section: (its text, the sections before it)
    loose: tuple[str, tuple] | None = None
    for row in rows:
        if any(row is h for h in header_rows):
            continue
        row = _label_shifted_back(row)
        label = f"{pending} {row.label}".strip() if pending and row.label else row.label
        pending = ""
        amounts, note, unreadable, unclosed = _row_amounts(row, header.notes_column)
        if unclosed and not unreadable and kind is not None:
            findings.append(Finding(severity="info", code="table.unclosedParenthesis",
                                    message=(f"{unclosed} figure(s) of the row at this line open a parenthesis the "
                                             "text never closes ('(37'); read as negative"),
                                    ref=row.cells[0].ref))
        if header.change_column and amounts and len(amounts) == len(columns) + 1 and amounts[-1].percent:
            amounts = amounts[:-1]  # the year-on-year change is not a figure of a period
        if not amounts and unreadable and _FIGURE_LIKE.match(_MARKUP.sub("", unreadable).strip()):
            # cells it prints but the tool cannot read: a row, not a section label
            if kind is not None:
                findings.append(Finding(severity="warning", code="table.unreadableCell",
                                        message=(f"row '{label}' prints cells that are neither figures nor note "
                                                 f"references ('{unreadable[:20]}'); not tagged"),
                                        ref=row.cells[0].ref))
            table_rows.append(TableRow(line=row.line, label=label, section=sections.inner, outer=sections.outer,
                                       amounts=(), unreadable=unreadable))
            sections.row(label)
            loose = None
            continue
        if amounts and row.joined_from and label and table_rows and table_rows[-1].amounts \
                and table_rows[-1].line == row.line - 1 and not table_rows[-1].unreadable:
            # a label-only line joined with the figures-only line below it ("Changes in fair value of
            # (14,018) ..." / "purchase consideration in a business acquisition" / "(27,966) ..."):
            # when the label is the rest of the row above, the figures are a row without a label
            joined = _with_rest(table_rows[-1], label, False, ctx, columns, table_rows[0].label, False)
            if joined is not None:
                table_rows[-1] = joined
                sections.rejoined(joined)
                label = ""
        if not amounts and label and table_rows and table_rows[-1].amounts and table_rows[-1].line == row.line - 1:
            # "Net (decrease) increase in cash,  1,754,767" / "cash equivalents, and restricted cash":
            # the rest of the label above, not a section
            joined = _with_rest(table_rows[-1], label, row.rest_of_label, ctx, columns, table_rows[0].label, False)
            if joined is not None:
                table_rows[-1] = joined
                sections.rejoined(joined)
                continue
        if not amounts:
            if label and (UNFINISHED.search(label) or _TOTAL.match(label)):
                pending = label
                loose = None
            elif label:
                loose = (label, sections.saved()) if not label.rstrip().endswith(":") else None
                sections.opens(label)
            continue
        if loose and WRAPPED_REST.match(label):
            # "Current operating" / "lease liabilities  61,258 ...": a label wrapped onto the row
            # of its figures, not a section (a section is followed by a label of its own)
            label = f"{loose[0]} {label}"
            sections.restore(loose[1])
        loose = None
        m = _SECTION_SPLIT.match(label)
        if m:  # "Operating expenses: Selling and marketing expenses" ran together
            sections.opens(m.group(1))
            label = m.group(2)
        if unreadable and kind is not None:
            # its other figures cannot be given columns with certainty (one of them may be this
            # cell): the row is not tagged rather than tagged one column off
            findings.append(Finding(severity="warning", code="table.unreadableCell",
                                    message=(f"row '{label}' has a cell that is neither a figure nor a note reference "
                                             f"('{unreadable[:20]}'); its figures are not tagged"),
                                    ref=row.cells[0].ref))
        table_rows.append(TableRow(line=row.line, label=label, section=sections.inner, outer=sections.outer,
                                   amounts=amounts, note=note, unreadable=unreadable))
        sections.row(label)
    rest = table.rest_below
    if rest is not None and rest.label and table_rows and table_rows[-1].amounts and not table_rows[-1].unreadable:
        # the line under the table's last row (a block of its own too: the reader cannot tell)
        joined = _with_rest(table_rows[-1], rest.label, False, ctx, columns, table_rows[0].label, True)
        if joined is not None:
            table_rows[-1] = joined
            sections.rejoined(joined)

    columns, fell_back = _currencies_from_signs(columns, table_rows, ctx.title, ctx.currency)
    if fell_back and kind is not None:
        findings.append(Finding(
            severity="info", code="table.currencyFromDocument",
            message=(f"the table's header and caption name no currency: its columns are in {ctx.currency} "
                     f"({ctx.currency_reason})"),
            ref=table.ref))
    if ctx.measures:  # a column whose figures carry "%" is a column of percentages ("100" in its total too)
        columns = tuple(c.model_copy(update={"percent": any(len(r.amounts) == len(columns) and r.amounts[k].percent
                                                            for r in table_rows)})
                        for k, c in enumerate(columns))
    aligned = align_rows(table_rows, columns, ctx.rate)
    for row in aligned:
        if row.unreadable:
            continue  # said where it was read
        if row.columns is None and kind is not None and not columns:
            # (with a header, the fact stage tries the document's other figures first: realign.py)
            findings.append(Finding(
                severity="warning", code="table.unalignedRow",
                message=f"row '{row.label}' has {len(row.amounts)} figures but no header gives their periods; not tagged",
                ref=row.amounts[0].ref))
        elif row.alignment == "realigned":
            findings.append(Finding(
                severity="info", code="table.realignedRow",
                message=(f"row '{row.label}' has {len(row.amounts)} figures for a {len(columns)}-column header; "
                         "columns decided by the RMB/US$ convenience rate"),
                ref=row.amounts[0].ref))
    return AnalysedTable(index=index, ref=table.ref, title=ctx.title, kind=kind, scale=scale,
                         columns=columns, rows=tuple(aligned)), findings


class _Sections:
    """The section labels a row stands under, outermost first: a label-only line right below
    another opens a sub-section of it ("Liabilities" / "Current"), one after rows replaces the
    innermost (its sibling: "Non-current assets:" after the current assets' rows); a "Total X"
    row closes the section X ("Total current liabilities" closes "Current" or "Current
    liabilities:") and what it holds, a label after it opens a sub-section of what is left, and
    the rows after a "Total current X" until the next label or total are the non-current X (a
    classified balance sheet prints them there without a label of their own). Rows after the
    last section closed stand on its side still (for orientation only: "Total liabilities and
    stockholders' equity" after "Total stockholders' equity"). Each entry is (normalised
    label, made up by the tool)."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, bool]] = []
        self.last_closed = ""  # the top section a total closed, while no other is open
        self.replaces = False  # a label now is the innermost section's sibling

    @property
    def inner(self) -> str:
        return self.stack[-1][0] if self.stack else ""

    @property
    def outer(self) -> tuple[str, ...]:
        if not self.stack:
            return (self.last_closed,) if self.last_closed else ()
        return tuple(label for label, _ in self.stack[:-1])

    def saved(self) -> tuple[list[tuple[str, bool]], str, bool]:
        return list(self.stack), self.last_closed, self.replaces

    def restore(self, saved: tuple[list[tuple[str, bool]], str, bool]) -> None:
        self.stack, self.last_closed, self.replaces = list(saved[0]), saved[1], saved[2]

    def opens(self, label: str) -> None:
        if self.stack and (self.replaces or self.stack[-1][1]):
            self.stack.pop()  # a sibling of the innermost (or of the non-current part the tool made up)
        self.stack.append((normalise_label(label), False))
        self.last_closed = ""
        self.replaces = False

    def rejoined(self, row: TableRow) -> None:
        """The row above took the next line as the rest of its label: a section that line split
        off ("Shareholders' equity:" / "Ordinary shares") opens, and the whole label may close one."""
        if row.section != self.inner:
            self.opens(row.section)
        self.row(row.label)

    def row(self, label: str) -> None:
        self.replaces = True
        m = _TOTAL_OF.match(normalise_label(label))
        if not m:
            return
        total = m.group(1)
        for k in range(len(self.stack) - 1, -1, -1):
            name, made_up = self.stack[k]
            name = name.rstrip(":").strip()
            if made_up or (name and (total == name or total.startswith(name + " "))):
                if k == 0 and not made_up:
                    self.last_closed = name
                del self.stack[k:]
                current = _CURRENT_OF.match(total)
                if current and not made_up:
                    self.stack.append((f"non-current {current.group(1)}", True))
                self.replaces = False
                return


_TOTAL_OF = re.compile(r"^total (\S.*?)\s*$")
_CURRENT_OF = re.compile(r"^current (\S.*)$")


# A line that goes on with a conjunction or preposition, in any case ("TOTAL LIABILITIES" /
# "AND SHAREHOLDERS' EQUITY"): no section label starts so ("Of which:" and "Attributable to:" do,
# and end in ':')
_GOES_ON = re.compile(r"^(?:and|or|of(?! which)|to|from|by|with)\b", re.IGNORECASE)


def goes_on(rest: str, above: str) -> bool:
    """Whether the words of a label-only line right below a row labelled `above` say that they
    are the rest of its label: they go on in lower case, with a conjunction or preposition, or
    after an unfinished label ("Net loss attributable to" / "Kingsoft Cloud Holdings Limited")."""
    return bool(WRAPPED_REST.match(rest) or UNFINISHED.search(above)
                or (_GOES_ON.match(rest) and not rest.rstrip().endswith(":")))


def _with_rest(above: TableRow, rest: str, certain: bool, ctx: TableContext, columns: tuple[Column, ...],
               first_row: str, below_table: bool) -> TableRow | None:
    """The row of figures `above` with the label-only line right below it as the rest of its
    label, or None when the line is no part of it (a section label, a heading). It is the rest
    when the reader says so (`certain`: no section label is that long), when its words say so
    (`goes_on`); else only by the mapping's evidence, as a line in capitals may be a section or
    heading of its own: the label joined is a row the mapping knows and the first part alone is
    not ("Total Kingsoft Cloud" / "Holdings Limited shareholders' equity"). A first part the
    mapping knows keeps the line below it a section ("Total liabilities" / "Shareholders'
    equity" reads as a row too, "Total liabilities ... equity", and the rows below would lose
    their section). A line ending in ':' opens a section. `below_table`: the line is under the
    table's last row."""
    if certain or goes_on(rest, above.label):
        return above.model_copy(update={"label": f"{above.label} {rest}"})
    if ctx.rule_for is None or rest.rstrip().endswith(":"):
        return None
    label, section = f"{above.label} {rest}", above.section
    split = _SECTION_SPLIT.match(label)
    if split:  # "Shareholders' equity:  25,689 ..." / "Ordinary shares": a section and its first row
        section, label = normalise_label(split.group(1)), split.group(2)
    percent = any(a.percent for a in above.amounts) or any(c.percent for c in columns)
    joined = ctx.rule_for(label, section, percent, first_row, below_table)
    alone = ctx.rule_for(above.label, above.section, percent, first_row, below_table)
    if joined is not None and alone is None:
        return above.model_copy(update={"label": label, "section": section})
    return None



# A currency a caption or a text names: "in thousands of U.S. dollars", "(dollars in thousands)",
# "RMB", "Renminbi"; another country's dollars are none of these.
_NAMED_CURRENCY = re.compile(
    r"(?P<usd>\bu\.?s\.? ?dollars?\b|\bus\$|\busd\b|(?<![A-Za-z])\$\s?\d|"
    r"(?<!hong kong )(?<!\bhk )(?<!canadian )(?<!australian )(?<!singapore )(?<!taiwan )(?<!zealand )\bdollars?\b)"
    r"|(?P<cny>\brmb|\brenminbi\b|\bcny\b)",
    re.IGNORECASE)
_OTHER_DOLLARS = re.compile(r"\b(?:hk|nt|s|a|c|nz)\$", re.IGNORECASE)
_CURRENCY_CODE = {"usd": "USD", "cny": "CNY"}


def named_currencies(text: str) -> set[str]:
    """The currencies ("USD", "CNY") a text names."""
    return {_CURRENCY_CODE[m.lastgroup] for m in _NAMED_CURRENCY.finditer(_OTHER_DOLLARS.sub(" ", text))
            if m.lastgroup}


def document_currency(document: Document) -> tuple[str, SourceRef] | None:
    """The one currency a document names anywhere (its prose, captions and cells), with where it
    first does: a US issuer's release prints "$" in its prose and no currency over its columns.
    A document that names two (RMB with US$ translations) has none: its columns must say."""
    found: dict[str, SourceRef] = {}
    for block in document.blocks:
        if isinstance(block, Paragraph | Heading):
            texts = [(block.text, block.ref)]
        elif isinstance(block, Table):
            texts = [(cell.text, cell.ref) for row in block.rows for cell in row.cells]
        else:
            continue
        for text, ref in texts:
            for code in named_currencies(text):
                found.setdefault(code, ref)
    return next(iter(found.items())) if len(found) == 1 else None


def _currencies_from_signs(columns: tuple[Column, ...], rows: list[TableRow], title: str,
                           fallback: str | None) -> tuple[tuple[Column, ...], bool]:
    """Columns whose header names no currency take the one their figures' own signs name
    ("$ 120,500": US issuers print the sign on a column's first and total rows), else the one
    the caption names ("in thousands of U.S. dollars"), else `fallback` (the profile's reporting
    currency, or the one currency the document names); signs that disagree leave it unknown.
    Also: whether a column took the fallback."""
    if not columns or all(c.currency or c.percent or c.measure for c in columns):
        return columns, False
    caption = named_currencies(title)
    from_caption = caption.pop() if len(caption) == 1 else None
    updated = []
    fell_back = False
    for k, column in enumerate(columns):
        if column.currency or column.percent or column.measure:
            updated.append(column)
            continue
        signs = {currency_sign(row.amounts[k].text) for row in rows if len(row.amounts) == len(columns)} - {None}
        stated = signs.pop() if len(signs) == 1 else (from_caption or fallback if not signs else None)
        fell_back = fell_back or (stated is not None and not signs and not from_caption)
        updated.append(column.model_copy(update={"currency": stated}) if stated else column)
    return tuple(updated), fell_back


def _distinct(header_rows: list[Row]) -> list[Row]:
    """The header rows less one that says again the dates and currencies of a row above it (a
    header printed twice where a page broke, "Notes" garbled to "Not" in one of them)."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for row in header_rows:
        key = tuple(c.text for c in row.cells if re.search(r"\d|RMB|US\$", c.text))
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(row)
    return kept


def _label_shifted_back(row: Row) -> Row:
    """A row whose label slipped into the second cell ("<tab>Gross margin<tab>16.7%"): the
    first text cell, followed by figures, is the label."""
    if row.label or len(row.cells) < 3:
        return row
    k = next((i for i, c in enumerate(row.cells) if c.text), None)
    if k is None or parse_amount(row.cells[k].text) is not None:
        return row
    rest = row.cells[k + 1:]
    if not any(c.text for c in rest) or not all(parse_amount(c.text) is not None for c in rest if c.text):
        return row
    return row.model_copy(update={"cells": row.cells[k:]})


def document_scale(document: Document) -> tuple[int, SourceRef] | None:
    """The one scale the document's captions and headings state ("(in thousands, except per
    share data)"), with where it first does; None where they state none or more than one."""
    found: dict[int, SourceRef] = {}
    for block in document.blocks:
        if isinstance(block, Paragraph | Heading) and len(block.text) <= 200:
            scale = _caption_scale(block.text)
            if scale is not None:
                found.setdefault(scale, block.ref)
    return next(iter(found.items())) if len(found) == 1 else None


def _caption_scale(title: str) -> int | None:
    if _MILLIONS.search(title):
        return 6
    if _THOUSANDS.search(title):
        return 3
    return None
