"""The cover (dei) facts: those the cover prints (form type, registrant name, file number,
trading symbol) tagged where it prints them, the rest from the issuer profile in ix:hidden."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from kcxbrl.findings import Finding, SourceRef
from kcxbrl.profile import IssuerProfile
from kcxbrl.read import Document, Heading, Paragraph
from kcxbrl.understand.issuer import StatedIdentity
from kcxbrl.understand.model import Context, Fact, Period, TextFact


_FORM = re.compile(r"\bFORM\s+(6-K|8-K|10-K|10-Q|20-F|40-F)\b")
# Forms the text names anywhere ("our Annual Report on Form 10-K"): whose filings they are
_FORM_NAMED = re.compile(r"\bForm\s+(6-K|8-K|10-K|10-Q|20-F|40-F)\b", re.IGNORECASE)
_DOMESTIC_FORMS = {"8-K", "10-K", "10-Q"}  # a US domestic filer's: its results release is an 8-K exhibit
_FOREIGN_FORMS = {"6-K", "20-F", "40-F"}  # a foreign private issuer's: its release is furnished on 6-K
_US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|"
    "Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|"
    "Montana|Nebraska|Nevada|New\\s+Hampshire|New\\s+Jersey|New\\s+Mexico|New\\s+York|North\\s+Carolina|North\\s+Dakota|Ohio|"
    "Oklahoma|Oregon|Pennsylvania|Rhode\\s+Island|South\\s+Carolina|South\\s+Dakota|Tennessee|Texas|Utah|Vermont|"
    "Virginia|Washington|West\\s+Virginia|Wisconsin|Wyoming|D\\.C\\.|"
    # AP style and postal abbreviations
    "Ala\\.|Ariz\\.|Ark\\.|Calif\\.|Colo\\.|Conn\\.|Del\\.|Fla\\.|Ga\\.|Ill\\.|Ind\\.|Kan\\.|Ky\\.|La\\.|Md\\.|Mass\\.|"
    "Mich\\.|Minn\\.|Miss\\.|Mo\\.|Mont\\.|Neb\\.|Nev\\.|N\\.H\\.|N\\.J\\.|N\\.M\\.|N\\.Y\\.|N\\.C\\.|N\\.D\\.|Okla\\.|Ore\\.|"
    "Pa\\.|R\\.I\\.|S\\.C\\.|S\\.D\\.|Tenn\\.|Vt\\.|Va\\.|Wash\\.|W\\.Va\\.|Wis\\.|Wyo\\.|"
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|"
    "PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC")
# A release's dateline: "Dubuque, Iowa – August 17, 2026 –", "MILWAUKEE, WI , August 25, 2026 —",
# "AUSTIN, Texas, Aug. 5, 2026 /PRNewswire/"
_DATELINE = re.compile(
    rf"^\s*((?:[A-Z][\w.'-]*\s+){{0,3}}[A-Z][\w.'-]*\s*,\s*(?-i:{_US_STATES}))\s*(?:,\s*)?(?:,|[-–—]|/|\(|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)")
DEFAULT_DOCUMENT_TYPE = "6-K"  # a document with no profile and nothing that says otherwise (as before)


def fiscal_period_focus(period: Period, fiscal_year_end: tuple[int, int],
                        named: tuple[tuple[int | None, date], ...] = ()) -> tuple[str, str]:
    """(DocumentFiscalYearFocus, DocumentFiscalPeriodFocus) for the reporting period: the fiscal
    year is the one whose end (the month and day of `fiscal_year_end`, or up to a week after it:
    a 52/53-week year) the period ends in, named by its end's year unless the text names it
    ("fiscal 2026, which ended June 28, 2026": `named`); the focus from the period's months and
    how far into that year it ends."""
    assert period.start is not None
    months = round((period.end - period.start).days / 30.44)
    year_end = _year_end(period.end.year, fiscal_year_end)
    if period.end > year_end + timedelta(days=7):
        year_end = _year_end(period.end.year + 1, fiscal_year_end)
    fiscal_year = next((label for label, end in named if label and abs((end - year_end).days) <= 7), year_end.year)
    previous_end = _year_end(year_end.year - 1, fiscal_year_end)
    months_into_year = max(1, min(12, round((period.end - previous_end).days / 30.44)))
    if months >= 12:
        focus = "FY"
    elif months == 6:
        focus = "H1" if months_into_year == 6 else "H2"
    elif months == 9:
        focus = "M9"
    else:
        focus = f"Q{max(1, min(4, months_into_year // 3))}"
    return str(fiscal_year), focus


def _year_end(year: int, month_day: tuple[int, int]) -> date:
    month, day = month_day
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def fiscal_year_end(identity: StatedIdentity, profile: IssuerProfile, facts: list[Fact], period: Period,
                    file: str) -> tuple[str, list[Finding], tuple[tuple[int | None, date], ...]]:
    """CurrentFiscalYearEndDate (--MM-DD), what is worth saying about it, and the fiscal years
    the text names. The text's word first ("fiscal year 2026, which ended June 28, 2026"; "year
    ended June 30"), then a twelve-month column of a statement ending on the reporting period's
    end, then the fiscal quarter the text names the reporting quarter by ("fourth quarter of
    fiscal 2026": its year ends with that quarter, said as info), then the profile's (a document
    with no profile: December 31, said as assumed)."""
    stated, how = identity.fiscal_year_end, "the text states it"
    named = identity.fiscal_years
    where = identity.ref or SourceRef(file=file, line=1)
    derived: list[Finding] = []
    if stated is None:
        ends = sorted({f.context.period.end for f in facts if not f.in_prose and f.role in _STATEMENT_ROLES
                       and f.context.period.start is not None and f.context.period.end == period.end
                       and round((f.context.period.end - f.context.period.start).days / 30.44) == 12})
        if ends:
            stated, how = f"--{ends[0]:%m-%d}", f"a statement's twelve-month column ends on {ends[0]}"
    if stated is None and identity.fiscal_quarters and period.start is not None \
            and round((period.end - period.start).days / 30.44) == 3:
        quarter, label, line = identity.fiscal_quarters[0]
        year_end = _quarters_on(period.end, 4 - quarter)
        if year_end.year in (label, label + 1):  # fiscal years are named by the year they end or start in
            stated, how = f"--{year_end:%m-%d}", (f"the text names the reporting quarter, to {period.end}, quarter "
                                                    f"{quarter} of fiscal {label}")
            named = (*named, (label, year_end))
            derived = [Finding(severity="info", code="cover.fiscalYearEnd", ref=SourceRef(file=file, line=line), message=(
                f"fiscal year end {stated}: {how}, so fiscal {label} ends on {year_end}"
                + ("" if quarter == 4 else " (counted in whole quarters)")))]
    if stated is None:
        if profile.id:
            return profile.fiscal_year_end, [], named
        return profile.fiscal_year_end, [Finding(
            severity="info", code="cover.assumed",
            message=(f"the text states no fiscal year end (no 'fiscal year ended ...', no twelve-month column ending "
                     f"{period.end}): CurrentFiscalYearEndDate {profile.fiscal_year_end} is assumed (a profile's "
                     f"fiscal_year_end sets it)"), ref=where)], named
    if profile.id and stated != profile.fiscal_year_end:
        days = abs((_year_end(2001, (int(stated[2:4]), int(stated[5:7])))
                    - _year_end(2001, profile.fiscal_year_end_month_day)).days)
        near = min(days, 365 - days) <= 7
        return stated, [Finding(
            severity="info" if near else "warning", code="cover.fiscalYearEnd" if near else "profile.mismatch",
            message=(f"fiscal year end {stated} ({how}) where the profile '{profile.id}' says "
                     f"{profile.fiscal_year_end}" + ("; a 52/53-week year: the text's date is used" if near
                                                     else "; the text's is used")), ref=where)], named
    return stated, derived, named


def _quarters_on(end: date, quarters: int) -> date:
    """The end of the quarter `quarters` after the one ending on `end`: calendar months for a
    month's last day, else 13 weeks each (a 52/53-week calendar)."""
    if (end + timedelta(days=1)).day != 1:
        return end + timedelta(weeks=13 * quarters)
    month = end.month + 3 * quarters
    year = end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


