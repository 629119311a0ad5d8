"""Reading the sources' answers, the request policy, the settings and the lockfile."""

from __future__ import annotations

import datetime
import email.utils
import json
import time
from pathlib import Path

import arxiv
import pytest

from generator.arxiv_source import candidate, check_feed, phrase_query, words_query
from generator.dblp_source import parse_hits
from generator.lockfile import (
    Candidate,
    EnrichedRecord,
    LockfileError,
    Provenance,
    dump_lockfile,
    load_lockfile,
    write_lockfile,
)
from generator.lookup import LookupFailed, RetryableStatus, SourceClient, retry_after
from generator.source_settings import SettingsError, SourceSettings, load_source_settings

from .conftest import Project, abstract
from .fakes import atom_feed, dblp_answer
from .real_papers import PAPERS


def dblp_json(*infos: dict) -> bytes:
    hits = {"@total": str(len(infos))}
    if infos:
        hits["hit"] = [{"@score": "1", "@id": "1", "info": info} for info in infos]
    return json.dumps({"result": {"hits": hits}}).encode()


def test_dblp_irons_out_its_quirks():
    hits = parse_hits(
        dblp_json(
            {
                "title": "One Author Only.",
                "authors": {"author": {"@pid": "1", "text": "Wei Zhang 0001"}},
                "venue": ["ICLR", "ICLR (Poster)"],
                "year": "2024",
                "type": "Conference and Workshop Papers",
            },
            {"title": "A Preprint.", "venue": "CoRR", "year": "2023", "type": "Journal Articles"},
        )
    )
    first, second = hits
    assert (first.title, first.authors, first.venue, first.year) == (
        "One Author Only",
        ("Wei Zhang",),
        "ICLR",
        2024,
    )
    assert first.kind == "conference" and second.kind is None


def test_control_characters_in_answers_become_spaces():
    # A hostile or broken answer must not carry a terminal code or a bell into the site.
    (hit,) = parse_hits(
        dblp_json(
            {
                "title": "Bell\u0007 Title\u001b[31m.",
                "authors": {"author": [{"@pid": "1", "text": "Ann\u009b Lee"}]},
                "venue": "ICLR\u007f",
                "year": "2024",
            }
        )
    )
    assert (hit.title, hit.authors, hit.venue) == ("Bell Title [31m", ("Ann Lee",), "ICLR")
    found = candidate(
        arxiv.Result(
            entry_id="http://arxiv.org/abs/2401.00001v2",
            published=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
            title="Bell\x07 Title\x9b",
            authors=[arxiv.Result.Author("Ann\x1b Lee")],
            comment="ICLR\x7f 2024",
        )
    )
    assert (found.title, found.authors, found.comment) == ("Bell Title", ("Ann Lee",), "ICLR 2024")


def test_dblp_answer_without_hits_has_no_hit_key():
    assert parse_hits(dblp_json()) == ()
    assert parse_hits(dblp_answer("no such words anywhere", 10)) == ()
    assert len(parse_hits(dblp_answer("pagedattention", 10))) == 2


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"result": {"hits', id="cut_off"),
        pytest.param(b"<html>maintenance</html>", id="html"),
        pytest.param(b'{"result": {"hits": []}}', id="hits_not_object"),
        pytest.param(b'{"result": {"hits": {"hit": "x"}}}', id="hit_not_list"),
        pytest.param(b"[]", id="wrong_shape"),
    ],
)
def test_malformed_dblp_answers_fail_cleanly(body):
    with pytest.raises(LookupFailed, match="DBLP: malformed answer"):
        parse_hits(body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(b"<feed><entry>", "not XML", id="cut_off"),
        pytest.param(b"<html><body>busy</body></html>", "not an Atom feed", id="html"),
        pytest.param(
            b'<feed xmlns="http://www.w3.org/2005/Atom"/>', "no result count", id="no_count"
        ),
        pytest.param(
            b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>',
            "not an Atom feed",
            id="entities",
        ),
    ],
)
def test_malformed_arxiv_feeds_fail_cleanly(body, reason):
    with pytest.raises(LookupFailed, match=reason):
        check_feed(body)


def test_real_shaped_feed_passes_the_check():
    check_feed(atom_feed("search_query=x", list(PAPERS), 0, 10))


@pytest.mark.parametrize(
    ("title", "query"),
    [
        pytest.param('A "quoted" title', 'ti:"a quoted title"', id="quotes"),
        pytest.param("x) OR (au:evil", 'ti:"x or au evil"', id="operators"),
        pytest.param("!!!", 'ti:""', id="no_words"),
    ],
)
def test_phrase_query_keeps_only_words(title, query):
    assert phrase_query(title) == query


def test_words_query_drops_stop_words():
    assert words_query("The Art of Attention and Memory") == "ti:art OR ti:attention OR ti:memory"


