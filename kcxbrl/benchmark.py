"""How long kcxbrl takes, next to how long Arelle takes on the same packages.

    python -m kcxbrl.benchmark [--repeat N] [--scale 1000,2500,5000,10000,20000]

Prints, side by side, in one run (markdown tables):

1. per bundled sample: generate = `build.generate` (read, tag, check, render, package files)
   plus `publish.zip_bytes`, in memory, no Arelle, no disk writes; Arelle = `validate.validate`
   of the .xbri (load + strict offline validation, formula assertions run), and Arelle on the
   same package without the formula linkbase (its -for.xml files and their linkbaseRefs taken
   out); the runs of the two Arelle variants alternate;
2. scaling: a synthetic announcement the benchmark writes itself (the 2025 annual sample, then
   its primary statements again and again, each copy's years moved by a multiple of three so
   that every copy reports periods of its own), generated in a fresh interpreter per size: facts, seconds,
   facts per second, the most memory generating held at once (tracemalloc) and the process's
   peak RSS (imports and taxonomy included);
3. whole process: `kcxbrl build` of one sample (a fresh interpreter: imports, generation,
   Arelle, xBRL-JSON export, the JSON files) next to Arelle's own command line validating the
   same package with the same strict options (a fresh interpreter too);
4. the five samples built with `--jobs 1` and `--jobs 2` (fresh interpreters, alternating).

Each timing is the best of N runs after one warm-up (the scaling table: best of two). The
machine is shared and timings are noisy: the ratios compare runs made next to each other.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from kcxbrl import validate as validation
from kcxbrl.build import generate
from kcxbrl.cli import bundled_samples
from kcxbrl.dts import default_taxonomy
from kcxbrl.profile import load_profile
from kcxbrl.publish import zip_bytes

_ARELLE_IMPORT = (
    "from arelle.api.Session import Session\n"
    "from arelle.RuntimeOptions import RuntimeOptions\n"
    "from arelle.ModelDocumentType import ModelDocumentType\n"
)
# the options of kcxbrl.validate.arelle_adapter, on Arelle's own command line
ARELLE_CLI_OPTIONS = ("--validate", "--calc=c11r", "--utr", "--validateDuplicateFacts=inconsistent",
                      "--formula=run", "--formulaAsserResultCounts", "--workOffline", "--disablePersistentConfig")
SCALE_SAMPLE = "kc-2025-annual-results"
DEFAULT_SCALE = (1000, 2500, 5000, 10000, 20000)
_STATEMENTS = re.compile(r"^UNAUDITED CONDENSED CONSOLIDATED STATEMENTS OF COMPREHENSIVE LOSS$.*?(?=^NOTES TO )",
                         re.MULTILINE | re.DOTALL)
_YEAR = re.compile(r"(?<![\d,.])(19|20)\d\d(?![\d,])")
_BACK, _FORWARD = (2023 - 1900) // 3, (2099 - 2025) // 3  # copies before and after the sample's years
_FORMULA_REF = re.compile(rb'\s*<link:linkbaseRef [^>]*xlink:href="[^"]*-for\.xml"[^>]*/>')


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Seconds of the fastest of `repeat` runs of `func`, after one warm-up run."""
    func()
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def best_of_alternating(repeat: int, *funcs: Callable[[], object]) -> list[float]:
    """best_of for several functions whose runs alternate (a, b, a, b, ...), so that a change in
    the machine's load falls on all of them alike."""
    for func in funcs:
        func()
    best = [float("inf")] * len(funcs)
    for _ in range(repeat):
        for k, func in enumerate(funcs):
            started = time.perf_counter()
            func()
            best[k] = min(best[k], time.perf_counter() - started)
    return best


def arelle_import_seconds() -> float:
    """Time to import the Arelle API the adapter uses, in a fresh interpreter (cold, once)."""
    code = f"import time\nt = time.perf_counter()\n{_ARELLE_IMPORT}print(time.perf_counter() - t)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> str:
    return (f"{platform.platform()}, {cpu_model()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()} ({platform.python_implementation()})")


def without_formulas(files: dict[str, bytes]) -> dict[str, bytes]:
    """The same package without its formula linkbases (the -for.xml files and the schemas'
    references to them)."""
    return {name: (_FORMULA_REF.sub(b"", data) if name.endswith(".xsd") else data)
            for name, data in files.items() if not name.endswith("-for.xml")}


