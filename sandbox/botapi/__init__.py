"""A local imitation of the Telegram Bot API: `meldbot sandbox` runs the bot against it, and the
end-to-end tests drive the real PTB Application through it with simulated people.

It validates every request against sandbox/botapi/data/api-10.0.json and Telegram's HTML and length
rules, answers like Telegram, and records each refusal in ``FakeBotApi.refusals``; the e2e
``bot_api`` fixture fails the test on any refusal or unanswered button press. Typical use::

    async def test_start_greets(bot_api: FakeBotApi) -> None:
        app = build_app(base_url=bot_api.base_url, base_file_url=bot_api.base_file_url)
        anna = bot_api.user(1001)
        async with running(app):  # initialize, start, updater.start_polling(...)
            bot_api.send_command(anna, "/start")
            reply = await bot_api.wait_for_message(anna.id, contains="Welkom")
            bot_api.press(anna, reply, text="Melden")
"""

from .errors import ApiError
from .faults import DROP, HANG, RateLimits
from .html_mode import EntityParseError, ParsedText, parse_html
from .models import FakeGroup, FakeUser, SentMessage
from .server import DEFAULT_TOKEN, FakeBotApi
from .spec import ApiSpec, load_spec
from .teardown import problems

__all__ = [
    "DEFAULT_TOKEN",
    "DROP",
    "HANG",
    "ApiError",
    "ApiSpec",
    "EntityParseError",
    "FakeBotApi",
    "FakeGroup",
    "FakeUser",
    "ParsedText",
    "RateLimits",
    "SentMessage",
    "load_spec",
    "parse_html",
    "problems",
]
