import pytest

from crosscheck.claims import extract_claims, is_claim, split_attribution, split_sentences
from crosscheck.config import ClaimSettings

from conftest import make_article


def test_sentences_keep_document_offsets():
    article = make_article([
        "Mr. Kim met the U.S. envoy on Sunday in Seoul. Both sides said the talks went well.",
        "The ministry said 3,000 troops had been moved to the border region last week."])
    claims = extract_claims(article, ClaimSettings())
    assert [c.sentence for c in claims] == [0, 1, 2]
    assert [c.paragraph for c in claims] == [0, 0, 1]
    for claim in claims:
        assert article.text[claim.start:claim.end] == claim.text
    assert claims[0].text == "Mr. Kim met the U.S. envoy on Sunday in Seoul."


def test_quantity_spans_point_into_the_article():
    article = make_article(["Opening paragraph about the border talks in the capital city.",
                            "The ministry said 3,000 troops had been moved to the border region."])
    claim = extract_claims(article, ClaimSettings())[1]
    (quantity,) = claim.quantities
    assert article.text[quantity.start:quantity.end] == quantity.text == "3,000"
    assert quantity.counted == "troops"


@pytest.mark.parametrize("sentence, expected", [
    ("Will the talks resume before the summer break?", False),
    ("Read more.", False),
    ("Click here to subscribe to our daily newsletter for updates.", False),
    ("By Jane Doe and Sam Roe, Staff Reporters of the paper", False),
    ("The ministry moved 3,000 troops to the border.", True),
    # real sentences that the boilerplate and byline patterns used to drop (issue 11)
    ("By the end of the week, 300 people had left the flooded valley.", True),
    ("The court ruled that the copyright on the harbour song had expired years ago.", True),
    ("Readers who sign up for alerts were told of the evacuation within minutes.", True),
    # what those patterns are for
    ("By Jane Doe and John Roe", False),
    ("Reporting by Jane Doe; Editing by Mark Roe", False),
    ("Copyright 2024 Harbour News. All rights reserved.", False),
    ("Click here to subscribe to our newsletter today.", False),
    ("UPDATED: THURSDAY, MARCH 14, 2024, 9:31 AM and more words to pass the length", False),
    ("Updated figures show that 300 people had left the flooded valley by Friday.", True),
    ("Posted: 05/02/24, 9:00 PM PDT and more words to pass the length of it", False),
    # a time stamp without a label
    ("06/06/13 07:05 PM ET EDT", False),
    ("UPDATED 3:09 AM EST Dec 19, 2008", False),
    ("The council will vote on the new quay on May 5 at 10:30 a.m. in the town hall.", True),
    # a label in front of a real sentence
    ("Updated: The harbour master on Sunday tried to clarify his comment on the quay.", True),
    # a statement that ends on someone's quoted question is a statement; a quoted question
    # alone, or one with a short tag, is a question
    ("Fishermen are crying foul over the plan, with one captain asking, “Who will pay for "
     "the new quay?”", True),
    ("\"Who will pay for the new quay?\"", False),
    ("He asked, \"Who will pay for the quay?\"", False),
])
def test_non_claims_are_dropped(sentence, expected):
    assert is_claim(sentence, ClaimSettings()) is expected


