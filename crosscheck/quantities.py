"""Find the numbers in a claim and compare the numbers of two claims about the same fact.

Extraction is rule based (regular expressions and word lists, no model): each quantity gets a
normalised ``value``, a ``kind`` (count, money, percent, measure, year, date), a canonical
``unit``, the noun it counts, and how the wording bounds it (``qualifier``/``low``/``high``).

Value encodings:

* count, percent: the plain number (``12 million`` → 12000000.0, ``5.5%`` → 5.5).
* money: the amount in the named currency (``$2 billion`` → 2e9, unit ``USD``); currencies are
  never converted into each other.
* measure: the amount in the family's canonical unit — length ``m``, mass ``kg``, area ``m2``,
  volume ``l``, duration ``day``, speed ``km/h``, power ``W`` — so ``152 millimeter`` and
  ``15.2 cm`` both become 0.152 m.
* year: the year itself (``in 2014`` → 2014.0; ``last year`` with an article date of 2024-05-02
  → 2023.0).
* date: the sortable number YYYYMMDD (``June 5, 2023`` → 20230605.0). A date known only to the
  month uses day 00 (``June 2023`` → 20230600.0) with ``low``/``high`` set to its first and last
  day (20230601.0, 20230630.0), so it agrees with any day inside that month. Relative dates
  ("last June", "October last year", "last month") are resolved against the article date and
  skipped when there is none.

Comparison works on the interval each quantity allows (a point, a range, or a half-open bound)
and measures the relative difference ``|a-b| / max(|a|,|b|)`` between the closest points of
the two intervals. Years and dates allow no tolerance: any gap is a conflict.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
import math
import re
from dataclasses import dataclass, replace
from datetime import date

from text_to_num import text2num

from crosscheck.config import NumericSettings
from crosscheck.types import Claim, NumericCheck, Quantity

# ---------------------------------------------------------------------------------------------
# Word lists

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
# Capitalised only: "may" and "march" are also verbs.
_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|"
             r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")

_CURRENCY_SYMBOLS = {"US$": "USD", "C$": "CAD", "A$": "AUD", "HK$": "HKD", "$": "USD",
                     "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW", "₹": "INR", "₽": "RUB",
                     "USD": "USD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "KRW": "KRW"}
_CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
                   "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "yen": "JPY",
                   "won": "KRW", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR",
                   "rupees": "INR", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB",
                   "rubles": "RUB", "hryvnia": "UAH", "hryvnias": "UAH", "franc": "CHF",
                   "francs": "CHF", "usd": "USD", "eur": "EUR", "gbp": "GBP"}

_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "k": 1e3, "mn": 1e6, "bn": 1e9, "tn": 1e12, "m": 1e6, "b": 1e9}
# "5m" is five metres unless money is involved ("$5m"); same for a bare "b".
_MONEY_ONLY_SCALES = {"m", "b"}

# unit word → (canonical unit, factor to canonical)
_UNITS: dict[str, tuple[str, float]] = {}
for _names, _canon, _factor in [
    ("mm millimetre millimetres millimeter millimeters", "m", 0.001),
    ("cm centimetre centimetres centimeter centimeters", "m", 0.01),
    ("m metre metres meter meters", "m", 1.0),
    ("km kilometre kilometres kilometer kilometers", "m", 1000.0),
    ("mile miles", "m", 1609.344), ("ft foot feet", "m", 0.3048),
    ("inch inches", "m", 0.0254), ("yard yards", "m", 0.9144),
    ("nautical_mile nautical_miles", "m", 1852.0),
    ("g gram grams gramme grammes", "kg", 0.001), ("kg kilogram kilograms kilo kilos", "kg", 1.0),
    ("t tonne tonnes ton tons metric_ton metric_tons", "kg", 1000.0),
    ("lb lbs", "kg", 0.45359237),  # "pounds" alone is money; see _weight_in_pounds
    ("sq_km square_kilometres square_kilometers km2 km²", "m2", 1e6),
    ("sq_m square_metres square_meters m2 m²", "m2", 1.0),
    ("hectare hectares ha", "m2", 1e4), ("acre acres", "m2", 4046.8564224),
    ("sq_miles square_miles square_mile", "m2", 2589988.110336),
    ("litre litres liter liters l", "l", 1.0), ("ml millilitre millilitres", "l", 0.001),
    ("minute minutes", "day", 1 / 1440), ("hour hours", "day", 1 / 24),
    ("day days", "day", 1.0), ("week weeks", "day", 7.0), ("month months", "day", 30.4375),
    ("year years", "day", 365.25), ("decade decades", "day", 3652.5),
    ("km/h kph kmh", "km/h", 1.0), ("mph", "km/h", 1.609344),
    ("w watt watts", "W", 1.0), ("kw kilowatt kilowatts", "W", 1e3),
    ("mw megawatt megawatts", "W", 1e6), ("gw gigawatt gigawatts", "W", 1e9),
]:
    for _name in _names.split():
        _UNITS[_name.replace("_", " ")] = (_canon, _factor)
# Longest first so "km/h" wins over "km" and "nautical miles" over "miles".
# One-letter units are case-sensitive: "4G" is not four grams.
_UNIT_RE = re.compile(r"(?:\s?-\s?|\s)?(" + "|".join(
    (re.escape(u).replace(r"\ ", r"\s+") if len(u) > 1 else f"(?-i:{u})")
    for u in sorted(_UNITS, key=len, reverse=True)) + r")(?![\w/²])", re.I)
_PERCENT_RE = re.compile(r"\s?(%|per\s?cent\b|percent\b|pct\b|percentage\s+points?\b)", re.I)

_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                 "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty "
                 "sixty seventy eighty ninety hundred thousand million billion trillion").split()
_WORD_NUMBER_RE = re.compile(
    r"\b(?:(?:a|an)\s+(?=(?:dozen|hundred|thousand|million|billion|trillion)\b))?"
    r"(?:%s|dozen)(?:(?:\s+and\s+|\s+|-)(?:%s|dozen))*\b" % ("|".join(_NUMBER_WORDS),
                                                             "|".join(_NUMBER_WORDS)), re.I)
# "hundreds of", "tens of thousands of": vague plurals → (lowest value, exclusive top)
_VAGUE_RE = re.compile(r"\b(tens|hundreds|thousands|millions|billions|dozens)"
                       r"(?:\s+of\s+(thousands|millions|billions))?(?=\s+of\b)", re.I)
_VAGUE_BASE = {"dozens": 12, "tens": 10, "hundreds": 100, "thousands": 1000,
               "millions": 1e6, "billions": 1e9}
_DIGITS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d{1,3}(?:\.\d{3})+(?![\d,])"
                        r"|\d+(?:\.\d+)?")

# Read right to left in the words just before a number.
_QUALIFIER_PREFIXES = [
    (r"an\s+estimated|estimated|approximately|roughly|around|about|nearly|almost|some"
     r"|close\s+to|as\s+many\s+as|an?\s+approximate", "approximate"),
    (r"more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|no\s+fewer\s+than"
     r"|no\s+less\s+than|just\s+over|above|exceeding", "lower_bound"),
    (r"fewer\s+than|less\s+than|up\s+to|under|at\s+most|no\s+more\s+than|just\s+under|below",
     "upper_bound"),
    (r"an\s+additional|additional|another|a\s+further|further|an\s+extra|extra", "additional"),
]
_PREFIX_RES = [(re.compile(r"(?:^|(?<=\W))(?:" + p + r")\s+$", re.I), q)
               for p, q in _QUALIFIER_PREFIXES]
_SUFFIX_QUALIFIERS = [(re.compile(r"\s+or\s+more\b|\s?-?\s?plus\b|\+", re.I), "lower_bound"),
                      (re.compile(r"\s+or\s+so\b", re.I), "approximate"),
                      (re.compile(r"\s+or\s+(?:fewer|less)\b", re.I), "upper_bound")]
# "two other rifles" is a part beside the rest, like "500 more"
_ADDITIONAL_AFTER = {"more", "additional", "extra", "further", "new", "other"}

# Words that end the noun phrase after a number (the counted noun comes before them).
_STOP_WORDS = set("""of in on at to from by for with without into onto over under about
    against between among across through during after before since until per than as and or
    but nor so yet if that which who whom whose what where when while because although
    the a an this these those his her its their our your my some any each every all no not
    is are was were be been being has have had do does did will would shall should can could
    may might must said says say told reported according also still only just already
    last next this ago earlier later""".split())
# After a measure these describe the measure, they are not what is measured ("15 km away").
_MEASURE_ADJECTIVES = set("""wide long high tall deep thick away old across apart ahead
    north south east west northeast northwest southeast southwest""".split())
_IRREGULAR_PLURALS = {"people": "person", "men": "man", "women": "woman", "children": "child",
                      "police": "police", "personnel": "personnel", "staff": "staff",
                      "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose",
                      "aircraft": "aircraft", "sheep": "sheep", "cattle": "cattle",
                      "fish": "fish", "deer": "deer", "civilians": "civilian"}
# Words that make the digits a label, not a quantity ("Resolution 2231", "Flight 17").
_LABEL_WORDS = set("""no no. number article section resolution chapter paragraph flight route
    channel amendment proposition prop park precinct ward district interstate pier terminal
    page item grade level phase stage version room highway platform gate case""".split())
# An acronym just before the digits names something ("SB 1062", "AK 47"); a currency or a
# country does not ("US 30" is too rare to tell).
_ACRONYM = re.compile(r"(?!(?:US|UK|EU|UN|USD|EUR|GBP|JPY|CAD|AUD)$)[A-Z]{2,4}")
# Before a four-digit number these make it a year even if a plural noun follows.
_YEAR_CUES = set("""in since by from until till through during of before after early late
    mid the year fiscal summer winter spring autumn fall between and to""".split())
# After four digits, a time of day ("1630 GMT", "1100 hrs IST", "at 1353 (1023 GMT)", "1353
# local time") rather than a count.
_TIME_ZONE = r"(?:GMT|UTC|IST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST)\b"
_CLOCK_AFTER = re.compile(r"\s?(?:hrs\b|h\b|(?:hours\s+)?" + _TIME_ZONE + r"|local\s+time\b|"
                          r"\(\d{4}\s?" + _TIME_ZONE + r")")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


@dataclass
class _Number:
    """A number found in the text before its context (unit, noun, qualifier) is read."""

    start: int
    end: int
    value: float
    currency: str = ""
    plain_digits: bool = False  # digits only, no separator, decimal, scale or currency
    scale: float = 1.0  # the scale word written after it ("million" → 1e6)
    vague_high: float | None = None  # "hundreds of" → 1000


# ---------------------------------------------------------------------------------------------
# Extraction


def extract_quantities(text: str, offset: int = 0,
                       article_date: str | None = None) -> tuple[Quantity, ...]:
    """All quantities in one sentence `text`. `offset` is added to every start/end so spans point
    into the article text (the sentence starts at `offset` in the article). article_date is ISO
    'YYYY-MM-DD' or None, used to resolve relative dates ("last June", "last year")."""
    today = _parse_iso(article_date)
    found, taken = _extract_dates(text, today)
    numbers = [n for n in _find_numbers(text) if not _overlaps(n.start, n.end, taken)]
    index = 0
    while index < len(numbers):
        first = numbers[index]
        second = numbers[index + 1] if index + 1 < len(numbers) else None
        if _is_range(text, first, second):
            found.append(_build_quantity(text, first, second))
            index += 2
        else:
            found.append(_build_quantity(text, first, None))
            index += 1
            inches = second and _inches_after(text, found[-1], second)
            if inches:  # "5-foot-8", "6 feet 2 inches": one height
                found[-1] = _with_inches(text, found[-1], second.value, inches)
                index += 1
    found.sort(key=lambda q: q.start)
    return tuple(_shift(q, offset) for q in found)


_FEET = re.compile(r"(?:ft|foot|feet)$", re.I)
_INCHES = re.compile(r"-(?=\d{1,2}\b(?!\s*(?:-\s*)?(?:ft|foot|feet)\b))|[\s,]+(?=\d{1,2}\s*-?\s*"
                     r"inch(?:es)?\b)")


def _inches_after(text: str, feet: Quantity, number: _Number) -> int:
    """The end of the inches that follow a height in feet ("5-foot-8", "5 foot, 8 inch", "6
    feet 2 inches"), or 0."""
    if feet.unit != "m" or not _FEET.search(feet.text) or number.value >= 12:
        return 0
    gap = _INCHES.match(text, feet.end)
    if not gap or gap.end() != number.start:
        return 0
    unit = re.match(r"\s*-?\s*inch(?:es)?\b", text[number.end:])
    return number.end + (unit.end() if unit else 0)


def _with_inches(text: str, feet: Quantity, inches: float, end: int) -> Quantity:
    extra = inches * 0.0254
    return replace(feet, text=text[feet.start:end], end=end, value=feet.value + extra,
                   low=None if feet.low is None else feet.low + extra,
                   high=None if feet.high is None else feet.high + extra)


def _parse_iso(article_date: str | None) -> date | None:
    if not article_date:
        return None
    try:
        return date.fromisoformat(article_date[:10])
    except ValueError:
        return None


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _shift(q: Quantity, offset: int) -> Quantity:
    if not offset:
        return q
    return Quantity(q.text, q.start + offset, q.end + offset, q.value, q.kind, q.unit, q.counted,
                    q.qualifier, q.low, q.high, q.additional)


# --- dates -----------------------------------------------------------------------------------

_FULL_DATE_RES = [
    re.compile(r"\b(?P<month>%s)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b"
               % _MONTH_RE),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>%s),?\s+"
               r"(?P<year>\d{4})\b" % _MONTH_RE),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
]
_DAY_MONTH_RES = [
    re.compile(r"\b(?P<month>%s)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?![,.]?\d)" % _MONTH_RE),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>%s)(?!\w)" % _MONTH_RE),
]
_MONTH_YEAR_RE = re.compile(r"\b(?P<month>%s)\s+(?:of\s+)?(?P<year>\d{4})\b" % _MONTH_RE)
_MONTH_RELATIVE_YEAR_RE = re.compile(
    r"\b(?P<month>%s)\s+(?:of\s+)?(?P<rel>last|this|next)\s+year\b" % _MONTH_RE)
