"""The report and its taxonomy as an XBRL Report Package (.xbri), written atomically.

Layout (one top folder, as Report Packages 1.0 require):

    NAME/META-INF/reportPackage.json, taxonomyPackage.xml, catalog.xml
    NAME/reports/NAME.xhtml          (schemaRef ../taxonomy/NAME.xsd: works packed and unpacked)
    NAME/taxonomy/NAME.xsd           the report's entry schema: imports kcx-2026.xsd (+ its calc adjustments)
    NAME/taxonomy/kcx-2026*.x*

NAME inside the package is `package_name(stem)`: the stem itself when it is made of
URI-unreserved characters (every bundled sample), else a slug of it, since these names are URIs
that Arelle resolves (`#` starts a fragment, `%` an escape, `[ ]`, backslashes, spaces and non-ASCII
are not allowed raw); the outputs beside the package keep the stem.

The zip is deterministic: sorted entries, fixed timestamps and permissions.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sys
import threading
import time
import unicodedata
import zipfile
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Iterator

from kcxbrl.dts import (
    SCHEMA_FILE, TAXONOMY_URL_BASE, Taxonomy, build_catalog, build_report_extension, build_taxonomy_package, calc_arcs,
    taxonomy_files,
)

REPORT_PACKAGE_TYPE = "https://xbrl.org/report-package/2023/xbri"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NAME_LENGTH = 100


def package_name(name: str) -> str:
    """The report's name inside the package (its top folder, report file and entry schema): only
    URI-unreserved ASCII characters, so every href and entry path is valid without escaping.
    Accented letters lose their accents, any other run of characters becomes `_`; leading dots
    are dropped (no hidden entries, no `..`); what is left empty becomes "report"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("_", ascii_name).lstrip(".")[:_NAME_LENGTH]
    return slug if slug.strip("._-") else "report"


def schema_ref(name: str) -> str:
    """The report's schemaRef: its own entry schema, relative, so it resolves packed and unpacked."""
    return f"../taxonomy/{package_name(name)}.xsd"


def package_files(name: str, report: bytes, taxonomy: Taxonomy,
                  prohibited_calc: tuple[tuple[str, str, str], ...]) -> dict[str, bytes]:
    """Every file of the package, by its path inside the zip. `prohibited_calc`: (role, total,
    item) of the sums the report's entry schema prohibits (Checks.prohibited_calc). `name` is the
    document's stem; the paths use package_name(name)."""
    name = package_name(name)
    files = {
        f"{name}/META-INF/reportPackage.json": (
            json.dumps({"documentInfo": {"documentType": REPORT_PACKAGE_TYPE}}, indent=2) + "\n"
        ).encode(),
        f"{name}/META-INF/taxonomyPackage.xml": build_taxonomy_package(
            TAXONOMY_URL_BASE + SCHEMA_FILE, f"{TAXONOMY_URL_BASE}report/{name}"),
        f"{name}/META-INF/catalog.xml": build_catalog("../taxonomy/"),
        f"{name}/reports/{name}.xhtml": report,
    }
    for rel, data in taxonomy_files(taxonomy).items():
        if not rel.startswith("META-INF/"):
            files[f"{name}/taxonomy/{rel}"] = data
    prohibited = [arc for arc in calc_arcs(taxonomy) if (arc.role.id, arc.total, arc.item) in set(prohibited_calc)]
    for rel, data in build_report_extension(name, prohibited, taxonomy).items():
        files[f"{name}/taxonomy/{rel}"] = data
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[path])
    return buffer.getvalue()


# ---------------------------------------------------------------- publishing
#
# out/NAME/ is a real folder holding the unpacked package, NAME.xbri and the JSON files;
# out/NAME.xbri is the relative symlink NAME/NAME.xbri, made once and never changed. A build
# stages its folder in out/.kcxbrl-HOST-PID-TOKEN/ and publishes it by exchanging the two names
# in one system call, so the package and its folder change together: a reader (or a build killed
# at any moment) sees the old pair or the new pair, and two builds of one name racing each
# publish in turn (the last one wins). Staging folders of builds that are gone (pid not alive on
# this host) are removed by the next build; SIGTERM and SIGHUP remove the staging folder before
# the process dies.

_STAGING_PREFIX = ".kcxbrl-"
_STAGED = re.compile(r"\.kcxbrl-(?P<host>[A-Za-z0-9.]*)-(?P<pid>\d+)-[0-9a-f]{8}")
_LEGACY_STAGED = re.compile(r"\.kcxbrl-[a-z0-9_]{8}")  # tempfile.mkdtemp's, made by earlier versions
_LEGACY_MOVED_ASIDE = re.compile(r"\..+\.old-(?P<pid>\d+)")  # the old NAME/ while the new one moved in
_LEGACY_AGE = 3600.0  # seconds: a legacy staging folder (no pid in its name) older than this is stale

