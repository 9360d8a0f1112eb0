"""The one place where kcxbrl talks to Arelle.

No other module imports ``arelle``; every Arelle import below is done lazily inside a function,
so ``import kcxbrl`` stays fast.  Arelle runs in-process through its supported API
(``arelle.api.Session`` + ``arelle.RuntimeOptions``), always offline, with the strict settings
used everywhere in the project::

    validate=True, calcs="c11r", utrValidate=True, validateDuplicateFacts="inconsistent",
    formulaAction="run", formulaAsserResultCounts=True, formulaUnmessagedUnsatisfiedAsser=True,
    workOffline=True, disablePersistentConfig=True

Findings (Arelle 2.47.3, no network, checked by tests/test_arelle_adapter.py and by hand):

(1) schemaRef in a report package.
    * RELATIVE ``<link:schemaRef xlink:href="../taxonomy/kcx.xsd"/>`` in ``NAME/reports/NAME.xhtml``
      loads cleanly both packed (``NAME.xbri``) and unpacked (``NAME/reports/NAME.xhtml`` of the
      extracted folder): no ``rpe:*``/``tpe:*``/IOerror messages, same facts either way.
    * ABSOLUTE ``http://.../kcx.xsd`` rewritten by ``META-INF/catalog.xml`` loads cleanly from the
      ``.xbri`` only.  The unpacked ``reports/NAME.xhtml`` fails offline (``IOerror`` "Could not load
      file from local filesystem" + one ``ix11.12.1.2:missingReferences`` per fact), because Arelle
      applies a catalog only when the package itself is opened (entry or ``packages=[...xbri]``;
      passing the unpacked folder as a package does not work, nor does the folder as entry).
    => Use the RELATIVE schemaRef: one report file that works packed and unpacked.  Keep
      catalog.xml + taxonomyPackage.xml anyway (the package rules want them; the entry point in
      taxonomyPackage.xml may still be the absolute URL, which the catalog maps).
    * ``reportPackage.json`` type ``https://xbrl.org/report-package/2023/xbri`` must be in a
      ``.xbri`` file; the same bytes named ``.zip`` give ``rpe:documentTypeFileExtensionMismatch``.
    * ``<catalog prefer="public">`` is rejected: ``tpe:invalidCatalogFile`` (no ``prefer`` attribute).

(2) DTR numeric types (``perShareItemType``, ``percentItemType``) resolve offline from Arelle's
    bundled cache for all of these schemaLocations (http and https spellings both work):
      https://www.xbrl.org/dtr/type/2022-03-31/types.xsd   ns http://www.xbrl.org/dtr/type/2022-03-31
      https://www.xbrl.org/dtr/type/2024-01-31/types.xsd   ns http://www.xbrl.org/dtr/type/2024-01-31
      https://www.xbrl.org/dtr/type/2020-01-21/types.xsd   ns http://www.xbrl.org/dtr/type/2020-01-21
      http://www.xbrl.org/dtr/type/numeric-2009-12-16.xsd  ns http://www.xbrl.org/dtr/type/numeric
    (the http:// form of the three dated ones and https:// form of numeric-2009-12-16 load too).
    Not bundled: e.g. ``.../dtr/type/2022-03-31/numeric.xsd`` -> IOerror.  Recommended:
    ``https://www.xbrl.org/dtr/type/2022-03-31/types.xsd`` (used by the test fixture).  With any of
    them ``--utr`` checks units (EPS with plain CNY -> ``utre:error-NumericFactUtrInvalid``).

(3) The Calculations 1.1 arcrole ``https://xbrl.org/2023/arcrole/summation-item`` IS checked with
    ``calcs="c11r"`` (``calc11e:inconsistentCalculationUsingRounding``, level INCONSISTENCY) and
    ignored by ``calcs="c10"``.  Declare it in the calculation linkbase with
    ``<link:arcroleRef arcroleURI="https://xbrl.org/2023/arcrole/summation-item" xlink:type="simple"
    xlink:href="https://www.xbrl.org/2023/calculation-1.1.xsd#summation-item"/>``; without it:
    ``xbrl.3.5.2.5:missingArcroleRef`` + ``xbrl.5.1.4.5:custArcroleUsedOn`` errors per arc.
    With c11r the 2003 arcrole ``http://www.xbrl.org/2003/arcrole/summation-item`` is checked the
    same 1.1 way; c11r accepts a 1-unit gap at decimals=-3 (1,200 + 301 vs 1,500 in thousands).

(4) Formula value assertions run offline with ``validate=True``; without ``formulaAction`` Arelle
    runs them inside validation, and ``formulaAction="run"`` (set here, = ``--formula run``) says
    so explicitly: Arelle then validates without formulas and compiles + runs them in a step of
    its own.  The linkbase (generic link) is referenced from the schema by a ``linkbaseRef``
    without role; it needs roleRef/arcroleRefs for generic-link.xsd#standard-link-role,
    variable-set, variable-filter and assertion-unsatisfied-message (all bundled).  A failing
    assertion with an unsatisfied message is logged at level ERROR with code
    ``message:<assertion @id>`` (or ``message:<xlink:label>`` without an id); the message text is
    the evaluated msg:message; its refs are the assertion (first, href
    ``../taxonomy/x_for.xml#id``) then the bound facts.  With an assertion-unsatisfied-severity
    arc the level is WARNING or INFO instead (read in Arelle's FormulaEvaluator, not tested
    here).  An assertion WITHOUT a message is silent by default; this adapter sets
    ``formulaUnmessagedUnsatisfiedAsser=True`` so it is logged as ``formula:assertionUnsatisfied``
    at level ERROR.  A satisfied assertion logs nothing above INFO.
    Both kinds of failure get the category "assertion" (counted in ``assertions``, not in
    ``errors``); their ``href``/``line`` are those of the first bound fact (the report, not the
    linkbase) and ``fact_ids`` the facts the evaluation bound.
    ``formulaAsserResultCounts=True`` (``--formulaAsserResultCounts``) makes Arelle log one INFO
    ``formula:trace`` per assertion, "Value Assertion <id> evaluations : <n> satisfied, <m> not
    satisfied" (its structured args are empty, so the text is parsed); they become
    ``ValidationReport.assertion_results`` {id: (satisfied, not satisfied)}: an assertion that was
    never evaluated shows (0, 0), one that did not load or compile is missing.

Inconsistencies (what Arelle really logs, hence how they are counted):
    * calc11e inconsistencies (``calc11e:inconsistentCalculationUsingRounding``) and c10's
      ``xbrl.5.2.5.2:calcInconsistency`` come at Arelle's own level "INCONSISTENCY" (33, between
      WARNING and ERROR).
    * inconsistent duplicate facts (``arelle:duplicateFacts`` with validateDuplicateFacts=
      "inconsistent") come at level WARNING.
    Both are counted in ``inconsistencies`` (never in warnings/errors): any message at level
    INCONSISTENCY, plus the codes in ``_INCONSISTENCY_CODES`` at whatever level.

OIM export: ``plugins="saveLoadableOIM"`` and plugin option ``saveLoadableOIM=<path.json>``
(RuntimeOptions(pluginOptions={"saveLoadableOIM": path})) writes xBRL-JSON; two exports of the
same input are byte-identical (no timestamps; ``taxonomy`` is the schemaRef as written, fact keys
are the fact ids), so no normalisation is applied.  Values are canonical (``"1200000.0"``).

Failure modes: a missing file, a non-zip ``.xbri`` or malformed XHTML gives a ValidationReport with
errors (Arelle codes ``FileSourceError``, ``error``, ``xmlSchema:syntax``), not an exception.  A
well-formed file that is not XBRL at all (plain XHTML) makes Arelle say nothing; the adapter then
adds an ERROR ``kcxbrl:notXbrl``.  An unexpected exception inside Arelle becomes an ERROR
``kcxbrl:arelleException``.  Only bad arguments (RuntimeOptions errors) and an unsafe
config/cache folder (``ArelleHomeError``) propagate.

Arelle's config/cache directory (XDG_CONFIG_HOME while Arelle runs) is
``$KCXBRL_ARELLE_HOME`` or the user's cache directory (``$XDG_CACHE_HOME/kcxbrl/arelle``, else
``~/.cache/kcxbrl/arelle``), never the user's ~/.config nor a predictable folder in the shared temp
directory: it is made with mode 0700, and one that another user owns or that group/others can
write to is refused (``ArelleHomeError``, a KcxbrlError naming the folder), since a cache file
planted there is what Arelle would load. With ``disablePersistentConfig`` nothing (plugins.json,
config) is written there, so runs do not leak into each other (a saved plugins.json would
otherwise keep plugins enabled in later runs).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from pydantic import BaseModel

from kcxbrl.errors import KcxbrlError, display_name

__all__ = [
    "ArelleHomeError",
    "ArelleMessage",
    "LoadedFact",
    "ValidationReport",
    "Viewer",
    "arelle_home",
    "load_facts",
    "preload",
    "validate",
    "validate_taxonomy",
]


class ArelleMessage(BaseModel, frozen=True):
    level: str
    """Arelle's level name: "ERROR", "WARNING", "INCONSISTENCY", "ASSERTION-NOT-SATISFIED", ..."""
    code: str
    """messageCode, e.g. "calc11e:inconsistentCalculationUsingRounding"."""
    text: str
    href: str | None = None
    """Document href of the first ref (relative to the entry document), fragment removed."""
    line: int | None = None
    """sourceLine of the first ref when Arelle gives one."""
    fact_ids: tuple[str, ...] = ()

    """Ids of the report's facts named by the refs ('#id' fragments), in ref order."""

    @property
    def category(self) -> str | None:
        """"error", "warning", "inconsistency" or "assertion", as counted in ValidationReport."""
        return _category(self.level, self.code)


