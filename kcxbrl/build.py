"""The one place that runs the stages, for one announcement:

read (kcxbrl.read) -> understand (kcxbrl.understand) -> check (kcxbrl.check)
-> publish (kcxbrl.publish) -> validate (kcxbrl.validate).

Nothing is written to the output folder until the input has been read and tagged, and then
everything is staged beside it and moved into place: an unusable input leaves no files.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict

from kcxbrl import validate as validation
from kcxbrl.check import check
from kcxbrl.dts import Taxonomy
from kcxbrl.errors import InputError, KcxbrlError
from kcxbrl.findings import Finding
from kcxbrl.profile import IssuerProfile, bundled_profiles
from kcxbrl.publish import (
    REVIEW_PAGE, Filing, move_into_place, report_files, schema_ref, sidecar_files, staging, write_tree, zip_bytes,
)
from kcxbrl.read import read_document
from kcxbrl.understand import choose_profile, understand


VIEWER_FILE = "viewer.html"  # beside the package in out/NAME/, with ixbrlviewer.js


class BuildResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    facts: int
    findings: tuple[Finding, ...]
    validation: validation.ValidationReport | None
    generate_seconds: float
    coverage: dict[str, int] = {}  # untagged numeric tokens by the rule that left them out
    package: Path
    folder: Path

    @property
    def ok(self) -> bool:
        return self.validation is not None and self.validation.ok

    @property
    def status(self) -> str:
        """clean; "source": every message of Arelle's is an inconsistency or an unsatisfied
        assertion that involves a fact a finding about the source's own figures names;
        "invalid": anything else."""
        v = self.validation
        source_facts = {fact_id for f in self.findings if f.code.startswith("source.") for fact_id in f.facts}
        if v is None or v.ok:
            return "source" if source_facts else "clean"
        traced = all(m.category in ("inconsistency", "assertion") and set(m.fact_ids) & source_facts
                     for m in v.messages if m.category)
        return "source" if traced and not (v.errors or v.warnings) else "invalid"


def make_filing(path: Path, taxonomy: Taxonomy, profile: IssuerProfile | None = None, *,
                tag_all_prose: bool = False) -> tuple[Filing, IssuerProfile]:
    """read -> understand -> check: everything the report is made of, and the issuer profile it
    was made with (`profile`, or the one the document matches among the bundled profiles, or
    the identity the document states; `taxonomy`: the base the profiles extend)."""
    document = read_document(path)
    profile, identity = choose_profile(document, taxonomy, bundled_profiles(taxonomy), profile)
    tagging = understand(document, profile, tag_all_prose=tag_all_prose)
    checks = check(document, tagging, profile.taxonomy)
    scheme, identifier = profile.entity_identifier
    return Filing(
        document=document,
        tables=tagging.tables,
        facts=tagging.facts,
        prose=tagging.prose,
        text_blocks=tagging.text_blocks,
        text_facts=tagging.text_facts,
        findings=tuple(identity) + tagging.findings + checks.findings,
        prohibited_calc=checks.prohibited_calc,
        coverage=checks.coverage,
        schema_ref=schema_ref(document.name),
        entity_scheme=scheme,
        entity_id=identifier,
    ), profile


def generate(path: Path, taxonomy: Taxonomy, profile: IssuerProfile | None = None, *,
             tag_all_prose: bool = False) -> tuple[Filing, dict[str, bytes]]:
    """Everything up to the package's files, in memory (no Arelle, no disk writes)."""
    with _no_cycle_collection():
        filing, profile = make_filing(path, taxonomy, profile, tag_all_prose=tag_all_prose)
        return filing, report_files(filing, profile.taxonomy, f"{profile.name}: {filing.document.name}")


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while one document is generated: it makes many small
    objects and few cycles, and every full collection walks all the objects alive (a fifth of
    the time on a large document); what is left over is collected when it resumes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_one(path: Path, out: Path, taxonomy: Taxonomy, profile: IssuerProfile | None = None, *,
              validate: bool = True, tag_all_prose: bool = False, viewer: bool = True) -> BuildResult:
    """Build one announcement into out/NAME/ (the unpacked package, NAME.xbri, the JSON files,
    the xBRL-CSV export and, with `viewer`, viewer.html) and out/NAME.xbri (a link to
    NAME/NAME.xbri), published together in one step."""
    started = time.perf_counter()
    filing, files = generate(path, taxonomy, profile, tag_all_prose=tag_all_prose)
    generate_seconds = time.perf_counter() - started
    name = filing.document.name
    if name in (".", ".."):  # the stem of "..txt" or "...txt": not a name an output can have
        name = filing.document.file
    if len(os.fsencode(f"{name}.xbri")) > 255:
        raise InputError(filing.document.file, None, "file name too long for the outputs (NAME.xbri)")
    try:
        report = _stage_and_publish(filing, files, out, name, validate, viewer)
    except OSError as exc:
        if exc.filename is None:  # a write that failed (disk full): name the folder it was for
            raise OSError(exc.errno, exc.strerror, str(out / name)) from exc
        raise
    return BuildResult(name=name, facts=filing.fact_count, findings=filing.findings,
                       coverage=filing.coverage["by_rule"],
                       validation=report, generate_seconds=generate_seconds,
                       package=out / f"{name}.xbri", folder=out / name)


