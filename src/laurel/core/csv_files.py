"""Small CSV files read strictly, and files written whole: what the `laurel` commands that
take and give CSV (assign, rank) share."""

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class CsvFileError(ValueError):
    """A file the command cannot use; the message names the file and, where known, the row."""

    def __init__(self, path: Path, row: int | None, message: str):
        where = f"{path}, row {row}" if row else str(path)
        super().__init__(f"{where}: {message}")


def csv_rows(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    *,
    error: type[CsvFileError] = CsvFileError,
    allow_no_rows: bool = True,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, {column: text}) for each non-blank data row; the header is row 1,
    matched case-insensitively; other columns are ignored. Raises ``error``."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as failure:
        raise error(path, None, f"cannot be read ({failure.strerror})") from None
    except UnicodeDecodeError:
        raise error(path, None, "is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise error(path, None, "is empty: it needs a header row")
    columns = [cell.strip().lower() for cell in header]
    missing = [name for name in required if name not in columns]
    if missing:
        raise error(
            path, 1, f"missing column {', '.join(missing)} (the header has: {', '.join(columns)})"
        )
    known = {name: columns.index(name) for name in (*required, *optional) if name in columns}
    found = False
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for name, i in known.items()}
        for name in required:
            if not values[name]:
                raise error(path, number, f"the {name} column is empty")
        found = True
        yield number, values
    if not found and not allow_no_rows:
        raise error(path, None, "has no rows after its header")


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it: never a half-written file."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    umask = os.umask(0)
    os.umask(umask)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
