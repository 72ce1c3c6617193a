"""Try Meldbot without Telegram: a local imitation of the Bot API (botapi) and a browser page."""
