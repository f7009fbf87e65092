"""Hand-written news-style cases for crosscheck.quantities (pure Python, no models)."""

from __future__ import annotations

import pytest

from crosscheck.config import NumericSettings
from crosscheck.quantities import (compare_quantities, extract_quantities, specificity,
                                   written_apart)
from crosscheck.types import Quantity

ARTICLE_DATE = "2024-11-20"
SETTINGS = NumericSettings()


def only(text: str, article_date: str | None = ARTICLE_DATE, offset: int = 0) -> Quantity:
    """The single quantity of a sentence (fails if there is not exactly one)."""
    found = extract_quantities(text, offset, article_date)
    assert len(found) == 1, found
    assert text[found[0].start - offset:found[0].end - offset] == found[0].text
    return found[0]


def values(text: str, article_date: str | None = ARTICLE_DATE) -> list[float]:
    return [q.value for q in extract_quantities(text, 0, article_date)]


# --- plain numbers ---------------------------------------------------------------------------


def test_thousands_separator_and_counted_noun_skips_adjectives():
    q = only("Pyongyang has sent 13,000 North Korean troops to the front, officials said.")
    assert (q.value, q.kind, q.counted, q.qualifier, q.text) == (
        13000, "count", "troops", "exact", "13,000")


def test_spans_point_into_the_article_with_offset():
    sentence = "Officials counted 28,000 containers of weapons at the port."
    article = "Opening paragraph here. " + sentence
    offset = article.index(sentence)
    found = extract_quantities(sentence, offset, None)
    assert len(found) == 1
    q = found[0]
    assert article[q.start:q.end] == "28,000"
    assert q.counted == "containers"


def test_every_span_matches_its_text():
    sentence = ("Some 1,500 soldiers, $3.2 billion in aid, 40% of voters and 12 km of road were "
                "reported in March 2022 and again last June.")
    found = extract_quantities(sentence, 100, ARTICLE_DATE)
    assert len(found) == 6
    for q in found:
        assert sentence[q.start - 100:q.end - 100] == q.text


def test_european_grouping_when_unambiguous():
    assert only("Police said 13.000 protesters marched through the capital.").value == 13000


def test_european_style_multiple_groups():
    assert only("The ministry registered 1.250.000 voters.").value == 1_250_000


def test_dotted_number_is_decimal_when_sentence_uses_commas():
    assert values("The index rose 2.500 points while 1,200 firms reported.") == [2.5, 1200]


def test_plain_decimal():
    q = only("The currency fell 3.75 percent on Monday.")
    assert (q.value, q.kind, q.unit) == (3.75, "percent", "%")


@pytest.mark.parametrize("text, value", [
    ("The agency said 12 million people need food aid.", 12e6),
    ("The state spent 2.5bn on the scheme, officials said.", 2.5e9),
    ("The programme reached 500k households last winter.", 5e5),
    ("Investors pulled 1.2 trillion out of bonds.", 1.2e12),
    ("About 2.5m people have fled the region.", 2.5e6),
    ("Six thousand workers joined the strike on Tuesday.", 6000),
    ("Forty-two villages were flooded overnight.", 42),
    ("Rescuers pulled two hundred and fifty survivors from the rubble.", 250),
    ("A dozen ministers resigned from the cabinet.", 12),
    ("Two dozen ministers resigned from the cabinet.", 24),
    ("The governor signed nearly two-dozen executive orders.", 24),
    ("A half-dozen advisers left the campaign.", 6),
    ("A million refugees crossed the border.", 1e6),
    ("Half a million people have left the city.", 5e5),
])
def test_scale_words_and_spelled_numbers(text, value):
    assert only(text).value == pytest.approx(value)


def test_two_soldiers_is_counted():
    q = only("The army said two soldiers were wounded in the exchange.")
    assert (q.value, q.counted) == (2, "soldiers")


def test_hundreds_of_is_a_vague_approximate_lower_value():
    q = only("Hundreds of civilians sheltered in the metro station.")
    assert (q.qualifier, q.low, q.counted) == ("approximate", 200, "civilians")
    assert q.high == 1000


