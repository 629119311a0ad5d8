"""``add`` and ``enrich`` end to end, against fake arXiv and DBLP servers on loopback."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
import yaml

from generator import enrich as enrich_module
from generator import enrich_commands
from generator.__main__ import main
from generator.lockfile import load_lockfile
from generator.lookup import BREAKER_LIMIT, USER_AGENT

from .conftest import rl_data
from .fakes import FakeServer, closed_port_url, running
from .real_papers import GLU, MAMBA, SWITCH, VLLM

DECOY = "Efficient Memory Management for Large Language Model Serving"
UNFINDABLE = "Quantum Origami Grids for Teaching Llamas to Knit"
NEAR_FLASH = "Flash Attention: Fast and Memory-Efficient Exact Attention with IO-Awareness"
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
ABSTRACT = (
    "An abstract long enough to read like a real one, with a second clause after the comma. " * 2
)


def digest_text(titles: list[str], date_line: str = "Mar 20") -> str:
    blocks = [f"{title}\n\n{ABSTRACT}" for title in titles]
    return HEADER + f"{date_line}\n\n" + "\n\n".join(blocks) + "\n"


@pytest.fixture
def arxiv_server() -> Iterator[FakeServer]:
    with running("arxiv") as server:
        yield server


@pytest.fixture
def dblp_server() -> Iterator[FakeServer]:
    with running("dblp") as server:
        yield server


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder, with no delay between requests and short timeouts."""
    folder = tmp_path / "data"
    (folder / "digests").mkdir(parents=True)
    (folder / "papers.yaml").write_text("papers: []\n", encoding="utf-8")
    monkeypatch.setenv("READING_LIST_REQUEST_DELAY", "0")
    monkeypatch.setenv("READING_LIST_REQUEST_TIMEOUT", "0.5")
    return folder