_ACTIVE: set[Path] = set()  # this process's staging folders, removed on SIGTERM/SIGHUP
_HANDLED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_INSTALLED: set[int] = set()


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A scratch folder beside the outputs (so publishing is a rename on one file system),
    named after this host and process; removed whatever happens, on SIGTERM/SIGHUP too.
    Staging folders that builds which are gone left behind are removed first."""
    out.mkdir(parents=True, exist_ok=True)
    remove_stale(out)
    tmp = out / f"{_STAGING_PREFIX}{_host()}-{os.getpid()}-{secrets.token_hex(4)}"
    _ACTIVE.add(tmp)
    try:
        tmp.mkdir(mode=0o700)
        _install_signal_handlers()
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        _ACTIVE.discard(tmp)
        _restore_signal_handlers()


def remove_stale(out: Path) -> None:
    """Remove the staging folders in `out` whose build is gone: ours whose process is not alive on
    this host, and what an older kcxbrl left (a mkdtemp staging folder over an hour old, an old
    NAME/ moved aside by a process that is gone)."""
    try:
        entries = list(os.scandir(out))
    except OSError:
        return
    host, now = _host(), time.time()
    for entry in entries:
        if not entry.name.startswith("."):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            if match := _STAGED.fullmatch(entry.name):
                stale = match["host"] == host and not _alive(int(match["pid"]))
            elif _LEGACY_STAGED.fullmatch(entry.name):
                stale = now - entry.stat(follow_symlinks=False).st_mtime > _LEGACY_AGE
            elif match := _LEGACY_MOVED_ASIDE.fullmatch(entry.name):
                stale = (not _alive(int(match["pid"]))
                         and os.path.isfile(os.path.join(entry.path, "META-INF", "reportPackage.json")))
            else:
                continue
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry.path, ignore_errors=True)


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9.]", "", socket.gethostname())[:40]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would not be a harmless probe there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, another user's
        return True
    return True


def _on_signal(signum: int, frame: object) -> None:
    """Remove this process's staging folders, then die of the signal as if nothing caught it."""
    for folder in list(_ACTIVE):
        shutil.rmtree(folder, ignore_errors=True)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    raise SystemExit(128 + signum)  # only if the signal is blocked