def test_a_few_dozen_is_vague_like_dozens():
    q = only("The bill passed by a few dozen votes.")
    assert (q.qualifier, q.low, q.high, q.counted) == ("approximate", 24, 120, "votes")


def test_tens_of_thousands_of():
    q = only("Tens of thousands of protesters filled the square.")
    assert (q.low, q.high, q.counted) == (20000, 100000, "protesters")


@pytest.mark.parametrize("text", [
    "Both leaders attended the second strategic dialogue in Seoul.",
    "It was the first visit by a foreign minister since the war.",
    "She is one of the few lawmakers who voted against the bill.",
    "No one was hurt in the blast, police said.",
    "The 21st summit opened amid tight security.",
    "The F-16 jets were grounded after the crash.",
    "The talks will resume at 10:30 on the coast.",
    "Under Resolution 2231 the embargo expired.",
    "The governor vetoed SB 1062 after a week of protests.",
    "The ship radioed for help over Channel 16 before dawn.",
])
def test_ordinals_pronouns_and_labels_are_not_quantities(text):
    assert extract_quantities(text, 0, ARTICLE_DATE) == ()


def test_one_counting_a_noun_is_kept():
    q = only("One soldier was killed near the border.")
    assert (q.value, q.counted) == (1, "soldier")


# --- percent, money, measures ----------------------------------------------------------------


@pytest.mark.parametrize("text, value, unit", [
    ("Turnout reached 62% in the capital.", 62, "%"),
    ("Prices rose 4.1 per cent in October.", 4.1, "%"),
    ("Support for the party fell 7 percent.", 7, "%"),
    ("The ruling party lost 3 percentage points.", 3, "pp"),
])
def test_percentages(text, value, unit):
    q = only(text, None)
    assert (q.kind, q.value, q.unit) == ("percent", value, unit)


def test_percent_counted_noun_after_of():
    assert only("About 40% of voters backed the measure.").counted == "voters"


@pytest.mark.parametrize("text, value, unit", [
    ("Washington pledged $2 billion in military aid.", 2e9, "USD"),
    ("The fine was €450 million, the commission said.", 4.5e8, "EUR"),
    ("The club paid £80m for the striker.", 8e7, "GBP"),
    ("Seoul set aside 1.2 trillion won for the plan.", 1.2e12, "KRW"),
    ("The rescue cost 300 euros per household.", 300, "EUR"),
    ("The company was valued at ¥5 trillion.", 5e12, "JPY"),
    ("Donors raised two billion dollars for reconstruction.", 2e9, "USD"),
])
def test_money(text, value, unit):
    q = only(text, None)
    assert (q.kind, q.value, q.unit) == ("money", pytest.approx(value), unit)


def test_money_span_includes_symbol_and_scale():
    q = only("The government approved a $3.5 billion package.")
    assert q.text == "$3.5 billion"
    assert q.counted == "package"


def test_calibre_in_millimetres_normalised_with_counted_noun():
    q = only("Russia received 152 millimeter shells from the north.")
    assert (q.kind, q.unit, q.value, q.counted) == ("measure", "m", pytest.approx(0.152), "shells")


@pytest.mark.parametrize("text, unit, value", [
    ("The convoy stopped 30 km from the border.", "m", 30000),
    ("The rockets have a range of 50 miles.", "m", 80467.2),
    ("Customs seized 3 tonnes of cocaine.", "kg", 3000),
    ("The fire destroyed 1,200 hectares of forest.", "m2", 1.2e7),
    ("He was sentenced to 12 years in prison.", "day", 4383),
    ("The storm brought winds of 120 km/h to the coast.", "km/h", 120),
    ("The new plant will produce 500 megawatts.", "W", 5e8),
    ("Smugglers carried 40 pounds of explosives.", "kg", 18.14369),
    ("Police said the suspect weighs about 180 pounds.", "kg", 81.64663),
])
def test_measures_in_canonical_units(text, unit, value):
    q = only(text, None)
    assert (q.kind, q.unit) == ("measure", unit)
    assert q.value == pytest.approx(value, rel=1e-4)


