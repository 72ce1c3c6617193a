"""The council report shows the hand-computed figures (tests/services/insight_fixture.py), is one
file that loads nothing from anywhere, and draws in a real browser.

Screenshots go to test-artifacts/council/ (or $MELDBOT_ARTIFACTS).
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.report_cli import maps, write_report
from config.municipality import MunicipalityConfig
from council.report import render_report
from council.words import DEFINITIONS_NL
from reports.insight import Period
from reports.insight_terms import DEFINITIONS
from services.container import Services
from services.insight import compute_insight, quick_insight
from storage.database import Database
from tests.browser import chromium
from tests.services.insight_fixture import NOW, build

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
ROOT = Path(__file__).resolve().parents[2]
DASH = "\u2013"
ARTIFACTS = Path(os.environ.get("MELDBOT_ARTIFACTS", ROOT / "test-artifacts")) / "council"


@pytest.fixture
def clock() -> object:
    from reports.clock import ManualClock

    return ManualClock(NOW)


@pytest.fixture
async def filled(svc: Services, database: Database) -> Services:
    await build(database)
    return svc


def text_of(html: str) -> str:
    """The report's visible text, tags removed, whitespace folded."""
    without_svg = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", without_svg)).replace("&shy;", "")


async def test_the_dutch_report_shows_the_hand_computed_figures(
    filled: Services, config: MunicipalityConfig
) -> None:
    insight = await compute_insight(filled, Q1)
    html = render_report(insight, config, "nl", *maps(config))
    text = text_of(html)
    assert f"Rapportage voor de gemeenteraad, 1 januari 2026 {DASH} 31 maart 2026" in text
    # Reports 4 (previous period 1), resolved 2, open 1, cancelled 1.
    assert "Meldingen 4 1 +3" in text
    assert "Afgehandeld 2 1 +1" in text and "Open 1 0 +1" in text
    assert "Mediane tijd tot oppakken 2 u 0 min" in text
    # Binnensingelgebied: 3 of 12 feel unsafe, 25.0% (8.9% to 53.2%), target missed;
    # Enschede-Zuid has 3 answers: too few; the city 4 of 15.
    assert f"Binnensingelgebied 12 25,0% 8,9% {DASH} 53,2% niet gehaald" in text
    assert "Enschede-Zuid 3 te weinig antwoorden" in text
    assert "Enschede (stad) 15 26,7%" in text
    # Partners: politie led 2; twente-milieu has the forwarded one, late.
    assert "Politie (wijkagent) 2 " in text
    # Every definition is in the footnotes, in Dutch.
    assert set(DEFINITIONS_NL) == set(DEFINITIONS)
    for definition in DEFINITIONS_NL.values():
        assert definition.split(" (")[0][:60].replace('"', "&quot;") in html
    # Nothing personal: descriptions and pins are not in the report.
    assert "Geheime beschrijving" not in html and "52.2189" not in html
    # Kennispark has no CBS inhabitants: drawn as "no data", never as zero.
    assert re.search(r'fill="url\(#no-data\)" data-code="BU01530703"', html)


async def test_an_empty_period_says_so_without_dividing_by_zero(
    filled: Services, config: MunicipalityConfig
) -> None:
    insight = await compute_insight(filled, Period(date(2024, 1, 1), date(2024, 1, 31)))
    html = render_report(insight, config, "en", *maps(config))
    text = text_of(html)
    assert "No reports in this period." in text
    assert "no answers yet" in text
    assert "No hotspots in this period." in text


async def test_the_report_loads_nothing_and_draws_in_a_browser(
    filled: Services, config: MunicipalityConfig, tmp_path: Path
) -> None:
    out = tmp_path / "rapport.html"
    write_report(await compute_insight(filled, Q1), config, "nl", out)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", out.read_text(encoding="utf-8"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1100, "height": 900})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        await page.goto(out.as_uri())
        await page.wait_for_load_state("networkidle")
        assert requests == [out.as_uri()]
        maps_drawn = await page.eval_on_selector_all(
            "figure svg[data-west]", "svgs => svgs.map(s => s.getBoundingClientRect().height)"
        )
        assert len(maps_drawn) == 2 and all(height > 200 for height in maps_drawn)
        shot = await page.screenshot(path=ARTIFACTS / "rapport.png", full_page=True)
        colours = await page.evaluate(_COUNT_COLOURS, base64.b64encode(shot).decode())
        assert colours > 50, "the screenshot is (nearly) blank"
        await page.pdf(path=ARTIFACTS / "rapport.pdf", format="A4")


_COUNT_COLOURS = """async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  const seen = new Set();
  for (let i = 0; i < pixels.length; i += 4 * 97) {
    seen.add(pixels[i] << 16 | pixels[i + 1] << 8 | pixels[i + 2]);
  }
  return seen.size;
}"""


