"""Turning input bytes into clean text: encoding detection, mojibake repair, and the
damaged-quotes repair described in NOTES.md.

Nothing here reads files or knows about articles; :mod:`crosscheck.ingest` calls
:func:`decode_bytes` on a file's bytes and :func:`repair_text` on each extracted field.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import ftfy

# How much of a file the UTF-16 sniffing looks at; the pattern is clear long before this.
_SNIFF_BYTES = 4096
# Share of control characters (besides ordinary whitespace) above which text counts as binary.
_MAX_CONTROL_SHARE = 0.01
# Unicode category Cc (C0, DEL, C1) except ordinary whitespace; a regex, so a 50 MB file
# is checked in well under a second.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Lone UTF-16 surrogates: JSON \ud800 escapes and undecodable file names produce them, and
# no UTF-8 writer accepts them.
_SURROGATE = re.compile("[\ud800-\udfff]")

# ftfy straightens curly quotes by default; the report shows quotes as the outlet printed them.
_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False)

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE (BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE (BOM)"),
    (codecs.BOM_UTF8, "utf-8", ""),  # UTF-8 with a BOM is still plain UTF-8: nothing to note
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE (BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE (BOM)"),
)


class BinaryContent(ValueError):
    """The bytes are not text; ``str(error)`` is the reason to record ("binary file (...)")."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python codec name
    note: str = ""  # e.g. "decoded as cp1252"; empty for plain UTF-8


@dataclass(frozen=True)
class Repaired:
    text: str
    mojibake_fixed: bool = False  # ftfy re-decoded some text
    quotes_restored: int = 0  # damaged ’ “ ” – put back by the context rule


def decode_bytes(data: bytes) -> Decoded:
    """Decode a text file's bytes, or raise :class:`BinaryContent`.

    Order matters: BOMs, then BOM-less UTF-16 (which is full of NUL bytes, so it must be
    recognised before the NUL test), strict UTF-8, cp1252 (charset-normalizer mistakes
    cp1252 for cp1250, see NOTES.md), and only then statistical detection.
    """
    decoded = _decode_with_bom(data) or _decode_utf16_without_bom(data)
    if decoded is None:
        if b"\x00" in data:
            raise BinaryContent("binary file (NUL bytes)")
        decoded = _decode_plain(data)
    if _control_share(decoded.text) > _MAX_CONTROL_SHARE:
        raise BinaryContent("binary file (control characters)")
    return decoded


def _decode_with_bom(data: bytes) -> Decoded | None:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                return None  # a stray BOM-like start on binary data
            return Decoded(text, codec, f"decoded as {label}" if label else "")
    return None


def _decode_utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 of mostly ASCII text has a NUL in every other byte; binary data does not."""
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) - len(sample) % 2]
    even, odd = sample[0::2], sample[1::2]
    even_nuls, odd_nuls = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nuls >= 0.9 and even_nuls <= 0.1:
        codec, label = "utf-16-le", "UTF-16 LE"
    elif even_nuls >= 0.9 and odd_nuls <= 0.1:
        codec, label = "utf-16-be", "UTF-16 BE"
    else:
        return None
    try:
        text = data[: len(data) - len(data) % 2].decode(codec)
    except UnicodeDecodeError:
        return None
    return Decoded(text, codec, f"decoded as {label}")


def _decode_plain(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("cp1252"), "cp1252", "decoded as cp1252")
    except UnicodeDecodeError:
        pass
    detected = _detect_encoding(data)
    if detected is not None:
        return detected
    # Latin-1 decodes any byte string; the control-character test then judges the result.
    return Decoded(data.decode("latin-1"), "latin-1", "decoded as latin-1 (encoding unknown)")


def _detect_encoding(data: bytes) -> Decoded | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # an optional helper: trafilatura usually brings it along
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    return Decoded(str(best), best.encoding, f"decoded as {best.encoding} (detected)")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return sum(1 for _ in _CONTROL.finditer(text)) / len(text)


def replace_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (same length, so offsets hold)."""
    return _SURROGATE.sub("\ufffd", text)


