"""The taxonomy's declarative source (taxonomy/source/*.toml) as typed models.

concepts.toml, roles.toml and mapping.toml are required; formulas.toml (value assertions) is
read when present.

Read once per process; both the generator (taxonomy files) and the pipeline (label -> concept
mapping, units, signs) work from this one source.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
    prefix: str = PREFIX  # the namespace prefix of the schema that declares it: kcx, or an issuer's
    # the balance a printed figure's sign follows where it is not the element's: an amount
    # attributable to non-controlling interests is debit (subtracted in its sum) but positive
    # for income, like a credit
    sign_as: Literal["debit", "credit"] | None = None

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
    owner: str = PREFIX  # the prefix of the schema that defines the role: kcx, or an issuer's

    @property
    def uri(self) -> str:
        if self.owner == PREFIX:
            return f"https://kcxbrl.org/taxonomy/{VERSION}/role/{self.id}"
        return f"{issuer_namespace(self.owner)}/role/{self.id}"


def issuer_namespace(prefix: str) -> str:
    """The namespace of an issuer's own concepts (its extension of the taxonomy)."""
    return f"https://kcxbrl.org/taxonomy/{VERSION}/issuer/{prefix}"


class RowRule(Model):
    label: str
    section: str | None = None
    concept: str | None = None  # None in a table whose columns are measures (TableKind.measures)
    also: tuple[str, ...] = ()  # concepts the same figure is tagged with too ("Basic and diluted": both EPS)
    alternative: str | None = None
    # {total: concept}: printed above a row of `total`, the row is `concept` ("Other income, net"
    # above "Income from operations" is operating income, below it non-operating)
    above: dict[str, str] = {}
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


class BreakdownMember(Model):
    label: str  # regex on the normalised row label
    member: str


class Scope(Model):
    """Whose figures a run of tables prints when it is not the consolidated group's: a heading
    or caption that starts it ("Condensed financial information of the parent company") and one
    that ends it (a later statement titled consolidated). Its tables' facts carry `members`."""

    title: str  # regex (case-insensitive) on a heading or a short paragraph
    ends: str  # regex (case-insensitive) on a later heading or short paragraph
    members: dict[str, str]  # axis -> member, on every fact of the scope's tables


class ColumnMember(Model):
    """A column headed by a name instead of a period (a segment table "Bigo | All other |
    Elimination | Total", its period in the caption): the members its figures are on. A "Total"
    column has none: the consolidated figure."""

    label: str  # regex (case-insensitive) on the column's heading, footnote marks removed
    members: dict[str, str] = {}

    def matches(self, heading: str) -> bool:
        return bool(re.search(self.label, heading, re.IGNORECASE))


class Breakdown(Model):
    """A section that breaks one measure down by line item ("Share-based compensation expenses
    included in:" / "Cost of revenues", "Research and development expenses" ...): its rows are
    the measure on the axis's members, never the line items themselves. A row no member
    matches is reported, not tagged; a "Total" row is the measure itself."""

    section: str  # regex on the normalised section label
    concept: str
    axis: str
    orientation: Literal["debit", "credit"] = "debit"
    members: tuple[BreakdownMember, ...]
    total: str = r"^(total\b.*)?$"

    def rule_for(self, label: str) -> RowRule | None:
        if re.search(self.total, label, re.IGNORECASE):
            return RowRule(label=self.total, concept=self.concept, orientation=self.orientation)
        member = next((m for m in self.members if re.search(m.label, label, re.IGNORECASE)), None)
        if member is None:
            return None
        return RowRule(label=member.label, concept=self.concept, members={self.axis: member.member},
                       orientation=self.orientation)


class ProseRule(Model):
    """A measure named in a sentence ("net loss was ...") and the concept its figures are."""

    subject: str
    concept: str
    members: dict[str, str] = {}
    count: str | None = None  # the noun a count is followed by ("13,868 employees"): counts are tagged


class NoteRule(Model):
    """A note (or an accounting policy within the policies note) and its text-block concept."""

    title: str  # regex on the note's title, lower case
    concept: str
    policies: bool = False  # its lettered subsections are accounting policies, each a text block


class Notes(Model):
    """Where the notes are and how their titles look (mapping.toml [notes])."""

    start: str  # regex on the heading that opens the notes
    note: str  # regex on a note's title line, group "title"
    policy: str  # regex on a policy's title line within a policies note, group "title"
    blocks: tuple[NoteRule, ...] = ()


class SectionOrientation(Model):
    section: str
    orientation: Literal["debit", "credit"]


