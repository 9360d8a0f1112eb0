"""Notes and accounting policies -> escaped text blocks.

The notes section opens at a heading such as "NOTES TO THE ... FINANCIAL STATEMENTS"; a note
starts at a numbered title line ("3. REVENUES, OTHER LOSS, NET ...") and runs to the next
note's title or the next all-capitals section title. In the policies note, each lettered
subsection ("(a) Basis of presentation") is a policy text block of its own, nested in the
note's. A table inside a note is tagged figure by figure on its own; the note's text stops
before it and goes on after it (ix:continuation). Title patterns and concepts are data
(mapping.toml [notes]); a note with no concept is reported, never given one by guess.
"""

from __future__ import annotations

import re

from kcxbrl.dts import Notes, Taxonomy
from kcxbrl.findings import Finding
from kcxbrl.read import Block, Document, Heading, Paragraph, Table
from kcxbrl.understand.model import Context, Period, TextBlock


def text_blocks(document: Document, taxonomy: Taxonomy, period: Period) -> tuple[list[TextBlock], list[Finding]]:
    notes = taxonomy.notes
    if notes is None:
        return [], []
    blocks = document.blocks
    start = next((k for k, b in enumerate(blocks) if _is_text(b) and re.search(notes.start, b.text, re.IGNORECASE)), None)
    if start is None:
        return [], []
    context = Context(period=period)
    found: list[TextBlock] = []
    findings: list[Finding] = []

    def tag(first: int, last: int, title: str, what: str) -> bool:
        rule = _rule(notes, title)
        if rule is None:
            findings.append(Finding(severity="warning", code="textBlock.unmapped",
                                    message=f"{what} '{title}' has no text-block concept in mapping.toml [notes]; not tagged",
                                    ref=blocks[first].ref))
            return False
        found.append(_text_block(blocks, first, last, title, rule.concept, context))
        return rule.policies

    for first, last, title in _sections(blocks, start + 1, len(blocks), notes.note, notes):
        if tag(first, last, title, "note"):
            for p_first, p_last, p_title in _sections(blocks, first + 1, last + 1, notes.policy, notes):
                tag(p_first, p_last, p_title, "policy")
    return found, findings


def _is_text(block: Block) -> bool:
    return isinstance(block, Heading | Paragraph)


def _sections(blocks: tuple[Block, ...], begin: int, end: int, title_pattern: str,
              notes: Notes) -> list[tuple[int, int, str]]:
    """(first block, last block, title) of each section whose title line matches the pattern,
    between begin and end; a section ends before the next title or an all-capitals title."""
    sections: list[tuple[int, int, str]] = []
    current: tuple[int, str] | None = None
    for k in range(begin, end):
        block = blocks[k]
        m = re.match(title_pattern, block.text.strip()) if _is_text(block) else None
        closing = m is not None or (_is_text(block) and _section_title(block.text) and not re.match(notes.note, block.text.strip()))
        if closing and current is not None:
            sections.append((current[0], _last_text(blocks, current[0], k - 1), current[1]))
            current = None
        if m is not None:
            current = (k, m.group("title").strip())
        elif closing:
            break  # the notes are over
    if current is not None:
        sections.append((current[0], _last_text(blocks, current[0], end - 1), current[1]))
    return sections


def _section_title(text: str) -> bool:
    """An all-capitals line of a few words ("PROPOSED AMENDMENTS TO THE ARTICLES ...")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters)


def _last_text(blocks: tuple[Block, ...], first: int, last: int) -> int:
    while last > first and not _is_text(blocks[last]):
        last -= 1  # a note does not end with the table that follows its text
    return last


def _rule(notes: Notes, title: str):
    return next((r for r in notes.blocks if re.search(r.title, title.lower())), None)


def _text_block(blocks: tuple[Block, ...], first: int, last: int, title: str, concept: str,
                context: Context) -> TextBlock:
    parts: list[tuple[int, int]] = []
    run_start: int | None = None
    for k in range(first, last + 1):
        if isinstance(blocks[k], Table):
            if run_start is not None:
                parts.append((run_start, k - 1))
            run_start = None
        elif run_start is None:
            run_start = k
    if run_start is not None:
        parts.append((run_start, last))
    ref = blocks[first].ref
    return TextBlock(id=f"t-{ref.line}", concept=concept, context=context, title=title, parts=tuple(parts), source=ref)
