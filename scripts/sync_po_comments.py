"""Show each message's Dutch text as a #. comment in the other .po files, after a Dutch change."""

# Run from the repository: .venv/bin/python scripts/sync_po_comments.py

from __future__ import annotations

from config.po import LOCALE_DIR, locale_file, read_po, source_comment

SOURCE = "nl"


def sync(language: str) -> None:
    """Replace the #. comments of one language's file with the current Dutch texts."""
    source = {entry.msgid: entry for entry in read_po(locale_file(SOURCE)).entries}
    path = locale_file(language)
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        stripped = line.strip()
        if stripped.startswith("#."):
            continue
        key = stripped.removeprefix('msgid "').removesuffix('"')
        if stripped.startswith('msgid "') and key in source:
            lines += [f"#. {comment}".rstrip() for comment in source_comment(source[key])]
        lines.append(line)
    path.write_text("\n".join(lines), encoding="utf-8")
    read_po(path)


if __name__ == "__main__":
    for po in sorted(LOCALE_DIR.glob("*.po")):
        if po.stem != SOURCE:
            sync(po.stem)
            print(f"updated {po}")