class ValidationReport(BaseModel, frozen=True):
    """Outcome of one Arelle run; ``seconds`` is load+validate(+export) time, not the import."""

    entry: str
    messages: tuple[ArelleMessage, ...]
    errors: int
    warnings: int
    inconsistencies: int
    fact_count: int
    seconds: float
    assertions: int = 0
    """Unsatisfied formula assertions (messages of category "assertion")."""
    assertion_results: dict[str, tuple[int, int]] = {}
    """Every formula assertion Arelle ran: id -> (evaluations satisfied, not satisfied)."""
    viewer_seconds: float = 0.0
    """Time spent writing the ixbrl-viewer page (not in ``seconds``)."""

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.warnings == 0 and self.inconsistencies == 0 and self.assertions == 0


# Arelle's custom levels (Cntlr.py addLevelName): INFO-RESULT 19, INFO 20, INFO-SEMANTIC 21,
# WARNING 30, WARNING-SEMANTIC 31, ASSERTION-SATISFIED 32, INCONSISTENCY 33, ERROR-SEMANTIC 38,
# ASSERTION-NOT-SATISFIED 39, ERROR 40, CRITICAL 50.
_DROPPED_LEVELS = frozenset({"DEBUG", "INFO", "INFO-RESULT", "INFO-SEMANTIC", "ASSERTION-SATISFIED", "NOTSET"})
_WARNING_LEVELS = frozenset({"WARNING", "WARNING-SEMANTIC"})
_INCONSISTENCY_LEVEL = "INCONSISTENCY"
_INCONSISTENCY_CODES = frozenset(
    {
        "arelle:duplicateFacts",  # logged at WARNING with validateDuplicateFacts="inconsistent"
        "calc11e:inconsistentCalculationUsingRounding",
        "calc11e:inconsistentCalculationUsingTruncation",
        "xbrl.5.2.5.2:calcInconsistency",
    }
)

