"""Reports reach the right partner chat; caseworkers handle them; the resident hears back."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from reports.models import ReportStatus
from sandbox.botapi import FakeGroup
from tests.e2e.steps.chain import FIRE, LINK_CODE, POLICE, Chain, status_of


async def test_a_report_reaches_the_lead_partner_with_buttons_and_informed_partners_without(
    chain: Chain,
) -> None:
    api = chain.run.api
    anna = api.user(1201, "Anna")
    reference = await chain.report(anna)
    lead = await chain.notification(chain.police, reference)
    assert "Jongerenoverlast" in lead.text and "Boddenkamp" in lead.text
    assert "melder blijft anoniem" in lead.text and "Anna" not in lead.text
    assert {"🙋 Oppakken", "✅ Afhandelen", "↪️ Doorzetten", "🚫 Niet van ons"} <= set(
        lead.button_texts
    )
    info = await chain.notification(chain.enforcement, reference)
    assert "Ter informatie" in info.text and info.button_texts == []
    assert await status_of(chain, reference) is ReportStatus.ROUTED
    assert chain.run.bot is not None
    report = await chain.run.bot.services.reports.get_by_reference(reference)
    assert report is not None and report.routing_rule == "jongerenoverlast"


async def test_a_resident_who_agreed_is_named_to_the_partner(chain: Chain) -> None:
    api = chain.run.api
    bea = api.user(1202, "Bea", username="bea_enschede")
    reference = await chain.report(bea, contact=True)
    lead = await chain.notification(chain.police, reference)
    assert "melder mag benaderd worden: Bea (@bea_enschede)" in lead.text


async def test_a_caseworker_claims_and_resolves_and_the_resident_is_told_each_time(
    chain: Chain,
) -> None:
    run, api = chain.run, chain.run.api
    carl = api.user(1203, "Carl")
    reference = await chain.report(carl)
    lead = await chain.notification(chain.police, reference)
    api.press(chain.kees, lead, text="🙋 Oppakken")
    claimed = await api.wait_for_message(chain.police.id, contains="in behandeling bij Kees")
    assert "🙋 Oppakken" not in claimed.button_texts
    told = await api.wait_for_message(carl.id, contains="is opgepakt door", timeout=10)
    assert "Politie" in told.text and "Kees" not in told.text
    api.press(chain.kees, claimed, text="✅ Afhandelen")
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Gesprek gevoerd")
    await api.wait_for_message(chain.police.id, contains="afgehandeld door Kees")
    resolved = await api.wait_for_message(carl.id, contains="is afgehandeld", timeout=10)
    assert "met de betrokkenen gesproken" in resolved.text
    assert await status_of(chain, reference) is ReportStatus.RESOLVED
    listing = await run.say(carl, "/mijnmeldingen", expect="Uw meldingen")
    assert "afgehandeld" in listing.text


async def test_outsiders_and_other_chats_change_nothing(chain: Chain) -> None:
    api = chain.run.api
    dora = api.user(1204, "Dora")
    reference = await chain.report(dora)
    lead = await chain.notification(chain.police, reference)
    pressed = api.press(chain.otto, lead, text="🙋 Oppakken")
    await api.wait_idle()
    answer = api.answered(pressed)
    assert answer is not None and answer.get("show_alert") is True
    assert "Alleen de behandelaars" in str(answer.get("text"))
    data = lead.button_data("🙋 Oppakken")
    assert data is not None
    info = await chain.notification(chain.enforcement, reference)
    forged = api.press_forged(chain.bas, chain.enforcement, info.message_id, data)
    await api.wait_idle()
    forged_answer = api.answered(forged)
    assert forged_answer is not None and forged_answer.get("show_alert") is True
    garbage = api.press_forged(chain.kees, chain.police, lead.message_id, "p:999999:cl:")
    await api.wait_idle()
    assert api.answered(garbage) is not None
    assert await status_of(chain, reference) is ReportStatus.ROUTED


async def test_two_caseworkers_claiming_at_once_leave_exactly_one_winner(chain: Chain) -> None:
    api = chain.run.api
    eef = api.user(1205, "Eef")
    reference = await chain.report(eef)
    lead = await chain.notification(chain.police, reference)
    first = api.press(chain.kees, lead, text="🙋 Oppakken")
    second = api.press(chain.lotte, lead, text="🙋 Oppakken")
    await api.wait_idle()
    answers = [api.answered(first), api.answered(second)]
    alerts = [a for a in answers if a is not None and a.get("show_alert")]
    assert len(alerts) == 1
    assert "heeft deze melding al opgepakt" in str(alerts[0].get("text"))
    assert chain.run.bot is not None
    report = await chain.run.bot.services.reports.get_by_reference(reference)
    assert report is not None and report.status is ReportStatus.IN_PROGRESS
    await api.wait_for_message(eef.id, contains="is opgepakt door", timeout=10)
    await api.wait_idle()
    claims = [m for m in api.messages(eef.id) if "is opgepakt door" in m.text]
    assert len(claims) == 1


async def test_forwarding_notifies_the_new_lead_and_shows_the_hand_over(chain: Chain) -> None:
    api = chain.run.api
    fien = api.user(1206, "Fien")
    reference = await chain.report(fien)
    lead = await chain.notification(chain.police, reference)
    await chain.notification(chain.enforcement, reference)  # the for-information copy
    api.press(chain.kees, lead, text="↪️ Doorzetten")
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Handhaving (BOA) gemeente Enschede")
    handed = await api.wait_for_message(chain.police.id, contains="doorgezet naar Handhaving")
    assert handed.button_texts == []
    fresh = await api.wait_for_message(chain.enforcement.id, contains="Doorgezet", timeout=10)
    assert "🙋 Oppakken" in fresh.button_texts
    await api.wait_for_message(fien.id, contains="is doorgezet naar Handhaving", timeout=10)
    api.press(chain.bas, fresh, text="🙋 Oppakken")
    await api.wait_for_message(chain.enforcement.id, contains="in behandeling bij Bas")


async def test_questions_and_answers_are_relayed_without_identities(chain: Chain) -> None:
    api = chain.run.api
    gijs = api.user(1207, "Gijs", username="gijs_secret")
    reference = await chain.report(gijs)
    lead = await chain.notification(chain.police, reference)
    api.press(chain.kees, lead, text="🙋 Oppakken")
    claimed = await api.wait_for_message(chain.police.id, contains="in behandeling bij Kees")
    api.press(chain.kees, claimed, text="❓ Vraag melder")
    prompt = await api.wait_for_message(chain.police.id, contains="typ als antwoord")
    api.send_text(chain.kees, "Om hoe laat begint het meestal?", chain.police, reply_to=prompt)
    question = await api.wait_for_message(gijs.id, contains="heeft een vraag", timeout=10)
    assert "Om hoe laat begint het meestal?" in question.text
    assert "Kees" not in question.text
    assert await status_of(chain, reference) is ReportStatus.WAITING_FOR_RESIDENT
    await chain.run.say(gijs, "Meestal rond tien uur 's avonds.", expect="is doorgegeven")
    answer = await api.wait_for_message(
        chain.police.id, contains="Antwoord van de melder", timeout=10
    )
    assert "Meestal rond tien uur" in answer.text
    assert "Gijs" not in answer.text and "gijs_secret" not in answer.text
    assert answer.params.get("reply_parameters", {}).get("message_id") == lead.message_id
    assert await status_of(chain, reference) is ReportStatus.IN_PROGRESS


async def test_not_ours_sends_the_report_back_to_the_coordinator(chain: Chain) -> None:
    api = chain.run.api
    hein = api.user(1208, "Hein")
    reference = await chain.report(hein)
    lead = await chain.notification(chain.police, reference)
    api.press(chain.lotte, lead, text="🚫 Niet van ons")
    prompt = await api.wait_for_message(chain.police.id, contains="niet voor u is")
    api.send_text(chain.lotte, "Dit is een zaak voor de corporatie.", chain.police, reply_to=prompt)
    back = await api.wait_for_message(chain.coordinator.id, contains="Terug naar de coördinator")
    assert "zaak voor de corporatie" in back.text
    assert "↪️ Doorzetten" in back.button_texts
    assert await status_of(chain, reference) is ReportStatus.REJECTED
    api.press(chain.cora, back, text="↪️ Doorzetten")
    menu = await api.wait_for_message(chain.coordinator.id)
    api.press(chain.cora, menu, text="Domijn")
    await api.wait_for_message(chain.coordinator.id, contains="doorgezet naar Domijn")
    assert await status_of(chain, reference) is ReportStatus.ROUTED


async def test_a_partner_without_a_chat_has_its_reports_marked_in_the_coordinator_chat(
    chain: Chain,
) -> None:
    api = chain.run.api
    ida = api.user(1209, "Ida")
    reference = await chain.report(ida, "🔥 Brandgevaar")
    stand_in = await chain.notification(chain.coordinator, reference)
    assert "Voor Brandweer Twente" in stand_in.text
    assert "🙋 Oppakken" in stand_in.button_texts


async def test_a_group_links_itself_with_the_code_and_then_receives_its_reports(
    chain: Chain,
) -> None:
    api = chain.run.api
    fire = api.group(FIRE, "Brandweer Twente meldingen")
    wim = api.user(521, "Wim")
    api.add_bot_to_group(wim, fire)
    await chain.run.api.wait_idle()
    api.send_text(wim, "/koppel brandweer verkeerde-code", fire)
    await api.wait_for_message(fire.id, contains="klopt niet")
    api.send_text(wim, f"/koppel brandweer {LINK_CODE}", fire)
    await api.wait_for_message(fire.id, contains="gekoppeld aan")
    jan = api.user(1210, "Jan")
    reference = await chain.report(jan, "🔥 Brandgevaar")
    lead = await chain.notification(fire, reference)
    assert "Voor Brandweer" not in lead.text and "🙋 Oppakken" in lead.button_texts
    api.send_text(wim, "/ontkoppel brandweer", fire)
    await api.wait_for_message(fire.id, contains="Alleen de coördinator")
    api.send_text(chain.cora, "/ontkoppel brandweer", chain.coordinator)
    await api.wait_for_message(chain.coordinator.id, contains="Koppeling van Brandweer")


async def test_with_one_request_in_five_failing_every_notification_arrives_once(
    chain: Chain,
) -> None:
    api = chain.run.api
    assert chain.run.bot is not None
    dispatcher = chain.run.bot.dispatcher
    await dispatcher.stop()  # the notifications queue up while residents report
    residents = [api.user(1300 + i, f"R{i}") for i in range(6)]
    references = [await chain.report(r, confirmed=False) for r in residents]
    api.failure_rate(0.2, seed=7, methods=["sendMessage"], statuses=(429, 500))
    await dispatcher.start(chain.run.bot.application.job_queue)

    def delivered(group: FakeGroup) -> int:
        return sum(1 for m in api.messages(group.id) if not m.edited and "Melding ENS" in m.text)

    def told() -> int:
        return sum(1 for r in residents for m in api.messages(r.id) if "ENS-" in m.text)

    for _ in range(100):  # retries wait on the injected clock: move it on until all arrived
        if delivered(chain.police) == delivered(chain.enforcement) == told() == len(references):
            break
        chain.run.clock.advance(timedelta(minutes=2))
        dispatcher.wake()
        await asyncio.sleep(0.1)
    await api.wait_idle(quiet=0.5)
    api.failure_rate(0.0)
    tries = [
        p for m, p in api.requests if m == "sendMessage" and str(p.get("chat_id")) == str(POLICE)
    ]
    assert len(tries) > len(references), "some sends must have failed and been retried"
    for reference in references:
        for group in (chain.police, chain.enforcement):
            sent = [m for m in api.messages(group.id) if reference in m.text and not m.edited]
            assert len(sent) == 1, (reference, group.title)
    for resident, reference in zip(residents, references, strict=True):
        # (The summary's closing edit carries it; a sendMessage failing does not touch it.)
        notes = [m for m in api.messages(resident.id) if reference in m.text]
        assert len(notes) == 1, (reference, "the resident is told the reference once")


async def test_a_reply_to_the_notification_is_relayed_as_a_question(chain: Chain) -> None:
    api = chain.run.api
    jet = api.user(1211, "Jet")
    reference = await chain.report(jet)
    lead = await chain.notification(chain.police, reference)
    api.press(chain.lotte, lead, text="🙋 Oppakken")
    await api.wait_for_message(chain.police.id, contains="in behandeling bij Lotte")
    api.send_text(chain.lotte, "Staat er ook een scooter bij?", chain.police, reply_to=lead)
    question = await api.wait_for_message(jet.id, contains="heeft een vraag", timeout=10)
    assert "Staat er ook een scooter bij?" in question.text and "Lotte" not in question.text
    await api.wait_for_message(chain.police.id, contains="is doorgestuurd")


async def test_an_own_closing_text_and_a_reason_reach_the_resident(chain: Chain) -> None:
    api = chain.run.api
    kim = api.user(1212, "Kim")
    reference = await chain.report(kim)
    lead = await chain.notification(chain.police, reference)
    api.press(chain.kees, lead, text="✅ Afhandelen")
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Geen actie mogelijk")
    prompt = await api.wait_for_message(chain.police.id, contains="toelichting")
    api.send_text(chain.kees, "Het gaat om privéterrein <tuin>.", chain.police, reply_to=prompt)
    resolved = await api.wait_for_message(kim.id, contains="is afgehandeld", timeout=10)
    assert "We kunnen hier helaas niets mee" in resolved.text
    assert "privéterrein <tuin>" in resolved.text
    assert await status_of(chain, reference) is ReportStatus.RESOLVED
    await api.wait_for_message(chain.police.id, contains="afgehandeld door Kees")


async def test_a_prompt_answered_by_an_outsider_changes_nothing(chain: Chain) -> None:
    api = chain.run.api
    lex = api.user(1213, "Lex")
    reference = await chain.report(lex)
    lead = await chain.notification(chain.police, reference)
    api.press(chain.kees, lead, text="✅ Afhandelen")
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="✏️ Eigen tekst")
    prompt = await api.wait_for_message(chain.police.id, contains="afsluittekst")
    api.send_text(chain.otto, "Zelf opgelost hoor", chain.police, reply_to=prompt)
    refusal = await api.wait_for_message(chain.police.id, contains="Alleen de behandelaars")
    assert refusal is not None
    assert await status_of(chain, reference) is ReportStatus.ROUTED


async def test_stale_buttons_on_a_resolved_report_offer_no_prompt(chain: Chain) -> None:
    api = chain.run.api
    mia = api.user(1214, "Mia")
    reference = await chain.report(mia)
    lead = await chain.notification(chain.police, reference)
    api.press(chain.kees, lead, text="🙋 Oppakken")
    claimed = await api.wait_for_message(chain.police.id, contains="in behandeling bij Kees")
    stale = [claimed.button_data("❓ Vraag melder"), claimed.button_data("🚫 Niet van ons")]
    api.press(chain.kees, claimed, text="✅ Afhandelen")
    menu = await api.wait_for_message(chain.police.id)
    stale.append(menu.button_data("Geen actie mogelijk"))
    api.press(chain.kees, menu, text="Opgelost")
    await api.wait_for_message(chain.police.id, contains="afgehandeld door Kees")
    for data in stale:
        assert data is not None
        pressed = api.press_forged(chain.kees, chain.police, lead.message_id, data)
        await api.wait_idle()
        answer = api.answered(pressed)
        assert answer is not None and answer.get("show_alert") is True
        assert "Deze knop doet niets meer" in str(answer.get("text"))
    assert not [m for m in api.messages(chain.police.id) if "typ als antwoord" in m.text]
    assert await status_of(chain, reference) is ReportStatus.RESOLVED