@pytest.mark.parametrize("sentence, content, source", [
    ("South Korea's spy agency said the North has sent 13,000 troops to Russia.",
     "the North has sent 13,000 troops to Russia.", "South Korea's spy agency"),
    ("According to the KCNA, the leaders discussed trade and energy.",
     "the leaders discussed trade and energy.", "the KCNA"),
    ("The leaders discussed trade and energy, according to state media.",
     "The leaders discussed trade and energy", "state media"),
    ("“The bridge will reopen in May,” the mayor told reporters.",
     "The bridge will reopen in May", "the mayor"),
    ("“The bridge will reopen in May,” said Anna Berg, the city engineer.",
     "The bridge will reopen in May", "Anna Berg, the city engineer"),
    ("The bridge will reopen in May, the city engineer said on Friday.",
     "The bridge will reopen in May", "the city engineer"),
    ("The bridge will reopen in May.", "The bridge will reopen in May.", ""),
    ("It said the bridge would reopen in May.", "It said the bridge would reopen in May.", ""),
    # a name, an appositive or relative clause between commas, then the verb
    ("Mr. Weber, the chief engineer, said the spillway had been inspected in March.",
     "the spillway had been inspected in March.", "Mr. Weber"),
    ("Anna Berg, who has run the harbour for a decade, told reporters the quay would close.",
     "the quay would close.", "Anna Berg"),
    ("On Friday, Sen. Anna Berg, R-Maine, said that the quay would close for a month.",
     "On Friday, the quay would close for a month.", "Sen. Anna Berg"),
    # a lawmaker's party and state belong to the name, before a second appositive too
    ("Sen. Anna Berg, D-Maine, the ranking member of the panel, said the quay would close.",
     "the quay would close.", "Sen. Anna Berg"),
    ("Rep. Per Dahl, R-N.Y., who chairs the harbour caucus, said Monday that the quay would close.",
     "the quay would close.", "Rep. Per Dahl"),
    ("Harbour Today reports that the quay will close for a month.",
     "the quay will close for a month.", "Harbour Today"),
    ("The mayor today said that the quay would close for a month.",
     "the quay would close for a month.", "The mayor"),
    ("The mayor told The Harbour Herald that the quay would close for a month.",
     "the quay would close for a month.", "The mayor"),
    ("Anna Berg, the harbour master, said on “Harbour Radio” that the quay would close.",
     "the quay would close.", "Anna Berg"),
    ("The mayor said in a statement that the quay would close for a month.",
     "the quay would close for a month.", "The mayor"),
    # the source is the last phrase before the verb, without "has" or a trailing "later"
    ("A fire damaged the harbour church in Vik, Norway, and may have been set, investigators say.",
     "A fire damaged the harbour church in Vik, Norway, and may have been set", "investigators"),
    ("The ferry has left the harbour and is moving to Vik, Harbour Radio has confirmed.",
     "The ferry has left the harbour and is moving to Vik", "Harbour Radio"),
    ("But the coast guard later said that the wreck was a fishing boat from Vik.",
     "the wreck was a fishing boat from Vik.", "the coast guard"),
    # a pronoun at the end (resolved to a recent speaker by extract_claims)
    ("The quay will stay closed until the storm has passed, he said.",
     "The quay will stay closed until the storm has passed", "he"),
    # after a lead-in clause the source may be in lower case
    ("In an interview on Monday, the harbour master said that he had misread the tide tables.",
     "In an interview on Monday, he had misread the tide tables.", "the harbour master"),
    ("Later, officials said the fire on the quay had been contained by noon.",
     "Later, the fire on the quay had been contained by noon.", "officials"),
    ("By Friday, navy sources said the ferry had been towed back into the harbour.",
     "By Friday, the ferry had been towed back into the harbour.", "navy sources"),
    # the source between commas inside the sentence
    ("The real problem, he said, is the silt that builds up in the harbour mouth.",
     "The real problem is the silt that builds up in the harbour mouth.", "he"),
    ("Sailors boarded the trawler, the coast guard said, and the crew surrendered peacefully.",
     "Sailors boarded the trawler and the crew surrendered peacefully.", "the coast guard"),
    ("The harbour reopened, Anna Berg told Harbour Radio, and the first ferry left at noon.",
     "The harbour reopened and the first ferry left at noon.", "Anna Berg"),
    # a sentence that names its source first keeps it
    ("The mayor said the quay would reopen in May; most ships would return, pilots say, but "
     "not the ferries.",
     "the quay would reopen in May; most ships would return, pilots say, but not the ferries.",
     "The mayor"),
    ("The skipper said nothing after the crew surrounded him, the coast guard said, calling him "
     "calm.",
     "The skipper said nothing after the crew surrounded him calling him calm.",
     "the coast guard"),
    # saying nothing is no attribution, and "but" or "neither" is no source
    ("In the harbour office, the mayor said nothing, and the engineers left the room quickly.",
     "In the harbour office, the mayor said nothing, and the engineers left the room quickly.",
     ""),
    ("True to form, neither said much of anything about what was discussed at the quay.",
     "True to form, neither said much of anything about what was discussed at the quay.", ""),
    ("The mayor was back at the quay soon afterward, but said nothing new to the reporters.",
     "The mayor was back at the quay soon afterward, but said nothing new to the reporters.", ""),
    # ... but "said no one was hurt" and "said nothing was stolen" report what was said
    ("The harbour master said no one was hurt when the crane fell onto the quay.",
     "no one was hurt when the crane fell onto the quay.", "The harbour master"),
    ("On Friday, police said nothing was stolen from the harbour office.",
     "On Friday, nothing was stolen from the harbour office.", "police"),
    # telling someone to do something is an act, not an attribution ...
    ("The harbour master told the crew to leave the quay before the storm.",
     "The harbour master told the crew to leave the quay before the storm.", ""),
    ("At first, police told residents to stay indoors but later evacuated the street.",
     "At first, police told residents to stay indoors but later evacuated the street.", ""),
    # ... but what someone told reporters, or warned would happen, is attributed
    ("The mayor told reporters the plan to widen the quay was dead.",
     "the plan to widen the quay was dead.", "The mayor"),
    ("The engineer warned the plan to raise the quay would fail.",
     "the plan to raise the quay would fail.", "The engineer"),
    # a source ends in a noun or a name: "states" here is the noun, "who" opens a clause, and
    # "was also reported" is a passive
    ("The task force also suggested that states loosen the rules on mooring at the quay.",
     "The task force also suggested that states loosen the rules on mooring at the quay.", ""),
    ("A fisherman who says he saw the crane fall called the harbour master.",
     "A fisherman who says he saw the crane fall called the harbour master.", ""),
    ("Flooding was also reported in the harbour town, where the quay was closed.",
     "Flooding was also reported in the harbour town, where the quay was closed.", ""),
    ("The Harbour Gazette first reported on Friday that the quay would close.",
     "the quay would close.", "The Harbour Gazette"),
    # "reports" in "According to news reports that ..." is no verb of a source "According to news"
    ("According to news reports that began at noon after, under pressure, the radio stations "
     "broke the news.",
     "According to news reports that began at noon after, under pressure, the radio stations "
     "broke the news.", ""),
    # ... nor a subordinate clause or a clause of its own ("are less organized in such | states")
    ("After the harbour master confirmed he knew about the cracks, the council closed the quay.",
     "After the harbour master confirmed he knew about the cracks, the council closed the quay.",
     ""),
    ("Local ferry companies are less busy in such states and the harbour may close early.",
     "Local ferry companies are less busy in such states and the harbour may close early.", ""),
    ("But the ruling creates trouble for ferry owners who sail in any of the 37 states that "
     "do not license them.",
     "But the ruling creates trouble for ferry owners who sail in any of the 37 states that "
     "do not license them.", ""),
    # an adverb after "have" is no part of the source
    ("Harbour pilots have long said that the channel is too shallow for the new ferries.",
     "the channel is too shallow for the new ferries.", "Harbour pilots"),
    # a quotation inside the quotation, or a bracket, does not cut it short
    ("“We do not accept ‘secret rules’ or ‘private deals,’ ” Mr. Weber wrote.",
     "We do not accept ‘secret rules’ or ‘private deals", "Mr. Weber"),
    ("“When [the skipper’s] son came out, he saw the boat sinking,” Anna Berg said.",
     "When [the skipper’s] son came out, he saw the boat sinking", "Anna Berg"),
    # a relative clause is no source
    ("Seaview, the cafe that the inspectors said was the focus of the inquiry, was on the quay.",
     "Seaview, the cafe that the inspectors said was the focus of the inquiry, was on the quay.",
     ""),
    # a passive is nobody saying it
    ("Fresh protests were reported in the harbour town on Saturday after the closure.",
     "Fresh protests were reported in the harbour town on Saturday after the closure.", ""),
    ("One person is believed to have been arrested, and no injuries were reported.",
     "One person is believed to have been arrested, and no injuries were reported.", ""),
    # not attribution: "denied" is a position, and a lower-case appositive head is no name
    ("Mr. Weber, the chief engineer, denied that the spillway had cracked in March.",
     "Mr. Weber, the chief engineer, denied that the spillway had cracked in March.", ""),
    # a title's full stop ends no source, before or after the content
    ("The spillway had been inspected twice since the flood, Mr. Weber said.",
     "The spillway had been inspected twice since the flood", "Mr. Weber"),
    ("Mr. Weber said the spillway had been inspected twice since the flood.",
     "the spillway had been inspected twice since the flood.", "Mr. Weber"),
    ("In court, Police Const. Ida Rask said that the quay was closed at noon.",
     "In court, the quay was closed at noon.", "Police Const. Ida Rask"),
    # the verb first, and after the name an appositive
    ("Sixteen crew members were aboard the ferry, said Per Dahl, owner of the harbour yard.",
     "Sixteen crew members were aboard the ferry", "Per Dahl"),
    ("The skipper was hurt in the head, said Ana Berg of the coast guard.",
     "The skipper was hurt in the head", "Ana Berg"),
    ("Two boats were lost, said Chief of Pilots Ida Rask, who saw the storm from the quay.",
     "Two boats were lost", "Chief of Pilots Ida Rask"),
    ("The ferry will stop in winter, said a spokesman for the harbour board.",
     "The ferry will stop in winter", "a spokesman for the harbour board"),
    ("The quay will reopen in May, said Per Dahl.", "The quay will reopen in May", "Per Dahl"),
    # ... but a name inside the sentence goes on with it, and what follows "said" after the
    # subject and its appositive is the content
    ("The plan to widen the quay, said Per Dahl, would cost three million crowns.",
     "The plan to widen the quay, said Per Dahl, would cost three million crowns.", ""),
    ("Mr. Weber, the chief engineer, said the spillway had been inspected in March.",
     "the spillway had been inspected in March.", "Mr. Weber"),
    # a quotation the sentence opens and closes before the speaker
    ("The skipper was found \"hiding in the engine room,\" Ana Berg said.",
     "The skipper was found hiding in the engine room", "Ana Berg"),
    ("It is a “reckless plan,” Mr. Weber said.", "It is a reckless plan", "Mr. Weber"),
    # saying no is an act the sentence reports ("said no to", but "said no one had")
    ("Mr. Weber said no and went on to win the harbour board's vote.",
     "Mr. Weber said no and went on to win the harbour board's vote.", ""),
    ("Mr. Weber said no one had inspected the spillway since the flood.",
     "no one had inspected the spillway since the flood.", "Mr. Weber"),
    # not saying it is no attribution, nor is the subject of a clause
    ("Mr. Weber did not say the spillway had cracked in March.",
     "Mr. Weber did not say the spillway had cracked in March.", ""),
    ("When Dahl said he had, Mr. Weber produced harbour logs that he said showed the cracks.",
     "When Dahl said he had, Mr. Weber produced harbour logs that he said showed the cracks.",
     ""),
    # a dateline's state is no part of the source
    ("OSLO, N.D. — Mayor Ida Rask said on Monday that the quay would close.",
     "OSLO, the quay would close.", "Mayor Ida Rask"),
    # a name with two appositives, the second in lower case; not a list of names
    ("Ana Berg, head of the Harbour Board, an advocacy group in Oslo, said the timing of the "
     "closure was bad.", "the timing of the closure was bad.", "Ana Berg"),
    ("Per Dahl, Ida Rask, Anna Berg and the unions said the quay would close in winter.",
     "Per Dahl, Ida Rask, Anna Berg and the unions said the quay would close in winter.", ""),
    # ... nor the sentence's own subject and clause before a tail, nor a sentence adverb
    ("Ida Rask, 66, of Oslo, was walking to the quay when the crane fell, said Sgt. Per Dahl.",
     "Ida Rask, 66, of Oslo, was walking to the quay when the crane fell", "Sgt. Per Dahl"),
    ("In Oslo, the rule to consult the pilots is particularly crucial, said Per Dahl, head of "
     "the pilots' union.", "In Oslo, the rule to consult the pilots is particularly crucial",
     "Per Dahl"),
    ("Then, the harbour master, speaking to the crews on the quay, said the port would close.",
     "Then, the harbour master, speaking to the crews on the quay, said the port would close.",
     ""),
    # a role, then the name between commas
    ("Her lawyer, Per Dahl, said Tuesday afternoon that the skipper would plead not guilty.",
     "the skipper would plead not guilty.", "Per Dahl"),
    ("The harbour police chief, Ida W. Rask, said the quay was closed.",
     "the quay was closed.", "Ida W. Rask"),
])
def test_attribution_is_separated_from_content(sentence, content, source):
    assert split_attribution(sentence)[:2] == (content, source)