class MeasureColumn(Model):
    """A column of a table whose columns are measures, not periods (employees: number, share)."""

    header: str  # regex on the column heading
    concept: str


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
    measures: tuple[MeasureColumn, ...] = ()

    @model_validator(mode="after")
    def _rows_name_concepts(self) -> "TableKind":
        """Rows name the concept unless the columns do."""
        if not self.measures and any(rule.concept is None for rule in self.rows):
            raise ValueError(f"table kind {self.kind}: a row rule without a concept needs [[tables.measures]]")
        return self

    def orientation_for(self, section: str, outer: tuple[str, ...] = ()) -> str:
        """The orientation of the innermost section that states one ("Current" under
        "Liabilities": the liabilities'), else the table's."""
        for name in (section, *reversed(outer)):
            for rule in self.sections:
                if re.search(rule.section, name, re.IGNORECASE):
                    return rule.orientation
        return self.orientation


_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
RESERVED_PLACEHOLDERS = frozenset({"difference", "tolerance", "context", "unit"})


class AssertionTerm(Model):
    """One figure of a value assertion: a concept, optionally on dimension members, in the
    assertion's period (or at the start / end of its `duration` term's period)."""

    name: str
    concept: str
    weight: Literal[1, -1] = 1
    members: dict[str, str] = {}
    instant: Literal["start", "end"] | None = None
    optional: bool = False

    @field_validator("name")
    @classmethod
    def _plain_name(cls, name: str) -> str:
        if not _NAME.match(name) or name in RESERVED_PLACEHOLDERS:
            raise ValueError(f"term name {name!r}: letters and digits, not one of {sorted(RESERVED_PLACEHOLDERS)}")
        return name


class ValueAssertion(Model):
    """total = sum(weight x item), within the rounding of the figures (formulas.toml)."""

    id: str
    description: str
    message: str
    total: AssertionTerm
    items: tuple[AssertionTerm, ...] = Field(min_length=1)
    duration: str | None = None  # the term whose period the instant terms take their start/end from

    @property
    def terms(self) -> tuple[AssertionTerm, ...]:
        return (self.total, *self.items)

    def term(self, name: str) -> AssertionTerm:
        return next(t for t in self.terms if t.name == name)

    @model_validator(mode="after")
    def _consistent(self) -> "ValueAssertion":
        if not _NAME.match(self.id):
            raise ValueError(f"assertion id {self.id!r}: letters and digits")
        names = [t.name for t in self.terms]
        if len(set(names)) != len(names):
            raise ValueError(f"assertion {self.id}: term names repeat: {names}")
        if self.total.weight != 1 or self.total.optional:
            raise ValueError(f"assertion {self.id}: the total has weight 1 and is not optional")
        placeholders = set(re.findall(r"\{([^{}]*)\}", self.message))
        unknown = placeholders - set(names) - RESERVED_PLACEHOLDERS
        if unknown:
            raise ValueError(f"assertion {self.id}: message names unknown figures {sorted(unknown)}")
        if missing := set(names) - placeholders:
            raise ValueError(f"assertion {self.id}: message does not name the figures {sorted(missing)}")
        instants = [t.name for t in self.terms if t.instant]
        if instants and self.duration is None:
            raise ValueError(f"assertion {self.id}: terms {instants} at a period boundary need `duration`")
        if self.duration is not None:
            if self.duration not in names:
                raise ValueError(f"assertion {self.id}: duration {self.duration!r} is not a term")
            anchor = self.term(self.duration)
            if anchor.instant or anchor.optional:
                raise ValueError(f"assertion {self.id}: the duration term must be neither an instant nor optional")
        return self


class Extension(Model):
    """An issuer's extension of the taxonomy, from its profile's [taxonomy] table: concepts of
    its own (service lines as members, its non-GAAP measures) in a namespace of its own, the
    members it adds to the base's axes, roles of its own and what it adds to the base's roles
    (presented concepts, sum items), and its label rules (rows, prose subjects, note titles) and
    value assertions. Its rules are tried before the base's."""

    prefix: str = Field(pattern=r"^[a-z][a-z0-9]{1,15}$")
    concepts: dict[str, Concept] = {}
    members: dict[str, tuple[str, ...]] = {}  # axis -> the issuer's members, in every role with that axis
    roles: tuple[Role, ...] = ()  # roles of its own
    role_additions: dict[str, tuple[tuple[TreeNode, ...], tuple[Summation, ...]]] = {}  # base role -> (tree, sums) added
    tables: tuple[TableKind, ...] = ()  # kinds of its own
    table_rows: dict[str, tuple[RowRule, ...]] = {}  # base kind -> rows tried before the base's
    prose: tuple[ProseRule, ...] = ()
    notes: tuple[NoteRule, ...] = ()
    columns: tuple[ColumnMember, ...] = ()  # its segments' column headings
    assertions: tuple[ValueAssertion, ...] = ()

    @property
    def namespace(self) -> str:
        return issuer_namespace(self.prefix)

    @property
    def schema_file(self) -> str:
        return f"{self.prefix}-{VERSION}.xsd"