def _stage_and_publish(filing: Filing, files: dict[str, bytes], out: Path, name: str,
                       validate: bool, viewer: bool) -> validation.ValidationReport | None:
    top = min(files).split("/", 1)[0]  # the package's top folder: the name made safe for URIs
    with staging(out) as tmp:
        write_tree(tmp, files)
        folder = tmp / top
        # Arelle reads and writes under the safe name, then the files take the output names
        package = folder / f"{top}.xbri"
        package.write_bytes(zip_bytes(files))
        export = folder / f"{top}.json"
        report = None
        if validate:
            page = validation.Viewer(path=folder / VIEWER_FILE, package_url=quote(os.fsencode(f"{name}.xbri")),
                                     home_url=f"../{REVIEW_PAGE}", home_label="All documents") if viewer else None
            # the exports' taxonomy references resolve from the unpacked report, so they load where written
            report = validation.validate(package, export_json=export, export_csv=folder / f"{top}.csv",
                                         viewer=page, references_from=folder / "reports")
            (folder / "validation.json").write_text(validation.validation_json(report), encoding="utf-8")
        if top != name:
            package.rename(folder / f"{name}.xbri")
            if export.exists():
                export.rename(folder / f"{name}.json")
        for file_name, text in sidecar_files(filing).items():
            # a file name that is not UTF-8 (lone surrogates) is written as its JSON escape
            (folder / file_name).write_text(text, encoding="utf-8", errors="backslashreplace")
        move_into_place(folder, out / name)
    return report


# ---------------------------------------------------------------- many documents


@dataclass(frozen=True)
class Outcome:
    """One document's build: its result, or the exception that ended it (raised by result())."""

    path: Path
    built: BuildResult | None = None
    error: BaseException | None = None

    def result(self) -> BuildResult:
        if self.error is not None:
            raise self.error
        assert self.built is not None
        return self.built


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _portable(exc: BaseException) -> BaseException:
    """`exc` as it can cross to another process: our errors keep their one-line message (their
    constructors take more than a message, which pickle cannot give them back)."""
    if isinstance(exc, KcxbrlError):
        return KcxbrlError(str(exc))
    try:
        return pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - an exception that does not pickle: its type and message
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _build_outcome(path: Path, out: Path, taxonomy: Taxonomy, profile: IssuerProfile | None,
                   tag_all_prose: bool, portable: bool, viewer: bool = True) -> Outcome:
    try:
        return Outcome(path, build_one(path, out, taxonomy, profile, tag_all_prose=tag_all_prose, viewer=viewer))
    except Exception as exc:  # noqa: BLE001 - the caller decides what each error means
        return Outcome(path, error=_portable(exc) if portable else exc)


