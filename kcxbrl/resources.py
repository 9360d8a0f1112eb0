"""Where the project's data lives once installed: taxonomy, templates, bundled samples.

`taxonomy/` and `templates/` are top-level folders of the repository; pyproject maps them into
the installed package as `kcxbrl.taxonomy` and `kcxbrl.templates` (package-dir), so an
installed kcxbrl and a checkout find them the same way.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


_CHECKOUT = Path(__file__).resolve().parent.parent  # used only when kcxbrl is not installed


def _package_path(package: str) -> Path:
    try:
        return Path(str(files(package)))
    except ModuleNotFoundError:
        return _CHECKOUT / package.rsplit(".", 1)[-1]


def taxonomy_dir() -> Path:
    return _package_path("kcxbrl.taxonomy")


def templates_dir() -> Path:
    return _package_path("kcxbrl.templates")


def samples_dir() -> Path:
    return _package_path("kcxbrl.samples")


def profiles_dir() -> Path:
    return _package_path("kcxbrl.profiles")