_RELATIVE_MONTH_RE = re.compile(r"\b(?P<rel>last|this|next)\s+(?P<month>%s|month)(?!\w)"
                                % _MONTH_RE)
_RELATIVE_YEAR_RE = re.compile(r"\b(?P<rel>last|this|next)\s+year\b", re.I)


def _extract_dates(text: str, today: date | None) -> tuple[list[Quantity], list[tuple[int, int]]]:
    """Full dates, month-year dates, relative dates and relative years, longest first; and the
    spans of every date-like phrase, so its digits are not read again as counts."""
    found: list[Quantity] = []

    def add(m: re.Match, kind: str, value: float, low: float | None = None,
            high: float | None = None) -> None:
        if not _overlaps(m.start(), m.end(), [(q.start, q.end) for q in found]):
            found.append(Quantity(m.group(0), m.start(), m.end(), value, kind,
                                  low=low, high=high))

    for pattern in _FULL_DATE_RES:
        for m in pattern.finditer(text):
            month = _month_number(m.group("month"))
            day, year = int(m.group("day")), int(m.group("year"))
            if month and 1900 <= year <= 2100 and 1 <= day <= calendar.monthrange(year, month)[1]:
                add(m, "date", float(year * 10000 + month * 100 + day))
    for m in _MONTH_YEAR_RE.finditer(text):
        year = int(m.group("year"))
        if 1900 <= year <= 2100:
            add(m, "date", *_month_value(year, _month_number(m.group("month"))))
    if today is not None:
        for m in _MONTH_RELATIVE_YEAR_RE.finditer(text):
            year = today.year + {"last": -1, "this": 0, "next": 1}[m.group("rel")]
            add(m, "date", *_month_value(year, _month_number(m.group("month"))))
        for m in _RELATIVE_MONTH_RE.finditer(text):
            year, month = _resolve_relative_month(m.group("rel"), m.group("month"), today)
            add(m, "date", *_month_value(year, month))
        for m in _RELATIVE_YEAR_RE.finditer(text):
            year = today.year + {"last": -1, "this": 0, "next": 1}[m.group("rel").lower()]
            add(m, "year", float(year))
    taken = [(q.start, q.end) for q in found]
    for pattern in _DAY_MONTH_RES:
        for m in pattern.finditer(text):
            if _overlaps(m.start(), m.end(), taken):
                continue
            taken.append((m.start(), m.end()))
            month, day = _month_number(m.group("month")), int(m.group("day"))
            # Without a year the article's year is the best guess; without that, no date.
            if today is not None and month and 1 <= day <= calendar.monthrange(today.year,
                                                                               month)[1]:
                found.append(Quantity(m.group(0), m.start(), m.end(),
                                      float(today.year * 10000 + month * 100 + day), "date"))
    return found, taken


