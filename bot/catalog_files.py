"""Reading review files from disk: the shared first step of import, check and the starter load."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.review import MAX_BYTES, Review, ReviewFormatError, parse

REVIEW_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True, slots=True)
class ReviewFile:
    path: Path
    review: Review | None
    error: ReviewFormatError | OSError | None


def review_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the review files inside folders (sorted, not hidden)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                child
                for child in path.rglob("*")
                if child.is_file()
                and child.suffix.lower() in REVIEW_SUFFIXES
                and not child.name.startswith(".")
            )
        else:
            yield path


def read_review(path: Path, *, newest: int) -> ReviewFile:
    """Parse one file; a problem is returned, never raised, so one bad file stops nothing.

    ``newest`` is the latest plausible release year (:func:`bot.review.latest_year`)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # refused before reading it all into memory
            raise ReviewFormatError(
                f"the file is {size:,} bytes, over the 1 MB limit; a review is a few KB"
            )
        return ReviewFile(path, parse(path.read_bytes(), latest_year=newest), None)
    except (ReviewFormatError, OSError) as error:
        return ReviewFile(path, None, error)


def read_reviews(paths: Iterable[Path], *, newest: int) -> Iterator[ReviewFile]:
    for path in review_paths(paths):
        yield read_review(path, newest=newest)
