"""Shared fixtures: the five bundled samples built once per test session (real Arelle)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

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


def build_and_load(path: Path, out: Path, taxonomy=None, **options) -> Built:
    """One document built by the real pipeline (`build_one`, Arelle included) and its xBRL-JSON
    export loaded back."""
    from kcxbrl.build import build_one

    result = build_one(path, out, taxonomy or default_taxonomy(), **options)
    return Built(result=result, oim=json.loads((result.folder / f"{result.name}.json").read_text(encoding="utf-8")))


def build_each(paths: dict[str, Path], out: Path, **options) -> dict[str, Built]:
    """Each document built into `out` with one taxonomy and loaded back, by the name given."""
    taxonomy = default_taxonomy()
    return {name: build_and_load(path, out, taxonomy, **options) for name, path in paths.items()}


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
    """The five samples, built once per test run: with pytest-xdist (pyproject's addopts), the
    first worker to get here builds them into the folder the workers share and the others read
    its results (the built folders are read-only for the tests: a test that changes a report
    copies it first)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        results = _build_samples(tmp_path_factory.mktemp("build"))
    else:
        shared = tmp_path_factory.getbasetemp().parent
        with FileLock(str(shared / "built.lock")):
            index = shared / "built.json"
            if index.is_file():
                results = [BuildResult.model_validate_json(line) for line in index.read_text(encoding="utf-8").splitlines()]
            else:
                results = _build_samples(shared / "build")
                index.write_text("".join(r.model_dump_json() + "\n" for r in results), encoding="utf-8")
    return {r.name: Built(result=r, oim=json.loads((r.folder / f"{r.name}.json").read_text(encoding="utf-8")))
            for r in results}


def _build_samples(out: Path) -> list[BuildResult]:
    taxonomy, profile = default_taxonomy(), load_profile("kingsoft-cloud")
    # built at once in worker processes (kcxbrl build --jobs), as tests/test_parallel.py checks
    return [outcome.result() for outcome in build_all(bundled_samples(), out, taxonomy, profile, jobs=default_jobs())]
