"""SQLite storage through aiosqlite: migrations and repositories."""
