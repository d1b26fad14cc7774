"""Atomic file writes: a file at its final path is complete, or the previous one is still there.

Every file is written to a temporary name in the destination folder and moved into place
with os.replace, so a reader (or a web server) sees the old file or the new one, never
half of one. The files of one render (an animation's GIF, poster and MP4) are written
together: all of them to temporary files first, and moved into place only once every one
is complete, so a full disk or an interrupt leaves the previous set exactly as it was.
A temporary file names its writer's process id; one left behind by a killed process is
removed by the next write of the same file, and a live writer's (a parallel build) never is.
"""
import glob
import os
import re
import tempfile

from render.errors import WriteError


def write_atomic(path: str, data: bytes) -> None:
    """Put ``data`` at ``path`` completely or not at all."""
    write_together({path: data})


def write_together(files: dict[str, bytes]) -> None:
    """Put every file in place, or none of them.

    A file that cannot be written (a full disk) is a WriteError naming it and saying
    that the previous files are unchanged.
    """
    staged = []
    try:
        for path, data in files.items():
            folder = os.path.dirname(os.path.abspath(path))
            prefix = "." + os.path.basename(path) + "."
            remove_orphans(folder, prefix)
            try:
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{prefix}{os.getpid()}.", suffix=".tmp")
                staged.append((tmp, path))
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.chmod(tmp, 0o644)
            except OSError as e:
                kept = "the previous files are unchanged" if any(map(os.path.exists, files)) else "nothing was written"
                raise WriteError(path, f"{e.strerror or e} ({kept})") from None
        for tmp, path in staged:  # a rename needs no space: these do not fail for want of it
            os.replace(tmp, path)
        staged = []
    finally:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


def remove_orphans(folder: str, prefix: str) -> None:
    """Delete temporary files of ``prefix`` whose writing process no longer exists."""
    for tmp in glob.glob(os.path.join(glob.escape(folder), glob.escape(prefix) + "*.tmp")):
        match = re.match(re.escape(prefix) + r"(\d+)\.", os.path.basename(tmp))
        if match and not _alive(int(match.group(1))):
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_if_changed(path: str, data: bytes) -> None:
    """Write atomically, unless the file already holds exactly these bytes: an unchanged
    file keeps its time, so Make sees nothing new."""
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    write_atomic(path, data)
