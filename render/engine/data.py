"""Load and validate a standings CSV: pandas at the edge, plain numpy arrays out.

Rows are reported as a spreadsheet shows them: the header is row 1, the first team row 2.
"""
from __future__ import annotations

import io
import math
import os
import re
from dataclasses import dataclass

import numpy as np

from render.errors import InputError

#: Refuse files larger than this before reading them: a season has 30 teams, and even a
#: century of seasons stacked in one file is far below it.
MAX_BYTES = 20 * 1024 * 1024
MIN_TEAMS = 3
NUMERIC = ("W", "L", "RS", "RA", "RunDiff")
THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
#: pandas' words for a row with more fields than the header.
RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


@dataclass(frozen=True)
class Standings:
    """One season's table, validated. Arrays are float64, one entry per team, file order."""

    source: str
    teams: tuple[str, ...]
    wins: np.ndarray
    run_diff: np.ndarray
    runs_scored: np.ndarray | None
    runs_allowed: np.ndarray | None
    credit: str
    #: Problems worth a word that do not stop the build (one line each, for stderr).
    warnings: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.teams)


def credit_for(path: str) -> str:
    """The credit line for a data file: its sidecar ``NAME.credit`` if present, else its name.

    The credit travels with the data, so a new season's file brings its own provenance and
    no scene ever types a source by hand.
    """
    sidecar = os.path.splitext(path)[0] + ".credit"
    try:
        with open(sidecar, encoding="utf-8") as f:
            line = f.readline().strip()
    except OSError:
        line = ""
    return line or f"Data: {os.path.basename(path)}"


def load(path: str) -> Standings:
    """Read ``path`` and check everything the engine and the scenes rely on.

    Raises InputError naming the file, and the row and column where they apply.
    """
    table = _read_table(path)
    columns = list(table)
    for required in ("Team", "W"):
        if required not in columns:
            raise InputError(path, f"no {required} column (columns are: {', '.join(columns)})")
    has_rs_ra = "RS" in columns and "RA" in columns
    if "RunDiff" not in columns and not has_rs_ra:
        raise InputError(path, "no RunDiff column, and no RS and RA columns to derive it from")
    teams_in_file = len(table[columns[0]])
    if teams_in_file < MIN_TEAMS:
        raise InputError(path, f"{teams_in_file} team row(s); descent needs at least {MIN_TEAMS}")

    teams = _teams(path, table["Team"])
    values = {c: _numbers(path, table[c], c) for c in NUMERIC if c in columns}
    for c in ("W", "L", "RS", "RA"):
        if c in values:
            bad = np.flatnonzero(values[c] < 0)
            if bad.size:
                raise InputError(path, f"{_fmt(values[c][bad[0]])} is negative", _row(bad[0]), c)

    if has_rs_ra:
        derived = values["RS"] - values["RA"]
        if "RunDiff" in values:
            bad = np.flatnonzero(values["RunDiff"] != derived)
            if bad.size:
                i = bad[0]
                raise InputError(
                    path,
                    f"{_fmt(values['RunDiff'][i])} is not RS - RA = {_fmt(derived[i])}",
                    _row(i),
                    "RunDiff",
                )
        else:
            values["RunDiff"] = derived

    for c in ("W", "RunDiff"):
        if np.all(values[c] == values[c][0]):
            raise InputError(path, f"every team has the same value ({_fmt(values[c][0])}); a line needs spread", column=c)

    warnings = []
    if "L" in values:
        games = values["W"] + values["L"]
        if games.min() != games.max():
            # A season can end with unplayed games (2021: two teams played 161), so this
            # is worth a word, not a refusal.
            warnings.append(f"{path}: W + L runs from {_fmt(games.min())} to {_fmt(games.max())} games across teams "
                            f"(first short: row {_row(int(np.argmin(games)))}); loading anyway")

    sidecar = os.path.splitext(path)[0] + ".credit"
    if credit_for(path) == f"Data: {os.path.basename(path)}":
        # A CSV copied without its credit would otherwise drop its source and licence (the
        # bundled data's CC BY-SA attribution) from every figure without a word.
        warnings.append(f"{path}: no {os.path.basename(sidecar)} beside it (or it is empty): every figure will credit "
                        f"only the file's name; put the data's source and licence on that file's first line")

    return Standings(
        source=path,
        teams=teams,
        wins=values["W"],
        run_diff=values["RunDiff"],
        runs_scored=values.get("RS"),
        runs_allowed=values.get("RA"),
        credit=credit_for(path),
        warnings=tuple(warnings),
    )