def _month_number(name: str) -> int:
    if name.isdigit():
        return int(name) if 1 <= int(name) <= 12 else 0
    return _MONTHS.get(name.rstrip(".").lower(), 0)


def _month_value(year: int, month: int) -> tuple[float, float, float]:
    """(value, low, high) of a date known to the month: day 00, bounds first and last day."""
    base = year * 10000 + month * 100
    return float(base), float(base + 1), float(base + calendar.monthrange(year, month)[1])


def _resolve_relative_month(rel: str, month_word: str, today: date) -> tuple[int, int]:
    if month_word == "month":
        shift = {"last": -1, "this": 0, "next": 1}[rel]
        total = today.year * 12 + today.month - 1 + shift
        return total // 12, total % 12 + 1
    month = _month_number(month_word)
    # "last June" is the most recent June before the article's month; "next June" the first
    # one after it; "this June" the June of the article's year.
    if rel == "last":
        return (today.year if month < today.month else today.year - 1), month
    if rel == "next":
        return (today.year if month > today.month else today.year + 1), month
    return today.year, month


# --- numbers ---------------------------------------------------------------------------------


def _find_numbers(text: str) -> list[_Number]:
    numbers = _find_vague_numbers(text)
    taken = [(n.start, n.end) for n in numbers]
    for m in _WORD_NUMBER_RE.finditer(text):
        if not _overlaps(m.start(), m.end(), taken):
            number = _word_number(text, m)
            if number is not None:
                numbers.append(number)
                taken.append((number.start, number.end))
    european = _uses_european_grouping(text)
    for m in _DIGITS_RE.finditer(text):
        if not _overlaps(m.start(), m.end(), taken):
            number = _digit_number(text, m, european)
            if number is not None:
                numbers.append(number)
    numbers.sort(key=lambda n: n.start)
    return numbers


def _find_vague_numbers(text: str) -> list[_Number]:
    numbers = []
    for m in _VAGUE_RE.finditer(text):
        # "hundreds of" is at least 200 and less than 1,000; "tens of thousands" 20,000-100,000.
        base = _VAGUE_BASE[m.group(1).lower()]
        if m.group(2):
            base *= _VAGUE_BASE[m.group(2).lower()]
        numbers.append(_Number(m.start(), m.end(), 2.0 * base, vague_high=10.0 * base))
    return numbers


