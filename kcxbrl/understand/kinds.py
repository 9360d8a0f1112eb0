"""Which tables are statements, and which concept each row is.

All knowledge of labels lives in taxonomy/source/mapping.toml; this module only applies it:
a table's kind comes from its caption (or it continues the table before it), a row's concept
from the first rule whose label and section patterns match.
"""

from __future__ import annotations

import re

from kcxbrl.dts import RowRule, TableKind, Taxonomy
from kcxbrl.read import Document, Table, normalise_label
from kcxbrl.understand.tables import titles_before


def prints_amount_to_subtract(label: str) -> bool:
    """'Less: X' prints X with its own sign, for the reader to subtract."""
    return bool(re.match(r"^\s*less:", label, re.IGNORECASE))


def classify_tables(document: Document, taxonomy: Taxonomy) -> list[tuple[Table, str, TableKind | None]]:
    """Each table with its caption and kind. A table without a caption of its own (a statement
    continued after a page break) continues the kind of the table before it."""
    tables = [b for b in document.blocks if isinstance(b, Table)]
    result: list[tuple[Table, str, TableKind | None]] = []
    previous: TableKind | None = None
    for table, title in zip(tables, titles_before(document)):
        # a caption names the statement; a sentence leading into a note table ("... as follows:") does not
        parts = [part for part in title.split(" | ") if part]
        captions = [part for part in parts if not part.rstrip().endswith((":", "."))]
        kind = next((k for k in taxonomy.tables
                     if any(re.search(k.title, c, re.IGNORECASE) for c in (parts if k.intro else captions))), None)
        if kind is None and not title.strip():
            kind = previous
        result.append((table, title, kind))
        previous = kind
    return result


def match_row(rules: tuple[RowRule, ...], label: str, section: str, percent: bool, first_row: str,
              last: bool) -> RowRule | None:
    norm, sec, first = normalise_label(label), normalise_label(section), normalise_label(first_row)
    return next((rule for rule in rules if rule.matches(norm, sec, percent, first, last)), None)
