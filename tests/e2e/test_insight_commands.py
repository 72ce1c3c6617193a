"""/stats, /rapport and /export in the coordinator's group, through the validating Bot API: a
picture with the key figures, the council report as a file, the CSV and GeoJSON as files; and
nothing for anyone else."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sandbox.botapi import SentMessage
from tests.e2e.steps.chain import Chain

NOVEMBER = "2026-11-01 2026-11-30"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("MELDBOT_ARTIFACTS", ROOT / "test-artifacts")) / "council"


def stored_file(chain: Chain, sent: SentMessage, kind: str) -> tuple[str, bytes]:
    """Return the name and content of the file a message carries."""
    attached = sent.message[kind]
    item = attached[-1] if isinstance(attached, list) else attached
    stored = chain.run.api.world.files[item["file_id"]]
    return str(item.get("file_name", stored.file_path)), stored.data


async def test_stats_answers_the_coordinator_with_a_picture_and_the_key_figures(
    chain: Chain,
) -> None:
    api = chain.run.api
    anna = api.user(1701, "Anna")
    await chain.report(anna)
    api.drain(chain.coordinator.id)
    api.send_text(chain.cora, f"/stats {NOVEMBER}", chain.coordinator)
    picture = await api.wait_for_message(chain.coordinator.id, contains="Meldingen: 1", timeout=10)
    assert picture.method == "sendPhoto"
    assert "Enschede" in picture.text and "1 november 2026" in picture.text
    _, png = stored_file(chain, picture, "photo")
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "stats.png").write_bytes(png)

    api.send_text(chain.cora, f"/stats {NOVEMBER} Binnensingelgebied", chain.coordinator)
    wijk = await api.wait_for_message(chain.coordinator.id, contains="Binnensingelgebied")
    assert wijk.method == "sendPhoto" and "Meldingen: 1" in wijk.text

    api.send_text(chain.cora, "/stats Nergenshuizen", chain.coordinator)
    unknown = await api.wait_for_message(chain.coordinator.id, contains="ken ik niet")
    assert "Enschede-Zuid" in unknown.text

    api.send_text(chain.cora, "/stats 2026-12-01 2026-11-01", chain.coordinator)
    usage = await api.wait_for_message(chain.coordinator.id, contains="Gebruik")
    assert "/rapport" in usage.text


async def test_rapport_and_export_send_the_files(chain: Chain) -> None:
    api = chain.run.api
    bert = api.user(1702, "Bert")
    reference = await chain.report(bert)
    api.drain(chain.coordinator.id)
    api.send_text(chain.cora, f"/rapport {NOVEMBER}", chain.coordinator)
    report = await api.wait_for_message(chain.coordinator.id, contains="Rapportage", timeout=15)
    assert report.method == "sendDocument" and "1 meldingen" in report.text
    name, html = stored_file(chain, report, "document")
    assert name == "meldbot-rapport-2026-11-01_2026-11-30.html"
    assert b"<svg" in html and b"Binnensingelgebied" in html and b"Rapportage" in html

    api.send_text(chain.cora, f"/export {NOVEMBER}", chain.coordinator)
    table = await api.wait_for_message(chain.coordinator.id, contains="CSV", timeout=15)
    name, data = stored_file(chain, table, "document")
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2 and reference in rows[1]
    assert "Bert" not in data.decode("utf-8")
    geo = await api.wait_for_message(chain.coordinator.id, contains="GeoJSON", timeout=15)
    name, data = stored_file(chain, geo, "document")
    assert name.endswith(".geojson")
    assert len(json.loads(data)["features"]) == 70


async def test_nobody_else_gets_figures(chain: Chain) -> None:
    api = chain.run.api
    carla = api.user(1703, "Carla")
    await chain.report(carla)
    await api.wait_idle()
    for command in ("/stats", "/rapport", "/export"):
        api.drain(chain.police.id)
        api.send_text(chain.kees, command, chain.police)
        refused = await api.wait_for_message(chain.police.id, contains="alleen in de chat van")
        assert refused.method == "sendMessage"
        api.drain(carla.id)
        api.send_text(carla, command)
        private = await api.wait_for_message(carla.id, contains="alleen in de chat van")
        assert private.method == "sendMessage"
    await api.wait_idle()
    assert not [m for m in api.world.sent if m.method in ("sendPhoto", "sendDocument")]


def posted_reports(chain: Chain) -> list[SentMessage]:
    return [
        m
        for m in chain.run.api.messages(chain.coordinator.id)
        if m.method == "sendDocument" and "Rapportage" in m.text
    ]


async def test_the_monthly_report_is_posted_once_per_month_when_switched_on(chain: Chain) -> None:
    run = chain.run
    await asyncio.sleep(2.5)  # the job runs every second here: off by default, it posts nothing
    assert posted_reports(chain) == []
    run.overrides += "[insight]\nmonthly_report = true\n"
    await run.restart()
    october = await run.api.wait_for_message(
        chain.coordinator.id, contains="Rapportage", timeout=10
    )
    assert "1 oktober 2026" in october.text and "31 oktober 2026" in october.text
    name, html = stored_file(chain, october, "document")
    assert name == "meldbot-rapport-2026-10.html" and b"<svg" in html
    await run.restart()  # a restart does not post the month again
    run.clock.set(datetime(2026, 12, 1, 5, 30, tzinfo=UTC))  # 06:30 in Enschede: too early
    await asyncio.sleep(2.5)
    assert len(posted_reports(chain)) == 1
    run.clock.set(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))  # 07:00: November's turn
    november = await run.api.wait_for_message(chain.coordinator.id, contains="november", timeout=10)
    assert "1 november 2026" in november.text
    await asyncio.sleep(2.5)
    assert len(posted_reports(chain)) == 2


async def test_a_hotspot_reaches_the_coordinator_group_once_and_the_coordinator_acts(
    chain: Chain,
) -> None:
    run, api = chain.run, chain.run.api
    for number in range(8):
        await chain.report(api.user(1800 + number, f"Bewoner {number}"))
    assert not [m for m in api.messages(chain.coordinator.id) if "Hotspot" in m.text]
    run.hotspots = True
    run.clock.advance(timedelta(minutes=5))  # the check counts what was made before now
    await run.restart()
    signal = await api.wait_for_message(chain.coordinator.id, contains="Hotspot", timeout=10)
    assert "Jongerenoverlast" in signal.text and "Boddenkamp" in signal.text
    assert "8 meldingen" in signal.text and "Politie" in signal.text
    # One message with its picture: the buurt and its reports as blurred density, never pins.
    assert signal.method == "sendPhoto" and "Vervaagd" in signal.text
    _, png = stored_file(chain, signal, "photo")
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "hotspot.png").write_bytes(png)
    await run.restart()  # the period was checked: no second message
    await asyncio.sleep(2.5)
    assert len([m for m in api.messages(chain.coordinator.id) if "Hotspot" in m.text]) == 1
    # The coordinator marks it seen, then asks for a joint approach: the police group hears it.
    joint_data = str(signal.button_data("🤝 Gezamenlijke aanpak"))
    hotspot_id = joint_data.split(":")[1]
    api.press(chain.cora, signal, text="🚫 Niet relevant")
    await api.wait_idle()
    menu = api.current(chain.coordinator.id, signal.message_id) or {}
    labels = [b["text"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    assert "Eenmalige gebeurtenis" in labels and "↩️ Terug" in labels
    api.press(chain.cora, menu, text="↩️ Terug")
    await api.wait_idle()
    back = api.current(chain.coordinator.id, signal.message_id) or {}
    labels = [b["text"] for row in back["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["👀 Gezien", "🤝 Gezamenlijke aanpak", "🚫 Niet relevant"]
    api.press(chain.cora, signal, text="👀 Gezien")
    seen = await api.wait_for_message(chain.coordinator.id, contains="Gezien door Cora")
    assert seen.edited and "👀 Gezien" not in seen.button_texts
    forged = api.press_forged(chain.kees, chain.police, signal.message_id, joint_data)
    await api.wait_idle()
    refused = api.answered(forged)
    assert refused is not None and refused.get("show_alert") is True
    api.press(chain.cora, seen, text="🤝 Gezamenlijke aanpak")
    request = await api.wait_for_message(chain.police.id, contains="Gezamenlijke aanpak gevraagd")
    assert "Boddenkamp" in request.text and "Jongerenoverlast" in request.text
    joint = await api.wait_for_message(chain.coordinator.id, contains="gestart door Cora")
    assert "Politie" in joint.text and joint.button_texts == []
    assert "Gezien door Cora" in joint.text  # the caption keeps every decision
    late = api.press_forged(
        chain.cora, chain.coordinator, signal.message_id, f"h:{hotspot_id}:di:known"
    )
    await api.wait_idle()
    stale = api.answered(late)
    assert stale is not None and "al besloten" in str(stale.get("text"))