def _word_number(text: str, m: re.Match) -> _Number | None:
    words = m.group(0)
    after = text[m.end():]
    if re.search(r"\d[\s-]?$", text[:m.start()]):
        return None  # the scale of "12 million" or "$140-million", read with the digits
    # Ordinals and fractions written with a hyphen: "twenty-first", "two-thirds".
    if re.match(r"-?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|th\b|thirds?"
                r"|quarters?|halves)", after, re.I):
        return None
    lowered = re.sub(r"^an?\s+", "one ", words.lower())
    if lowered in ("one", "a", "an") and not _one_counts(text, m):
        return None
    if "dozen" in lowered:
        # "two dozen", "two-dozen": 24; "a dozen and five": the dozen, as "five and six" below
        first = lowered.split(" and ")[0]
        head = first.replace("dozen", "").strip(" -")
        multiple = _text2num(head) if head else 1.0
        value = 12.0 * multiple if multiple is not None and "dozen" in first else None
        if value is not None and first != lowered:
            return _Number(m.start(), m.start() + len(first), value)
    else:
        value = _text2num(lowered)
        if value is None and " and " in lowered:
            # "five and six" is two numbers; keep the first.
            first = lowered.split(" and ")[0]
            value = _text2num(first)
            if value is None:
                return None
            return _Number(m.start(), m.start() + len(first), value)
    if value is None:
        return None
    if lowered == "dozen":
        before = text[:m.start()]
        half = re.search(r"\b(?:an?\s+)?half[\s-]?$", before, re.I)
        if half:
            return _Number(half.start(), m.end(), 6.0)  # "a half-dozen"
        few = re.search(r"\b(?:an?\s+)?(?:few|several)\s+$", before, re.I)
        if few:
            return _Number(few.start(), m.end(), 24.0, vague_high=120.0)  # as "dozens"
    half = re.search(r"\bhalf\s+$", text[:m.start()], re.I)
    if half and lowered.startswith("one "):
        return _Number(half.start(), m.end(), value / 2)  # "half a million"
    return _Number(m.start(), m.end(), value)


def _text2num(words: str) -> float | None:
    try:
        return float(text2num(words, "en"))
    except ValueError:
        return None


def _one_counts(text: str, m: re.Match) -> bool:
    """Whether a lone "one" counts something rather than standing for a person or thing."""
    before = text[:m.start()].split()
    previous = before[-1].lower() if before else ""
    if previous in ("no", "the", "this", "that", "any", "each", "every", "which", "someone",
                    "anyone", "no-one", "only", "little", "big", "new", "last", "first"):
        return False
    following = _WORD_RE.match(text[m.end():].lstrip(" -"))
    if not following or text[m.end():m.end() + 1] not in (" ", "-"):
        return False
    word = following.group(0).lower()
    return word not in _STOP_WORDS and word not in ("another", "day", "way", "thing", "time")


def _uses_european_grouping(text: str) -> bool:
    """Dots group thousands only if the sentence uses no comma groups and no decimal point."""
    if re.search(r"\d,\d{3}(?!\d)", text):
        return False
    return not any(not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", m.group(0))
                   for m in re.finditer(r"\d+\.\d+", text))


def _digit_number(text: str, m: re.Match, european: bool) -> _Number | None:
    start, end, digits = m.start(), m.end(), m.group(0)
    before = text[max(0, start - 2):start]
    # Part of a name or code ("F-16", "MH17", "#3"), a time ("10:30") or a fraction ("1/2").
    if (re.search(r"[A-Za-z#]$|[A-Za-z]-$|[:/]$", before)
            and not re.search(r"\b(?:ft|foot|feet)-$", text[:start], re.I)) \
            or re.match(r"[:/]\d", text[end:]):
        return None  # not the inches of "5-foot-8"
    previous = text[:start].split()[-1] if text[:start].split() else ""
    acronym = bool(_ACRONYM.fullmatch(previous)) \
        and not re.fullmatch(r"(?:19|20)\d\d", digits)  # "the NFL 2010 season" is a year
    if previous.lower() in _LABEL_WORDS or acronym:
        return None  # "Flight 17", "Channel 16"; "SB 1062", "AK 47"
    if re.fullmatch(r"(?:[01]\d|2[0-3])[0-5]\d", digits) and _CLOCK_AFTER.match(text, end):
        return None  # a time of day: "about 1630 GMT", "1100 hrs IST"
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits) and not re.fullmatch(r"\d+\.\d{3}", digits):
        value = float(digits.replace(".", ""))  # "1.234.567" can only be grouping
    elif re.fullmatch(r"\d{1,3}\.\d{3}", digits) and european and not _PERCENT_RE.match(
            text[end:]) and not re.match(r"\s?(?:million|billion|trillion|bn|mn)\b",
                                         text[end:], re.I):
        value = float(digits.replace(".", ""))
    else:
        value = float(digits.replace(",", ""))
    currency = ""
    symbol = re.search(r"(US\$|C\$|A\$|HK\$|[$€£¥₩₹₽]|\b(?:USD|EUR|GBP|JPY|KRW)\s?)$",
                       text[:start])
    if symbol:
        currency = _CURRENCY_SYMBOLS[symbol.group(1).strip()]
        start = symbol.start()
    plain = not currency and digits.isdigit()
    multiplier = 1.0
    scale = re.match(r"\s?(hundred|thousand|million|billion|trillion|bn|mn|tn|k|m|b)(?![\w²/])"
                     r"|-(hundred|thousand|million|billion|trillion)\b", text[end:], re.I)
    word = scale and (scale.group(1) or scale.group(2)).lower()
    if scale and (word not in _MONEY_ONLY_SCALES or currency
                  or _plural_follows(text, end + scale.end())):
        # A bare "k" must be attached ("500k"); "500 k" is too rare to trust.
        if not (word == "k" and scale.group(0).startswith(" ")):
            multiplier = _SCALES[word]
            value *= multiplier
            end += scale.end()
            plain = False
    if end < len(text) and text[end].isalpha() and not _UNIT_RE.match(text, end):
        return None  # "19th", "1990s", "3D"
    return _Number(start, end, value, currency, plain, multiplier)


def _plural_follows(text: str, position: int) -> bool:
    """Whether the next word is a plural noun ("2.5m people": million, not metres)."""
    m = re.match(r"\s+([a-z]+)\b", text[position:])
    return bool(m) and _looks_plural(m.group(1))


def _is_range(text: str, first: _Number, second: _Number | None) -> bool:
    """Whether `first` and `second` form one range ("10-12", "10 to 12", "between 5 and 7")."""
    if second is None or first.vague_high or second.vague_high:
        return False
    if first.value >= second.value:
        return False  # "a 52-48 vote" is a score, not a range
    if _is_year_like(first) and _is_year_like(second):
        return False  # "2014-2016", "between 2014 and 2016": two years
    gap, before = text[first.end:second.start], text[:first.start]
    if re.fullmatch(r"\s*[-–—]\s*", gap):
        return True
    if re.fullmatch(r"[-–]\s+to\s+", gap, re.I):
        return True  # "a 40- to 60-hour course"
    if re.fullmatch(r"\s+to\s+", gap, re.I):
        # "rose from 10 to 12" is a change, not a range
        return not re.search(r"\bfrom\s+(?:\w+\s+){0,2}$", before, re.I)
    return bool(re.fullmatch(r"\s+and\s+", gap, re.I)
                and re.search(r"\bbetween\s+(?:\w+\s+){0,2}$", before, re.I))


