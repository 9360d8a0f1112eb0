"""Shared fixtures: the five bundled samples built once per test session (real Arelle)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from kcxbrl.build import BuildResult, build_all, default_jobs
from kcxbrl.cli import bundled_samples
from kcxbrl.profile import load_profile
from kcxbrl.dts import default_taxonomy

SAMPLE_NAMES = [p.stem for p in bundled_samples()]


@dataclass(frozen=True)
class Built:
    result: BuildResult
    oim: dict  # the xBRL-JSON export Arelle wrote

    def facts(self, concept: str, period: str, unit: str | None = None, **dims: str) -> list[dict]:
        """Facts of `concept` in `period` ('2025-01-01/2025-12-31' or '@2025-12-31'),
        with `unit` ('CNY', 'USD', 'CNY/shares', 'shares', 'pure') and exactly `dims`. Concepts,
        axes and members by local name: the base taxonomy's (kcx:) or the issuer's (kc:)."""
        wanted_period = _oim_period(period)
        found = []
        for fact_id, fact in self.oim["facts"].items():
            d = fact["dimensions"]
            if d["concept"].split(":", 1)[1] != concept or d["period"] != wanted_period:
                continue
            # xBRL-JSON leaves out the unit of pure facts (xbrli:pure is the default)
            if unit is not None and d.get("unit", "xbrli:pure") != _oim_unit(unit):
                continue
            fact_dims = {k.split(":", 1)[1]: v.split(":", 1)[1] for k, v in d.items()
                         if ":" in k and k.split(":", 1)[0] not in ("xbrl", "xbrli")}
            if fact_dims != dims:
                continue
            found.append({"id": fact_id, **fact})
        return found

    def table_facts(self, concept: str, period: str, unit: str | None = None, **dims: str) -> list[dict]:
        """Like facts(), without the figures tagged in the prose."""
        return [f for f in self.facts(concept, period, unit, **dims) if not f["id"].startswith("p-")]


def _oim_period(period: str) -> str:
    from datetime import date, timedelta

    def next_day(text: str) -> str:
        return (date.fromisoformat(text) + timedelta(days=1)).isoformat() + "T00:00:00"

    if period.startswith("@"):
        return next_day(period[1:])
    start, end = period.split("/")
    return f"{start}T00:00:00/{next_day(end)}"


def _oim_unit(unit: str) -> str:
    measures = {"CNY": "iso4217:CNY", "USD": "iso4217:USD", "shares": "xbrli:shares", "pure": "xbrli:pure"}
    return "/".join(measures[m] for m in unit.split("/"))


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Built]:
    out = tmp_path_factory.mktemp("build")
    taxonomy, profile = default_taxonomy(), load_profile("kingsoft-cloud")
    results = {}
    # built at once in worker processes (kcxbrl build --jobs), as tests/test_parallel.py checks
    for outcome in build_all(bundled_samples(), out, taxonomy, profile, jobs=default_jobs()):
        result = outcome.result()
        oim = json.loads((result.folder / f"{result.name}.json").read_text(encoding="utf-8"))
        results[result.name] = Built(result=result, oim=oim)
    return results