def test_retry_after_reads_seconds_and_dates():
    assert retry_after({"Retry-After": "2"}) == 2.0
    assert retry_after({}) is None and retry_after({"Retry-After": "soon"}) is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < retry_after({"Retry-After": later}) <= 30


def test_breaker_stops_asking_a_failing_source():
    client = SourceClient("Test", delay=0, timeout=0.1)
    tries = []

    def refused() -> None:
        tries.append(1)
        raise LookupFailed("Test: malformed answer")

    for _ in range(8):
        with pytest.raises(LookupFailed):
            client.call(refused)
    assert len(tries) == 5 and client.broken


def test_a_long_retry_after_fails_at_once_rather_than_waiting():
    client = SourceClient("Test", delay=0, timeout=0.1)

    def busy() -> None:
        raise RetryableStatus(503, 3600.0)

    started = time.monotonic()
    with pytest.raises(LookupFailed, match="asked us to wait 3600 s"):
        client.call(busy)
    assert time.monotonic() - started < 1


def test_settings_come_from_file_then_environment(tmp_path: Path):
    (tmp_path / "settings.yaml").write_text("request_delay: 1.5\narxiv_api: http://mirror/api\n")
    settings = load_source_settings(tmp_path, {"READING_LIST_REQUEST_DELAY": "0"})
    assert (settings.request_delay, settings.arxiv_api) == (0.0, "http://mirror/api")
    assert settings.dblp_api == "https://dblp.org/search/publ/api"
    with pytest.raises(SettingsError, match="READING_LIST_REQUEST_DELAY: expected a number"):
        load_source_settings(tmp_path, {"READING_LIST_REQUEST_DELAY": "fast"})
    with pytest.raises(SettingsError, match="READING_LIST_ARXIV_API: expected an http"):
        load_source_settings(tmp_path, {"READING_LIST_ARXIV_API": "file:///etc/passwd"})
    (tmp_path / "settings.yaml").write_text("request_timeout: -1\n")
    with pytest.raises(SettingsError, match=r"settings.yaml:1: error: settings: request_timeout"):
        load_source_settings(tmp_path, {})


RECORD = EnrichedRecord(
    "A Paper",
    "review",
    provenance=(Provenance("arxiv", "http://x/?q=1", "title-search", None, "2026-11-30"),),
    candidates=(Candidate("arxiv", "2309.06180", "Another", "Ada Ĺovelace", 2023, 85.1),),
)


def test_lockfile_round_trips(tmp_path: Path):
    path = tmp_path / "enriched.yaml"
    found = EnrichedRecord("B Paper", "found", arxiv="2309.06180", authors=("Ada",), year=2023)
    write_lockfile(path, {"b": found, "a": RECORD})
    assert load_lockfile(path) == {"a paper": RECORD, "b paper": found}
    assert path.read_text(encoding="utf-8") == dump_lockfile([found, RECORD])
    assert list(tmp_path.iterdir()) == [path]  # No temporary file left behind.


def test_a_hand_edited_lockfile_loses_its_control_characters(tmp_path: Path):
    path = tmp_path / "enriched.yaml"
    path.write_text(
        'papers:\n- title: "B\\a Paper"\n  status: found\n  authors: ["Ada\\e[1m Lovelace"]\n'
        '  venue: "ICML\\x7f"\n',
        encoding="utf-8",
    )
    (record,) = load_lockfile(path).values()
    assert (record.title, record.authors, record.venue) == (
        "B Paper",
        ("Ada [1m Lovelace",),
        "ICML",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("papers: [\n", "cannot read", id="not_yaml"),
        pytest.param("papers: 3\n", "expected a mapping with a `papers` list", id="not_list"),
        pytest.param(
            "papers:\n- status: found\n",
            "record 1: expected a mapping with a `title`",
            id="no_title",
        ),
        pytest.param(
            "papers:\n- {title: x, status: maybe}\n", "status must be one of", id="bad_status"
        ),
    ],
)
def test_broken_lockfile_is_reported(tmp_path: Path, text, message):
    path = tmp_path / "enriched.yaml"
    path.write_text(text)
    with pytest.raises(LockfileError, match=message):
        load_lockfile(path)


def test_source_settings_live_in_settings_yaml_beside_the_builds_own(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.write(
        "settings.yaml",
        "search: material\nrequest_delay: 1\nrequest_timeout: 2.5\n"
        "arxiv_api: http://127.0.0.1:9/api/query\ndblp_api: http://127.0.0.1:9/search/publ/api\n",
    )
    assert project.build().papers == 1  # the build accepts the keys and uses no network
    settings = load_source_settings(project.data, {})
    assert settings == SourceSettings(
        "http://127.0.0.1:9/api/query", "http://127.0.0.1:9/search/publ/api", 1.0, 2.5
    )