def test_pounds_beside_a_height_are_a_weight_and_alone_are_money():
    described = extract_quantities("He is 5-foot-8, 135 pounds, with a shaved head.")
    assert [(q.kind, q.unit) for q in described][-1] == ("measure", "kg")
    q = only("The court imposed a fine of 500 pounds.", None)
    assert (q.kind, q.unit, q.value) == ("money", "GBP", 500)


@pytest.mark.parametrize("text, written", [
    ("Deputies said the suspect is 5-foot-8 with a shaved head.", "5-foot-8"),
    ("Police described a 5 foot, 8 inch man in a dark jacket.", "5 foot, 8 inch"),
    ("The suspect is 5 feet 8 inches tall.", "5 feet 8 inches"),
])
def test_a_height_in_feet_and_inches_is_one_measure(text, written):
    q = only(text, None)
    assert (q.text, q.unit) == (written, "m")
    assert q.value == pytest.approx(1.7272)


def test_hyphenated_scale_word_scales_the_figure():
    q = only("The Red Sox would not match the Yankees' $140-million bid.", None)
    assert (q.kind, q.value, q.qualifier) == ("money", 140e6, "exact")


@pytest.mark.parametrize("text", [
    "Roads in the area were closed until about 1630 GMT on Saturday.",
    "Pirates attacked the merchant ship at about 1100 hrs IST.",
    "The quake, which struck at 1353 (1023 GMT), was felt across the Gulf.",
])
def test_time_of_day_is_not_a_count(text):
    assert extract_quantities(text, 0, None) == ()


def test_measure_adjective_is_not_the_counted_noun():
    assert only("The crater was 15.2 cm wide.").counted == ""


def test_attached_unit_and_hyphenated_unit():
    assert only("Troops fired 155mm artillery shells.").counted == "shells"
    q = only("Rebels seized a 25-kilometre stretch of highway.")
    assert (q.value, q.unit) == (25000, "m")


# --- years and dates -------------------------------------------------------------------------


def test_standalone_year():
    q = only("The peninsula was annexed in 2014.")
    assert (q.kind, q.value, q.text) == ("year", 2014, "2014")


def test_year_before_plural_noun_with_article_is_still_a_year():
    assert only("Observers criticised the 2019 elections.").kind == "year"


def test_year_shaped_count_with_separator_is_a_count():
    q = only("The unit lost 2,014 troops in the offensive.")
    assert (q.kind, q.value, q.counted) == ("count", 2014, "troops")


def test_year_shaped_number_counting_troops_is_a_count():
    assert only("Kyiv deployed 2000 troops to the city.").kind == "count"


@pytest.mark.parametrize("text, value, low, high", [
    ("The deal was signed on June 5, 2023, in Geneva.", 20230605, None, None),
    ("The deal was signed on 5 June 2023 in Geneva.", 20230605, None, None),
    ("The report was published on 2023-06-05.", 20230605, None, None),
    ("The blockade began in March 2022.", 20220300, 20220301, 20220331),
])
def test_absolute_dates(text, value, low, high):
    q = only(text, None)
    assert (q.kind, q.value, q.low, q.high) == ("date", value, low, high)


@pytest.mark.parametrize("text, kind, value", [
    ("The first shipment arrived last June.", "date", 20240600),
    ("The first shipment arrived in October last year.", "date", 20231000),
    ("Exports collapsed last year.", "year", 2023),
    ("Exports recovered earlier this year.", "year", 2024),
    ("The ceasefire collapsed last month.", "date", 20241000),
    ("The ceasefire was agreed on March 3.", "date", 20240303),
])
def test_relative_dates_resolved_against_article_date(text, kind, value):
    q = only(text)
    assert (q.kind, q.value) == (kind, value)


