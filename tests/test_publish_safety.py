"""Publishing a build: a reader sees the old pair (out/NAME.xbri, out/NAME/) or the new pair,
never a mix, whenever the build is killed; two builds of one name may race; nothing hidden is
left behind for long (SIGTERM cleans up at once, folders of killed builds go with the next build).

Builds that are killed run in a subprocess (`WORKER` below), which SIGKILLs itself at the k-th
file-system step of the build (os.rename, os.replace, os.link, os.symlink and the exchange of two
names, kcxbrl.publish.package._renameat2 where there is one), for every k until the build
finishes: so every point between two steps is tried.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from kcxbrl.build import build_one
from kcxbrl.dts import default_taxonomy
from kcxbrl.profile import load_profile
from kcxbrl.resources import samples_dir
from kcxbrl.validate import validate

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and symlinks as on POSIX")

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = "kc-2025-h1-interim-results.txt"
NAME = "doc"
MARK = "Version two of this announcement."

WORKER = r'''
import os, signal, sys, time
import kcxbrl
assert kcxbrl.__file__.startswith(os.environ["PYTHONPATH"].split(os.pathsep)[0]), kcxbrl.__file__
from pathlib import Path

import kcxbrl.build as build
import kcxbrl.publish.package as package
from kcxbrl.dts import default_taxonomy
from kcxbrl.profile import load_profile

source, out, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
step = int(sys.argv[4]) if mode in ("kill-at-step", "build") else -1
calls = [0]


def hooked(fn):
    def wrapped(*args, **kwargs):
        if calls[0] == step:
            os.kill(os.getpid(), signal.SIGKILL)
        calls[0] += 1
        return fn(*args, **kwargs)
    return wrapped


if mode == "kill-at-step":
    for name in ("rename", "replace", "link", "symlink"):
        setattr(os, name, hooked(getattr(os, name)))
    if hasattr(package, "_renameat2"):
        package._renameat2 = hooked(package._renameat2)
elif mode in ("kill-in-validate", "term-in-validate", "hang-in-validate"):
    def stop(*args, **kwargs):
        if mode == "hang-in-validate":
            Path(sys.argv[4]).write_text("staged", encoding="utf-8")
        else:
            os.kill(os.getpid(), signal.SIGKILL if mode == "kill-in-validate" else signal.SIGTERM)
        time.sleep(60)
        raise SystemExit("not stopped")
    build.validation.validate = stop

for _ in range(step if mode == "build" else 1):
    build.build_one(source, out, default_taxonomy(), load_profile("kingsoft-cloud"), validate=mode.endswith("-in-validate"))
print("finished")
'''


@pytest.fixture(scope="module")
def worker(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("worker") / "worker.py"
    path.write_text(WORKER, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, Path]:
    """The same announcement twice, as doc.txt: v1 the sample, v2 with one more paragraph."""
    root = tmp_path_factory.mktemp("inputs")
    text = (samples_dir() / SAMPLE).read_text(encoding="utf-8")
    v1, v2 = root / "v1" / f"{NAME}.txt", root / "v2" / f"{NAME}.txt"
    v1.parent.mkdir()
    v2.parent.mkdir()
    v1.write_text(text, encoding="utf-8")
    v2.write_text(text.rstrip("\n") + f"\n\n{MARK}\n", encoding="utf-8")
    return v1, v2


def worker_env() -> dict[str, str]:
    """The worker imports kcxbrl from this checkout (a script's own folder, not the working
    directory, comes first on sys.path)."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def run_worker(worker: Path, *args: object, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(worker), *map(str, args)], cwd=PROJECT, env=worker_env(),
                          capture_output=True, text=True, timeout=timeout)


def build(source: Path, out: Path, validate: bool = False):
    return build_one(source, out, default_taxonomy(), load_profile("kingsoft-cloud"), validate=validate)


def version(out: Path, name: str = NAME) -> str:
    """Which build the pair out/NAME.xbri + out/NAME/ is ("v1" or "v2"); fails on a mix."""
    package, folder = out / f"{name}.xbri", out / name
    assert folder.is_dir(), sorted(os.listdir(out))
    assert package.is_file(), sorted(os.listdir(out))
    report = folder / "reports" / f"{name}.xhtml"
    with zipfile.ZipFile(package) as zf:
        packed = zf.read(f"{name}/reports/{name}.xhtml")
    assert packed == report.read_bytes(), "NAME.xbri and NAME/ come from different builds"
    return "v2" if MARK.encode() in packed else "v1"


def hidden(out: Path) -> list[str]:
    return sorted(n for n in os.listdir(out) if n.startswith("."))