@pytest.mark.parametrize("following, content", [
    ("He said that he had hired an outside firm to check the concrete of the spillway.",
     "he had hired an outside firm to check the concrete of the spillway."),
    # after a conjunction
    ("But he acknowledged that the spillway had been inspected only once since the flood.",
     "the spillway had been inspected only once since the flood."),
    # the pronoun at the end of the sentence
    ("The cracks in the concrete are older than the dam's last inspection, he said.",
     "The cracks in the concrete are older than the dam's last inspection"),
])
def test_pronoun_after_an_appositive_source_continues_that_speaker(following, content):
    article = make_article([
        "Mr. Weber, the chief engineer of the valley dam, said the spillway had been inspected.",
        following])
    first, second = extract_claims(article, ClaimSettings())
    assert first.source == second.source == "Mr. Weber"
    assert second.content == content


def test_pronoun_source_continues_previous_speaker():
    article = make_article([
        "“The dam is safe and the valley will not flood,” Karl Weber, the chief engineer, said.",
        "“We inspect the spillway every single month without exception,” he added."])
    first, second = extract_claims(article, ClaimSettings())
    assert first.source == "Karl Weber, the chief engineer"
    assert second.source == "Karl Weber, the chief engineer"
    assert second.is_quote


def test_he_said_is_the_last_named_speaker_unless_another_came_between():
    article = make_article([
        "Mayor Lena Brandt said the ferry terminal would open in the spring of next year.",
        "The terminal has been delayed twice by storms and a dispute with the builder.",
        "She said that the builder had agreed to pay for the second delay in full.",
        "The builder said the storms, not its crews, were to blame for the lost weeks.",
        "Harbour officials said the cost had risen to eleven million crowns in all.",
        "He said the crews would work through the winter to make up the time lost."])
    claims = extract_claims(article, ClaimSettings())
    assert [c.source for c in claims] == [
        "Mayor Lena Brandt", "", "Mayor Lena Brandt", "The builder", "Harbour officials",
        "He"]  # not a named person before "He": left unresolved