# an unsatisfied assertion: its message ("message:<assertion id>") or, without one, Arelle's own
_ASSERTION_CODE_PREFIX = "message:"
_UNMESSAGED_ASSERTION_CODE = "formula:assertionUnsatisfied"
_RESULT_COUNTS_CODE = "formula:trace"
_RESULT_COUNTS = re.compile(
    r"^(?:Value|Existence|Consistency) Assertion (?P<id>\S+) evaluations : "
    r"(?P<satisfied>\d+) satisfied, (?P<unsatisfied>\d+) not satisfied$"
)

_REPORT_SUFFIXES = frozenset({".xbri", ".zip", ".xhtml", ".html", ".htm", ".xbrl"})
# xBRL-JSON and the xBRL-CSV metadata file: loaded through Arelle's loadFromOIM plugin
_OIM_SUFFIXES = frozenset({".json"})


class Viewer(BaseModel, frozen=True):
    """Where to write Workiva's ixbrl-viewer for a report, and its links."""

    path: Path
    """The viewer page (.html); its script, ixbrlviewer.js, is copied beside it."""
    package_url: str | None = None
    """The viewer's "filing documents" download link (relative to the page)."""
    home_url: str | None = None
    """The viewer's "Home" link (relative to the page), e.g. the build's review page."""
    home_label: str = "Home"


