"""How long kcxbrl takes to generate a package, next to how long Arelle takes to load and validate it.

    python -m kcxbrl.benchmark [--repeat N]

For each bundled sample: (a) generate = `build.generate` (read, tag, render, package files) plus
`publish.zip_bytes`, in memory, no Arelle, no disk writes; (b) Arelle = `validation.validate`
of the .xbri written to a temporary folder. Each is timed with time.perf_counter after one warm-up
run, best of N. Prints a markdown table, the Arelle import time and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from kcxbrl import validate as validation
from kcxbrl.build import generate
from kcxbrl.cli import bundled_samples
from kcxbrl.publish import zip_bytes
from kcxbrl.profile import load_profile
from kcxbrl.dts import default_taxonomy


_ARELLE_IMPORT = (
    "from arelle.api.Session import Session\n"
    "from arelle.RuntimeOptions import RuntimeOptions\n"
    "from arelle.ModelDocumentType import ModelDocumentType\n"
)


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Seconds of the fastest of `repeat` runs of `func`, after one warm-up run."""
    func()
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def arelle_import_seconds() -> float:
    """Time to import the Arelle API the adapter uses, in a fresh interpreter (cold, once)."""
    code = f"import time\nt = time.perf_counter()\n{_ARELLE_IMPORT}print(time.perf_counter() - t)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    return (f"{platform.platform()}, {platform.machine()}, Python {platform.python_version()} "
            f"({platform.python_implementation()}), {os.cpu_count()} CPUs")


def run(repeat: int) -> str:
    taxonomy, profile = default_taxonomy(), load_profile("kingsoft-cloud")
    import_seconds = arelle_import_seconds()
    rows, notes = [], []
    with tempfile.TemporaryDirectory(prefix="kcxbrl-bench-") as tmp:
        for path in bundled_samples():
            def make() -> tuple[object, bytes]:
                filing, files = generate(path, taxonomy, profile)
                return filing, zip_bytes(files)

            gen = best_of(repeat, make)
            filing, package = make()
            name = filing.document.name
            facts = filing.fact_count
            xbri = Path(tmp) / f"{name}.xbri"
            xbri.write_bytes(package)
            reports: list[validation.ValidationReport] = []
            arelle = best_of(repeat, lambda: reports.append(validation.validate(xbri)))
            report = reports[-1]
            if report.fact_count != facts:
                notes.append(f"{name}: Arelle loaded {report.fact_count} facts")
            if not report.ok:
                notes.append(f"{name}: not clean ({report.errors} errors, {report.warnings} warnings, "
                             f"{report.inconsistencies} inconsistencies)")
            rows.append((name, facts, gen, arelle))
    lines = [
        f"Best of {repeat} after one warm-up; generate = read to package bytes in memory; "
        "Arelle = load + strict offline validation of the .xbri.",
        "",
        "| sample | facts | generate (ms) | Arelle load+validate (ms) | ratio generate/Arelle |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, facts, gen, arelle in rows:
        lines.append(f"| {name} | {facts} | {gen * 1000:.1f} | {arelle * 1000:.1f} | {gen / arelle:.2f} |")
    lines += [""] + [f"Note: {note}" for note in notes]
    lines.append(viewer_line(repeat, taxonomy, profile))
    lines += [
        f"Arelle import (cold, fresh interpreter, once): {import_seconds * 1000:.0f} ms",
        f"Machine: {machine()}",
    ]
    return "\n".join(lines)


def viewer_line(repeat: int, taxonomy, profile) -> str:
    """The viewer step on its own line (outside generate and Arelle above): ixbrl-viewer on the
    loaded report, per sample (validation.validate's viewer_seconds, best of N)."""
    timings = []
    with tempfile.TemporaryDirectory(prefix="kcxbrl-bench-viewer-") as tmp:
        for path in bundled_samples():
            filing, files = generate(path, taxonomy, profile)
            xbri = Path(tmp) / f"{filing.document.name}.xbri"
            xbri.write_bytes(zip_bytes(files))
            page = validation.Viewer(path=Path(tmp) / "viewer.html")
            reports = [validation.validate(xbri, viewer=page) for _ in range(repeat + 1)][1:]
            timings.append(min(r.viewer_seconds for r in reports))
    return (f"Viewer (NAME/viewer.html, ixbrl-viewer on the loaded report, best of {repeat}): "
            f"{min(timings) * 1000:.0f}-{max(timings) * 1000:.0f} ms per sample")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m kcxbrl.benchmark", description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5, help="timed runs per measurement, best kept (default: 5)")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    print(run(args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
