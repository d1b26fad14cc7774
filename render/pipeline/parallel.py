"""Work shared among forked worker processes.

``in_order(items, work, count)`` calls ``work(item)`` for every item, worker k taking
items k, k + n, k + 2n, ...; the parent reads result i from worker i mod n, so results
arrive in item order and whatever the parent writes from them is byte for byte what one
process makes (tests hold it to that). Every worker still runs through every item:
for an animation the items are a scene's shots, which must be posed in turn, and only
drawing (``work``) is what costs.

``as_done(items, work, count)`` is for independent jobs of unequal cost (the build's
renders): each worker takes the next job in the list as soon as it is free, and results
come back as they are done, with their index. Which worker does a job never changes what
the job writes.

Workers are forked after the imports, so they start in milliseconds. An exception in a
worker is raised in the parent as itself (pickled), so an InputError still ends as one
line and exit status 2.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import time
import traceback

HEADER = struct.Struct("<BQ")  # kind, length of the payload
RESULT, END, ERROR, JOB = 0, 1, 2, 3
JOB_INDEX = struct.Struct("<I")  # as_done's payload to a worker: the index of its next item
#: How long stopped workers get to remove their temporary files before they are killed.
GRACE_S = 5.0
#: At most this many workers, whatever the machine: the build's renders are few.
MAX_WORKERS = 4


def cores() -> int:
    """The cores this process may use, capped; RENDER_WORKERS overrides (tests compare 1 and 2)."""
    wanted = int(os.environ.get("RENDER_WORKERS") or MAX_WORKERS)
    return max(1, min(wanted, MAX_WORKERS, len(os.sched_getaffinity(0))))


def in_order(items, work, count: int):
    """``work(item)`` for each item of ``items()`` (a fresh iterable per call), computed by
    ``count`` forked workers, yielded in item order."""
    if count < 2:
        for item in items():
            yield work(item)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    children, finished = [], False
    try:
        for k in range(count):
            read, write = os.pipe()
            pid = _fork()
            if pid == 0:  # the worker: never returns
                os.close(read)
                for _, other in children:
                    other.close()
                _work(items, work, k, count, write)
            os.close(write)
            children.append((pid, os.fdopen(read, "rb")))
        i = 0
        while True:
            kind, result = _receive(children[i % count][1])
            if kind == END:
                break
            yield result
            i += 1
        finished = True
    finally:
        for _, pipe in children:
            pipe.close()
        _stop([pid for pid, _ in children], finished)


def as_done(items: list, work, count: int):
    """``(i, work(items[i]))`` for every item, by up to ``count`` forked workers, each
    taking the next item when free; yielded as they are done."""
    count = min(count, len(items))
    if count < 2:
        for i, item in enumerate(items):
            yield i, work(item)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    children, finished = [], False  # (pid, task pipe, result pipe)
    try:
        for _ in range(count):
            task_read, task_write = os.pipe()
            result_read, result_write = os.pipe()
            pid = _fork()
            if pid == 0:  # the worker: never returns
                os.close(task_write)
                os.close(result_read)
                for _, tasks, results in children:
                    tasks.close()
                    results.close()
                _serve(items, work, task_read, result_write)
            os.close(task_read)
            os.close(result_write)
            children.append((pid, os.fdopen(task_write, "wb"), os.fdopen(result_read, "rb")))
        queue, busy = list(range(len(items))), {}
        for _, tasks, results in children:  # one job each to start
            busy[results] = queue.pop(0)
            _send(tasks, JOB, JOB_INDEX.pack(busy[results]))
        while busy:
            ready, _, _ = select.select(list(busy), [], [])
            for results in ready:
                _, value = _receive(results)
                yield busy.pop(results), value
                tasks = next(t for _, t, r in children if r is results)
                if queue:
                    busy[results] = queue.pop(0)
                    _send(tasks, JOB, JOB_INDEX.pack(busy[results]))
        for _, tasks, _ in children:
            _send(tasks, END, b"")
        finished = True
    finally:
        for pid, tasks, results in children:
            for pipe in (tasks, results):
                try:
                    pipe.close()
                except OSError:  # a worker that has gone cannot read what is left
                    pass
        _stop([pid for pid, _, _ in children], finished)


def _stop(pids: list[int], finished: bool) -> None:
    """Reap the workers. Unfinished work is not wanted: the workers are told to stop
    (SIGTERM, which a worker turns into an exception, so that each removes its temporary
    files on the way out), and killed if they linger."""
    if not finished:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + GRACE_S
    for pid in pids:
        if finished:
            os.waitpid(pid, 0)
            continue
        while os.waitpid(pid, os.WNOHANG) == (0, 0):  # not gone yet
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                break
            time.sleep(0.01)


class Stopped(BaseException):
    """In a worker: the parent wants no more (SIGTERM), or the terminal's Ctrl-C."""


