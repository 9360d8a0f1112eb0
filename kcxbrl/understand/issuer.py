"""Whose report it is: the identity a document states (registrant name, ticker, stock code,
Commission file number, CIK where printed) and the issuer profile it matches.

A document is matched against the profiles available: a CIK, file number, ticker or stock
code the document prints that a profile has, or a name it prints that is one of a profile's
names (case, punctuation and corporate suffixes aside). A document that matches none is built
with the identity it states (`profile.missing`), never with another issuer's; a profile given
by the user whose issuer the document does not name is used as asked, and said
(`profile.mismatch`).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from kcxbrl.dts import Taxonomy
from kcxbrl.findings import Finding, Frozen, SourceRef
from kcxbrl.profile import UNKNOWN_REGISTRANT, IssuerProfile, stated_profile
from kcxbrl.read import Document, Heading, Paragraph

_SUFFIX = (r"(?i:(?:Holdings?\s+)?(?:Limited|Ltd\.?|Inc\.?|Incorporated|Corporation|Corp\.?|Co\.,?\s+Ltd\.?|plc|N\.V\.|"
           r"S\.A\.(?:\s+de\s+C\.V\.)?|S\.p\.A\.|SE|AG|LLC|L\.P\.|Group))")
# Capitalised words ("Kingsoft Cloud", "KINGSOFT CLOUD", "Bank of China", "LegalZoom.com", "111")
# and a corporate suffix, after a comma or not ("XPEL, Inc.", "Flexsteel Industries, Inc.").
_NAME = rf"[A-Z0-9][\w&'’.-]*(?:\s+(?:[A-Z0-9][\w&'’.-]*|of|the|and|&)){{0,6}},?\s+{_SUFFIX}(?![\w-])"
_NAME_LINE = re.compile(rf"^\s*(?:About\s+|SOURCE\s+)?({_NAME})\s*$")
# exchanges and regulators named in a document's boilerplate are not its registrant
_NOT_AN_ISSUER = re.compile(r"\b(?:exchanges?|clearing|securities and futures|commission)\b", re.IGNORECASE)
_REGISTRANT_NOTE = re.compile(r"^\(?\s*exact name of registrant", re.IGNORECASE)
# Bilibili Inc. (“Bilibili” or the “Company”); Flexsteel Industries, Inc. (NASDAQ: FLXS) ("Flexsteel" ...)
_INTRODUCED = re.compile(rf"({_NAME})\s*(?:\([^()\"“]{{1,40}}\)\s*)?\(\s*(?:the\s+)?[\"“]")
_TITLE = re.compile(rf"^\s*({_NAME}|[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){{0,4}})\s+(?:Announces|Reports|Releases)\b")
# "(NASDAQ: FLXS)", "(Nasdaq: STRT)", "(NYSE American: X)", "Nasdaq Global Select Market: X", in any case
_TICKER = re.compile(r"\b(?:NASDAQ|NYSE(?:\s+(?:American|Arca))?)(?:\s+(?:Stock\s+Ticker|GS|GM|CM|Global\s+Select\s+Market|"
                     r"Global\s+Market|Capital\s+Market))?\s*:\s*([A-Z][A-Z.]{0,5})\b", re.IGNORECASE)
# 'is publicly traded on Nasdaq under the symbol "XPEL"', 'trades on the NYSE under the ticker symbol “ABC”'
_SYMBOL = re.compile(r"\b(?:NASDAQ|NYSE)\b[^.;]{0,80}?\b(?:under|with)\s+the\s+(?:(?:ticker|trading|stock)\s+)?symbols?\s+"
                     r"[\"“'‘]?((?-i:[A-Z][A-Z.]{0,5}?))\.?[\"”'’]?(?![\w])", re.IGNORECASE)
_STOCK_CODE = re.compile(r"\b(?:HKEX|SEHK|Stock\s+Code)\s*:?\s*(\d{3,5})\b", re.IGNORECASE)
_FILE_NUMBER = re.compile(r"\bCommission\s+file\s+(?:number|no\.?)\s*:?\s*(\d{3}-\d{4,6})", re.IGNORECASE)
_CIK = re.compile(r"\bCIK\b\D{0,12}(\d{10})\b")
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
# The fiscal year's end as the text states it: "year ended December 31" (not a "half year"),
# "fiscal year ended June 30, 2026", "fiscal year 2026, which ended June 28, 2026",
# "fiscal 2026 ended June 28, 2026" (its label year, where printed, and its date).
_FISCAL_YEAR = re.compile(rf"(?<!half )(?<!half-)\b(?:(?:fiscal\s+)?years?|fiscal(?=\s+\d{{4}}))"
                          rf"(?:\s+(\d{{4}})\s*,?(?:\s+which)?)?\s+ended\s+(?:on\s+)?({_MONTH_NAMES})\s+(\d{{1,2}})\b"
                          rf"(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
# "fourth quarter of fiscal 2026", "Fourth Quarter and Fiscal Year 2026", "Q4 fiscal 2026", "fiscal 2025 fourth quarter"
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "q1": 1, "q2": 2, "q3": 3, "q4": 4}
_FISCAL_QUARTER = re.compile(r"\b(first|second|third|fourth|Q[1-4])\s+(?:fiscal\s+)?quarter\s+(?:and\s+(?:full\s+)?)?(?:of\s+)?"
                             r"fiscal\s+(?:year\s+)?(\d{4})\b|\b(Q[1-4])\s+(?:of\s+)?fiscal\s+(?:year\s+)?(\d{4})\b"
                             r"|\bfiscal\s+(?:year\s+)?(\d{4})\s+(first|second|third|fourth)\s+quarter\b", re.IGNORECASE)
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]


class StatedIdentity(Frozen):
    """What a document says about whose it is."""

    names: tuple[str, ...] = ()  # registrant names, most often stated first
    tickers: tuple[str, ...] = ()
    stock_codes: tuple[str, ...] = ()
    file_number: str | None = None
    cik: str | None = None
    fiscal_year_end: str | None = None  # --MM-DD, from "year ended December 31" (the latest a date is printed with)
    # the fiscal years the text dates: (the year it names them by, where it does: "fiscal 2026"; the end)
    fiscal_years: tuple[tuple[int | None, date], ...] = ()
    # the fiscal quarters the text names: (quarter, fiscal year, first line), most often named first
    fiscal_quarters: tuple[tuple[int, int, int], ...] = ()
    ref: SourceRef | None = None  # where the name is first stated

    @property
    def empty(self) -> bool:
        return not (self.names or self.tickers or self.stock_codes or self.file_number or self.cik)

    def describe(self) -> str:
        parts = [f"'{self.names[0]}'"] if self.names else []
        parts += [f"ticker {t}" for t in self.tickers[:1]] + [f"stock code {c}" for c in self.stock_codes[:1]]
        parts += [f"file number {self.file_number}"] if self.file_number else []
        parts += [f"CIK {self.cik}"] if self.cik else []
        return ", ".join(parts) or "no name, ticker or identifier"


def stated_identity(document: Document) -> StatedIdentity:
    names: Counter[str] = Counter()
    first: dict[str, SourceRef] = {}
    tickers: list[str] = []
    codes: list[str] = []
    file_number = cik = None
    fiscal_year_ends: Counter[str] = Counter()
    fiscal_years: dict[date, int | None] = {}
    quarters: Counter[tuple[int, int]] = Counter()
    quarter_lines: dict[tuple[int, int], int] = {}
    lines = [(block, k, "".join(r.text for r in line)) for block in document.blocks if isinstance(block, Paragraph | Heading)
             for k, line in enumerate(block.lines if isinstance(block, Paragraph) else (block.runs,))]
    previous = ""
    for block, k, text in lines:
        found = []
        if _REGISTRANT_NOTE.match(text) and previous:
            found += [previous] * 3  # the cover's "(Exact name of registrant ...)" under the name: telling
        m = _NAME_LINE.match(text)
        if m:
            found.append(m.group(1))
        found += [m.group(1) for m in _INTRODUCED.finditer(text)]
        m = _TITLE.match(text)
        if m:
            found.append(m.group(1))
        for name in found:
            name = " ".join(name.split())
            if _NOT_AN_ISSUER.search(name):
                continue
            names[name] += 1
            first.setdefault(name, SourceRef(file=document.file, line=block.ref.line + k))
        tickers += [t.upper() for t in _TICKER.findall(text)] + _SYMBOL.findall(text)
        codes += _STOCK_CODE.findall(text)
        file_number = file_number or next(iter(_FILE_NUMBER.findall(text)), None)
        cik = cik or next(iter(_CIK.findall(text)), None)
        for label, month, day, year in _FISCAL_YEAR.findall(text):
            fiscal_year_ends[f"--{_MONTHS.index(month.lower()) + 1:02d}-{int(day):02d}"] += 1
            if year:
                end = _date(int(year), _MONTHS.index(month.lower()) + 1, int(day))
                if end and (end not in fiscal_years or label):
                    fiscal_years[end] = int(label) if label else fiscal_years.get(end)
        for m in _FISCAL_QUARTER.finditer(text):
            word, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4)) if m.group(3) \
                else (m.group(6), m.group(5))
            quarters[(_ORDINALS[word.lower()], int(year))] += 1
            quarter_lines.setdefault((_ORDINALS[word.lower()], int(year)), block.ref.line + k)
        if text.strip():
            previous = text.strip()
    # the same name printed in capitals and in mixed case is one name, shown as it reads in the text
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for name, count in names.items():
        key = _bare(name)
        counts[key] += count
        if key not in shown or _preferred(name) < _preferred(shown[key]):
            shown[key] = name
    # a legal name (with its corporate suffix: "LegalZoom.com, Inc.") before a brand ("LegalZoom Reports ...")
    keys = sorted(counts, key=lambda key: (_preferred(shown[key])[0], -counts[key],
                                           min(first[n].line for n in names if _bare(n) == key)))
    ordered = [shown[key] for key in keys]
    return StatedIdentity(names=tuple(ordered), tickers=tuple(dict.fromkeys(tickers)), stock_codes=tuple(dict.fromkeys(codes)),
                          file_number=file_number, cik=cik,
                          fiscal_year_end=(f"--{max(fiscal_years):%m-%d}" if fiscal_years else
                                           fiscal_year_ends.most_common(1)[0][0] if fiscal_year_ends else None),
                          fiscal_years=tuple((label, end) for end, label in sorted(fiscal_years.items())),
                          fiscal_quarters=tuple((*q, quarter_lines[q]) for q, _ in quarters.most_common()),
                          ref=first[ordered[0]] if ordered else None)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _preferred(name: str) -> tuple[bool, bool, int]:
    """The form of a name to show: the legal name (with its suffix), as it reads in the text."""
    return (not re.search(rf"{_SUFFIX}$", name), name.isupper(), len(name))


def _bare(name: str) -> str:
    """A name for comparing: lower case, no punctuation, no corporate suffix."""
    text = re.sub(r"[^a-z0-9 ]+", " ", name.lower().replace("’", "'").replace("'s", ""))
    words = text.split()
    while words and words[-1] in {"limited", "ltd", "inc", "incorporated", "corporation", "corp", "co", "plc", "nv",
                                  "sa", "ag", "group", "holdings", "holding"}:
        words.pop()
    return " ".join(words)


def _match(profile: IssuerProfile, identity: StatedIdentity) -> int:
    """How surely the document is the profile's issuer's: 4 CIK, 3 file number, 2 ticker or
    stock code, 1 name; 0 not at all."""
    if identity.cik and identity.cik == profile.cik:
        return 4
    if identity.file_number and identity.file_number == profile.file_number:
        return 3
    if (profile.trading_symbol and profile.trading_symbol.upper() in identity.tickers) or \
            set(identity.stock_codes) & set(profile.stock_codes):
        return 2
    names = {_bare(n) for n in profile.all_names}
    return 1 if any(_bare(n) in names for n in identity.names) else 0


def _contradicts(profile: IssuerProfile, identity: StatedIdentity) -> bool:
    """The document names an issuer, and nothing it states is the profile's."""
    return not identity.empty and _match(profile, identity) == 0