@pytest.fixture
def servers(
    data: Path, arxiv_server: FakeServer, dblp_server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> tuple[FakeServer, FakeServer]:
    monkeypatch.setenv("READING_LIST_ARXIV_API", arxiv_server.url)
    monkeypatch.setenv("READING_LIST_DBLP_API", dblp_server.url)
    return arxiv_server, dblp_server


def write_digest(data: Path, titles: list[str], name: str = "2025-03-20.txt") -> Path:
    path = data / "digests" / name
    path.write_text(digest_text(titles), encoding="utf-8")
    return path


def records(data: Path) -> dict[str, dict]:
    loaded = yaml.safe_load((data / "enriched.yaml").read_text(encoding="utf-8"))
    return {r["title"]: r for r in loaded["papers"]}


def run(*args: str) -> int:
    return main(list(args))


def test_exact_titles_get_real_metadata_and_venues(data, servers, capsys):
    write_digest(data, [VLLM, SWITCH, GLU])
    assert run("enrich", "--data", str(data)) == 0
    found = records(data)
    vllm = found[VLLM]
    assert vllm["status"] == "found"
    assert vllm["arxiv"] == "2309.06180"
    assert vllm["authors"][0] == "Woosuk Kwon" and len(vllm["authors"]) == 9
    assert vllm["year"] == 2023 and vllm["primary_class"] == "cs.LG"
    assert vllm["comment"] == "SOSP 2023"
    assert (vllm["venue"], vllm["venue_kind"], vllm["venue_year"]) == (
        "SOSP 2023",
        "conference",
        2023,
    )
    assert vllm["doi"] == "10.1145/3600006.3613165" and vllm["pages"] == "611--626"
    arxiv, dblp = vllm["provenance"]
    assert (
        arxiv["source"] == "arxiv" and arxiv["method"] == "title-exact" and arxiv["score"] == 100.0
    )
    assert "search_query=ti%3A%22efficient+memory+management" in arxiv["url"]
    assert dblp["source"] == "dblp" and dblp["url"].startswith(servers[1].url + "?q=efficient")
    switch = found[SWITCH]
    assert (switch["venue"], switch["venue_kind"]) == ("J. Mach. Learn. Res. 2022", "journal")
    assert switch["pages"] == "120:1--120:39"
    assert switch["journal_ref"] == "Journal of Machine Learning Research 23 (2022) 1-40"
    glu = found[GLU]  # On DBLP only as a CoRR preprint: no venue.
    assert glu["authors"] == ["Noam Shazeer"] and "venue" not in glu
    assert glu["provenance"][1]["method"] == "no-venue"
    assert "3 paper(s) looked up (3 found, 0 review, 0 not found)" in capsys.readouterr().out
    agents = {*servers[0].user_agents, *servers[1].user_agents}
    assert agents == {USER_AGENT} and USER_AGENT.startswith("reading-list-generator/0.1 (+")


def test_near_title_is_accepted_once_with_its_score(data, servers):
    write_digest(data, [NEAR_FLASH])
    assert run("enrich", "--data", str(data)) == 0
    record = records(data)[NEAR_FLASH]
    assert record["arxiv"] == "2205.14135" and record["authors"][-1] == "Christopher Ré"
    assert record["provenance"][0]["method"] == "title-fuzzy"
    assert 95 <= record["provenance"][0]["score"] < 100
    assert record["venue"] == "NeurIPS 2022"


def test_decoy_and_unfindable_go_to_the_review_table(data, servers, capsys):
    write_digest(data, [DECOY, UNFINDABLE, MAMBA])
    assert run("enrich", "--data", str(data)) == 0
    found = records(data)
    decoy = found[DECOY]
    assert decoy["status"] == "review" and "arxiv" not in decoy and "authors" not in decoy
    assert decoy["candidates"][0]["id"] == "2309.06180"
    assert decoy["candidates"][0]["first_author"] == "Woosuk Kwon"
    assert found[UNFINDABLE]["status"] == "not_found"
    assert found[MAMBA]["arxiv"] == "2312.00752" and "venue" not in found[MAMBA]
    out = capsys.readouterr().out
    assert "Papers to review (2):" in out
    assert f"[review] {DECOY}" in out and f"[not found] {UNFINDABLE}" in out
    assert "2309.06180" in out and "Woosuk Kwon, 2023" in out
    assert "add `arxiv: '<id>'`" in out and "python -m generator enrich" in out


def test_curator_id_accepts_a_candidate_by_id_lookup(data, servers):
    arxiv_server, _ = servers
    write_digest(data, [DECOY])
    assert run("enrich", "--data", str(data)) == 0
    assert records(data)[DECOY]["status"] == "review"
    (data / "papers.yaml").write_text(f"papers:\n- title: {DECOY}\n  arxiv: '2309.06180'\n")
    assert run("enrich", "--data", str(data)) == 0
    record = records(data)[DECOY]
    assert record["status"] == "found" and record["arxiv"] == "2309.06180"
    assert record["provenance"][0]["method"] == "id" and record["venue"] == "SOSP 2023"
    assert arxiv_server.queries()[-1]["id_list"] == "2309.06180"


def test_curator_with_authors_and_id_is_not_asked_about(data, servers):
    arxiv_server, _ = servers
    write_digest(data, [VLLM])
    (data / "papers.yaml").write_text(
        f"papers:\n- title: {VLLM}\n  arxiv: '2309.06180'\n  authors: [Woosuk Kwon]\n"
    )
    assert run("enrich", "--data", str(data)) == 0
    assert arxiv_server.requests == []


def test_server_down_names_the_papers_and_a_rerun_finishes(data, servers, monkeypatch, capsys):
    arxiv_server, dblp_server = servers
    write_digest(data, [VLLM, MAMBA])
    monkeypatch.setenv("READING_LIST_ARXIV_API", closed_port_url())
    assert run("enrich", "--data", str(data)) == 1
    err = capsys.readouterr().err
    assert VLLM in err and MAMBA in err and "could not connect" in err
    assert "run `python -m generator enrich` again" in err.lower()
    assert "Traceback" not in err
    assert not (data / "enriched.yaml").exists() and dblp_server.requests == []
    monkeypatch.setenv("READING_LIST_ARXIV_API", arxiv_server.url)
    assert run("enrich", "--data", str(data)) == 0
    assert {r["status"] for r in records(data).values()} == {"found"}


def test_every_server_down_stops_asking_after_a_few_failures(data, monkeypatch, capsys):
    write_digest(data, [f"Paper number {n} about attention" for n in range(8)])
    monkeypatch.setenv("READING_LIST_ARXIV_API", closed_port_url())
    monkeypatch.setenv("READING_LIST_DBLP_API", closed_port_url())
    started = time.monotonic()
    assert run("enrich", "--data", str(data)) == 1
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert "8 paper(s) could not be looked up" in err
    assert f"failed {BREAKER_LIMIT} times in a row" in err


def test_slow_server_times_out(data, servers, capsys):
    arxiv_server, _ = servers
    arxiv_server.default = "hang"
    write_digest(data, [VLLM])
    started = time.monotonic()
    assert run("enrich", "--data", str(data)) == 1
    assert time.monotonic() - started < 5
    assert "timed out" in capsys.readouterr().err
    assert not (data / "enriched.yaml").exists()


@pytest.mark.parametrize("status", ["429", "503"])
def test_retry_after_is_honoured(data, servers, status):
    arxiv_server, dblp_server = servers
    arxiv_server.queue = [status]
    dblp_server.queue = [status]
    write_digest(data, [VLLM])
    assert run("enrich", "--data", str(data)) == 0
    for server in servers:
        (first, _), (second, _) = server.requests[:2]
        assert second - first >= 0.95
    assert records(data)[VLLM]["venue"] == "SOSP 2023"


def test_server_errors_are_retried(data, servers):
    arxiv_server, _ = servers
    arxiv_server.queue = ["500"]
    write_digest(data, [VLLM])
    assert run("enrich", "--data", str(data)) == 0
    assert len(arxiv_server.requests) == 2


def test_malformed_xml_is_a_clean_failure(data, servers, capsys):
    arxiv_server, _ = servers
    arxiv_server.default = "malformed"
    write_digest(data, [VLLM])
    assert run("enrich", "--data", str(data)) == 1
    err = capsys.readouterr().err
    assert "arXiv: malformed answer" in err and VLLM in err and "Traceback" not in err
    assert not (data / "enriched.yaml").exists()


def test_malformed_json_keeps_arxiv_and_retries_the_venue(data, servers, capsys):
    _, dblp_server = servers
    dblp_server.default = "malformed"
    write_digest(data, [VLLM])
    assert run("enrich", "--data", str(data)) == 1
    err = capsys.readouterr().err
    assert "venue lookup: DBLP: malformed answer" in err and "Traceback" not in err
    assert records(data)[VLLM]["arxiv"] == "2309.06180" and "venue" not in records(data)[VLLM]
    dblp_server.default = "ok"
    assert run("enrich", "--data", str(data)) == 0
    assert records(data)[VLLM]["venue"] == "SOSP 2023"


def test_interrupted_run_keeps_finished_papers_and_resumes(data, servers, monkeypatch, capsys):
    arxiv_server, _ = servers
    write_digest(data, [VLLM, MAMBA, GLU])
    real_write = enrich_module.write_lockfile
    calls = []

    def write_then_interrupt(path, found):
        real_write(path, found)
        calls.append(path)
        raise KeyboardInterrupt

    monkeypatch.setattr(enrich_module, "write_lockfile", write_then_interrupt)
    assert run("enrich", "--data", str(data)) == 130
    assert "interrupted" in capsys.readouterr().err
    assert len(records(data)) == 1
    monkeypatch.setattr(enrich_module, "write_lockfile", real_write)
    asked = len(arxiv_server.requests)
    assert run("enrich", "--data", str(data)) == 0
    assert set(records(data)) == {VLLM, MAMBA, GLU}
    assert len(arxiv_server.requests) - asked == 2  # Only the two unfinished papers.


def test_lockfile_is_deterministic_and_sorted(data, servers, tmp_path, monkeypatch):
    write_digest(data, [VLLM, MAMBA, DECOY, GLU])
    write_digest(data, [MAMBA], name="2025-03-21.txt")  # The same paper on a second day.
    assert run("enrich", "--data", str(data)) == 0
    first = (data / "enriched.yaml").read_bytes()
    assert first.startswith(b"# Machine-written")
    assert run("enrich", "--data", str(data), "--refresh") == 0
    assert (data / "enriched.yaml").read_bytes() == first
    titles = [r.title for r in load_lockfile(data / "enriched.yaml").values()]
    assert titles == [DECOY, VLLM, GLU, MAMBA]


def test_hostile_title_reaches_the_query_only_as_words(data, servers):
    arxiv_server, dblp_server = servers
    hostile = 'Attention" OR au:evil AND ti:"x $^3$ \\textbf{Bold} | -negated'
    write_digest(data, [hostile])
    assert run("enrich", "--data", str(data)) == 0
    query = arxiv_server.queries()[0]["search_query"]
    assert query == 'ti:"attention or au evil and ti x 3 textbf bold negated"'


def test_add_saves_the_digest_and_enriches_its_papers(data, servers, tmp_path, capsys):
    source = tmp_path / "2025-04-02.txt"
    source.write_text(digest_text([VLLM], date_line="Apr 2"))
    assert run("add", str(source), "--data", str(data)) == 0
    assert (data / "digests" / "2025-04-02.txt").read_bytes() == source.read_bytes()
    assert records(data)[VLLM]["arxiv"] == "2309.06180"
    assert "holds 1 paper(s)" in capsys.readouterr().out
    assert run("add", str(source), "--data", str(data)) == 0  # The same file again is fine.


def test_add_takes_the_date_from_the_option(data, servers, tmp_path):
    source = tmp_path / "copied from hf.txt"
    source.write_text(digest_text([MAMBA], date_line="May 5"))
    assert run("add", str(source), "--date", "2025-05-05", "--data", str(data)) == 0
    assert (data / "digests" / "2025-05-05.txt").is_file()


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        pytest.param("digest.txt", [], "give it with --date YYYY-MM-DD", id="no_date"),
        pytest.param(
            "digest.txt", ["--date", "20250320"], "--date must be YYYY-MM-DD", id="bad_date"
        ),
        pytest.param(
            "digest.txt", ["--date", "2025-02-30"], "is not a real date", id="unreal_date"
        ),
        pytest.param("2025-03-20.txt", [], "already exists with other content", id="overwrite"),
    ],
)
def test_add_usage_errors(data, tmp_path, capsys, name, args, message):
    write_digest(data, [GLU])
    source = tmp_path / name
    source.write_text(digest_text([MAMBA]))
    assert run("add", str(source), *args, "--data", str(data)) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (data / "digests").iterdir()) == ["2025-03-20.txt"]


