"""Property-based tests of the reader and the table understanding (hypothesis, deterministic).

1. No crash: any text, and fragments of the real samples mangled the way conversions mangle
   them (lines shuffled, cells dropped or doubled, tabs inserted or removed, markup inserted),
   read and tagged, raise nothing but `InputError`.
2. No invented figure: every numeric fact points (file, line, column) at a figure printed in the
   input whose value, at the fact's scale, is the fact's value (signs aside: the statement's
   orientation may flip them).

Runs derandomized with a modest number of examples, so CI sees the same inputs every time.
"""

from __future__ import annotations

import re
import tempfile
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcxbrl.errors import InputError
from kcxbrl.understand import understand
from kcxbrl.read import Table
from kcxbrl.understand import Fact
from kcxbrl.profile import load_profile
from kcxbrl.read import read_document
from kcxbrl.resources import samples_dir
from kcxbrl.dts import default_taxonomy
from kcxbrl.read import parse_amount, plain

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SAMPLES = sorted(p.name for p in samples_dir().glob("*.txt"))
MARKUP = ["**", "<u>", "</u>", "<i>", "</i>", "<b>", "*", "\\$", "&amp;", "<script>", "]]>", "<!DOCTYPE x>",
          "&#x41;", "<ix:nonFraction>", "\u00a0", "\f", "(", ")", "%", "-", "–", "US$", "RMB"]


@lru_cache(maxsize=1)
def _taxonomy_and_profile():
    return default_taxonomy(), load_profile("kingsoft-cloud")


@lru_cache(maxsize=None)
def _sample_lines(name: str) -> tuple[str, ...]:
    return tuple((samples_dir() / name).read_text(encoding="utf-8").split("\n"))


@lru_cache(maxsize=None)
def _table_starts(name: str) -> tuple[int, ...]:
    """0-based first line of each table of a sample."""
    document = read_document(samples_dir() / name)
    return tuple(b.ref.line - 1 for b in document.blocks if isinstance(b, Table))


def read_and_tag(data: bytes, name: str = "fuzz.txt"):
    """The reader and the tagging on `data` as a file; None when the input is refused."""
    taxonomy, profile = _taxonomy_and_profile()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            document = read_document(path)
            return document, understand(document, profile)
        except InputError as exc:
            assert str(exc).startswith(name) and "\n" not in str(exc)
            return None


# ---------------------------------------------------------------- no invented figure

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def printed_value(lines: list[str], fact: Fact) -> tuple[str, Decimal | None]:
    """The figure printed at a fact's source: (its text, its value; None for a nil dash).

    Table facts point at their cell's first character in the file, prose facts at their digits
    in the file (markup and escapes before them counted as the file has them)."""
    assert fact.source.file == "fuzz.txt"
    assert 1 <= fact.source.line <= len(lines), fact
    raw = lines[fact.source.line - 1]
    at = fact.source.column - 1
    if fact.id.startswith("p-"):
        m = _NUMBER.match(raw, at)
        assert m and (at == 0 or not raw[at - 1].isdigit()), (fact, raw[max(0, at - 20):at + 20])
        return m.group(), Decimal(m.group().replace(",", ""))
    assert 0 <= at < len(raw), (fact, raw)
    assert at == 0 or raw[at - 1] in "\t " or "\t" not in raw, (fact, raw)  # the start of a cell
    end = raw.find("\t", at) if "\t" in raw else re.compile(r"\S*").match(raw, at).end()
    cell = plain(raw[at:] if end < 0 else raw[at:end])
    parsed = parse_amount(cell)
    assert parsed is not None, (fact, cell)
    return cell, parsed[0]


def assert_no_invented_figure(data: bytes, facts: tuple[Fact, ...]) -> None:
    lines = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for fact in facts:
        if fact.unit is None or fact.value is None:
            continue
        text, printed = printed_value(lines, fact)
        if printed is None:  # a nil dash: a zero
            assert fact.value == 0 and fact.format == "ixt:fixed-zero", (fact, text)
            continue
        assert abs(printed) * Decimal(10) ** fact.scale == abs(fact.value), (fact, text)
        assert fact.display.replace(",", "") in text.replace(",", ""), (fact, text)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_fact_of_the_samples_is_printed_where_it_points(name):
    data = (samples_dir() / name).read_bytes()
    result = read_and_tag(data)
    assert result is not None
    facts = result[1].facts
    assert len(facts) > 400
    assert_no_invented_figure(data, facts)


# ---------------------------------------------------------------- strategies