_STATEMENT_ROLES = ("income", "cash_flow")


def document_type(document: Document, profile: IssuerProfile) -> tuple[str, bool, Finding | None]:
    """(DocumentType, whether to look for it printed on the cover, what was assumed). The
    cover's "FORM 6-K" says it; else a profile's form of the issuer's releases; else, for a
    document with no profile, what the text says of its issuer: the forms it names (10-K, 10-Q,
    8-K: a US domestic filer; 20-F, 40-F, 6-K: a foreign private issuer), else a dateline in a US
    state (a US domestic filer's release is an exhibit to Form 8-K); else the default, 6-K. All
    but the cover's and the profile's are said (info `cover.assumed`). An exchange named
    ("Nasdaq: X") decides nothing: both kinds of issuer list there."""
    for block in document.blocks[:20]:
        if isinstance(block, Heading | Paragraph):
            m = _FORM.search(block.text)
            if m:
                return m.group(1), True, None
    if profile.id:
        return profile.default_document_type, True, None
    named: dict[str, SourceRef] = {}
    dateline: tuple[str, SourceRef] | None = None
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            for m in _FORM_NAMED.finditer(block.text):
                named.setdefault(m.group(1).upper(), block.ref)
            m = _DATELINE.match(block.text)
            if m and dateline is None:
                dateline = (" ".join(m.group(1).split()), block.ref)
    domestic = sorted(set(named) & _DOMESTIC_FORMS)
    foreign = sorted(set(named) & _FOREIGN_FORMS)
    if domestic and not foreign:
        ref = named[domestic[0]]
        return "8-K", False, Finding(severity="info", code="cover.assumed", ref=ref, message=(
            f"DocumentType 8-K: the text names Form {', '.join(domestic)} and no foreign issuer's form, so its issuer "
            "is a US domestic filer, whose results release is furnished as an exhibit to Form 8-K (assumed; the "
            "text prints no cover)"))
    if foreign and not domestic:
        ref = named[foreign[0]]
        return "6-K", False, Finding(severity="info", code="cover.assumed", ref=ref, message=(
            f"DocumentType 6-K: the text names Form {', '.join(foreign)}, a foreign private issuer's, whose results "
            "release is furnished on Form 6-K (assumed; the text prints no cover)"))
    if not named and dateline is not None:
        return "8-K", False, Finding(severity="info", code="cover.assumed", ref=dateline[1], message=(
            f"DocumentType 8-K: the release is datelined '{dateline[0]}', in the United States, and names no form; "
            "a US issuer's results release is furnished as an exhibit to Form 8-K (assumed; a profile's "
            "default_document_type sets it)"))
    said = (f"names Form {', '.join(sorted(named))}, of both kinds of filer" if named else
            "names no form and no place in the United States")
    return DEFAULT_DOCUMENT_TYPE, False, Finding(
        severity="info", code="cover.assumed", ref=SourceRef(file=document.file, line=1), message=(
            f"DocumentType {DEFAULT_DOCUMENT_TYPE}: the text prints no cover and {said}; {DEFAULT_DOCUMENT_TYPE} is "
            "assumed, the default of a document with no profile (a profile's default_document_type sets it)"))