def test_add_never_makes_a_data_folder_up(tmp_path, capsys):
    # A typo in --data must not leave a new folder tree (and a digest in it) behind.
    source = tmp_path / "2025-03-20.txt"
    source.write_text(digest_text([MAMBA]))
    assert run("add", str(source), "--data", str(tmp_path / "dtaa")) == 2
    assert "no data folder" in capsys.readouterr().err
    assert not (tmp_path / "dtaa").exists()


def test_add_says_when_the_disk_refuses_the_digest(data, tmp_path, capsys, monkeypatch):
    shutil.rmtree(data / "digests")
    (data / "digests").write_text("a file where the folder goes\n")
    source = tmp_path / "2025-03-20.txt"
    source.write_text(digest_text([MAMBA]))
    assert run("add", str(source), "--data", str(data)) == 2
    err = capsys.readouterr().err
    assert err.endswith("digests is a file, not a folder; move it away\n")
    assert (data / "digests").read_text() == "a file where the folder goes\n"
    # Any other refusal of the disk is a message too, not a traceback.
    (data / "digests").unlink()

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(enrich_commands.tempfile, "mkstemp", refused)
    assert run("add", str(source), "--data", str(data)) == 1
    assert capsys.readouterr().err.endswith("2025-03-20.txt: Permission denied\n")
    assert list((data / "digests").iterdir()) == []