class Taxonomy(Model):
    concepts: dict[str, Concept]
    roles: tuple[Role, ...]
    tables: tuple[TableKind, ...]
    prose: tuple[ProseRule, ...] = ()
    notes: Notes | None = None
    breakdowns: tuple[Breakdown, ...] = ()
    scopes: tuple[Scope, ...] = ()
    columns: tuple[ColumnMember, ...] = ()
    assertions: tuple[ValueAssertion, ...] = ()
    releases: dict[str, str] = {}  # the release of us-gaap, srt, dei the derived concepts follow
    extension: Extension | None = None  # the issuer's, when this is the base extended (`extend`)
    base: "Taxonomy | None" = None  # the base taxonomy an extended one was made from

    @field_validator("assertions")
    @classmethod
    def _unique_assertion_ids(cls, assertions: tuple[ValueAssertion, ...]) -> tuple[ValueAssertion, ...]:
        ids = [a.id for a in assertions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"assertion ids repeat: {sorted({i for i in ids if ids.count(i) > 1})}")
        return assertions

    def axis_domains(self) -> dict[str, tuple[str, frozenset[str]]]:
        """Every axis of the roles' hypercubes: its default (domain) and its members."""
        found: dict[str, tuple[str, set[str]]] = {}
        for role in self.roles:
            if role.dimensions:
                for axis, spec in role.dimensions.axes.items():
                    domain, members = found.setdefault(axis, (spec.domain, set()))
                    if domain != spec.domain:
                        raise ValueError(f"axis {axis}: domains {domain} and {spec.domain} in different roles")
                    members.update(spec.members)
        return {axis: (domain, frozenset(members)) for axis, (domain, members) in found.items()}

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

    def qname(self, name: str) -> str:
        """prefix:name, the concept in the namespace that declares it."""
        return f"{self.concepts[name].prefix}:{name}"

    @property
    def namespaces(self) -> dict[str, str]:
        """prefix -> namespace of every schema the taxonomy's concepts are declared in."""
        found = {PREFIX: NAMESPACE}
        if self.extension is not None:
            found[self.extension.prefix] = self.extension.namespace
        return found

    @property
    def schema_files(self) -> dict[str, str]:
        """prefix -> the file of the schema that declares that namespace's concepts and roles."""
        found = {PREFIX: SCHEMA_FILE}
        if self.extension is not None:
            found[self.extension.prefix] = self.extension.schema_file
        return found

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


def _roles(raw_roles: dict, owner: str = PREFIX) -> tuple[Role, ...]:
    roles = (Role(id=rid, order=spec["order"], definition=spec["definition"], tree=_parse_tree(spec["tree"]),
                  calc=_parse_calc(spec.get("calc", "")), dimensions=spec.get("dimensions"), owner=owner)
             for rid, spec in raw_roles.items())
    return tuple(sorted(roles, key=lambda r: r.order))


def load_taxonomy(source: Path | None = None) -> Taxonomy:
    source = source or taxonomy_dir() / "source"
    with open(source / "concepts.toml", "rb") as fh:
        raw_concepts_file = tomllib.load(fh)
    raw_concepts = raw_concepts_file["concepts"]
    with open(source / "roles.toml", "rb") as fh:
        raw_roles = tomllib.load(fh)["roles"]
    with open(source / "mapping.toml", "rb") as fh:
        raw_mapping = tomllib.load(fh)
    raw_tables = raw_mapping["tables"]
    raw_assertions: list[dict] = []
    if (source / "formulas.toml").exists():
        with open(source / "formulas.toml", "rb") as fh:
            raw_assertions = tomllib.load(fh).get("assertions", [])
    concepts = {name: Concept(name=name, **spec) for name, spec in raw_concepts.items()}
    taxonomy = Taxonomy(concepts=concepts, roles=_roles(raw_roles), tables=tuple(TableKind(**t) for t in raw_tables),
                        prose=tuple(ProseRule(**p) for p in raw_mapping.get("prose", ())),
                        notes=Notes(**raw_mapping["notes"]) if "notes" in raw_mapping else None,
                        breakdowns=tuple(Breakdown(**b) for b in raw_mapping.get("breakdowns", ())),
                        scopes=tuple(Scope(**b) for b in raw_mapping.get("scopes", ())),
                        columns=tuple(ColumnMember(**c) for c in raw_mapping.get("columns", ())),
                        assertions=tuple(ValueAssertion(**a) for a in raw_assertions),
                        releases=raw_concepts_file.get("releases", {}))
    _check_references(taxonomy)
    return taxonomy