class LoadedFact(BaseModel, frozen=True):
    """A fact as Arelle loaded it, in terms any form of the report shares (inline, xBRL-JSON,
    xBRL-CSV): what loads from one must equal what loads from another."""

    concept: str
    """Clark notation, {namespace}local."""
    period: str
    """"start/end" or "@instant" (Arelle's datetimes: the end is the day after)."""
    dimensions: tuple[tuple[str, str], ...]
    unit: str | None
    value: str | None
    """Arelle's typed value as text (None for nil)."""
    decimals: str | None

_LOCK = threading.Lock()


class ArelleHomeError(KcxbrlError):
    """Arelle's config and cache folder is not safe to use (another user's, or writable by others)."""


def arelle_home() -> Path:
    """Directory used as Arelle's XDG_CONFIG_HOME (config and web cache), private to the user.

    ``$KCXBRL_ARELLE_HOME`` if set, else the user's cache directory: ``$XDG_CACHE_HOME/kcxbrl/arelle``
    (an absolute ``XDG_CACHE_HOME`` only, as the XDG spec says) or ``~/.cache/kcxbrl/arelle``.
    Created with mode 0700 on demand. A folder that another user owns (or a symlink another user
    planted), or that its group or others can write to, is refused with ArelleHomeError naming
    it: a cache file planted there would be what Arelle loads.
    """
    configured = os.environ.get("KCXBRL_ARELLE_HOME")
    if configured:
        home = Path(configured)
    else:
        cache = os.environ.get("XDG_CACHE_HOME")
        if cache and os.path.isabs(cache):
            base = Path(cache)
        elif os.name == "nt":
            base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        else:
            base = Path.home() / ".cache"
        home = base / "kcxbrl" / "arelle"
    return _private_folder(home)


def _private_folder(folder: Path) -> Path:
    """`folder`, made (mode 0700) if missing, after checking that only the current user can write to it."""
    shown = display_name(str(folder))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        raise ArelleHomeError(f"Arelle's config/cache folder {shown} is not a folder; "
                              "set KCXBRL_ARELLE_HOME to a folder of your own") from None
    except OSError as exc:
        raise ArelleHomeError(f"Arelle's config/cache folder {shown} cannot be made ({exc.strerror or exc}); "
                              "set KCXBRL_ARELLE_HOME to a folder of your own") from None
    if not hasattr(os, "getuid"):  # no POSIX owners or modes: the user's profile folder is private
        return folder
    uid = os.getuid()
    link = os.lstat(folder)
    st = os.stat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise ArelleHomeError(f"Arelle's config/cache folder {shown} is not a folder; "
                              "set KCXBRL_ARELLE_HOME to a folder of your own")
    for what, owner in (("symlink", link.st_uid if stat.S_ISLNK(link.st_mode) else uid), ("folder", st.st_uid)):
        if owner != uid:
            raise ArelleHomeError(f"Arelle's config/cache {what} {shown} belongs to another user (uid {owner}), "
                                  "refused; set KCXBRL_ARELLE_HOME to a folder of your own")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ArelleHomeError(f"Arelle's config/cache folder {shown} is writable by its group or others "
                              f"(mode {stat.S_IMODE(st.st_mode):04o}), refused; chmod go-w it or set "
                              "KCXBRL_ARELLE_HOME to a folder of your own")
    return folder


@contextlib.contextmanager
def _arelle_environment() -> Iterator[None]:
    """Point XDG_CONFIG_HOME at our directory while Arelle is imported and runs, then restore it.

    Arelle reads XDG_CONFIG_HOME when its controller is constructed (inside Session.run), so the
    variable only has to be set around import + run; the rest of the process keeps its own value.
    """
    previous = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(arelle_home())
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("XDG_CONFIG_HOME", None)
        else:
            os.environ["XDG_CONFIG_HOME"] = previous


