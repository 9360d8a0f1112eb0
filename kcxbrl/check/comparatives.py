"""Comparatives across documents (`source.comparativeDiffers`, warning): the same concept, period,
dimensions and unit reported by two announcements, each represented by its most precise table
figure (the text's figure where no table prints it), compared at the lower precision of the
two: a restatement or an error, either way the reader should know. A US$ figure whose RMB
figures agree in both documents differs only because each document translates at its own
convenience rate (`source.comparativeAtOtherRate`, info: listed, not an error).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from kcxbrl.findings import Finding, SourceRef
from kcxbrl.profile import unknown_entity
from kcxbrl.rounding import agree, precision, rounded


# ---------------------------------------------------------------- across documents


@dataclass(frozen=True)
class ReportedFact:
    """A numeric fact of a built report (its xBRL-JSON) with where the announcement prints it."""

    document: str  # the report's name, e.g. kc-2025-annual-results
    id: str
    concept: str
    period: str  # "2024-01-01/2024-12-31" or "@2024-12-31" (inclusive dates)
    dimensions: tuple[tuple[str, str], ...]
    unit: str  # CNY, USD, CNY/shares, shares, pure
    value: Decimal
    decimals: int | None  # None: exact
    file: str
    line: int
    column: int
    label: str = ""
    display: str = ""
    entity: str = ""  # the report's entity identifier: only one issuer's reports are compared

    @property
    def ref(self) -> SourceRef:
        return SourceRef(file=self.file, line=self.line, column=self.column)

    @property
    def prose(self) -> bool:
        return self.id.startswith("p-")


_ID_PLACE = re.compile(r"^[a-z]+-(\d+)-(\d+)(?:-\d+)?$")  # f-LINE-COLUMN, -2 for a second concept


def reported_facts(name: str, oim: dict, sources: dict | None) -> list[ReportedFact]:
    """The numeric facts of an xBRL-JSON report. Where sources.json is missing, the line and
    column come from the fact ids (f-LINE-COLUMN, p-LINE-COLUMN) and the file is NAME.txt."""
    found = []
    facts = oim.get("facts") or {}  # a report without facts ([] or {} or none): nothing to compare
    if not isinstance(facts, dict):
        raise ValueError("its facts are not an xBRL-JSON object of fact ids")
    for fact_id, fact in facts.items():
        dims = fact.get("dimensions", {})
        if sources is not None:
            source = sources.get(fact_id)  # the numeric facts kcxbrl read from the text
        else:
            m = _ID_PLACE.match(fact_id)
            source = m and {"file": f"{name}.txt", "line": int(m.group(1)), "column": int(m.group(2))}
        if not source or not _numeric(fact.get("value")):
            continue  # cover facts, nil figures
        decimals = fact.get("decimals")
        found.append(ReportedFact(
            document=name, id=fact_id, concept=_local(dims["concept"]), period=_period(dims["period"]),
            dimensions=tuple(sorted((_local(k), _local(v)) for k, v in dims.items() if ":" in k)),
            unit=_unit(dims.get("unit")), value=Decimal(str(fact["value"])),
            decimals=None if decimals in (None, "INF") else int(decimals),
            file=source["file"], line=int(source["line"]), column=int(source.get("column", 1)),
            label=source.get("label", ""), display=source.get("display", ""), entity=str(dims.get("entity", ""))))
    return sorted(found, key=lambda f: (f.line, f.column, f.id))


def load_report(folder: Path) -> list[ReportedFact]:
    """A built report folder (output/NAME/): its NAME.json and sources.json."""
    name = folder.name
    oim = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    sources_path = folder / "sources.json"
    sources = json.loads(sources_path.read_text(encoding="utf-8")) if sources_path.exists() else None
    return reported_facts(name, oim, sources)


def comparative_findings(reports: dict[str, list[ReportedFact]]) -> tuple[list[Finding], int]:
    """Every figure two announcements of one issuer both report (same entity, concept, period,
    dimensions and unit), compared at the lower precision of the two; returns the findings and
    the number of comparisons made. Reports of a registrant they do not name are not compared."""
    chosen: dict[tuple, dict[str, ReportedFact]] = {}
    for name in sorted(reports):
        for fact in reports[name]:
            if unknown_entity(fact.entity):
                continue  # reports that name no registrant may be any issuers': none is compared
            key = (fact.concept, fact.period, fact.dimensions, fact.unit, fact.entity)
            current = chosen.setdefault(key, {}).get(name)
            if current is None or _preference(fact) < _preference(current):
                chosen[key][name] = fact
    found: list[Finding] = []
    compared = 0
    for key in sorted(chosen, key=lambda k: (k[1], k[0], k[2], k[3])):
        by_document = chosen[key]
        names = sorted(by_document)
        for i, first_name in enumerate(names):
            for second_name in names[i + 1:]:
                a, b = by_document[first_name], by_document[second_name]
                compared += 1
                if agree(a.value, a.decimals, b.value, b.decimals):
                    continue
                found.append(_comparative(a, b, chosen))
    return sorted(found, key=_finding_order), compared


def _preference(fact: ReportedFact) -> tuple:
    return (fact.prose, -precision(fact.decimals), fact.line, fact.column)


def _comparative(a: ReportedFact, b: ReportedFact, chosen: dict[tuple, dict[str, ReportedFact]]) -> Finding:
    d = min(precision(a.decimals), precision(b.decimals))
    what = f"{a.concept}{''.join(f' [{m}]' for _, m in a.dimensions)} for {_period_words(a.period)} ({a.unit})"
    figures = f"{b.file} line {b.line} prints {_reported(b)} but {a.file} line {a.line} prints {_reported(a)}"
    if a.decimals != b.decimals:
        figures += f" ({_plain_number(rounded(b.value, d))} against {_plain_number(rounded(a.value, d))} at the lower precision)"
    twin_unit = a.unit.replace("USD", "CNY")
    if twin_unit != a.unit:
        twins = chosen.get((a.concept, a.period, a.dimensions, twin_unit, a.entity), {})
        ta, tb = twins.get(a.document), twins.get(b.document)
        if ta and tb and agree(ta.value, ta.decimals, tb.value, tb.decimals):
            return Finding(
                severity="info", code="source.comparativeAtOtherRate",
                message=(f"{what}: {figures}; their RMB figures agree (line {tb.line}, line {ta.line}: {_reported(tb)}): "
                         "each document translates at its own convenience rate"),
                ref=b.ref, refs=(a.ref,), facts=(f"{b.document}:{b.id}", f"{a.document}:{a.id}"))
    return Finding(
        severity="warning", code="source.comparativeDiffers",
        message=f"{what}: {figures}; a restatement or an error",
        ref=b.ref, refs=(a.ref,), facts=(f"{b.document}:{b.id}", f"{a.document}:{a.id}"))


def _reported(fact: ReportedFact) -> str:
    shown = fact.display or _plain_number(fact.value)
    return f"({shown})" if fact.value < 0 and not shown.startswith(("(", "-")) else shown


def _finding_order(f: Finding) -> tuple:
    return (f.ref.file, f.ref.line, f.ref.column, f.code, f.message)


def _plain_number(value: Decimal) -> str:
    return f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value.normalize():f}"


def _numeric(value: object) -> bool:
    try:
        Decimal(str(value))
    except Exception:
        return False
    return value is not None


def _local(qname: str) -> str:
    return qname.split(":", 1)[1] if ":" in qname else qname


def _unit(unit: str | None) -> str:
    if not unit:
        return "pure"
    return "/".join(_local(m) for m in unit.split("/"))


def _day(text: str, end: bool) -> date:
    """An OIM date: "2025-07-01T00:00:00" as an end is the day before; a bare date is itself."""
    if "T" in text:
        moment = datetime.fromisoformat(text)
        day = moment.date()
        if end and moment.time() == datetime.min.time():
            day -= timedelta(days=1)
        return day
    return date.fromisoformat(text)


def _period(text: str) -> str:
    if "/" in text:
        start, end = text.split("/")
        return f"{_day(start, False).isoformat()}/{_day(end, True).isoformat()}"
    return f"@{_day(text, True).isoformat()}"


def _period_words(period: str) -> str:
    if period.startswith("@"):
        return f"the balance at {period[1:]}"
    start, end = period.split("/")
    return f"{start} to {end}"
