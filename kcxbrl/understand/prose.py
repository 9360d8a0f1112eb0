"""Figures in the prose ("Net loss was RMB943.7 million (US$134.9 million), compared
with RMB1,979.0 million in 2024").

A sentence names its measure near its start (rules in mapping.toml [[prose]]); every amount in
the sentence is that measure, for the period the words after it name ("in 2024", "in the same
quarter of 2024", "last quarter", "as of December 31, 2024") or, with no such words, for the
document's reporting period. Figures are tagged at the scale and precision printed (a
figure in millions with one decimal: scale 6, decimals -5), so Arelle's duplicate check proves
prose and tables agree. An amount whose period the words do not settle is left untagged.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from kcxbrl.dts import ProseRule, Taxonomy
from kcxbrl.findings import SourceRef
from kcxbrl.read import CONVENIENCE_RATE, Document, Paragraph
from kcxbrl.understand.model import Context, Fact, Period, ProseFigure
from kcxbrl.understand.tables import period_start


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_SCALE_WORDS = {"thousand": 3, "million": 6, "billion": 9}
# RMB4,319.2 million | US$602.9 million | RMB0.20 | US$327.9¹ million
MONEY = re.compile(
    r"(?P<neg>negative\s+)?(?P<cur>RMB|US\$|(?<![A-Za-z])\$)\s?(?P<minus>-)?(?P<num>\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)[¹²³⁴⁵⁶⁷⁸⁹]*"
    r"(?:\s?(?P<word>thousand|million|billion))?")
PERCENT = re.compile(r"(?P<neg>negative\s+)?(?P<minus>-)?(?P<num>\d+(?:\.\d+)?)\s?%")
# "RMB7.1636 to US$1.00, the noon buying rate in effect on June 30, 2025"
_RATE_DATE = re.compile(r"^[^.;]{0,80}?\b(?:on|as of|at)\s+(?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})")
RATE_CONCEPT = "ForeignCurrencyExchangeRateTranslation1"
_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)\]])\.\s+(?=[A-Z\"“(*])")
_SUBJECT_WINDOW = 90  # a sentence names its measure near its start
# the words right after a figure (after its translation in parentheses: "RMB6.3 billion
# (US$894.3 million) in the fourth quarter of 2023"), before the sentence ends or another figure
# comes ("10.8%, compared with 3.6% in 2022": the year is 3.6%'s)
_COMPARATIVE = re.compile(
    r"^(?:\s*\([^()]*\))?[^.;\d]{0,40}?\b(?:"
    r"(?P<lastq>last quarter|(?:the )?previous quarter|(?:the )?prior quarter)"
    r"|(?:in |of |for )?(?:the )?(?P<quarter>first|second|third|fourth) quarter (?:of )?(?P<qyear>\d{4}|this year|last year)"
    r"|(?:in |of |for )?(?:the )?(?P<half>first|second) half of (?P<hyear>\d{4})"
    r"|(?:(?:in|of|for) )?(?:the )?same (?:quarter|period) (?:of |in )?(?:(?P<sameyear>\d{4})|last year)"
    r"|(?:as (?:of|at)|of) (?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<dyear>\d{4})"
    r"|in (?P<year>\d{4})\b(?! (?:to|and))"
    r")")
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
# words that introduce a comparative figure: its period must then be stated
_COMPARED = re.compile(r"(?:from|compared with|compared to|than|versus|vs\.?)\s+(?:[a-z\-]+\s+){0,4}$", re.IGNORECASE)
# a later measure with its own verb starts a clause of its own ("..., and revenues from
# enterprise cloud services were RMB1,385.2 million")
_VERB_AFTER = re.compile(r"^[^,;]{0,30}?\b(was|were|reached|amounted|increased|decreased|grew|narrowed)\b", re.IGNORECASE)
_GROWTH = re.compile(r"(?:by|of)\s(?:over\s)?$|^\s?(?:year-over-year|quarter-over-quarter|yoy)", re.IGNORECASE)


def prose_figures(document: Document, taxonomy: Taxonomy, period: Period) -> list[ProseFigure]:
    figures: list[ProseFigure] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            for text, starts in _logical_lines(block):
                found = _line_figures(text, document.file, starts[0][1], taxonomy, period)
                figures += [_at_file_column(_moved(f, starts), block) for f in found]
    return figures


def _at_file_column(figure: ProseFigure, block: Paragraph) -> ProseFigure:
    """The figure's column in the file (its place in the plain text, with markup and escapes
    put back: "US\\$327.9" is printed two columns further right than it reads)."""
    column = block.file_column(figure.ref.line - block.ref.line, figure.ref.column - 1)
    if column == figure.ref.column:
        return figure
    ref = figure.ref.model_copy(update={"column": column})
    fact = figure.fact and figure.fact.model_copy(update={"id": f"p-{ref.line}-{column}", "source": ref})
    return figure.model_copy(update={"ref": ref, "fact": fact})


_WRAPPED = re.compile(r"[^.!?:;\s]\s*$")  # a line that does not end a sentence
_BULLET = re.compile(r"^\s*(?:[-•·*–]\s|\(?[a-z0-9]{1,2}[.)]\s)")


def _logical_lines(block: Paragraph) -> list[tuple[str, list[tuple[int, int]]]]:
    """The paragraph's lines, a line and the one after the blank lines the reader kept inside a
    paragraph broken mid-sentence joined by a space: (text, [(offset in text, source line)])."""
    result: list[tuple[str, list[tuple[int, int]]]] = []
    gap = False
    for offset, runs in enumerate(block.lines):
        text, line = "".join(run.text for run in runs), block.ref.line + offset
        if not runs or not text.strip():
            gap = bool(result)
        elif gap or (result and _WRAPPED.search(result[-1][0]) and not _BULLET.match(text)):
            # a line broken mid-sentence (text wrapped at a fixed width) goes on on the next
            joined, starts = result[-1]
            joined = joined.rstrip()  # spaces a converter left at the line's end: one space joins
            result[-1] = (joined + " " + text, starts + [(len(joined) + 1, line)])
            gap = False
        else:
            result.append((text, [(0, line)]))
    return result


def _moved(figure: ProseFigure, starts: list[tuple[int, int]]) -> ProseFigure:
    """A figure found in a joined text, at its own source line and column."""
    if len(starts) == 1:
        return figure
    at = figure.ref.column - 1
    begin, line = max((s for s in starts if s[0] <= at), key=lambda s: s[0])
    ref = figure.ref.model_copy(update={"line": line, "column": at - begin + 1})
    fact = figure.fact and figure.fact.model_copy(update={"id": f"p-{line}-{ref.column}", "source": ref})
    return figure.model_copy(update={"ref": ref, "fact": fact})


def _line_figures(text: str, file: str, line: int, taxonomy: Taxonomy, period: Period) -> list[ProseFigure]:
    found: list[ProseFigure] = []
    rates = {m.start("num"): m for m in CONVENIENCE_RATE.finditer(text)}
    for at, m in rates.items():
        found.append(_rate_figure(m, text, file, line, period))
    start = 0
    for sentence in _SENTENCE_END.split(text):
        begin = text.index(sentence, start)
        start = begin + len(sentence)
        clauses = _clauses(sentence, taxonomy)
        for m, kind in _tokens(sentence, [c[1].count for c in clauses if c[1].count]):
            if begin + m.start("num") in rates:
                continue  # the convenience rate, tagged above
            ref = SourceRef(file=file, line=line, column=begin + m.start("num") + 1)
            digits = m.group("num")
            owner = next((c for c in reversed(clauses) if c[0] <= m.start()), None)
            rule, subject_end = (owner[1], owner[2]) if owner else (None, 0)
            concept = taxonomy.concepts.get(rule.concept) if rule else None
            if rule is None or concept is None or m.start() < subject_end:
                found.append(ProseFigure(ref=ref, text=digits, fact=None, rule="prose.noConcept"))
                continue
            if kind == "percent" and (concept.type not in ("pure", "percent") or _is_growth(sentence, m)):
                found.append(ProseFigure(ref=ref, text=digits, fact=None, rule="prose.growthRate"))
                continue
            if kind == "growth":
                found.append(ProseFigure(ref=ref, text=digits, fact=None, rule="prose.growthRate"))
                continue
            fact_period = _period_after(sentence[m.end():], concept.period, period)
            if fact_period is period and _COMPARED.search(sentence[max(subject_end, m.start() - 40):m.start()]):
                fact_period = None  # "from RMB204.0 million in the same period in" (cut off): say so, don't guess
            if fact_period is None:
                found.append(ProseFigure(ref=ref, text=digits, fact=None, rule="prose.periodUnknown"))
                continue
            if kind == "money" and concept.type == "monetary" and not m.group("word"):
                found.append(ProseFigure(ref=ref, text=digits, fact=None, rule="prose.noScale"))  # "negative RMB265.1 in 2023"
                continue
            fact = _fact(m, kind, rule, concept, fact_period, ref, sentence[owner[0]:m.start()])
            found.append(ProseFigure(ref=ref, text=digits, fact=fact, rule="" if fact else "prose.unit"))
    return found


def _rate_figure(m: re.Match, text: str, file: str, line: int, period: Period) -> ProseFigure:
    """The stated convenience rate: a pure number at the date it is stated for (the period end
    when no date is given)."""
    digits = m.group("num")
    ref = SourceRef(file=file, line=line, column=m.start("num") + 1)
    dated = _RATE_DATE.match(text[m.end():])
    end = period.end
    if dated and dated.group("month").lower() in _MONTHS:
        end = date(int(dated.group("year")), _MONTHS[dated.group("month").lower()], int(dated.group("day")))
    fact = Fact(id=f"p-{line}-{ref.column}", concept=RATE_CONCEPT, context=Context(period=Period(end=end)), unit="pure",
                value=Decimal(digits), decimals=str(len(digits.split(".")[1])), scale=0, display=digits,
                format="ixt:num-dot-decimal", source=ref, label="convenience translation rate", role=None)
    return ProseFigure(ref=ref, text=digits, fact=fact, rule="")


def _clauses(sentence: str, taxonomy: Taxonomy) -> list[tuple[int, ProseRule, int]]:
    """(start, rule, end of subject) for the measure the sentence opens with and for each later
    measure that has a verb of its own."""
    lower = sentence.lower()
    first: tuple[int, ProseRule, int] | None = None
    for rule in taxonomy.prose:
        m = re.search(rule.subject, lower[:_SUBJECT_WINDOW])
        if m and (first is None or m.start() < first[0]):
            first = (m.start(), rule, m.end())
    if first is None:
        return []
    clauses = [first]
    for rule in taxonomy.prose:
        for m in re.finditer(rule.subject.lstrip("^"), lower):
            if m.start() > first[2] and _VERB_AFTER.match(sentence[m.end():]) and not any(
                    c[0] <= m.start() < c[2] for c in clauses):
                clauses.append((m.start(), rule, m.end()))
    return sorted(clauses, key=lambda c: c[0])


def _tokens(sentence: str, count_nouns: list[str]) -> list[tuple[re.Match, str]]:
    """Money, percentages and counts of the nouns the sentence's measures count, in order."""
    tokens = [(m, "money") for m in MONEY.finditer(sentence)] + [(m, "percent") for m in PERCENT.finditer(sentence)]
    for noun in count_nouns:
        tokens += [(m, "count") for m in re.finditer(rf"(?<![\d,.$])(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)\s+(?:{noun})\b",
                                                      sentence, re.IGNORECASE)]
    return sorted(tokens, key=lambda t: t[0].start())