def _stopped(signum, frame):
    # One stop is enough. A Ctrl-C reaches every process of the build, and the parent's
    # SIGTERM follows it: a second signal must not cut short the clean-up the first began
    # (a half-cleaned worker would leave its temporary files and an ffmpeg behind).
    # (A handler that does nothing, not SIG_IGN: a signal already on its way to a Python
    # handler that has become SIG_IGN is raised as an OSError.)
    signal.signal(signal.SIGINT, _once_is_enough)
    signal.signal(signal.SIGTERM, _once_is_enough)
    raise Stopped


def _once_is_enough(signum, frame):
    pass


#: The signals a worker stops on.
STOPS = {signal.SIGINT, signal.SIGTERM}


def _fork() -> int:
    """os.fork, with SIGINT and SIGTERM held across it and, in the worker, until it is one
    (``_as_worker``): a stop that came between the fork and the worker's own handlers
    would be raised in the caller's code, in the child, which would then run on as a copy
    of its parent (under pytest, reporting tests twice)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    pid = os.fork()
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return pid


def _as_worker() -> None:
    """A forked worker stops on SIGTERM or SIGINT by raising, once, so its finally blocks
    run; called first thing inside the try whose finally ends the process, it then takes
    the signals held since the fork. (SIGINT stays ignored where the build was started in
    the background by a shell without job control; SIGTERM never is.)"""
    signal.signal(signal.SIGTERM, _stopped)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _stopped)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


def _serve(items, work, task_fd: int, result_fd: int) -> None:
    status = 0
    try:
        _as_worker()
        with os.fdopen(task_fd, "rb") as tasks, os.fdopen(result_fd, "wb") as out:
            try:
                while True:
                    kind, size = HEADER.unpack(tasks.read(HEADER.size))
                    if kind == END:
                        break
                    (i,) = JOB_INDEX.unpack(tasks.read(size))
                    _send(out, RESULT, pickle.dumps(work(items[i]), protocol=pickle.HIGHEST_PROTOCOL))
            except Exception as e:
                _send(out, ERROR, _pickled(e))
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _pickled(e: Exception) -> bytes:
    """An exception to raise in the parent: itself, or its words if it does not pickle;
    with the worker's traceback as a note, since the parent's ends at the pipe (a bug in a
    scene is then named by its file and line)."""
    e.add_note("Raised in a build worker:\n" + "".join(traceback.format_tb(e.__traceback__)).rstrip())
    try:
        message = pickle.dumps(e)
        pickle.loads(message)
    except Exception:
        message = pickle.dumps(RuntimeError(f"{type(e).__name__}: {e}"))
    return message


def _work(items, work, k: int, count: int, fd: int) -> None:
    status = 0
    try:
        _as_worker()
        with os.fdopen(fd, "wb") as out:
            try:
                for i, item in enumerate(items()):
                    if i % count == k:
                        _send(out, RESULT, pickle.dumps(work(item), protocol=pickle.HIGHEST_PROTOCOL))
                _send(out, END, b"")
            except Exception as e:  # the parent raises it: same message, same exit status
                _send(out, ERROR, _pickled(e))
    except BaseException:  # the parent has gone (a closed pipe) or we were interrupted
        status = 1
    finally:
        os._exit(status)  # no atexit handlers, no flushing the parent's buffers twice


def _send(out, kind: int, payload: bytes) -> None:
    out.write(HEADER.pack(kind, len(payload)))
    out.write(payload)
    out.flush()


def _receive(pipe):
    header = pipe.read(HEADER.size)
    if len(header) < HEADER.size:
        raise RuntimeError("a worker stopped without a word")
    kind, size = HEADER.unpack(header)
    payload = pipe.read(size)
    if len(payload) < size:
        raise RuntimeError("a worker stopped mid-result")
    if kind == ERROR:
        raise pickle.loads(payload)
    return kind, (pickle.loads(payload) if kind == RESULT else None)
