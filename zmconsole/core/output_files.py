"""Files written where the user asked (``--out``): complete or absent, never through a link, never over a file.

Each file is first written in full to a temporary name beside its destination (created exclusively, with
``O_NOFOLLOW``, 0600 for anything that holds key material or a secret, whatever the umask), flushed to disk,
and only then given its name. Giving it its name never follows a symbolic link: without ``force`` it is a
hard link, which fails if anything (a file, a link, a folder) already has the name; with ``force`` it is a
rename, which replaces a link itself rather than the file the link points at. So a full disk or a kill
leaves either the whole file under its name or nothing under it, and a planted link is never written
through.

Callers that must not count an operation as done until its files exist (issuing a certificate, signing a
CRL) stage the files first, inside their transaction, and publish them after the commit; see
:mod:`zmconsole.core.exports`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from zmconsole.core.errors import Hint, HintKind, InputError

_PRIVATE_MODE = 0o600
_PUBLIC_MODE = 0o644  # narrowed by the umask
_TEMP_SUFFIX = ".tmp"
_REPLACE = Hint(HintKind.REPLACE_FILE)  # an existing file is replaced only when the user says so


class OutputError(InputError):
    """A file the user asked for could not be written where they asked; nothing was left under its name."""


def temp_pattern(path: Path) -> str:
    """The glob of the temporary names ``path`` is written under before it gets its own name."""
    return f".{path.name}.*{_TEMP_SUFFIX}"


def _what_is_there(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(f"Cannot write {path} ({error.strerror}): choose a writable folder.") from error


def _same_content(path: Path, data: bytes) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as handle:
        return handle.read(len(data) + 1) == data


def check_destination(path: Path, *, force: bool) -> None:
    """Refuse a destination that is a folder, or (without ``force``) one that already exists."""
    there = _what_is_there(path)
    if there is None:
        return
    if stat.S_ISDIR(there.st_mode):
        raise OutputError(f"{path} is a folder: give a file name for the output, not a folder.")
    if stat.S_ISLNK(there.st_mode) and not force:
        raise OutputError(f"{path} is a symbolic link: nothing is written through a link; remove it or choose "
                          "another name.", hint=_REPLACE)
    if not force:
        raise OutputError(f"{path} already exists: choose another name.", hint=_REPLACE)


@dataclass
class Staged:
    """A complete file under a temporary name, waiting for :meth:`publish` to give it its name."""

    path: Path
    temp: Path | None  # None: the destination already holds exactly these bytes
    force: bool

    def publish(self) -> Path:
        """Give the file its name; afterwards the destination holds the complete file."""
        if self.temp is None:
            return self.path
        try:
            if self.force:
                os.replace(self.temp, self.path)  # replaces a link itself, never the file it points at
            else:
                _link_exclusively(self.temp, self.path)
        except OSError as error:
            raise _publish_problem(self.path, error) from error
        self.temp = None
        _sync_folder(self.path.parent)
        return self.path

    def discard(self) -> None:
        if self.temp is not None:
            with contextlib.suppress(OSError):
                self.temp.unlink()
            self.temp = None


def _link_exclusively(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path, follow_symlinks=False)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # A file system without hard links: check, then rename (a rename never follows a link).
        if _what_is_there(path) is not None:
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from error
        os.rename(temp, path)
        return
    temp.unlink()


def _publish_problem(path: Path, error: OSError) -> OutputError:
    if error.errno == errno.EEXIST:
        return OutputError(f"{path} appeared while it was being written: choose another name.", hint=_REPLACE)
    if error.errno == errno.EISDIR:
        return OutputError(f"{path} is a folder: give a file name for the output, not a folder.")
    return OutputError(f"Cannot put {path} in place ({error.strerror}): choose a writable folder.")


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Reserved:
    """An empty temporary file beside ``path``, opened for writing: proof that the destination will take a file,
    taken before anything is signed (:func:`reserve`)."""

    def __init__(self, path: Path, *, private: bool, force: bool, size: int = 0) -> None:
        self.path, self.force = path, force
        check_destination(path, force=force)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{_TEMP_SUFFIX}")
            self._fd: int | None = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                                           | os.O_CLOEXEC, _PRIVATE_MODE if private else _PUBLIC_MODE)
        except OSError as error:
            raise OutputError(f"Cannot write {path} ({error.strerror}): choose a writable folder.") from error
        if size:
            try:  # the blocks are taken now, so the data written later cannot meet a full disk
                os.posix_fallocate(self._fd, 0, size)
            except OSError as error:
                self.discard()
                raise _write_problem(path, error) from error

    def fill(self, data: bytes) -> Staged:
        """Write ``data`` in full and flush it to disk; on failure the temporary file is removed."""
        assert self._fd is not None
        fd, self._fd = self._fd, None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.truncate()  # to the data's length, if more was reserved
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            with contextlib.suppress(OSError):
                self.temp.unlink()
            raise _write_problem(self.path, error) from error
        return Staged(self.path, self.temp, self.force)

    def discard(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            with contextlib.suppress(OSError):
                self.temp.unlink()


def _write_problem(path: Path, error: OSError) -> OutputError:
    full = error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
    advice = "free some space or choose another folder" if full else "choose a writable folder"
    return OutputError(f"Cannot write {path} ({error.strerror}): {advice}.")


def reserve(path: Path, *, private: bool = False, force: bool = False, size: int = 0) -> Reserved:
    """Check ``path`` and open its temporary file, before the data exists (a certificate or CRL not yet
    signed), taking ``size`` bytes of disk for it now."""
    return Reserved(path, private=private, force=force, size=size)


def stage(path: Path, data: bytes, *, private: bool = False, force: bool = False) -> Staged:
    """Write ``data`` in full to a temporary name beside ``path``; nothing has ``path``'s name yet.

    An existing public file with exactly these bytes is left as it is (the CA certificate written beside
    every device of a batch). Raises :class:`OutputError`, having removed the temporary file, when the
    destination is refused or the disk will not take the data.
    """
    there = _what_is_there(path)
    if there is not None and not private and stat.S_ISREG(there.st_mode) and _same_content(path, data):
        return Staged(path, None, force)
    return reserve(path, private=private, force=force).fill(data)


def put_in_place(staged: Staged) -> Path:
    """Publish ``staged``; if that fails, its temporary file is removed too."""
    try:
        return staged.publish()
    finally:
        staged.discard()


def write(path: Path, data: bytes, *, private: bool = False, force: bool = False) -> Path:
    """Write one complete file at ``path`` (see :func:`stage`); a failure leaves nothing under its name."""
    return put_in_place(stage(path, data, private=private, force=force))
