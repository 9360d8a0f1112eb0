"""kcxbrl command line: `kcxbrl build`, `kcxbrl check`, `kcxbrl validate`, `kcxbrl profile init`.

Every command uses one scale of exit codes (EXIT_CODES, also in --help).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import secrets
import signal
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import TextIO

from kcxbrl import __version__
from kcxbrl import validate as validation
from kcxbrl.build import BuildResult, build_all, default_jobs
from kcxbrl.check import ReportedFact, comparative_findings, load_report, reported_facts
from kcxbrl.dts import default_taxonomy
from kcxbrl.errors import KcxbrlError, display_name
from kcxbrl.findings import Finding
from kcxbrl.profile import bundled_profiles, load_profile
from kcxbrl.profile_init import starting_profile
from kcxbrl.publish import NOT_FIGURES, REVIEW_PAGE, findings_json, review_page
from kcxbrl.resources import samples_dir

EXIT_OK, EXIT_SOURCE, EXIT_INVALID, EXIT_UNUSABLE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_CODES = {
    EXIT_OK: "packages written and valid; findings are reported, not fatal",
    EXIT_SOURCE: "with --strict: the announcements' own figures have findings (source.*)",
    EXIT_INVALID: "a package fails validation",
    EXIT_UNUSABLE: "an input or the output folder cannot be used (one line naming the file)",
    EXIT_INTERNAL: "a bug of kcxbrl's (one line; please report it)",
    EXIT_INTERRUPTED: "interrupted",
}
_EPILOG = "exit codes:\n" + "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES.items())

_NOT_FIGURES = NOT_FIGURES  # tokens that are numbers but not figures (publish/review.py)
CHECKS_FILE = "checks.json"


class Console:
    """stdout and stderr that survive a closed pipe (`kcxbrl build | head`) and a console that
    is not UTF-8: the build goes on and writes everything; what cannot be printed is dropped or
    escaped, never a traceback."""

    def __init__(self) -> None:
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "reconfigure"):
                stream.reconfigure(errors="backslashreplace")
        self._closed: set[int] = set()

    def _write(self, stream: TextIO, text: str) -> None:
        if id(stream) in self._closed:
            return
        try:
            stream.write(text + "\n")
            stream.flush()
        except BrokenPipeError:
            self._closed.add(id(stream))
            try:  # the reader went away: later writes go nowhere (and Python's exit flush too)
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
            except (OSError, ValueError):
                pass

    def out(self, text: str) -> None:
        self._write(sys.stdout, text)

    def err(self, text: str) -> None:
        self._write(sys.stderr, text)

    def progress(self, text: str) -> None:
        """Progress on a terminal only: no noise in a pipe or a log."""
        if sys.stderr.isatty():
            self._write(sys.stderr, text)


def bundled_samples() -> list[Path]:
    return sorted(samples_dir().glob("*.txt"))


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"


def _output_clashes(inputs: list[Path]) -> list[str]:
    """Inputs that would write the same output name (2024/results.txt, 2025/results.txt; names
    that differ only in case, for a file system that does not tell them apart)."""
    by_name: dict[str, list[Path]] = {}
    for path in inputs:
        by_name.setdefault(path.stem.casefold(), []).append(path)
    return [" and ".join(display_name(str(p)) for p in paths) for paths in by_name.values() if len(paths) > 1]


def cmd_build(args: argparse.Namespace, console: Console) -> int:
    inputs = [Path(p) for p in args.inputs] or bundled_samples()
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        console.err(f"error: {display_name(str(out))}: the output folder is a file")
        return EXIT_UNUSABLE
    clashes = _output_clashes(inputs)
    if clashes:
        console.err(f"error: {clashes[0]} would write the same output name; rename one (nothing was written)")
        return EXIT_UNUSABLE
    try:
        taxonomy = default_taxonomy()
        profile = load_profile(args.profile, taxonomy) if args.profile else None
        bundled_profiles(taxonomy)  # a broken bundled profile is an error before anything is built
    except KcxbrlError as exc:
        console.err(f"error: {exc}")
        return EXIT_UNUSABLE
    except Exception as exc:  # a broken installation (taxonomy source): one line, not a traceback
        console.err(f"error: internal error loading the taxonomy or profile ({type(exc).__name__}: {exc}); "
                    "please report it".replace("\n", " "))
        return EXIT_INTERNAL
    status = EXIT_OK
    output_failed = False
    built: list[BuildResult] = []
    try:
        outcomes = build_all(inputs, out, taxonomy, profile, jobs=args.jobs or default_jobs(), scheduler=args.scheduler,
                             tag_all_prose=args.tag_all_prose, viewer=not args.no_viewer)
    except KcxbrlError as exc:  # a scheduler that cannot be reached
        console.err(f"error: {exc}")
        return EXIT_UNUSABLE
    for number, outcome in enumerate(outcomes, start=1):
        _Interrupts.check()
        path = outcome.path
        console.progress(f"[{number}/{len(inputs)}] {display_name(path.stem)}")
        try:
            result = outcome.result()
        except KcxbrlError as exc:
            console.err(f"error: {exc}")
            status = max(status, EXIT_UNUSABLE)
            continue
        except OSError as exc:  # the output folder (an input's errors are InputError): not writable, disk full
            console.err(f"error: {_os_error(exc, out)}")
            status = max(status, EXIT_UNUSABLE)
            output_failed = True
            break  # the documents after it would fail the same way: one line says it
        except Exception as exc:  # a bug of ours: still one line, still no partial output
            console.err(f"error: {display_name(path.name)}: internal error ({type(exc).__name__}: {exc}); please report it")
            status = max(status, EXIT_INTERNAL)
            continue
        built.append(result)
        status = max(status, _report_document(result, console, args.strict))
    _Interrupts.check()
    if built:
        console.out("checks (the announcements' own figures; NAME/checks.json gives each in full):")
        for result in built:
            console.out(f"  {result.name}: {_checks_line([f for f in result.findings if f.code.startswith('source.')])}")
    try:
        across = _compare_folder(out, console) if built else []
    except OSError as exc:
        if not output_failed:  # the same folder's error is said once
            console.err(f"error: {_os_error(exc, out / CHECKS_FILE, 'the comparison across documents was not written')}")
        status = max(status, EXIT_UNUSABLE)
        across = []
    if args.strict and any(f.severity != "info" for f in across):
        status = max(status, EXIT_SOURCE)
    if built:  # the review page of every report in the folder, this build's and earlier ones
        try:
            _write_atomically(out / REVIEW_PAGE, review_page(out))
            console.out(f"review: {out / REVIEW_PAGE} (every report, its viewer, counts and findings)")
        except OSError as exc:
            console.err(f"error: {_os_error(exc, out / REVIEW_PAGE)}")
            status = max(status, EXIT_UNUSABLE)
    if built or len(inputs) > 1:  # a single input that could not be used: its error line says it all
        console.out(_summary(inputs, built, across, status))
    return status


def _report_document(result: BuildResult, console: Console, strict: bool) -> int:
    """The document's lines; the exit code it calls for."""
    v = result.validation
    assert v is not None
    warned = sum(1 for f in result.findings if f.severity != "info")
    console.out(f"{result.name}: {_plural(result.facts, 'fact')}, {_plural(v.errors, 'error')}, "
                f"{_plural(v.warnings, 'warning')}, {_plural(v.inconsistencies, 'inconsistency', 'inconsistencies')}, "
                f"{_plural(v.assertions, 'failed assertion')}, {_plural(warned, 'finding')}, "
                f"{result.generate_seconds + v.seconds:.2f} s -> {result.package}")
    in_tables = sum(n for rule, n in result.coverage.items() if rule.startswith("table.") and rule not in _NOT_FIGURES)
    in_prose = sum(n for rule, n in result.coverage.items() if rule.startswith("prose.") and rule not in _NOT_FIGURES)
    console.out(f"  coverage: {_plural(in_tables, 'untagged figure')} in tables, {in_prose:,} in prose "
                "(coverage.json gives each with its rule)")
    for f in result.findings:
        if f.code.startswith("source."):
            console.out(f"  source {f.ref}: {f.message}")
    if result.status == "invalid":
        for m in v.messages[:20]:
            console.out(f"  {m.level} {m.code} {m.href or ''}:{m.line or ''} {m.text[:200]}")
        return EXIT_INVALID
    if result.status == "source" and strict:
        return EXIT_SOURCE
    return EXIT_OK


