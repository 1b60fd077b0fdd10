"""geo.text.dates: publication dates inferred from the text."""
from datetime import date

import pytest

from geo.text.dates import infer_published


@pytest.mark.parametrize("text,expected", [
    ("The meeting was held on May 8, 2024 in Moscow.", date(2024, 5, 8)),
    ("Talks on 8 May 2024 and on 3 March 2023.", date(2024, 5, 8)),
    ("Filed 2024-05-08T10:00Z. Older: 2023-01-02.", date(2024, 5, 8)),
    # 8 May 2024 is a Wednesday; "on Thursday" -> 9 May
    ("They met on May 8, 2024. The Kremlin said on Thursday it agreed.", date(2024, 5, 9)),
    # "Monday" nearest to Wednesday 8 May is the 6th, before the base: no shift
    ("They met on May 8, 2024. It was announced on Monday.", date(2024, 5, 8)),
    ("They met on May 8, 2024. Last Friday troops left.", date(2024, 5, 8)),
    # a weekday that is part of a full date is not a separate clue
    ("Published Wednesday, May 8, 2024.", date(2024, 5, 8)),
    # year-less dates borrow the year of the full date
    ("A deal in March 2021 was signed on 2 January 2024; troops left on April 17.", date(2024, 4, 17)),
    ("Elections on December 30 followed the January 2, 2024 vote.", date(2024, 1, 2)),
    ("Troops left on April 17 and on Thursday.", None),  # no full date: no year
    ("Nothing here. They may 5 times retreat.", None),
    ("Invalid February 30, 2024 date.", None),
])
def test_infer_published(text, expected):
    assert infer_published(text) == expected
