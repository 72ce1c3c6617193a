"""A hand-computed database for the statistics: every figure of the first quarter of 2026 is known.

Rows are written as the use cases store them (reports, audit trail, surveys, follow-ups), with
chosen times. Q1 2026 (Europe/Amsterdam, UTC+1) holds four reports:

1. jongerenoverlast, Boddenkamp, made 2025-12-31 23:30 UTC (1 January 00:30 local: inside),
   led by politie: claimed after 1 h, within its target, resolved after 2 days.
2. jongerenoverlast, Boddenkamp, 2026-01-10 09:00, politie: claimed after 3 h, reopened by the
   resident's survey, claimed again after its new target, resolved after 3 days in all.
3. zwerfvuil-dumping, Stroinkslanden-Zuid, 2026-02-01 12:00: politie forwarded it to
   twente-milieu, which has not claimed it; its target has passed (late), still open.
4. overig, Kennispark (no CBS inhabitants figure), 2026-03-15, coordinator, cancelled unclaimed;
   handhaving had marked it "not ours".

Report 5 (2026-03-31 23:30 UTC, 1 April local) falls outside, report 6 (2025-11-01) in the
previous period. Reports 100-113 (June 2025) only carry survey answers: 15 are answered on
2026-02-10, 12 in Enschede-Binnensingelgebied (2 often, 1 sometimes, 9 never unsafe) and 3 in
Enschede-Zuid; one more is answered on 2026-04-02 (outside).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from storage.database import Database

NOW = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)
BODDENKAMP = ("BU01530008", "Boddenkamp", "WK015300", "Binnensingelgebied")
STROINKSLANDEN = ("BU01530601", "Stroinkslanden-Zuid", "WK015306", "Enschede-Zuid")
KENNISPARK = ("BU01530703", "Kennispark", "WK015307", "Bedrijfsterreinen Enschede-West")
PIN = (52.2189, 6.8936)


def t(text: str) -> str:
    """Return a stored timestamp for "YYYY-MM-DDTHH:MM" in UTC."""
    return datetime.fromisoformat(text + ":00+00:00").isoformat(timespec="microseconds")


async def _report(
    db: Database, rid: int, category: str, area: tuple[str, ...], **k: object
) -> None:
    buurt_code, buurt_name, wijk_code, wijk_name = area
    pin = k.get("pin")
    async with db.transaction() as s:
        await s.execute(
            "INSERT INTO reports (id, reference, language, category_id, buurt_code, buurt_name,"
            " wijk_code, wijk_name, latitude, longitude, location_source, description, timing,"
            " contact_allowed, status, created_at, lead_partner, claimed_at, due_at,"
            " resolved_at) VALUES (?, ?, 'nl', ?, ?, ?, ?, ?, ?, ?, 'chosen',"
            " 'Geheime beschrijving', 'now', 0, ?, ?, ?, ?, ?, ?)",
            (
                rid,
                f"ENS-2026-{rid:05d}",
                category,
                buurt_code,
                buurt_name,
                wijk_code,
                wijk_name,
                pin[0] if isinstance(pin, tuple) else None,
                pin[1] if isinstance(pin, tuple) else None,
                k["status"],
                t(str(k["created"])),
                k.get("lead"),
                *(t(str(k[key])) if k.get(key) else None for key in ("claimed", "due", "resolved")),
            ),
        )


async def _event(db: Database, rid: int, at: str, action: str, partner: str | None) -> None:
    actor = "resident" if partner is None else "caseworker"
    async with db.transaction() as s:
        await s.execute(
            "INSERT INTO report_events (report_id, at, actor, partner_id, action)"
            " VALUES (?, ?, ?, ?, ?)",
            (rid, t(at), actor, partner, action),
        )


async def _survey(
    db: Database, rid: int, wijk: str, satisfied: int, unsafe: str, reasons: list[str], at: str
) -> None:
    async with db.transaction() as s:
        await s.execute(
            "INSERT INTO surveys (report_id, buurt_code, wijk_code, state, satisfied, reasons,"
            " feels_unsafe, due_at, expires_at, answered_at) VALUES (?, ?, ?, 'done', ?, ?, ?,"
            " ?, ?, ?)",
            (
                rid,
                "BU" + wijk[2:] + "08",
                wijk,
                satisfied,
                json.dumps(reasons),
                unsafe,
                t(at),
                t(at),
                t(at),
            ),
        )


async def _followup(db: Database, rid: int, number: int, answer: str, at: str) -> None:
    async with db.transaction() as s:
        await s.execute(
            "INSERT INTO followups (report_id, number, due_at, answer, answered_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (rid, number, t(at), answer, t(at)),
        )


async def build(db: Database) -> None:
    """Fill an empty, migrated database with the rows described above."""
    await _report(
        db,
        1,
        "jongerenoverlast",
        BODDENKAMP,
        status="resolved",
        lead="politie",
        created="2025-12-31T23:30",
        claimed="2026-01-01T00:30",
        due="2026-01-01T01:30",
        resolved="2026-01-02T23:30",
        pin=PIN,
    )
    await _event(db, 1, "2026-01-01T00:30", "claim", "politie")
    await _report(
        db,
        2,
        "jongerenoverlast",
        BODDENKAMP,
        status="resolved",
        lead="politie",
        created="2026-01-10T09:00",
        claimed="2026-01-12T10:00",
        due="2026-01-12T09:00",
        resolved="2026-01-13T09:00",
    )
    await _event(db, 2, "2026-01-10T12:00", "claim", "politie")
    await _event(db, 2, "2026-01-11T09:00", "resolve", "politie")
    await _event(db, 2, "2026-01-12T08:00", "reopen", None)
    await _event(db, 2, "2026-01-12T10:00", "claim", "politie")
    await _event(db, 2, "2026-01-13T09:00", "resolve", "politie")
    await _report(
        db,
        3,
        "zwerfvuil-dumping",
        STROINKSLANDEN,
        status="routed",
        lead="twente-milieu",
        created="2026-02-01T12:00",
        due="2026-02-02T12:00",
    )
    await _event(db, 3, "2026-02-01T13:00", "forward", "politie")
    await _report(
        db,
        4,
        "overig",
        KENNISPARK,
        status="cancelled",
        lead="coordinator",
        created="2026-03-15T10:00",
        due="2026-03-16T10:00",
    )
    await _event(db, 4, "2026-03-15T11:00", "not_ours", "handhaving")
    await _report(
        db,
        5,
        "jongerenoverlast",
        BODDENKAMP,
        status="routed",
        lead="politie",
        created="2026-03-31T23:30",
        due="2026-04-01T08:00",
    )
    await _report(
        db,
        6,
        "overig",
        BODDENKAMP,
        status="resolved",
        lead="coordinator",
        created="2025-11-01T10:00",
        resolved="2025-11-02T10:00",
    )
    for rid in range(100, 114):
        area, lead = (BODDENKAMP, "politie") if rid < 110 else (STROINKSLANDEN, "twente-milieu")
        await _report(
            db,
            rid,
            "overig",
            area,
            status="resolved",
            lead=lead,
            created="2025-06-02T10:00",
            resolved="2025-06-03T10:00",
        )
    answered = "2026-02-10T10:00"
    await _survey(db, 1, "WK015300", 1, "never", ["snel-opgepakt"], answered)
    await _survey(db, 2, "WK015300", 0, "often", ["niet-opgelost"], answered)
    await _survey(db, 100, "WK015300", 0, "often", ["niet-opgelost"], answered)
    await _survey(db, 101, "WK015300", 0, "sometimes", ["duurde-te-lang"], answered)
    for rid in range(102, 110):
        await _survey(db, rid, "WK015300", 1, "never", [], answered)
    await _survey(db, 110, "WK015306", 1, "sometimes", [], answered)
    await _survey(db, 111, "WK015306", 1, "never", [], answered)
    await _survey(db, 112, "WK015306", 0, "never", [], answered)
    await _survey(db, 113, "WK015306", 0, "often", [], "2026-04-02T10:00")
    await _followup(db, 1, 1, "ongoing", "2026-01-01T10:00")
    await _followup(db, 3, 1, "solved", "2026-02-05T10:00")
    await _followup(db, 3, 2, "ongoing", "2026-02-12T10:00")
    await _followup(db, 5, 1, "ongoing", "2026-04-02T10:00")