def _os_error(exc: OSError, where: Path, outcome: str = "nothing of this document was published") -> str:
    """One line naming the path that failed, as the user knows it: a file being staged
    (out/.kcxbrl-.../NAME/...) is named where it was going (out/NAME/...)."""
    failed = str(exc.filename) if exc.filename else str(where)
    path = display_name(os.sep.join(part for part in failed.split(os.sep) if not part.startswith(".kcxbrl-")))
    reason = "no space left on the device" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    return f"{path}: {reason}; {outcome}"


def _summary(inputs: list[Path], built: list[BuildResult], across: list[Finding], status: int) -> str:
    facts = sum(r.facts for r in built)
    findings = sum(1 for r in built for f in r.findings if f.severity != "info")
    source = sum(1 for r in built for f in r.findings if f.code.startswith("source."))
    return (f"{_plural(len(inputs), 'document')}, {_plural(len(built), 'package')} written, {_plural(facts, 'fact')}, "
            f"{_plural(findings, 'finding')} ({source:,} in the source), "
            f"{_plural(sum(1 for f in across if f.severity != 'info'), 'comparative')} differing across documents: "
            f"exit {status} ({EXIT_CODES[status]})")


def _checks_line(findings: list[Finding]) -> str:
    """'none' or the count per check with the lines: 'translation 4 (lines 89, 90, 96, 98); ...'."""
    if not findings:
        return "none"
    lines: dict[str, list[int]] = {}
    for f in findings:
        lines.setdefault(f.code.removeprefix("source."), []).append(f.ref.line)
    return "; ".join(f"{code} {len(at)} (line{'s' if len(at) > 1 else ''} {', '.join(str(n) for n in sorted(at))})"
                     for code, at in sorted(lines.items()))