def test_last_month_name_after_that_month_stays_in_the_previous_year():
    assert only("The troops arrived last December.", "2024-03-10").value == 20231200


def test_relative_date_without_article_date_is_skipped():
    assert extract_quantities("The first shipment arrived last June.", 0, None) == ()
    assert extract_quantities("Exports collapsed last year.", 0, None) == ()
    assert extract_quantities("The ceasefire was agreed on March 3.", 0, None) == ()


def test_date_digits_are_not_counted_again():
    assert [q.kind for q in extract_quantities("On June 5, 2023, 40 tanks crossed.", 0, None)] \
        == ["date", "count"]


# --- ranges and qualifiers -------------------------------------------------------------------


@pytest.mark.parametrize("text, low, high", [
    ("Officials expect 10-12 ships to dock.", 10, 12),
    ("Officials expect 10 to 12 ships to dock.", 10, 12),
    ("Officials expect between 5 and 7 ships to dock.", 5, 7),
    ("The fund will need 10 to 12 million dollars.", 10e6, 12e6),
])
def test_ranges(text, low, high):
    q = only(text)
    assert (q.qualifier, q.low, q.high, q.value) == ("range", low, high, (low + high) / 2)


def test_a_suspended_hyphen_joins_a_range():
    # "a 40- to 60-hour course" was read as a count of 40 and a 60-hour measure
    q = only("Guards must take a 40- to 60-hour training course.")
    assert (q.text, q.qualifier, q.unit, q.counted) == ("40- to 60-hour", "range", "day",
                                                        "course")
    assert (q.low, q.high) == pytest.approx((40 / 24, 60 / 24))


def test_from_to_is_a_change_not_a_range():
    assert values("Unemployment rose from 5% to 7%.") == [5, 7]


def test_descending_pair_is_a_score_not_a_range():
    found = extract_quantities("The motion passed by a 52-48 vote.", 0, None)
    assert [(q.value, q.qualifier) for q in found] == [(52, "exact"), (48, "exact")]


def test_year_span_is_two_years():
    found = extract_quantities("The war lasted from 2014 to 2016.", 0, None)
    assert [(q.kind, q.value) for q in found] == [("year", 2014), ("year", 2016)]


@pytest.mark.parametrize("word", ["some", "about", "around", "nearly", "roughly",
                                  "approximately", "an estimated", "almost", "close to"])
def test_approximate_qualifiers(word):
    q = only(f"Officials said {word} 5,000 troops were deployed.")
    assert q.qualifier == "approximate"
    assert q.text == f"{word} 5,000"


@pytest.mark.parametrize("word", ["more than", "over", "at least", "upwards of"])
def test_lower_bound_qualifiers(word):
    q = only(f"Officials said {word} 5,000 troops were deployed.")
    assert (q.qualifier, q.low, q.high) == ("lower_bound", 5000, None)


@pytest.mark.parametrize("word", ["fewer than", "less than", "up to", "under", "at most"])
def test_upper_bound_qualifiers(word):
    q = only(f"Officials said {word} 5,000 troops were deployed.")
    assert (q.qualifier, q.low, q.high) == ("upper_bound", None, 5000)


@pytest.mark.parametrize("text", [
    "Moscow received an additional 6,000 troops this week.",
    "Moscow received another 6,000 troops this week.",
    "Moscow received 6,000 more troops this week.",
    "Moscow received a further 6,000 troops this week.",
    "Moscow received 6,000 extra troops this week.",
])
def test_additional_markers(text):
    q = only(text)
    assert q.additional and q.counted == "troops" and q.value == 6000


def test_some_additional_combines_approximate_and_additional():
    q = only("Pyongyang dispatched some additional 6,000 North Korean troops.")
    assert (q.qualifier, q.additional, q.counted) == ("approximate", True, "troops")


def test_more_than_is_not_additional():
    assert not only("More than 6,000 troops crossed.").additional


def test_rounds_of_shells():
    q = only("The north has shipped 12 million rounds of such shells.")
    assert (q.value, q.counted) == (12e6, "rounds")


