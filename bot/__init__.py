"""Run Meldbot: settings, services and the Telegram application wired together."""