def cover_facts(document: Document, period: Period, profile: IssuerProfile, identity: StatedIdentity | None = None,
                facts: list[Fact] | None = None) -> tuple[tuple[TextFact, ...], list[Finding]]:
    """The dei cover facts, and what was assumed for them. Those the cover prints (form type,
    registrant name, file number, trading symbol) are tagged where it prints them; the rest go
    in ix:hidden."""
    identity = identity if identity is not None else StatedIdentity()
    form, on_cover, form_finding = document_type(document, profile)
    year_end, findings, named = fiscal_year_end(identity, profile, facts or [], period, document.file)
    findings = ([form_finding] if form_finding else []) + findings
    year, focus = fiscal_period_focus(period, (int(year_end[2:4]), int(year_end[5:7])), named)
    context = Context(period=period)
    name, cik, file_number, symbol = profile.name, profile.cik, profile.file_number, profile.trading_symbol
    values = [
        ("DocumentType", form, rf"(?i:\bform)\s+({re.escape(form)})\b" if on_cover else None),
        ("AmendmentFlag", "false", None),
        ("DocumentPeriodEndDate", period.end.isoformat(), None),
        ("DocumentFiscalYearFocus", year, None),
        ("DocumentFiscalPeriodFocus", focus, None),
        ("CurrentFiscalYearEndDate", year_end, None),
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
    return tuple(facts), findings


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