def test_several_quantities_in_one_sentence():
    found = extract_quantities(
        "The north sent 13,000 troops and 28,000 containers of weapons in 2024.", 0, None)
    assert [(q.kind, q.value, q.counted) for q in found] == [
        ("count", 13000, "troops"), ("count", 28000, "containers"), ("year", 2024, "")]


# --- comparison ------------------------------------------------------------------------------


@pytest.mark.parametrize("a, b, direction", [
    # the twin 57s and 69s say nothing of how the claims relate; the bound against 70 does
    ("She scored more than 10, 57 and 69 marks.", "She scored 70, 57 and 69 marks.", -1),
    ("The dealer sold 12 trucks and 3 cars.", "The dealer sold 12 trucks and fewer than 8 cars.",
     1),
])
def test_a_consistent_check_shows_the_figure_one_claim_gives_more_specifically(a, b,
                                                                               direction):
    check = compare_quantities(tuple(extract_quantities(a, 0, None)),
                               tuple(extract_quantities(b, 0, None)), SETTINGS)
    assert check.status == "consistent"
    assert specificity(check.quantity_a, check.quantity_b) == direction


PAIRS = [
    # same count, same wording
    ("Pyongyang has sent 13,000 troops.", "Pyongyang has deployed 13,000 troops.", "consistent"),
    ("Pyongyang has sent 13,000 troops.", "Pyongyang has sent 11,000 troops.", "conflict"),
    ("About 12,000 soldiers were sent.", "Some 11,000 soldiers were sent.", "consistent"),
    ("About 13,000 soldiers were sent.", "Some 10,000 soldiers were sent.", "conflict"),
    ("Around 12,000 troops were sent.", "11,000 troops were sent.", "consistent"),
    # bounds and ranges
    ("More than 10,000 troops arrived.", "8,000 troops arrived.", "conflict"),
    ("More than 10,000 troops arrived.", "12,000 troops arrived.", "consistent"),
    ("Up to 500 drones were launched.", "600 drones were launched.", "conflict"),
    ("Up to 500 drones were launched.", "450 drones were launched.", "consistent"),
    ("At least 40 people died.", "Fewer than 30 people died.", "conflict"),
    ("Between 10 and 12 ships docked.", "11 ships docked.", "consistent"),
    ("Between 10 and 12 ships docked.", "15 ships docked.", "conflict"),
    ("Hundreds of people fled.", "Some 500 people fled.", "consistent"),
    ("Thousands of people fled.", "Some 500 people fled.", "conflict"),
    # additional vs total
    ("An additional 6,000 troops arrived.", "13,000 troops are now in Russia.", "none"),
    ("Another 6,000 troops arrived.", "An additional 6,000 troops arrived.", "consistent"),
    ("Another 6,000 troops arrived.", "A further 5,000 troops arrived.", "conflict"),
    # spelled out vs digits, scales
    ("Six thousand workers went on strike.", "6,000 workers went on strike.", "consistent"),
    ("Twelve million rounds were shipped.", "12 million rounds were shipped.", "consistent"),
    ("The north shipped 12 million rounds.", "The north shipped 1.2 million rounds.", "conflict"),
    ("The agency counted 2.5m refugees.", "The agency counted 2,500,000 refugees.", "consistent"),
    # money
    ("Washington pledged $2 billion.", "Washington pledged 2 billion dollars.", "consistent"),
    ("Washington pledged $2 billion.", "Washington pledged $2.5 billion.", "conflict"),
    ("Washington pledged $2 billion.", "Brussels pledged €2 billion.", "none"),
    ("The loan is worth £80m.", "The loan is worth 80 million pounds.", "consistent"),
    # percentages
    ("Turnout was 62%.", "Turnout was 62 per cent.", "consistent"),
    ("Turnout was 62%.", "Turnout was 58 percent.", "conflict"),
    ("Inflation fell 2 percentage points.", "Inflation fell 2%.", "none"),
    # measures across units
    ("Russia fired 152 millimeter shells.", "Russia fired 15.2 cm shells.", "consistent"),
    ("Russia fired 152mm shells.", "Russia fired 122mm shells.", "conflict"),
    ("The convoy was 30 km from the border.", "The convoy was 30 kilometres away.", "consistent"),
    # "160 km" is as precise as written (to the ten): it agrees with 100 miles (160.9 km)
    ("The missile flew 100 miles.", "The missile flew 160 km.", "consistent"),
    ("The missile flew 100 miles.", "The missile flew 175 km.", "conflict"),
    ("The missile flew about 100 miles.", "The missile flew 160 km.", "consistent"),
    ("Customs seized 3 tonnes of cocaine.", "Customs seized 3,000 kg of cocaine.", "consistent"),
    # different counted nouns are not comparable
    ("The north sent 13,000 troops.", "The north sent 28,000 containers.", "none"),
    ("He was jailed for 12 years.", "The north sent 12 tanks.", "none"),
    # years and dates
    ("The peninsula was annexed in 2014.", "The peninsula was annexed in 2014.", "consistent"),
    ("The peninsula was annexed in 2014.", "The peninsula was annexed in 2015.", "conflict"),
    ("Exports collapsed last year.", "Exports collapsed in 2023.", "consistent"),
    ("The deal was signed on June 5, 2023.", "The deal was signed on 5 June 2023.", "consistent"),
    ("The deal was signed on June 5, 2023.", "The deal was signed on June 6, 2023.", "conflict"),
    ("The deal was signed in June 2023.", "The deal was signed on June 5, 2023.", "consistent"),
    ("The shipment arrived last June.", "The shipment arrived in June 2024.", "consistent"),
    ("The shipment arrived in October last year.", "The shipment arrived in October 2024.",
     "conflict"),
    ("The shipment arrived in 2023.", "The shipment arrived in June 2023.", "none"),
    # several quantities: each pairs with its own counterpart
    ("The north sent 13,000 troops and 28,000 containers.",
     "The north sent 28,000 containers and 13,000 troops.", "consistent"),
    ("The north sent 13,000 troops and 28,000 containers.",
     "The north sent 13,000 troops and 20,000 containers.", "conflict"),
    ("The north sent 13,000 troops in 2024.", "The north sent 13,000 troops in 2023.", "conflict"),
    # no numbers at all
    ("The talks collapsed.", "The talks ended without a deal.", "none"),
]


