"""BibTeX output: parses and round-trips with bibtexparser, and compiles with real BibTeX/pdflatex."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

from generator.build import Options, build

from .conftest import ROOT, Project, abstract

DOCUMENT = r"""\documentclass{article}
\usepackage{url}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""

TRICKY = [
    ("M^3ViT: Mixture-of-Experts Vision Transformer", ["Hanxue Liang", "Zhiwen Fan"]),
    ("ZeroQuant(4+2): Redefining LLMs Quantization", ["Xiaoxia Wu"]),
    ("CodeT5+: Open Code Large Language Models", ["Yue Wang"]),
    ("T3: Transparent Tracking & Triggering for Compute & Collectives", ["Suchita Pati"]),
    ("A title with an unbalanced } brace", ["Ludwig van der Berg"]),
    (
        "50% & $x$ _ # ~ ^ \\ in one title",
        ["Bartosz Cywiński", "Łukasz Staniszewski", "José Ñúñez"],
    ),
    ("An @comment{ that is not a comment", ["Ann Smith"]),
    ("Ending with a backslash \\", ["Ann Smith"]),
    ("A paper nobody curated authors for", []),
    ("<script>alert(1)</script> & </title> in a title", ["Eve Hacker"]),
    ('A "quoted" Multi-Task title on NVIDIA Hopper', ["Ann Smith"]),
]


def tricky_project(project: Project) -> Project:
    project.digest("2025-03-20.txt", [(title, abstract("Vision work")) for title, _ in TRICKY])
    entries = []
    for title, authors in TRICKY:
        quoted = title.replace("\\", "\\\\").replace('"', '\\"')
        entries.append(
            f'  - title: "{quoted}"\n    authors: {authors!r}\n    year: 2024\n'.replace("'", '"')
        )
    project.write("papers.yaml", "papers:\n" + "".join(entries))
    project.build()
    return project


def bib_files(docs: Path) -> list[Path]:
    return sorted((docs / "bib").rglob("*.bib"))


def assert_round_trips(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], path
    assert len(library.entries) == text.count("\n@") + text.startswith("@"), path
    again = bibtexparser.parse_string(bibtexparser.write_string(library))
    assert [(e.key, e.entry_type, e.fields_dict.keys()) for e in again.entries] == [
        (e.key, e.entry_type, e.fields_dict.keys()) for e in library.entries
    ]
    assert [[f.value for f in e.fields] for e in again.entries] == [
        [f.value for f in e.fields] for e in library.entries
    ]


@pytest.fixture(scope="module")
def seed_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("seed") / "docs"
    build(
        Options(
            data_dir=ROOT / "data",
            docs_dir=docs,
            config_file=ROOT / "mkdocs.yml",
            strict=True,
            frozen=True,
        )
    )
    return docs


def test_every_seed_bundle_round_trips(seed_docs: Path) -> None:
    files = bib_files(seed_docs)
    assert len(files) == 96 + 24 + 1 + 1
    for path in files:
        assert_round_trips(path)


def test_whole_list_holds_every_seed_paper_with_authors(seed_docs: Path) -> None:
    library = bibtexparser.parse_string((seed_docs / "bib/all.bib").read_text())
    assert len(library.entries) == 96
    assert [e.key for e in library.entries] == sorted(e.key for e in library.entries)
    assert all("author" in e.fields_dict for e in library.entries)
    assert sum("eprint" in e.fields_dict for e in library.entries) == 96
    mamba = library.entries_dict["gu2023mamba"]
    assert mamba.entry_type == "inproceedings"
    assert mamba.fields_dict["author"].value == "Albert Gu and Tri Dao"
    assert mamba.fields_dict["year"].value == "2024"  # the venue's year; the key keeps 2023
    assert mamba.fields_dict["eprint"].value == "2312.00752"


def test_bundles_reuse_the_paper_entries(seed_docs: Path) -> None:
    whole = (seed_docs / "bib/all.bib").read_text()
    for path in (seed_docs / "bib/papers").glob("*.bib"):
        assert path.read_text() in whole
    for path in (seed_docs / "bib/topics").glob("*.bib"):
        for entry in path.read_text().split("\n\n"):
            assert entry.strip() in whole