def _category(level: str, code: str) -> str | None:
    """'error' | 'warning' | 'inconsistency' | 'assertion' | None (dropped)."""
    if level in _DROPPED_LEVELS:
        return None
    if code.startswith(_ASSERTION_CODE_PREFIX) or code == _UNMESSAGED_ASSERTION_CODE:
        return "assertion"
    if level == _INCONSISTENCY_LEVEL or code in _INCONSISTENCY_CODES:
        return "inconsistency"
    if level in _WARNING_LEVELS:
        return "warning"
    return "error"  # ERROR, ERROR-SEMANTIC, ASSERTION-NOT-SATISFIED, CRITICAL, anything unknown


def _to_message(raw: dict[str, Any], fact_ids: frozenset[str]) -> ArelleMessage:
    refs = [r for r in (raw.get("refs") or []) if isinstance(r, dict)]
    href: str | None = None
    line: int | None = None
    if _category(str(raw.get("levelname")), str(raw.get("messageCode"))) == "assertion":
        # the first ref is the assertion in the linkbase: point at the first bound fact instead
        refs = [r for r in refs if _fragment(r) in fact_ids] + [r for r in refs if _fragment(r) not in fact_ids]
    if refs:
        first = refs[0]
        href = (str(first.get("href") or "").split("#", 1)[0]) or None
        source_line = first.get("sourceLine")
        try:
            line = int(source_line) if source_line is not None else None
        except (TypeError, ValueError):
            line = None
    ids: list[str] = []
    for ref in refs:
        ref_href = str(ref.get("href") or "")
        if "#" not in ref_href:
            continue
        fragment = ref_href.split("#", 1)[1]
        if fragment in fact_ids and fragment not in ids:
            ids.append(fragment)
    return ArelleMessage(
        level=str(raw.get("levelname") or "ERROR"),
        code=str(raw.get("messageCode") or ""),
        text=str(raw.get("msg") or ""),
        href=href,
        line=line,
        fact_ids=tuple(ids),
    )


def _fragment(ref: dict[str, Any]) -> str:
    href = str(ref.get("href") or "")
    return href.split("#", 1)[1] if "#" in href else ""


