"""The write plan of a process that builds again (``mkdocs serve``): equal outputs made again
are not hashed again, and changed ones are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import write
from generator.diagnostics import Diagnostics
from generator.summary import Summary


def test_an_equal_output_made_again_is_not_hashed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {
        "papers/a.md": "# A\n" * 1000,
        "topics/t.md": "# T\n" * 1000,
        "bib/all.bib": "@misc{a}\n",
    }
    first = write.plan(docs, texts, write.Manifest.read(docs), Diagnostics())
    write.apply(docs, first, texts, "one", Summary())
    assert sorted(first.write) == sorted(texts)

    hashed: list[bytes] = []
    real_digest = write.digest
    monkeypatch.setattr(write, "digest", lambda data: hashed.append(data) or real_digest(data))
    # The next build makes every text again: new string objects, one of them changed.
    again = {path: "".join(list(text)) for path, text in texts.items()}
    again["bib/all.bib"] = "@misc{a}\n@misc{b}\n"
    assert all(again[p] is not texts[p] for p in texts)
    second = write.plan(docs, again, write.Manifest.read(docs), Diagnostics())

    assert hashed == [b"@misc{a}\n@misc{b}\n"]
    assert second.write == {"bib/all.bib": b"@misc{a}\n@misc{b}\n"}
    assert second.unchanged == 2
    assert second.digests == {path: real_digest(text.encode()) for path, text in again.items()}