def _is_growth(sentence: str, m: re.Match) -> bool:
    """"increased by 22.8%", "an increase of 5.3%", "24.2% year-over-year": a rate of change."""
    return bool(_GROWTH.search(sentence[max(0, m.start() - 12):m.start()]) or _GROWTH.search(sentence[m.end():m.end() + 20]))


def _period_after(tail: str, period_type: str, current: Period) -> Period | None:
    assert current.start is not None
    months = round((current.end - current.start).days / 30.44)
    m = _COMPARATIVE.match(re.sub(r"\s+", " ", tail))  # words broken over lines, or with spaces left at a line's end
    if not m:
        return Period(end=current.end) if period_type == "instant" else current
    if m.group("month"):
        month = _MONTHS.get(m.group("month").lower())
        if not month:
            return None
        end = date(int(m.group("dyear")), month, int(m.group("day")))
        return Period(end=end) if period_type == "instant" else None
    if m.group("lastq"):
        if months != 3:
            return None
        end = current.start - timedelta(days=1)
    elif m.group("quarter"):
        if months != 3:
            return None
        q_end_month = _QUARTERS[m.group("quarter")] * 3
        qyear = {"this year": current.end.year, "last year": current.end.year - 1}.get(m.group("qyear"))
        end = date(qyear or int(m.group("qyear")), q_end_month, 31 if q_end_month in (3, 12) else 30)
    elif m.group("half"):
        if months != 6:
            return None
        end = date(int(m.group("hyear")), 6 if m.group("half") == "first" else 12, 30 if m.group("half") == "first" else 31)
    else:
        year = m.group("sameyear") or m.group("year") or m.group("qyear")
        shift = (current.end.year - int(year)) if year else 1
        end = date(current.end.year - shift, current.end.month, current.end.day)
    if period_type == "instant":
        return Period(end=end)
    return Period(start=period_start(end, months), end=end)