def _compare_folder(out: Path, console: Console) -> list[Finding]:
    """The comparison across documents of every report in the output folder, written to
    out/checks.json with the documents it covers (a stale one is replaced; with fewer than two
    reports there is nothing to compare, and no checks.json)."""
    reports = {name: facts for name, facts in _reports_in(out)}
    target = out / CHECKS_FILE
    if len(reports) < 2:
        target.unlink(missing_ok=True)
        return []
    across, compared = comparative_findings(reports)
    document = {"documents": sorted(reports), "compared": compared,
                "findings": json.loads(findings_json(tuple(across)))}
    _write_atomically(target, json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    _print_comparatives(across, compared, len(reports), target, console)
    return across


def _reports_in(folder: Path) -> list[tuple[str, list[ReportedFact]]]:
    found = []
    for sub in sorted(folder.iterdir()) if folder.is_dir() else []:
        if sub.is_dir() and not sub.name.startswith(".") and (sub / f"{sub.name}.json").is_file():
            try:
                found.append((sub.name, load_report(sub)))
            except (OSError, ValueError, KeyError):
                continue  # not a report kcxbrl wrote (or half of one): not compared
    return found


def _print_comparatives(findings: list[Finding], compared: int, documents: int, written: Path | None,
                        console: Console) -> None:
    counts = Counter(f.code.removeprefix("source.") for f in findings)
    what = (", ".join(f"{n} {code}" for code, n in sorted(counts.items()))
            or ("all agree" if compared else "nothing to compare (no figure is in two of them)"))
    where = f" -> {written}" if written else ""
    console.out(f"  across {_plural(documents, 'document')}: {_plural(compared, 'figure')} compared, {what}{where}")
    for f in findings:
        console.out(f"    {f.severity} {f.code.removeprefix('source.')} {f.ref.file}:{f.ref.line}: {f.message}")


def _write_atomically(path: Path, text: str) -> None:
    """Written beside its place and moved there, with the mode any new file gets (0666 less the
    umask, like every output); no temporary file is left behind when writing fails, and the
    error names `path`. A file name that is not UTF-8 (lone surrogates) is written as its
    JSON escape."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    """Compare already-built reports across documents (no rebuilding): report folders
    (output/NAME/, with NAME.json and sources.json), .xbri packages, or a folder of them."""
    reports: dict[str, list[ReportedFact]] = {}
    for raw in args.paths:
        try:
            for name, facts in _built_reports(Path(raw)):
                reports[name] = facts
        except KcxbrlError as exc:
            console.err(f"error: {exc}")
            return EXIT_UNUSABLE
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            console.err(f"error: {display_name(raw)}: not a built report ({type(exc).__name__}: {exc})")
            return EXIT_UNUSABLE
    if len(reports) < 2:
        console.err(f"error: {_plural(len(reports), 'report')} found; comparing needs two or more")
        return EXIT_UNUSABLE
    findings, compared = comparative_findings(reports)
    console.out("checks across documents: " + ", ".join(sorted(reports)))
    for name in sorted(name for name, facts in reports.items() if not facts):
        console.out(f"  {name}: no figures (its report has no numeric facts)")
    _print_comparatives(findings, compared, len(reports), None, console)
    return EXIT_SOURCE if args.strict and any(f.severity != "info" for f in findings) else EXIT_OK


def _built_reports(path: Path) -> list[tuple[str, list[ReportedFact]]]:
    if path.is_dir() and (path / f"{path.name}.json").is_file():
        return [(path.name, load_report(path))]
    if path.is_file() and path.suffix.lower() == ".xbri":
        beside = path.with_suffix("")
        if (beside / f"{beside.name}.json").is_file():
            return [(beside.name, load_report(beside))]
        return [(path.stem, _exported(path))]
    if path.is_dir():
        found = _reports_in(path)
        if found:
            return found
    raise ValueError("expected an output/NAME folder, a NAME.xbri package or a folder of them")


def _exported(package: Path) -> list[ReportedFact]:
    """A package without its output folder: Arelle exports its xBRL-JSON; lines and columns
    come from the fact ids."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"{package.stem}.json"
        report = validation.validate(package, export_json=target)
        if not target.exists():
            raise ValueError(f"Arelle could not load it ({report.errors} errors)")
        oim = json.loads(target.read_text(encoding="utf-8"))
    return reported_facts(package.stem, oim, None)


def cmd_validate(args: argparse.Namespace, console: Console) -> int:
    path = Path(args.path)
    if not path.exists():
        console.err(f"error: {display_name(str(path))}: file not found")
        return EXIT_UNUSABLE
    try:
        report = validation.validate(path)
    except KcxbrlError as exc:
        console.err(f"error: {exc}")
        return EXIT_UNUSABLE
    for m in report.messages:
        where = f"{m.href or path.name}:{m.line}" if m.line else (m.href or path.name)
        console.out(f"{m.level} {m.code} {where} {m.text}")
    console.out(f"{display_name(path.name)}: {_plural(report.fact_count, 'fact')}, {_plural(report.errors, 'error')}, "
                f"{_plural(report.warnings, 'warning')}, "
                f"{_plural(report.inconsistencies, 'inconsistency', 'inconsistencies')}, "
                f"{_plural(report.assertions, 'failed assertion')}, {report.seconds:.2f} s")
    return EXIT_OK if report.ok else EXIT_INVALID


def cmd_profile_init(args: argparse.Namespace, console: Console) -> int:
    """Write a starting issuer profile for a document (kcxbrl.profile_init)."""
    path = Path(args.document)
    try:
        slug, text = starting_profile(path, default_taxonomy())
    except KcxbrlError as exc:
        console.err(f"error: {exc}")
        return EXIT_UNUSABLE
    target = Path(args.out) if args.out else Path(f"{slug}.toml")
    if target.exists() and not args.force:
        console.err(f"error: {display_name(str(target))}: exists (use --force to replace it)")
        return EXIT_UNUSABLE
    try:
        _write_atomically(target, text)
    except OSError as exc:
        console.err(f"error: {_os_error(exc, target, 'no profile was written')}")
        return EXIT_UNUSABLE
    console.out(f"{target}: a starting profile for {path.name}; check it, confirm its proposed rules, then "
                f"kcxbrl build {path} --profile {target}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kcxbrl", description="Results announcements to validated Inline XBRL report packages",
                                epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"kcxbrl {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help, epilog=_EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    b = command("build", "build report packages (default: the bundled samples)")
    b.add_argument("inputs", nargs="*", metavar="INPUT.txt")
    b.add_argument("--out", default="output", help="output folder (default: output)")
    b.add_argument("--profile", default=None,
                   help="issuer profile name or .toml path (default: the bundled profile the document names, "
                        "else the identity the document states)")
    b.add_argument("--strict", action="store_true", help="exit 1 when the announcements' own figures have findings")
    b.add_argument("--tag-all-prose", action="store_true",
                   help="tag every figure of the text as printed, also one a table's figure contradicts (the report then "
                        "carries inconsistent duplicates; by default such a figure is reported and left untagged)")
    b.add_argument("--no-viewer", action="store_true",
                   help="do not write NAME/viewer.html (Workiva's ixbrl-viewer, opens offline; about 0.2 s a document)")
    b.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="documents built at once, in worker processes (default: the cores available; 1: one after another)")
    b.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="build each document as a task on this Dask distributed scheduler (pip install 'kcxbrl[dask]'; "
                        "--out must be a folder the workers share)")
    b.set_defaults(func=cmd_build)
    c = command("check", "compare built reports across documents (no rebuilding)")
    c.add_argument("paths", nargs="+", metavar="PATH", help="output/NAME folders, NAME.xbri packages, or a folder of them")
    c.add_argument("--strict", action="store_true", help="exit 1 when a figure differs across documents")
    c.set_defaults(func=cmd_check)
    pr = command("profile", "issuer profiles")
    prs = pr.add_subparsers(dest="profile_command", required=True)
    init = prs.add_parser("init", help="write a starting profile for a document's issuer (what it states, and "
                                       "every row the base mapping left unmapped with a proposed concept)")
    init.add_argument("document", metavar="DOC.txt")
    init.add_argument("--out", help="profile file to write (default: ./ISSUER.toml)")
    init.add_argument("--force", action="store_true", help="replace the file if it exists")
    init.set_defaults(func=cmd_profile_init)
    v = command("validate", "validate a .xbri or .xhtml strictly, offline")
    v.add_argument("path")
    v.set_defaults(func=cmd_validate)
    return p