def load_extension(raw: dict, base: Taxonomy) -> Extension:
    """An issuer's extension from its profile's [taxonomy] table (see Extension). A role or a
    table kind with the base's name adds to it (`tree` lines under the role's root, `calc`
    lines to its sums, `rows` before the kind's); any other is the issuer's own."""
    raw = dict(raw)
    prefix = raw.pop("prefix", None)
    if prefix is None:
        raise ValueError("[taxonomy] needs a `prefix` for the issuer's own concepts")
    concepts = {name: Concept(name=name, prefix=prefix, **{"from": "issuer", **spec})
                for name, spec in raw.pop("concepts", {}).items()}
    base_roles = {r.id for r in base.roles}
    own_roles = {rid: spec for rid, spec in raw.get("roles", {}).items() if rid not in base_roles}
    additions = {rid: (_parse_tree(spec.get("tree", "")), _parse_calc(spec.get("calc", "")))
                 for rid, spec in raw.pop("roles", {}).items() if rid in base_roles}
    base_kinds = {k.kind for k in base.tables}
    raw_tables = raw.pop("tables", [])
    return Extension(
        prefix=prefix, concepts=concepts,
        members={axis: tuple(members) for axis, members in raw.pop("members", {}).items()},
        roles=_roles(own_roles, owner=prefix), role_additions=additions,
        tables=tuple(TableKind(**t) for t in raw_tables if t["kind"] not in base_kinds),
        table_rows={t["kind"]: tuple(RowRule(**r) for r in t.get("rows", ())) for t in raw_tables if t["kind"] in base_kinds},
        prose=tuple(ProseRule(**p) for p in raw.pop("prose", ())),
        notes=tuple(NoteRule(**n) for n in raw.pop("notes", ())),
        columns=tuple(ColumnMember(**c) for c in raw.pop("columns", ())),
        assertions=tuple(ValueAssertion(**a) for a in raw.pop("assertions", ())),
        **raw)


def extend(base: Taxonomy, extension: Extension) -> Taxonomy:
    """The base taxonomy with an issuer's extension: its concepts, roles, members, rules and
    assertions added (its rules first). Names must not clash with the base's."""
    clash = sorted(set(extension.concepts) & set(base.concepts))
    if clash:
        raise ValueError(f"the issuer's concepts {clash} are the base taxonomy's already")
    unknown = sorted(set(extension.role_additions) - {r.id for r in base.roles})
    if unknown:
        raise ValueError(f"the issuer adds to roles the base has not: {unknown}")
    roles = []
    for role in base.roles:
        tree, sums = extension.role_additions.get(role.id, ((), ()))
        roles.append(role.model_copy(update={
            "tree": role.tree + tuple(node.model_copy(update={"depth": node.depth + 1}) for node in tree),
            "calc": _merged_sums(role.calc, sums),
            "dimensions": _with_members(role.dimensions, extension.members)}))
    tables = tuple(kind.model_copy(update={"rows": extension.table_rows.get(kind.kind, ()) + kind.rows})
                   for kind in base.tables) + extension.tables
    notes = base.notes.model_copy(update={"blocks": extension.notes + base.notes.blocks}) if base.notes else None
    taxonomy = Taxonomy(concepts={**base.concepts, **extension.concepts},
                        roles=tuple(sorted(roles + list(extension.roles), key=lambda r: r.order)),
                        tables=tables, prose=extension.prose + base.prose, notes=notes, breakdowns=base.breakdowns, scopes=base.scopes,
                        columns=extension.columns + base.columns,
                        releases=base.releases,
                        assertions=base.assertions + extension.assertions, extension=extension, base=base)
    _check_references(taxonomy)
    return taxonomy


def _merged_sums(sums: tuple[Summation, ...], added: tuple[Summation, ...]) -> tuple[Summation, ...]:
    merged = {s.total: s for s in sums}
    for s in added:
        if s.total in merged:
            merged[s.total] = merged[s.total].model_copy(update={"items": merged[s.total].items + s.items})
        else:
            merged[s.total] = s
    return tuple(merged.values())


