"""Text-level helpers shared by the reader and table understanding.

The conversion from PDF or newswire leaves emphasis as markup (`**bold**`, `<u>x</u>`,
`<i>x</i>`, `*italic*`), escapes dollar signs (`US\\$`), and writes nil as any of several
dashes. These helpers turn such raw text into runs, plain text and figures.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kcxbrl.read.model import Run


# Emphasis markers the converter emits; anything else that looks like a tag stays text.
_MARKER = re.compile(r"\*\*|</?u>|</?i>|</?b>|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", re.IGNORECASE)
_STYLE_OF = {"**": "bold", "<b>": "bold", "</b>": "bold", "<u>": "underline", "</u>": "underline",
             "<i>": "italic", "</i>": "italic", "*": "italic"}

# A Markdown link, `[99.1](#)`: its text is printed, the brackets and the target are markup.
_LINK = re.compile(r"\[(?=[^\[\]\n]*\]\([^()\s]*\))|\]\([^()\s]*\)")

NIL_DASHES = frozenset("-–—_‒―")
# A cell that holds only a footnote's mark ("*" with "* Less than 1." below the table): it stands
# where a figure would, and says the figure is not printed.
_FOOTNOTE_MARK = re.compile(r"[*†‡§¶]{1,3}")
_MAY_HAVE_MARKUP = re.compile(r"[*<\\\[]")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b]+")


def unescape(text: str) -> str:
    """Undo the converter's Markdown escapes (`\\$` -> `$`)."""
    return re.sub(r"\\([$*_#\[\]])", r"\1", text)


def parse_runs(raw: str) -> tuple[Run, ...]:
    """Split raw text into runs by the emphasis markup around them.

    A marker only counts when it is balanced within `raw`; an unpaired marker is kept as text,
    so no printed character is ever lost.
    """
    if not _MAY_HAVE_MARKUP.search(raw):  # most text has no markup: skip the marker scan
        return (Run(text=raw),) if raw else ()
    raw = unescape(raw)
    tokens = _balanced_markers(raw)
    runs: list[Run] = []
    state = {"bold": False, "italic": False, "underline": False}
    pos = 0
    for start, end, style in tokens:
        if start > pos:
            runs.append(Run(text=raw[pos:start], **state))
        if style:  # a link's markup has no style of its own
            state[style] = not state[style]
        pos = end
    if pos < len(raw):
        runs.append(Run(text=raw[pos:], **state))
    return _merge(runs)


def plain_offsets(raw: str) -> list[int]:
    """For each character of the plain text parse_runs(raw) gives, its index in raw (the same
    unescaping and the same balanced markers, so the two always agree)."""
    if not _MAY_HAVE_MARKUP.search(raw):
        return list(range(len(raw)))
    chars: list[str] = []
    offsets: list[int] = []
    i = 0
    while i < len(raw):  # unescape() with offsets
        if raw[i] == "\\" and i + 1 < len(raw) and raw[i + 1] in "$*_#[]":
            i += 1
        chars.append(raw[i])
        offsets.append(i)
        i += 1
    markup = {k for start, end, _ in _balanced_markers("".join(chars)) for k in range(start, end)}
    return [offset for k, offset in enumerate(offsets) if k not in markup]


def _balanced_markers(raw: str) -> list[tuple[int, int, str]]:
    """Markers that open and close in order, as (start, end, style); a link's `[` and `](url)`
    with the style ""."""
    result: list[tuple[int, int, str]] = [(m.start(), m.end(), "") for m in _LINK.finditer(raw)]
    open_at: dict[str, tuple[int, int]] = {}
    for m in _MARKER.finditer(raw):
        token = m.group(0).lower()
        style = _STYLE_OF[token]
        if token.startswith("</") or (token in ("**", "*") and style in open_at):
            if style in open_at:
                result.append((*open_at.pop(style), style))
                result.append((m.start(), m.end(), style))
        elif not token.startswith("<") or style not in open_at:
            open_at[style] = (m.start(), m.end())
    # a marker whose partner never came is text, not markup
    return sorted(result)


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].underline) == (
            run.bold, run.italic, run.underline
        ):
            merged[-1] = merged[-1].model_copy(update={"text": merged[-1].text + run.text})
        else:
            merged.append(run)
    return tuple(merged)


def plain(raw: str) -> str:
    """Plain text of a raw cell or line: markup removed, whitespace collapsed."""
    text = "".join(r.text for r in parse_runs(raw)) if _MAY_HAVE_MARKUP.search(raw) else raw
    return _SPACE.sub(" ", text).strip()


