"""The command line in hostile surroundings (issue 10), run as a user runs it: `python -m kcxbrl`
in a subprocess (this checkout first on PYTHONPATH), looking at its exit code, its console and
the output folder. Ctrl-C, a reader that closes the pipe, a console that is not UTF-8, an input
that cannot be read, an output folder that cannot be made, a full disk, a checks.json that
cannot be replaced, file modes, `kcxbrl check` on a report without facts, `kcxbrl validate` on
the scale `kcxbrl build` uses; and the reader's and the tagger's one-line errors.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from kcxbrl.cli import main
from kcxbrl.profile import load_profile
from kcxbrl.read import read_document
from kcxbrl.resources import samples_dir
from kcxbrl.understand import understand

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals, modes and mounts as on POSIX")

PROJECT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(samples_dir().glob("*.txt"))
SMALL = [samples_dir() / "kc-2024-annual-results.txt", samples_dir() / "kc-2025-q2-press-release.txt"]


def child_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def kcxbrl(*args: object, env: dict[str, str] | None = None, timeout: float = 300,
           **popen: object) -> subprocess.CompletedProcess:
    """The real command, as `python -m kcxbrl ...` (what the `kcxbrl` script runs)."""
    return subprocess.run([sys.executable, "-m", "kcxbrl", *map(str, args)], cwd=PROJECT, env=env or child_env(),
                          capture_output=True, text=True, timeout=timeout, **popen)


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr and "please report" not in stderr, stderr
    assert lines[0].startswith("error: "), stderr
    return lines[0]


def assert_pairs_only(out: Path, allowed: tuple[str, ...] = ("checks.json", "index.html")) -> set[str]:
    """out holds published pairs NAME/ + NAME.xbri (a link into NAME/ whose package is NAME/'s
    report) and nothing hidden or half made; the names published."""
    entries = set(os.listdir(out)) if out.exists() else set()
    assert not [e for e in entries if e.startswith(".")], sorted(entries)
    names = {e for e in entries if e not in allowed and not e.endswith(".xbri")}
    assert {e for e in entries if e.endswith(".xbri")} == {f"{n}.xbri" for n in names}, sorted(entries)
    for name in names:
        folder, package = out / name, out / f"{name}.xbri"
        assert folder.is_dir() and package.is_file(), sorted(entries)
        with zipfile.ZipFile(package) as zf:
            inside = zf.namelist()[0].split("/")[0]  # the name made safe for URIs (q2-résumé: q2-resume)
            assert zf.read(f"{inside}/reports/{inside}.xhtml") == (folder / "reports" / f"{inside}.xhtml").read_bytes()
        for rel in ("validation.json", "findings.json", "sources.json", f"{name}.json"):
            assert (folder / rel).is_file(), (name, rel)
    return names


# ---------------------------------------------------------------- 1. Ctrl-C


@pytest.mark.parametrize("delay", [0.5, 1.0, 4.0])
def test_ctrl_c_during_a_build_is_one_line_exit_130_and_leaves_whole_pairs(tmp_path, delay):
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-m", "kcxbrl", "build", *map(str, SAMPLES), "--out", str(out)],
                           cwd=PROJECT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    run.send_signal(signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, (run.returncode, stdout, stderr)
    assert len(stderr.splitlines()) == 1 and stderr.startswith("interrupted"), stderr
    assert "Traceback" not in stderr
    published = assert_pairs_only(out)
    assert len(published) < len(SAMPLES)  # it was interrupted, not finished


SELF_INTERRUPT = r'''
import os, signal, sys
import kcxbrl
assert kcxbrl.__file__.startswith(os.environ["PYTHONPATH"].split(os.pathsep)[0]), kcxbrl.__file__
when = sys.argv[1]
if when == "importing":  # Ctrl-C while kcxbrl.cli (pydantic, Arelle) is being imported
    import builtins
    real_import = builtins.__import__

    def importing(name, *args, **kwargs):
        if name == "kcxbrl.build":
            os.kill(os.getpid(), signal.SIGINT)
        return real_import(name, *args, **kwargs)

    builtins.__import__ = importing
elif when == "in-del":  # Ctrl-C while an object's __del__ runs (Python swallows what it raises)
    import kcxbrl.build as build
    real_generate = build.generate

    class Doomed:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(100_000):
                pass

    def generate_after_a_del(*args, **kwargs):
        Doomed()
        return real_generate(*args, **kwargs)

    build.generate = generate_after_a_del
else:  # Ctrl-C right after NAME/ took its new place, before NAME.xbri points into it
    import kcxbrl.publish.package as package
    real_swap = package._swap_in

    def swap_then_interrupt(*args, **kwargs):
        real_swap(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)

    package._swap_in = swap_then_interrupt
from kcxbrl.__main__ import main
sys.argv = ["kcxbrl", *sys.argv[2:]]
sys.exit(main())
'''


@pytest.mark.parametrize("when", ["importing", "in-del", "publishing"])
def test_ctrl_c_at_the_awkward_moments(tmp_path, when):
    """While the command is still being imported (there was a traceback); while an object's
    __del__ runs (Arelle's imports have some: the interrupt was lost, the build went on to exit 0,
    with Python's 'Exception ignored' traceback); between the two renames that publish NAME/ and
    NAME.xbri (there was a NAME/ without its NAME.xbri). The interrupt lost in __del__ stops the
    build before the next document."""
    script = tmp_path / "interrupt.py"
    script.write_text(SELF_INTERRUPT, encoding="utf-8")
    out = tmp_path / "out"
    # one process: the signal the script sends itself reaches the process that builds (with
    # --jobs 2 a worker sends it to itself; a terminal's Ctrl-C reaches every process of the group)
    done = subprocess.run([sys.executable, str(script), when, "build", *map(str, SMALL), "--out", str(out), "--jobs", "1"],
                          cwd=PROJECT, env=child_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 130, (done.returncode, done.stdout, done.stderr)
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("interrupted"), done.stderr
    published = assert_pairs_only(out)
    assert published == (set() if when == "importing" else {SMALL[0].stem})


def test_ctrl_c_at_a_terminal_reaches_the_workers_too_and_ends_the_same_way(tmp_path):
    """A terminal's Ctrl-C goes to every process of the group: the --jobs workers as well."""
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-m", "kcxbrl", "build", *map(str, SAMPLES), "--out", str(out), "--jobs", "2"],
                           cwd=PROJECT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)
    time.sleep(2.0)
    os.killpg(run.pid, signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 130, (run.returncode, stdout, stderr)
    assert len(stderr.splitlines()) == 1 and stderr.startswith("interrupted"), stderr
    published = assert_pairs_only(out)
    assert len(published) < len(SAMPLES)


# ---------------------------------------------------------------- 2. a closed pipe


def test_a_reader_that_closes_the_pipe_stops_no_build(tmp_path):
    """`kcxbrl build A B | head -1`: no traceback, both packages and out/checks.json written."""
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-m", "kcxbrl", "build", *map(str, SMALL), "--out", str(out)], cwd=PROJECT,
                           env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run.stdout is not None and run.stderr is not None
    first = run.stdout.readline()
    run.stdout.close()
    stderr = run.stderr.read().decode()
    assert run.wait(timeout=120) == 0, stderr
    assert first.startswith(SMALL[0].stem.encode())
    assert stderr == ""
    assert assert_pairs_only(out) == {p.stem for p in SMALL}
    assert json.loads((out / "checks.json").read_text(encoding="utf-8"))["documents"] == sorted(p.stem for p in SMALL)


# ---------------------------------------------------------------- 3. a console that is not UTF-8


@pytest.mark.parametrize("console", ["PYTHONIOENCODING=ascii", "LANG=C"])
def test_a_console_that_is_not_utf8(tmp_path, console):
    """A non-ASCII file name and a finding with an en dash (the press release's line 222): both
    documents built, printed escaped, checks.json written; with LANG=C the file system encoding
    is ASCII too (the name reaches kcxbrl as surrogates: writing checks.json failed)."""
    if console == "LANG=C":
        env = {k: v for k, v in child_env(LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0").items()
               if k != "PYTHONIOENCODING"}
    else:
        env = child_env(PYTHONIOENCODING="ascii")
    inputs = [tmp_path / "q2-r\u00e9sum\u00e9.txt", tmp_path / "annual.txt"]
    shutil.copyfile(SMALL[1], inputs[0])
    shutil.copyfile(SMALL[0], inputs[1])
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "kcxbrl", "build", *map(os.fsencode, inputs), "--out", str(out)],
                          cwd=PROJECT, env=env, capture_output=True, timeout=300)
    stdout, stderr = done.stdout.decode("ascii"), done.stderr.decode("ascii")  # nothing but ASCII was printed
    assert done.returncode == 0, (stdout, stderr)
    assert stderr == "" and "UnicodeEncodeError" not in stdout
    assert "\\u2013 Share-based compensation" in stdout  # the en dash, escaped
    assert "2 packages written" in stdout
    assert assert_pairs_only(out) == {"q2-r\u00e9sum\u00e9", "annual"}
    assert len(json.loads((out / "checks.json").read_text(encoding="utf-8"))["documents"]) == 2


