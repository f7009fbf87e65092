from crosscheck.findings import differing_spans
from crosscheck.types import Claim


def claim(cid, text, start=100):
    return Claim(id=cid, article_id=cid.split(":")[0], text=text, start=start,
                 end=start + len(text), paragraph=0, sentence=0, content=text)


def test_differing_words_are_highlighted_with_article_offsets():
    a = claim("a:s0", "The harbour was closed to shipping on Sunday.")
    b = claim("b:s0", "The harbour was not closed to shipping on Sunday.", start=40)
    spans = differing_spans(a, b)
    assert [(e.claim_id, b.text[e.start - 40:e.end - 40]) for e in spans] == [("b:s0", "not")]


def test_unlike_sentences_get_no_diff_highlighting():
    a = claim("a:s0", "Lavrov's visit marks a continuation of high-level exchanges.")
    b = claim("b:s0", "The KCNA did not report on any discussions of a summit.")
    assert differing_spans(a, b) == ()
