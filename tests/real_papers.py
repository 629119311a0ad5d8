"""A small table of real papers: their public arXiv metadata and their DBLP records.

The fakes in ``fakes.py`` answer from it. Each DBLP record has the fields and shapes DBLP's
search gives (a paper's CoRR copy beside its venue, a single author as an object, a
disambiguation number after a name); person ids are placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RealPaper:
    """A real paper's public arXiv metadata and its DBLP records."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    published: str
    updated: str
    primary: str
    summary: str
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    dblp: tuple[dict[str, Any], ...] = field(default=())


def _corr(key: str, title: str, authors: list[str], year: str, arxiv_id: str) -> dict[str, Any]:
    """DBLP's record of a paper's arXiv copy."""
    return {
        "authors": {"author": [{"@pid": f"pid/{i}", "text": a} for i, a in enumerate(authors)]},
        "title": f"{title}.",
        "venue": "CoRR",
        "volume": f"abs/{arxiv_id}",
        "year": year,
        "type": "Informal and Other Publications",
        "access": "open",
        "key": key,
        "doi": f"10.48550/ARXIV.{arxiv_id}",
        "ee": f"https://doi.org/10.48550/arXiv.{arxiv_id}",
        "url": f"https://dblp.org/rec/{key}",
    }


VLLM = "Efficient Memory Management for Large Language Model Serving with PagedAttention"
VLLM_AUTHORS = [
    "Woosuk Kwon",
    "Zhuohan Li",
    "Siyuan Zhuang",
    "Ying Sheng",
    "Lianmin Zheng",
    "Cody Hao Yu",
    "Joseph E. Gonzalez",
    "Hao Zhang",
    "Ion Stoica",
]
FLASH = "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"
FLASH_AUTHORS = ["Tri Dao", "Daniel Y. Fu", "Stefano Ermon", "Atri Rudra", "Christopher Ré"]
MAMBA = "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"
SWITCH = (
    "Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient Sparsity"
)
GLU = "GLU Variants Improve Transformer"
LOREM = "We study the problem in depth and report results on standard benchmarks. " * 4

PAPERS = (
    RealPaper(
        "2309.06180v1",
        VLLM,
        tuple(VLLM_AUTHORS),
        "2023-09-12T17:49:06Z",
        "2023-09-12T17:49:06Z",
        "cs.LG",
        "High throughput serving of large language models (LLMs) requires batching "
        "sufficiently many requests at a time. " + LOREM,
        comment="SOSP 2023",
        dblp=(
            _corr("journals/corr/abs-2309-06180", VLLM, VLLM_AUTHORS, "2023", "2309.06180"),
            {
                "authors": {
                    "author": [
                        {"@pid": "p/1", "text": "Woosuk Kwon"},
                        {"@pid": "p/2", "text": "Zhuohan Li"},
                        {"@pid": "p/3", "text": "Siyuan Zhuang"},
                        {"@pid": "p/4", "text": "Ying Sheng 0001"},
                        {"@pid": "p/5", "text": "Lianmin Zheng"},
                        {"@pid": "p/6", "text": "Cody Hao Yu"},
                        {"@pid": "p/7", "text": "Joseph E. Gonzalez 0001"},
                        {"@pid": "p/8", "text": "Hao Zhang"},
                        {"@pid": "p/9", "text": "Ion Stoica"},
                    ]
                },
                "title": f"{VLLM}.",
                "venue": "SOSP",
                "pages": "611-626",
                "year": "2023",
                "type": "Conference and Workshop Papers",
                "access": "closed",
                "key": "conf/sosp/KwonLZ0ZY0ZS23",
                "doi": "10.1145/3600006.3613165",
                "ee": "https://doi.org/10.1145/3600006.3613165",
                "url": "https://dblp.org/rec/conf/sosp/KwonLZ0ZY0ZS23",
            },
        ),
    ),
    RealPaper(
        "2205.14135v2",
        FLASH,
        tuple(FLASH_AUTHORS),
        "2022-05-27T17:53:09Z",
        "2022-06-23T17:53:26Z",
        "cs.LG",
        "Transformers are slow and memory-hungry on long sequences, since the time and "
        "memory complexity of self-attention are quadratic in sequence length. " + LOREM,
        dblp=(
            _corr("journals/corr/abs-2205-14135", FLASH, FLASH_AUTHORS, "2022", "2205.14135"),
            {
                "authors": {
                    "author": [{"@pid": f"q/{i}", "text": a} for i, a in enumerate(FLASH_AUTHORS)]
                },
                "title": f"{FLASH}.",
                "venue": "NeurIPS",
                "year": "2022",
                "type": "Conference and Workshop Papers",
                "access": "open",
                "key": "conf/nips/DaoFERR22",
                "ee": "http://papers.nips.cc/paper_files/paper/2022/hash/"
                "67d57c32e20fd0a7a302cb81d36e40d5-Abstract-Conference.html",
                "url": "https://dblp.org/rec/conf/nips/DaoFERR22",
            },
        ),
    ),
    RealPaper(
        "2312.00752v2",
        MAMBA,
        ("Albert Gu", "Tri Dao"),
        "2023-12-01T18:01:34Z",
        "2024-05-31T17:53:31Z",
        "cs.LG",
        "Foundation models, now powering most of the exciting applications in deep learning, "
        "are almost universally based on the Transformer architecture. " + LOREM,
        dblp=(
            _corr(
                "journals/corr/abs-2312-00752",
                MAMBA,
                ["Albert Gu", "Tri Dao"],
                "2023",
                "2312.00752",
            ),
        ),
    ),
    RealPaper(
        "2101.03961v3",
        SWITCH,
        ("William Fedus", "Barret Zoph", "Noam Shazeer"),
        "2021-01-11T16:11:52Z",
        "2022-06-16T20:13:35Z",
        "cs.LG",
        "In deep learning, models typically reuse the same parameters for all inputs. " + LOREM,
        comment="JMLR",
        journal_ref="Journal of Machine Learning Research 23 (2022) 1-40",
        dblp=(
            {
                "authors": {
                    "author": [
                        {"@pid": "r/1", "text": "William Fedus"},
                        {"@pid": "r/2", "text": "Barret Zoph"},
                        {"@pid": "r/3", "text": "Noam Shazeer"},
                    ]
                },
                "title": f"{SWITCH}.",
                "venue": "J. Mach. Learn. Res.",
                "volume": "23",
                "pages": "120:1-120:39",
                "year": "2022",
                "type": "Journal Articles",
                "access": "open",
                "key": "journals/jmlr/FedusZS22",
                "ee": "http://jmlr.org/papers/v23/21-0998.html",
                "url": "https://dblp.org/rec/journals/jmlr/FedusZS22",
            },
        ),
    ),
    RealPaper(
        "2002.05202v1",
        GLU,
        ("Noam Shazeer",),
        "2020-02-12T19:57:13Z",
        "2020-02-12T19:57:13Z",
        "cs.LG",
        "Gated Linear Units consist of the component-wise product of two linear projections, "
        "one of which is first passed through a sigmoid function. " + LOREM,
        dblp=(
            {
                # DBLP gives a single author as an object, not a list.
                "authors": {"author": {"@pid": "s/1", "text": "Noam Shazeer"}},
                "title": f"{GLU}.",
                "venue": "CoRR",
                "volume": "abs/2002.05202",
                "year": "2020",
                "type": "Informal and Other Publications",
                "access": "open",
                "key": "journals/corr/abs-2002-05202",
                "ee": "https://arxiv.org/abs/2002.05202",
                "url": "https://dblp.org/rec/journals/corr/abs-2002-05202",
            },
        ),
    ),
)
