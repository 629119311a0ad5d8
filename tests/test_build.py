"""The build as a whole: exit codes, writing only what changed, and never a half-written docs/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

import generator.build as build_module
from generator import forked, layout
from generator.__main__ import main
from generator.diagnostics import DataError
from generator.paper_page import _page
from generator.yamlio import parse_yaml

from .conftest import ROOT, Project, abstract


def run_cli(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_cli_builds_and_summarises(project: Project) -> None:
    project.digest(
        "2025-03-20.txt", [("Vision Paper", abstract()), ("Language Models Paper", abstract())]
    )
    project.write(
        "papers.yaml",
        "papers:\n  - title: Vision Paper\n    authors: [Ann Lee]\n"
        "  - title: Language Models Paper\n    authors: [Bo Li]\n",
    )
    result = run_cli(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "papers: 2, topics: 2, excluded: 0",
        "files: 28 written, 0 unchanged, 0 removed",  # 14 pages and bundles, 14 exports and feeds
    ]
    again = run_cli(project, "build", "--strict", "--frozen")
    assert again.returncode == 0
    assert "files: 0 written, 28 unchanged, 0 removed" in again.stdout


def test_cli_build_whose_reader_left_exits_1_without_a_traceback(project: Project) -> None:
    # The build ends its process without tearing the interpreter down (__main__._exit_now):
    # what it prints is flushed first, and a reader that is gone is not a traceback.
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build"],
            cwd=project.root,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert (project.docs / "papers/vision-paper.md").is_file()


def test_cli_data_errors_exit_1_with_every_message_and_no_traceback(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    (project.data / "digests/2025-03-21.txt").write_bytes(b"Mar 21\n\nBad \xfe title\n")
    project.write("papers.yaml", "papers:\n  - title: Missing Paper\n")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        # Warnings first, then the errors beside the verdict, each in file and line order.
        "data/digests/2025-03-20.txt:11: warning: no authors for 'Vision Paper' (its cite key vision2025 is provisional); run `python -m generator enrich`, or give them in papers.yaml",
        "data/topics.yaml:7: warning: topic 'language' holds no paper: no rule matched one and no entry of papers.yaml adds it; its page lists none",
        "data/digests/2025-03-21.txt:3: error: not valid UTF-8 at byte offset 12 (byte 0xfe); save the digest as UTF-8",
        "data/papers.yaml:2: error: entry 'Missing Paper': no paper in any digest has this title: title 'Missing Paper'",
        "build failed: 2 error(s); nothing was written",
    ]
    assert "Traceback" not in result.stderr
    assert not (project.docs / "papers").exists()


def test_unreadable_digests_are_the_one_error_not_every_curated_paper(project: Project) -> None:
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n  - title: Other Paper\n")
    shutil.rmtree(project.data / "digests")
    (project.data / "digests").write_text("not a folder\n")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/digests: error: no digests folder; put digests in it as YYYY-MM-DD.txt",
        "build failed: 1 error(s); nothing was written",
    ]
    (project.data / "digests").unlink()
    (project.data / "digests").mkdir()
    (project.data / "digests/2025-03-20.txt").write_bytes(b"Mar 20\n\nBad \xfe title\n")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/digests/2025-03-20.txt:3: error: not valid UTF-8 at byte offset 12 (byte 0xfe); "
        "save the digest as UTF-8",
        "build failed: 1 error(s); nothing was written",
    ]


def test_a_docs_folder_the_disk_refuses_is_a_clean_error(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    (project.root / "a-file").write_text("not a folder\n")
    result = run_cli(project, "build", "--docs", "a-file/docs")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-2:] == [
        "a-file/docs/.generator-manifest.json: error: Not a directory",
        "build failed: the disk refused a read or write; fix that and build again (a build "
        "that stopped half-way is finished by the next one)",
    ]


def test_the_taxonomy_review_of_a_missing_data_folder_is_a_clean_error(project: Project) -> None:
    result = run_cli(project, "topics", "--data", "nowhere")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "nowhere/digests: error: no digests folder; put digests in it as YYYY-MM-DD.txt",
        "topics: 1 error(s) in the data",
    ]


def test_cli_usage_errors_exit_2(project: Project) -> None:
    assert run_cli(project).returncode == 2
    assert run_cli(project, "build", "--bogus").returncode == 2
    help_text = run_cli(project, "build", "--help")
    assert help_text.returncode == 0
    for flag in ("--data", "--docs", "--strict", "--frozen", "exit codes"):
        assert flag in help_text.stdout


def test_strict_fails_on_warnings(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Something Else", abstract())])
    code = main(["build", "--data", str(project.data), "--docs", str(project.docs), "--strict"])
    assert code == 1
    assert not (project.docs / "papers").exists()
    assert main(["build", "--data", str(project.data), "--docs", str(project.docs)]) == 0


def test_second_run_writes_nothing(project: Project) -> None:
    project.digest(
        "2025-03-20.txt",
        [("Vision Paper", abstract()), ("Language Paper", abstract("large language models"))],
    )
    first = project.build()
    assert first.written > 0
    before = {p: p.stat().st_mtime_ns for p in project.root.rglob("*") if p.is_file()}
    second = project.build()
    assert (second.written, second.removed) == (0, 0)
    assert {p: p.stat().st_mtime_ns for p in project.root.rglob("*") if p.is_file()} == before


def test_a_build_with_nothing_to_do_reads_no_data_and_imports_no_renderer(
    project: Project,
) -> None:
    """Every `mkdocs build` after the generator's own run finds nothing to do: it reads the
    manifest and the fingerprint, and never imports the modules that read and render data."""
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    probe = (
        "import sys\n"
        "from generator.__main__ import main\n"
        "code = main(['build'])\n"
        "heavy = ['generator.catalog', 'generator.render', 'generator.digest', 'bibtexparser',"
        " 'feedgen', 'numpy']\n"
        "print(code, [name for name in heavy if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "files: 0 written" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_failed_build_leaves_docs_byte_identical(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    before = project.snapshot("docs/", "data/registry.yaml")
    project.digest("2025-03-21.txt", [("Vision Two", abstract())], "Mar 21")
    project.write("papers.yaml", "papers:\n  - title: Vision Two\n    year: nope\n")
    with pytest.raises(DataError):
        project.build()
    assert project.snapshot("docs/", "data/registry.yaml") == before


def test_hand_written_files_are_never_touched_or_overwritten(project: Project) -> None:
    (project.docs / "index.md").write_text("# Mine\n")
    (project.docs / "notes").mkdir()
    (project.docs / "notes/keep.md").write_text("keep\n")
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    (project.docs / "papers").mkdir()
    (project.docs / "papers/vision-paper.md").write_text("hand-written, in the way\n")
    with pytest.raises(DataError) as failure:
        project.build()
    assert "a file the generator did not write is in the way" in str(
        failure.value.diagnostics.errors[0]
    )
    assert (project.docs / "papers/vision-paper.md").read_text() == "hand-written, in the way\n"
    (project.docs / "papers/vision-paper.md").unlink()
    (project.docs / "papers/my-own-page.md").write_text("mine\n")
    project.build()
    project.digest("2025-03-20.txt", [("Language Paper", abstract("large language models"))])
    summary = project.build()
    assert summary.removed > 0
    assert not (project.docs / "papers/vision-paper.md").exists()
    assert (project.docs / "papers/my-own-page.md").read_text() == "mine\n"
    assert (project.docs / "index.md").read_text() == "# Mine\n"
    assert (project.docs / "notes/keep.md").read_text() == "keep\n"


def test_generated_files_are_readable_by_a_web_server(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    assert (project.docs / "papers/vision-paper.md").stat().st_mode & 0o044 == 0o044


def test_shipped_data_builds_strict_and_frozen(tmp_path: Path) -> None:
    from generator.build import Options, build

    summary = build(
        Options(
            data_dir=ROOT / "data",
            docs_dir=tmp_path / "docs",
            config_file=ROOT / "mkdocs.yml",
            strict=True,
            frozen=True,
        )
    )
    assert (summary.papers, summary.warnings, summary.registry_changes) == (96, (), ())


def test_no_change_rerun_replays_warnings_and_strict_still_fails(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Something Else", abstract())])
    first = project.build()
    again = project.build()
    assert (again.written, again.unchanged) == (0, first.written)
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings] != []
    with pytest.raises(DataError):
        project.build(strict=True)


def test_deleted_or_hand_edited_outputs_are_restored(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    page = project.docs / "papers/vision-paper.md"
    original = page.read_bytes()
    page.unlink()
    assert project.build().written == 1
    assert page.read_bytes() == original
    page.write_text("edited by hand\n")
    assert project.build().written == 1
    assert page.read_bytes() == original
    # The manifest's digests spare reading unchanged files back, but only while their size
    # and modification time are the ones written: an edit of the same size is caught too.
    page.write_bytes(original.replace(b"Vision", b"Visiom"))
    assert project.build().written == 1
    assert page.read_bytes() == original


def test_site_url_change_rebuilds(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    (project.root / "mkdocs.yml").write_text("site_name: Test\nsite_url: https://other.example/\n")
    summary = project.build()
    assert summary.written > 0
    assert (
        "https://other.example/papers/vision-paper/" in (project.docs / "bib/all.bib").read_text()
    )


def test_manifest_of_the_first_format_is_still_honoured(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    manifest = project.docs / ".generator-manifest.json"
    names = sorted(json.loads(manifest.read_text())["files"])
    manifest.write_text(json.dumps({"files": names}))
    (project.docs / "papers/vision-paper.md").write_text("older output\n")
    summary = project.build()
    assert summary.written == 1
    assert "older output" not in (project.docs / "papers/vision-paper.md").read_text()


def test_a_manifest_changed_on_disk_is_read_again_in_the_same_process(project: Project) -> None:
    # The process remembers the manifest it saved, but only while the file is as saved.
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    manifest = project.docs / layout.MANIFEST
    manifest.write_text("{}")
    summary = project.build()
    # Not a replay of the remembered manifest: the build compared every output, and wrote the
    # manifest again.
    assert summary.written == 0 and summary.unchanged > 0
    assert "papers/vision-paper.md" in json.loads(manifest.read_text())["files"]


def test_the_cycle_collector_pauses_while_rendering_and_always_resumes(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import generator.render

    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    real = generator.render.render_site
    seen: list[bool] = []

    def watching(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generator.render, "render_site", watching)
    assert gc.isenabled()
    project.build()
    assert seen == [False] and gc.isenabled()

    def fails(*args: object, **kwargs: object) -> object:
        raise RuntimeError("render failed")

    monkeypatch.setattr(generator.render, "render_site", fails)
    project.digest("2025-03-20.txt", [("Vision Paper", abstract()), ("Vision Two", abstract())])
    with pytest.raises(RuntimeError):
        project.build()
    assert gc.isenabled()
    # A caller that had paused the collector itself finds it still paused.
    gc.disable()
    try:
        monkeypatch.setattr(generator.render, "render_site", watching)
        project.build()  # the failed build wrote nothing: this one renders
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()


def test_inputs_changed_tells_a_watcher_whether_to_build(project: Project) -> None:
    options = build_module.Options(data_dir=project.data, docs_dir=project.docs, config_file=None)
    assert build_module.inputs_changed(options)  # never built
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    build_module.build(options)
    # The build wrote the registry into data/, and is what that data makes.
    assert (project.data / "registry.yaml").exists()
    assert not build_module.inputs_changed(options)
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    authors: [Ann Lee]\n")
    assert build_module.inputs_changed(options)
    build_module.build(options)
    assert not build_module.inputs_changed(options)
    assert build_module.inputs_changed(replace(options, site_url="https://example.com/other/"))


def test_a_build_killed_while_writing_leaves_nothing_in_the_way(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.write

    project.digest("2025-03-20.txt", [("Vision One", abstract()), ("Vision Two", abstract())])
    real = generator.write.write_new
    written: list[str] = []

    def dies_half_way(target: str, data: bytes) -> None:
        if len(written) == 3:
            real(target, data[:10])  # a half-written file, then the process dies
            raise KeyboardInterrupt
        written.append(target)
        real(target, data)

    monkeypatch.setattr(generator.write, "write_new", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        project.build()
    monkeypatch.setattr(generator.write, "write_new", real)
    summary = project.build()
    assert summary.written > 0
    for path in (project.docs / "papers").glob("*.md"):
        assert path.read_text().startswith("---\ntitle:")
    assert project.build().written == 0


def test_a_directory_where_an_output_goes_is_a_clean_error(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract())])
    project.build()
    page = project.docs / "papers/vision-paper.md"
    page.unlink()
    page.mkdir()
    with pytest.raises(DataError) as failure:
        project.build()
    assert "a file the generator did not write is in the way" in str(
        failure.value.diagnostics.errors[0]
    )
    assert page.is_dir()


def test_a_file_where_an_output_folder_goes_is_a_clean_error(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision One", abstract()), ("Vision Two", abstract())])
    (project.docs / "papers").write_text("a note to self\n")
    before = outputs(project.docs)
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # One message for the file, not one for each page that would go under it.
    assert result.stderr.splitlines()[-2:] == [
        "docs/papers: error: a file the generator did not write is in the way; move it out "
        "of the generated folders (papers/, topics/, digests/, bib/, feeds/, _generated/) "
        "or delete it",
        "build failed: 1 error(s); nothing was written",
    ]
    assert outputs(project.docs) == before
    assert (project.docs / "papers").read_text() == "a note to self\n"


def test_a_rebuild_in_the_same_process_matches_a_build_from_scratch(
    project: Project, tmp_path: Path
) -> None:
    # mkdocs serve builds again and again in one process, reusing what an edit left unchanged
    # (compiled topic rules and their matches, related lists, rendered pages). Every kind of
    # edit must still give exactly what a fresh build gives.
    papers = [
        ("Vision Paper", abstract("image models for vision")),
        ("Language Paper", abstract("large language models")),
        ("Image Language Paper", abstract("vision and language models")),
    ]
    project.digest("2025-03-20.txt", papers)
    project.build()
    edits = [
        lambda: project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    notes: Hi.\n"),
        lambda: project.write(  # authors show in listing rows, exports and feeds
            "papers.yaml",
            "papers:\n  - title: Vision Paper\n    notes: Hi.\n    authors: [Ada Lovelace]\n",
        ),
        lambda: project.write(
            "topics.yaml",
            (project.data / "topics.yaml").read_text().replace("name: Vision", "name: Sight"),
        ),
        lambda: project.digest("2025-03-20.txt", [*papers, ("Another Vision", abstract())]),
        lambda: project.digest("2025-03-20.txt", [papers[0], papers[2]]),
    ]
    for number, edit in enumerate(edits):
        edit()
        project.build()
        fresh = tmp_path / f"fresh-{number}"
        shutil.copytree(project.root, fresh, ignore=shutil.ignore_patterns("docs"))
        (fresh / "docs").mkdir()
        subprocess.run(  # a new process: nothing remembered
            [sys.executable, "-m", "generator", "build", "--data", "data", "--docs", "docs"],
            cwd=fresh,
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert outputs(project.docs) == outputs(fresh / "docs"), f"edit {number}"
    assert "Sight" in (project.docs / "papers/vision-paper.md").read_text()
    # Parsed YAML is remembered and shared between builds: no build may have changed it.
    for name in ("papers.yaml", "topics.yaml", "registry.yaml"):
        text = (project.data / name).read_text()
        assert parse_yaml(text) == yaml.safe_load(text), name


def outputs(docs: Path) -> dict[str, bytes]:
    """Every generated file (pages, bundles, exports, feeds) with its bytes."""
    return {
        str(p.relative_to(docs)): p.read_bytes()
        for p in docs.rglob("*")
        if p.is_file() and p.name != layout.MANIFEST
    }


def test_a_remembering_build_writes_nothing_and_leaves_an_edit_one_page_to_render(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``mkdocs serve`` starts with ``remember``: the first edit then renders only what it
    changed, as every later one does, instead of every page."""
    monkeypatch.setattr(
        forked, "can_fork", lambda beside_threads=False: False
    )  # a server has threads: no child
    titles = ["Vision Paper", "Language Paper", "Image Paper"]
    project.digest("2025-03-20.txt", [(title, abstract()) for title in titles])
    project.build()
    _page.cache_clear()  # as in a new process
    summary = project.build(remember=True)
    assert (summary.written, summary.removed) == (0, 0)
    assert _page.cache_info().currsize == len(titles)
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    notes: Hi.\n")
    misses = _page.cache_info().misses
    assert project.build().written >= 1
    assert _page.cache_info().misses - misses == 1


def test_after_an_edit_the_next_unchanged_build_is_a_replay(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest records each output's size and time as they are after the build, whether
    the file was written or left alone, so the build after it takes the no-change path."""
    project.digest("2025-03-20.txt", [("Vision Paper", abstract()), ("Other Paper", abstract())])
    project.build()
    project.write("papers.yaml", "papers:\n  - title: Vision Paper\n    notes: Hi.\n")
    assert 0 < project.build().written < 10
    calls: list[int] = []
    original = build_module.replay

    def counted(*args: object) -> object:
        calls.append(1)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "replay", counted)
    assert project.build().written == 0
    assert calls == [1]