def make_old_layout(out: Path, name: str = NAME) -> None:
    """The layout kcxbrl wrote before: a real NAME.xbri file beside a real NAME/ folder."""
    package = out / f"{name}.xbri"
    if package.is_symlink():
        data = package.read_bytes()
        package.unlink()
        package.write_bytes(data)
    inside = out / name / f"{name}.xbri"
    if inside.exists():
        inside.unlink()
    assert not package.is_symlink() and not (out / name).is_symlink()


# ---------------------------------------------------------------- layout


def test_the_pair_is_published_as_one_folder(tmp_path, versions):
    v1, _ = versions
    out = tmp_path / "out"
    result = build(v1, out, validate=True)
    assert sorted(os.listdir(out)) == [NAME, f"{NAME}.xbri"]
    assert (out / NAME).is_dir() and not (out / NAME).is_symlink()
    # NAME.xbri is a relative link into the folder, so both change in the one step that replaces NAME/
    assert os.readlink(out / f"{NAME}.xbri") == f"{NAME}/{NAME}.xbri"
    assert (out / NAME / f"{NAME}.xbri").is_file() and not (out / NAME / f"{NAME}.xbri").is_symlink()
    for rel in (f"{NAME}.json", "validation.json", "findings.json", "checks.json", "sources.json", "coverage.json",
                f"reports/{NAME}.xhtml", "META-INF/reportPackage.json"):
        assert (out / NAME / rel).is_file(), rel
    assert result.package == out / f"{NAME}.xbri" and result.folder == out / NAME
    assert version(out) == "v1"
    report = validate(out / f"{NAME}.xbri")  # Arelle opens the published package through the link
    assert (report.errors, report.warnings, report.fact_count) == (0, 0, result.facts)
    assert json.loads((out / NAME / "validation.json").read_text(encoding="utf-8"))["errors"] == 0


def test_a_rebuild_replaces_the_pair_and_leaves_nothing_else(tmp_path, versions):
    v1, v2 = versions
    out = tmp_path / "out"
    build(v1, out)
    build(v2, out)
    assert version(out) == "v2"
    assert sorted(os.listdir(out)) == [NAME, f"{NAME}.xbri"]


def test_the_old_layout_is_migrated(tmp_path, versions):
    v1, v2 = versions
    out = tmp_path / "out"
    build(v1, out)
    make_old_layout(out)
    build(v2, out)
    assert version(out) == "v2"
    assert os.readlink(out / f"{NAME}.xbri") == f"{NAME}/{NAME}.xbri"
    assert sorted(os.listdir(out)) == [NAME, f"{NAME}.xbri"]


# ---------------------------------------------------------------- killed builds


@pytest.mark.parametrize("old_layout", [False, True], ids=["layout", "old-layout"])
def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_pair(tmp_path, worker, versions, old_layout):
    v1, v2 = versions
    seen, problems = [], []
    for step in range(40):
        out = tmp_path / f"out-{step}"
        build(v1, out)
        if old_layout:
            make_old_layout(out)
        done = run_worker(worker, v2, out, "kill-at-step", step)
        killed = done.returncode == -signal.SIGKILL
        assert killed or (done.returncode == 0 and "finished" in done.stdout), done.stderr
        try:
            seen.append(version(out))  # old or new pair, never a mix, after every step
        except AssertionError as exc:
            problems.append(f"killed at step {step}: {exc}")
        # the next build cleans up what the killed one left behind
        build(v2, out)
        assert version(out) == "v2"
        if sorted(os.listdir(out)) != [NAME, f"{NAME}.xbri"]:
            problems.append(f"killed at step {step}, then built again: left {sorted(os.listdir(out))}")
        if not killed:
            break
    else:
        pytest.fail("the build never finished")
    assert problems == [], "\n".join(problems)
    assert seen[0] == "v1" and seen[-1] == "v2"


def test_sigterm_removes_the_staging_folder(tmp_path, worker, versions):
    v1, _ = versions
    out = tmp_path / "out"
    out.mkdir()
    done = run_worker(worker, v1, out, "term-in-validate")
    assert done.returncode == -signal.SIGTERM, (done.returncode, done.stderr)
    assert os.listdir(out) == []