def test_he_is_not_a_newspaper_named_before():
    article = make_article([
        "The Harbour Gazette first reported on Friday that the ferry terminal would close.",
        "He said the crews would work through the winter to make up the time lost."])
    first, second = extract_claims(article, ClaimSettings())
    assert (first.source, second.source) == ("The Harbour Gazette", "He")


def test_she_is_a_person_named_after_an_article():
    article = make_article([
        "The Gazette's Anna Berg reported that the ferry terminal will close for the winter.",
        "She said the crews would work through the winter to make up the time lost."])
    first, second = extract_claims(article, ClaimSettings())
    assert second.source == first.source == "The Gazette's Anna Berg"


def test_hedged_claim_has_lower_certainty_and_cues():
    article = make_article(["The cause was likely an electrical fault in the cooling system.",
                            "The cause was an electrical fault in the cooling system."])
    hedged, asserted = extract_claims(article, ClaimSettings())
    assert hedged.certainty < 0.7 and asserted.certainty == 1.0
    assert [c.text for c in hedged.cues if c.kind == "hedge"] == ["likely"]


def test_month_may_is_not_a_hedge():
    article = make_article(["The new bridge over the river opened to traffic in May last year."])
    (claim,) = extract_claims(article, ClaimSettings())
    assert claim.certainty == 1.0


