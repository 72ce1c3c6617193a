"""Ages in words and long coordinator answers packed into Telegram-sized messages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.coordinator.format import Line, Pager, age_text, paginate, visible_length
from reports.models import Language


@pytest.mark.parametrize(
    ("age", "dutch", "english"),
    [
        (timedelta(days=3, hours=4, minutes=59), "3 d 4 u", "3 d 4 h"),
        (timedelta(days=1), "1 d 0 u", "1 d 0 h"),
        (timedelta(hours=2, minutes=5, seconds=59), "2 u 5 min", "2 h 5 min"),
        (timedelta(minutes=7), "7 min", "7 min"),
        (timedelta(seconds=20), "0 min", "0 min"),
        (timedelta(minutes=-5), "0 min", "0 min"),
    ],
)
def test_an_age_is_said_in_days_and_hours_or_hours_and_minutes(
    age: timedelta, dutch: str, english: str
) -> None:
    assert age_text(age, Language.NL) == dutch
    assert age_text(age, Language.EN) == english


def test_the_visible_length_counts_shown_characters_in_utf16() -> None:
    assert visible_length("<b>Melding</b> &amp; 🚨") == len("Melding & ") + 2


def more(count: int) -> str:
    """Say how many items were left out."""
    return f"… en nog {count}"


def items(count: int, width: int = 30) -> list[Line]:
    """Return count item lines of the given width."""
    return [Line(f"{n:04d}".ljust(width, "x"), item=True) for n in range(count)]


def test_lines_that_fit_stay_in_one_message_in_order() -> None:
    lines = [Line("<b>Kop</b>"), *items(3)]
    assert paginate(lines, more) == ["\n".join(line.html for line in lines)]


def test_long_answers_are_split_at_line_boundaries_within_the_limit() -> None:
    lines = items(40)
    pages = paginate(lines, more, limit=100, max_pages=20)
    assert all(visible_length(page) <= 100 for page in pages)
    assert "\n".join(pages).split("\n") == [line.html for line in lines]


def test_what_does_not_fit_in_the_last_message_is_counted_not_cut_off_silently() -> None:
    lines = [Line("kop"), *items(40)]
    pages = paginate(lines, more, limit=100, max_pages=3)
    assert len(pages) == 3
    assert all(visible_length(page) <= 100 for page in pages)
    shown = [row for page in pages for row in page.split("\n") if row[:4].isdigit()]
    assert pages[-1].endswith(f"… en nog {40 - len(shown)}")
    assert shown == [line.html for line in lines[1 : len(shown) + 1]], "oldest first"


def test_headers_do_not_count_as_left_out_items() -> None:
    lines = [*items(3, width=60), Line("kop"), *items(3, width=60)]
    pages = paginate(lines, more, limit=100, max_pages=1)
    assert pages == [f"{lines[0].html}\n… en nog 5"]


def test_a_line_longer_than_a_message_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be sent"):
        paginate([Line("x" * 101)], more, limit=100)


def test_the_pager_takes_lines_only_until_the_answer_is_full() -> None:
    lines = [Line("kop"), *items(40), Line("staart"), *items(5)]
    pager = Pager(more, sum(line.item for line in lines), limit=100, max_pages=3)
    taken = 0
    for line in lines:
        taken += 1
        if not pager.add(line):
            break
    assert pager.pages() == paginate(lines, more, limit=100, max_pages=3)
    assert taken < len(lines) and not pager.add(lines[-1])
