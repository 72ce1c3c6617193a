"""Retention removes exactly what is due, when it is due, and logs every run's counts.

The clock moves over simulated years on a real SQLite file. Three residents report youth
nuisance on the same Saturday: Anna's report (she agreed to be contacted) is resolved four days
later and she answers its survey, Bram's report is cancelled at the same moment, and Cas's
report stays open forever.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from reports.kinds import ActorKind, OutboxKind
from reports.models import Report, ReportStatus
from reports.records import Actor
from reports.retention import RecordKind, Removal, RetentionRule
from reports.schedule import Duration
from reports.survey import FeelsUnsafe
from reports.workflow import CaseAction
from services import followers, surveys
from services.casework import Casework, Caseworker, Done
from services.ports import Reporter
from services.reporting import submit_report
from services.retention import RetentionRun, deletion_log, enforce_retention
from services.surveys import SurveyAnswer
from storage.outbox import OutgoingMessage, Priority
from storage.retention import delete_reports, runs
from storage.timestamps import to_text
from tests.services.proactive_world import POLICE, START, World, world
from tests.services.test_followers import draft_at, moved
from tests.storage.builders import PIN_IN_CITY, complete_draft

__all__ = ["world"]

ANNA, BRAM, CAS, DIRK = 1001, 1002, 1003, 1004
COORDINATOR = Actor(ActorKind.COORDINATOR, 900, "Coco", "coordinator")
FINAL = START + timedelta(days=4)
"""When Anna's report was resolved and Bram's cancelled."""
DAY = timedelta(days=1)
TABLES = ("report_photos", "report_events", "case_messages", "followups", "surveys", "outbox")
KINDS = (
    RecordKind.PHOTO,
    RecordKind.EVENT,
    RecordKind.CASE_MESSAGE,
    RecordKind.FOLLOWUP,
    RecordKind.SURVEY,
    RecordKind.OUTBOX,
)
"""The record kinds of the deletion log, table by table."""


async def report(world: World, user_id: int, *, name: str | None = None) -> Report:
    """Let a resident report youth nuisance in the city centre, naming them when `name` is set."""
    now = world.clock.now()
    draft = complete_draft(user_id, at=now, location=PIN_IN_CITY, photos=("photo-a",))
    draft.category_id = "jongerenoverlast"
    draft.contact_allowed = name is not None
    await world.svc.drafts.save(draft)
    reporter = None if name is None else Reporter(user_id, name)
    return await submit_report(world.svc, draft, reporter)


async def cancel(world: World, found: Report) -> None:
    """Let the coordinator cancel a report now."""
    async with world.svc.uow() as work:
        await work.cases.act(found.id, CaseAction.CANCEL, COORDINATOR, world.clock.now())


async def rows(world: World, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Return the rows of a query, as tuples."""
    async with world.svc.uow() as work:
        return [tuple(row) for row in await work.session.fetch_all(sql, params)]


async def snapshot(world: World, report_id: int) -> dict[str, list[tuple[object, ...]]]:
    """Return the report's row and every row that hangs off it, table by table."""
    found = {"reports": await rows(world, "SELECT * FROM reports WHERE id = ?", report_id)}
    for table in TABLES:
        found[table] = await rows(
            world, f"SELECT * FROM {table} WHERE report_id = ? ORDER BY 1, 2", report_id
        )
    return found


async def dump(world: World) -> str:
    """Return every value stored in every table, as one text."""
    tables = await rows(world, "SELECT name FROM sqlite_schema WHERE type = 'table'")
    found = [await rows(world, f"SELECT * FROM {name}") for (name,) in tables]
    return repr(found)


async def run_at(world: World, moment: datetime) -> RetentionRun:
    """Move the clock and run retention, checking that the log says what the run returned."""
    world.clock.set(moment)
    run = await enforce_retention(world.svc)
    logged = await deletion_log(world.svc, since_run=run.run_id - 1)
    assert {(e.rule, e.record, e.removal): e.count for e in logged} == dict(run.counts)
    assert all(e.run_id == run.run_id and e.started_at == moment for e in logged)
    return run