def test_opinion_is_marked():
    article = make_article([
        "The meeting therefore cannot be viewed merely as a ceremonial gesture by the two sides."])
    (claim,) = extract_claims(article, ClaimSettings())
    assert claim.is_opinion


def test_split_sentences_on_empty_text():
    assert list(split_sentences("")) == []


@pytest.mark.parametrize("sentence, source, is_quote", [
    ("Per Dahl said, “We have 40 boats in the harbour and more on the way.”", "Per Dahl", True),
    ("Per Dahl, the harbour master, said in a statement, “The port will reopen soon.",
     "Per Dahl, the harbour master", True),
    ("Dahl told reporters on Tuesday: \"The port will reopen within a week.\"", "Dahl", True),
    ("Harbour masters Per Dahl and Ida Rask said in a statement: “The port will reopen soon.”",
     "Harbour masters Per Dahl and Ida Rask", True),
    # a short lead-in only says when or how
    ("On Sunday, the harbour master told reporters: \"The port will reopen within a week.\"",
     "the harbour master", True),
    ("Dahl said in an interview with Harbour Radio: “The port will reopen soon.”", "Dahl", True),
    # after a longer lead-in the sentence holds the outlet's words too: attributed, not a
    # quotation
    ("After the storm flooded the lower town, the harbour master said: \"The port will reopen "
     "within a week.\"", "the harbour master", False),
])
def test_a_quotation_its_speaker_introduces_is_a_quotation_of_the_speaker(sentence, source,
                                                                          is_quote):
    content, found, quote = split_attribution(sentence)
    assert (found, quote) == (source, is_quote)
    assert content.endswith(("more on the way.", "within a week.", "reopen soon."))
    assert "said" not in content and "told" not in content


@pytest.mark.parametrize("sentence, kept", [
    ("The storm killed 12 people, and the harbour master said, “We will rebuild every pier.”",
     "killed 12 people"),
    ("Everything changed when he said, “We will rebuild every pier in the harbour.”",
     "Everything changed"),
    ("The words she said: “We will rebuild every pier in the harbour.”", "The words"),
    ("Police closed the pier and the mayor said: “We will rebuild every pier in the harbour.”",
     "closed the pier"),
    ("The storm hit Bergen overnight and Dahl said: “We will rebuild every pier in the harbour.”",
     "hit Bergen overnight"),
    ("Dahl said on Tuesday the port would close for a month: “We have no choice at all.”",
     "the port would close"),
    ("Dahl, who was fined for fraud in 2015, said: “I was never guilty of anything at all.”",
     "fined for fraud"),
    ("The officer told residents to leave: “Get out now before the water rises.”",
     "residents to leave"),
    ("Dahl said the plan was dead: “Nobody in this town wants the port closed.”",
     "the plan was dead"),
])
def test_a_clause_before_a_quotation_is_no_speaker_of_it(sentence, kept):
    # the outlet's own words before the quotation stay in the content, however else the
    # sentence is read
    content, _, is_quote = split_attribution(sentence)
    assert not is_quote and kept in content


@pytest.mark.parametrize("sentence, source, is_quote", [
    # the quotation goes on the outlet's own sentence: the source stands between commas
    ("The savings, she said, “do not cut a single harbour job.”", "she", False),
    # a pronoun after a lead-in is the speaker, not "Of the mayor, he"
    ("Of the mayor, he said, “I want him to do well in the harbour.”", "he", False),
    # who heard the speaker is no speaker; an adverb is no part of the name
    ("Everyone in the hall heard Dahl say: “I will close this harbour and every pier in it.”",
     "", False),
    ("In 2019, Dahl famously said: “I will close this harbour and every pier in it.”", "Dahl",
     True),
])
def test_the_source_of_a_quotation_is_never_a_lead_in_with_its_pronoun(sentence, source,
                                                                      is_quote):
    assert split_attribution(sentence)[1:] == (source, is_quote)


def test_a_quotation_inside_the_outlet_s_own_sentence_is_not_the_whole_claim():
    # the sentence goes on after the quotation: the outlet's words around a quoted phrase
    assert split_attribution("Per Dahl said, “We will reopen,” and then the council voted to "
                             "close the port.")[1:] == ("", False)


def test_a_lead_in_clause_is_not_a_source():
    content, source, _ = split_attribution(
        "However, renewed appearances by officials at the embassy suggest that tensions eased.")
    assert source == ""


