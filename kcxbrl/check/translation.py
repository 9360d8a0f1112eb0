"""Translation (`source.translation`): every US$ figure against its RMB figure of the same concept,
period and dimensions at the document's stated convenience rate. The tolerance follows from the
printed rounding of both figures, plus one unit of the US$ figure's last place (issuers translate
before rounding, and routinely land one unit away); a total's US$ figure is often the sum of
rounded US$ lines, so a total may be off by another half unit per line it sums. What is reported
is therefore a figure that no rounding explains, such as a translation copied from the wrong cell.
"""

from __future__ import annotations

from decimal import Decimal

from kcxbrl.dts import Taxonomy
from kcxbrl.findings import Finding
from kcxbrl.rounding import half_unit
from kcxbrl.understand import Fact


USD_UNITS = ("USD", "USD_per_share")

def translation_findings(facts: tuple[Fact, ...] | list[Fact], rate: Decimal | None, taxonomy: Taxonomy) -> list[Finding]:
    if rate is None:
        return []
    lines_summed: dict[str, int] = {}
    for role in taxonomy.roles:
        for summation in role.calc:
            lines_summed[summation.total] = max(lines_summed.get(summation.total, 0), len(summation.items))
    rmb: dict[tuple, Fact] = {}
    for fact in facts:
        if fact.unit in ("CNY", "CNY_per_share") and fact.value is not None:
            rmb.setdefault((fact.concept, fact.context, fact.unit.replace("CNY", "USD")), fact)
    found: list[Finding] = []
    seen: set[tuple] = set()
    for fact in facts:
        if fact.unit not in USD_UNITS or fact.value is None or fact.in_prose:
            continue
        key = (fact.concept, fact.context, fact.unit)
        twin = rmb.get(key)
        if twin is None or key in seen:
            continue
        usd_half = _half_unit(fact)
        tolerance = usd_half * (3 + lines_summed.get(fact.concept, 0)) * rate + _half_unit(twin)
        expected = twin.value / rate
        if abs(fact.value * rate - twin.value) > tolerance:
            seen.add(key)
            found.append(Finding(
                severity="warning", code="source.translation",
                message=(f"US${fact.display} ({fact.concept}, {fact.context.id}) does not translate RMB{twin.display} "
                         f"(line {twin.source.line}) at RMB{rate} per US$1.00: expected about US${_shown(abs(expected), fact)}"),
                ref=fact.source, facts=(fact.id, twin.id), refs=(twin.source,)))
    return found


def _half_unit(fact: Fact) -> Decimal:
    return half_unit(fact.decimals)


def _shown(value: Decimal, like: Fact) -> str:
    scaled = value / Decimal(10) ** like.scale
    places = max(0, int(like.decimals) + like.scale) if like.decimals not in (None, "INF") else 0
    return f"{scaled:,.{places}f}"
