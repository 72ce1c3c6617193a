"""Take updates from Telegram into the inbox first, and handle them from there.

python-telegram-bot's own updater acknowledges a batch of updates (the next getUpdates offset)
as soon as it fetched it, before any handler ran: a crash then loses what the residents sent.
Here the order is: fetch, store the raw updates in the inbox (`storage.inbox`) in one
transaction, and only then acknowledge them with the next offset. Handlers run from the inbox:

- one chat's updates one after another, in order; different chats concurrently;
- while an update is handled, every write transaction marks it applied along with its effects
  (`storage.handling`), and when its handlers are through it is done;
- an update whose handler failed is tried again later, before anything else of its chat, unless
  its sender was told that it failed (handlers/errors.py) and so asked to try again themselves,
  or it was applied and its chat sent more meanwhile (the newer update's answer says where the
  resident is);
- after a restart every update that is not done is handled again: one that was not applied
  runs through the handlers as new (nothing of it was stored); one that was applied (its
  effects are stored, its answer may be lost) goes to `resume` instead, which answers from
  what is stored without applying it twice (a message queued for the same update is not
  queued twice either way);
- an update that cannot be read, or whose handler keeps failing, is parked after a few
  attempts and logged by its id only, never its content; the updates behind it go on.

Longer than 300 lines because the bookkeeping that lets a new update start without a read of
the inbox (chats busy, waiting, held, unknown) is shared by both loops and must be read with
them to see that a chat's order is always kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application, CallbackContext, ContextTypes

from bot.logs import summary
from bot.stopping import wait_event
from reports.clock import Clock
from storage.database import Later, Session
from storage.handling import HANDLING, Handling, current
from storage.inbox import MAX_ATTEMPTS, MAX_ATTEMPTS_UNREACHABLE, Inbox, InboxRow, chat_of
from storage.residents import Known, know, known_choices, read_choices_along

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]

Resume = Callable[[Update, Any], Awaitable[None]]

CONCURRENT = 64
"""Updates of different chats handled at the same time."""
_IDLE_CHECK = 1.0
"""Seconds between looks for updates due for another attempt."""
_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)


class Intake:
    """The inbox's two loops: fetch-store-acknowledge, and handle."""

    def __init__(self, application: App, inbox: Inbox, clock: Clock) -> None:
        self.application = application
        self.inbox = inbox
        self.clock = clock
        self.on_fatal: Callable[[BaseException], None] = _raise
        """Called when fetching cannot go on (the token was rejected while running)."""
        self.on_conflict: Callable[[Conflict], None] = _ignore
        """Called on every 409 Conflict: another program polls with this token."""
        self.resume: Resume | None = None
        """Answers an update applied before a crash (instead of the handlers)."""
        self._wake = asyncio.Event()
        self._busy_chats: set[int] = set()
        self._waiting: dict[int, dict[int, dict[str, Any]]] = {}
        """Per chat, the updates this process stored and has not started yet, by update_id."""
        self._unknown: set[int] = set()
        """Chats with an update started that this process did not store (stored before a
        restart, or tried again): more of theirs may wait in the inbox."""
        self._running: dict[int, asyncio.Task[None]] = {}
        self._finished: set[int] = set()
        """Updates this process finished; a read of the inbox may still show them open."""
        self._held: set[int] = set()
        """Chats whose inbox may hold an open update that this process does not know of:
        every chat with one open at start, and a chat whose update failed and waits for another
        attempt. Their new updates start from a read of the inbox, which keeps their order."""
        self._storing: list[_Quiet] = []
        """Per store in progress, the chats none of whose updates ran since it began."""
        self._slots = asyncio.Semaphore(CONCURRENT)
        self._tasks: list[asyncio.Task[None]] = []
        self.offset: int | None = None
        application.add_error_handler(_note_failure)

    async def start(self, *, poll_timeout: int | None, poll_interval: float = 0.0) -> None:
        """Start handling what the inbox holds, then start fetching (unless `poll_timeout` is
        None: in webhook mode updates come in through `accept`)."""
        self.offset = await self.inbox.next_offset()
        self._held = await self.inbox.open_chats()
        self._tasks.append(asyncio.create_task(self._handle_loop(), name="meldbot:inbox"))
        if poll_timeout is None:
            return
        self._tasks.append(
            asyncio.create_task(
                self._poll_loop(poll_timeout, poll_interval), name="meldbot:getUpdates"
            )
        )

    async def accept(self, updates: list[Any]) -> None:
        """Store updates (from a poll or a webhook call); return only once they are stored."""
        valid = [u for u in updates if isinstance(u, dict) and isinstance(u.get("update_id"), int)]
        if len(valid) != len(updates):
            log.warning("%d update(s) without an update_id were ignored", len(updates) - len(valid))
        if valid:
            # What a resident sent in their private chat (its id is theirs) usually needs
            # their choices and draft: read in the same trip as the store.
            residents = {chat for chat in map(chat_of, valid) if chat is not None and chat > 0}
            # Only for chats with nothing handled meanwhile is what was read still true.
            quiet = _Quiet(residents - self._busy_chats)
            read: Later | None = None

            def read_along(session: Session) -> None:
                nonlocal read
                read = read_choices_along(session, residents)

            self._storing.append(quiet)
            try:
                added = set(
                    await self.inbox.store(
                        valid, self.clock.now(), along=read_along if residents else None
                    )
                )
            finally:
                self._storing.remove(quiet)
            known = {} if read is None else known_choices(read)
            known = {chat: found for chat, found in known.items() if chat in quiet.chats}
            log.debug("stored %d new update(s) of %d", len(added), len(valid))
            wake = False
            for update in sorted(valid, key=lambda u: int(u["update_id"])):
                chat, update_id = chat_of(update), update["update_id"]
                # (A read of the inbox may have started it already.)
                if update_id not in added or update_id in self._running:
                    continue
                if chat is None:
                    wake = True
                    continue
                waiting = self._waiting.setdefault(chat, {})
                waiting[update_id] = update
                if chat in self._held or chat in self._unknown:
                    wake = True
                elif chat not in self._busy_chats and min(waiting) == update_id:
                    # Nothing of its chat is open but what this process stored: it is the
                    # chat's oldest open update and due, as a read of the inbox would say.
                    self._launch(
                        InboxRow(update_id, None, chat, False, 0, parsed=update), known.get(chat)
                    )
                # A busy chat's next update starts when the running one ends (`_handle`).
            if wake:
                self._wake.set()

    async def stop(self, *, grace: float = 10.0) -> None:
        """Stop fetching, let running handlers finish (up to `grace` seconds), stop handling."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        running = list(self._running.values())
        if running:
            _, pending = await asyncio.wait(running, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _poll_loop(self, wait_seconds: int, interval: float) -> None:
        """Long-poll getUpdates; acknowledge a batch only after it is stored."""
        bot = self.application.bot
        failures = 0
        while True:
            try:
                batch = await bot.raw_updates(self.offset, wait_seconds)
                await self.accept(batch)
            except asyncio.CancelledError:
                raise
            except Conflict as conflict:
                self.on_conflict(conflict)
                await asyncio.sleep(_BACKOFF[0])
                continue
            except InvalidToken as rejected:
                self.on_fatal(rejected)
                return
            except RetryAfter as flood:
                after = flood.retry_after
                await asyncio.sleep(after if isinstance(after, int) else after.total_seconds())
                continue
            except Exception as error:  # network, 5xx, a database that failed to store
                wait = _BACKOFF[min(failures, len(_BACKOFF) - 1)]
                failures += 1
                level = logging.WARNING if isinstance(error, TelegramError) else logging.ERROR
                log.log(level, "fetching updates failed, again in %.0f s: %s", wait, summary(error))
                await asyncio.sleep(wait)
                continue
            failures = 0
            ids = [u["update_id"] for u in batch if isinstance(u, dict) and "update_id" in u]
            if ids:
                self.offset = max(ids) + 1
            if interval:
                await asyncio.sleep(interval)

    async def _handle_loop(self) -> None:
        """Start a handler for every due update whose chat is not busy; wait for more."""
        while True:
            self._wake.clear()
            try:
                # Updates marked done are written first, or the read would still show them
                # open and hold back the rest of their chats.
                await self.inbox.write_pending()
                due = await self.inbox.due(self.clock.now())
                for row in due:
                    self._launch(row)
                self._finished.intersection_update(row.update_id for row in due)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.error("reading the inbox failed: %s", summary(error))
            await wait_event(self._wake, _IDLE_CHECK)

    def _launch(self, row: InboxRow, known: Known | None = None) -> None:
        """Handle row in a task of its own unless its chat is busy or it already runs; with
        what is `known` of its resident as it was stored (for an update starting at once)."""
        if row.update_id in self._running or row.update_id in self._finished:
            return
        if row.chat_id is not None:
            if row.chat_id in self._busy_chats:
                return
            self._busy_chats.add(row.chat_id)
            waiting = self._waiting.get(row.chat_id, {})
            if row.update_id in waiting:
                del waiting[row.update_id]
                if not waiting:
                    del self._waiting[row.chat_id]
            else:
                self._unknown.add(row.chat_id)
        task = asyncio.create_task(self._handle(row, known), name=f"meldbot:update:{row.update_id}")
        self._running[row.update_id] = task

    async def _handle(self, row: InboxRow, known: Known | None) -> None:
        """Handle one update and record how it went."""
        through = False
        try:
            async with self._slots:
                through = await self._handle_now(row, known)
        finally:
            self._running.pop(row.update_id, None)
            chat = row.chat_id
            if chat is not None:
                self._busy_chats.discard(chat)
                for quiet in self._storing:
                    quiet.chats.discard(chat)
            # The inbox is read again only when something may have become due: reading it
            # after every update (for the few chats with more waiting) cost more than most
            # handlers. Done as it should be, with nothing else of its chat stored since and
            # none from before, nothing is; with only updates this process stored waiting,
            # the oldest of them is the chat's next (as in `accept`).
            if (
                through
                and chat is not None
                and chat in self._waiting
                and chat not in self._held
                and chat not in self._unknown
            ):
                waiting = self._waiting[chat]
                update_id = min(waiting)
                self._launch(InboxRow(update_id, None, chat, False, 0, parsed=waiting[update_id]))
            elif chat is None or not through or chat in self._waiting or chat in self._unknown:
                if chat is not None:
                    self._unknown.discard(chat)
                self._wake.set()

    async def _handle_now(self, row: InboxRow, known: Known | None) -> bool:
        """Parse the update, run the handlers with the update marked, then finish or fail it.
        Return whether it is done as it should be (not failed, parked or to be tried again)."""
        now = self.clock.now
        try:
            body = row.body
            if body is None:
                raise ValueError("no readable JSON")
            update = Update.de_json(body, self.application.bot)
        except Exception as error:
            log.warning(
                "update %d cannot be read (%s); parked", row.update_id, type(error).__name__
            )
            await self.inbox.park(row.update_id, type(error).__name__, now())
            self._finished.add(row.update_id)
            return False
        if row.superseded:
            # Its effects are stored and its chat sent more: answering the newer update tells
            # the resident where they are; answering this one again would only repeat that.
            self.inbox.finish_soon(row.update_id, now())
            self._finished.add(row.update_id)
            log.info("update %d was applied and its chat went on; done", row.update_id)
            return True
        handling = Handling(row.update_id)
        if known is not None and row.chat_id is not None:
            know(handling, row.chat_id, known)
        token = HANDLING.set(handling)
        error_name = ""
        try:
            if row.applied and self.resume is not None:
                await self.resume(update, CallbackContext.from_update(update, self.application))
            else:
                await self.application.process_update(update)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            handling.fail(error)
            error_name = type(error).__name__
        finally:
            HANDLING.reset(token)
        if not handling.failed:
            # Done with the next write (usually another update's, a moment later): a
            # transaction of its own was a fifth of an answer's trips to SQLite.
            self.inbox.finish_soon(row.update_id, now())
            self._finished.add(row.update_id)
            return True
        if handling.told:
            # The sender saw that it failed and was asked to try again: handling it again by
            # ourselves could act on it after what they did next (a second report).
            error_name = error_name or handling.error or "handler failed"
            await self.inbox.finish(row.update_id, now(), error=error_name)
            self._finished.add(row.update_id)
            log.info("update %d failed; its sender was told: not tried again", row.update_id)
            return False
        # Telegram being unreachable (5xx, time-outs, refused connections) is no fault of the
        # update: it is tried again for longer, so that its answer is not lost.
        limit = MAX_ATTEMPTS_UNREACHABLE if handling.unreachable else MAX_ATTEMPTS
        error_name = error_name or handling.error or "handler failed"
        parked = await self.inbox.fail(row.update_id, error_name, now(), limit=limit)
        if parked:
            self._finished.add(row.update_id)
        elif row.chat_id is not None:
            self._held.add(row.chat_id)
        if parked:
            log.warning("update %d failed %d times; parked", row.update_id, row.attempts + 1)
        else:
            log.info("update %d failed; it will be tried again", row.update_id)
        return False


class _Quiet:
    """Chats none of whose updates ran while a store was in progress (compared by identity)."""

    __slots__ = ("chats",)

    def __init__(self, chats: set[int]) -> None:
        self.chats = chats


async def _note_failure(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Error handler: mark the update being handled as failed (the other one answers)."""
    handling = current()
    if handling is not None and context.error is not None:
        handling.fail(context.error)


def _raise(error: BaseException) -> None:
    """Default `on_fatal`: let the error end the fetching task loudly."""
    raise error


def _ignore(conflict: Conflict) -> None:
    """Default `on_conflict`: log it."""
    log.warning("another program polled with this bot token (409 Conflict)")
