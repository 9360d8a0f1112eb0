"""The cover (dei) facts: those the cover prints (form type, registrant name, file number,
trading symbol) tagged where it prints them, the rest from the issuer profile in ix:hidden."""

from __future__ import annotations

import re

from kcxbrl.findings import SourceRef
from kcxbrl.profile import IssuerProfile
from kcxbrl.read import Document, Heading, Paragraph
from kcxbrl.understand.model import Context, Period, TextFact


_FORM = re.compile(r"\bFORM\s+(6-K|8-K|10-K|10-Q|20-F|40-F)\b")


def fiscal_period_focus(period: Period, fiscal_year_end: tuple[int, int]) -> tuple[str, str]:
    """(DocumentFiscalYearFocus, DocumentFiscalPeriodFocus) for the reporting period."""
    assert period.start is not None
    months = round((period.end - period.start).days / 30.44)
    fye_month = fiscal_year_end[0]
    fiscal_year = period.end.year if period.end.month <= fye_month else period.end.year + 1
    months_into_year = (period.end.month - fye_month) % 12 or 12
    if months >= 12:
        focus = "FY"
    elif months == 6:
        focus = "H1" if months_into_year == 6 else "H2"
    elif months == 9:
        focus = "M9"
    else:
        focus = f"Q{max(1, min(4, months_into_year // 3))}"
    return str(fiscal_year), focus


def document_type(document: Document, default: str) -> str:
    for block in document.blocks[:20]:
        if isinstance(block, Heading | Paragraph):
            m = _FORM.search(block.text)
            if m:
                return m.group(1)
    return default


def cover_facts(document: Document, period: Period, profile: IssuerProfile) -> tuple[TextFact, ...]:
    """The dei cover facts. Those the cover prints (form type, registrant name, file number,
    trading symbol) are tagged where it prints them; the rest go in ix:hidden."""
    form = document_type(document, profile.default_document_type)
    year, focus = fiscal_period_focus(period, profile.fiscal_year_end_month_day)
    context = Context(period=period)
    name, cik, file_number, symbol = profile.name, profile.cik, profile.file_number, profile.trading_symbol
    values = [
        ("DocumentType", form, rf"(?i:\bform)\s+({re.escape(form)})\b"),
        ("AmendmentFlag", "false", None),
        ("DocumentPeriodEndDate", period.end.isoformat(), None),
        ("DocumentFiscalYearFocus", year, None),
        ("DocumentFiscalPeriodFocus", focus, None),
        ("CurrentFiscalYearEndDate", profile.fiscal_year_end, None),
        ("EntityRegistrantName", name, rf"(?<![\w-])({re.escape(name)})(?![\w-])"),
        # an identity the document states leaves out what it does not state (no CIK of another's)
        ("EntityCentralIndexKey", cik, None) if cik else None,
        ("EntityFileNumber", file_number, rf"(?<![\w-])({re.escape(file_number)})(?![\w-])") if file_number else None,
        ("TradingSymbol", symbol, rf"(?i:\b(?:nasdaq|nyse)[^:;,)]{{0,20}}):\s*({re.escape(symbol)})\b") if symbol else None,
    ]
    cover = _cover_lines(document)
    facts = []
    for concept, value, printed in filter(None, values):
        ref = _first_printed(cover, printed, document.file) if printed else None
        facts.append(TextFact(id=f"cover-{concept}", concept=concept, context=context, value=value, source=ref,
                              display=value if ref else None))
    return tuple(facts)


def _cover_lines(document: Document) -> list[tuple[Heading | Paragraph, int, str]]:
    """(block, line offset, plain text) of the text before the first table: the cover page."""
    lines: list[tuple[Heading | Paragraph, int, str]] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            lines.append((block, 0, block.text))
        elif isinstance(block, Paragraph):
            lines += [(block, k, "".join(r.text for r in line)) for k, line in enumerate(block.lines)]
        else:
            break
    return lines


def _first_printed(lines: list[tuple[Heading | Paragraph, int, str]], pattern: str, file: str) -> SourceRef | None:
    for block, offset, text in lines:
        m = re.search(pattern, text)  # the value group matches case and all: it is the fact's value
        if m:
            return SourceRef(file=file, line=block.ref.line + offset, column=block.file_column(offset, m.start(1)))
    return None
