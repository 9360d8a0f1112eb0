"""Stage 1, read: a text file -> a Document (headings, paragraphs, tables), every line, cell
and run of text with its file, line and column.

blocks.py decides which block each line belongs to; text.py turns raw text (markup, escapes,
dashes) into runs, plain text and figures, and is shared with the later stages.
"""

from __future__ import annotations

from pathlib import Path

from kcxbrl.read.blocks import MAX_INPUT_BYTES, MAX_TABLE_CELLS, is_data_row, is_header_row, parse_lines, read_lines
from kcxbrl.read.model import Block, Cell, Document, Heading, Paragraph, Row, Run, RunningText, Table
from kcxbrl.read.text import (
    CONVENIENCE_RATE, currency_sign, is_amount, is_currency_sign, is_footnote_mark, normalise_label, parse_amount, plain,
)

__all__ = [
    "CONVENIENCE_RATE", "MAX_INPUT_BYTES", "MAX_TABLE_CELLS", "Block", "Cell", "Document", "Heading", "Paragraph",
    "Row", "Run", "RunningText", "Table", "is_amount", "is_data_row", "is_header_row", "normalise_label",
    "currency_sign", "is_currency_sign", "is_footnote_mark", "parse_amount", "parse_lines", "plain", "read_document",
    "read_lines",
]


def read_document(path: Path) -> Document:
    """Read an announcement file into a Document, or raise InputError naming file and line."""
    return parse_lines(path.name, read_lines(path))
