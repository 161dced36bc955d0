"""Reading and writing files the registry does not control, with bounds.

Corpus files and official texts come from folders anyone may have planted things in:
a symbolic link to ``/dev/zero`` or to a file outside the folder, a FIFO that blocks
a reader for ever, a 50 MB "text".  :func:`read_bounded` opens without following a
final symbolic link and without blocking, refuses anything that is not a regular
file, and never reads more than ``limit + 1`` bytes, so memory is bounded by the
limit whatever the file is.  :func:`contained` checks that a path to write stays
inside its folder when every symbolic link is resolved.

Example::

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_bytes(b"x" * 10)
    >>> read_bounded(d / "a.txt", 100)
    b'xxxxxxxxxx'
    >>> read_bounded(d / "a.txt", 5)
    Traceback (most recent call last):
    ...
    app.corpus.safefiles.FileRefused: the file is over the limit of 5 bytes
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileRefused(Exception):
    """The file is not read (or written): ``reason`` says why, in words for the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_bounded(path: Path, limit: int, *, follow_symlinks: bool = False) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, or raise :class:`FileRefused`.

    A symbolic link is refused unless ``follow_symlinks``; then its target must still be a
    regular file.  FIFOs, devices and sockets are refused before a byte is read.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                raise FileRefused("symbolic links are not read; copy the file in")
        except FileNotFoundError:
            raise FileRefused("the file does not exist") from None
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefused("the file does not exist") from None
    except OSError as exc:
        raise FileRefused(f"cannot open the file: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(f"the file is {_kind(st.st_mode)}, not a regular file")
        if st.st_size > limit:
            raise FileRefused(f"the file is over the limit of {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # the file grew while it was read
            raise FileRefused(f"the file is over the limit of {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def contained(root: Path, target: Path) -> Path:
    """``target`` with every symbolic link resolved, if that stays inside ``root`` (resolved); else FileRefused.

    Use it before writing: a planted link (``rules/cn-sh -> /tmp``) would take the write out of the folder.
    """
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(target))
    if real != real_root and real_root not in real.parents:
        raise FileRefused(f"{target} leads outside {root} (through a symbolic link or '..'); nothing is written there")
    return real


def write_new_file(root: Path, target: Path, data: bytes, *, replace: bool = False) -> None:
    """Write ``data`` at ``target`` inside ``root``; never through a symbolic link, never outside ``root``.

    Without ``replace`` an existing file is never overwritten (O_EXCL). With it, the bytes go to a
    temporary file created exclusively next to the target, then renamed over it.
    """
    contained(root, target.parent)
    target.parent.mkdir(parents=True, exist_ok=True)
    contained(root, target.parent)  # a link may have been planted between the check and mkdir
    if os.path.islink(target):
        raise FileRefused(f"{target} is a symbolic link; nothing is written through it")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    dest = target.with_name(f".{target.name}.tmp-{os.getpid()}") if replace else target
    try:
        fd = os.open(dest, flags, 0o644)
    except FileExistsError:
        raise FileRefused(f"{dest} exists; nothing is overwritten") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if replace:
            os.replace(dest, target)
    except BaseException:
        if replace:
            Path(dest).unlink(missing_ok=True)
        raise
