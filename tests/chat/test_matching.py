"""Title look-ups find the same similar words through the index as by comparing every word."""

from __future__ import annotations

import random
import string

from shared.chat.matching import TitleIndex, _similarity, match_task


def _words(rng: random.Random, count: int) -> list[str]:
    words = ["".join(rng.choices("aeinrst", k=rng.randint(1, 7))) for _ in range(count)]
    return words + ["2026", "12345", "x"]


def test_similar_words_are_all_found_through_the_buckets() -> None:
    rng = random.Random(4)
    words = _words(rng, 400)
    entries = [(n, " ".join(rng.sample(words, rng.randint(1, 5))), False) for n in range(300)]
    index = TitleIndex(entries)
    vocabulary = list(index.postings)
    probes = vocabulary + _words(rng, 300)
    for word in list(probes):  # the words and their typos: a letter changed, dropped, swapped
        i = rng.randrange(len(word))
        probes.append(word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :])
        probes.append(word[:i] + word[i + 1 :] or word)
        probes.append(word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :])
    for q in probes:
        everyone = {t: sim for t in vocabulary if (sim := _similarity(q, t)) > 0}
        assert index.similar(q) == everyone
        assert list(index.similar(q)) == list(everyone)  # in the same order


def test_a_list_without_titles_or_words_finds_nothing() -> None:
    assert match_task("buy milk", []).kind == "none"
    assert match_task("the", [type("T", (), {"id": 1, "title": "Buy milk", "completed": False})()]
                      ).kind == "none"  # fmt: skip


class _Task:
    def __init__(self, id: int, title: str, completed: bool = False) -> None:
        self.id, self.title, self.completed = id, title, completed


def test_words_said_together_name_the_title_where_they_stand_together() -> None:
    tasks = [_Task(1, "Translate contract for Lopez"),
             _Task(2, "Translate contract annex for Lopez")]  # fmt: skip
    assert match_task("the lopez contract", tasks).task_id == 1  # "annex" comes between
    assert match_task("the contract annex", tasks).task_id == 2
    # A word beside the title's verb is no gap: either pair of shoes may be meant.
    shoes = [_Task(3, "Buy running shoes"), _Task(4, "Buy shoes for the wedding")]
    assert match_task("bought shoes", shoes).kind == "ambiguous"


def test_a_word_clipped_to_three_letters_names_the_long_word_it_starts() -> None:
    tasks = [_Task(1, "Buy cream for the pavlova"), _Task(2, "Clean the carpet")]
    assert match_task("cream for the pav", tasks).task_id == 1
    assert match_task("the car", tasks).kind == "none"  # half a word alone names nothing