@pytest.mark.parametrize("sentence_a, sentence_b, status", PAIRS)
def test_compare_pairs(sentence_a, sentence_b, status):
    a = extract_quantities(sentence_a, 0, ARTICLE_DATE)
    b = extract_quantities(sentence_b, 0, ARTICLE_DATE)
    check = compare_quantities(a, b, SETTINGS)
    assert check.status == status, check
    # The verdict must not depend on which side is a and which is b.
    assert compare_quantities(b, a, SETTINGS).status == status


def test_conflict_reports_the_pair_difference_and_reason():
    a = extract_quantities("Pyongyang has sent 13,000 troops.", 0, None)
    b = extract_quantities("Pyongyang has sent 11,000 troops.", 0, None)
    check = compare_quantities(a, b, SETTINGS)
    assert (check.quantity_a.value, check.quantity_b.value) == (13000, 11000)
    assert check.relative_difference == pytest.approx(2000 / 13000)
    assert check.reason == "13,000 troops vs 11,000 troops: 15% apart, beyond rounding"


def test_conflict_picks_the_most_severe_pair():
    a = extract_quantities("The north sent 13,000 troops and 28,000 containers.", 0, None)
    b = extract_quantities("The north sent 12,000 troops and 14,000 containers.", 0, None)
    check = compare_quantities(a, b, SETTINGS)
    assert check.status == "conflict"
    assert check.quantity_a.counted == "containers"
    assert check.relative_difference == pytest.approx(0.5)


