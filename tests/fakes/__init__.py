"""Local fakes of the outside world: a Telegram Bot API server and a geocoder, on loopback."""
