"""Atomic file writes: a file at its final path is complete, or the previous one is still there.

Every file is written to a temporary name in the destination folder and moved into place
with os.replace, so a reader (or a web server) sees the old file or the new one, never
half of one, and a failed or interrupted render leaves the previous asset as it was.
"""
import os
import tempfile


def write_atomic(path: str, data: bytes) -> None:
    """Put ``data`` at ``path`` completely or not at all."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
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
