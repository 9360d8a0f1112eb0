"""The taxonomy's declarative source (taxonomy/source/*.toml) as typed models.

Read once per process; both the generator (taxonomy files) and the pipeline (label -> concept
mapping, units, signs) work from this one source.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kcxbrl.resources import taxonomy_dir

NAMESPACE = "https://kcxbrl.org/taxonomy/2026/kcx"
PREFIX = "kcx"
VERSION = "2026"
SCHEMA_FILE = f"kcx-{VERSION}.xsd"
SCHEMA_URL = f"https://kcxbrl.org/taxonomy/{VERSION}/{SCHEMA_FILE}"
TAXONOMY_URL_BASE = f"https://kcxbrl.org/taxonomy/{VERSION}/"

NUMERIC_TYPES = {"monetary", "shares", "perShare", "pure", "percent", "integer"}


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Concept(Model):
    name: str = ""
    origin: str = Field("us-gaap", alias="from")
    type: str
    period: Literal["duration", "instant"] = "duration"
    balance: Literal["debit", "credit"] | None = None
    label: str
    total: str | None = None
    negated: str | None = None
    terse: str | None = None

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def abstract(self) -> bool:
        return self.type in ("abstract", "axis", "table", "domain")


class Summation(Model):
    total: str
    items: tuple[tuple[str, int], ...]  # (concept, weight)


class Axis(Model):
    domain: str
    members: tuple[str, ...]


class Dimensions(Model):
    table: str
    line_items: str
    axes: dict[str, Axis]


class TreeNode(Model):
    concept: str
    depth: int
    preferred: Literal["total", "negated", "terse"] | None = None


class Role(Model):
    id: str
    order: int
    definition: str
    tree: tuple[TreeNode, ...]
    calc: tuple[Summation, ...] = ()
    dimensions: Dimensions | None = None

    @property
    def uri(self) -> str:
        return f"https://kcxbrl.org/taxonomy/{VERSION}/role/{self.id}"


class RowRule(Model):
    label: str
    section: str | None = None
    concept: str
    alternative: str | None = None
    members: dict[str, str] = {}
    instant: Literal["start", "end"] | None = None
    orientation: Literal["debit", "credit"] | None = None  # overrides the table's (reconciling items)
    percent: bool | None = None  # only rows of percentages (True) or of amounts (False)
    first_row: str | None = None  # only in tables whose first row label matches
    last: bool | None = None  # only the table's last row (an unlabelled grand total)

    def matches(self, label: str, section: str, percent: bool, first_row: str, last: bool) -> bool:
        if not re.search(self.label, label, re.IGNORECASE):
            return False
        if self.last is not None and self.last != last:
            return False
        if self.percent is not None and self.percent != percent:
            return False
        if self.first_row is not None and not re.search(self.first_row, first_row, re.IGNORECASE):
            return False
        return self.section is None or bool(re.search(self.section, section, re.IGNORECASE))


class ProseRule(Model):
    """A measure named in a sentence ("net loss was ...") and the concept its figures are."""

    subject: str
    concept: str
    members: dict[str, str] = {}


class SectionOrientation(Model):
    section: str
    orientation: Literal["debit", "credit"]


class TableKind(Model):
    kind: str
    role: str
    title: str
    intro: bool = False  # the title may match the sentence leading into the table
    instant: bool = False
    orientation: Literal["debit", "credit", "evidence"]
    sections: tuple[SectionOrientation, ...] = ()
    rows: tuple[RowRule, ...] = ()
    rows_from: str | None = None  # use another kind's row rules (a highlights table uses the income statement's)

    def orientation_for(self, section: str) -> str:
        for rule in self.sections:
            if re.search(rule.section, section, re.IGNORECASE):
                return rule.orientation
        return self.orientation


class Taxonomy(Model):
    concepts: dict[str, Concept]
    roles: tuple[Role, ...]
    tables: tuple[TableKind, ...]
    prose: tuple[ProseRule, ...] = ()

    @field_validator("roles")
    @classmethod
    def _one_total_per_parent(cls, roles: tuple[Role, ...]) -> tuple[Role, ...]:
        for role in roles:
            totals = [s.total for s in role.calc]
            dup = {t for t in totals if totals.count(t) > 1}
            if dup:
                raise ValueError(f"role {role.id}: {sorted(dup)} summed twice in one role")
        return roles

    def concept(self, name: str) -> Concept:
        return self.concepts[name]

    def table_kind(self, kind: str) -> TableKind:
        return next(t for t in self.tables if t.kind == kind)

    def rules(self, kind: TableKind) -> tuple[RowRule, ...]:
        return kind.rows + (self.table_kind(kind.rows_from).rows if kind.rows_from else ())


def _parse_tree(text: str) -> tuple[TreeNode, ...]:
    nodes = []
    for line in text.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        name, _, pref = line.strip().partition("|")
        nodes.append(TreeNode(concept=name.strip(), depth=indent // 2, preferred=pref.strip() or None))
    return tuple(nodes)


def _parse_calc(text: str) -> tuple[Summation, ...]:
    sums = []
    for line in text.splitlines():
        if not line.strip():
            continue
        total, _, expr = line.partition("=")
        items = []
        for sign, name in re.findall(r"([+-]?)\s*([A-Za-z0-9]+)", expr):
            items.append((name, -1 if sign == "-" else 1))
        sums.append(Summation(total=total.strip(), items=tuple(items)))
    return tuple(sums)


def load_taxonomy(source: Path | None = None) -> Taxonomy:
    source = source or taxonomy_dir() / "source"
    with open(source / "concepts.toml", "rb") as fh:
        raw_concepts = tomllib.load(fh)["concepts"]
    with open(source / "roles.toml", "rb") as fh:
        raw_roles = tomllib.load(fh)["roles"]
    with open(source / "mapping.toml", "rb") as fh:
        raw_mapping = tomllib.load(fh)
    raw_tables = raw_mapping["tables"]
    concepts = {name: Concept(name=name, **spec) for name, spec in raw_concepts.items()}
    roles = tuple(
        sorted(
            (
                Role(
                    id=rid,
                    order=spec["order"],
                    definition=spec["definition"],
                    tree=_parse_tree(spec["tree"]),
                    calc=_parse_calc(spec.get("calc", "")),
                    dimensions=spec.get("dimensions"),
                )
                for rid, spec in raw_roles.items()
            ),
            key=lambda r: r.order,
        )
    )
    taxonomy = Taxonomy(concepts=concepts, roles=roles, tables=tuple(TableKind(**t) for t in raw_tables),
                        prose=tuple(ProseRule(**p) for p in raw_mapping.get("prose", ())))
    _check_references(taxonomy)
    return taxonomy


def _check_references(tax: Taxonomy) -> None:
    """Every name the roles and mappings use must be a declared concept."""
    used: list[tuple[str, str]] = []
    for role in tax.roles:
        used += [(n.concept, f"role {role.id} tree") for n in role.tree]
        for s in role.calc:
            used += [(s.total, f"role {role.id} calc")] + [(c, f"role {role.id} calc") for c, _ in s.items]
    for kind in tax.tables:
        for rule in kind.rows:
            used.append((rule.concept, f"mapping {kind.kind}"))
            if rule.alternative:
                used.append((rule.alternative, f"mapping {kind.kind}"))
            used += [(a, f"mapping {kind.kind}") for a in rule.members] + [(m, f"mapping {kind.kind}") for m in rule.members.values()]
    used += [(p.concept, "prose") for p in tax.prose]
    missing = sorted({f"{name} ({where})" for name, where in used if name not in tax.concepts})
    if missing:
        raise ValueError("undeclared concepts: " + ", ".join(missing))
    no_label = sorted({f"{n.concept} ({role.id}: {n.preferred})" for role in tax.roles for n in role.tree
                       if n.preferred and n.concept in tax.concepts and not getattr(tax.concepts[n.concept], n.preferred)})
    if no_label:
        raise ValueError("preferred labels the concepts do not have: " + ", ".join(no_label))


@cache
def default_taxonomy() -> Taxonomy:
    return load_taxonomy()