def choose_profile(document: Document, base: Taxonomy, profiles: list[IssuerProfile],
                   requested: IssuerProfile | None = None) -> tuple[IssuerProfile, list[Finding]]:
    """The profile to build the document with, and what the choice is worth saying."""
    identity = stated_identity(document)
    where = identity.ref or SourceRef(file=document.file, line=1)
    if requested is not None:
        if _contradicts(requested, identity):
            return requested, [Finding(
                severity="warning", code="profile.mismatch",
                message=(f"the document states {identity.describe()}, none of which is the profile's issuer "
                         f"'{requested.name}'; built with that profile's identity as asked"), ref=where)]
        return requested, []
    ranked = sorted(((_match(p, identity), k, p) for k, p in enumerate(profiles)), key=lambda t: (-t[0], t[1]))
    if ranked and ranked[0][0] > 0 and (len(ranked) == 1 or ranked[1][0] < ranked[0][0]):
        return ranked[0][2], []
    name = identity.names[0] if identity.names else UNKNOWN_REGISTRANT
    profile = stated_profile(name, base, cik=identity.cik, file_number=identity.file_number,
                             trading_symbol=identity.tickers[0] if identity.tickers else None,
                             stock_codes=identity.stock_codes, fiscal_year_end=identity.fiscal_year_end)
    why = ("several profiles match it equally" if ranked and ranked[0][0] > 0 else "no issuer profile matches it")
    return profile, [Finding(
        severity="warning", code="profile.missing",
        message=(f"the document states {identity.describe()} and {why}: built with the identity the document states"
                 + ("" if identity.cik else " (no CIK: the entity identifier is its ticker or name under "
                                                 "https://kcxbrl.org/entity)")
                 + "; `kcxbrl profile init` writes a starting profile for this issuer"), ref=where)]
