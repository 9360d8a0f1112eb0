"""Which tables are statements, and which concept each row is.

All knowledge of labels lives in taxonomy/source/mapping.toml; this module only applies it:
a table's kind comes from the evidence (its rows, caption and header, see `table_kind`), a
row's concept from the first rule whose label and section patterns match.
"""

from __future__ import annotations

import re

from kcxbrl.dts import Breakdown, RowRule, TableKind, Taxonomy
from kcxbrl.read import Document, Table, is_data_row, is_header_row, normalise_label
from kcxbrl.understand.tables import WRAPPED_REST, goes_on, titles_before


def prints_amount_to_subtract(label: str) -> bool:
    """'Less: X' prints X with its own sign, for the reader to subtract."""
    return bool(re.match(r"^\s*less:", label, re.IGNORECASE))


def classify_tables(document: Document, taxonomy: Taxonomy) -> list[tuple[Table, str, TableKind | None]]:
    """Each table with its caption and kind, decided by evidence (`table_kind`)."""
    tables = [b for b in document.blocks if isinstance(b, Table)]
    result: list[tuple[Table, str, TableKind | None]] = []
    previous: TableKind | None = None
    for table, title in zip(tables, titles_before(document)):
        kind = table_kind(table, title, previous if not title.strip() else None, taxonomy)
        result.append((table, title, kind))
        previous = kind
    return result


# How much each piece of evidence weighs, against the share of a table's rows a kind's rules
# match (0 to 1). A caption names the statement but may be a sentence that merely mentions one;
# rows are what the table is. A table with no caption of its own right after another (a
# statement continued) leans to that one's kind.
CAPTION_WEIGHT = 0.5
CONTINUES_WEIGHT = 0.25
HEADER_WEIGHT = 0.2
MIN_SCORE = 0.5  # below this, no kind fits: the table is not understood
MIN_ROWS = 2  # rows a kind must recognise when no caption names it


def table_kind(table: Table, title: str, continuing: TableKind | None, taxonomy: Taxonomy) -> TableKind | None:
    """The kind whose evidence is strongest: the share of the table's row labels its rules
    recognise ("Total assets" and "Total liabilities" make a balance sheet wherever it stands),
    its caption, whether its header speaks of instants or durations, and the table it continues.
    None when no kind reaches MIN_SCORE, or two kinds tie with no caption to tell them apart:
    a table is never given a kind by guess."""
    captioned = set(_caption_kinds(title, taxonomy))
    labels = _row_labels(table)
    period = _header_period(table)
    scored: list[tuple[float, int, int, TableKind]] = []
    for order, kind in enumerate(taxonomy.tables):
        rules = [re.compile(r.label, re.IGNORECASE) for r in taxonomy.rules(kind) if _telling(r.label)]
        matched = sum(1 for label in labels if any(rule.search(label) for rule in rules))
        score = matched / len(labels) if labels else 0.0
        continues = continuing is not None and kind.kind == continuing.kind
        if kind.kind in captioned:
            score += CAPTION_WEIGHT
        elif matched < MIN_ROWS and not (continues and matched):
            continue
        if continues:
            score += CONTINUES_WEIGHT
        if period is not None:
            score += HEADER_WEIGHT if (period == "instant") == kind.instant else -HEADER_WEIGHT
        scored.append((score, kind.kind in captioned, -order, kind))
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1], s[2]), reverse=True)
    best = scored[0]
    if best[0] < MIN_SCORE:
        return None
    if len(scored) > 1 and abs(scored[1][0] - best[0]) < 1e-9 and not best[1] and not _same_rules(best[3], scored[1][3], taxonomy):
        return None  # two kinds fit alike and nothing says which
    return best[3]


def _caption_kinds(title: str, taxonomy: Taxonomy) -> list[str]:
    """The kinds the caption names. A caption names the statement; a sentence leading into a
    note table ("... as follows:") names it only for kinds that say so (`intro`)."""
    parts = [part for part in title.split(" | ") if part]
    captions = [part for part in parts if not part.rstrip().endswith((":", "."))]
    return [k.kind for k in taxonomy.tables
            if any(re.search(k.title, c, re.IGNORECASE) for c in (parts if k.intro else captions))][:1]


