"""Atomic file writes: a file at its final path is complete, or the previous one is still there.

Every file is written to a temporary name in the destination folder and moved into place
with os.replace, so a reader (or a web server) sees the old file or the new one, never
half of one, and a failed or interrupted render leaves the previous asset as it was.
A temporary file names its writer's process id; one left behind by a killed process is
removed by the next write of the same file, and a live writer's (a parallel build) never is.
"""
import glob
import os
import re
import tempfile


def write_atomic(path: str, data: bytes) -> None:
    """Put ``data`` at ``path`` completely or not at all."""
    folder = os.path.dirname(os.path.abspath(path))
    prefix = "." + os.path.basename(path) + "."
    remove_orphans(folder, prefix)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{prefix}{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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
