"""The align stage: does a candidate pair of claims from two outlets state the same fact, and
if so, how do the two differ?

Similar embeddings only say two sentences are about the same story. Before any finding is
made, a pair must pass the same-fact test here:

- the claims are close in meaning (embedding similarity ``align.min_similarity``);
- they share content words beyond the story's names (``align.min_shared_words`` lemmas, by
  five-letter stem, that are not names: a story's names are in most of its sentences; or, when
  they are very close in meaning, ``align.names_min_shared`` names and one word) and a share
  ``align.min_overlap`` of the shorter claim's content words;
- their actors do not differ: when both name who did the shared action and the names have
  nothing in common, they are different facts, unless everything else lines up so closely that
  the actor is the only difference (then it is an ``actor`` mismatch).

For a same-fact pair the stage lists the mismatches that would make the two incompatible:
``polarity`` (one negates the shared predicate: "approved" / "did not approve"), ``outcome``
(opposite predicates: passed / failed, upheld / struck down), ``actor`` (a different name does
the shared action), ``time`` (another weekday or date) and ``place`` (another city or venue).
Figures are compared here too (``Alignment.numeric``): aligned by counted noun, clause words
and role, with rounding as written. Two long sentences that are not one fact as a whole can
still conflict in one clause each (``scope`` "clause"): then only that clause's mismatch or
figure counts.

Some details sit in one clause of sentences that are otherwise unlike, so no pair of
sentences brings them together: who holds a role, where or when a named thing was, a count of
a rare noun, an age, who spoke a quotation. These *slots* are read off every claim and
compared across the whole story (:func:`~crosscheck.align.story.slot_alignments`, ``scope``
"slot").

A mismatch is only a contradiction between the *outlets* when both claims are the outlets' own
assertions (``Alignment.comparable``): not a direct quotation, not attributed to different
sources (two outlets reporting two people who disagree do not contradict each other), not
hedged or conditional, and the mismatching words are not inside quotation marks.

The stage is three modules: :mod:`~crosscheck.align.reading` reads one claim (the spaCy parse,
loaded once by the model layer, stays inside it), :mod:`~crosscheck.align.compare` compares
two, and :mod:`~crosscheck.align.story` works across a story. The rest of the pipeline gets
:class:`~crosscheck.types.ClaimShape` and :class:`~crosscheck.types.Alignment`.
"""

from crosscheck.align.compare import (align, align_pairs, compare_figures, prints_same_words,
                                      strong_enough, word_sequence)
from crosscheck.align.reading import NEAR_MISS, figures, shape_claims, weekdays_named
from crosscheck.align.story import (drop_mentioned, mark_two_measures, merge_slot_alignments,
                                    slot_alignments)

__all__ = ["NEAR_MISS", "align", "align_pairs", "compare_figures", "drop_mentioned", "figures",
           "mark_two_measures", "merge_slot_alignments", "prints_same_words", "shape_claims",
           "slot_alignments", "strong_enough", "weekdays_named", "word_sequence"]
