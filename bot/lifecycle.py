"""Run one Meldbot process: take the database's lock, start, serve until a signal, stop cleanly."""

from __future__ import annotations

import asyncio
import gc
import signal

from bot.app import Meldbot
from bot.failures import Setting, explain
from bot.instance import Footprint, InstanceLock
from config.municipality import MunicipalityConfig
from config.settings import Settings


async def serve(settings: Settings, config: MunicipalityConfig) -> None:
    """Run Meldbot until SIGINT or SIGTERM; raise Failure when it cannot start or must stop.

    A start that fails leaves nothing behind: a database it created and the folders it made
    are removed again. After a failure the database lock is released.
    """
    setting = Setting(settings.telegram_api_base_url, settings.meldbot_db)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    footprint: Footprint | None = None
    try:
        footprint = Footprint.prepare(settings.meldbot_db)
        lock = InstanceLock(settings.meldbot_db)
        try:
            lock.acquire()
        except BaseException:
            footprint.undo()
            raise
        try:
            footprint.note_fresh()
            await _serve(settings, config, footprint, stop)
        except BaseException:
            lock.release(remove=footprint.fresh and not footprint.kept)
            footprint.undo()
            raise
        lock.release()
    except Exception as error:
        failure = explain(error, setting)
        failure.running = footprint is not None and footprint.kept
        if failure is error:
            raise
        raise failure from error
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def _serve(
    settings: Settings, config: MunicipalityConfig, footprint: Footprint, stop: asyncio.Event
) -> None:
    """Create and start the bot, mark the start a success, and wait for a signal or a halt."""
    meldbot = await Meldbot.create(settings, config)
    try:
        await meldbot.start()
        footprint.keep()
        settle_heap()
        halted = await meldbot.until_stopped(stop)
    finally:
        await meldbot.stop()
    if halted is not None:
        raise halted


def settle_heap() -> None:
    """Exempt what start-up made from the garbage collector's full passes.

    The map, the catalogues, the configuration and the libraries' own objects live as long as
    the process; a full collection walked all of them again and again (among the event
    loop's longest stalls under load). Frozen, a full pass walks only what was made since.
    Done once, in the bot's own process only (`python -m bot`).
    """
    gc.collect()
    gc.freeze()