class _Interrupts:
    """Ctrl-C raises KeyboardInterrupt and is remembered: one raised while an object's __del__
    runs (Arelle's imports have some) is swallowed by Python, and is raised again between documents."""

    seen: list[int] = []
    forward = staticmethod(sys.__unraisablehook__)  # the hook ours replaces, for anything else

    @classmethod
    def handler(cls, signum: int, frame: object) -> None:
        cls.seen.append(signum)
        raise KeyboardInterrupt

    @classmethod
    def check(cls) -> None:
        if cls.seen:
            raise KeyboardInterrupt

    @classmethod
    def unraisable(cls, hook: object) -> None:
        """Python's 'Exception ignored in ... __del__' traceback, but for an interrupt (remembered)."""
        if not isinstance(getattr(hook, "exc_value", None), KeyboardInterrupt):
            cls.forward(hook)


def main(argv: list[str] | None = None) -> int:
    console = None
    handle = threading.current_thread() is threading.main_thread() and \
        signal.getsignal(signal.SIGINT) is signal.default_int_handler
    _Interrupts.seen.clear()
    previous_hook = sys.unraisablehook
    try:
        if handle:
            signal.signal(signal.SIGINT, _Interrupts.handler)
            _Interrupts.forward = previous_hook
            sys.unraisablehook = _Interrupts.unraisable
        console = Console()
        args = parser().parse_args(argv)
        return args.func(args, console)
    except KeyboardInterrupt:
        (console or Console()).err("interrupted: nothing half-written was published")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug of ours that no command caught: one line, not a traceback
        message = f"{type(exc).__name__}: {exc}".replace("\n", " ")
        (console or Console()).err(f"error: internal error ({message}); please report it")
        return EXIT_INTERNAL
    finally:
        if handle:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            sys.unraisablehook = previous_hook


if __name__ == "__main__":
    sys.exit(main())
