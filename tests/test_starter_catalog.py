"""Facts in the shipped starter catalog that were once wrong stay right."""

from bot.review import parse
from bot.settings import DEFAULT_STARTER


def test_one_mile_to_you_credits_the_screenwriter_not_the_director_with_the_adaptation():
    review = parse((DEFAULT_STARTER / "1-mile-to-you-2017.txt").read_bytes())
    assert review.directors == ("Leif Tilden",)
    assert "Marc Novak’s screenplay" in review.synopsis
    assert "Jeremy Jackson’s novel “Life at These Speeds”" in review.synopsis
    assert "Tilden adapts" not in review.synopsis
