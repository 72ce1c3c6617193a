"""Fill a migrated Meldbot database with many plausible reports, fast, for query plans and benches.

One `executemany` per table in one transaction, then `ANALYZE`: 50,000 reports take a few
seconds, 1,000,000 a few minutes. The rows respect every CHECK and foreign key of the schema
and read back as valid `Report`s. Most reports are final (resolved or cancelled); about 5% are
open, most of them recent, like a bot that has run for years.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PARTNERS = (
    "politie",
    "handhaving",
    "brandweer",
    "domijn",
    "ons-huis",
    "de-woonplaats",
    "twente-milieu",
    "buurtbemiddeling",
    "ggd",
    "coordinator",
)
CATEGORIES = (
    "jongerenoverlast",
    "drank-en-drugsoverlast",
    "woonoverlast",
    "geluidsoverlast",
    "vandalisme-graffiti",
    "zwerfvuil-dumping",
    "verkeersonveilig",
    "onveilige-plek",
    "brandgevaar",
    "verward-gedrag",
    "fiets-autowrak",
    "overig",
)
OPEN = ("routed", "in_progress", "waiting_for_resident", "rejected", "reopened")
YEARS = 5
"""The reports are spread over this many years before `now`."""
OPEN_SHARE = 0.05
CHUNK = 50_000


@dataclass(frozen=True)
class Seeded:
    """What was written: counts, and a few keys the queries can be asked about."""

    reports: int
    events: int
    case_messages: int
    outbox: int
    user_id: int
    partner_chat: int
    message_id: int
    report_id: int


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _chat(partner: str) -> int:
    return -1_000_000 - PARTNERS.index(partner)


def seed(path: Path, reports: int, *, now: datetime, seed: int = 12) -> Seeded:
    """Add `reports` reports (and their events, case messages and outbox rows) to the database.

    The database must be migrated and may not hold reports yet.
    """
    rng = random.Random(seed)
    span = timedelta(days=365 * YEARS).total_seconds()
    connection = sqlite3.connect(path, isolation_level=None)
    counts = {"events": 0, "case_messages": 0, "outbox": 0}
    message_numbers = dict.fromkeys(PARTNERS, 0)
    probe = (0, 0)
    try:
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        for start in range(1, reports + 1, CHUNK):
            rows: list[tuple[Any, ...]] = []
            events: list[tuple[Any, ...]] = []
            outbox: list[tuple[Any, ...]] = []
            messages: list[tuple[Any, ...]] = []
            for report_id in range(start, min(start + CHUNK, reports + 1)):
                age = rng.random() ** 1.3 * span  # more recent reports than old ones
                is_open = rng.random() < OPEN_SHARE
                if is_open:
                    age = rng.random() * 60 * 86_400
                created = now - timedelta(seconds=age)
                status = (
                    rng.choice(OPEN)
                    if is_open
                    else ("resolved" if rng.random() < 0.9 else "cancelled")
                )
                lead = rng.choice(PARTNERS)
                due = created + timedelta(days=rng.choice((1, 2, 5)))
                user = 10_000 + rng.randrange(reports // 3 + 1)
                buurt = rng.randrange(60)
                wijk = f"WK0153{buurt // 8:02d}"
                claimed = status in ("in_progress", "waiting_for_resident", "resolved")
                # The sweep reminds an unclaimed report when it falls due, escalates a day later.
                reminded = due + timedelta(minutes=5) if due < now else None
                escalated = reminded + timedelta(days=1) if reminded else None
                if escalated is not None and escalated > now:
                    escalated = None
                rows.append(
                    (
                        report_id,
                        f"ENS-{created.year}-{report_id:07d}",
                        user,
                        user,
                        "nl",
                        rng.choice(CATEGORIES),
                        f"BU0153{buurt // 8:02d}{buurt % 8:02d}",
                        f"Buurt {buurt}",
                        wijk,
                        f"Wijk {buurt // 8}",
                        52.22 + rng.random() / 20,
                        6.89 + rng.random() / 20,
                        "pin",
                        None,
                        "Overlast bij de speeltuin, al de hele avond.",
                        "now",
                        rng.randrange(2),
                        status,
                        _stamp(created),
                        lead,
                        "fallback",
                        501 if claimed else None,
                        "Kees" if claimed else None,
                        _stamp(created + timedelta(hours=2)) if claimed else None,
                        _stamp(due),
                        _stamp(reminded) if reminded else None,
                        _stamp(escalated) if escalated else None,
                        _stamp(created + timedelta(days=3)) if status == "resolved" else None,
                        None,
                        0,
                        None,  # channel: Telegram
                        0,  # co-reporters
                    )
                )
                at = _stamp(created)
                events.append((report_id, at, "system", None, lead, "route", "new", "routed", lead))
                if claimed:
                    events.append(
                        (
                            report_id,
                            at,
                            "caseworker",
                            501,
                            lead,
                            "claim",
                            "routed",
                            "in_progress",
                            "",
                        )
                    )
                if status in ("resolved", "cancelled"):
                    events.append(
                        (
                            report_id,
                            at,
                            "caseworker",
                            501,
                            lead,
                            "resolve",
                            "in_progress",
                            status,
                            "",
                        )
                    )
                chat = _chat(lead)
                message_numbers[lead] += 1
                number = message_numbers[lead]
                outbox_id = len(outbox) + counts["outbox"] + 1
                uncertain = int(rng.random() < 0.002)
                outbox.append(
                    (
                        outbox_id,
                        chat,
                        "sendMessage",
                        json.dumps({"text": f"Melding {report_id}"}),
                        1,
                        at,
                        "sent",
                        1,
                        at,
                        number,
                        "notification.lead",
                        report_id,
                        at,
                        at,
                        at,
                        uncertain,
                    )
                )
                messages.append((report_id, lead, "lead", chat, outbox_id, None, at))
                if rng.random() < 0.5:
                    message_numbers[lead] += 1
                    messages.append(
                        (report_id, lead, "prompt", chat, None, message_numbers[lead], at)
                    )
                probe = (chat, number)
            connection.executemany(f"INSERT INTO reports VALUES ({_marks(32)})", rows)
            connection.executemany(
                "INSERT INTO report_events (report_id, at, actor, actor_id, partner_id, action,"
                f" from_status, to_status, detail) VALUES ({_marks(9)})",
                events,
            )
            connection.executemany(
                "INSERT INTO outbox (id, chat_id, method, params, priority, due_at, status,"
                " attempts, next_attempt_at, message_id, kind, report_id, created_at, sent_at,"
                f" finished_at, uncertain) VALUES ({_marks(16)})",
                outbox,
            )
            connection.executemany(
                "INSERT INTO case_messages (report_id, partner_id, role, chat_id, outbox_id,"
                f" message_id, created_at) VALUES ({_marks(7)})",
                messages,
            )
            counts["events"] += len(events)
            counts["outbox"] += len(outbox)
            counts["case_messages"] += len(messages)
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    finally:
        connection.close()
    return Seeded(
        reports=reports,
        user_id=10_000,
        partner_chat=probe[0],
        message_id=probe[1],
        report_id=reports,
        **counts,
    )


def _marks(n: int) -> str:
    return ", ".join("?" for _ in range(n))