# ---------------------------------------------------------------- 4. unusable input and output


def test_a_folder_given_as_input_is_one_line(tmp_path):
    folder = tmp_path / "x.txt"
    folder.mkdir()
    out = tmp_path / "out"
    done = kcxbrl("build", folder, "--out", out)
    assert done.returncode == 3, done
    assert one_error_line(done.stderr) == "error: x.txt: not a regular file"
    assert not out.exists() or os.listdir(out) == []


def _without_root_powers_over_files() -> None:
    """As root, drop the capabilities that let root read any file (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH) from the bounding set before exec, so mode 000 really means unreadable."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_an_unreadable_input_is_one_line_from_the_reader(tmp_path):
    secret = tmp_path / "secret.txt"
    shutil.copyfile(SMALL[0], secret)
    os.chmod(secret, 0)
    out = tmp_path / "out"
    try:
        done = kcxbrl("build", secret, SMALL[1], "--out", out, preexec_fn=_without_root_powers_over_files)
    finally:
        os.chmod(secret, 0o644)
    assert done.returncode == 3, done
    assert one_error_line(done.stderr) == "error: secret.txt: cannot be read (Permission denied)"
    assert assert_pairs_only(out) == {SMALL[1].stem}  # the other document is built


def test_the_reader_turns_a_permission_error_into_an_input_error(tmp_path, monkeypatch):
    from kcxbrl.errors import InputError

    path = tmp_path / "locked.txt"
    shutil.copyfile(SMALL[0], path)

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value) == "locked.txt: cannot be read (Permission denied)"


def test_an_output_folder_that_cannot_be_made_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    done = kcxbrl("build", *SMALL, "--out", blocker / "out")
    assert done.returncode == 3, done
    assert one_error_line(done.stderr) == f"error: {blocker / 'out'}: Not a directory; nothing of this document was published"
    assert "0 packages written" in done.stdout and "exit 3" in done.stdout
    assert blocker.read_text(encoding="utf-8") == "in the way"


def _full_disk_by_size_limit():
    resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))  # the report (230 kB) does not fit


@pytest.mark.parametrize("full", ["tmpfs", "file-size-limit"])
def test_a_full_disk_is_one_line_and_leaves_nothing_hidden(tmp_path, full):
    """A real write failure of the kernel: a 64 kB tmpfs (ENOSPC; needs the right to mount, as
    root in a container), or a file size limit (EFBIG, anywhere)."""
    out = tmp_path / "out"
    out.mkdir()
    mounted = False
    if full == "tmpfs":
        if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(out)],
                                               capture_output=True).returncode != 0:
            pytest.skip("mounting a small tmpfs needs privileges this run does not have")
        mounted = True
    try:
        done = kcxbrl("build", *SMALL, "--out", out,
                      preexec_fn=_full_disk_by_size_limit if full == "file-size-limit" else None)
        assert done.returncode == 3, done
        message = one_error_line(done.stderr)
        reason = "no space left on the device" if full == "tmpfs" else "File too large"
        assert re.fullmatch(f"error: {re.escape(str(out / SMALL[0].stem))}(/\\S+)?: {reason}; "
                            "nothing of this document was published", message), message
        assert "0 packages written" in done.stdout
        assert os.listdir(out) == []  # no staging folder, no half package
    finally:
        if mounted:
            subprocess.run(["umount", str(out)], check=True)


# ---------------------------------------------------------------- 5. checks.json cannot be written


def _copy_report(built, name: str, out: Path) -> None:
    source = built[name].result.folder
    shutil.copytree(source, out / name, symlinks=True)
    os.symlink(f"{name}/{name}.xbri", out / f"{name}.xbri")


def test_a_checks_json_that_cannot_be_replaced_is_one_line(built, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _copy_report(built, "kc-2025-annual-results", out)
    (out / "checks.json" / "something").mkdir(parents=True)
    done = kcxbrl("build", SMALL[0], "--out", out)
    assert done.returncode == 3, done
    assert one_error_line(done.stderr) == (f"error: {out / 'checks.json'}: Is a directory; "
                                           "the comparison across documents was not written")
    assert assert_pairs_only(out) == {"kc-2025-annual-results", SMALL[0].stem}  # the package is published
    assert sorted(os.listdir(out / "checks.json")) == ["something"]
    assert not [n for n in os.listdir(out) if n.startswith(".")]  # no .checks.json.XXXX left


# ---------------------------------------------------------------- 9. file modes


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_outputs_have_the_modes_of_any_new_file(built, tmp_path, umask):
    """Files 0666 and folders 0777 less the umask (0644/0755 with the usual 022): the staging
    folder is 0700, but nothing published inherits that, nor is checks.json 0644 whatever the
    umask says."""
    out = tmp_path / "out"
    out.mkdir()
    _copy_report(built, "kc-2025-annual-results", out)
    done = kcxbrl("build", SMALL[0], "--out", out, preexec_fn=lambda: os.umask(umask))
    assert done.returncode == 0, done
    name = SMALL[0].stem
    wrong = []
    for path in [out / name, out / "checks.json", *(out / name).rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        expected = (0o777 if path.is_dir() else 0o666) & ~umask
        if not path.is_symlink() and mode != expected:
            wrong.append(f"{path.relative_to(out)} {mode:o} (expected {expected:o})")
    assert wrong == []
    assert os.readlink(out / f"{name}.xbri") == f"{name}/{name}.xbri"


# ---------------------------------------------------------------- 6. check on a report without facts


@pytest.mark.parametrize("facts", [{}, []], ids=["empty-object", "empty-list"])
def test_check_on_a_report_without_facts_has_nothing_to_compare(built, tmp_path, facts):
    for name in ("kc-2024-annual-results", "kc-2025-annual-results"):
        _copy_report(built, name, tmp_path)
    export = tmp_path / "kc-2024-annual-results" / "kc-2024-annual-results.json"
    oim = json.loads(export.read_text(encoding="utf-8"))
    oim["facts"] = facts
    export.write_text(json.dumps(oim), encoding="utf-8")
    done = kcxbrl("check", tmp_path / "kc-2024-annual-results", tmp_path / "kc-2025-annual-results", "--strict")
    assert done.returncode == 0, done
    assert done.stderr == ""
    assert "  kc-2024-annual-results: no figures (its report has no numeric facts)" in done.stdout.splitlines()
    assert "0 figures compared, nothing to compare" in done.stdout


# ---------------------------------------------------------------- 10. validate on the same scale


def test_validate_agrees_with_build(built, tmp_path):
    package = built["kc-2025-q2-press-release"].result.package
    done = kcxbrl("validate", package)
    assert done.returncode == 0, done
    assert ", 0 errors, 0 warnings, 0 inconsistencies, 0 failed assertions" in done.stdout

    name = "kc-2025-q2-press-release"
    tampered = tmp_path / f"{name}.xbri"
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(tampered, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == f"{name}/reports/{name}.xhtml":
                data, count = re.subn(rb'(<ix:nonFraction[^>]*?contextRef=")[^"]+', rb"\1no-such-context", data, count=1)
                assert count == 1
            target.writestr(info, data)
    done = kcxbrl("validate", tampered)
    assert done.returncode == 2, done
    assert "no-such-context" in done.stdout and "Traceback" not in done.stderr

    done = kcxbrl("validate", tmp_path / "missing.xbri")
    assert done.returncode == 3 and one_error_line(done.stderr).endswith("missing.xbri: file not found")


# ---------------------------------------------------------------- 7. where the tagger gave up


TOO_LITTLE = {
    # a balance sheet the mapping knows, its header with currencies but no dates
    "undated.txt": ("Example Corp results\n\nRevenue grew.\n\nUNAUDITED CONDENSED CONSOLIDATED BALANCE SHEETS\n"
                    "(All amounts in thousands)\n\n\tRMB\tRMB\nCash and cash equivalents\t1,000\t2,000\n"
                    "Total assets\t1,000\t2,000\nTotal liabilities\t500\t600\n",
                    "no reporting period found: the table at line 8 is a statement the mapping knows (balance), but no "
                    "column of it has a period: it prints no date and no year (header line 8: 'RMB | RMB')"),
    "fruit.txt": ("Example Corp results\n\nRevenue grew.\n\nFRUIT\n\tApples\tPears\nBoxes\t1\t2\nCrates\t3\t4\n",
                  "no financial statement found: no table is one the mapping knows by its rows or caption "
                  "(the first table is at line 6)"),
    "words.txt": ("Example Corp results\n\nRevenue grew by 5.0% to RMB1,000.0 million.\n",
                  "no financial statement found: no table is one the mapping knows by its rows or caption "
                  "(the text has no table)"),
}


@pytest.mark.parametrize("name", sorted(TOO_LITTLE))
def test_a_document_the_tagger_gives_up_on_names_the_line(tmp_path, capsys, name):
    text, message = TOO_LITTLE[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["build", str(path), "--out", str(tmp_path / "out")]) == 3
    captured = capsys.readouterr()
    assert captured.err == f"error: {name}: {message}\n"
    assert not (tmp_path / "out").exists() or os.listdir(tmp_path / "out") == []


# ---------------------------------------------------------------- 8. a blank-looking line in a paragraph


PRESS = "kc-2025-q2-press-release.txt"


def _prose_facts(path: Path) -> set[tuple]:
    tagging = understand(read_document(path), load_profile("kingsoft-cloud"))
    return {(f.concept, f.context, f.unit, f.value) for f in tagging.facts if f.in_prose}


@pytest.mark.parametrize("blank", [" ", "  \t ", "\t", "\t\t", " \f "], ids=repr)
def test_a_line_of_spaces_and_tabs_inside_a_paragraph_loses_no_prose_fact(tmp_path, blank):
    """The press release's R&D sentence (line 35: RMB204.0 million in the same period in 2024) is
    split by a blank line before '2024'; spaces and tabs on that line, or on one more line
    inserted in the sentence, change nothing."""
    lines = (samples_dir() / PRESS).read_text(encoding="utf-8").split("\n")
    assert "RMB204.0 million" in lines[34] and lines[35] == "" and lines[36].startswith("2024 and")
    clean_path = tmp_path / "clean.txt"
    clean_path.write_text("\n".join(lines), encoding="utf-8")
    clean = _prose_facts(clean_path)
    assert any(f[0] == "ResearchAndDevelopmentExpense" and f[3] == 204_000_000 for f in clean)
    for variant, damaged_lines in {"on the blank line": lines[:35] + [blank] + lines[36:],
                                   "one more line": lines[:35] + [blank] + lines[35:]}.items():
        damaged = tmp_path / "damaged.txt"
        damaged.write_text("\n".join(damaged_lines), encoding="utf-8")
        got = _prose_facts(damaged)
        assert got == clean, (variant, sorted(map(str, clean - got)), sorted(map(str, got - clean)))
