"""Encoding detection and text repair rules (crosscheck.textfix), on invented sentences."""

from __future__ import annotations

import codecs

import pytest

from crosscheck.textfix import (BinaryContent, damage_repair_applies, decode_bytes, repair_text,
                                restore_damaged_quotes)

SENTENCE = "The mayor’s “plan” – approved in 2024 – costs €3m and pleases the café owners."


@pytest.mark.parametrize("data, encoding, note", [
    (SENTENCE.encode("utf-8"), "utf-8", ""),
    (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8", ""),
    (codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), "utf-16-le", "decoded as UTF-16 LE (BOM)"),
    (codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), "utf-16-be", "decoded as UTF-16 BE (BOM)"),
    (SENTENCE.encode("utf-16-le"), "utf-16-le", "decoded as UTF-16 LE"),
    (SENTENCE.encode("utf-16-be"), "utf-16-be", "decoded as UTF-16 BE"),
    (SENTENCE.encode("utf-32"), "utf-32-le", "decoded as UTF-32 LE (BOM)"),
    (SENTENCE.encode("cp1252"), "cp1252", "decoded as cp1252"),
])
def test_decode_encodings(data, encoding, note):
    decoded = decode_bytes(data)
    assert decoded.text == SENTENCE
    assert (decoded.encoding, decoded.note) == (encoding, note)


def test_cp1252_is_preferred_over_detection():
    # charset-normalizer reads these bytes as cp1250 ("à" → "ŕ"); cp1252 comes first.
    assert decode_bytes("Voilà, déjà vu à la française.".encode("cp1252")).text == (
        "Voilà, déjà vu à la française.")


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file (NUL bytes)"),
    (b"abc\x00def", "binary file (NUL bytes)"),
    (bytes(range(1, 9)) * 10 + b"some text", "binary file (control characters)"),
])
def test_binary(data, reason):
    with pytest.raises(BinaryContent, match=reason.replace("(", r"\(").replace(")", r"\)")):
        decode_bytes(data)


def test_undecodable_bytes_still_give_text_or_binary():
    try:
        decoded = decode_bytes(b"caf\xe9 \x81\x8d\x8f\x90\x9d ok")
    except BinaryContent:
        return
    assert decoded.note  # never silently claimed to be UTF-8


def test_ftfy_mojibake_keeps_curly_quotes():
    repaired = repair_text("She didnâ€™t say â€œnoâ€\x9d.")
    assert repaired.text == "She didn’t say “no”."
    assert repaired.mojibake_fixed and repaired.quotes_restored == 0


def test_clean_text_untouched():
    repaired = repair_text(SENTENCE)
    assert repaired == type(repaired)(SENTENCE, False, 0)


@pytest.mark.parametrize("damaged, expected", [
    ("Shoiguās trips ended.", "Shoigu’s trips ended."),
    ("We donāt know, theyāre sure, weāll see, weāve won, Iām in, Iād go.",
     "We don’t know, they’re sure, we’ll see, we’ve won, I’m in, I’d go."),
    ("the RussiaāNorth Korea dialogue", "the Russia–North Korea dialogue"),
    ("the talks ā held in June ā ended", "the talks – held in June – ended"),
    ("the so-called āGlobal Southā, where", "the so-called “Global South”, where"),
    ("āNo,ā she said.", "“No,” she said."),
    ("from 2010ā2012 only", "from 2010–2012 only"),
    ("the countriesā leaders met", "the countries’ leaders met"),
    ("he called it āthe United Statesā plan", "he called it “the United States” plan"),
])
def test_restore_damaged_quotes(damaged, expected):
    text, count = restore_damaged_quotes(damaged)
    assert text == expected
    assert count == damaged.count("ā")


@pytest.mark.parametrize("text", [
    "Rīga ir Latvijas galvaspilsēta, un tā ir liela pilsēta.",  # Latvian
    "Vilnius yra Lietuvos sostinė, ir ją aplanko daug žmonių.",  # Lithuanian
    "Tiānānmén Square, Kraków and Zürich and Málaga and Łódź were all on the list.",
])
def test_real_text_with_macrons_left_alone(text):
    assert restore_damaged_quotes(text) == (text, 0)


def test_unmatched_a_with_macron_is_kept():
    # A lone real ā in English text fits no rule and survives.
    assert restore_damaged_quotes("The Māori delegation arrived.") == (
        "The Māori delegation arrived.", 0)


def test_repair_applies_only_to_ascii_dominated_text():
    assert damage_repair_applies("Lavrovās visit")
    assert not damage_repair_applies("no damage here")
    assert not damage_repair_applies("ā" + "é" * 10 + "abc")