def repair_text(text: str) -> Repaired:
    """Fix mojibake with ftfy (quotes left curly), then restore the quotes and dashes that
    the damage described in NOTES.md turned into 'ā'. Lone surrogates become U+FFFD."""
    fixed = ftfy.fix_and_explain(replace_surrogates(text), _FTFY_CONFIG)
    mojibake = any(step[0] in ("encode", "decode", "transcode") for step in fixed.explanation or ())
    restored, count = restore_damaged_quotes(fixed.text)
    return Repaired(restored, mojibake, count)


# --- the 'ā' damage -----------------------------------------------------------------------
# UTF-8 ’ “ ” – are E2 80 99 / 9C / 9D / 93. Read as ISO-8859-13, E2 is 'ā'; the other two
# bytes were dropped, so only context can tell which character each 'ā' was.

_DAMAGED = "ā"
# Letters of Latvian and Lithuanian (and macron vowels of Māori, pinyin...) other than ā:
# if any appear, the ā is probably real and the text is left alone.
_BALTIC_LETTERS = frozenset("ĀčČēĒģĢīĪķĶļĻņŅšŠūŪžŽąĄęĘėĖįĮųŲōŌ")
# Share of letters that may be non-ASCII (besides ā) for the text to count as English-like.
_MAX_NON_ASCII_LETTER_SHARE = 0.02
# Contraction and possessive endings: Russiaās, donāt, weāll, theyāre, weāve, Iām, Iād.
_APOSTROPHE_TAIL = re.compile(r"(?:s|t|d|ll|re|ve|m)(?![^\W\d_])")


def damage_repair_applies(text: str) -> bool:
    """True when 'ā' in ``text`` is the damage, not a real letter of a Baltic language."""
    if _DAMAGED not in text or any(ch in _BALTIC_LETTERS for ch in text):
        return False
    letters = [ch for ch in text if ch.isalpha() and ch != _DAMAGED]
    if not letters:
        return False
    non_ascii = sum(1 for ch in letters if not ch.isascii())
    return non_ascii / len(letters) <= _MAX_NON_ASCII_LETTER_SHARE


def restore_damaged_quotes(text: str) -> tuple[str, int]:
    """Replace each damaged 'ā' by ’ “ ” or – from its context; returns (text, replacements).

    An 'ā' that fits no rule (a real ā in "Māori") is left as it is.
    """
    if not damage_repair_applies(text):
        return text, 0
    out: list[str] = []
    count = 0
    open_double = False  # an opening “ is waiting for its ”: a word-final ā closes it
    for i, ch in enumerate(text):
        if ch != _DAMAGED:
            if ch == "“":
                open_double = True
            elif ch == "”":
                open_double = False
            if ch == "\n":
                open_double = False  # quotes do not run across paragraphs here
            out.append(ch)
            continue
        replacement = _replacement_for(text, i, open_double)
        if replacement is None:
            out.append(ch)
            continue
        if replacement == "“":
            open_double = True
        elif replacement == "”":
            open_double = False
        out.append(replacement)
        count += 1
    return "".join(out), count


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and ch != _DAMAGED


def _replacement_for(text: str, i: int, open_double: bool) -> str | None:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    word_before = _is_word_char(before)
    word_after = _is_word_char(after)
    if before.isalpha() and _APOSTROPHE_TAIL.match(text, i + 1):
        return "’"
    if word_before and word_after:
        if before.isdigit() and after.isdigit():
            return "–"  # 2010ā2012: a range
        if after.isupper() and _word_start(text, i - 1)[0].isupper():
            return "–"  # RussiaāNorth Korea: a compound of names
        return None
    if before.isspace() and after.isspace():
        return "–"  # a spaced dash: "dynamic ā involving"
    if word_after or (after in "‘'" and not before.strip()):
        if before == "" or before.isspace() or before in "([{—–-/\"'‘":
            return "“"
        return None
    if before and not before.isspace():
        # Word end (or after punctuation): closes a quote; without an open quote a
        # word-final ā after s is a plural possessive ("the countriesā leaders").
        if not open_double and before == "s" and after == " ":
            return "’"
        return "”"
    return None


def _word_start(text: str, end: int) -> str:
    """The word that ends at index ``end`` (inclusive)."""
    start = end
    while start > 0 and _is_word_char(text[start - 1]):
        start -= 1
    return text[start:end + 1]