def synthetic_document(copies: int) -> str:
    """The 2025 annual sample followed by `copies` copies of its primary statements, the years of
    each copy moved by a multiple of three, back and forth (the statements print two years and
    the balance at the start of the earlier one: three years a copy, so no two copies share a
    period, and years stay within 1900-2099, which the reader takes for years)."""
    if copies > _BACK + _FORWARD:
        raise ValueError(f"at most {_BACK + _FORWARD} copies (years 1900-2099)")
    text = next(p for p in bundled_samples() if p.stem == SCALE_SAMPLE).read_text(encoding="utf-8")
    match = _STATEMENTS.search(text)
    assert match, "the sample's statements"
    statements = match.group(0)
    parts = [text.rstrip("\n"), ""]
    for k in range(1, copies + 1):
        shift = -3 * k if k <= _BACK else 3 * (k - _BACK)  # back to 1900, then forward up to 2099
        parts.append(_YEAR.sub(lambda m: str(int(m.group(0)) + shift), statements).rstrip("\n"))
        parts.append("")
    return "\n".join(parts) + "\n"


_SCALE_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from kcxbrl.build import generate
from kcxbrl.dts import default_taxonomy
from kcxbrl.profile import load_profile
from kcxbrl.publish import zip_bytes
taxonomy, profile = default_taxonomy(), load_profile("kingsoft-cloud")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
best = float("inf")
for _ in range(2):
    started = time.perf_counter()
    filing, files = generate(Path(sys.argv[1]), taxonomy, profile)
    zip_bytes(files)
    best = min(best, time.perf_counter() - started)
    facts = filing.fact_count
    del filing, files
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import tracemalloc  # a third run, traced (slower, so not timed): what generating itself allocates at most
tracemalloc.start()
filing, files = generate(Path(sys.argv[1]), taxonomy, profile)
zip_bytes(files)
traced = tracemalloc.get_traced_memory()[1]
print(json.dumps({"facts": facts, "seconds": best, "peak_kb": peak, "before_kb": before, "traced": traced}))
"""


def _child_env() -> dict[str, str]:
    """This interpreter's kcxbrl for the fresh interpreters (a checkout run with PYTHONPATH too)."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def scaling(sizes: tuple[int, ...], tmp: Path) -> list[dict]:
    """Generation of synthetic announcements of about `sizes` facts, each in a fresh interpreter."""
    per_copy, base = _facts_per_copy(tmp)
    rows = []
    for size in sizes:
        copies = max(0, round((size - base) / per_copy))
        path = tmp / f"synthetic-{size}.txt"
        path.write_text(synthetic_document(copies), encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", _SCALE_CHILD, str(path)], capture_output=True, text=True,
                              env=_child_env(), check=True)
        rows.append({"copies": copies, **json.loads(done.stdout.strip().splitlines()[-1])})
    return rows


def _facts_per_copy(tmp: Path) -> tuple[float, int]:
    taxonomy, profile = default_taxonomy(), load_profile("kingsoft-cloud")
    counts = []
    for copies in (0, 8):
        path = tmp / f"synthetic-probe-{copies}.txt"
        path.write_text(synthetic_document(copies), encoding="utf-8")
        counts.append(generate(path, taxonomy, profile)[0].fact_count)
    return (counts[1] - counts[0]) / 8, counts[0]


def _run(command: list[str], env: dict[str, str] | None = None) -> Callable[[], None]:
    def run() -> None:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**_child_env(), **(env or {})})
    return run


