"""An animation's frames drawn by forked worker processes, handed on in order.

Worker k of n runs the whole scene (building its figure, posing every frame) but draws
only frames k, k + n, k + 2n, ...: posing is cheap, drawing is what costs. The parent
reads frame i from worker i mod n, so frames arrive in order and the file is byte for
byte what one process makes (a test holds it to that). Workers are forked after the
imports, so they start in milliseconds, and they never write a file: only the parent
does, so an interrupted render leaves nothing behind.
"""
from __future__ import annotations

import os
import pickle
import signal
import struct
import sys

import numpy as np

from render import frames

#: Workers for scenes that redraw whole frames (a scene module with WHOLE_FRAMES = True).
WORKERS = 2
HEADER = struct.Struct("<BIII")  # kind, height, width, delay in ms (or, for an error, its length)
FRAME, END, ERROR = 0, 1, 2


def workers() -> int:
    """Two, if this process may use two cores; RENDER_WORKERS overrides (tests compare 1 and 2)."""
    wanted = int(os.environ.get("RENDER_WORKERS") or WORKERS)
    return max(1, min(wanted, len(os.sched_getaffinity(0))))


def in_order(scene, count: int):
    """The frames of ``scene()`` (a fresh generator of frames per call), drawn by ``count`` workers."""
    if count < 2:
        yield from scene()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    children, finished = [], False
    try:
        for k in range(count):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                os.close(read)
                for _, other in children:
                    other.close()
                _work(scene, k, count, write)
            os.close(write)
            children.append((pid, os.fdopen(read, "rb")))
        i = 0
        while True:
            frame = _receive(children[i % count][1])
            if frame is None:
                break
            yield frame
            i += 1
        finished = True
    finally:
        for pid, pipe in children:
            pipe.close()
            if not finished:  # interrupted or failed: the workers' frames are not wanted
                os.kill(pid, signal.SIGKILL)
        for pid, _ in children:
            os.waitpid(pid, 0)


def _work(scene, k: int, count: int, fd: int) -> None:
    status = 0
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                frames.draw_only(k, count)
                for frame in scene():
                    if frame.rgb is not None:
                        rgb = np.ascontiguousarray(frame.rgb)
                        out.write(HEADER.pack(FRAME, rgb.shape[0], rgb.shape[1], frame.duration_ms))
                        out.write(rgb.tobytes())
                out.write(HEADER.pack(END, 0, 0, 0))
            except Exception as e:  # the parent raises it: same message, same exit status
                try:
                    message = pickle.dumps(e)
                    pickle.loads(message)
                except Exception:
                    message = pickle.dumps(RuntimeError(f"{type(e).__name__}: {e}"))
                out.write(HEADER.pack(ERROR, 0, 0, len(message)) + message)
    except BaseException:  # the parent has gone (a closed pipe) or we were interrupted
        status = 1
    finally:
        os._exit(status)  # no atexit handlers, no flushing the parent's buffers twice


def _receive(pipe):
    header = pipe.read(HEADER.size)
    if len(header) < HEADER.size:
        raise RuntimeError("a frame worker stopped without a word")
    kind, height, width, value = HEADER.unpack(header)
    if kind == END:
        return None
    if kind == ERROR:
        raise pickle.loads(pipe.read(value))
    data = pipe.read(height * width * 3)
    if len(data) < height * width * 3:
        raise RuntimeError("a frame worker stopped mid-frame")
    return frames.Frame(np.frombuffer(data, np.uint8).reshape(height, width, 3), value)