# ---------------------------------------------------------------- figures

# A currency sign before a figure ("$ 120,500", "(US$1,234)", "RMB 5.2") tells the column's
# currency; the figure is the digits.
_CURRENCY_SIGN = r"(?:US\$|USD|RMB|CNY|\$|¥)"  # "¥": yuan or yen, so it names no currency
_AMOUNT = re.compile(
    r"""^(?P<cur1>""" + _CURRENCY_SIGN + r""")?\s*(?P<open>\()?\s*(?P<cur2>""" + _CURRENCY_SIGN + r""")?\s*(?P<minus>[-–\u2212])?\s*
        (?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?
        \s*(?P<close>\))?\s*(?P<pct>%)?\s*(?P<close2>\))?$""",
    re.VERBOSE,
)


# A footnote's number glued to a figure ("1,234(1)", "1,234¹"): no part of the figure.
_GLUED_FOOTNOTE = re.compile(r"(?<=[\d)%])\s?(?:\(\d{1,2}\)|\[\d{1,2}\]|[¹²³⁴⁵⁶⁷⁸⁹]+)$")  # "(1)", "[1]" (SEC's viewer), "¹"


def is_footnote_mark(text: str) -> bool:
    return bool(_FOOTNOTE_MARK.fullmatch(text.strip()))


def is_nil(text: str) -> bool:
    """A dash of any kind, or "Nil" as Hong Kong issuers print it: no amount (zero)."""
    t = text.strip()
    return (len(t) == 1 and t in NIL_DASHES) or t.lower() == "nil"


def parse_amount(text: str) -> tuple[Decimal | None, int, bool] | None:
    """Parse a printed figure: (value with printed sign, decimals printed, is percent).

    Returns None when `text` is not a figure; a nil dash gives (None, 0, False).
    "(1,573,433)" -> -1573433; "-18.7 %" -> -18.7 percent; "(52.1)%" -> -52.1 percent.
    """
    t = _GLUED_FOOTNOTE.sub("", text.strip())
    if is_nil(t):
        return (None, 0, False)
    m = _AMOUNT.match(t)
    if not m:
        return None
    opened = bool(m.group("open"))
    closed = bool(m.group("close") or m.group("close2"))
    if opened != closed:
        return None
    frac = m.group("frac") or ""
    value = Decimal(m.group("digits").replace(",", "") + frac)
    if opened or m.group("minus"):
        value = -value
    return (value, len(frac) - 1 if frac else 0, bool(m.group("pct")))


def currency_sign(text: str) -> str | None:
    """The currency a figure's own sign names: "USD" for "$ 120,500" or "(US$1,234)", "CNY" for
    "RMB 5.2", None for a bare figure."""
    m = _AMOUNT.match(text.strip())
    sign = m and (m.group("cur1") or m.group("cur2"))
    if not sign:
        return None
    if sign == "¥":
        return None
    return "CNY" if sign.upper() in ("RMB", "CNY") else "USD"


def is_currency_sign(text: str) -> bool:
    """A cell that holds only a currency sign ("$" printed in a cell of its own)."""
    return bool(re.fullmatch(_CURRENCY_SIGN, text.strip()))


def is_amount(text: str) -> bool:
    return parse_amount(text) is not None


# The stated convenience rate: "RMB7.1636 to US$1.00", "RMB6.9931 per US$1.00".
CONVENIENCE_RATE = re.compile(
    r"RMB\s?(?P<num>\d+\.\d+)\s*(?:to|per|=|for)\s*(?:each\s+)?US\$\s?1(?:\.00)?\b", re.IGNORECASE)


def normalise_label(label: str) -> str:
    """'– Share-based compensation' -> 'share-based compensation'; quotes and spaces unified,
    leading dashes and "Less:"/"Add:" dropped."""
    text = label.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s+", " ", text).strip().lower()
    text = _FOOTNOTE_REF.sub("", text)  # "cost of revenues(2)": the footnote's number is no part of it
    return _LEAD.sub("", text).strip()


_FOOTNOTE_REF = re.compile(r"(?<=[a-z])\s?\(\d{1,2}\)$|(?<=[a-z)])\s?\[\d{1,2}\]$|(?<=[a-z])[*†‡]+$")
_LEAD = re.compile(r"^(?:[–—\-•·]\s*|less:\s*|add:\s*)+", re.IGNORECASE)
