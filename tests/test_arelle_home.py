"""Arelle's config and cache folder is private to the user: $KCXBRL_ARELLE_HOME, else the user's
cache directory ($XDG_CACHE_HOME/kcxbrl/arelle or ~/.cache/kcxbrl/arelle), made with mode 0700;
a folder another user owns, or that group or others can write to, is refused with an error that
names it (never a predictable folder in the shared temp directory)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from kcxbrl.errors import KcxbrlError
from kcxbrl.validate.arelle_adapter import arelle_home, validate

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership and modes")


@pytest.fixture
def no_home_env(monkeypatch):
    monkeypatch.delenv("KCXBRL_ARELLE_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return monkeypatch


def assert_private(folder: Path) -> None:
    st = os.stat(folder)
    assert stat.S_ISDIR(st.st_mode)
    assert st.st_uid == os.getuid()
    assert stat.S_IMODE(st.st_mode) == 0o700


def test_default_is_the_xdg_cache_home(no_home_env, tmp_path):
    no_home_env.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    home = arelle_home()
    assert home == tmp_path / "cache" / "kcxbrl" / "arelle"
    assert_private(home)


def test_default_without_xdg_is_the_users_cache(no_home_env, tmp_path):
    no_home_env.setenv("HOME", str(tmp_path / "user"))
    home = arelle_home()
    assert home == tmp_path / "user" / ".cache" / "kcxbrl" / "arelle"
    assert_private(home)
    assert not home.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve() / f"kcxbrl-arelle-{os.getuid()}")


def test_relative_xdg_cache_home_is_ignored(no_home_env, tmp_path):
    """The XDG spec: a relative path in $XDG_CACHE_HOME is invalid and ignored."""
    no_home_env.setenv("HOME", str(tmp_path / "user"))
    no_home_env.setenv("XDG_CACHE_HOME", "relative/cache")
    assert arelle_home() == tmp_path / "user" / ".cache" / "kcxbrl" / "arelle"


def test_configured_folder_is_made_private(no_home_env, tmp_path):
    no_home_env.setenv("KCXBRL_ARELLE_HOME", str(tmp_path / "mine" / "arelle"))
    home = arelle_home()
    assert home == tmp_path / "mine" / "arelle"
    assert_private(home)
    assert arelle_home() == home  # a second call accepts the folder it made


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a folder to another user")
def test_folder_of_another_user_is_refused(no_home_env, tmp_path):
    import pwd

    nobody = pwd.getpwnam("nobody")
    planted = tmp_path / "planted"
    planted.mkdir(mode=0o700)
    os.chown(planted, nobody.pw_uid, nobody.pw_gid)
    no_home_env.setenv("KCXBRL_ARELLE_HOME", str(planted))
    with pytest.raises(KcxbrlError) as raised:
        arelle_home()
    message = str(raised.value)
    assert str(planted) in message and "another user" in message
    assert "\n" not in message
    # the default location is checked the same way
    no_home_env.delenv("KCXBRL_ARELLE_HOME")
    no_home_env.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "cache" / "kcxbrl").mkdir(parents=True)
    os.rename(planted, tmp_path / "cache" / "kcxbrl" / "arelle")
    with pytest.raises(KcxbrlError, match="another user"):
        arelle_home()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a symlink to another user")
def test_symlink_of_another_user_is_refused(no_home_env, tmp_path):
    import pwd

    nobody = pwd.getpwnam("nobody")
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(mine)
    os.lchown(link, nobody.pw_uid, nobody.pw_gid)
    no_home_env.setenv("KCXBRL_ARELLE_HOME", str(link))
    with pytest.raises(KcxbrlError, match="another user"):
        arelle_home()


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702, 0o1777])
def test_folder_writable_by_others_is_refused(no_home_env, tmp_path, mode):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, mode)
    no_home_env.setenv("KCXBRL_ARELLE_HOME", str(shared))
    with pytest.raises(KcxbrlError) as raised:
        arelle_home()
    message = str(raised.value)
    assert str(shared) in message and "writable" in message


def test_readable_but_not_writable_by_others_is_accepted(no_home_env, tmp_path):
    folder = tmp_path / "readable"
    folder.mkdir()
    os.chmod(folder, 0o755)
    no_home_env.setenv("KCXBRL_ARELLE_HOME", str(folder))
    assert arelle_home() == folder


def test_a_file_in_the_way_is_a_clear_error(no_home_env, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    no_home_env.setenv("KCXBRL_ARELLE_HOME", str(blocker))
    with pytest.raises(KcxbrlError, match="not a folder"):
        arelle_home()


def test_validate_refuses_an_unsafe_home_before_running_arelle(no_home_env, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    no_home_env.setenv("KCXBRL_ARELLE_HOME", str(shared))
    before = os.environ.get("XDG_CONFIG_HOME")
    with pytest.raises(KcxbrlError, match="writable"):
        validate(tmp_path / "nope.xbri")
    assert os.environ.get("XDG_CONFIG_HOME") == before
    assert list(shared.iterdir()) == []  # Arelle never wrote there