def _telling(pattern: str) -> bool:
    """A rule that recognises a row by its words (not one for an unlabelled or "Total" row)."""
    return not (re.search(pattern, "", re.IGNORECASE) or re.search(pattern, "total", re.IGNORECASE))


def _same_rules(a: TableKind, b: TableKind, taxonomy: Taxonomy) -> bool:
    return a.rows_from == b.kind or b.rows_from == a.kind


_INSTANT_WORDS = re.compile(r"\bas\s+(?:at|of)\b", re.IGNORECASE)
_DURATION_WORDS = re.compile(r"\b(?:months?|years?|quarters?|periods?)\s+ended\b", re.IGNORECASE)


def _header_period(table: Table) -> str | None:
    """"instant" or "duration" when the header rows say only one of them."""
    text = " ".join(c.text for row in table.rows if not row.furniture and is_header_row(row.cells) for c in row.cells)
    instant, duration = bool(_INSTANT_WORDS.search(text)), bool(_DURATION_WORDS.search(text))
    if instant != duration:
        return "instant" if instant else "duration"
    return None


def breakdown_of(breakdowns: tuple[Breakdown, ...], section: str) -> Breakdown | None:
    """The breakdown a section label opens ("Share-based compensation expenses included in:")."""
    sec = normalise_label(section)
    return next((b for b in breakdowns if sec and re.search(b.section, sec, re.IGNORECASE)), None)


# "Net loss/(profit) attributable to ...", "Comprehensive loss/(income) ...": a positive figure is
# the word outside the parentheses. Losses and expenses positive: the row prints debits.
# Only the slashed form states it; "Income tax expense (benefit)" is a caption, not a convention.
_DEBIT_FIRST = re.compile(r"\b(loss(es)?|expenses?|deficit)\s*/\s*\((profit|income|gains?|benefit)s?\)", re.IGNORECASE)
_CREDIT_FIRST = re.compile(r"\((loss(es)?|expenses?)\)\s*/\s*(profit|income|gains?|benefit)", re.IGNORECASE)


def _row_labels(table: Table) -> list[str]:
    """The labels of the rows with figures, a label wrapped onto its figures' row joined with
    the line above it ("Adjusted gross margin" / "(Non-GAAP Financial Measure)  17.0%")."""
    labels: list[str] = []
    above = previous_label = ""
    previous_data = False
    for row in table.rows:
        if row.furniture or not row.label:
            continue
        if not is_data_row(row.cells):
            if labels and previous_data and (row.rest_of_label or goes_on(row.label, previous_label)):
                labels[-1] = normalise_label(f"{previous_label} {row.label}")  # the rest of the label above
                previous_data = False
                continue
            above = row.label if not row.label.rstrip().endswith(":") else ""
            previous_data = False
            continue
        previous_data, previous_label = True, row.label
        label = f"{above} {row.label}" if above and WRAPPED_REST.match(row.label) else row.label
        labels.append(normalise_label(label))
        above = ""
    rest = table.rest_below
    if rest is not None and labels and previous_data and goes_on(rest.label, previous_label):
        labels[-1] = normalise_label(f"{previous_label} {rest.label}")  # the line under the table
    return labels


def label_orientation(label: str) -> str | None:
    """The sign convention a row's label states ("loss/(profit)": a loss is positive), or None."""
    if _DEBIT_FIRST.search(label):
        return "debit"
    if _CREDIT_FIRST.search(label):
        return "credit"
    return None


def row_rule(taxonomy: Taxonomy, kind: TableKind, label: str, section: str, percent: bool, first_row: str,
             last: bool) -> object | None:
    """The rule the mapping has for a row so labelled, under that section, in a table of this
    kind (under a breakdown's section: the rule of its member), or None."""
    breakdown = breakdown_of(taxonomy.breakdowns, section)
    if breakdown is not None:
        return breakdown.rule_for(normalise_label(label))
    return match_row(taxonomy.rules(kind), label, section, percent, first_row, last)


def match_row(rules: tuple[RowRule, ...], label: str, section: str, percent: bool, first_row: str,
              last: bool) -> RowRule | None:
    norm, sec, first = normalise_label(label), normalise_label(section), normalise_label(first_row)
    return next((rule for rule in rules if rule.matches(norm, sec, percent, first, last)), None)
