"""Pydantic models: the contracts between the pipeline stages.

document (reader) -> analysed tables (tables) -> facts (facts) -> filing (render/package).
Every model is frozen: a stage never edits what an earlier stage produced.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class SourceRef(Frozen):
    """Where something stands in the input: file name, 1-based line and column."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# ---------------------------------------------------------------- document (reader)


class Run(Frozen):
    """A stretch of text with the emphasis the conversion left as markup (**, <u>, <i>)."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


class Cell(Frozen):
    text: str  # plain text: markup removed, whitespace collapsed, `\$` unescaped
    runs: tuple[Run, ...] = ()
    ref: SourceRef


class Row(Frozen):
    cells: tuple[Cell, ...]
    line: int
    joined_from: tuple[int, ...] = ()  # other lines merged into this row (values split over lines)

    @property
    def label(self) -> str:
        return self.cells[0].text if self.cells else ""


class RunningText(Frozen):
    """Text whose lines are runs. Markup and escapes (`**`, `<u>`, `US\\$`) are not in the runs'
    text, so a character's place in the plain text and its column in the file can differ:
    `file_columns` keeps, for each line where they differ, the file column of every plain
    character (None where they do not)."""

    file_columns: tuple[tuple[int, ...] | None, ...] = ()

    def file_column(self, line_offset: int, plain_index: int) -> int:
        """The 1-based file column of the plain text's character at plain_index."""
        columns = self.file_columns[line_offset] if line_offset < len(self.file_columns) else None
        if not columns:
            return plain_index + 1
        if plain_index >= len(columns):  # just past the end
            return columns[-1] + 2 + plain_index - len(columns)
        return columns[plain_index] + 1

    def plain_index(self, line_offset: int, file_column: int) -> int:
        """The inverse: where the character at a file column stands in the plain text."""
        columns = self.file_columns[line_offset] if line_offset < len(self.file_columns) else None
        if not columns:
            return file_column - 1
        return next((i for i, c in enumerate(columns) if c >= file_column - 1), len(columns))


class Heading(RunningText):
    kind: Literal["heading"] = "heading"
    level: int
    runs: tuple[Run, ...]
    ref: SourceRef

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


class Paragraph(RunningText):
    kind: Literal["paragraph"] = "paragraph"
    lines: tuple[tuple[Run, ...], ...]  # one entry per source line (line breaks kept)
    ref: SourceRef

    @property
    def text(self) -> str:
        return " ".join("".join(r.text for r in line) for line in self.lines)


class Table(Frozen):
    kind: Literal["table"] = "table"
    rows: tuple[Row, ...]
    ref: SourceRef


Block = Annotated[Union[Heading, Paragraph, Table], Field(discriminator="kind")]


class Document(Frozen):
    name: str  # file stem, e.g. kc-2025-annual-results
    file: str  # file name as given
    blocks: tuple[Block, ...]
    line_count: int


# ---------------------------------------------------------------- tables (table understanding)

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


class Amount(Frozen):
    """A figure as printed in a cell."""

    text: str  # printed token without markup, e.g. "(1,573,433)", "–", "16.8 %"
    value: Decimal | None  # printed sign (parentheses or minus make it negative); None for a nil dash
    decimals: int  # digits after the decimal point as printed
    percent: bool = False
    ref: SourceRef


class TableRow(Frozen):
    line: int
    label: str
    section: str  # the nearest section label above ("Current assets:"), normalised
    amounts: tuple[Amount, ...]
    note: str | None = None  # a note reference printed in a Notes column
    columns: tuple[Column, ...] | None = None  # the column of each amount, None when unknown
    alignment: str = "header"  # how columns were decided: header / realigned / unaligned / none


class AnalysedTable(Frozen):
    index: int  # position of the table among the document's tables
    ref: SourceRef
    title: str  # the caption/heading text the table stands under
    kind: str | None  # statement id from the mapping data (income, balance, cash_flow) or None
    scale: int  # power of ten of the amounts (3 = thousands)
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]


# ---------------------------------------------------------------- facts

class Finding(Frozen):
    """Something the filer should know: unmapped rows, misaligned rows, source errors."""

    severity: Literal["error", "warning", "info"]
    code: str
    message: str
    ref: SourceRef
    facts: tuple[str, ...] = ()  # ids of the facts involved (to trace Arelle's messages to this finding)
    refs: tuple[SourceRef, ...] = ()  # the other places involved: a sum's items, the figure it contradicts


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


class Filing(Frozen):
    document: Document
    tables: tuple[AnalysedTable, ...]
    facts: tuple[Fact, ...]
    prose: tuple[ProseFigure, ...] = ()
    text_facts: tuple[TextFact, ...]
    text_blocks: tuple[TextBlock, ...] = ()
    findings: tuple[Finding, ...]
    # (role, total, item) of the taxonomy sums whose item this report's statement does not print:
    # its entry schema prohibits them, and the sum check leaves them out
    unprinted_calc: tuple[tuple[str, str, str], ...] = ()
    schema_ref: str
    entity_scheme: str
    entity_id: str

    @property
    def fact_count(self) -> int:
        return len(self.facts) + len(self.text_facts) + len(self.text_blocks)
