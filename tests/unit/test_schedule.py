"""Durations, quiet hours and the grace period decide when proactive messages may go out."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports.followup import FollowupPolicy, extended_description, followup_key
from reports.schedule import Duration, QuietHours, SendPolicy, is_proactive, proactive_patterns

ZONE = ZoneInfo("Europe/Amsterdam")
NIGHT = QuietHours(time(21, 0), time(9, 0))


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """Return an Amsterdam wall-clock moment."""
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P3D", Duration(days=3)),
        ("P7D", Duration(days=7)),
        ("PT2H", Duration(hours=2)),
        ("PT30S", Duration(seconds=30)),
        ("PT0.5S", Duration(seconds=0.5)),
        ("PT1,5S", Duration(seconds=1.5)),
        ("P1M", Duration(months=1)),
        ("P1Y2M3DT4H5M6S", Duration(1, 2, 3, 4, 5, 6)),
        ("P2W", Duration(days=14)),
        ("p1dt12h", Duration(days=1, hours=12)),
        ("PT0S", Duration()),
    ],
)
def test_iso_8601_durations_are_read_part_by_part(text: str, expected: Duration) -> None:
    assert Duration.parse(text) == expected


@pytest.mark.parametrize("value", [0, 30, 259200, 0.25])
def test_a_number_is_read_as_seconds(value: float) -> None:
    assert Duration.parse(value).elapsed() == timedelta(seconds=value)


@pytest.mark.parametrize(
    "value", ["", "P", "PT", "3D", "P1.5D", "PT1H30", "P-1D", "1 day", -5, True]
)
def test_anything_else_is_refused_with_examples(value: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        Duration.parse(value)


@pytest.mark.parametrize("text", ["P3D", "PT30S", "PT0.5S", "P1M", "P1Y2M3DT4H5M6S", "PT0S"])
def test_a_duration_prints_as_the_iso_text_it_was_read_from(text: str) -> None:
    assert str(Duration.parse(text)) == text


def test_a_day_keeps_the_wall_clock_time_across_the_change_to_summer_time() -> None:
    saturday = local(2026, 3, 28, 10, 0)
    assert Duration(days=1).after(saturday, ZONE) == local(2026, 3, 29, 10, 0)
    assert Duration(hours=24).after(saturday, ZONE) == local(2026, 3, 29, 11, 0)


def test_a_month_is_a_calendar_month_clamped_to_the_shorter_month() -> None:
    assert Duration(months=1).after(local(2026, 1, 31, 9, 0), ZONE) == local(2026, 2, 28, 9, 0)
    assert Duration(months=1).after(local(2026, 3, 15, 9, 0), ZONE) == local(2026, 4, 15, 9, 0)
    assert Duration(years=1).after(local(2028, 2, 29, 9, 0), ZONE) == local(2029, 2, 28, 9, 0)
    assert Duration(months=1).before(local(2026, 3, 31, 9, 0), ZONE) == local(2026, 2, 28, 9, 0)


def test_the_approximate_length_counts_thirty_day_months() -> None:
    assert Duration(months=1, days=1).approximate() == timedelta(days=31)


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (local(2026, 11, 28, 20, 59), False),
        (local(2026, 11, 28, 21, 0), True),
        (local(2026, 11, 28, 23, 59), True),
        (local(2026, 11, 29, 0, 0), True),
        (local(2026, 11, 29, 8, 59), True),
        (local(2026, 11, 29, 9, 0), False),
        (local(2026, 11, 29, 14, 0), False),
    ],
)
def test_quiet_hours_wrap_past_midnight(moment: datetime, inside: bool) -> None:
    assert NIGHT.contains(moment, ZONE) is inside


def test_a_window_within_one_day_does_not_wrap() -> None:
    lunch = QuietHours.parse("12:00-13:30")
    assert lunch is not None
    assert lunch.contains(local(2026, 5, 1, 12, 45), ZONE)
    assert not lunch.contains(local(2026, 5, 1, 13, 30), ZONE)
    assert not lunch.contains(local(2026, 5, 1, 23, 0), ZONE)
    assert lunch.deliverable(local(2026, 5, 1, 12, 1), ZONE) == local(2026, 5, 1, 13, 30)


def test_a_message_in_the_evening_moves_to_the_next_morning() -> None:
    assert NIGHT.deliverable(local(2026, 11, 28, 22, 15), ZONE) == local(2026, 11, 29, 9, 0)


def test_a_message_after_midnight_moves_to_the_same_morning() -> None:
    assert NIGHT.deliverable(local(2026, 11, 29, 3, 0), ZONE) == local(2026, 11, 29, 9, 0)


def test_a_message_in_daytime_is_not_moved() -> None:
    moment = local(2026, 11, 29, 15, 0)
    assert NIGHT.deliverable(moment, ZONE) == moment


def test_the_night_summer_time_begins_still_ends_at_nine_local_time() -> None:
    end = NIGHT.deliverable(local(2026, 3, 28, 23, 0), ZONE)
    assert end == local(2026, 3, 29, 9, 0)
    assert end == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_the_night_winter_time_begins_still_ends_at_nine_local_time() -> None:
    end = NIGHT.deliverable(local(2026, 10, 24, 22, 0), ZONE)
    assert end == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_a_window_ending_in_the_skipped_hour_ends_just_after_the_gap() -> None:
    early = QuietHours.parse("01:00-02:30")
    assert early is not None
    inside = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 winter time
    assert early.contains(inside, ZONE)
    end = early.deliverable(inside, ZONE)
    assert end == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 summer time
    assert not early.contains(end, ZONE)


@pytest.mark.parametrize("text", ["21:00", "21-09", "25:00-09:00", "21:00-21:00", "9:00-10:00"])
def test_malformed_quiet_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="quiet hours"):
        QuietHours.parse(text)


def test_empty_quiet_hours_mean_none_and_print_back() -> None:
    assert QuietHours.parse("  ") is None
    assert str(QuietHours.parse("21:00-09:00")) == "21:00-09:00"


def test_the_send_policy_moves_only_messages_inside_the_quiet_hours() -> None:
    policy = SendPolicy(ZONE, Duration(days=2), NIGHT)
    assert policy.quiet_until(local(2026, 11, 28, 22, 0)) == local(2026, 11, 29, 9, 0)
    assert policy.quiet_until(local(2026, 11, 28, 12, 0)) is None
    assert SendPolicy(ZONE, Duration(days=2)).quiet_until(local(2026, 11, 28, 22, 0)) is None


def test_messages_due_longer_ago_than_the_grace_period_are_too_late() -> None:
    policy = SendPolicy(ZONE, Duration(days=2), NIGHT)
    assert policy.expired_before(local(2026, 11, 30, 12, 0)) == local(2026, 11, 28, 12, 0)


def test_proactive_kinds_are_follow_ups_surveys_tips_and_digests() -> None:
    assert all(is_proactive(k) for k in ("followup.question", "survey.step", "tip.x", "digest.m"))
    assert not any(is_proactive(k) for k in ("notification.lead", "resident.r_claimed", "tip"))
    assert "followup.*" in proactive_patterns()


def test_the_first_follow_up_comes_after_the_delay_and_out_of_the_quiet_hours() -> None:
    policy = FollowupPolicy(
        Duration(days=3), Duration(days=7), 3, SendPolicy(ZONE, Duration(days=2), NIGHT)
    )
    assert policy.first_due(local(2026, 11, 28, 11, 0)) == local(2026, 12, 1, 11, 0)
    assert policy.first_due(local(2026, 11, 28, 22, 0)) == local(2026, 12, 2, 9, 0)


def test_a_follow_up_repeats_until_the_limit_is_reached() -> None:
    policy = FollowupPolicy(
        Duration(days=3), Duration(days=7), 3, SendPolicy(ZONE, Duration(days=2), NIGHT)
    )
    answered = local(2026, 12, 1, 12, 0)
    assert policy.next_due(1, answered) == local(2026, 12, 8, 12, 0)
    assert policy.next_due(2, answered) == local(2026, 12, 8, 12, 0)
    assert policy.next_due(3, answered) is None


def test_a_limit_of_zero_turns_follow_ups_off() -> None:
    policy = FollowupPolicy(Duration(days=3), Duration(days=7), 0, SendPolicy(ZONE, Duration()))
    assert policy.first_due(local(2026, 11, 28, 11, 0)) is None


def test_follow_up_keys_name_the_report_and_the_number() -> None:
    assert followup_key(42, 1) == "followup:42:1"


def test_an_addition_is_appended_as_a_new_paragraph() -> None:
    assert extended_description("Luid.", "Nog steeds, elke avond.", 100) == (
        "Luid.\n\nNog steeds, elke avond."
    )


def test_an_addition_that_does_not_fit_is_clipped_or_left_out() -> None:
    clipped = extended_description("x" * 50, "y" * 100, 100)
    assert clipped is not None and len(clipped) == 100 and clipped.endswith("y…")
    assert extended_description("x" * 90, "y" * 100, 100) is None