def test_loaded_words_do_not_make_a_sentence_opinion():
    # Two loaded words used to make this "opinion", which hid it from every finding.
    article = make_article(["The senator slammed the phony harbour plan at the council on "
                            "Monday."])
    (claim,) = extract_claims(article, ClaimSettings())
    assert not claim.is_opinion
    assert [c.text for c in claim.cues if c.kind == "loaded"] == ["slammed", "phony"]


def test_sentences_inside_a_multi_sentence_quote_are_quotes():
    article = make_article(["“The harbour will stay shut. He doesn't have a permit and he "
                            "hasn't shown one,” the mayor said at the meeting on Monday."])
    first, second = extract_claims(article, ClaimSettings())
    assert first.is_quote and second.is_quote


def test_the_rest_of_a_quotation_keeps_the_speaker_who_opened_it():
    article = make_article(["The harbour master Per Dahl said, “We have 40 boats in the "
                            "harbour. And 87 crews are waiting for their first licences.” The "
                            "port opens on Monday.",
                            "Ida Rask was elected to the board. “The ferry route must close "
                            "for the winter.”"])
    opened, rest, after, elected, opening = extract_claims(article, ClaimSettings())
    assert opened.source == "The harbour master Per Dahl"
    assert rest.is_quote and rest.source == opened.source
    assert after.source == ""  # the quotation has closed
    # a quotation that opens with no speaker takes none from the claim before
    assert opening.is_quote and opening.source == ""


def test_a_quotation_whose_speaker_is_named_in_a_later_sentence_of_it_is_the_speaker_s():
    article = make_article(["The harbour master faced the council on Monday.",
                            "“We did nothing wrong in the port. We followed every rule of the "
                            "board. We broke no law at all,” said Per Dahl, who runs the port. "
                            "“The ferry will sail again next week.”",
                            "“Nobody on the council asked us about it.” The council voted on "
                            "Friday."])
    council, did, followed, broke, ferry, nobody, voted = extract_claims(article,
                                                                         ClaimSettings())
    assert did.is_quote and followed.is_quote
    assert did.source == followed.source == broke.source == "Per Dahl, who runs the port"
    assert council.source == ""
    # a new quotation right after the speaker's, in the same paragraph, goes on in the same
    # voice (news style names the speaker once)
    assert ferry.source == "Per Dahl, who runs the port"
    # in a paragraph of its own, a quotation whose sentences name no speaker gets none, nor
    # does the outlet's own sentence after it
    assert nobody.source == "" and voted.source == ""


def test_a_pronoun_speaker_named_later_is_given_back_as_resolved():
    article = make_article(["Per Dahl said the port would reopen on Friday. “We did nothing "
                            "wrong in the port. We broke no law at all,” he said."])
    said, did, broke = extract_claims(article, ClaimSettings())
    assert did.source == broke.source == "Per Dahl"


def test_an_opinion_given_its_speaker_is_no_longer_the_outlet_s_opinion():
    article = make_article(["“I think the council should never have built this ugly port. We "
                            "broke no law at all,” said Per Dahl."])
    think, broke = extract_claims(article, ClaimSettings())
    assert think.source == "Per Dahl" and not think.is_opinion


@pytest.mark.parametrize("paragraph, index", [
    # a sentence inside the quotation names another speaker: the one named at its end is not
    # given back past it
    ("“We did nothing wrong in the port. The inspectors told us we followed every rule. It "
     "was all legal,” said Per Dahl.", 0),
    # the naming sentence opens its own quotation: the earlier one was left open by mistake,
    # and the outlet's sentence between is no one's quotation
    ("The mayor called the plan “a disaster for the city and left the room. Workers fixed "
     "the pipe within two hours. “It took all night,” said Per Dahl.", 1),
])
def test_a_speaker_is_given_back_only_by_the_sentence_that_closes_the_quotation(paragraph,
                                                                                  index):
    claim = extract_claims(make_article([paragraph]), ClaimSettings())[index]
    assert claim.source == ""


def test_a_speaker_named_later_is_not_given_back_across_a_dropped_sentence():
    # the question is no claim: the sentence before it keeps no speaker
    article = make_article(["“We did nothing wrong in the port. Who could blame us for that? "
                            "We broke no law at all,” said Per Dahl."])
    did, broke = extract_claims(article, ClaimSettings())
    assert broke.source == "Per Dahl" and did.source == ""


def test_the_rest_of_a_quotation_takes_no_speaker_across_a_dropped_sentence():
    # the question that opened the quotation is no claim: the sentence before it did not
    # open the quotation, so its source is not the speaker
    article = make_article(["Officials said the port would close on Friday. “Is that fair? We "
                            "have 87 crews waiting for their first licences.”"])
    said, rest = extract_claims(article, ClaimSettings())
    assert said.source == "Officials"
    assert rest.is_quote and rest.source == ""