async def a_year_of_reports(world: World) -> tuple[Report, Report, Report]:
    """Make the three reports and their messages up to Anna's completed survey."""
    anna = await report(world, ANNA, name="Annemarie")
    bram = await report(world, BRAM)
    cas = await report(world, CAS)
    await world.deliver(START + timedelta(hours=3))  # notifications and tips
    await world.deliver(START + timedelta(days=3, hours=1))  # the first follow-ups
    police = Casework(world.svc, Caseworker(501, "Kees", POLICE))
    world.clock.set(FINAL - timedelta(hours=2))
    assert isinstance(await police.claim(anna.id, None), Done)
    world.clock.set(FINAL)
    assert isinstance(await police.resolve(anna.id, None, "opgelost"), Done)
    await cancel(world, bram)
    await world.deliver()
    assert len(world.in_chat(ANNA, OutboxKind.RESIDENT_UPDATE)) == 2  # picked up, resolved
    await world.deliver(FINAL + DAY)  # Anna's survey
    for answer in (SurveyAnswer(satisfied=True), SurveyAnswer(reason=0)):
        await surveys.answer_step(world.svc, ANNA, anna.id, answer)
    unsafe = SurveyAnswer(unsafe=FeelsUnsafe.NEVER)
    await surveys.answer_step(world.svc, ANNA, anna.id, unsafe)
    await surveys.take_comment(world.svc, ANNA, "Fijn dat het zo snel ging")
    return anna, bram, cas


async def test_retention_over_six_years_removes_exactly_what_is_due(world: World) -> None:
    anna, bram, cas = await a_year_of_reports(world)
    notice = OutgoingMessage(
        chat_id=-1000,
        method="sendMessage",
        params={"text": "groep onbereikbaar"},
        priority=Priority.NOTIFICATION,
        due_at=FINAL + DAY,
        kind=OutboxKind.UNREACHABLE,
        dedupe_key="unreachable:-1002:2026-12-03",
    )
    await world.outbox.enqueue_now(notice, now=FINAL + DAY)
    await world.deliver()
    open_case = await snapshot(world, cas.id)
    assert open_case["followups"] and open_case["outbox"]
    assert "Annemarie" in await dump(world) and f"tg://user?id={ANNA}" in await dump(world)

    # Nothing is due in the first month.
    assert not (await run_at(world, FINAL + 2 * DAY)).counts

    # 30 days after the last message: what residents got about final reports goes, or loses
    # its text; what the partner chats got stays for erasure, and the notice to the
    # coordinator goes.
    query = "SELECT id, report_id, chat_id, params FROM outbox"
    before = {r[0]: r for r in await rows(world, query)}
    run = await run_at(world, FINAL + 31 * DAY + timedelta(hours=1))
    after = {r[0]: r for r in await rows(world, query)}
    gone = before.keys() - after.keys()
    emptied = {i for i in after if after[i] != before[i]}
    assert all(after[i][3] == "{}" for i in emptied)
    assert run.count(RetentionRule.OUTBOX, RecordKind.OUTBOX, Removal.DELETED) == len(gone)
    assert run.count(RetentionRule.OUTBOX, RecordKind.OUTBOX, Removal.EMPTIED) == len(emptied)
    changed = [before[i] for i in gone | emptied]
    assert {(row[1], row[2]) for row in changed} == {
        (anna.id, ANNA),
        (bram.id, BRAM),
        (None, -1000),
    }
    assert all(row[2] in (ANNA, BRAM, -1000) for row in changed)
    assert [row for row in after.values() if row[2] in (ANNA, BRAM) and row[3] != "{}"] == []
    assert await snapshot(world, cas.id) == open_case
    updates = "SELECT 1 FROM outbox WHERE kind = 'resident.update'"
    assert await rows(world, updates) == []  # "picked up" and "resolved": served their purpose
    kept = await rows(world, "SELECT kind FROM outbox WHERE chat_id = ?", ANNA)
    assert {kind for (kind,) in kept} == {
        OutboxKind.CONFIRMATION,
        OutboxKind.FOLLOWUP_QUESTION,
        OutboxKind.SURVEY_QUESTION,
        OutboxKind.TIP,
        OutboxKind.PANEL_OFFER,
    }  # kept for their dedupe keys, without their text
    assert len(kept) == 5
    assert "Annemarie" in await dump(world)  # she agreed to be named, for 365 days

    # 364 days after becoming final, both reports still know their residents.
    assert not (await run_at(world, FINAL + 364 * DAY)).counts
    assert (await world.stored(anna)).user_id == ANNA
    assert (await world.stored(anna)).contact_allowed
    assert (await world.stored(bram)).user_id == BRAM

    # 365 days: Anna's report loses her ids and consent; Bram's cancelled one is deleted.
    doomed = await snapshot(world, bram.id)
    run = await run_at(world, FINAL + 365 * DAY)
    stripped = await world.svc.cases.get(anna.id)
    assert stripped is not None
    assert not stripped.user_id and not stripped.chat_id and not stripped.contact_allowed
    assert stripped.description == anna.description and stripped.photo_file_ids == ["photo-a"]
    assert await rows(world, "SELECT 1 FROM outbox WHERE chat_id IN (?, ?)", ANNA, BRAM) == []
    assert await world.svc.cases.get(bram.id) is None
    assert all(rows_left == [] for rows_left in (await snapshot(world, bram.id)).values())
    assert run.count(RetentionRule.RESIDENT_IDS, RecordKind.REPORT, Removal.ANONYMISED) == 2
    # The ids rule went first and took the rows to Bram's chat; the rest went with his report.
    doomed["outbox"] = [row for row in doomed["outbox"] if row[1] != BRAM]
    cancelled = {
        (record, count)
        for (rule, record, removal), count in run.counts.items()
        if rule is RetentionRule.CANCELLED_REPORTS and removal is Removal.DELETED
    }
    assert cancelled == {(RecordKind.REPORT, 1)} | {
        (kind, len(doomed[table]))
        for kind, table in zip(KINDS, TABLES, strict=True)
        if doomed[table]
    }
    assert {kind for kind, _ in cancelled} >= {RecordKind.PHOTO, RecordKind.EVENT}
    everything = await dump(world)
    assert f"tg://user?id={ANNA}" not in everything and "Annemarie" not in everything
    assert await snapshot(world, cas.id) == open_case

    # Resolved reports stay five years, to the day.
    assert not (await run_at(world, FINAL + 2 * 365 * DAY)).counts
    five_years = Duration(years=5).after(FINAL, world.svc.config.municipality.zone)
    assert not (await run_at(world, five_years - DAY)).counts
    assert await world.svc.cases.get(anna.id) is not None
    survey = await world.svc.surveys.get(anna.id)
    assert survey is not None and survey.comment == "Fijn dat het zo snel ging"
    run = await run_at(world, five_years)
    assert await world.svc.cases.get(anna.id) is None
    assert all(rows_left == [] for rows_left in (await snapshot(world, anna.id)).values())
    assert run.count(RetentionRule.RESOLVED_REPORTS, RecordKind.REPORT, Removal.DELETED) == 1
    assert run.count(RetentionRule.RESOLVED_REPORTS, RecordKind.SURVEY, Removal.DELETED) == 1

    # The open report, six years old, is exactly as it was; the runs are all logged.
    assert not (await run_at(world, FINAL + 6 * 365 * DAY)).counts
    assert await snapshot(world, cas.id) == open_case
    history = await runs_of(world)
    assert len(history) == 8 and all(finished is not None for _, _, finished in history)