def test_the_command_refuses_a_period_that_ends_before_it_starts(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "123456:TEST",
        "MELDBOT_DB": str(tmp_path / "x.sqlite3"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--from", "2026-03-31", "--to", "2026-01-01"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--from 2026-03-31 is after --to 2026-01-01" in done.stderr
    assert not (tmp_path / "x.sqlite3").exists()


async def test_the_report_lists_the_hotspots_of_the_period_with_the_decisions(
    filled: Services, database: Database, config: MunicipalityConfig
) -> None:
    february = "2026-02-14T08:00:00+00:00"
    async with database.transaction() as session:
        for row in (
            # Active in February, a joint approach: listed.
            ("BU01530008", "jongerenoverlast", "active", february, None, "joint"),
            # Ended before the quarter began: not listed.
            ("BU01530008", "zwerfvuil-dumping", "ended", "2025-10-01T08:00:00+00:00",
             "2025-12-01T08:00:00+00:00", "seen"),
            # Enschede-Zuid, ended in March, nobody decided: listed for the city only.
            ("BU01530601", "zwerfvuil-dumping", "ended", "2026-01-20T08:00:00+00:00",
             "2026-03-03T08:00:00+00:00", None),
        ):  # fmt: skip
            await session.execute(
                "INSERT INTO hotspots (buurt_code, category_id, state, first_seen, last_seen,"
                " ended_at, observed, expected, p_value, announced, decision)"
                " VALUES (?, ?, ?, ?, ?, ?, 12, 1.44, 0.00001, 12, ?)",
                (*row[:4], row[3], *row[4:]),
            )
    insight = await compute_insight(filled, Q1)
    assert [(h.place, h.category_id) for h in insight.hotspots] == [
        ("Stroinkslanden-Zuid (Enschede-Zuid)", "zwerfvuil-dumping"),
        ("Boddenkamp (Binnensingelgebied)", "jongerenoverlast"),
    ]
    text = text_of(render_report(insight, config, "nl", *maps(config)))
    assert (
        "Boddenkamp (Binnensingelgebied) Jongerenoverlast 14 februari 2026 nog actief 12 1,4"
        " gezamenlijke aanpak" in text
    )
    assert "3 maart 2026 12 1,4 nog geen" in text
    wijk = await compute_insight(filled, Q1, "Binnensingelgebied")
    assert [h.buurt_code for h in wijk.hotspots] == ["BU01530008"]
    english = text_of(render_report(wijk, config, "en", *maps(config)))
    assert "still active 12 1.4 joint approach" in english


@pytest.mark.parametrize("wijk", [None, "Binnensingelgebied"])
async def test_the_quick_figures_of_stats_are_the_full_ones(
    filled: Services, wijk: str | None
) -> None:
    full = await compute_insight(filled, Q1, wijk)
    quick = await quick_insight(filled, Q1, wijk)
    assert quick.headline.reports == full.headline.reports
    assert (quick.headline.resolved, quick.headline.open) == (
        full.headline.resolved,
        full.headline.open,
    )
    assert quick.headline.per_category == full.headline.per_category
    assert quick.previous.reports == full.previous.reports
    assert quick.city_safety == full.city_safety
    assert quick.buurten == full.buurten
    if wijk is not None:
        assert quick.wijken[0].safety == full.wijken[0].safety


async def test_the_report_shows_the_panel_beside_the_reporters_measure(
    filled: Services, config: MunicipalityConfig
) -> None:
    from storage import panel as panel_store

    async with filled.uow() as work:
        for i in range(20):  # Binnensingelgebied: 5 of 20 feel unsafe
            answer = "often" if i < 5 else "never"
            await panel_store.add_answer(
                work.session, "2026-01-01", "BU01530008", "WK015300", answer
            )
        for cause in ("dark", "dark", "youth"):
            await panel_store.add_cause(work.session, "2026-01-01", "BU01530008", "WK015300", cause)
        for _ in range(4):  # Enschede-Zuid: too few
            await panel_store.add_answer(
                work.session, "2026-01-01", "BU01530600", "WK015306", "never"
            )
    insight = await compute_insight(filled, Q1)
    assert insight.panel is not None and insight.panel.round.key == "2026-01-01"
    text = text_of(render_report(insight, config, "nl", *maps(config)))
    assert "Het buurtpanel: hoe veilig inwoners zich voelen, niet alleen melders" in text
    assert "Ronde Q1 2026: 0 leden" in text
    assert f"Binnensingelgebied 0 20 25,0% 11,2% {DASH} 46,9% niet gehaald" in text
    assert "Enschede-Zuid 0 4 te weinig antwoorden" in text
    assert "Ongewogen 0 24 20,8%" in text and "Gewogen naar inwoners" in text
    assert "Te weinig antwoorden in:" in text and "Enschede-Zuid" in text
    assert "noemen: donkere plekken 2 · groepen jongeren 1." in text
    english = text_of(render_report(insight, config, "en", *maps(config)))
    assert "The neighbourhood panel" in english and "Weighted by inhabitants" in english
