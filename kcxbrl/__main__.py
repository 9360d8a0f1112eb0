"""`python -m kcxbrl` and the `kcxbrl` command: the command line, with Ctrl-C covered from the
first moment (importing kcxbrl.cli takes a while: pydantic models, the taxonomy code, Arelle)."""

from __future__ import annotations

import os
import signal
import sys
import threading

EXIT_INTERRUPTED = 130  # kcxbrl.cli.EXIT_INTERRUPTED, which may not be imported yet
_seen: list[int] = []
_forward = [sys.__unraisablehook__]  # the hook ours replaces, for anything else


def _interrupt(signum: int, frame: object) -> None:
    _seen.append(signum)  # kept: an interrupt raised inside an object's __del__ is swallowed
    raise KeyboardInterrupt


def _unraisable(hook: object) -> None:
    if not isinstance(getattr(hook, "exc_value", None), KeyboardInterrupt):  # no traceback for a remembered one
        _forward[0](hook)


def main() -> int:
    handle = threading.current_thread() is threading.main_thread() and \
        signal.getsignal(signal.SIGINT) is signal.default_int_handler
    previous_hook = sys.unraisablehook
    if handle:
        signal.signal(signal.SIGINT, _interrupt)
        _forward[0] = previous_hook
        sys.unraisablehook = _unraisable
    try:
        from kcxbrl.cli import main as cli_main
        if _seen:
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        try:
            sys.stderr.write("interrupted: nothing was written\n")
        except (OSError, ValueError):
            pass
        _exit_interrupted()
    finally:
        if handle:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            sys.unraisablehook = previous_hook
    code = cli_main()
    if code == EXIT_INTERRUPTED:
        _exit_interrupted()
    return code


def _exit_interrupted() -> None:
    """Exit 130 now. Returning would let CPython turn the exit into a death by SIGINT under
    `python -m` when the interrupt passed through code run from a string (its flag for an
    unhandled KeyboardInterrupt is set there even when the interrupt is caught, as ours is):
    seen when Ctrl-C came while the imports ran. Nothing is left to clean up by then: staging
    folders are removed where they are made."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