def samples_table(repeat: int, tmp: Path) -> tuple[list[str], list[str]]:
    taxonomy, profile = default_taxonomy(), load_profile("kingsoft-cloud")
    lines = [
        "| sample | facts | generate (ms) | Arelle (ms) | Arelle without formulas (ms) | Arelle with/without formulas "
        "| generate/Arelle |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    notes: list[str] = []
    totals = [0.0, 0.0, 0.0]
    for path in bundled_samples():
        def make() -> tuple[object, dict[str, bytes]]:
            filing, files = generate(path, taxonomy, profile)
            zip_bytes(files)
            return filing, files

        gen = best_of(repeat, make)
        filing, files = generate(path, taxonomy, profile)
        name = filing.document.name
        with_f, without_f = tmp / f"{name}.xbri", tmp / "plain" / f"{name}.xbri"
        without_f.parent.mkdir(exist_ok=True)
        with_f.write_bytes(zip_bytes(files))
        without_f.write_bytes(zip_bytes(without_formulas(files)))
        reports: list[validation.ValidationReport] = []
        arelle, plain = best_of_alternating(repeat, lambda: reports.append(validation.validate(with_f)),
                                            lambda: validation.validate(without_f))
        report = reports[-1]
        if report.fact_count != filing.fact_count:
            notes.append(f"{name}: Arelle loaded {report.fact_count} facts, kcxbrl made {filing.fact_count}")
        if not report.ok:
            notes.append(f"{name}: not clean ({report.errors} errors, {report.warnings} warnings, "
                         f"{report.inconsistencies} inconsistencies, {report.assertions} failed assertions)")
        totals = [totals[0] + gen, totals[1] + arelle, totals[2] + plain]
        lines.append(f"| {name} | {filing.fact_count} | {gen * 1000:.1f} | {arelle * 1000:.1f} | {plain * 1000:.1f} "
                     f"| {arelle / plain:.2f} | {gen / arelle:.1%} |")
    lines.append(f"| all five | | {totals[0] * 1000:.1f} | {totals[1] * 1000:.1f} | {totals[2] * 1000:.1f} "
                 f"| {totals[1] / totals[2]:.2f} | {totals[0] / totals[1]:.1%} |")
    return lines, notes


def whole_process(repeat: int, tmp: Path) -> list[str]:
    path = next(p for p in bundled_samples() if p.stem == SCALE_SAMPLE)
    out = tmp / "whole"
    build = [sys.executable, "-m", "kcxbrl.cli", "build", str(path), "--out", str(out), "--jobs", "1"]
    _run(build)()
    package = out / f"{path.stem}.xbri"
    arelle = [sys.executable, "-m", "arelle.CntlrCmdLine", "--file", str(package.resolve()), *ARELLE_CLI_OPTIONS]
    # Arelle's config and cache where kcxbrl keeps them (XDG_CONFIG_HOME, as the adapter sets it)
    kc, ar = best_of_alternating(repeat, _run(build), _run(arelle, {"XDG_CONFIG_HOME": str(validation.arelle_home())}))
    return [
        "| command (fresh interpreter) | seconds |",
        "|---|---:|",
        f"| `kcxbrl build {path.name} --jobs 1` (read to validated package, xBRL-JSON and JSON files) | {kc:.2f} |",
        f"| Arelle's command line validating its package (`{' '.join(ARELLE_CLI_OPTIONS)}`) | {ar:.2f} |",
        f"| ratio | {kc / ar:.2f} |",
    ]


def jobs_table(repeat: int, tmp: Path) -> list[str]:
    build = [sys.executable, "-m", "kcxbrl.cli", "build"]
    serial = _run([*build, "--out", str(tmp / "jobs1"), "--jobs", "1"])
    parallel = _run([*build, "--out", str(tmp / "jobs2"), "--jobs", "2"])
    one, two = best_of_alternating(repeat, serial, parallel)
    same = _tree(tmp / "jobs1") == _tree(tmp / "jobs2")
    return [
        "| `kcxbrl build` of the five samples | seconds |",
        "|---|---:|",
        f"| `--jobs 1` | {one:.2f} |",
        f"| `--jobs 2` | {two:.2f} |",
        f"| ratio | {two / one:.2f} |",
        "",
        f"Outputs of the two identical: {'yes' if same else 'NO'}",
    ]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(repeat: int, sizes: tuple[int, ...]) -> str:
    import_seconds = arelle_import_seconds()
    with tempfile.TemporaryDirectory(prefix="kcxbrl-bench-") as name:
        tmp = Path(name)
        samples, notes = samples_table(repeat, tmp)
        scale = scaling(sizes, tmp)
        whole = whole_process(repeat, tmp)
        jobs = jobs_table(repeat, tmp)
    viewer = viewer_line(repeat, default_taxonomy(), load_profile("kingsoft-cloud"))
    lines = [
        f"Best of {repeat} after one warm-up. Machine: {machine()}.",
        "",
        "Per sample: generate = read to package bytes in memory; Arelle = load + strict offline validation "
        "of the .xbri, formula assertions included, and the same package without its formula linkbase.",
        "",
        *samples,
        "",
        *[f"Note: {note}" for note in notes],
        viewer,
        f"Arelle import (cold, fresh interpreter, once): {import_seconds * 1000:.0f} ms",
        "",
        f"Scaling: the {SCALE_SAMPLE} sample and N copies of its primary statements under periods of their own, "
        "generated in a fresh interpreter (best of two); peak MB = the most Python memory generating one document "
        "held at once (tracemalloc, a third run); peak RSS = the process's, imports and taxonomy included.",
        "",
        "| facts | copies | seconds | facts/s | peak MB (generation, tracemalloc) | peak RSS MB (process) |",
        "|---:|---:|---:|---:|---:|---:|",
        *[f"| {r['facts']} | {r['copies']} | {r['seconds']:.2f} | {r['facts'] / r['seconds']:,.0f} "
          f"| {r['traced'] / 2**20:.0f} | {r['peak_kb'] / 1024:.0f} |" for r in scale],
        "",
        "Whole process, one document:",
        "",
        *whole,
        "",
        "Parallel builds:",
        "",
        *jobs,
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
    p.add_argument("--scale", default=",".join(str(n) for n in DEFAULT_SCALE),
                   help="fact counts of the synthetic announcements (default: %(default)s)")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    try:
        sizes = tuple(int(n) for n in args.scale.split(",") if n.strip())
    except ValueError:
        p.error("--scale takes fact counts separated by commas")
    print(run(args.repeat, sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
