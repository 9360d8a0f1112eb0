"""`python -m kcxbrl` and the `kcxbrl` command: the command line, with Ctrl-C covered from the
first moment (importing kcxbrl.cli takes a while: pydantic models, the taxonomy code, Arelle)."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130  # kcxbrl.cli.EXIT_INTERRUPTED, which may not be imported yet


def main() -> int:
    try:
        from kcxbrl.cli import main as cli_main
    except KeyboardInterrupt:
        try:
            sys.stderr.write("interrupted: nothing was written\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        return EXIT_INTERRUPTED
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
