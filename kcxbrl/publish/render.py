"""Filing -> Inline XBRL 1.1 XHTML, through the jinja2 templates in templates/.

This module prepares a plain view model (dicts of strings); the templates only lay it out, and
`templates/_ix.j2` is the one macro that writes ix: elements. Autoescaping is on, so every piece
of text from the input is escaped.
"""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from kcxbrl.dts import Taxonomy
from kcxbrl.publish.model import Filing
from kcxbrl.read import Heading, Paragraph, Run, Table
from kcxbrl.resources import templates_dir
from kcxbrl.understand import Fact, TextFact


UNIT_MEASURES = {
    "CNY": ("iso4217:CNY", None),
    "USD": ("iso4217:USD", None),
    "shares": ("xbrli:shares", None),
    "pure": ("xbrli:pure", None),
    "CNY_per_share": ("iso4217:CNY", "xbrli:shares"),
    "USD_per_share": ("iso4217:USD", "xbrli:shares"),
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_report(filing: Filing, title: str, taxonomy: Taxonomy) -> bytes:
    page = build_view(filing, title, taxonomy)
    return _environment().get_template("report.xhtml.j2").render(page=page).encode("utf-8")


# characters XML 1.0 does not allow (a file name may carry them into the title: control
# characters, and lone surrogates from bytes that are not UTF-8)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def build_view(filing: Filing, title: str, taxonomy: Taxonomy) -> dict:
    qname = taxonomy.qname
    by_cell: dict[tuple[int, int], list[Fact]] = {}  # a cell's facts: one, or one per concept it is tagged with
    for fact in filing.facts:
        if not fact.in_prose:
            by_cell.setdefault((fact.source.line, fact.source.column), []).append(fact)
    inline = _inline_facts(filing, qname)
    contexts = {f.context.id: f.context for f in filing.facts} | {t.context.id: t.context for t in filing.text_facts}
    units = sorted({f.unit for f in filing.facts if f.unit})
    return {
        "title": _NOT_XML.sub("\ufffd", title),
        "namespaces": sorted(taxonomy.namespaces.items()),
        "schema_ref": filing.schema_ref,
        "entity_scheme": filing.entity_scheme,
        "entity_id": filing.entity_id,
        "contexts": [
            {"id": c.id, "start": c.period.start.isoformat() if c.period.start else None,
             "end": c.period.end.isoformat(), "members": [(qname(axis), qname(member)) for axis, member in c.dimensions]}
            for _, c in sorted(contexts.items())
        ],
        "units": [{"id": u, "numerator": UNIT_MEASURES[u][0], "denominator": UNIT_MEASURES[u][1]} for u in units],
        "hidden_facts": [
            {"attrs": _text_fact_attrs(t, qname), "value": t.value} for t in filing.text_facts if t.display is None
        ],
        "body": _nest([_block_view(block, by_cell, inline, qname) for block in filing.document.blocks],
                      _text_block_wrappers(filing, qname)),
    }


def _inline_facts(filing: Filing, qname) -> dict[int, list[tuple[int, dict]]]:
    """The facts tagged inside running text, by line: prose figures and cover facts, each as
    (column, view)."""
    inline: dict[int, list[tuple[int, dict]]] = {}
    for fact in filing.facts:
        if fact.in_prose:
            inline.setdefault(fact.source.line, []).append((fact.source.column, _fact_view(fact, fact.display, (), qname)))
    for text in filing.text_facts:
        if text.display is not None and text.source is not None:
            view = {"tag": "nonNumeric", "fact": _text_fact_attrs(text, qname), "shown": text.display}
            inline.setdefault(text.source.line, []).append((text.source.column, view))
    return {line: sorted(items, key=lambda item: item[0]) for line, items in inline.items()}


def _text_fact_attrs(fact: TextFact, qname) -> tuple:
    return (("contextRef", fact.context.id),) + ((("format", fact.format),) if fact.format else ()) + (
        ("id", fact.id), ("name", qname(fact.concept)))


def _text_block_wrappers(filing: Filing, qname) -> list[tuple[int, int, str, tuple]]:
    """(first block, last block, ix tag, attributes) for each part of each text block: the
    first part is the ix:nonNumeric, each later part an ix:continuation it chains to."""
    wrappers = []
    for block in filing.text_blocks:
        ids = [block.id] + [f"{block.id}-c{k}" for k in range(1, len(block.parts))]
        for k, (first, last) in enumerate(block.parts):
            chain = (("continuedAt", ids[k + 1]),) if k + 1 < len(ids) else ()
            if k == 0:
                attrs = (("contextRef", block.context.id),) + chain + (
                    ("escape", "true"), ("id", block.id), ("name", qname(block.concept)))
                wrappers.append((first, last, "nonNumeric", attrs))
            else:
                wrappers.append((first, last, "continuation", chain + (("id", ids[k]),)))
    return wrappers


def _nest(views: list[dict], wrappers: list[tuple[int, int, str, tuple]]) -> list[dict]:
    """Block views as a tree: each wrapper holds the blocks it covers (a policy's text block
    sits inside its note's). Wrappers are nested or apart by construction (textblocks)."""
    root: list[dict] = []
    stack: list[tuple[int, list[dict]]] = [(len(views), root)]
    pending = sorted(wrappers, key=lambda w: (w[0], -w[1]))
    for k, view in enumerate(views):
        while stack[-1][0] < k:
            stack.pop()
        while pending and pending[0][0] == k:
            first, last, tag, attrs = pending.pop(0)
            node = {"wrap": {"tag": tag, "attrs": attrs}, "children": []}
            stack[-1][1].append(node)
            stack.append((last, node["children"]))
        stack[-1][1].append({"wrap": None, "block": view})
    return root


def _runs(runs: tuple[Run, ...]) -> list[dict]:
    return [{"text": r.text, "bold": r.bold, "italic": r.italic, "underline": r.underline} for r in runs]


def _styled(run: Run) -> bool:
    return run.bold or run.italic or run.underline


def _block_view(block, by_cell: dict[tuple[int, int], list[Fact]], inline: dict[int, list[tuple[int, dict]]],
                qname) -> dict:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "line": block.ref.line,
                "segments": _line_segments(block.runs, _in_plain_text(block, 0, inline))}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "line": block.ref.line,
                "lines": [_line_segments(line, _in_plain_text(block, k, inline)) for k, line in enumerate(block.lines)]}
    assert isinstance(block, Table)
    width = max((len(r.cells) for r in block.rows), default=0)
    rows = []
    for row in block.rows:
        cells = []
        for index, cell in enumerate(row.cells):
            facts = by_cell.get((cell.ref.line, cell.ref.column))
            plain = cell.runs[0].text if len(cell.runs) == 1 and not _styled(cell.runs[0]) else ("" if not cell.runs else None)
            view = {"css": "label" if index == 0 else "num", "runs": _runs(cell.runs), "fact": None, "plain": plain}
            if facts:
                view.update(_fact_view(facts[0], cell.text, cell.runs, qname))
                # the same figure tagged with more concepts: each an ix:nonFraction inside the one before
                view["nested"] = [_fact_view(f, cell.text, cell.runs, qname)["fact"] for f in facts[1:]]
            cells.append(view)
        cells += [{"css": "num", "runs": [], "fact": None, "plain": ""}] * (width - len(cells))
        section = bool(row.cells and row.cells[0].text and all(not c.text for c in row.cells[1:]))
        rows.append({"cells": cells, "section": section})
    return {"kind": "table", "rows": rows, "line": block.ref.line}