async def runs_of(world: World) -> list[tuple[int, datetime, datetime | None]]:
    """Return every retention run so far."""
    async with world.svc.uow() as work:
        return await runs(work.session)


async def test_the_log_names_each_rule_with_its_period_and_cutoff(world: World) -> None:
    await a_year_of_reports(world)
    moment = FINAL + 365 * DAY
    await run_at(world, moment)
    logged = await deletion_log(world.svc)
    periods = {entry.rule: (entry.period, entry.cutoff) for entry in logged}
    assert periods[RetentionRule.RESIDENT_IDS] == ("P365D", moment - 365 * DAY)
    assert periods[RetentionRule.CANCELLED_REPORTS] == ("P1Y", FINAL)
    assert periods[RetentionRule.OUTBOX] == ("P30D", moment - 30 * DAY)
    text = repr(logged)
    assert str(ANNA) not in text and str(BRAM) not in text and "Annemarie" not in text


async def test_a_second_run_at_the_same_moment_removes_nothing(world: World) -> None:
    await a_year_of_reports(world)
    moment = FINAL + 6 * 365 * DAY
    first = await run_at(world, moment)
    assert first.counts
    second = await run_at(world, moment)
    assert not second.counts and second.run_id == first.run_id + 1
    assert await deletion_log(world.svc, since_run=first.run_id) == []


async def test_small_batches_remove_the_same_and_log_one_line_per_kind(world: World) -> None:
    for user_id in range(2001, 2006):
        await cancel(world, await report(world, user_id))
    await world.deliver()
    world.clock.set(START + 2 * 365 * DAY)
    run = await enforce_retention(world.svc, batch=2)
    assert run.count(RetentionRule.CANCELLED_REPORTS, RecordKind.REPORT, Removal.DELETED) == 5
    assert run.count(RetentionRule.RESIDENT_IDS, RecordKind.REPORT, Removal.ANONYMISED) == 5
    logged = await deletion_log(world.svc)
    assert len(logged) == len(run.counts)
    assert await rows(world, "SELECT count(*) FROM reports") == [(0,)]


