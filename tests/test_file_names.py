"""Any file name the file system allows gives a valid package.

The outputs beside the package keep the input's stem (`out/NAME.xbri`, `out/NAME/`, `NAME.json`);
the names inside the package (its top folder, `reports/*.xhtml`, the entry schema the report's
schemaRef points at) are a safe slug of it, since they are URIs that Arelle resolves: `#`, `%`,
`[ ]`, `\\`, spaces or non-ASCII letters there gave hundreds of IO errors (exit 2).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path

from kcxbrl.build import build_one
from kcxbrl.cli import main
from kcxbrl.dts import default_taxonomy
from kcxbrl.profile import load_profile
from kcxbrl.resources import samples_dir

SAMPLE = "kc-2025-h1-interim-results.txt"  # validates with no inconsistency at all

# stem -> the name used inside the package
STEMS = {
    "a#b": "a_b",
    "50%": "50_",
    "x[1]": "x_1_",
    "back\\slash": "back_slash",
    "space name": "space_name",
    "ünï": "uni",
    "中文 &<'\"?": "report",
    ".hidden": "hidden",
}
SAFE = re.compile(r"[A-Za-z0-9._-]+")


def test_unusual_file_names_give_valid_packages(tmp_path, capsys):
    inputs = []
    for stem in STEMS:
        path = tmp_path / f"{stem}.txt"
        shutil.copyfile(samples_dir() / SAMPLE, path)
        inputs.append(path)
    out = tmp_path / "out"
    code = main(["build", *map(str, inputs), "--out", str(out)])
    stdout, err = capsys.readouterr()
    assert err == "" and code == 0, (stdout, err)  # findings are reported, not fatal
    lines = {line.split(": ", 1)[0]: line for line in stdout.splitlines() if not line.startswith(" ")}
    for stem, inner in STEMS.items():
        assert "0 errors, 0 warnings, 0 inconsistencies, 0 failed assertions" in lines[stem], lines.get(stem, stdout)
        package, folder = out / f"{stem}.xbri", out / stem
        assert (folder / f"{stem}.json").is_file() and (folder / "validation.json").is_file()
        assert (folder / "reports" / f"{inner}.xhtml").is_file()
        with zipfile.ZipFile(package) as zf:
            names = zf.namelist()
        assert all(SAFE.fullmatch(part) for name in names for part in name.split("/")), names
        assert f"{inner}/reports/{inner}.xhtml" in names and f"{inner}/taxonomy/{inner}.xsd" in names
        report = (folder / "reports" / f"{inner}.xhtml").read_text(encoding="utf-8")
        assert f'xlink:href="../taxonomy/{inner}.xsd"' in report


def test_dot_stems_are_published_under_the_file_name(tmp_path, capsys):
    """`..txt` has the stem `.` and `...txt` the stem `..`: not names an output can have (they were
    an internal error, and `...txt` wrote the package's files into the output folder itself)."""
    inputs = []
    for name in ("..txt", "...txt"):
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        shutil.copyfile(samples_dir() / SAMPLE, path)
        inputs.append(path)
    out = tmp_path / "out"
    code = main(["build", *map(str, inputs), "--out", str(out)])
    stdout, err = capsys.readouterr()
    assert err == "" and code == 0, (stdout, err)  # findings are reported, not fatal
    for name in ("..txt", "...txt"):
        assert (out / f"{name}.xbri").is_file()
        assert (out / name / f"{name}.json").is_file()
        assert (out / name / "reports" / "report.xhtml").is_file()
    assert not (out / "META-INF").exists() and not (out / "reports").exists()
    assert "0 errors, 0 warnings, 0 inconsistencies" in stdout


def test_a_name_that_is_not_utf8_gives_a_valid_package(tmp_path):
    """Bytes that are not UTF-8 (Python's lone surrogates) and a control character in the name;
    through build_one, since printing such a name is the command line's business."""
    stem = os.fsdecode(b"caf\xe9 \x01bell")
    path = tmp_path / f"{stem}.txt"
    shutil.copyfile(samples_dir() / SAMPLE, path)
    out = tmp_path / "out"
    result = build_one(path, out, default_taxonomy(), load_profile("kingsoft-cloud"))
    assert result.validation is not None
    assert (result.validation.errors, result.validation.warnings, result.validation.inconsistencies) == (0, 0, 0)
    assert result.package == out / f"{stem}.xbri" and result.folder == out / stem
    assert (out / stem / f"{stem}.json").is_file()
    assert (out / stem / "reports" / "caf_bell.xhtml").is_file()
    findings = json.loads((out / stem / "findings.json").read_text(encoding="utf-8"))
    assert findings and all(f["ref"]["file"] == f"{stem}.txt" for f in findings)


def test_a_name_too_long_for_the_outputs_is_one_clear_error(tmp_path, capsys):
    """A 255-byte file name without `.txt` leaves a stem too long for `NAME.xbri`."""
    path = tmp_path / ("x" * 251 + ".md")
    shutil.copyfile(samples_dir() / SAMPLE, path)
    out = tmp_path / "out"
    code = main(["build", str(path), "--out", str(out)])
    stdout, err = capsys.readouterr()
    assert code == 3 and stdout == "", (stdout, err)
    assert err.count("\n") == 1 and err.startswith(f"error: {path.name}: ") and "too long" in err
    assert not out.exists() or os.listdir(out) == []
