"""The bot token never reaches the log."""

from __future__ import annotations

import logging
import sys

import pytest

from bot.logs import Formatter, Redactor, RedactToken, summary


def test_the_token_is_replaced_in_messages_and_arguments(caplog: pytest.LogCaptureFixture) -> None:
    token = "123456:AAE-secret"
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactToken(token))
    with caplog.at_level(logging.INFO, logger="test.redaction"):
        logger.info("POST https://api.telegram.org/bot%s/getUpdates", token)
        logger.info("plain line without secrets")
    assert token not in caplog.text
    assert "bot<token>/getUpdates" in caplog.text
    assert "plain line without secrets" in caplog.text


TOKEN = "123456:AAE-a-long-secret-part-0123456789"


def _record_with_error(message: str) -> logging.LogRecord:
    """Return a log record carrying a raised exception whose message holds the token."""
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        return logging.LogRecord("test", logging.ERROR, __file__, 1, message, None, sys.exc_info())


def test_a_traceback_in_a_log_record_is_masked() -> None:
    redactor = Redactor(TOKEN)
    record = _record_with_error(f"GET https://api.telegram.org/bot{TOKEN}/getMe")
    assert RedactToken(redactor).filter(record)
    text = Formatter(redactor, debug=True).format(record)
    assert "Traceback" in text
    assert "The token `<token>` was rejected" in text
    assert "bot<token>/getMe" in text
    assert TOKEN not in text


def test_without_debug_a_record_with_an_exception_is_one_line_naming_where() -> None:
    redactor = Redactor(TOKEN)
    record = _record_with_error("handling an update failed\nsecond line")
    text = Formatter(redactor).format(record)
    assert "\n" not in text
    assert "Traceback" not in text
    assert "handling an update failed\\n second line" in text
    assert "(RuntimeError: The token `<token>` was rejected by the server., at " in text
    assert "tests/unit/test_logs.py:" in text


def test_the_secret_half_and_the_url_encoded_token_are_masked_too() -> None:
    redactor = Redactor(TOKEN)
    secret = TOKEN.split(":")[1]
    text = f"a {secret} b {TOKEN.replace(':', '%3A')} c {TOKEN}"
    assert redactor.clean(text) == "a <token> b <token> c <token>"
    assert Redactor("1:short").clean("short stays") == "short stays"


def test_the_streams_mask_a_token_written_in_pieces(capsys: pytest.CaptureFixture[str]) -> None:
    with Redactor(TOKEN).installed():
        sys.stdout.write("https://api.telegram.org/bot" + TOKEN[:10])
        sys.stdout.write(TOKEN[10:] + "/getMe\n")
        print(TOKEN, file=sys.stderr, end="")
    captured = capsys.readouterr()
    assert captured.out == "https://api.telegram.org/bot<token>/getMe\n"
    assert captured.err == "<token>"


def test_an_uncaught_exception_is_printed_without_the_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    original = sys.excepthook
    with Redactor(TOKEN).installed():
        try:
            raise ValueError(f"bad token {TOKEN}")
        except ValueError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    assert sys.excepthook is original
    err = capsys.readouterr().err
    assert "ValueError: bad token <token>" in err
    assert TOKEN not in err


def test_a_summary_names_the_exception_and_our_line() -> None:
    try:
        int("x")
    except ValueError as error:
        text = summary(error)
    assert text.startswith("ValueError: invalid literal for int() with base 10: 'x', at ")
    assert "tests/unit/test_logs.py:" in text