@st.composite
def sample_fragments(draw) -> str:
    """A window of a real sample around one of its tables (with the caption above it and the
    convenience-rate sentence, so figures can be tagged), mangled."""
    name = draw(st.sampled_from(SAMPLES))
    lines = list(_sample_lines(name))
    starts = _table_starts(name)
    start = draw(st.sampled_from(starts))
    before = draw(st.integers(0, 8))
    length = draw(st.integers(3, 60))
    window = lines[max(0, start - before):start + length]
    rate = [line for line in lines if "US$1.00" in line.replace("\\$", "$")][:1]
    prose = [line for line in lines if "\t" not in line and re.search(r"RMB\d", line)]
    window = rate + [""] + draw(st.lists(st.sampled_from(prose), max_size=3) if prose else st.just([])) + [""] + window
    for _ in range(draw(st.integers(0, 6))):
        window = draw(_mutation(window))
    return "\n".join(window)


@st.composite
def _mutation(draw, lines: list[str]) -> list[str]:
    lines = list(lines)
    if not lines:
        return lines
    k = draw(st.integers(0, len(lines) - 1))
    line = lines[k]
    cells = line.split("\t")
    op = draw(st.sampled_from(["shuffle", "drop_cell", "dup_cell", "add_tab", "drop_tab", "markup",
                               "dup_line", "drop_line", "blank", "truncate", "swap_cells", "space_cells"]))
    if op == "shuffle":
        j = draw(st.integers(k, min(len(lines), k + 8)))
        part = lines[k:j]
        lines[k:j] = draw(st.permutations(part)) if part else part
    elif op == "drop_cell" and len(cells) > 1:
        del cells[draw(st.integers(0, len(cells) - 1))]
        lines[k] = "\t".join(cells)
    elif op == "dup_cell":
        i = draw(st.integers(0, len(cells) - 1))
        cells.insert(i, cells[i])
        lines[k] = "\t".join(cells)
    elif op == "swap_cells" and len(cells) > 2:
        i = draw(st.integers(1, len(cells) - 2))
        cells[i], cells[i + 1] = cells[i + 1], cells[i]
        lines[k] = "\t".join(cells)
    elif op == "add_tab":
        at = draw(st.integers(0, len(line)))
        lines[k] = line[:at] + "\t" + line[at:]
    elif op == "drop_tab" and "\t" in line:
        tabs = [i for i, ch in enumerate(line) if ch == "\t"]
        at = draw(st.sampled_from(tabs))
        lines[k] = line[:at] + draw(st.sampled_from(["", " "])) + line[at + 1:]
    elif op == "space_cells":
        lines[k] = line.replace("\t", " ")
    elif op == "markup":
        at = draw(st.integers(0, len(line)))
        lines[k] = line[:at] + draw(st.sampled_from(MARKUP)) + line[at:]
    elif op == "dup_line":
        lines.insert(k, line)
    elif op == "drop_line":
        del lines[k]
    elif op == "blank":
        lines.insert(k, "")
    elif op == "truncate":
        lines[k] = line[:draw(st.integers(0, len(line)))]
    return lines


_CELL = st.one_of(
    st.from_regex(r"\(?[1-9]\d{0,2}(,\d{3}){0,2}(\.\d{1,2})?\)?%?", fullmatch=True),
    st.sampled_from(["", "-", "–", "RMB", "US$", "US\\$", "(%)", "Notes", "2024", "2025", "Jun 30, 2025",
                     "Three Months Ended", "For the year ended December 31,", "As at December 31,", "**1,234**",
                     "<u>(5,678)</u>", "Revenues:", "Total revenues", "Net loss", "Cash and cash equivalents"]),
    st.text(max_size=12),
)
_LINE = st.one_of(
    st.lists(_CELL, min_size=1, max_size=8).map("\t".join),
    st.lists(_CELL, min_size=1, max_size=6).map(" ".join),
    st.text(max_size=80),
    st.sampled_from(["", "UNAUDITED CONDENSED CONSOLIDATED BALANCE SHEETS",
                     "UNAUDITED CONDENSED CONSOLIDATED STATEMENTS OF COMPREHENSIVE LOSS", "(All amounts in thousands)",
                     "Revenues were RMB1,234.5 million (US$172.3 million), compared with RMB1,000.0 million in 2024.",
                     "translated at RMB7.1636 to US$1.00"]),
)


# ---------------------------------------------------------------- properties


@FUZZ
@given(st.text(max_size=400))
def test_any_text_is_read_or_refused(text):
    data = text.encode("utf-8")
    result = read_and_tag(data)
    if result is not None:
        assert_no_invented_figure(data, result[1].facts)


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused(data):
    result = read_and_tag(data)
    if result is not None:
        assert_no_invented_figure(data, result[1].facts)


@FUZZ
@given(st.lists(_LINE, min_size=1, max_size=40))
def test_table_like_text_is_read_or_refused(lines):
    data = "\n".join(lines).encode("utf-8", "replace")
    result = read_and_tag(data)
    if result is not None:
        assert_no_invented_figure(data, result[1].facts)


@settings(FUZZ, max_examples=80)
@given(sample_fragments())
def test_mangled_sample_fragments_tag_only_printed_figures(text):
    data = text.encode("utf-8")
    result = read_and_tag(data)
    if result is not None:
        assert_no_invented_figure(data, result[1].facts)
