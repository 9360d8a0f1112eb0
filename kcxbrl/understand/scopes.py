"""Whose figures each table prints: the consolidated group's, unless a heading or caption
starts a scope of the mapping's `[[scopes]]` (the parent company's condensed statements) that no
later heading has ended. A scope's tables give facts on its members (ConsolidationItemsAxis =
ParentCompanyMember), never the group's facts of the same period."""

from __future__ import annotations

import re

from kcxbrl.dts import Scope, Taxonomy
from kcxbrl.read import Document, Heading, Paragraph, Table
from kcxbrl.understand.model import Fact

_TITLE_LENGTH = 200  # a longer paragraph is prose, which may name the parent company in passing


def table_scopes(document: Document, taxonomy: Taxonomy) -> list[tuple[Scope, int] | None]:
    """For each table in order, the scope it stands in and the line that started it, or None."""
    found: list[tuple[Scope, int] | None] = []
    current: tuple[Scope, int] | None = None
    for block in document.blocks:
        if isinstance(block, Table):
            found.append(current)
            continue
        if not isinstance(block, (Heading, Paragraph)) or len(block.text) > _TITLE_LENGTH:
            continue
        text = " ".join(block.text.split())
        starts = next((s for s in taxonomy.scopes if re.search(s.title, text, re.IGNORECASE)), None)
        if starts is not None:
            current = (starts, block.ref.line)
        elif current is not None and re.search(current[0].ends, text, re.IGNORECASE):
            current = None
    return found


def in_scope(fact: Fact, scope: Scope) -> Fact:
    """The fact on the scope's members (a row's own members kept)."""
    dimensions = dict(fact.context.dimensions)
    dimensions.update(scope.members)
    return fact.model_copy(update={"context": fact.context.model_copy(
        update={"dimensions": tuple(sorted(dimensions.items()))})})