def _is_year_like(n: _Number) -> bool:
    return n.plain_digits and 1900 <= n.value <= 2100 and n.end - n.start == 4


def _build_quantity(text: str, first: _Number, second: _Number | None) -> Quantity:
    """The quantity of one number (or a range of two) read with its surrounding words."""
    start = first.start
    end = second.end if second else first.end
    value, low, high = first.value, None, None
    currency = first.currency or (second.currency if second else "")
    qualifier = "exact"
    if second is not None:
        low, high = first.value, second.value
        # "10 to 12 million": the scale written on the second number applies to both.
        if first.scale == 1.0 and second.scale > 1.0 and low * second.scale <= high:
            low *= second.scale
        low, high = min(low, high), max(low, high)
        value, qualifier = (low + high) / 2, "range"
    elif first.vague_high:
        qualifier, low, high = "approximate", first.value, first.vague_high

    after = text[end:]
    kind, unit = "count", ""
    percent = _PERCENT_RE.match(after)
    unit_match = _UNIT_RE.match(after)
    money_word = re.match(r"\s?(?:US\s+)?([A-Za-z]+)\b", after)
    if currency:
        kind, unit = "money", currency
    elif percent:
        kind = "percent"
        unit = "pp" if percent.group(1).lower().startswith("percentage") else "%"
        end += percent.end()
    elif re.match(r"\s+pounds?\b", after, re.I) and _weight_in_pounds(text, start, after):
        kind, unit = "measure", "kg"
        factor = _UNITS["lb"][1]
        value, low, high = _scale_all(factor, value, low, high)
        end += re.match(r"\s+pounds?", after, re.I).end()
    elif money_word and money_word.group(1).lower() in _CURRENCY_WORDS:
        kind, unit = "money", _CURRENCY_WORDS[money_word.group(1).lower()]
        end += money_word.end()
    elif unit_match:
        name = re.sub(r"\s+", " ", unit_match.group(1).lower())
        if name in _UNITS:
            kind, unit = "measure", _UNITS[name][0]
            value, low, high = _scale_all(_UNITS[name][1], value, low, high)
            end += unit_match.end()

    prefix_start, prefix_qualifier, additional = _read_prefix(text, start)
    if prefix_qualifier and qualifier == "exact":
        qualifier = prefix_qualifier
    start = prefix_start
    for pattern, suffix_qualifier in _SUFFIX_QUALIFIERS:
        m = pattern.match(text, end)
        if m and qualifier == "exact":
            qualifier = suffix_qualifier
            end = m.end()
            break
    if qualifier == "lower_bound":
        low = value
    elif qualifier == "upper_bound":
        high = value

    counted, more_after = _counted_noun(text, end, kind)
    additional = additional or more_after
    if kind == "count" and second is None and _is_year_like(first) and qualifier == "exact" \
            and not additional:
        previous = text[:first.start].split()
        cue = previous[-1].lower().rstrip(",") if previous else ""
        if not _looks_plural(counted) or cue in _YEAR_CUES:
            return Quantity(text[first.start:first.end], first.start, first.end, value, "year")
    return Quantity(text[start:end], start, end, value, kind, unit, counted, qualifier,
                    low, high, additional)


def _weight_in_pounds(text: str, start: int, after: str) -> bool:
    """Whether "pounds" after a number is a weight, not money: "3,690 pounds of marijuana",
    "weighing 180 pounds", a description beside a height ("5-foot-8, 135 pounds")."""
    return bool(re.match(r"\s+pounds?\s+of\b", after, re.I)
                or re.search(r"\bweigh\w*\s+(?:\w+\s+){0,2}$", text[:start], re.I)
                or re.search(r"\b(?:foot|feet|inch|inches|tall)\b|\d-?ft\b", text, re.I))


def _scale_all(factor: float, *values: float | None) -> tuple[float | None, ...]:
    return tuple(v * factor if v is not None else None for v in values)


def _read_prefix(text: str, start: int) -> tuple[int, str, bool]:
    """Qualifier words just before a number, read right to left ("some additional 6,000")."""
    qualifier, additional = "", False
    changed = True
    while changed:
        changed = False
        for pattern, kind in _PREFIX_RES:
            m = pattern.search(text, 0, start)
            if m:
                if kind == "additional":
                    additional = True
                elif not qualifier:
                    qualifier = kind
                start, changed = m.start(), True
                break
    return start, qualifier, additional


def _counted_noun(text: str, end: int, kind: str) -> tuple[str, bool]:
    """The noun the number counts, and whether "more"/"additional" follows the number."""
    words: list[str] = []
    additional = False
    position = end
    after_of = False
    while len(words) < 5:
        # Only spaces may separate the words; punctuation or a digit ends the phrase.
        m = re.match(r"[ \t]*-?([A-Za-z][A-Za-z'’\-]*)", text[position:])
        if not m:
            break
        word = m.group(1)
        lower = word.lower()
        position += m.end()
        if not words and lower == "worth" and kind == "money":
            continue  # "$10,977 worth of televisions": what is counted comes after "of"
        if not words and lower in _ADDITIONAL_AFTER and not re.match(r"\s+than\b",
                                                                      text[position:]):
            additional = additional or lower != "new"
            continue
        if lower == "of" and not words and kind in ("percent", "count", "money") \
                and not after_of:
            # "40% of voters", "hundreds of troops": the noun after "of" is what is counted.
            after_of = True
            the = re.match(r"\s+(?:the|its|their|all)\b", text[position:], re.I)
            if the:
                position += the.end()
            continue
        if lower in _STOP_WORDS or lower in _MONTHS or (
                kind == "measure" and lower in _MEASURE_ADJECTIVES):
            break
        if words and (lower.endswith("ed") or lower.endswith("ing")) and \
                not _looks_plural(lower):
            break  # "one soldier killed": a verb ends the noun phrase
        words.append(lower)
        if _looks_plural(lower):
            return lower, additional
    return (words[-1] if words else ""), additional


def _looks_plural(word: str) -> bool:
    if word in _IRREGULAR_PLURALS:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))


# ---------------------------------------------------------------------------------------------
# Comparison


_CONTEXT_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_CONTEXT_WINDOW = 5
_NOT_CONTEXT = _STOP_WORDS | set(_NUMBER_WORDS) | set(_SCALES) | set(_CURRENCY_WORDS) | {
    "about", "some", "more", "than", "nearly", "almost", "around", "roughly", "least",
    "percent", "per", "cent", "its", "was", "were", "also", "new"}


