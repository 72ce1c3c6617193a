"""Finding and splitting the shipped schema migrations."""

from __future__ import annotations

import pytest

from storage.migrate import Migration, check_sequence, load_migrations, split_statements


def test_statements_are_split_on_semicolons_with_comments_kept_out_of_the_way() -> None:
    script = "-- a comment; with a semicolon\nCREATE TABLE a (x);\nCREATE TABLE b (y);\n-- end\n"
    assert split_statements(script) == [
        "-- a comment; with a semicolon\nCREATE TABLE a (x);",
        "CREATE TABLE b (y);",
    ]


def test_a_trigger_body_stays_one_statement() -> None:
    script = (
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
        "  INSERT INTO b VALUES (1);\n"
        "  INSERT INTO b VALUES (2);\n"
        "END;\n"
    )
    assert split_statements(script) == [script.strip()]


def test_an_unfinished_statement_at_the_end_is_refused() -> None:
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("CREATE TABLE a (x);\nCREATE TABLE b (y)\n")


def test_shipped_migrations_are_numbered_from_one_and_not_empty() -> None:
    migrations = load_migrations()
    assert [migration.version for migration in migrations][:1] == [1]
    assert migrations[0].name == "initial"
    assert all(migration.statements() for migration in migrations)


def test_a_gap_in_the_numbering_is_refused() -> None:
    with pytest.raises(ValueError, match="without gaps"):
        check_sequence([Migration(1, "one", ""), Migration(3, "three", "")])