def run_bibtex(bib: str, folder: Path) -> tuple[str, str]:
    """Compile a document citing every entry; return the bibtex log and the .bbl."""
    for tool in ("bibtex", "pdflatex"):
        if shutil.which(tool) is None:
            pytest.fail(
                f"{tool} is not installed; ./dev.sh test installs texlive-binaries and texlive-latex-base"
            )
    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    (folder / "doc.tex").write_text(DOCUMENT)

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=folder, capture_output=True, text=True, errors="replace", check=False
        )

    latex = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
    first = run(*latex)
    assert first.returncode == 0, first.stdout[-3000:]
    bibtex = run("bibtex", "doc")
    assert bibtex.returncode == 0, bibtex.stdout
    for _ in range(2):
        final = run(*latex)
        assert final.returncode == 0, final.stdout[-3000:]
    assert (folder / "doc.pdf").stat().st_size > 1000
    bbl = (folder / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    return bibtex.stdout, " ".join(bbl.split())  # bibtex wraps long lines


@pytest.mark.tex
def test_seed_whole_list_compiles_with_real_bibtex_and_pdflatex(
    seed_docs: Path, tmp_path: Path
) -> None:
    log, bbl = run_bibtex((seed_docs / "bib/all.bib").read_text(), tmp_path)
    assert "Warning" not in log and "error" not in log.lower(), log
    assert bbl.count("\\bibitem") == 96
    for protected in (
        "{T3}",
        "{LLMs}",
        "{LPViT}",
        "{M$^3$ViT}",
        "{ZeroQuant(4+2)}",
        "{CodeT5+}",
    ):
        assert protected in bbl, protected
    assert "{T3}: Transparent tracking \\& triggering" in bbl  # plain.bst lowercases; {T3} survives
    assert "{\\L}ukasz Staniszewski" in bbl and "Cywi{\\'n}ski" in bbl


@pytest.mark.tex
def test_tricky_entries_compile_with_real_bibtex_and_pdflatex(
    project: Project, tmp_path: Path
) -> None:
    tricky_project(project)
    for path in bib_files(project.docs):
        assert_round_trips(path)
    whole = (project.docs / "bib/all.bib").read_text()
    assert re.search(r"^  key = \{paper2024\},?$", whole, re.M)  # the uncurated paper can be sorted
    log, bbl = run_bibtex(whole, tmp_path)
    assert "Warning" not in log and "error" not in log.lower(), log
    assert bbl.count("\\bibitem") == len(TRICKY)
    for expected in (
        "\\textbraceright{} brace",
        "50\\% \\& \\$x\\$ \\_ \\# \\textasciitilde{} \\textasciicircum{} \\textbackslash{}",
        "Ludwig van~der Berg",
        "Cywi{\\'n}ski",
        "{\\L}ukasz",
        "Jos{\\'e} {\\~N}{\\'u}{\\~n}ez",
        "\\textless{}script\\textgreater{}",
        "A ``quoted'' multi-task title",
    ):
        assert expected in bbl, expected


def test_abstracts_are_left_out_unless_asked_for(project: Project) -> None:
    project.digest("2025-03-20.txt", [("Vision Paper", abstract("Distinctive words here"))])
    project.build()
    assert "abstract" not in (project.docs / "bib/all.bib").read_text()
    project.write("settings.yaml", "bibtex_abstracts: true\n")
    project.build()
    assert "  abstract = {Distinctive words here." in (project.docs / "bib/all.bib").read_text()


def test_entry_without_arxiv_or_venue_is_a_valid_misc(project: Project) -> None:
    project.digest(
        "2025-03-20.txt",
        [
            ("Vision With Code", abstract("Code at https://github.com/a/b.")),
            ("Vision Without Links", abstract()),
        ],
    )
    project.build()
    library = bibtexparser.parse_string((project.docs / "bib/all.bib").read_text())
    fields = {e.key: {k: f.value for k, f in e.fields_dict.items()} for e in library.entries}
    assert fields["vision2025"]["howpublished"] == "\\url{https://github.com/a/b}"
    assert fields["vision2025a"]["url"] == "https://example.org/list/papers/vision-without-links/"
    assert fields["vision2025a"]["note"] == "Listed in the paper digest of 2025-03-20"
    assert fields["vision2025a"]["key"] == "vision2025a"