def _assertion_results(raw_messages: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    results: dict[str, tuple[int, int]] = {}
    for raw in raw_messages:
        if raw.get("messageCode") == _RESULT_COUNTS_CODE:
            match = _RESULT_COUNTS.match(str(raw.get("msg") or ""))
            if match:
                results[match["id"]] = (int(match["satisfied"]), int(match["unsatisfied"]))
    return dict(sorted(results.items()))


def _synthetic(code: str, text: str, entry: Path) -> dict[str, Any]:
    return {"levelname": "ERROR", "messageCode": code, "msg": text, "refs": [{"href": entry.name}]}


def _close_file_source(file_source: Any) -> None:
    """Close an Arelle FileSource and the stream under its ZipFile.

    Arelle opens a package as ``zipfile.ZipFile(open(path, "rb"))``; ZipFile.close() does not close
    a stream it was given, so without this the .xbri stays open until garbage collection
    (ResourceWarning; on Windows the file could not be replaced meanwhile).
    """
    archive = getattr(file_source, "fs", None)
    stream = getattr(archive, "fp", None)
    file_source.close()
    if stream is not None and hasattr(stream, "close"):
        stream.close()


def _csv_files(export_csv: Path) -> tuple[Path, Path]:
    """The two files of an xBRL-CSV export named NAME.csv, as Arelle names them: the metadata
    (NAME-metadata.json, the file to load) and the facts table (NAME-facts.csv)."""
    base = export_csv.with_suffix("")
    return base.with_name(base.name + "-metadata.json"), base.with_name(base.name + "-facts.csv")


def _relocate_taxonomy(oim_file: Path, references_from: Path, indent: int, ensure_ascii: bool) -> None:
    """Make the export's taxonomy references relative to where it is written: Arelle writes them
    relative to the report it loaded (inside the package), so from the export's folder they would
    point nowhere. `references_from` is the folder they resolve from (the unpacked report's)."""
    data = json.loads(oim_file.read_text(encoding="utf-8"))
    refs = data.get("documentInfo", {}).get("taxonomy", [])
    moved = []
    for ref in refs:
        if urlsplit(ref).scheme or ref.startswith("/"):
            moved.append(ref)  # absolute: the same from anywhere
            continue
        target = os.path.normpath(references_from / unquote(ref))
        moved.append(quote(os.path.relpath(target, oim_file.parent).replace(os.sep, "/")))
    data["documentInfo"]["taxonomy"] = moved
    oim_file.write_text(json.dumps(data, indent=indent, ensure_ascii=ensure_ascii), encoding="utf-8")


def _write_viewer(model: Any, viewer: Viewer) -> None:
    """Workiva's ixbrl-viewer (the iXBRLViewerPlugin's builder) for a loaded report: viewer.path
    with the report and its data, and the viewer's script copied beside it, so the page opens
    from a local file with no network."""
    from iXBRLViewerPlugin.constants import DEFAULT_VIEWER_PATH
    from iXBRLViewerPlugin.iXBRLViewer import IXBRLViewerBuilder

    features: dict[str, Any] = {"highlight_facts_on_startup": True}
    if viewer.home_url:
        features |= {"home_link_url": viewer.home_url, "home_link_label": viewer.home_label}
    builder = IXBRLViewerBuilder(model.modelManager.cntlr, features=features)
    builder.processModel(model)
    script = Path(DEFAULT_VIEWER_PATH)
    page = builder.createViewer(scriptUrl=script.name, showValidations=False, packageDownloadURL=viewer.package_url)
    if page is None:
        raise RuntimeError(f"ixbrl-viewer made no viewer for {viewer.path.name}")
    page.save(str(viewer.path), copyScriptPath=script)
    copied = viewer.path.parent / script.name
    if not viewer.path.is_file() or not copied.is_file():
        raise RuntimeError(f"ixbrl-viewer did not write {viewer.path.name} and {script.name}")
    # the plugin copies the script with its installed mode: give it a new file's (the umask's)
    umask = os.umask(0)
    os.umask(umask)
    copied.chmod(0o666 & ~umask)


def _run(entry: Path, *, export_json: Path | None, expect_report: bool, export_csv: Path | None = None,
         viewer: Viewer | None = None, references_from: Path | None = None) -> ValidationReport:
    entry = Path(entry)
    entry_str = str(entry.resolve()) if entry.exists() else str(entry)
    if export_json is not None:
        export_json = Path(export_json).resolve()
    if export_csv is not None:
        export_csv = Path(export_csv).resolve()
    written = ([export_json] if export_json else []) + (list(_csv_files(export_csv)) if export_csv else [])
    for path in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)  # never mistake a stale export for a fresh one
    if viewer is not None:
        viewer = viewer.model_copy(update={"path": Path(viewer.path).resolve()})
        viewer.path.unlink(missing_ok=True)
    viewer_seconds = 0.0

    raw_messages: list[dict[str, Any]] = []
    fact_count = 0
    fact_ids: set[str] = set()
    loaded_types: list[int | None] = []

    with _LOCK, _arelle_environment():
        from arelle.api.Session import Session
        from arelle.ModelDocumentType import ModelDocumentType as Type
        from arelle.RuntimeOptions import RuntimeOptions

        started = time.perf_counter()  # after the (first-call-only) import cost

        plugin_options: dict[str, Any] | None = None
        plugins: str | None = None
        if export_json is not None:
            plugins = "saveLoadableOIM"
            plugin_options = {"saveLoadableOIM": str(export_json)}
        options = RuntimeOptions(
            pluginOptions=plugin_options,
            entrypointFile=entry_str,
            plugins=plugins,
            validate=True,
            calcs="c11r",
            utrValidate=True,
            validateDuplicateFacts="inconsistent",
            formulaAction="run",  # validate and run the formula linkbase's assertions
            formulaAsserResultCounts=True,  # one INFO formula:trace per assertion with its counts
            formulaUnmessagedUnsatisfiedAsser=True,
            workOffline=True,
            disablePersistentConfig=True,
            keepOpen=True,  # so the fact count can be read; models are closed below
            logFile="logToStructuredMessage",
        )
        with Session() as session:
            try:
                session.run(options)
            except Exception as exc:  # noqa: BLE001 - an Arelle crash must fail the report, not the caller
                raw_messages.append(
                    _synthetic("kcxbrl:arelleException", f"{type(exc).__name__}: {exc}", entry)
                )
            raw_messages[:0] = list(session.get_log_messages())
            for model in list(session.get_models()):
                document = model.modelDocument
                loaded_types.append(document.type if document is not None else None)
                if document is not None and document.type in (
                    Type.INSTANCE,
                    Type.INLINEXBRL,
                    Type.INLINEXBRLDOCUMENTSET,
                ):
                    facts = model.factsInInstance
                    fact_count += len(facts)
                    fact_ids.update(f.id for f in facts if f.id)
                    if export_csv is not None:
                        from arelle.plugin.saveLoadableOIM import saveLoadableOIM

                        saveLoadableOIM(model, str(export_csv))
                    if viewer is not None and document.type != Type.INSTANCE:
                        # timed apart: the viewer is a step of its own (the benchmark reports it alone)
                        viewer_started = time.perf_counter()
                        _write_viewer(model, viewer)
                        viewer_seconds += time.perf_counter() - viewer_started
                file_source = getattr(model, "fileSource", None)
                model.close()
                if file_source is not None:  # archives are not closed by model.close()
                    _close_file_source(file_source)
        seconds = time.perf_counter() - started - viewer_seconds

        report_types = {Type.INSTANCE, Type.INLINEXBRL, Type.INLINEXBRLDOCUMENTSET}
        dts_types = {Type.SCHEMA, Type.LINKBASE}
        wanted = report_types if expect_report else dts_types | report_types

    kept = [m for m in raw_messages if _category(str(m.get("levelname")), str(m.get("messageCode"))) is not None]
    has_error = any(
        _category(str(m.get("levelname")), str(m.get("messageCode"))) == "error" for m in kept
    )
    if not has_error and not any(t in wanted for t in loaded_types):
        what = "an XBRL report" if expect_report else "an XBRL taxonomy or report"
        kept.append(_synthetic("kcxbrl:notXbrl", f"{entry.name} did not load as {what}", entry))
    for path in written:
        if not path.exists():
            kept.append(_synthetic("kcxbrl:oimExportFailed", f"OIM export {path} was not written", entry))
        elif references_from is not None and path.suffix == ".json":
            # the settings Arelle writes each with, so the file reads as Arelle wrote it
            as_csv_metadata = export_json is None or path != export_json
            _relocate_taxonomy(path, references_from, indent=2 if as_csv_metadata else 1,
                               ensure_ascii=not as_csv_metadata)

    frozen_ids = frozenset(fact_ids)
    messages = tuple(_to_message(m, frozen_ids) for m in kept)
    counts = {"error": 0, "warning": 0, "inconsistency": 0, "assertion": 0}
    for message in messages:
        category = _category(message.level, message.code)
        if category is not None:
            counts[category] += 1
    return ValidationReport(
        entry=str(entry),
        messages=messages,
        errors=counts["error"],
        warnings=counts["warning"],
        inconsistencies=counts["inconsistency"],
        assertions=counts["assertion"],
        assertion_results=_assertion_results(raw_messages),
        fact_count=fact_count,
        seconds=round(seconds, 3),
        viewer_seconds=round(viewer_seconds, 3),
    )