# what forked workers inherit (set in the parent before the fork: nothing is pickled but paths)
_SHARED: dict[str, object] = {}


def _forked_build(path: Path) -> Outcome:
    s = _SHARED
    return _build_outcome(path, s["out"], s["taxonomy"], s["profile"], s["tag_all_prose"], True,  # type: ignore[arg-type]
                          s["viewer"])  # type: ignore[arg-type]


def build_all(paths: list[Path], out: Path, taxonomy: Taxonomy, profile: IssuerProfile | None = None, *,
              jobs: int = 1, scheduler: str | None = None, tag_all_prose: bool = False,
              viewer: bool = True) -> Iterator[Outcome]:
    """Build each document (build_one); the outcomes come in the order of `paths`.

    jobs > 1 (and more than one document): that many worker processes forked from this one
    after the heavy imports (Arelle's included), so each starts with the taxonomy and profile
    loaded; the outputs are those of a serial build, each document staged and published on its
    own. scheduler ("tcp://HOST:PORT"): one task per document on a Dask distributed cluster
    (`pip install kcxbrl[dask]`; `out` must be a folder the workers share with this machine);
    a scheduler that cannot be reached is a KcxbrlError here, before anything is built.
    """
    if scheduler:
        return _dask_build(paths, out, taxonomy, profile, _dask_client(scheduler), tag_all_prose=tag_all_prose,
                           viewer=viewer)
    jobs = max(1, min(jobs, len(paths)))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return (_build_outcome(path, out, taxonomy, profile, tag_all_prose, False, viewer) for path in paths)
    return _forked_builds(paths, out, taxonomy, profile, jobs, tag_all_prose, viewer)


def _leave_ctrl_c_to_the_parent() -> None:
    """A terminal's Ctrl-C reaches every process of the group: the parent stops the build (one
    line, exit 130) and ends the workers; a worker says nothing of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _forked_builds(paths: list[Path], out: Path, taxonomy: Taxonomy, profile: IssuerProfile | None, jobs: int,
                   tag_all_prose: bool, viewer: bool) -> Iterator[Outcome]:
    validation.preload()  # Arelle imported once, before the fork
    _SHARED.update(out=out, taxonomy=taxonomy, profile=profile, tag_all_prose=tag_all_prose, viewer=viewer)
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_leave_ctrl_c_to_the_parent) as pool:
            yield from pool.imap(_forked_build, paths, chunksize=1)
    finally:
        _SHARED.clear()


def _dask_client(scheduler: str) -> object:
    try:
        from distributed import Client
    except ImportError:
        raise KcxbrlError("--scheduler needs Dask distributed: pip install 'kcxbrl[dask]'") from None
    try:  # how long to try: Dask's distributed.comm.timeouts.connect (30 s unless configured)
        return Client(scheduler)
    except (OSError, TimeoutError, ValueError) as exc:
        raise KcxbrlError(f"cannot reach the Dask scheduler {scheduler} ({exc})") from None


def _dask_task(path: str, out: str, taxonomy: Taxonomy, profile: IssuerProfile | None, tag_all_prose: bool,
               viewer: bool) -> Outcome:
    """One document on a Dask worker."""
    return _build_outcome(Path(path), Path(out), taxonomy, profile, tag_all_prose, True, viewer)


def _dask_build(paths: list[Path], out: Path, taxonomy: Taxonomy, profile: IssuerProfile | None, client: Any, *,
                tag_all_prose: bool, viewer: bool) -> Iterator[Outcome]:
    with client:
        # the taxonomy and profile go to every worker once, not with each task
        shared = client.scatter([taxonomy, profile], broadcast=True)
        futures = [client.submit(_dask_task, str(Path(p).resolve()), str(Path(out).resolve()), *shared, tag_all_prose, viewer,
                                 key=f"kcxbrl-build-{n}-{Path(p).name}", pure=False)
                   for n, p in enumerate(paths)]
        for path, future in zip(paths, futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a worker lost: that document's error
                yield Outcome(Path(path), error=exc)
