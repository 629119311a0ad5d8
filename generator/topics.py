"""Place papers in topics by the taxonomy's match rules, then apply curator overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .model import Topic

CURATOR = "curator"
"""The reason shown when a curator override, not a rule, placed a paper in a topic."""


@dataclass(frozen=True)
class Matcher:
    """One topic's rules, compiled."""

    topic: Topic
    title: re.Pattern[str] | None
    """Terms that count in the title only."""
    text: re.Pattern[str] | None
    """Terms that count in the title or abstract."""
    veto: re.Pattern[str] | None = None
    """Terms that, in the title, keep the rules from placing the paper in the topic."""
    title_needles: tuple[str, ...] = ()
    """Lowercase first words of the title terms: no needle in the title, no regex run."""
    text_needles: tuple[str, ...] = ()
    """The same for the text terms."""


def compile_term(term: str) -> str:
    """A whole-word pattern of a term, lowercased (patterns run on lowercased text); a trailing
    ``*`` matches any word ending.

    The word-start check sits after the first character, so that every alternative of a
    topic's pattern starts with a literal: the regex engine then skips, at each position, the
    alternatives whose first character differs, and scans for the possible first characters.
    ``(?<!\\w.)`` after that character says the one before it is no word character.
    """
    prefix = term.endswith("*")
    words = term.rstrip("*").lower().split()
    body = r"[\s-]+".join(re.escape(word) for word in words)
    first = re.escape(words[0][0])
    ending = r"\w*" if prefix else ""
    return rf"{first}(?<!\w.){body[len(first) :]}{ending}"


Matches = dict[tuple[str, str | None], dict[str, tuple[str, ...]]]
"""Each (title, abstract) asked about, with its ``match_topics``."""


class Rules:
    """A taxonomy's rules, compiled, and the match of every title and abstract they were asked
    about: a process that builds again (``mkdocs serve``) matches only the papers an edit
    changed, as long as the taxonomy is the same; when one topic's rules change, only that
    topic is matched again (``earlier`` holds the matches under the rules before)."""

    def __init__(self, topics: tuple[Topic, ...], earlier: Rules | None = None) -> None:
        self.matchers = compile_rules(topics)
        self._matched: Matches = {}
        self._earlier: Matches = {}
        self._kept: frozenset[str] = frozenset()
        self._changed = self.matchers
        if earlier is not None:
            before = {_rules_of(m.topic) for m in earlier.matchers}
            self._kept = frozenset(
                m.topic.id for m in self.matchers if _rules_of(m.topic) in before
            )
            self._changed = [m for m in self.matchers if m.topic.id not in self._kept]
            self._earlier = earlier._matched

    def match(self, title: str, abstract: str | None) -> dict[str, tuple[str, ...]]:
        """``match_topics`` of the paper (a shared result: callers copy before changing it)."""
        key = (title, abstract)
        found = self._matched.get(key)
        if found is None:
            before = self._earlier.get(key)
            if before is None:
                found = match_topics(title, abstract, self.matchers)
            else:  # the topics whose rules are as they were match as they did
                merged = {t: w for t, w in before.items() if t in self._kept}
                merged.update(match_topics(title, abstract, self._changed))
                found = {
                    m.topic.id: merged[m.topic.id] for m in self.matchers if m.topic.id in merged
                }
            self._matched[key] = found
        return found


def _rules_of(topic: Topic) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What decides a topic's matches: its id and its terms (not its name or description)."""
    return topic.id, topic.title_terms, topic.terms, topic.not_title_terms


_latest: list[Rules] = []
"""The rules used last, whose matches a new taxonomy's rules start from."""


def rules_for(topics: tuple[Topic, ...]) -> Rules:
    """The taxonomy's rules, the same object while the taxonomy is unchanged."""
    rules = _rules_for(topics)
    _latest[:] = [rules]
    return rules


@lru_cache(maxsize=4)
def _rules_for(topics: tuple[Topic, ...]) -> Rules:
    return Rules(topics, _latest[0] if _latest else None)


def compile_rules(topics: tuple[Topic, ...]) -> list[Matcher]:
    """Matchers for every topic with rules."""

    def pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
        if not terms:
            return None
        return re.compile("(?:" + "|".join(compile_term(t) for t in terms) + r")(?!\w)")

    def needles(terms: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({t.rstrip("*").split()[0].lower() for t in terms}))

    return [
        Matcher(
            t,
            pattern(t.title_terms),
            pattern(t.terms),
            pattern(t.not_title_terms),
            needles(t.title_terms),
            needles(t.terms),
        )
        for t in topics
    ]


def match_topics(
    title: str, abstract: str | None, matchers: list[Matcher]
) -> dict[str, tuple[str, ...]]:
    """Topic id to the words that put the paper there, sorted; a topic whose ``not_title``
    terms occur in the title gets none."""
    found: dict[str, tuple[str, ...]] = {}
    # Patterns are lowercase and run on lowercased text: a case-insensitive regex cannot skip
    # an alternative by its first character, and was three times slower.
    title_lower = title.lower()
    text_lower = f"{title_lower}\n{(abstract or '').lower()}"
    # Most topics match most papers nowhere: a substring test skips their regexes cheaply.
    for matcher in matchers:
        words: set[str] = set()
        if matcher.title and any(n in title_lower for n in matcher.title_needles):
            words.update(matcher.title.findall(title_lower))
        if matcher.text and any(n in text_lower for n in matcher.text_needles):
            words.update(matcher.text.findall(text_lower))
        if words and not (matcher.veto and matcher.veto.search(title_lower)):
            found[matcher.topic.id] = tuple(sorted(" ".join(w.split()) for w in words))
    return found


def apply_overrides(
    matched: dict[str, tuple[str, ...]], add: tuple[str, ...], remove: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    """Curator overrides win over the rules: added topics join, removed ones leave."""
    result = {topic: words for topic, words in matched.items() if topic not in remove}
    for topic in add:
        result[topic] = (CURATOR,)
    return dict(sorted(result.items()))