def preload() -> None:
    """Import Arelle now (as validate would on its first call): a process that forks workers
    does it once, before the fork, instead of every worker paying for it."""
    with _LOCK, _arelle_environment():
        import arelle.FunctionCustom  # noqa: F401 - loaded by formula runs
        import arelle.FunctionFn  # noqa: F401
        from arelle.api.Session import Session  # noqa: F401
        from arelle.ModelDocumentType import ModelDocumentType  # noqa: F401
        from arelle.RuntimeOptions import RuntimeOptions  # noqa: F401


def validate(entry: Path, *, export_json: Path | None = None, export_csv: Path | None = None,
             viewer: Viewer | None = None, references_from: Path | None = None) -> ValidationReport:
    """Load and strictly validate ``entry`` (.xbri, .zip, .xhtml, .xbrl or .xsd) offline.

    Calculations 1.1 round-to-nearest, UTR, inconsistent duplicate facts and formula assertions
    are all checked (an unsatisfied assertion: a message of category "assertion").  With ``export_json`` the loaded report is also written as xBRL-JSON there.
    With ``export_csv`` (NAME.csv) also as xBRL-CSV: NAME-metadata.json and NAME-facts.csv.
    With ``references_from`` (the folder the report's relative references resolve from, e.g.
    the unpacked report's), the exports' taxonomy references are rewritten to work from where
    they are written. With ``viewer``, Workiva's ixbrl-viewer is written for the report
    (``viewer_seconds``; a viewer that cannot be written raises RuntimeError).
    """
    entry = Path(entry)
    return _run(entry, export_json=export_json, expect_report=entry.suffix.lower() in _REPORT_SUFFIXES,
                export_csv=export_csv, viewer=viewer, references_from=references_from)


