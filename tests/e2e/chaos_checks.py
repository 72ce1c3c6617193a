"""What a chaos run must leave behind, checked from the chats and the database afterwards.

- every resident who pressed Send has exactly one report and was told its reference;
- every report's notification is in its lead group (and the for-information copy in the
  informed group): one copy, a second one only as a marked uncertain resend;
- nothing a resident typed or pressed went unanswered;
- the bot printed no Python traceback.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from handlers.texts import T, languages, plain
from sandbox.botapi import FakeBotApi, SentMessage
from tests.e2e.chaos_people import CLAIM, DESCRIPTION, ResidentLog
from tests.sqlite import opened

NOTES = frozenset(plain(T.RESEND_NOTE, language) for language in languages())
INFORMED = "Ter informatie"


def is_marked(message: SentMessage) -> bool:
    """Return whether a copy carries the note that it may repeat an earlier message."""
    return any(note in message.text for note in NOTES)


def copies(api: FakeBotApi, chat_id: int, reference: str, *, claim: bool) -> list[SentMessage]:
    """Return the sent (not edited) notifications of a report in a group, oldest first."""
    return [
        m
        for m in api.messages(chat_id)
        if m.method == "sendMessage"
        and not m.edited
        and reference in m.text
        and (CLAIM in m.button_texts if claim else INFORMED in m.text)
    ]


@dataclass
class ChaosResult:
    """The counts a chaos run measured; `failures` lists every broken invariant."""

    kills: int = 0
    startup_kills: int = 0
    own_exits: list[int] = field(default_factory=list)
    """Exit codes of bot processes that ended without being killed or stopped."""
    final_exit: int | None = None
    startup_seconds: list[float] = field(default_factory=list)
    """From spawn to "Meldbot is polling", per round that got that far."""
    residents: int = 0
    pressed_send: int = 0
    reports: int = 0
    lost: int = 0
    """Residents who pressed Send and have no report."""
    extra_reports: int = 0
    wrong_description: int = 0
    """Reports whose description is not the text the resident typed as the description."""
    untold: int = 0
    """Residents who pressed Send and never saw their reference."""
    unanswered: int = 0
    stuck: int = 0
    gave_up: int = 0
    lead_missing: int = 0
    informed_missing: int = 0
    duplicates: int = 0
    """Extra copies of a notification or confirmation without the resend note."""
    marked_copies: int = 0
    uncertain_rows: int = 0
    uncertain_resends: int = 0
    unclaimed: int = 0
    parked_updates: int = 0
    parked_ids: list[int] = field(default_factory=list)
    parked: list[str] = field(default_factory=list)
    """What the parked updates were (filled in by the run, which knows what it sent)."""
    refusal_kinds: Counter[str] = field(default_factory=Counter)
    unanswered_presses: int = 0
    refusals: int = 0
    tracebacks: int = 0
    error_lines: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def row(self) -> dict[str, object]:
        """Return the headline numbers for a table."""
        return {
            "kills": self.kills,
            "residents": self.residents,
            "reports": self.reports,
            "lost": self.lost + self.untold,
            "unanswered": self.unanswered,
            "duplicates": self.duplicates,
            "uncertain resends": self.uncertain_resends,
            "wall time": f"{self.seconds:.0f} s",
        }


def check(
    result: ChaosResult,
    api: FakeBotApi,
    database: Path,
    logs: list[ResidentLog],
    groups: dict[str, int],
    stderr: list[str],
) -> ChaosResult:
    """Fill in `result` from the chats, the database and the bot's output; list failures."""
    with opened(f"file:{database}?mode=ro", uri=True) as connection:
        reports = connection.execute(
            "SELECT user_id, reference, lead_partner, status FROM reports"
        ).fetchall()
        (result.wrong_description,) = connection.execute(
            "SELECT COUNT(*) FROM reports WHERE description <> ?", (DESCRIPTION,)
        ).fetchone()
        uncertain = connection.execute(
            "SELECT COALESCE(SUM(uncertain), 0), COALESCE(SUM(uncertain_resends), 0) FROM outbox"
        ).fetchone()
        parked = connection.execute(
            "SELECT update_id FROM inbox WHERE state = 'parked' ORDER BY update_id"
        )
        result.parked_ids = [int(row[0]) for row in parked.fetchall()]
    result.parked_updates = len(result.parked_ids)
    result.uncertain_rows, result.uncertain_resends = int(uncertain[0]), int(uncertain[1])
    result.residents = len(logs)
    result.reports = len(reports)
    by_user = Counter(int(user_id) for user_id, *_ in reports if user_id is not None)
    _residents(result, api, logs, by_user)
    for _, reference, lead, status in reports:
        _notifications(result, api, reference, groups.get(str(lead)), groups)
        if status in ("routed", "reopened"):
            result.unclaimed += 1
    result.unanswered_presses = len(api.unanswered_callbacks())
    result.refusals = len(api.refusals)
    result.refusal_kinds = Counter(
        f"{r.split('(', 1)[0]}: {r.rsplit('): ', 1)[-1][:90]}" for r in api.refusals
    )
    text = "\n".join(stderr)
    result.tracebacks = text.count("Traceback (most recent call last)")
    result.error_lines = sorted({line for line in stderr if " ERROR " in line})
    _failures(result)
    return result


