"""Take the resident's typed answers, pins and photos for the report in progress."""

from __future__ import annotations

from telegram import Message

from handlers.proactive.panel import take_pin
from handlers.resident import keyboards
from handlers.resident.conversation import Conversation
from handlers.resident.free_text import PHOTO_TAKERS, TEXT_TAKERS, take
from handlers.resident.summary import location_line
from handlers.texts import T, plain, t
from reports.locating import Resolution
from reports.models import Draft, LocationSource, Step
from services.drafting import CaptionOutcome, DescriptionOutcome
from services.residents import sounds_urgent

DESCRIPTION_REPLIES = {
    DescriptionOutcome.TOO_SHORT: T.DESCRIPTION_TOO_SHORT,
    DescriptionOutcome.TOO_LONG: T.DESCRIPTION_TOO_LONG,
}
CAPTION_REPLIES = {
    CaptionOutcome.ADDED: T.CAPTION_ADDED,
    CaptionOutcome.TOO_LONG: T.CAPTION_TOO_LONG,
}


async def on_text(conv: Conversation, message: Message) -> None:
    """Take a typed answer for the current step, or give the text to whoever expects it."""
    draft = await conv.draft()
    text = message.text or ""
    if draft is None:
        answer = await take(TEXT_TAKERS, conv.svc, conv.user.id, message, conv.language)
        if answer is not None:
            await conv.say(answer)
        else:
            await unexpected(conv, text)
        return
    if text.strip() == plain(T.BTN_CANCEL, conv.language).strip():
        await conv.cancel()
        return
    step = draft.next_step()
    categories = conv.svc.config.categories
    if step is Step.CATEGORY:
        category = keyboards.category_of(categories, text, conv.language)
        if category is None:
            await conv.remind(draft)
        else:
            await conv.choose_category(draft, category)
    elif keyboards.category_key(categories, text, conv.language) is not None:
        # A key of the category keyboard tapped again (twice in a row, or a client that
        # still showed it): the category is chosen already; say what is expected now.
        await conv.remind(draft)
    elif step is Step.LOCATION:
        if text.strip() == plain(T.BTN_CHOOSE_WIJK, conv.language).strip():
            await conv.show_wijken(draft)
            return
        await conv.apply_resolution(draft, await conv.svc.locations.from_text(text))
    elif step is Step.DESCRIPTION:
        await describe(conv, draft, text, message)
    else:
        await conv.remind(draft)


async def unexpected(conv: Conversation, text: str | None) -> None:
    """Answer a message outside a report that nobody expects: 112 for danger, else how to report.

    Danger words ("mes", "nu", "knife", ...) point to 112 with the tap-to-call contact, in the
    resident's language, as they do inside a report.
    """
    if sounds_urgent(conv.svc, text):
        await conv.point_to_112(T.URGENT_NO_REPORT)
    else:
        await conv.remind(None)


async def describe(conv: Conversation, draft: Draft, text: str, message: Message) -> None:
    """Store a description within the configured length, or say why not."""
    outcome = await conv.drafting.describe(draft, text, message.date, conv.language)
    if outcome is DescriptionOutcome.ACCEPTED:
        await conv.warn_if_urgent(draft)
        await conv.ask(draft)
    elif outcome is DescriptionOutcome.REPEATED_PLACE:
        assert draft.location is not None
        await conv.say(location_line(draft.location, conv.language))
        await conv.ask(draft)
    elif outcome is not DescriptionOutcome.CONTINUATION:
        rules = conv.svc.config.reports
        await conv.say(
            t(
                DESCRIPTION_REPLIES[outcome],
                conv.language,
                count=len(text.strip()),
                min=rules.description_min_chars,
                max=rules.description_max_chars,
            )
        )


async def on_location(conv: Conversation, message: Message) -> None:
    """Take a shared pin, venue or live location."""
    draft = await conv.draft()
    if draft is None or draft.next_step() is not Step.LOCATION:
        if draft is None and await _panel_pin(conv, message):
            return
        await conv.remind(draft)
        return
    locations = conv.svc.locations
    if message.venue is not None:
        venue = message.venue
        label = f"{venue.title}, {venue.address}" if venue.address else venue.title
        point = venue.location
        resolution: Resolution = locations.from_point(
            point.latitude, point.longitude, LocationSource.VENUE, label
        )
    elif message.location is not None:
        pin = message.location
        source = LocationSource.LIVE if pin.live_period else LocationSource.PIN
        resolution = locations.from_point(pin.latitude, pin.longitude, source)
    else:
        await conv.remind(draft)
        return
    await conv.apply_resolution(draft, resolution)


async def _panel_pin(conv: Conversation, message: Message) -> bool:
    """Take a pin shared after /panel to find the resident's buurt; False: not for the panel."""
    point = message.venue.location if message.venue is not None else message.location
    if point is None:
        return False
    reply = await take_pin(conv.svc, conv.user.id, point.latitude, point.longitude, conv.language)
    if reply is None:
        return False
    await conv.say(*reply)
    return True


async def on_photo(conv: Conversation, message: Message) -> None:
    """Keep a photo's file id (not the photo) while photos are asked for."""
    draft = await conv.draft()
    limit = conv.svc.config.reports.max_photos
    if draft is None:
        answer = await take(PHOTO_TAKERS, conv.svc, conv.user.id, message, conv.language)
        if answer is not None:
            await conv.say(answer)
        else:
            await unexpected(conv, message.caption)
        return
    if draft.next_step() is not Step.PHOTOS:
        if len(draft.photo_file_ids) >= limit:
            await conv.say(t(T.PHOTOS_FULL, conv.language, count=limit))
        await conv.remind(draft)
        return
    largest = max(message.photo, key=lambda size: size.width * size.height)
    outcome = await conv.drafting.add_photo(draft, largest.file_id, message.caption, conv.language)
    if outcome in CAPTION_REPLIES:
        await conv.say(t(CAPTION_REPLIES[outcome], conv.language))
    if draft.photos_done:
        await conv.ask(draft)
        return
    count = len(draft.photo_file_ids)
    await conv.say(
        t(T.PHOTO_RECEIVED, conv.language, count=count, max=limit),
        keyboards.photos(conv.language, draft.token, received=count),
    )
