"""kcxbrl command line: `kcxbrl build`, `kcxbrl check` and `kcxbrl validate`.

Exit codes (the worst over all documents):
0 clean; 1 findings in the source (every Arelle inconsistency is traced to a finding about the
announcement's own figures, e.g. prose that contradicts a table); 2 failed validation;
3 an input could not be used (one line naming file and line; nothing written for it);
4 an internal error (a bug: reported in one line, nothing written for that input).
Figures that two announcements report differently (`source.comparativeDiffers`) are source
findings too (1); US$ figures that differ only because each document translates at its own
convenience rate (`source.comparativeAtOtherRate`) are listed but do not raise the exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

from kcxbrl import validate as validation
from kcxbrl.build import BuildResult, build_one
from kcxbrl.check import ReportedFact, comparative_findings, load_report, reported_facts
from kcxbrl.dts import default_taxonomy
from kcxbrl.errors import KcxbrlError
from kcxbrl.findings import Finding
from kcxbrl.profile import bundled_profiles, load_profile
from kcxbrl.publish import findings_json
from kcxbrl.resources import samples_dir

EXIT_OK, EXIT_SOURCE, EXIT_INVALID, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3, 4


# tokens that are numbers but not figures: years and dates in captions, numbers inside labels
_NOT_FIGURES = {"table.header", "table.label", "table.noteReference", "prose.date", "prose.heading"}


def bundled_samples() -> list[Path]:
    return sorted(samples_dir().glob("*.txt"))


def cmd_build(args: argparse.Namespace) -> int:
    inputs = [Path(p) for p in args.inputs] or bundled_samples()
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(f"error: {out}: the output folder is a file", file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        taxonomy = default_taxonomy()
        profile = load_profile(args.profile, taxonomy) if args.profile else None
        bundled_profiles(taxonomy)  # a broken bundled profile is an error before anything is built
    except KcxbrlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:  # a broken installation (taxonomy source): one line, not a traceback
        print(f"error: internal error loading the taxonomy or profile ({type(exc).__name__}: {exc}); please report it"
              .replace("\n", " "), file=sys.stderr)
        return EXIT_INTERNAL
    status = EXIT_OK
    built: list[BuildResult] = []
    for path in inputs:
        try:
            result = build_one(path, out, taxonomy, profile, tag_all_prose=args.tag_all_prose)
        except KcxbrlError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = max(status, EXIT_UNUSABLE)
            continue
        except Exception as exc:  # a bug of ours: still one line, still no partial output
            print(f"error: {path.name}: internal error ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
            status = max(status, EXIT_INTERNAL)
            continue
        built.append(result)
        v = result.validation
        assert v is not None
        warned = sum(1 for f in result.findings if f.severity != "info")
        print(f"{result.name}: {result.facts} facts, {v.errors} errors, {v.warnings} warnings, "
              f"{v.inconsistencies} inconsistencies, {v.assertions} failed assertions, {warned} findings, "
              f"{result.generate_seconds + v.seconds:.2f} s -> {result.package}")
        in_tables = sum(n for rule, n in result.coverage.items() if rule.startswith("table.") and rule not in _NOT_FIGURES)
        in_prose = sum(n for rule, n in result.coverage.items() if rule.startswith("prose.") and rule not in _NOT_FIGURES)
        print(f"  coverage: {in_tables} untagged figures in tables, {in_prose} in prose (coverage.json gives each with its rule)")
        for f in result.findings:
            if f.code.startswith("source."):
                print(f"  source {f.ref}: {f.message}")
        if result.status == "source":
            status = max(status, EXIT_SOURCE)
        elif result.status == "invalid":
            status = max(status, EXIT_INVALID)
            for m in v.messages[:20]:
                print(f"  {m.level} {m.code} {m.href or ''}:{m.line or ''} {m.text[:200]}")
    if built:
        print("checks (the announcements' own figures; NAME/checks.json gives each in full):")
        for result in built:
            print(f"  {result.name}: {_checks_line([f for f in result.findings if f.code.startswith('source.')])}")
    if len(built) >= 2:
        reports = {result.name: load_report(result.folder) for result in built}
        across, compared = comparative_findings(reports)
        _write_atomically(out / "checks.json", findings_json(tuple(across)))
        status = max(status, _print_comparatives(across, compared, len(reports), out / "checks.json"))
    return status


def _checks_line(findings: list[Finding]) -> str:
    """'none' or the count per check with the lines: 'translation 4 (lines 89, 90, 96, 98); ...'."""
    if not findings:
        return "none"
    lines: dict[str, list[int]] = {}
    for f in findings:
        lines.setdefault(f.code.removeprefix("source."), []).append(f.ref.line)
    return "; ".join(f"{code} {len(at)} (line{'s' if len(at) > 1 else ''} {', '.join(str(n) for n in sorted(at))})"
                     for code, at in sorted(lines.items()))


def _print_comparatives(findings: list[Finding], compared: int, documents: int, written: Path | None) -> int:
    """The cross-document summary and one line per finding; the exit code they call for."""
    counts = Counter(f.code.removeprefix("source.") for f in findings)
    what = ", ".join(f"{n} {code}" for code, n in sorted(counts.items())) or "all agree"
    where = f" -> {written}" if written else ""
    print(f"  across {documents} documents: {compared} figures compared, {what}{where}")
    for f in findings:
        print(f"    {f.severity} {f.code.removeprefix('source.')} {f.ref.file}:{f.ref.line}: {f.message}")
    return EXIT_SOURCE if any(f.severity != "info" for f in findings) else EXIT_OK


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def cmd_check(args: argparse.Namespace) -> int:
    """Compare already-built reports across documents (no rebuilding): report folders
    (output/NAME/, with NAME.json and sources.json), .xbri packages, or a folder of them."""
    reports: dict[str, list[ReportedFact]] = {}
    for raw in args.paths:
        try:
            for name, facts in _built_reports(Path(raw)):
                reports[name] = facts
        except (OSError, ValueError, KeyError) as exc:
            print(f"error: {raw}: not a built report ({type(exc).__name__}: {exc})", file=sys.stderr)
            return EXIT_UNUSABLE
    if len(reports) < 2:
        print(f"error: {len(reports)} report(s) found; comparing needs two or more", file=sys.stderr)
        return EXIT_UNUSABLE
    findings, compared = comparative_findings(reports)
    print("checks across documents: " + ", ".join(sorted(reports)))
    return _print_comparatives(findings, compared, len(reports), None)


def _built_reports(path: Path) -> list[tuple[str, list[ReportedFact]]]:
    if path.is_dir() and (path / f"{path.name}.json").is_file():
        return [(path.name, load_report(path))]
    if path.is_file() and path.suffix.lower() == ".xbri":
        beside = path.with_suffix("")
        if (beside / f"{beside.name}.json").is_file():
            return [(beside.name, load_report(beside))]
        return [(path.stem, _exported(path))]
    if path.is_dir():
        found = [(sub.name, load_report(sub)) for sub in sorted(path.iterdir())
                 if sub.is_dir() and (sub / f"{sub.name}.json").is_file()]
        if found:
            return found
    raise ValueError("expected an output/NAME folder, a NAME.xbri package or a folder of them")


def _exported(package: Path) -> list[ReportedFact]:
    """A package without its output folder: Arelle exports its xBRL-JSON; lines and columns
    come from the fact ids."""
    import json

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"{package.stem}.json"
        report = validation.validate(package, export_json=target)
        if not target.exists():
            raise ValueError(f"Arelle could not load it ({report.errors} errors)")
        oim = json.loads(target.read_text(encoding="utf-8"))
    return reported_facts(package.stem, oim, None)


def cmd_validate(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        print(f"error: {path}: file not found", file=sys.stderr)
        return EXIT_UNUSABLE
    report = validation.validate(path)
    for m in report.messages:
        where = f"{m.href or path.name}:{m.line}" if m.line else (m.href or path.name)
        print(f"{m.level} {m.code} {where} {m.text}")
    print(f"{path.name}: {report.fact_count} facts, {report.errors} errors, {report.warnings} warnings, "
          f"{report.inconsistencies} inconsistencies, {report.assertions} failed assertions, {report.seconds:.2f} s")
    return EXIT_OK if report.ok else EXIT_INVALID


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kcxbrl", description="Results announcements to validated Inline XBRL report packages")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build report packages (default: the bundled samples)")
    b.add_argument("inputs", nargs="*", metavar="INPUT.txt")
    b.add_argument("--out", default="output", help="output folder (default: output)")
    b.add_argument("--profile", default=None,
                   help="issuer profile name or .toml path (default: the bundled profile the document names, "
                        "else the identity the document states)")
    b.add_argument("--tag-all-prose", action="store_true",
                   help="tag every figure of the text as printed, also one a table's figure contradicts (the report then "
                        "carries inconsistent duplicates; by default such a figure is reported and left untagged)")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="compare built reports across documents (no rebuilding)")
    c.add_argument("paths", nargs="+", metavar="PATH", help="output/NAME folders, NAME.xbri packages, or a folder of them")
    c.set_defaults(func=cmd_check)
    v = sub.add_parser("validate", help="validate a .xbri or .xhtml strictly, offline")
    v.add_argument("path")
    v.set_defaults(func=cmd_validate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