def _install_signal_handlers() -> None:
    """Only from the main thread (Python's rule), and only where nobody else handles the signal."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in _HANDLED_SIGNALS:
        if sig not in _INSTALLED and signal.getsignal(sig) == signal.SIG_DFL:
            signal.signal(sig, _on_signal)
            _INSTALLED.add(sig)


def _restore_signal_handlers() -> None:
    if _ACTIVE or threading.current_thread() is not threading.main_thread():
        return
    for sig in list(_INSTALLED):
        if signal.getsignal(sig) == _on_signal:
            signal.signal(sig, signal.SIG_DFL)
        _INSTALLED.discard(sig)


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def move_into_place(staged: Path, target: Path) -> None:
    """Publish a staged file or folder at `target`, replacing what was there in one step.

    A folder takes target's place by an exchange of the two names (Linux renameat2
    RENAME_EXCHANGE, macOS renamex_np RENAME_SWAP): target is never missing nor half old, half
    new, and a concurrent publication of the same target just comes before or after this one.
    What target was ends up at `staged` and is removed. When the folder holds the package
    TARGET.xbri, TARGET.xbri beside the folder becomes the relative symlink TARGET/TARGET.xbri, so
    package and folder are replaced together; a real TARGET.xbri file beside a real folder (the
    layout before) is first linked into that folder, so the old pair stays whole until the
    exchange. Where the file system cannot exchange names, the old folder is renamed aside and the
    new one in (for an instant there is no folder, never a mixed pair)."""
    if staged.is_symlink() or not staged.is_dir():
        os.replace(staged, target)
        return
    package = f"{target.name}.xbri"
    link = target.with_name(package)
    has_package = (staged / package).is_file()
    with _signals_deferred():  # Ctrl-C (or SIGTERM) between the exchange and the link waits for both
        if has_package:
            _link_old_package_into_folder(link, target / package, staged.parent)
        _swap_in(staged, target)
        if has_package:
            _point(link, f"{target.name}/{package}", staged.parent)
    _remove(staged)  # what target was


_DEFERRED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Interrupting signals that arrive in the block are held, then handled as they would have
    been when it ends: a few renames happen as one step for a user pressing Ctrl-C too. (Their
    Python handlers are swapped: blocking them would not do, a signal sent to the process goes to
    any thread that does not block it, Arelle's for one.) Only the main thread can do this."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {}
    for sig in _DEFERRED_SIGNALS:
        handler = signal.getsignal(sig)
        if handler is not None and handler != signal.SIG_IGN:
            previous[sig] = handler
            signal.signal(sig, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in dict.fromkeys(held):
            handler = previous[signum]
            if callable(handler):  # KeyboardInterrupt for SIGINT, _on_signal for SIGTERM, ...
                handler(signum, None)
            else:  # SIG_DFL: the system's action, now
                os.kill(os.getpid(), signum)


def _link_old_package_into_folder(link: Path, inside: Path, scratch: Path) -> None:
    """The old layout (a real NAME.xbri beside a real NAME/): put the package into the folder too
    and make NAME.xbri the link to it, so readers see the old pair until the exchange."""
    if link.is_symlink() or not link.is_file():
        return
    folder = inside.parent
    if folder.is_dir() and not folder.is_symlink() and not inside.exists():
        try:
            os.link(link, inside)
        except FileExistsError:
            pass
        except OSError:  # no hard links here: a copy, moved in whole
            copy = folder / f".{inside.name}.{secrets.token_hex(4)}"
            shutil.copyfile(link, copy)
            os.replace(copy, inside)
    _point(link, f"{folder.name}/{inside.name}", scratch)


def _point(link: Path, value: str, scratch: Path) -> None:
    """Make `link` the symlink `value` (atomically, whatever was there), unless it already is."""
    try:
        if os.readlink(link) == value:
            return
    except OSError:
        pass
    fresh = scratch / f".link-{secrets.token_hex(4)}"
    try:
        os.symlink(value, fresh)
    except (OSError, NotImplementedError):  # no symlinks (Windows without the privilege): a copy
        shutil.copyfile(link.parent / value, fresh)
    if link.is_dir() and not link.is_symlink():
        _swap_in(fresh, link)
        _remove(fresh)
    else:
        os.replace(fresh, link)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2  # Linux renameat2 flags
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, getattr(errno, "ENOTSUP", errno.EINVAL), getattr(errno, "EOPNOTSUPP", errno.EINVAL)}


def _swap_in(staged: Path, target: Path) -> None:
    """Put `staged` at `target`; what target was (if anything) ends up at `staged`."""
    for _ in range(1000):
        try:
            _renameat2(staged, target, _RENAME_EXCHANGE)
            return
        except FileNotFoundError:  # no target yet (or staged is gone: the next call says so)
            try:
                _renameat2(staged, target, _RENAME_NOREPLACE)
                return
            except FileExistsError:  # another build published meanwhile: exchange with its folder
                continue
            except OSError as exc:
                if exc.errno not in _UNSUPPORTED:
                    raise
                break
        except OSError as exc:
            if exc.errno not in _UNSUPPORTED:
                raise
            break
    _swap_by_renames(staged, target)


def _swap_by_renames(staged: Path, target: Path) -> None:
    """Without an exchange: whatever is at target is renamed aside (into staged's folder), then
    staged renamed in; repeated while concurrent builds keep putting theirs there first."""
    aside = staged.with_name(f"{staged.name}.previous")
    for attempt in range(1000):
        previous = aside.with_name(f"{aside.name}-{attempt}")
        try:
            os.rename(target, previous)
        except FileNotFoundError:
            pass
        try:
            os.rename(staged, target)
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.EISDIR, errno.ENOTDIR):
                raise
            continue
        if previous.exists() or previous.is_symlink():
            os.rename(previous, staged)
        return
    raise OSError(errno.EBUSY, "could not publish: the target keeps being replaced", str(target))


@cache
def _renameat2_function():
    """libc's renameat2 (Linux, glibc 2.28+) or renamex_np (macOS), or None."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux"):
            function = libc.renameat2
            function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        elif sys.platform == "darwin":
            function = libc.renamex_np
            function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        else:
            return None
    except (OSError, AttributeError, TypeError):
        return None
    function.restype = ctypes.c_int
    return function


def _renameat2(src: Path, dst: Path, flags: int) -> None:
    """rename(src, dst) with RENAME_EXCHANGE or RENAME_NOREPLACE; OSError as os.rename raises it
    (errno EINVAL/ENOSYS/ENOTSUP where the system or file system cannot)."""
    function = _renameat2_function()
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available", str(src), None, str(dst))
    if sys.platform == "darwin":
        result = function(os.fsencode(src), os.fsencode(dst), {_RENAME_EXCHANGE: 0x2, _RENAME_NOREPLACE: 0x4}[flags])
    else:
        result = function(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags)
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(src), None, str(dst))


_AT_FDCWD = -100