def test_a_sentence_closing_a_quotation_opened_paragraphs_before_is_a_quote():
    # A quotation over paragraphs closes only in its last one, here after the sentence's own
    # full stop ("… the islands. ”") or inside it.
    # The first sentence is a quotation too: its speaker introduces it ("X said, “...").
    article = make_article(["The councillor Ida Rask said, “The ferry is the island's lifeline.",
                            "Closing the route for the winter undermines our island's ability to "
                            "keep its school open. ”",
                            "Cutting the route would cost the island its doctor as well.\"",
                            "The council voted 7-2 to close the route. The mayor called it "
                            "\"a hard choice.\""])
    claims = extract_claims(article, ClaimSettings())
    assert [c.is_quote for c in claims] == [True, True, True, False, False], \
        [c.text for c in claims]


@pytest.mark.parametrize("opening, closing, carried", [
    ("‘ ", " ’", True), ("“", "”", True),
    # a straight quote does not say which way it goes: it carries nothing across paragraphs
    ('"', '"', False)])
def test_a_paragraph_inside_a_quotation_opened_and_closed_around_it_is_a_quote(opening, closing,
                                                                              carried):
    """Text written one sentence per line: the middle line has no mark of its own."""
    article = make_article([f"Councillor Ida Rask wrote: {opening}I am at the harbour gate now.",
                            "Right now, things are tense at the quay.",
                            f"The ferry crews are angry about the cuts.{closing}",
                            "Police later closed the harbour road for the night."])
    claims = extract_claims(article, ClaimSettings())
    assert [c.is_quote for c in claims[1:]] == [carried, True, False], [c.text for c in claims]


@pytest.mark.parametrize("opening, closing", [('"', "”"), ("“", '"'), ("“", "”"), ('"', '"')])
def test_a_quotation_opened_in_one_style_and_closed_in_the_other_is_closed(opening, closing):
    # the sentence after it is the outlet's own note, not the harbour board's words
    article = make_article([f"At its meeting, the board {opening}agreed to keep the ferry "
                            f"running all winter,{closing} the harbour office said. HBO is the "
                            "acronym of the island's harbour board."])
    said, note = extract_claims(article, ClaimSettings())
    assert said.source == "the harbour office"
    assert not note.is_quote and note.source == ""


def test_a_double_quotation_inside_a_double_quotation_leaves_the_outer_one_open():
    article = make_article(["“Needless to say, the ferry cut was not “a plan of our choosing.” "
                            "It has been run by two mayors since 1990. The harbour board has "
                            "always supported it.”"])
    claims = extract_claims(article, ClaimSettings())
    assert [c.is_quote for c in claims] == [True, True, True], [c.text for c in claims]


def test_a_verb_after_a_would_be_speaker_makes_it_no_speaker():
    # "said the timing … was bad": the subject and its appositives come first, and what
    # follows "said" is the content, not a speaker
    sentence = ("Ana Berg, head of the Harbour Board, an advocacy group in Oslo, said the timing "
                "of the closure was particularly bad.")
    assert split_attribution(sentence)[1] == "Ana Berg"


def test_a_quotation_that_never_closes_carries_into_no_later_paragraph():
    # a stray mark, and an apostrophe written as a closing single quote ("Rask’s")
    article = make_article(["The council’s report said “the ferry plan was approved.",
                            "Right now, things are tense at the quay.",
                            "The ferry crews are angry about the cuts.",
                            "Rask’s office said the vote is on Tuesday.",
                            "Police later closed the harbour road for the night."])
    claims = extract_claims(article, ClaimSettings())
    assert [c.is_quote for c in claims[1:]] == [False, False, False, False], \
        [c.text for c in claims]


def test_a_sentence_opening_a_single_quote_is_a_quote():
    article = make_article(["'One party will not tax the harbour and will spend on it.",
                            "'90s ferries still sail between the harbour and the islands.",
                            "‘ We will not tax the harbour, ’ the mayor wrote on Monday.",
                            # a title set off in single quotes
                            "‘ Harbour Lights ’ has a premiere date of 22 November at the quay."])
    first, second, third, fourth = extract_claims(article, ClaimSettings())
    assert first.is_quote and not second.is_quote and third.is_quote and not fourth.is_quote


def test_a_sentence_edited_in_square_brackets_is_a_quote():
    article = make_article(["The club has made an offer [for the striker], the biggest yet for "
                            "its owners.",
                            "The harbour board met on Monday [Photo] and approved the plan."])
    edited, marked = extract_claims(article, ClaimSettings())
    assert edited.is_quote and not marked.is_quote


def test_a_sentence_is_not_cut_after_a_title():
    text = "Prosecutors have subpoenaed New Jersey Gov. Chris Christie's office. Nothing else."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Prosecutors have subpoenaed New Jersey Gov. Chris Christie's office.", "Nothing else."]


