"""kcxbrl command line: `kcxbrl build` and `kcxbrl validate`.

Exit codes (the worst over all documents):
0 clean; 1 findings in the source (every Arelle inconsistency is traced to a finding about the
announcement's own figures, e.g. prose that contradicts a table); 2 failed validation;
3 an input could not be used (one line naming file and line; nothing written for it);
4 an internal error (a bug: reported in one line, nothing written for that input).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kcxbrl import arelle_adapter
from kcxbrl.build import build_one
from kcxbrl.errors import KcxbrlError
from kcxbrl.profile import DEFAULT_PROFILE, load_profile
from kcxbrl.resources import samples_dir
from kcxbrl.taxonomy_model import default_taxonomy

EXIT_OK, EXIT_SOURCE, EXIT_INVALID, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3, 4


# tokens that are numbers but not figures: years and dates in captions, numbers inside labels
_NOT_FIGURES = {"table.header", "table.label", "table.noteReference", "prose.date", "prose.heading"}


def bundled_samples() -> list[Path]:
    return sorted(samples_dir().glob("*.txt"))


def cmd_build(args: argparse.Namespace) -> int:
    inputs = [Path(p) for p in args.inputs] or bundled_samples()
    out = Path(args.out)
    try:
        taxonomy = default_taxonomy()
        profile = load_profile(args.profile)
    except KcxbrlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    status = EXIT_OK
    for path in inputs:
        try:
            result = build_one(path, out, taxonomy, profile)
        except KcxbrlError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = max(status, EXIT_UNUSABLE)
            continue
        except Exception as exc:  # a bug of ours: still one line, still no partial output
            print(f"error: {path.name}: internal error ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
            status = max(status, EXIT_INTERNAL)
            continue
        v = result.validation
        assert v is not None
        warned = sum(1 for f in result.findings if f.severity != "info")
        print(f"{result.name}: {result.facts} facts, {v.errors} errors, {v.warnings} warnings, "
              f"{v.inconsistencies} inconsistencies, {warned} findings, "
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
    return status


def cmd_validate(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        print(f"error: {path}: file not found", file=sys.stderr)
        return EXIT_UNUSABLE
    report = arelle_adapter.validate(path)
    for m in report.messages:
        where = f"{m.href or path.name}:{m.line}" if m.line else (m.href or path.name)
        print(f"{m.level} {m.code} {where} {m.text}")
    print(f"{path.name}: {report.fact_count} facts, {report.errors} errors, {report.warnings} warnings, "
          f"{report.inconsistencies} inconsistencies, {report.seconds:.2f} s")
    return EXIT_OK if report.ok else EXIT_INVALID


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kcxbrl", description="Results announcements to validated Inline XBRL report packages")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build report packages (default: the bundled samples)")
    b.add_argument("inputs", nargs="*", metavar="INPUT.txt")
    b.add_argument("--out", default="output", help="output folder (default: output)")
    b.add_argument("--profile", default=DEFAULT_PROFILE, help="issuer profile name or .toml path")
    b.set_defaults(func=cmd_build)
    v = sub.add_parser("validate", help="validate a .xbri or .xhtml strictly, offline")
    v.add_argument("path")
    v.set_defaults(func=cmd_validate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