def test_the_next_build_removes_what_killed_builds_left_and_nothing_of_a_running_one(tmp_path, worker, versions):
    v1, v2 = versions
    out = tmp_path / "out"
    build(v1, out)
    done = run_worker(worker, v2, out, "kill-in-validate")
    assert done.returncode == -signal.SIGKILL
    left = hidden(out)
    assert left, "a SIGKILLed build leaves its staging folder"
    # folders an older kcxbrl left: a staging folder (no pid in its name) an hour old, and the
    # old folder it moved aside before replacing NAME/ (pid in its name)
    legacy = out / ".kcxbrl-ab_cd123"
    (legacy / "x").mkdir(parents=True)
    hour_ago = time.time() - 3700
    os.utime(legacy, (hour_ago, hour_ago))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    moved_aside = out / f".{NAME}.old-{dead}"
    (moved_aside / "META-INF").mkdir(parents=True)
    (moved_aside / "META-INF" / "reportPackage.json").write_text("{}", encoding="utf-8")
    # a build of another name that is running (staged, validating) in the same folder
    marker = tmp_path / "staged"
    other = tmp_path / "other" / "live.txt"
    other.parent.mkdir()
    other.write_text(v1.read_text(encoding="utf-8"), encoding="utf-8")
    running = subprocess.Popen([sys.executable, str(worker), str(other), str(out), "hang-in-validate", str(marker)],
                               cwd=PROJECT, env=worker_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 30
        while not marker.exists():
            assert running.poll() is None and time.time() < deadline, running.stderr.read() if running.stderr else ""
            time.sleep(0.05)
        running_staging = set(hidden(out)) - set(left) - {legacy.name, moved_aside.name}
        assert len(running_staging) == 1
        build(v2, out)
        assert version(out) == "v2"
        assert hidden(out) == sorted(running_staging)  # the running build's folder is kept
    finally:
        running.kill()
        running.wait()
    build(v1, out)
    assert sorted(os.listdir(out)) == [NAME, f"{NAME}.xbri"]


# ---------------------------------------------------------------- concurrent builds


def _publish_many(out: str, tag: str, count: int, start, errors) -> None:
    from kcxbrl.publish import move_into_place, staging

    start.wait()
    try:
        for i in range(count):
            with staging(Path(out)) as tmp:
                folder = tmp / NAME
                (folder / "reports").mkdir(parents=True)
                text = f"{tag} {i}"
                (folder / "reports" / f"{NAME}.xhtml").write_text(text, encoding="utf-8")
                with zipfile.ZipFile(folder / f"{NAME}.xbri", "w") as zf:
                    zf.writestr(f"{NAME}/reports/{NAME}.xhtml", text)
                move_into_place(folder, Path(out) / NAME)
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        errors.put(f"{tag}: {type(exc).__name__}: {exc}")
        raise


def test_concurrent_publications_of_one_name_all_succeed(tmp_path):
    out = tmp_path / "out"
    out.mkdir(parents=True)
    context = multiprocessing.get_context("fork")
    start, errors = context.Event(), context.Queue()
    workers = [context.Process(target=_publish_many, args=(str(out), tag, 300, start, errors)) for tag in "ab"]
    for w in workers:
        w.start()
    start.set()
    for w in workers:
        w.join(120)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == [] and [w.exitcode for w in workers] == [0, 0]
    assert sorted(os.listdir(out)) == [NAME, f"{NAME}.xbri"]
    with zipfile.ZipFile(out / f"{NAME}.xbri") as zf:
        assert zf.read(f"{NAME}/reports/{NAME}.xhtml") == (out / NAME / "reports" / f"{NAME}.xhtml").read_bytes()


def test_without_an_exchange_of_names_publishing_still_works(tmp_path, versions, monkeypatch):
    """A file system without renameat2's exchange (NFS, say): the old folder is renamed aside and
    the new one in; rebuilds, the old layout and racing publications still come out whole."""
    import kcxbrl.publish.package as package

    monkeypatch.setattr(package, "_renameat2_function", lambda: None)
    v1, v2 = versions
    out = tmp_path / "out"
    build(v1, out)
    make_old_layout(out)
    build(v2, out)
    assert version(out) == "v2"
    build(v1, out)
    assert version(out) == "v1"
    assert sorted(os.listdir(out)) == [NAME, f"{NAME}.xbri"]
    test_concurrent_publications_of_one_name_all_succeed(tmp_path / "race")


def test_concurrent_builds_of_one_name_both_succeed(tmp_path, worker, versions):
    v1, v2 = versions
    out = tmp_path / "out"
    out.mkdir()
    runs = [subprocess.Popen([sys.executable, str(worker), str(source), str(out), "build", "4"], cwd=PROJECT,
                             env=worker_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for source in (v1, v2)]
    for run in runs:
        stdout, stderr = run.communicate(timeout=120)
        assert run.returncode == 0 and "finished" in stdout, stderr
    assert version(out) in ("v1", "v2")
    assert sorted(os.listdir(out)) == [NAME, f"{NAME}.xbri"]
