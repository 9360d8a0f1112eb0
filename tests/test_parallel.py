"""Builds of several documents at once give the outputs of a build one after another.

`kcxbrl build --jobs N` forks N workers; `kcxbrl build --scheduler tcp://HOST:PORT` runs one task
per document on a Dask distributed cluster (here a local one, on this machine). Each is compared,
byte for byte, with the session's serial build of the same samples (conftest.built)."""

from __future__ import annotations

from pathlib import Path

from kcxbrl.build import Outcome, _portable, build_all, default_jobs
from kcxbrl.cli import bundled_samples, main
from kcxbrl.errors import InputError, KcxbrlError

from conftest import Built

TWO = ("kc-2023-h1-interim-results", "kc-2025-q2-press-release")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _same_as_serial(built: dict[str, Built], out: Path) -> None:
    for name in TWO:
        serial = built[name].result
        assert _tree(out / name) == _tree(serial.folder), name
        assert (out / f"{name}.xbri").read_bytes() == serial.package.read_bytes()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [*TWO, *(f"{n}.xbri" for n in TWO), "checks.json", "index.html"])  # and no staging folder left


def _inputs() -> list[str]:
    return [str(p) for p in bundled_samples() if p.stem in TWO]


def test_jobs_2_gives_the_serial_build_byte_for_byte(built, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", *_inputs(), "--jobs", "2", "--out", str(out)]) == 0
    _same_as_serial(built, out)
    lines = capsys.readouterr().out.splitlines()
    # one line per document, in the order given, then the checks once, over both
    assert [line.split(":")[0] for line in lines if line.startswith("kc-")] == list(TWO)
    assert sum("across 2 documents" in line for line in lines) == 1


def test_the_dask_executor_gives_the_serial_build(built, tmp_path, capsys):
    from distributed import LocalCluster

    out = tmp_path / "out"
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        assert main(["build", *_inputs(), "--scheduler", cluster.scheduler_address, "--out", str(out)]) == 0
    _same_as_serial(built, out)
    assert sum("across 2 documents" in line for line in capsys.readouterr().out.splitlines()) == 1


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path, capsys):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["build", *_inputs(), "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert code == 3 and "Dask scheduler tcp://127.0.0.1:9" in err and err.count("\n") == 1, (out, err)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_document_that_fails_in_a_worker_is_reported_like_in_a_serial_build(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    outcomes = list(build_all([empty, empty], tmp_path / "a", None, None, jobs=2))  # type: ignore[arg-type]
    assert [o.path for o in outcomes] == [empty, empty]
    serial = list(build_all([empty], tmp_path / "b", None, None, jobs=1))  # type: ignore[arg-type]
    assert all(isinstance(o.error, KcxbrlError) and str(o.error) == str(serial[0].error) for o in outcomes)


def test_errors_cross_processes_with_their_message():
    error = _portable(InputError("a.txt", 3, "not an announcement"))
    assert isinstance(error, KcxbrlError) and str(error) == "a.txt:3: not an announcement"
    assert isinstance(_portable(FileNotFoundError(2, "No such file", "x")), FileNotFoundError)
    assert Outcome(Path("x"), error=error).error is error
    assert default_jobs() >= 1