def quantity_context(text: str, q: Quantity, offset: int = 0) -> frozenset[str]:
    """Content words near a quantity (five words either side, in lower case): what the figure
    is about ("cut … from Medicare", "jobs package"), to tell two figures of one sentence
    apart."""
    start, end = q.start - offset, q.end - offset
    before = _CONTEXT_WORD.findall(text[:start])[-_CONTEXT_WINDOW:]
    after = _CONTEXT_WORD.findall(text[end:])[:_CONTEXT_WINDOW]
    return frozenset(w.lower() for w in before + after
                     if len(w) > 2 and w.lower() not in _NOT_CONTEXT)


def compare_quantities(a: tuple[Quantity, ...], b: tuple[Quantity, ...],
                       settings: NumericSettings,
                       contexts: tuple[Sequence[frozenset[str]],
                                       Sequence[frozenset[str]]] | None = None,
                       strict_bounds: bool = False) -> NumericCheck:
    """Align quantities of two claims already known to be about the same fact and compare them.
    status 'conflict' if some aligned pair disagrees beyond tolerance (pick the most severe one:
    fill quantity_a/quantity_b, relative_difference, and a plain-English reason like
    "13,000 troops vs 11,000 troops: 15% apart, beyond the 0% allowed for exact figures"),
    'consistent' if aligned pairs exist and all agree, 'none' if nothing is comparable.

    ``contexts`` (words near each quantity, see :func:`quantity_context`), for claims from a
    story: two figures are then aligned only when they count the same noun or share a context
    word, and only when each is the other's single best counterpart, so that two different
    amounts of one story (a demand and a total, a ticket and a budget) are never compared.

    ``strict_bounds``: read a strict bound as logic does ("more than 2" excludes 2), as NLI
    data such as EQUATE labels it. Off for news: an outlet's "more than $250,000" and another's
    "$250,000" report the same figure, rounded to a bound's edge."""
    candidates = []
    for i, qa in enumerate(a):
        for j, qb in enumerate(b):
            match = _match_strength(qa, qb)
            if match and contexts is not None:
                match = _in_context(qa, qb, contexts[0][i], contexts[1][j], match)
            if match:
                candidates.append((-match, _closest_difference(qa, qb), i, j))
    twin_of = _twins(a, b) if contexts is not None else {}
    if contexts is not None:
        candidates = _unambiguous(_beside_twins(twin_of, candidates))
    # Each quantity pairs with its best counterpart: same counted noun first, then closest.
    candidates.sort()
    used_a, used_b, pairs = set(), set(), []
    for _, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((a[i], b[j]))
    if not pairs:
        return NumericCheck("none", reason="no comparable quantities")
    worst: tuple[float, Quantity, Quantity, float, str] | None = None
    for qa, qb in pairs:
        difference = _closest_difference(qa, qb)
        if qa.kind in ("year", "date"):
            if difference > 0:
                what = "years" if qa.kind == "year" else "dates"
                reason = f"{_describe(qa)} vs {_describe(qb)}: different {what}"
                candidate = (1.0, qa, qb, difference, reason)
                worst = candidate if worst is None or candidate[0] > worst[0] else worst
            continue
        approximate = "approximate" in (qa.qualifier, qb.qualifier)
        allowed = settings.approximate_tolerance if approximate else settings.exact_tolerance
        # A figure is only as precise as written: "1.2 million" allows 1,150,000-1,250,000, so
        # it agrees with "1,234,000"; "13,000" may be rounded to the thousand.
        # A gap of half a unit in the last written digit or more is beyond rounding.
        rounding = max(_rounding(qa), _rounding(qb))
        gap = _closest_gap(qa, qb)
        if gap > 0 and gap >= rounding * (1 - 1e-9) and difference > allowed + 1e-9:
            because = (f"beyond the {_percent(allowed)} allowed for approximate figures"
                       if approximate else "beyond rounding")
            reason = f"{_describe(qa)} vs {_describe(qb)}: {_percent(difference)} apart, {because}"
            candidate = (difference - allowed, qa, qb, difference, reason)
        elif strict_bounds and not approximate and (_excluded_by_bound(qa, qb)
                                                    or _excluded_by_bound(qb, qa)):
            reason = (f"{_describe(qa)} vs {_describe(qb)}: the bound excludes the other "
                      f"figure")
            candidate = (1e-6, qa, qb, difference, reason)
        else:
            continue
        if worst is None or candidate[0] > worst[0]:
            worst = candidate
    if worst is not None:
        _, qa, qb, difference, reason = worst
        beside = next((a[i].text for i in twin_of if a[i] is not qa), "")
        if beside:
            reason += f"; beside {beside}, which both give alike"
        return NumericCheck("conflict", qa, qb, difference, reason, beside=beside)
    # The pair that says most about how the claims relate: one figure more specific than its
    # counterpart ("more than 10, 57, 69" / "70, 57, 69": the bound, not the twin 57s).
    directed = [(x, y) for x, y in pairs if specificity(x, y)]
    qa, qb = directed[0] if len({specificity(x, y) for x, y in directed}) == 1 else pairs[0]
    agreed = ", ".join(f"{_describe(x)} vs {_describe(y)}" for x, y in pairs)
    return NumericCheck("consistent", qa, qb, _closest_difference(qa, qb),
                        f"{agreed}: within tolerance")


MAX_TRAILING_ZEROS_ROUNDING = 0.05
_WRITTEN_DIGITS = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def _rounding(q: Quantity) -> float:
    """Half a unit in the last significant written digit, in the quantity's own units:
    "1.2 million" → 50,000; "13,000" → 500 (trailing zeros are read as rounding); 0 for
    spelled numbers, dates and years."""
    match = _WRITTEN_DIGITS.search(q.text)
    if match is None or not q.value or q.kind in ("year", "date"):
        return 0.0
    digits = match.group(0).replace(",", "")
    try:
        written = float(digits)
    except ValueError:
        return 0.0
    if not written:
        return 0.0
    decimals = len(match.group(1) or "")
    scale = q.value / written  # units and "million" multiply the written figure
    if decimals:
        return abs(0.5 * 10.0 ** -decimals * scale)
    whole = digits.split(".")[0]
    zeros = len(whole) - len(whole.rstrip("0"))
    if not zeros:
        return abs(0.5 * scale)
    # Trailing zeros may be rounding ("13,000" for 12,600) but not by more than 5%: a writer
    # who puts "10,000" does not mean 5,000-15,000.
    return min(abs(0.5 * 10.0 ** zeros * scale), MAX_TRAILING_ZEROS_ROUNDING * abs(q.value))


# Bounds that exclude their own value: "more than 2" does not allow 2; "at least 2" does.
_STRICT_BOUND = re.compile(r"\b(more|greater|fewer|less)\s+than\b|\b(over|under|above|below|"
                           r"exceeding)\b", re.I)