def _read_table(path: str) -> dict[str, list[str]]:
    if not os.path.exists(path):
        raise InputError(path, "no such file")
    if os.path.isdir(path):
        raise InputError(path, "is a directory, not a CSV file")
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:  # refused before a byte of it is read
            raise InputError(path, f"is {size / 2**20:.1f} MiB; the limit is {MAX_BYTES / 2**20:.0f} MiB")
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise InputError(path, f"cannot read: {e.strerror}") from None
    if not raw.strip():
        raise InputError(path, "is empty")
    try:
        # utf-8-sig accepts spreadsheet exports that begin with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row, column = _where(raw, e.start)
        raise InputError(path, f"byte 0x{raw[e.start]:02x} is not UTF-8 text; save the file as UTF-8", row, column) from None
    # Everything as text: we convert numbers ourselves to name the row and column of a bad
    # value. pandas' python engine, unlike its C engine, keeps an empty field ('') apart
    # from one a short row lacks (NaN), so a short row can be named too.
    import pandas as pd  # here, not at the top: only loading a season needs it

    try:
        table = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False, na_values=[],
                            engine="python", skip_blank_lines=True)
    except pd.errors.ParserError as e:
        ragged = RAGGED.search(str(e))
        if ragged:
            expected, line, saw = map(int, ragged.groups())
            raise InputError(path, f"{saw} fields where the header has {expected}", line) from None
        raise InputError(path, f"is not a readable CSV table ({str(e).strip()})") from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "is empty") from None
    rows = [row for row in table.itertuples(index=False, name=None)
            if any(isinstance(field, str) and field.strip() for field in row)]  # blank rows skipped
    if not rows:
        raise InputError(path, "is empty")
    header = [name.strip() for name in rows[0] if isinstance(name, str)]
    if len(header) == 1 and ";" in header[0]:
        raise InputError(path, "is separated by semicolons; save it with commas (CSV)")
    for name in header:
        if header.count(name) > 1:
            raise InputError(path, f"column {name!r} appears {header.count(name)} times in the header")
    body = rows[1:]
    for i, row in enumerate(body):
        fields = sum(isinstance(field, str) for field in row)  # a short row's missing fields are NaN
        if fields != len(header):
            raise InputError(path, f"{fields} fields where the header has {len(header)}", _row(i))
    return {name: [row[j] for row in body] for j, name in enumerate(header)}


def _where(raw: bytes, offset: int) -> tuple[int, str | None]:
    """Spreadsheet row and column name of a byte offset in the raw file."""
    start = raw.rfind(b"\n", 0, offset) + 1
    row = raw.count(b"\n", 0, offset) + 1
    header = raw.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip().split(",")
    field = raw.count(b",", start, offset)
    return row, header[field].strip() if field < len(header) else None


def _teams(path: str, column: list[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    for i, name in enumerate(column):
        name = name.strip()
        if not name:
            raise InputError(path, "empty team name", _row(i), "Team")
        if name in seen:
            raise InputError(path, f"team {name!r} already appears in row {_row(seen[name])}", _row(i), "Team")
        seen[name] = i
    return tuple(seen)


def _numbers(path: str, column: list[str], name: str) -> np.ndarray:
    out = np.empty(len(column))
    for i, text in enumerate(column):
        text = text.strip()
        try:
            value = float(text)
        except ValueError:
            what = "missing" if not text else f"{text!r} is not a number"
            if THOUSANDS.fullmatch(text):
                what += " (write it without thousands separators)"
            raise InputError(path, what, _row(i), name) from None
        if not math.isfinite(value):
            raise InputError(path, f"{text!r} is not a finite number", _row(i), name)
        out[i] = value
    return out


def _row(index: int) -> int:
    """Spreadsheet row of the team at 0-based ``index``: the header is row 1."""
    return int(index) + 2


def _fmt(value: float) -> str:
    return f"{value:g}"