async def test_a_reopened_report_counts_from_its_last_resolution(world: World) -> None:
    anna = await report(world, ANNA)
    await world.deliver()
    world.clock.set(FINAL)
    await world.resolve(anna)
    async with world.svc.uow() as work:
        await work.cases.act(anna.id, CaseAction.REOPEN, COORDINATOR, FINAL + 10 * DAY)
    assert not (await run_at(world, FINAL + 400 * DAY)).counts  # open again: untouched
    world.clock.set(FINAL + 500 * DAY)
    await world.resolve(await world.stored(anna))
    early = await run_at(world, FINAL + 864 * DAY)
    assert not early.count(RetentionRule.RESIDENT_IDS, RecordKind.REPORT, Removal.ANONYMISED)
    assert (await world.stored(anna)).user_id == ANNA
    run = await run_at(world, FINAL + 865 * DAY)
    assert run.count(RetentionRule.RESIDENT_IDS, RecordKind.REPORT, Removal.ANONYMISED) == 1


async def test_handled_and_parked_updates_leave_the_inbox_after_a_week(world: World) -> None:
    async with world.svc.uow() as work:
        await work.session.execute_many(
            "INSERT INTO inbox (update_id, body, state, received_at, finished_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (7, None, "done", to_text(START), to_text(START)),
                (8, '{"update_id": 8}', "parked", to_text(START), to_text(START + DAY)),
                (9, '{"update_id": 9}', "new", to_text(START), None),
            ],
        )
    assert not (await run_at(world, START + 7 * DAY - timedelta(hours=1))).counts
    run = await run_at(world, START + 7 * DAY)
    assert run.count(RetentionRule.INBOX, RecordKind.UPDATE, Removal.DELETED) == 1
    assert await rows(world, "SELECT update_id, state FROM inbox") == [(8, "parked"), (9, "new")]
    run = await run_at(world, START + 8 * DAY)
    assert run.count(RetentionRule.INBOX, RecordKind.UPDATE, Removal.DELETED) == 1
    assert await rows(world, "SELECT update_id, state FROM inbox") == [(9, "new")]


async def test_co_reporters_lose_their_tie_with_the_ids_and_never_block_deletion(
    world: World,
) -> None:
    anna = await report(world, ANNA)
    await world.deliver()
    draft = draft_at(DIRK, moved(30))
    await world.svc.drafts.save(draft)
    assert (await followers.follow(world.svc, draft, anna.id)).report is not None
    police = Casework(world.svc, Caseworker(501, "Kees", POLICE))
    world.clock.set(FINAL)
    assert isinstance(await police.resolve(anna.id, None, "opgelost"), Done)
    await world.deliver(FINAL + DAY)
    assert world.in_chat(DIRK, OutboxKind.SURVEY_QUESTION)
    reasons = world.svc.config.survey.reasons
    too_long = next(i for i, r in enumerate(reasons) if r.id == "duurde-te-lang")
    for answer in (SurveyAnswer(satisfied=False), SurveyAnswer(reason=too_long)):
        assert (await surveys.answer_step(world.svc, DIRK, anna.id, answer)).next_step
    await surveys.answer_step(world.svc, DIRK, anna.id, SurveyAnswer(unsafe=FeelsUnsafe.OFTEN))

    run = await run_at(world, FINAL + 365 * DAY)
    assert run.count(RetentionRule.RESIDENT_IDS, RecordKind.FOLLOWER, Removal.DELETED) == 1
    assert await rows(world, "SELECT 1 FROM report_followers") == []
    assert await rows(world, "SELECT 1 FROM outbox WHERE chat_id = ?", DIRK) == []
    assert str(DIRK) not in await dump(world)
    kept = await world.svc.surveys.get(anna.id, 1)
    assert kept is not None and kept.feels_unsafe is FeelsUnsafe.OFTEN  # anonymous, kept
    assert (await world.stored(anna)).co_reporters == 1

    five_years = Duration(years=5).after(FINAL, world.svc.config.municipality.zone)
    run = await run_at(world, five_years)
    assert await world.svc.cases.get(anna.id) is None
    assert run.count(RetentionRule.RESOLVED_REPORTS, RecordKind.SURVEY, Removal.DELETED) == 2


async def test_a_final_report_still_followed_is_deleted_with_its_co_reporters(
    world: World,
) -> None:
    bram = await report(world, BRAM)
    draft = draft_at(DIRK, moved(30))
    await world.svc.drafts.save(draft)
    await followers.follow(world.svc, draft, bram.id)
    world.clock.set(FINAL)
    await cancel(world, bram)
    async with world.svc.uow() as work:  # as if the ids rule had not run (a shorter period)
        tally = await delete_reports(work.session, ReportStatus.CANCELLED, FINAL, 10)
    assert tally.counts[(RecordKind.FOLLOWER, Removal.DELETED)] == 1
    assert tally.counts[(RecordKind.REPORT, Removal.DELETED)] == 1
    assert await rows(world, "SELECT 1 FROM report_followers") == []