def test_tolerances_come_from_settings():
    a = extract_quantities("Pyongyang has sent 13,000 troops.", 0, None)
    b = extract_quantities("Pyongyang has sent 12,000 troops.", 0, None)
    assert compare_quantities(a, b, SETTINGS).status == "conflict"
    loose = NumericSettings(exact_tolerance=0.1)
    assert compare_quantities(a, b, loose).status == "consistent"
    approx = extract_quantities("Pyongyang has sent about 13,000 troops.", 0, None)
    strict = NumericSettings(approximate_tolerance=0.05)
    check = compare_quantities(approx, b, strict)
    assert check.status == "conflict"
    assert "5% allowed for approximate figures" in check.reason


def test_consistent_pair_is_reported():
    a = extract_quantities("Turnout was 62%.", 0, None)
    b = extract_quantities("Turnout was 62 per cent.", 0, None)
    check = compare_quantities(a, b, SETTINGS)
    assert check.status == "consistent"
    assert check.quantity_a.value == check.quantity_b.value == 62
    assert check.relative_difference == 0


def test_nothing_comparable_is_none():
    check = compare_quantities((), (), SETTINGS)
    assert check.status == "none" and check.quantity_a is None


def test_news_numeric_fixture_set():
    """The project's news-style numeric pairs (tests/fixtures/numeric_pairs.tsv): ≥ 95 %
    of them get the expected status from the numeric check."""
    import csv
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "numeric_pairs.tsv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows) >= 60
    wrong = []
    for row in rows:
        check = compare_quantities(extract_quantities(row["first"]),
                                   extract_quantities(row["second"]), NumericSettings())
        if check.status != row["expected"]:
            wrong.append((row["first"], row["second"], row["expected"], check.status))
    assert len(wrong) / len(rows) <= 0.05, wrong


# Rounding and bounds as written (issue 11): a figure is as precise as its last written digit,
# and a bound includes its own edge the way outlets write it.
@pytest.mark.parametrize("a, b, expected", [
    ("The city has 1.2 million residents.", "The city has 1,234,000 residents.", "consistent"),
    ("The city has 1.2 million residents.", "The city has 1,290,000 residents.", "conflict"),
    ("Donors gave $250,000 to the campaign.", "Donors gave more than $250,000 to the campaign.",
     "consistent"),
    ("The state will spend $2 billion on roads.", "The state will spend $2.5 billion on roads.",
     "conflict"),
    ("Some 13,000 troops were sent.", "12,600 troops were sent.", "consistent"),
])
def test_rounding_and_bounds_as_written(a, b, expected):
    check = compare_quantities(extract_quantities(a, 0, None), extract_quantities(b, 0, None),
                               SETTINGS)
    assert check.status == expected, check


@pytest.mark.parametrize("text, figure", [
    ("Mr. Smith, 55, was arrested on Tuesday.", "55"),
    ("The 55-year-old senator resigned.", "55"),
    ("She filed case No. 10-277 with the court.", "10-277"),
    ("Voters backed Proposition 8 in California.", "8"),
    ("Police arrested 55 people on Tuesday.", None),
    ("Polls closed at 1300 GMT, after 55 people had voted.", "1300"),
    ("Polls closed at 8:00 p.m., after 55 people had voted.", "8"),
    ("He aimed a .38 caliber revolver at 55 people.", "38"),
    ("The island is home to 120, 000 people and 55 people fled.", "000"),
    ("He was shot in the 12000 block of East 223rd Street; 55 people saw it.", "12000"),
    ("They marched to 1600 Pennsylvania Avenue, and 55 people were arrested.", "1600"),
])
def test_ages_dockets_and_names_are_not_figures(text, figure):
    from crosscheck.quantities import is_figure

    figures = [q.text for q in extract_quantities(text, 0, None) if is_figure(text, q)]
    if figure is None:
        assert figures == ["55"]
    else:
        assert not any(figure in f for f in figures), figures