def _in_plain_text(block: Heading | Paragraph, offset: int, inline: dict[int, list[tuple[int, dict]]]) -> list[tuple[int, dict]]:
    """The facts of a line at their place in its plain text (facts keep file columns)."""
    return [(block.plain_index(offset, column), view) for column, view in inline.get(block.ref.line + offset, [])]


def _line_segments(runs: tuple[Run, ...], facts: list[tuple[int, dict]]) -> list[dict]:
    """A line of running text as text segments and the facts tagged in it (each at its index
    in the plain text)."""
    if not facts:
        return [{"runs": _runs(runs), "fact": None}]
    text = "".join(r.text for r in runs)
    segments: list[dict] = []
    pos = 0
    for index, view in facts:
        start, end = index, index + len(view["shown"])
        if start < pos or text[start:end] != view["shown"]:
            continue  # not where expected: leave the text as it is rather than tag the wrong span
        segments.append({"runs": _runs(_slice(runs, pos, start)), "fact": None})
        segments.append({"fact": view, "runs": []})
        pos = end
    segments.append({"runs": _runs(_slice(runs, pos, len(text))), "fact": None})
    return segments


def _slice(runs: tuple[Run, ...], start: int, end: int) -> tuple[Run, ...]:
    """The runs covering text[start:end], cut at the edges."""
    out, pos = [], 0
    for run in runs:
        a, b = max(start, pos), min(end, pos + len(run.text))
        if a < b:
            out.append(run.model_copy(update={"text": run.text[a - pos:b - pos]}))
        pos += len(run.text)
    return tuple(out)


def _fact_view(fact: Fact, printed: str, runs: tuple[Run, ...], qname) -> dict:
    at = printed.find(fact.display)
    before, after = (printed[:at], printed[at + len(fact.display):]) if at >= 0 else ("", "")
    attrs = (
        ("contextRef", fact.context.id),
        ("decimals", fact.decimals),
        ("format", fact.format),
        ("id", fact.id),
        ("name", qname(fact.concept)),
        ("scale", str(fact.scale)),
    ) + ((("sign", "-"),) if fact.negative else ()) + (("unitRef", fact.unit),)
    return {
        "tag": "nonFraction",
        "fact": attrs,
        "shown": fact.display,
        "before": before,
        "after": after,
        "bold": any(r.bold for r in runs),
        "underline": any(r.underline for r in runs),
    }
