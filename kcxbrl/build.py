"""The one place that runs the stages, for one announcement:

read (kcxbrl.read) -> understand (kcxbrl.understand) -> check (kcxbrl.check)
-> publish (kcxbrl.publish) -> validate (kcxbrl.validate).

Nothing is written to the output folder until the input has been read and tagged, and then
everything is staged beside it and moved into place: an unusable input leaves no files.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict

from kcxbrl import validate as validation
from kcxbrl.check import check
from kcxbrl.dts import Taxonomy
from kcxbrl.errors import InputError
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
        unprinted_calc=tagging.unprinted_calc + tuple(a for a in checks.unchecked_calc if a not in tagging.unprinted_calc),
        coverage=checks.coverage,
        schema_ref=schema_ref(document.name),
        entity_scheme=scheme,
        entity_id=identifier,
    ), profile


def generate(path: Path, taxonomy: Taxonomy, profile: IssuerProfile | None = None, *,
             tag_all_prose: bool = False) -> tuple[Filing, dict[str, bytes]]:
    """Everything up to the package's files, in memory (no Arelle, no disk writes)."""
    filing, profile = make_filing(path, taxonomy, profile, tag_all_prose=tag_all_prose)
    return filing, report_files(filing, profile.taxonomy, f"{profile.name}: {filing.document.name}")


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