def load_facts(entry: Path) -> tuple[ValidationReport, tuple[LoadedFact, ...]]:
    """Load a report (.xbri, .xhtml) or an OIM export (xBRL-JSON NAME.json, or an xBRL-CSV
    export's NAME-metadata.json) offline, without validating it, and return Arelle's messages
    and its facts, sorted; for comparing the forms of one report."""
    entry = Path(entry)
    raw_messages: list[dict[str, Any]] = []
    loaded: list[LoadedFact] = []
    with _LOCK, _arelle_environment():
        from arelle.api.Session import Session
        from arelle.RuntimeOptions import RuntimeOptions

        started = time.perf_counter()
        options = RuntimeOptions(
            entrypointFile=str(entry.resolve()),
            plugins="loadFromOIM" if entry.suffix.lower() in _OIM_SUFFIXES else None,
            workOffline=True,
            disablePersistentConfig=True,
            keepOpen=True,
            logFile="logToStructuredMessage",
        )
        with Session() as session:
            try:
                session.run(options)
            except Exception as exc:  # noqa: BLE001 - reported as a message, as in validate()
                raw_messages.append(_synthetic("kcxbrl:arelleException", f"{type(exc).__name__}: {exc}", entry))
            raw_messages[:0] = list(session.get_log_messages())
            for model in list(session.get_models()):
                loaded += [_loaded_fact(f) for f in model.factsInInstance]
                file_source = getattr(model, "fileSource", None)
                model.close()
                if file_source is not None:
                    _close_file_source(file_source)
        seconds = time.perf_counter() - started
    kept = [m for m in raw_messages if _category(str(m.get("levelname")), str(m.get("messageCode"))) is not None]
    messages = tuple(_to_message(m, frozenset()) for m in kept)
    counts = {c: sum(1 for m in messages if m.category == c) for c in ("error", "warning", "inconsistency", "assertion")}
    report = ValidationReport(entry=str(entry), messages=messages, errors=counts["error"], warnings=counts["warning"],
                              inconsistencies=counts["inconsistency"], assertions=counts["assertion"],
                              fact_count=len(loaded), seconds=round(seconds, 3))
    return report, tuple(sorted(loaded, key=lambda f: f.model_dump_json()))


def _loaded_fact(fact: Any) -> LoadedFact:
    context = fact.context
    if context is None:
        period, dimensions = "", ()
    else:
        period = (f"@{context.instantDatetime.isoformat()}" if context.isInstantPeriod
                  else f"{context.startDatetime.isoformat()}/{context.endDatetime.isoformat()}")
        dimensions = tuple(sorted((dim.clarkNotation, str(value.memberQname.clarkNotation if value.isExplicit
                                                            else value.typedMember.stringValue))
                                  for dim, value in context.qnameDims.items()))
    unit = None
    if fact.unit is not None:
        numerators, denominators = fact.unit.measures
        unit = "*".join(sorted(m.clarkNotation for m in numerators)) + (
            "/" + "*".join(sorted(m.clarkNotation for m in denominators)) if denominators else "")
    value = None if fact.isNil else fact.xValue
    if isinstance(value, Decimal):  # 1200000 and 1200000.0 are one value
        value = format(value.normalize(), "f")
    elif value is not None:
        value = str(value)
    return LoadedFact(concept=fact.qname.clarkNotation, period=period, dimensions=dimensions, unit=unit,
                      value=value, decimals=fact.decimals if fact.isNumeric else None)


def validate_taxonomy(entry_xsd: Path) -> ValidationReport:
    """Validate a taxonomy entry point (schema) on its own; ``fact_count`` is 0."""
    return _run(Path(entry_xsd), export_json=None, expect_report=False)