def _with_members(dimensions: Dimensions | None, members: dict[str, tuple[str, ...]]) -> Dimensions | None:
    if dimensions is None or not any(axis in members for axis in dimensions.axes):
        return dimensions
    axes = {axis: spec.model_copy(update={"members": spec.members + members.get(axis, ())})
            for axis, spec in dimensions.axes.items()}
    return dimensions.model_copy(update={"axes": axes})


def _check_references(tax: Taxonomy) -> None:
    """Every name the roles and mappings use must be a declared concept."""
    used: list[tuple[str, str]] = []
    for role in tax.roles:
        used += [(n.concept, f"role {role.id} tree") for n in role.tree]
        for s in role.calc:
            used += [(s.total, f"role {role.id} calc")] + [(c, f"role {role.id} calc") for c, _ in s.items]
    for kind in tax.tables:
        used += [(m.concept, f"mapping {kind.kind}") for m in kind.measures]
        for rule in kind.rows:
            if rule.concept:
                used.append((rule.concept, f"mapping {kind.kind}"))
            if rule.alternative:
                used.append((rule.alternative, f"mapping {kind.kind}"))
            used += [(c, f"mapping {kind.kind}") for c in rule.also]
            used += [(a, f"mapping {kind.kind}") for a in rule.members] + [(m, f"mapping {kind.kind}") for m in rule.members.values()]
    used += [(p.concept, "prose") for p in tax.prose]
    for column in tax.columns:
        used += [(name, "columns") for pair in column.members.items() for name in pair]
    for scope in tax.scopes:
        used += [(name, "scopes") for pair in scope.members.items() for name in pair]
    for b in tax.breakdowns:
        used += [(b.concept, "breakdowns"), (b.axis, "breakdowns")] + [(m.member, "breakdowns") for m in b.members]
    used += [(n.concept, "notes") for n in (tax.notes.blocks if tax.notes else ())]
    for assertion in tax.assertions:
        for term in assertion.terms:
            used.append((term.concept, f"assertion {assertion.id}"))
            used += [(n, f"assertion {assertion.id}") for pair in term.members.items() for n in pair]
    missing = sorted({f"{name} ({where})" for name, where in used if name not in tax.concepts})
    if missing:
        raise ValueError("undeclared concepts: " + ", ".join(missing))
    _check_assertions(tax)
    no_label = sorted({f"{n.concept} ({role.id}: {n.preferred})" for role in tax.roles for n in role.tree
                       if n.preferred and n.concept in tax.concepts and not getattr(tax.concepts[n.concept], n.preferred)})
    if no_label:
        raise ValueError("preferred labels the concepts do not have: " + ", ".join(no_label))


def _check_assertions(tax: Taxonomy) -> None:
    """Assertion terms name numeric concepts of the right period type and members of their axes."""
    axes = tax.axis_domains()
    problems = []
    for assertion in tax.assertions:
        periods = {tax.concept(t.concept).period for t in assertion.terms if not t.instant}
        if len(periods) > 1:  # such terms share the assertion's period: no evaluation could bind them all
            problems.append(f"assertion {assertion.id}: terms without `instant` mix instant and duration concepts")
        for term in assertion.terms:
            concept = tax.concept(term.concept)
            where = f"assertion {assertion.id} term {term.name}"
            if not concept.numeric:
                problems.append(f"{where}: {term.concept} is not numeric")
            wanted = "instant" if term.instant else concept.period
            if concept.period != wanted:
                problems.append(f"{where}: {term.concept} is not an instant")
            if assertion.duration == term.name and concept.period != "duration":
                problems.append(f"{where}: {term.concept} is not a duration")
            for axis, member in term.members.items():
                if axis not in axes:
                    problems.append(f"{where}: {axis} is not an axis of any role")
                elif member not in axes[axis][1]:
                    problems.append(f"{where}: {member} is not a member of {axis}")
    if problems:
        raise ValueError("value assertions: " + "; ".join(problems))


@cache
def default_taxonomy() -> Taxonomy:
    return load_taxonomy()


@dataclass(frozen=True)
class CalcArc:
    role: Role
    total: str
    item: str
    weight: int
    order: int


def calc_arcs(tax: Taxonomy) -> list[CalcArc]:
    """Every Calculations 1.1 arc of the taxonomy, as written to the calculation linkbase."""
    return [CalcArc(role, s.total, item, weight, k)
            for role in tax.roles for s in role.calc for k, (item, weight) in enumerate(s.items, start=1)]