def test_a_sentence_is_not_cut_after_a_state_before_its_officials_title():
    text = ("Lawmakers are calling for Ore. Gov. Dana Pruitt to veto the ferry bill. She may not. "
            "The vote was held in Salem, Ore. Gov. Pruitt was away. He moved to Salem. "
            "Sen. Holm stayed.")
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Lawmakers are calling for Ore. Gov. Dana Pruitt to veto the ferry bill.", "She may not.",
        "The vote was held in Salem, Ore.", "Gov. Pruitt was away.", "He moved to Salem.",
        "Sen. Holm stayed."]


def test_a_sentence_is_not_cut_after_a_month_before_its_day():
    text = "The mayor pulled out of his own Dec. 27th debate. He left in Dec. Then she came."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The mayor pulled out of his own Dec. 27th debate.", "He left in Dec.", "Then she came."]


def test_a_sentence_is_not_cut_at_a_decimal_point_split_by_spacing():
    text = "A magnitude 6. 0 quake shook the harbour. He scored 3. Then he left."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "A magnitude 6. 0 quake shook the harbour.", "He scored 3.", "Then he left."]


def test_a_stray_question_mark_from_damaged_encoding_does_not_end_a_sentence():
    text = ("The ferry is run by two captains, Per Olsen ? and Kari ?Dahl, since the spring. "
            "Will it sail? Nobody knows.")
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The ferry is run by two captains, Per Olsen ? and Kari ?Dahl, since the spring.",
        "Will it sail?", "Nobody knows."]


def test_a_quotation_said_of_someone_is_attributed_to_the_speaker():
    assert split_attribution("“He knows the port,” Mayor Lena Brandt said of Mr. Dahl.") == (
        "He knows the port", "Mayor Lena Brandt", True)


@pytest.mark.parametrize("sentence, content, source", [
    ("“We cannot guess when the ferry sails,” Mayor Lena Brandt said at her daily briefing.",
     "We cannot guess when the ferry sails", "Mayor Lena Brandt"),
    ("\"The port stays shut,\" harbour master Per Dahl said Thursday in a statement.",
     "The port stays shut", "harbour master Per Dahl"),
    ("“Nobody was hurt, ” one fisherman told the radio station after the storm.",
     "Nobody was hurt", "one fisherman"),
    # the last sentence of a quotation opened before, its speaker after it
    ("We have done nothing wrong,” Dahl told reporters outside the court.",
     "We have done nothing wrong", "Dahl"),
    # a noun that is also a verb of saying stays in the speaker; so does a relative clause
    ("“This is a disaster,” the insurance claims adjuster said at the scene.",
     "This is a disaster", "the insurance claims adjuster"),
    ("“We did what we had to do,” a man who says he saw the crash said.",
     "We did what we had to do", "a man who says he saw the crash"),
    # a quotation ending in a quotation of its own
    ("“He called it ‘a total scam,’” one juror said after the verdict.",
     "He called it ‘a total scam", "one juror"),
])
def test_a_quotation_s_speaker_after_it_may_be_followed_by_when_where_or_to_whom(
        sentence, content, source):
    got_content, got_source, _ = split_attribution(sentence)
    assert (got_content, got_source) == (content, source)


@pytest.mark.parametrize("sentence, not_source", [
    # the speaker holds a verb of saying of its own: a clause, not a name
    ("It needs the port back, \" Dahl said, adding that the union will not drop it, its "
     "lawyer said.", "Dahl said, adding"),
    # a quotation ending in no comma or stop, then the outlet's words, then the speaker
    ("\"Everyone must remain vigilant\" to this risk, Dahl said in an interview with a "
     "local paper.", "to this risk"),
    # after a comma the rest is a clause of its own, not when or where it was said
    ("“I know you are tired,” he told the mayor, prompting a laugh.", "he"),
    # after the verb a clause, not when, where or to whom
    ("“Go home,” protesters shouted before police said they fired tear gas.", "protesters"),
    ("“Star Wars” director Ana Berg said the sequel will open in May.", "director"),
    ("“The ruling is wrong,” the mayor said the state would argue on appeal.", "the mayor"),
    # no words quoted
    ("“ ” Jane Doe said at the scene.", "Jane"),
])
def test_no_speaker_from_a_clause_after_a_quotation(sentence, not_source):
    _, source, _ = split_attribution(sentence)
    assert not source.startswith(not_source)


def test_a_sentence_is_not_cut_after_a_police_rank():
    text = "The others escaped without injury, Const. Ana Berg said. Nothing else."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The others escaped without injury, Const. Ana Berg said.", "Nothing else."]


@pytest.mark.parametrize("sentence", [
    "The league standings have claimed another coach, with Ana Berg out of a job.",
    "The storm claimed the lives of six fishermen off the coast.",
    "The rebels claimed responsibility for the attack on the port."])
def test_claiming_a_thing_is_not_saying_something(sentence):
    assert split_attribution(sentence) == (sentence, "", False)
    assert split_attribution("The mayor claimed the harbour had been closed illegally.")[1] == (
        "The mayor")