def _excluded_by_bound(bound: Quantity, other: Quantity) -> bool:
    """``bound`` is a strict bound ("more than 2") and ``other`` an exact figure at its edge."""
    if bound.qualifier not in ("lower_bound", "upper_bound") or other.qualifier != "exact":
        return False
    if not _STRICT_BOUND.search(bound.text):
        return False
    return math.isclose(bound.value, other.value, rel_tol=1e-9)


_AGE_BEFORE = re.compile(r"\b(?:aged?|age\s+of|ages)\s+$", re.I)
# "Smith, 55," — an age after a name, between commas.
_AGE_APPOSITION = re.compile(r"[A-Z][a-z]+,\s*$")
_DOCKET = re.compile(r"\b(?:No\.|Nos\.|docket|case|bill|H\.R\.|S\.)\s*$", re.I)
# A capitalised word right before the digits makes them part of a name ("Proposition 8",
# "Apollo 11", "Title 9"), unless it starts the sentence or is a qualifier word.
_NAME_BEFORE = re.compile(r"(?<=[a-z,;:] )(?:[A-Z][a-z]+\s)+$")
# An address, not an amount: "the 12000 block of East 223rd Street", "1600 Pennsylvania Avenue".
_ADDRESS_AFTER = re.compile(
    r"\s+block\b|(?:\s+[A-Z][a-z]+){1,3}\s+(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard"
    r"|Blvd\.|Drive|Lane|Court|Place)(?!\w)")


def _an_age(text: str, q: Quantity, offset: int = 0) -> bool:
    """The quantity is someone's age: "a 66-year-old woman", "aged 16"."""
    start, end = q.start - offset, q.end - offset
    return bool(re.search(r"[-\s]year[-\s]?old\b", q.text + text[end:end + 6], re.I)
                or _AGE_BEFORE.search(text[:start]))


def is_figure(text: str, q: Quantity, offset: int = 0) -> bool:
    """Whether a quantity is a figure to compare across outlets, not an age, a docket or bill
    number, a time of day, a street address, or a number inside a name. ``offset``: where
    ``text`` starts in the article."""
    start, end = q.start - offset, q.end - offset
    before, after = text[:start], text[end:]
    if _an_age(text, q, offset):
        return False
    if re.match(r"[-/]\d", after) or re.search(r"\d[-/]$", before):
        return False  # a docket or case number: "10-277"
    if re.match(r":\d\d", after) or re.search(r"\d:$", before) or (
            re.fullmatch(r"[0-2]\d[0-5]\d", q.text)
            and re.match(r"\s*(?:GMT|UTC|Z\b|hours|hrs|local)", after)):
        return False  # a time of day: "8:00 am", "0300 GMT"
    broken = re.search(r"(?<![\d\w])(?:(?P<month>[A-Z][a-z]+\.?) )?\d{1,3}(?P<mark>[,.]) $", before)
    if broken and not broken.group("month") and (
            (broken.group("mark") == "," and re.fullmatch(r"\d{3}", q.text))
            or (broken.group("mark") == "." and re.fullmatch(r"\d", q.text))):
        return False  # the tail of a number broken by spacing: "120, 000", "6. 0 quake";
        # not "In 2012, 300 people", "By March 5, 300 people" or "Of the 12, 7 were"
    if re.match(r"\s*-?\s*(?:caliber|calibre)\b", after, re.I):
        return False  # a model, not an amount: ".38 caliber"
    if _ADDRESS_AFTER.match(after):
        return False  # "the 12000 block of East 223rd Street": where, not how many
    if q.kind == "count":
        if _AGE_APPOSITION.search(before) and re.match(r"\s*,", after) and q.value < 120:
            return False
        if _DOCKET.search(before):
            return False
        if _NAME_BEFORE.search(before) and not q.counted:
            return False
    return True


def specificity(qa: Quantity, qb: Quantity) -> int:
    """+1 if ``qa`` allows strictly fewer values than ``qb`` (qa is more specific, so qa can
    entail qb), -1 if the reverse, 0 if equally specific."""
    low_a, high_a = _interval(qa)
    low_b, high_b = _interval(qb)
    width_a, width_b = high_a - low_a, high_b - low_b
    if math.isclose(width_a, width_b) or (math.isinf(width_a) and math.isinf(width_b)):
        return 0
    return 1 if width_a < width_b else -1


def _in_context(qa: Quantity, qb: Quantity, context_a: frozenset[str],
                context_b: frozenset[str], match: int) -> int:
    """The match strength, kept only when the two figures are about the same thing: the same
    counted noun or shared context words, and in either case the same role ("@verb" markers
    in the contexts: a demand is not a cost; "hit by seven bullets" is not "loaded with four
    bullets") and the same scope (a "total" is not a part, a rate "per" season not a sum)."""
    roles_a = {w for w in context_a if w.startswith("@")}
    roles_b = {w for w in context_b if w.startswith("@")}
    if roles_a and roles_b and not roles_a & roles_b:
        return 0  # "hit by seven bullets" / "loaded with four bullets": two amounts
    if ("total" in context_a) != ("total" in context_b):
        return 0
    if ("per" in context_a) != ("per" in context_b):
        return 0  # "$22 million per season" is a rate, "$200 million" a total
    context_a, context_b = context_a - roles_a, context_b - roles_b
    shared = min(9, len(context_a & context_b))
    if tenfold_apart(qa, qb):
        return 0
    if match == 2:
        return 20 + shared
    if not shared:
        return 0
    return 10 + shared


# The digits of a written figure: "5,300" of "$5,300", "1.6" of "$1.6 billion".
_FIGURE_DIGITS = re.compile(r"\d[\d,.]*\d|\d")


def written_in(q: Quantity, text: str) -> bool:
    """Whether ``text`` (in lower case) writes the figure ``q``: the digits of "$5,300"
    ("5,300", not inside "15,300" or "5,300.5"), or the words of "three weeks"."""
    digits = _FIGURE_DIGITS.search(q.text)
    written = digits.group() if digits else q.text.lower()
    return re.search(rf"(?<![\w.,]){re.escape(written)}(?!\w|[.,]\d)", text) is not None


def tenfold_apart(qa: Quantity, qb: Quantity) -> bool:
    """An order of magnitude apart: two different amounts, even of one noun ("more than 300
    crew held" on 14 ships / "sixteen crew aboard"; "six arrests" / "47 arrests"; "rescued two
    merchant vessels" / "attacked as many as 100 merchant vessels"). Percentages excepted."""
    low, high = sorted((abs(qa.value), abs(qb.value)))
    return bool(low) and high / low >= 10 and qa.kind != "percent"


# A time of day: "6:40 a.m.", "7 p. m.", "11pm", "noon".
_TIME_OF_DAY = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s?(?:[ap]\.\s?m\.?|[ap]m\b)|\b(?:noon|midnight)\b", re.I)


