"""Whole numbers typed or sent by people and systems, read one way everywhere (issue 24).

``str.isdigit()`` says yes to "²" and "①", which ``int()`` refuses (an uncaught ValueError: a
500), and ``int()`` says yes to "٣" and "３" and to numbers no column holds
("99999999999999999999": an overflow in the database driver, another 500). Request input that
should be a whole number (an id, a page, a column, a percentage) goes through ``whole_number``:
ASCII digits 0-9 only, within bounds, else None, so that the caller answers with a clear message
(400) or "not found" (404) and changes nothing. Forms use ``nhiemvu.forms.WholeNumberField``,
which reads through the same function.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

# The largest value of a BigAutoField / bigint column: anything beyond cannot be an id.
ID_MAX = 2**63 - 1
# A page number no list reaches (a million pages of 200 rows is five times the designed size);
# a larger one would only make the database count past the end.
PAGE_MAX = 1_000_000
# The dates anyone types into a form (the API's IsoDate states the same years): a directive of
# the last century, a deadline of the next; beyond, the system's date arithmetic (a day before,
# a year after) leaves what Python's date can hold and answered 500.
TYPED_DATE_MIN = dt.date(1900, 1, 1)
TYPED_DATE_MAX = dt.date(2200, 12, 31)
# Enough digits for ID_MAX and no more: a long string is refused before int() reads it.
_DIGITS = re.compile(r"[0-9]{1,19}", re.ASCII)


def whole_number(value: object, *, minimum: int = 0, maximum: int = ID_MAX) -> int | None:
    """``value`` (a str of ASCII digits, surrounding spaces allowed, or an int) as an int in
    ``[minimum, maximum]``; None for anything else: Unicode digits, signs, decimals, huge
    numbers, NUL, bools, lists."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip(" \t")
        if not _DIGITS.fullmatch(text):
            return None
        number = int(text)
    else:
        return None
    return number if minimum <= number <= maximum else None


def whole_numbers(
    values: Iterable[object], *, minimum: int = 0, maximum: int = ID_MAX
) -> list[int] | None:
    """All or nothing: the numbers, or None when any one is not a whole number in bounds (a
    request with one bad id changes nothing rather than part of what it asked)."""
    numbers = []
    for value in values:
        number = whole_number(value, minimum=minimum, maximum=maximum)
        if number is None:
            return None
        numbers.append(number)
    return numbers
