"""The understand stage's models: tables with their columns, figures placed in periods and
currencies, and facts (concept, context, unit, decimals, sign), with where each was printed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from kcxbrl.findings import Finding, Frozen, SourceRef


Currency = Literal["CNY", "USD"]


class Period(Frozen):
    """A duration (start..end inclusive) or an instant (start is None)."""

    start: date | None = None
    end: date

    @property
    def is_instant(self) -> bool:
        return self.start is None

    @property
    def key(self) -> str:
        if self.start is None:
            return f"I{self.end.isoformat()}"
        return f"D{self.start.isoformat()}_{self.end.isoformat()}"


class Column(Frozen):
    """One value column of a table: what period and currency its figures are for."""

    end: date
    months: int | None  # None: an instant ("As at ...")
    currency: Currency | None  # None: no currency stated (percentages, counts)
    percent: bool = False  # the header says the column's figures are percentages ("(%)")
    header: str  # the header text it was read from, for reports
    measure: str | None = None  # the concept of the column's figures, where columns are measures
    name: str | None = None  # the heading of a column named instead of dated (a segment table's "Bigo")
    members: tuple[tuple[str, str], ...] = ()  # (axis, member) of its figures: the named column's
    known: bool = True  # False: a named column no rule knows; its figures are not tagged

    def reading(self) -> str:
        """The column as the tool reads it: "12 months to 2023-12-31, CNY", "at 2023-12-31"."""
        period = f"at {self.end}" if self.months is None else f"{self.months} months to {self.end}"
        named = f"{self.name}, " if self.name else ""
        return f"{named}{period}, {self.currency}" if self.currency else f"{named}{period}"


class Amount(Frozen):
    """A figure as printed in a cell."""

    text: str  # printed token without markup, e.g. "(1,573,433)", "–", "16.8 %"
    value: Decimal | None  # printed sign (parentheses or minus make it negative); None for a nil dash or a mark
    decimals: int  # digits after the decimal point as printed
    percent: bool = False
    ref: SourceRef
    footnote_mark: bool = False  # "*" where the figure would stand: a column taken, no figure given


class TableRow(Frozen):
    line: int
    label: str
    section: str  # the nearest section label above ("Current assets:"), normalised
    outer: tuple[str, ...] = ()  # the sections that one stands in, outermost first ("liabilities" for "current")
    amounts: tuple[Amount, ...]
    note: str | None = None  # a note reference printed in a Notes column
    columns: tuple[Column, ...] | None = None  # the column of each amount, None when unknown
    alignment: str = "header"  # how columns were decided: header / realigned / unaligned / none / unreadable
    unreadable: str | None = None  # a cell that is neither a figure nor a note reference: the row is not placed


class AnalysedTable(Frozen):
    index: int  # position of the table among the document's tables
    ref: SourceRef
    title: str  # the caption/heading text the table stands under
    kind: str | None  # statement id from the mapping data (income, balance, cash_flow) or None
    scale: int  # power of ten of the amounts (3 = thousands)
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]


class Context(Frozen):
    period: Period
    dimensions: tuple[tuple[str, str], ...] = ()  # (axis, member) local names, sorted

    @property
    def id(self) -> str:
        dims = "".join(f"_{m}" for _, m in self.dimensions)
        return f"{self.period.key}{dims}"


class Fact(Frozen):
    id: str
    concept: str
    context: Context
    unit: str | None  # unit id: CNY, USD, shares, CNY_per_share, USD_per_share, pure
    value: Decimal | None  # the concept's value (sign by the concept's polarity); None = nil
    decimals: str | None  # "-3", "2", "INF"
    scale: int = 0
    display: str  # the digits shown inside the tag, e.g. "1,573,433" or "–"
    format: str  # TRR 5 format, e.g. ixt:num-dot-decimal, ixt:fixed-zero
    source: SourceRef
    label: str  # the printed row label, for reports
    role: str | None = None  # taxonomy role of the table it was printed in (income, balance, non_gaap ...)

    @property
    def in_prose(self) -> bool:
        """Read from running text (ids "p-LINE-COLUMN"), not from a table cell."""
        return self.id.startswith("p-")

    @property
    def negative(self) -> bool:
        return self.value is not None and self.value < 0


class TextFact(Frozen):
    """A non-numeric fact (cover page, text blocks)."""

    id: str
    concept: str
    context: Context
    value: str
    source: SourceRef | None = None  # where it is printed, when it is tagged in place
    display: str | None = None  # the text as printed there (None: in ix:hidden)
    format: str | None = None  # the transformation from the printed text to the value


class ProseFigure(Frozen):
    """A figure found in a paragraph: where it stands and, when tagged, its fact; otherwise the
    rule that left it untagged."""

    ref: SourceRef
    text: str  # the digits as printed
    fact: Fact | None
    rule: str  # "" when tagged


class TextBlock(Frozen):
    """A note or an accounting policy as an escaped text block: the document blocks it covers,
    as runs of consecutive block indices (a table inside a note ends one part; the text goes on
    in an ix:continuation after it)."""

    id: str
    concept: str
    context: Context
    title: str
    parts: tuple[tuple[int, int], ...]  # (first, last) block index, inclusive
    source: SourceRef


class Tagging(Frozen):
    """What the understand stage made of a document: its tables, every fact with where it was
    printed, the text facts (cover, text blocks), and what it noticed while reading."""

    tables: tuple[AnalysedTable, ...]
    facts: tuple[Fact, ...]  # table figures first, then the prose's (ids "p-...")
    withheld: tuple[Fact, ...] = ()  # prose figures read but not tagged: a table's figure says otherwise
    findings: tuple[Finding, ...]
    period: Period  # the document's reporting period (duration)
    prose: tuple[ProseFigure, ...] = ()  # every figure found in paragraphs, tagged or not
    text_facts: tuple[TextFact, ...] = ()  # the cover (dei) facts
    text_blocks: tuple[TextBlock, ...] = ()  # notes and policies
    rate: Decimal | None = None  # the stated RMB per US$1.00 convenience rate
    # (role, total, item) of the taxonomy sums this report does not print (an item it does not
    # print in that statement) or prints with lines the tool did not read as part of them: its
    # entry schema prohibits them, and the sum check leaves them out (understand/sums.py)
    unprinted_calc: tuple[tuple[str, str, str], ...] = ()

    @property
    def fact_count(self) -> int:
        return len(self.facts) + len(self.text_facts) + len(self.text_blocks)
