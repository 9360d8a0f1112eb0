"""The read stage's output: a Document of headings, paragraphs and tables, every cell and line
with its file, line and column."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from kcxbrl.findings import Frozen, SourceRef


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
    # page furniture of a table continued over a page break: a page number, a running head, the
    # column header rows printed again. Kept for the rendered page; never read as a row.
    furniture: bool = False
    # a line without figures that the reader kept in the table only because it cannot be a
    # section label (too long, or a sentence's middle) and stands between two rows with no blank
    # line: the rest of the label of the row of figures right above it
    rest_of_label: bool = False

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
    # the line right below the table's last row of figures, with no blank line between, where the
    # table ends: it may be the rest of that row's label (a long label wrapped below its figures)
    # or a heading or note of its own. The reader cannot tell (the mapping can: understand
    # decides), so the line also stays the block after the table, as printed.
    rest_below: Row | None = None


Block = Annotated[Union[Heading, Paragraph, Table], Field(discriminator="kind")]


class Document(Frozen):
    name: str  # file stem, e.g. kc-2025-annual-results
    file: str  # file name as given
    blocks: tuple[Block, ...]
    line_count: int