def _fact(m: re.Match, kind: str, rule: ProseRule, concept, period: Period, ref: SourceRef, subject: str) -> Fact | None:
    digits = m.group("num")
    value = Decimal(digits.replace(",", ""))
    decimals_printed = len(digits.split(".")[1]) if "." in digits else 0
    if kind == "percent":
        unit, scale, decimals = "pure", -2, str(decimals_printed + 2)
    elif kind == "count":
        if concept.type != "integer":
            return None
        unit, scale, decimals = "pure", 0, "0"
    else:
        currency = "CNY" if m.group("cur") == "RMB" else "USD"  # "US$" or a US filer's "$"
        if concept.type == "monetary":
            scale = _SCALE_WORDS.get(m.group("word") or "", 0)
            unit, decimals = currency, str(decimals_printed - scale)
        elif concept.type == "perShare" and not m.group("word"):
            unit, scale, decimals = f"{currency}_per_share", 0, str(decimals_printed)
        else:
            return None
    # printed with a minus ("RMB-191.9 million"), or a measure named as a loss that is not an
    # expense ("net loss was RMB943.7 million"): negative
    named_loss = kind == "money" and concept.balance != "debit" and re.search(r"\bloss(?![a-z])", subject, re.IGNORECASE)
    signs = m.groupdict()
    if signs.get("minus") or signs.get("neg") or named_loss:
        value = -value
    context = Context(period=period, dimensions=tuple(sorted(rule.members.items())))
    return Fact(
        id=f"p-{ref.line}-{ref.column}", concept=concept.name, context=context, unit=unit,
        value=value * Decimal(10) ** scale if scale else value, decimals=decimals, scale=scale,
        display=digits, format="ixt:num-dot-decimal", source=ref, label=subject.strip()[:80],
        role=None,
    )