def _residents(
    result: ChaosResult, api: FakeBotApi, logs: list[ResidentLog], by_user: Counter[int]
) -> None:
    """Count lost, doubled and untold reports and unanswered actions."""
    for log in logs:
        result.unanswered += log.unanswered
        result.stuck += log.stuck
        result.gave_up += int(log.gave_up)
        if not log.pressed_send:
            continue
        result.pressed_send += 1
        count = by_user.get(log.user_id, 0)
        result.lost += int(count == 0)
        result.extra_reports += max(0, count - 1)
        if log.reference is None:
            result.untold += 1
            continue
        told = [
            m
            for m in api.messages(log.user_id)
            if not m.edited and log.reference in m.text and "opgeslagen onder nummer" in m.text
        ]
        _count_copies(result, told)


def _notifications(
    result: ChaosResult,
    api: FakeBotApi,
    reference: str,
    lead_chat: int | None,
    groups: dict[str, int],
) -> None:
    """Count the copies of a report's lead and for-information notifications."""
    if lead_chat is None:
        result.lead_missing += 1
        return
    lead = copies(api, lead_chat, reference, claim=True)
    result.lead_missing += int(not lead)
    _count_copies(result, lead)
    informed = [
        m
        for chat in groups.values()
        if chat != lead_chat
        for m in copies(api, chat, reference, claim=False)
    ]
    if lead_chat == groups.get("politie"):
        result.informed_missing += int(not informed)
    _count_copies(result, informed)


def _count_copies(result: ChaosResult, found: list[SentMessage]) -> None:
    """Allow one copy; every copy past the first must be marked."""
    result.marked_copies += sum(1 for m in found if is_marked(m))
    unmarked = [m for m in found if not is_marked(m)]
    result.duplicates += max(0, len(unmarked) - 1)


def _failures(result: ChaosResult) -> None:
    """List the invariants the run broke."""
    checks = [
        (result.lost, "resident(s) pressed Send and have no report"),
        (result.extra_reports, "extra report(s) for residents who sent one"),
        (result.wrong_description, "report(s) with another text than the description"),
        (result.untold, "resident(s) pressed Send and were never told the reference"),
        (result.unanswered, "resident action(s) got no answer at all"),
        (result.gave_up, "resident(s) gave up"),
        (result.lead_missing, "report(s) without a notification in the lead group"),
        (result.informed_missing, "report(s) without a for-information copy"),
        (result.unclaimed, "report(s) never claimed"),
        (result.duplicates, "unmarked duplicate(s)"),
        (result.tracebacks, "traceback(s) on the bot's stderr"),
        (len(result.own_exits), "bot process(es) that ended by themselves"),
    ]
    result.failures = [f"{count} {what}" for count, what in checks if count]
    if result.final_exit not in (None, 0):
        result.failures.append(f"the final clean stop exited with {result.final_exit}")