@pytest.mark.parametrize("a, b", [
    # a rate is not a total
    ("The club offered a deal worth $200 million.",
     "The club offered a deal worth roughly $22 million per season."),
    # a part beside others is not the whole
    ("Sailors seized nine rifles from the boat.", "Sailors seized seven AK-47s and two other rifles."),
    # the same counted noun in two roles: two amounts
    ("The autopsy showed he was hit by seven bullets.", "His revolver was loaded with four bullets."),
    # two navies: "it" is the one that said it
    ("The Harbour Navy said on Saturday it had captured 23 smugglers near the quay.",
     "The Fjord Navy had captured eight smugglers near the quay in November."),
    # an order of magnitude apart: a total across ships and one ship's crew
    ("The smugglers still hold 14 ships and more than 300 crew members near the harbour.",
     "Sixteen crew members were aboard the ship the smugglers hold near the harbour."),
    # a total and its parts
    ("A gunman shot three people, killing one, at the harbour office.",
     "A gunman shot one person to death and injured two others at the harbour office."),
])
def test_figures_of_different_things_in_a_story_are_not_compared(a, b):
    from crosscheck.align import compare_figures, shape_claims
    from crosscheck.claims import make_claim
    from crosscheck.models import load_parser
    from crosscheck.config import Settings
    from crosscheck.types import Article

    def claim(text, name):
        article = Article(name, "s", name, "", "x.txt", text, ((0, len(text)),))
        return make_claim(article, text, 0, 0, 0)

    ca, cb = claim(a, "a"), claim(b, "b")
    shapes = shape_claims([ca, cb], load_parser(Settings().align.parser_model))
    check = compare_figures(ca, cb, shapes[ca.id], shapes[cb.id], SETTINGS)
    assert check.status != "conflict", check


@pytest.mark.parametrize("text, figure", [
    ("In 2012, 300 people were killed.", "300"),
    ("By March 5, 300 people had fled.", "300"),
    ("Of the 12, 7 were rescued.", "7"),
])
def test_a_figure_after_a_year_date_or_number_and_a_comma_is_kept(text, figure):
    from crosscheck.quantities import is_figure

    assert figure in [q.text for q in extract_quantities(text, 0, None) if is_figure(text, q)]


@pytest.mark.parametrize("a, b, apart", [
    ("The storm killed at least three people.", "The storm killed at least 10 people.", True),
    ("The storm killed at least 10 people.", "The storm killed 10 people.", False),
    ("Some 2.44 million people voted.", "About 2.5 million people voted.", False),
    ("The storm killed three people.", "The storm killed 10 people.", False),  # a conflict
])
def test_figures_that_agree_only_through_a_bound_are_written_apart(a, b, apart):
    settings = NumericSettings()
    check = compare_quantities(extract_quantities(a), extract_quantities(b), settings)
    assert check.status == ("conflict" if "killed three" in a else "consistent")
    assert written_apart(check, settings) is apart


@pytest.mark.parametrize("a, b, other", [
    ("The fire was knocked down by 6:40 a.m.",
     "It took about three hours to knock the fire down, the chief said.", True),
    ("The fire was knocked down by 6:40 a.m. after burning for three hours.",
     "It took about three hours to knock the fire down, the chief said.", False),
    ("The fire was knocked down by 6:40 a.m.",
     "Crews knocked the fire down by 6:40 a.m., the chief said.", False),
    # an age is no duration
    ("The woman was hit in the crosswalk around 7 p.m., police said.",
     "The driver hit a 66-year-old woman in the crosswalk.", False),
])
def test_a_time_of_day_and_a_duration_are_two_measures_of_one_event(a, b, other):
    from crosscheck.claims import make_claim
    from crosscheck.quantities import other_figures
    from crosscheck.types import Article, NumericCheck

    def claim(text, name):
        return make_claim(Article(name, "s", name, "", "x.txt", text, ((0, len(text)),)), text,
                          0, 0, 0)

    first, second = claim(a, "a"), claim(b, "b")
    settings = NumericSettings()
    assert other_figures(first, second, NumericCheck("none"), settings) is other
    assert other_figures(second, first, NumericCheck("none"), settings) is other
