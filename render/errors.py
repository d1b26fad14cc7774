"""The one kind of error a user can fix: bad data or bad parameters (exit status 2)."""


class InputError(Exception):
    """A problem with what the user gave us, reported as one line on stderr.

    The CLI catches it, prints ``error: <message>`` and exits with status 2, so no
    traceback ever reaches a maintainer who only fed in a new season's CSV.
    """

    def __init__(self, source: str, message: str, row: int | None = None, column: str | None = None):
        where = [str(source)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(", ".join(where) + ": " + message)
        self.source, self.message, self.row, self.column = source, message, row, column

    def __reduce__(self):  # a frame worker hands its errors to the parent pickled
        return InputError, (self.source, self.message, self.row, self.column)


class WriteError(InputError):
    """A file that could not be written (a full disk): the build stops, and says which
    file and that the previous files are as they were."""

    def __reduce__(self):
        return WriteError, (self.source, self.message, self.row, self.column)


def read_input(path: str, what: str) -> bytes:
    """A file the user named (a page, a site file), as bytes; what is wrong with it as
    one InputError naming it."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise InputError(path, f"no such {what}") from None
    except IsADirectoryError:
        raise InputError(path, f"is a directory, not a {what}") from None
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror}") from None


def one_line(e: BaseException) -> str | None:
    """The line an error the user can fix is reported as (bad input; a file that cannot
    be written or read, named), or None for any other: the command line prints it, and
    so does `make serve` after a failed rebuild."""
    if isinstance(e, InputError):
        return f"error: {e}"
    if isinstance(e, OSError):  # a full disk, a read-only folder: say which file
        return f"error: {e.filename or 'the output folder'}: {e.strerror or e}"
    return None