def _time_against_duration(a: Claim, b: Claim) -> bool:
    """``a`` gives a time of day and no duration, ``b`` a duration and no time of day."""
    def lasts(claim: Claim) -> bool:  # a duration, not an age ("a 66-year-old woman")
        return any(q.kind == "measure" and q.unit == "day"
                   and not _an_age(claim.text, q, claim.start) for q in claim.quantities)

    return bool(_TIME_OF_DAY.search(a.text)) and not lasts(a) and lasts(b) \
        and not _TIME_OF_DAY.search(b.text)


def written_apart(check: NumericCheck, settings: NumericSettings) -> bool:
    """Figures that agree only through a bound: "at least three people" and "at least 10
    people" killed may both be true, yet they are two counts (two stages of the news), not one
    figure told two ways. True when the compared figures' written values are further apart
    than ``numeric.approximate_tolerance``."""
    qa, qb = check.quantity_a, check.quantity_b
    if check.status != "consistent" or qa is None or qb is None or qa.kind in ("year", "date"):
        return False
    largest = max(abs(qa.value), abs(qb.value))
    return bool(largest) and abs(qa.value - qb.value) / largest > settings.approximate_tolerance


def other_figures(a: Claim, b: Claim, check: NumericCheck, settings: NumericSettings) -> bool:
    """Whether two claims of one fact give it different figures, in conflict or only through a
    bound (:func:`written_apart`), or one a time of day and the other a duration ("knocked down
    by 6:40 a.m." / "took about three hours to knock the fire down"): then they tell two
    stages or two measures of the event, not one fact told two ways. ``check``: the pair's own
    comparison; where it compared nothing, the figures that count a noun both claims count are
    compared by that noun alone ("killing 10 people" / "killing at least three people"; not
    "LaSalle, 36," against "a 66-year-old")."""
    if _time_against_duration(a, b) or _time_against_duration(b, a):
        return True
    if check.status == "none":
        both = ({_stem(q.counted) for q in a.quantities}
                & {_stem(q.counted) for q in b.quantities}) - {""}
        check = compare_quantities(tuple(q for q in a.quantities if _stem(q.counted) in both),
                                   tuple(q for q in b.quantities if _stem(q.counted) in both),
                                   settings)
    return check.status == "conflict" or written_apart(check, settings)


def _twins(a: Sequence[Quantity], b: Sequence[Quantity]) -> dict[int, int]:
    """Figures the two claims give word for word, as index pairs (i in ``a`` → j in ``b``): the
    single figure of the other claim with the same kind, unit and value that could count the
    same thing (see :func:`_match_strength`), and the only one of its own claim."""
    twins = [(i, j) for i, qa in enumerate(a) for j, qb in enumerate(b)
             if qa.value == qb.value and _match_strength(qa, qb)]
    firsts = [i for i, _ in twins]
    seconds = [j for _, j in twins]
    return {i: j for i, j in twins if firsts.count(i) == 1 and seconds.count(j) == 1}


def _beside_twins(twin_of: dict[int, int], candidates: list[tuple]) -> list[tuple]:
    """Candidate matches (-strength, difference, i, j) without those that would take a figure
    away from its twin (:func:`_twins`): "Trump and Huckabee at 17 percent (Romney leads at 26
    percent)" / "Romney leads with 21 percent, followed by Trump and Huckabee at 17 percent":
    the two 17s are one figure, so 26 can only be the 21."""
    taken = set(twin_of.values())
    return [c for c in candidates
            if (c[2] in twin_of and twin_of[c[2]] == c[3])
            or (c[2] not in twin_of and c[3] not in taken)]


def _unambiguous(candidates: list[tuple]) -> list[tuple]:
    """Candidate matches (-strength, difference, i, j) where i's best strength is reached only
    by j and j's only by i."""
    best_i: dict[int, list] = {}
    best_j: dict[int, list] = {}
    for c in candidates:
        best_i.setdefault(c[2], []).append(c)
        best_j.setdefault(c[3], []).append(c)
    keep = []
    for c in candidates:
        top_i = min(x[0] for x in best_i[c[2]])
        top_j = min(x[0] for x in best_j[c[3]])
        if c[0] == top_i == top_j and sum(x[0] == top_i for x in best_i[c[2]]) == 1 \
                and sum(x[0] == top_j for x in best_j[c[3]]) == 1:
            keep.append(c)
    return keep


def _match_strength(qa: Quantity, qb: Quantity) -> int:
    """0 if the two cannot be about the same number; 2 for the same counted noun, else 1."""
    if qa.kind != qb.kind or qa.unit != qb.unit or qa.additional != qb.additional:
        return 0
    if qa.kind in ("year", "date"):
        return 1
    stem_a, stem_b = _stem(qa.counted), _stem(qb.counted)
    if stem_a == stem_b:
        return 2 if stem_a else 1
    if qa.kind in ("money", "percent", "measure") and not (stem_a and stem_b):
        return 1
    return 0


def _stem(noun: str) -> str:
    noun = noun.lower()
    if noun in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[noun]
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "xes", "sses")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith(("ss", "us", "is")):
        return noun[:-1]
    return noun


def _interval(q: Quantity) -> tuple[float, float]:
    low = q.low if q.low is not None else (-math.inf if q.qualifier == "upper_bound" else q.value)
    high = q.high if q.high is not None else (math.inf if q.qualifier == "lower_bound"
                                              else q.value)
    if q.qualifier == "upper_bound" and q.low is None:
        low = min(0.0, q.value)
    return low, high


def _closest_points(qa: Quantity, qb: Quantity) -> tuple[float, float] | None:
    """The closest values the two quantities allow, one each; None if their intervals overlap."""
    low_a, high_a = _interval(qa)
    low_b, high_b = _interval(qb)
    if high_a < low_b:
        return high_a, low_b
    if high_b < low_a:
        return low_a, high_b
    return None


def _closest_gap(qa: Quantity, qb: Quantity) -> float:
    """Absolute gap between the closest values the two quantities allow (0 if they overlap)."""
    points = _closest_points(qa, qb)
    return abs(points[0] - points[1]) if points else 0.0


def _closest_difference(qa: Quantity, qb: Quantity) -> float:
    """Relative difference between the closest values the two quantities allow (0 if they
    overlap)."""
    points = _closest_points(qa, qb)
    if points is None:
        return 0.0
    largest = max(abs(points[0]), abs(points[1]))
    return abs(points[0] - points[1]) / largest if largest else 0.0


def _describe(q: Quantity) -> str:
    if q.counted and q.counted.lower() not in q.text.lower():
        return f"{q.text} {q.counted}"
    return q.text


def _percent(fraction: float) -> str:
    share = fraction * 100
    if share and share < 1:
        return f"{share:.1f}%"
    return f"{share:.0f}%"
