"""Span bookkeeping of ``shared/chat/text.py`` answers as checking every span would."""

from __future__ import annotations

import random

from shared.chat.text import DisjointSpans


def test_disjoint_spans_find_every_overlap() -> None:
    rng = random.Random(9)
    for _ in range(200):
        spans = DisjointSpans()
        kept: list[tuple[int, int]] = []
        for _ in range(60):
            start = rng.randrange(200)
            end = start + rng.randint(0, 12)  # empty spans are asked about, never added
            expected = any(start < e and s < end for s, e in kept)
            assert spans.overlaps(start, end) == expected
            if not expected and end > start:
                spans.add(start, end)
                kept.append((start, end))