def test_add_refuses_a_digest_with_errors(data, tmp_path, capsys):
    source = tmp_path / "2025-03-22.txt"
    source.write_bytes(b"Mar 22\n\nA title\n\n\xff\xfe broken bytes\n")
    assert run("add", str(source), "--data", str(data)) == 1
    err = capsys.readouterr().err
    assert "2025-03-22.txt:5: error: not valid UTF-8" in err and "nothing was saved" in err
    assert list((data / "digests").iterdir()) == []


def test_add_then_build_gives_author_keys_entry_types_and_venues(data, servers, tmp_path, capsys):
    """The whole workflow: a digest of real papers, one unfindable and one near-title decoy."""
    from generator.build import Options, build

    source = tmp_path / "2025-04-02.txt"
    source.write_text(digest_text([VLLM, SWITCH, GLU, DECOY, UNFINDABLE], date_line="Apr 2"))
    assert run("add", str(source), "--data", str(data)) == 0
    review = capsys.readouterr().out
    assert f"[review] {DECOY}" in review and f"[not found] {UNFINDABLE}" in review
    summary = build(Options(data_dir=data, docs_dir=tmp_path / "docs", config_file=None))
    library = bibtexparser.parse_string((tmp_path / "docs/bib/all.bib").read_text())
    assert library.failed_blocks == []
    entries = {
        e.key: (e.entry_type, {k: f.value for k, f in e.fields_dict.items()})
        for e in library.entries
    }
    kind, vllm = entries["kwon2023efficient"]
    assert kind == "inproceedings" and vllm["booktitle"] in (
        "{SOSP}",  # named by its series once the build passes venues.yaml's series to BibTeX:
        "Proceedings of the {Symposium on Operating Systems Principles} ({SOSP})",
    )
    assert (vllm["year"], vllm["doi"], vllm["pages"], vllm["eprint"]) == (
        "2023",
        "10.1145/3600006.3613165",
        "611--626",
        "2309.06180",
    )
    assert vllm["author"].startswith("Woosuk Kwon and Zhuohan Li and")
    kind, switch = entries["fedus2021switch"]
    assert kind == "article" and switch["year"] == "2022" and "journal" in switch
    kind, glu = entries["shazeer2020glu"]
    assert kind == "misc" and glu["eprint"] == "2002.05202" and "journal" not in glu
    # Nothing was guessed: the decoy and the unfindable paper keep provisional, author-less keys.
    assert {"efficient2025", "quantum2025"} <= set(entries)
    assert "author" not in entries["efficient2025"][1]
    registry = yaml.safe_load((data / "registry.yaml").read_text())["papers"]
    provisional = {r["key"] for r in registry if r.get("provisional")}
    assert provisional == {"efficient2025", "quantum2025"}
    warned = [str(w) for w in summary.warnings if "no authors for" in str(w)]
    assert len(warned) == 2 and all("2025-04-02.txt:" in w for w in warned)
    page = tmp_path / "docs/papers/efficient-memory-management-large-language-model.md"
    about = " ".join(rl_data(page)["about"])
    assert "Authors, arXiv id, first-version year from arXiv's API (same title" in about
    assert "Venue, DOI from DBLP (same title" in about
