"""Split articles into claims: sentences with document offsets, non-claims dropped,
attribution separated from content, quantities and framing cues attached.

A claim keeps its article, paragraph, sentence index and character span into
``Article.text`` so the report can show it in context.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence

from syntok import segmenter

from crosscheck import framing
from crosscheck.config import ClaimSettings
from crosscheck.quantities import extract_quantities
from crosscheck.types import Article, Claim

_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
# Site furniture: a sentence that starts with a call to action ("Click here", "Subscribe",
# "Sign up", "Read more"), or a short one with a rights or credit line. A sentence that merely
# mentions a newsletter or a copyright is reporting ("The court ruled the copyright had
# expired ...", "Readers who sign up for alerts were told ...").
_BOILERPLATE_START = re.compile(
    r"^\W*(click here|subscribe|sign up|follow us|read more|related:|advertisement|share this|"
    r"share on|download the app|watch:|listen:|photo:|image:|copyright|©|all rights reserved|"
    r"last updated|last modified)\b",
    re.IGNORECASE)
# "Updated: May 24, 2005, 3:23 PM ET" is a time stamp; "Updated: Rick Santorum on Sunday tried
# to clarify ..." is a sentence with a label in front, and the sentence is a claim.
_STAMP = re.compile(r"^\W*(?:updated|published|posted)\s*:\s*(?:[^\w\s]|\d|(?:mon|tue|wed|thu|fri|"
                    r"sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|today|yesterday)"
                    r"[a-z]*\b|$)", re.IGNORECASE)
# A time stamp with no label ("06/06/13 07:05 PM ET EDT", "UPDATED 3:09 AM EST Dec 19, 2008"):
# nothing is left once its dates, clock times, zones and stamp words are taken out.
_STAMP_PART = re.compile(
    r"\d{1,4}(?:[/.-]\d{1,2}(?:[/.-]\d{2,4})?)?|\d{1,2}:\d{2}|[ap]\.?\s?m\b\.?|\b(?:updated|"
    r"published|posted|last|modified|on|at|et|est|edt|ct|cst|cdt|pt|pst|pdt|gmt|utc|bst)\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
    r"[a-z]*\b\.?|[,.:|()-]", re.I)
_CLOCK_OR_DATE = re.compile(r"\d{1,2}:\d{2}|\d{1,2}/\d{1,2}/\d{2,4}")
_BOILERPLATE = re.compile(
    r"\b(all rights reserved|copyright \d{4}|terms of (use|service)|privacy policy|getty images|"
    r"newsletter|cookies)\b|©", re.IGNORECASE)
BOILERPLATE_MAX_WORDS = 12
REPORTED_QUESTION_MIN_WORDS = 4  # words before a closing quoted question that make a statement
# "By Jane Doe", "Reporting by Jane Doe and John Roe; Editing by ...": a byline names people,
# in capitals; "By the end of the week, 300 people ..." is a sentence.
_BYLINE = re.compile(r"^\s*(?:[Bb]y|BY|(?:[Rr]eporting|[Ee]diting|[Ww]ritten|[Aa]dditional "
                     r"reporting) by)\s+(?:[A-Z][\w.'’-]*\s*){1,4}(?:(?:,|;|and|&)\s*"
                     r"(?:[A-Z][\w.'’-]*\s*){1,4})*(?:[,;|]\s*[A-Za-z ]{0,40})?$")

_VERBS = framing.REPORTING_VERB_ALTERNATION
# A source is a short noun phrase: up to ~12 words, no clause punctuation inside.
_SOURCE = r"(?:the\s+)?[A-Z][^.;:!?\"“”]{1,100}?"
_PRONOUN = re.compile(r"^(he|she|they|it|we|i)$", re.I)
# Time words that trail a source ("according to the agency last month").
_SOURCE_TAIL = re.compile(r"\s+(last|this|on|in|earlier|late|early)\s+\w+$|"
                          r"\s+(?:has|have|had)\s+(?:long|also|since|repeatedly|previously|"
                          r"already|now|often|always|recently)$|\s+originally$|"
                          r"\s+(?-i:today|yesterday|later|also|previously|again|now|earlier|"
                          r"first)$", re.I)  # "USA Today" is a name
_OPEN_QUOTE = "\"“‘'"
_CLOSE_QUOTE = "\"”’'"

# "According to X, content" / "content, according to X."
_ACCORDING_LEAD = re.compile(r"^\s*According to (?P<source>[^,]{2,100}),\s*(?P<content>.+)$", re.S)
_ACCORDING_TAIL = re.compile(r"^(?P<content>.+?),?\s+according to (?P<source>[^,]{2,120}?)\s*[.!]?$",
                             re.S)
# "content, X said." (no quotation marks); here a source may start in lower case ("the mayor",
# "engineers").
# Titles written with a full stop before a name ("Gov.", "Lt."): they end no source, and no
# sentence (see ``_TITLE_END``, which adds a few of its own).
_TITLES = (r"Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Cmdr|Adm|Dr|Mr|Mrs|Ms|Prof|Rev|Supt|Insp|Const|Det|"
           r"Cpl|Maj|Atty")
# A title's or an initial's full stop ends no source: "Mr. Rhodes", "Raymond W. Kelly", "U.S."
_ABBREVIATION = rf"\b(?:{_TITLES}|Sens|Reps|Amb|Jr|Sr|St|Mt|Ft)\.|\b[A-Z]\."
_TAIL_SOURCE = (rf"(?:[a-z][^.;:!?\"“”,]{{1,80}}?|(?:{_ABBREVIATION}|[A-Z])"
                rf"(?:{_ABBREVIATION}|[^.;:!?\"“”]){{1,100}}?)")
# "content, X said." The content may end in a quotation it opened: He was found "cowering in a
# bathtub," Sheriff Lee Baca said. (the mark after the comma, ``close``).
_SAID_TAIL = re.compile(
    rf"^(?P<content>.{{15,}}),\s?(?P<close>[”\"])?\s+(?P<source>{_TAIL_SOURCE})\s+"
    rf"(?:has\s+|have\s+|had\s+)?(?:{_VERBS})(?:\s+(?:on\s+)?\w+)?\s*\.?$", re.S)
# "content, said X." with the verb first: "Sixteen crew members were aboard, said Ana Berg,
# owner of the ship." / "…, said Larry Waldie of the sheriff's department." The source is the
# name (or "the"/"a" and a noun phrase); what follows it is an appositive (a noun phrase, a
# relative clause, a participle, a phrase with "of"/"at"/"for"), never the rest of a clause:
# "The plan, said Dahl, would cost $3 million" goes on after the name.
_NAME_WORD = rf"(?:{_ABBREVIATION}|(?:[A-Z]\.){{2,}}|[A-Z][\w’'&-]*)"
# The small words inside a name: "Ursula von der Leyen", "Osama bin Laden"
_NAME_PARTICLES = r"de|van|von|bin|al|la|le"
_TAIL_NAME = (rf"(?:the\s+)?{_NAME_WORD}(?:\s+(?:(?:of|{_NAME_PARTICLES})\s+)?"
              rf"{_NAME_WORD}){{0,6}}")
# The verbs news writing puts before the speaker (fewer than ``_VERBS``: "…, told X" and
# "…, believes X" are no attributions)
_SAID_FIRST_VERBS = (r"said|says|added|noted|explained|wrote|writes|insisted|argued|warned|"
                     r"confirmed|stated|reported")
_WEEKDAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WEEKDAY_OR_DAY = rf"{_WEEKDAYS}|today|yesterday|tonight|earlier|later"
# How an appositive after a name opens: "a professor", "who …", "35, an ex-gang member",
# "adding that …", "owner of the ship", "executive vice president of the group" (not a verb:
# "…, said Dahl, is chief of staff" goes on with the sentence).
_APPOSITION = (r"(?:(?:a|an|the|who|whose|which|his|her|their|its|one|adding|explaining|noting|"
               r"speaking|referring)\b|[A-Z\d]|(?!(?:is|was|are|were|would|will|has|had|could|"
               r"can|should|may|might|must|did|does)\b)(?:[a-z][\w-]*\s+){1,3}(?:of|at|for)\b)")
_SAID_FIRST_TAIL = re.compile(
    rf"^(?P<content>.{{15,}}?),\s?(?P<close>[”\"])?\s+(?:{_SAID_FIRST_VERBS})"
    rf"(?:\s+(?:on\s+)?(?:{_WEEKDAY_OR_DAY}))?\s+"
    rf"(?!(?:{_WEEKDAY_OR_DAY}|January|February|March|April|May|June|July|August|September|"
    rf"October|November|December|That|This|It|There)\b)"
    rf"(?P<source>{_TAIL_NAME}|(?:the|a|an)\s+[a-z][\w’'-]*(?:\s+[^\s,\"“”]*[^\s,.\"“”]){{0,8}})"
    rf"(?:,\s+{_APPOSITION}[^\"“”]*|(?P<phrase>\s+(?:of|at|for|from|with|in|on)\s+[^\"“”,]+)"
    rf"(?:,\s+{_APPOSITION}[^\"“”]*)?)?\s*\.?$", re.S)
# "were reported", "was told", "is believed": a passive, not someone saying it.
_PASSIVE_END = re.compile(r"\b(?:is|are|was|were|be|been|being|has|have|had)(?:\s+(?:also|first|"
                          r"later|widely|previously|already|still|then|now|never|not))?$", re.I)
# A source ends in a name or a noun, never in a word that opens a clause or a phrase: "A
# Brooklyn woman who | claims ...", "The task force also suggested that | states loosen ...",
# "The group also called on | states to ..." (the noun "states" read as the verb).
# Nor is it someone not saying it ("Mr. Santorum did not | say public schools were a bad
# idea"), or a clause's subject ("Mr. Jordan produced records that he | said indicated …").
_UNFINISHED_SOURCE = re.compile(r"\b(?:that|who|whom|which|where|when|whose|in|on|for|at|of|to|"
                                r"by|with|from|and|or|but|the|a|an|after|before|than|"
                                r"(?:the|of|all|some|about|nearly)\s+\d+|"
                                r"(?:did|does|do|would|will|could|can|has|have|had)\s+not|"
                                r"(?:did|does|do|would|could|ca|has|have|had)n[’']t|never|"
                                r"(?:that|which|who)\s+(?:he|she|they|it|we|i))$", re.I)
# "X said (on Sunday) (that) content" — optionally after a lead-in clause ("During the talks, X said");
# the source itself has no comma, so "However, renewed appearances suggest" is not attribution.
_LEAD_SOURCE = (rf"(?:the\s+)?(?:{_ABBREVIATION}|[A-Z])(?:{_ABBREVIATION}|[^,.;:!?\"“”])"
                r"{1,100}?")
# What may stand between the verb and the content: a day, where or to whom it was said ("on
# “Fox News Sunday” that", "told reporters", "told The Associated Press"), "that".
_AFTER_VERB = (rf"(?:\s+(?:on\s+)?(?:{_WEEKDAYS}|today|yesterday|earlier|last week|this week)"
               r"(?:\s+(?:morning|afternoon|evening|night))?)?"
               r"(?:\s+(?:on|in|to)\s+(?:(?:the\s+)?[\"“]?[A-Z][^,;:.!?]{0,60}?|(?:a|an|the)\s+"
               r"[\w’'-]+(?:\s+[\w’'-]+){0,3}?)(?=\s+that\s))?"
               r"(?:(?<=told)\s+(?:reporters|journalists|lawmakers|(?:the\s+)?[A-Z][\w.&’'-]*"
               r"(?:\s+[A-Z][\w.&’'-]*){0,3}(?=\s+that\s)))?\s+(?:that\s+)?")
_SAID_LEAD = re.compile(
    rf"^(?P<lead>(?:[^,]{{3,80}},\s+)?)(?P<source>{_LEAD_SOURCE})\s+(?:has\s+|have\s+|had\s+)?"
    rf"(?P<verb>{_VERBS}){_AFTER_VERB}(?P<content>.{{15,}})$", re.S)
# "The standings have claimed another coach", "claimed victory": claiming a thing, not saying.
_CLAIMED_THING = re.compile(r"^(?:another|victory|responsibility|credit|the (?:lives?|title|"
                            r"seat|crown|prize)|(?:\w+ )?lives|(?:a|his|her|their|its) "
                            r"(?:seat|title|share|place|life))\b", re.I)
# "Later, officials said content" / "In court papers, prosecutors said that content": after a
# lead-in clause a source may be in lower case: a phrase with an article ("the attorney
# general", "a spokesman for the company") or up to three words ("police", "navy sources").
_LOWER_SOURCE = (r"(?:(?:the|a|an)\s+[a-z][\w’'-]*"
                 r"(?:\s+(?!(?:that|who|whom|which|where|when)\b)[\w’'.-]+){0,5}?|"
                 r"(?:[a-z][\w’'-]*\s+){0,2}(?:[a-z][\w’'-]*s|police|staff|media|military))")
_SAID_LEAD_LOWER = re.compile(
    rf"^(?P<lead>[^,\"“”]{{3,80}},\s+)(?P<source>{_LOWER_SOURCE})\s+(?:has\s+|have\s+|had\s+)?"
    rf"(?P<verb>{_VERBS}){_AFTER_VERB}(?P<content>.{{15,}})$", re.S)
# "The real problem, he said, is progressivism." / "Sailors boarded the ship, the military
# said, and the suspects surrendered.": the attribution between commas inside the content.
_SAID_MIDDLE = re.compile(
    rf"^(?P<before>[^\"“”]{{10,}}?),\s+(?P<source>he|she|they|{_LOWER_SOURCE}|"
    rf"[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}})\s+(?:has\s+|have\s+|had\s+)?"
    rf"(?P<verb>{_VERBS})(?:\s+(?:on\s+)?(?:{_WEEKDAYS}|today|yesterday|earlier|later))?"
    rf"(?:(?<=told)\s+[^,;:\"“”]{{2,60}})?,\s+(?P<after>.{{10,}})$", re.S)
# "said nothing", "said little": saying is the fact reported, not an attribution.
_SAID_NOTHING = re.compile(
    r"^(?:nothing(?!\s+(?:else\s+)?(?:was|were|is|are|had|has|would|could|will|can)\b)|"
    r"little\s+(?:about|of|on|to|publicly|else)|anything|goodbye|so|"
    r"(?:no|yes)(?=\s+to\b|\s*[,.;]|\s+(?:and|but|when|after|before|then)\b))\b", re.I)
# Lower-case words that start no source: "but said nothing", "neither said much".
_NOT_A_LOWER_SOURCE = re.compile(r"^(?:but|and|yet|so|then|also|still|neither|nor|both|all|"
                                 r"each|none|nobody|everyone|who|which|what|this|that|it)\b")
# "The officer told Mr. Pinder to get everyone in the basement", "warned residents to stay
# indoors": telling someone to do something is an act the sentence reports, not an attribution.
_DIRECTIVE_VERBS = frozenset({"told", "warned"})
_DIRECTIVE = re.compile(r"^(?:him|her|them|me|us|you|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}|"
                        r"(?:(?:the|a|an|its|their|his|her|our|all)\s+)?(?:[a-z]+\s+)?[a-z]+)"
                        r"\s+(?:not\s+)?to\s+[a-z]+\b")
_FINITE = re.compile(r"\b(?:would|will|could|can|should|might|may|must|is|are|was|were|has|"
                     r"have|had)\b")
_REPORTING_WORD = re.compile(rf"\b(?:{_VERBS})\b")
# A pronoun that can stand for a speaker named before ("..., he said.", "He said that ...").
_SPEAKER_PRONOUN = re.compile(r"^(he|she|they)$", re.I)


# "Mr. Weiner, a Democrat, said content": a name, then an appositive or a relative clause between
# commas (up to two more in lower case: "Max Richtman, executive vice president of the
# committee, an advocacy group in Washington, said …"; not a list of names), then the verb.
# The name is capitalised words (a title may lead: "Rep. Anthony Weiner").
_NAME = rf"(?:the\s+)?[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|{_NAME_PARTICLES})){{0,5}}"
# A lawmaker's party and state after the name ("Sen. Max Baucus, D-Mont., the representative
# for Senate Democrats, said"; "R-N.Y.", "R-TX"): part of the name, never the speaker.
_PARTY = r"\(?[RDI]-[A-Z][A-Za-z.]{1,12}\)?"
_APPOSITIVE_LEAD = re.compile(
    rf"^(?P<lead>(?:[^,]{{3,80}},\s+)?)(?!{_PARTY},)(?P<source>{_NAME})(?:,\s+{_PARTY})?,\s+"
    rf"(?P<parts>[^,;:!?\"“”]{{2,140}}?,\s+(?:(?=[a-z])[^,;:!?\"“”]{{2,140}}?,\s+){{0,2}})"
    rf"(?:has\s+|have\s+|had\s+)?(?:{_VERBS}){_AFTER_VERB}(?P<content>.{{15,}})$", re.S)
# "Her agent, Mark Roesler, said content" / "The police commissioner, Raymond W. Kelly, said
# Tuesday that content": a role, then the name between commas, then the verb. The speaker is
# the name.
_ROLE_NAME_LEAD = re.compile(
    rf"^(?P<role>(?:The|A|An|His|Her|Their|Its|Our)\s+[^,;:!?\"“”]{{2,80}}?),\s+"
    rf"(?P<source>{_TAIL_NAME}),\s+(?:has\s+|have\s+|had\s+)?(?P<verb>{_VERBS}){_AFTER_VERB}"
    rf"(?P<content>.{{15,}})$", re.S)
# "X said, “Quote.”" / "Per Dahl, the harbour master, told reporters: “Quote”" / "On Sunday,
# the harbour master said, “Quote”": a quotation its speaker introduces, running to the end of
# the sentence (or on into the next one). The speaker is a noun phrase, a name with an
# appositive, or a pronoun after a lead-in; between the verb and the quotation only when, where
# or to whom it was said ("Dahl said the plan was dead: “…”" says more than that). The
# quotation opens a sentence of its own (a capital): "The savings, she said, “do not cut …”"
# goes on the outlet's sentence. Not a verb of writing: "the skipper wrote: “…”" tells what the
# skipper did.
# When, where or to whom: a preposition and then names, figures and the plain words of an
# occasion ("in a statement", "at a rally in Ohio on Saturday night", "in an interview with
# CNN"), never a clause ("on Tuesday the port would close", "in Albany that the state ...").
_OCCASION_WORDS = (r"(?:[A-Z][\w.&’'-]*|\d+|the|a|an|of|in|at|on|with|to|for|his|her|their|its|"
                   r"last|this|next|night|morning|afternoon|evening|week|weekend|month|year|ago|"
                   r"statement|interview|briefing|press|conference|news|rally|speech|hearing|"
                   r"meeting|e-?mail|letter|post|video|call|telephone|phone|radio|television|"
                   r"program|show|address|remarks|session|event|court|filing|release|book)")
# The words an occasion opens with, before or after the quotation: a preposition or a time.
_OCCASION_OPENERS = (r"on|in|at|to|during|after|from|with|outside|inside|through|via|late|early|"
                     rf"last|this|earlier|later|{_WEEKDAYS}|today|yesterday|tonight")
_QUOTE_GAP = (r"(?:(?<=told)\s+(?:reporters|journalists|lawmakers|supporters|the\s+[a-z]+|"
              r"(?:the\s+)?[A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){0,3}))?"
              rf"(?:\s+(?:{_OCCASION_OPENERS}|before)\b(?:\s+{_OCCASION_WORDS}){{0,8}})?")
_QUOTE_LEAD = re.compile(
    rf"^(?:(?P<lead>[^,\"“”]{{3,80}},\s+)(?P<source>{_LEAD_SOURCE}|{_LOWER_SOURCE}|he|she|they|we)"
    rf"|(?P<alone>{_NAME},\s+(?!who\b|which\b|whose\b)[^,;:!?\"“”]{{2,140}}?,|{_LEAD_SOURCE}))"
    rf"\s+(?:has\s+|have\s+|had\s+)?(?!wr|post|tweet)(?:{_VERBS}){_QUOTE_GAP}"
    r"\s*[,:]\s+[“\"]\s?(?P<content>[A-Z0-9\[][^“”\"]{14,}?)[”\"]?\s*$", re.S)
# "“Quote,” X said." / "“Quote,” said X." / "“Quote,” X said of Mr. Cowan."
_QUOTE_TAIL = re.compile(
    rf"^\s*[{_OPEN_QUOTE}](?P<content>.+?)[,.!?]?[{_CLOSE_QUOTE}],?\s+"
    rf"(?:(?P<verb_first>{_VERBS})\s+(?P<source_after>[^“”\"]+?)|(?P<source>[^“”\"]+?)\s+"
    rf"(?:{_VERBS})"
    r"(?:\s+(?:of|about)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3}|\s+\w+)?)"
    r"\s*\.?$", re.S)
# "... fled the area,” Captain Ana Berg, a navy spokeswoman, said.": the end of a quotation
# an earlier sentence opened; the speaker is all that stands between it and the verb.
_QUOTE_END_TAIL = re.compile(
    rf"^(?P<content>.+?[,.!?]\s?[”\"]),?\s+(?:(?P<verb_first>{_VERBS})\s+(?P<source_after>[^”\"]+?)|"
    rf"(?P<source>[^”\"]+?)\s+(?:{_VERBS}))\s*\.?$", re.S)
# The same two with when, where or to whom it was said after the verb, to the end of the
# sentence: "“…,” Carney said at his daily briefing.", "…,” Dahl told reporters outside the
# court.", "said Thursday in a statement". The phrase opens with a preposition or a time word
# (or, after "told", who was told) and holds no clause: "“Stop,” the officer yelled as
# witnesses said he drew his gun." and "“…,” he said, prompting a laugh." give no speaker.
_CLAUSE_IN_PHRASE = (r"(?:that|who|whom|which|whose|he|she|they|it|we|i|you|would|will|could|"
                     r"should|can|may|might|must|is|are|was|were|has|have|had|as|when|while|"
                     rf"because|if|before|than|and|but|or|{_VERBS})\b")
_TAIL_WORD = rf"\s+(?!{_CLAUSE_IN_PHRASE})[\w.’'&()-]+"
_TAIL_OCCASION = (
    rf"(?:(?<=told)(?:{_TAIL_WORD}){{1,5}}?)?"  # who was told: "told a CBS affiliate in Denver"
    rf"(?:\s+(?:{_OCCASION_OPENERS}|of|about|for|over|amid|by|ahead|above|below|under|near|"
    rf"behind|beside|across)\b(?:{_TAIL_WORD}){{0,14}})?")
_QUOTE_TAIL_AT = re.compile(
    rf"^\s*[{_OPEN_QUOTE}](?P<content>.+?)[,.!?]?[{_CLOSE_QUOTE}],?\s+(?P<source>[^“”\"]+?)\s+"
    rf"(?:{_VERBS})(?=\s)(?P<occasion>{_TAIL_OCCASION})\s*\.?$", re.S)
_QUOTE_END_TAIL_AT = re.compile(
    rf"^(?P<content>.+?[,.!?]\s?[”\"]),?\s+(?P<source>[^”\"]+?)\s+(?:{_VERBS})(?=\s)"
    rf"(?P<occasion>{_TAIL_OCCASION})\s*\.?$", re.S)
# Words that make a would-be speaker a clause: "Everything changed when he said, “…”".
_CLAUSE_WORDS = re.compile(r"\b(?:or|but|when|while|because|after|before|if|as|than|that|"
                           r"what|where|how|why)\b", re.I)
# In a speaker joined by "and", the words in lower case are plural nouns or these: "Academy
# Award producers Craig Zadan and Neil Meron"; not "Israel struck Gaza overnight and Hamas".
_NAME_LINKS = frozenset("and of the for de van von al".split())
# A verb that takes the speaker's own verb bare ("heard Smith say", "let him speak").
_HEARD = re.compile(r"\b(?:heard|hear|hears|saw|see|sees|watched|watch|let|lets|made|helped)\s",
                    re.I)


def _speaker_phrase(source: str) -> bool:
    """A speaker a quotation can be attributed to: a pronoun, or a noun phrase (its appositive
    aside) with no clause word, no pronoun at its end ("The words she said: …") and no clause
    joined by "and" ("Police arrested Smith and Jones said: …")."""
    if _PRONOUN.match(source):
        return True
    head = source.split(",")[0]
    words = head.split()
    if not words or _CLAUSE_WORDS.search(head) or (len(words) > 1 and _PRONOUN.match(words[-1])):
        return False
    if "and" in words and any(w[:1].islower() and w not in _NAME_LINKS and not w.endswith("s")
                              for w in words):
        return False
    if _HEARD.search(head):
        return False  # "Everyone in the room heard Smith say: “…”": who heard is no speaker
    return _plausible_source(source)

# An adverb between the speaker and the verb ("Smith famously said"): not part of the name.
_TRAILING_ADVERB = re.compile(r"\s+[a-z]+ly$")


# A lead-in of at most three words that opens with one of these only says when or how ("On
# Sunday,", "However,"): the sentence is still the speaker's quotation. "Of the mayor, he
# said" says whom the quotation is about.
_SHORT_LEAD = re.compile(r"^(?:on|in|at|then|however|but|and|later|earlier|meanwhile|still|yet|"
                         r"also|instead|separately|today|yesterday|now|again|afterwards?|finally|"
                         r"last|this|next|monday|tuesday|wednesday|thursday|friday|saturday|"
                         r"sunday)\b(?:\s+\S+){0,2},\s*$", re.I)


# "X cited sources familiar with the talks as saying (that) content": the source is who was cited.
_CITED = re.compile(
    r"^(?P<lead>(?:[^,]{3,80},\s+)?)(?P<via>(?:the\s+)?[A-Z][^,.;:!?\"“”]{1,80}?)\s+cited\s+"
    r"(?P<source>[^,.;:!?\"“”]{2,100}?)\s+as\s+saying\s+(?:that\s+)?(?P<content>.{15,})$", re.S)
# Words that start a clause rather than a source ("It said", "This suggests").
_NOT_A_SOURCE = re.compile(r"^(it|this|that|these|those|there|he|she|they|we|i|you|according|"
                           r"after|before|when|while|although|though|because|if|since|until|"
                           r"unless|once|as|asked|citing|saying|said|says|despite|during)$", re.I)
# A source is a noun phrase: no quotation mark (the source of "… ‘secret opinions,’ ” Mr. Weich
# said" is Mr. Weich), and no "to be" of its own ("Local Republican Party affiliates are less
# organized in such | states ..."), though a relative clause may have one ("a man who was at
# the scene").
_QUOTED_SOURCE = re.compile(r"[“”\"]|(?:^|\s)‘")
_CLAUSE_SOURCE = re.compile(
    r"^(?:(?!\b(?:who|whom|whose|that|which)\b)[^,])*\b(?:is|are|was|were)\b", re.I)


# A title before a name: a sentence "ending" in one was cut at the title's full stop
# ("Federal prosecutors have subpoenaed New Jersey Gov." | "Chris Christie's office ...").
_TITLE_END = re.compile(rf"(?<![\w.])(?:{_TITLES}|Hon|Gov\.-elect|Pvt)\.$")

# A month's abbreviation before a day the splitter does not know ("Dec. 27th", "Aug. 2nd").
_MONTH_END = re.compile(r"(?<![\w.])(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$")

# A number cut at its decimal point by spacing ("a magnitude 6." | "0 quake"): tokenised text
# writes "6. 0", and news style starts no sentence with a figure.
_DECIMAL_END = re.compile(r"(?<![\d.,])\d{1,3}\.$")
_DECIMAL_START = re.compile(r" \d(?![\d,.])")

# A state's abbreviation before a state official's title ("calling for Ariz." | "Gov. Jan
# Brewer to veto …"); not after a comma, where it ends a place ("in Tempe, Ariz." | "Gov. …").
_STATE_END = re.compile(r"(?<!,)\s([A-Z][A-Za-z.]{0,4}\.)$")
_STATE_TITLE_START = re.compile(r"\s*(?:Gov|Sen|Rep|Lt|Atty|Sec)\.\s+[A-Z]")

# A question mark after a space is a character lost to damaged encoding ("Nelson Warfield ?
# and John ?McLaughlin"), not the end of a question.
_STRAY_QUESTION = re.compile(r"\s\?$")


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence; offsets into ``text``. A sentence cut after a title
    ("... New Jersey Gov."), after a state before its official's title ("calling for Ariz." |
    "Gov. Jan Brewer to veto"), after a month before its day ("his own Dec." | "27th debate."),
    at a decimal point ("a magnitude 6." | "0 quake") or at a stray question mark is joined to
    the next one."""
    pending: tuple[int, int] | None = None
    for para in segmenter.analyze(text):
        for sentence in para:
            if not sentence:
                continue
            start, end = sentence[0].offset, sentence[-1].offset + len(sentence[-1].value)
            if pending is not None:
                start = pending[0]
                pending = None
            if _TITLE_END.search(text[start:end]) or _STRAY_QUESTION.search(text[start:end]) \
                    or (_MONTH_END.search(text[start:end]) and re.match(r"\s*\d", text[end:])) \
                    or (_DECIMAL_END.search(text[start:end]) and _DECIMAL_START.match(text[end:])) \
                    or _state_before_title(text[start:end], text[end:]):
                pending = (start, end)
                continue
            yield start, end
    if pending is not None:
        yield pending


def _state_before_title(sentence: str, after: str) -> bool:
    """The sentence ends with a state's abbreviation (not after a comma) and the text after it
    opens with a state official's title and name: one sentence cut in two."""
    state = _STATE_END.search(sentence)
    return bool(state) and state.group(1).lower().replace(".", "") in framing.US_STATES \
        and _STATE_TITLE_START.match(after) is not None


def extract_claims(article: Article, settings: ClaimSettings) -> tuple[Claim, ...]:
    claims: list[Claim] = []
    sentence_index = 0
    paragraphs = [article.text[start:end] for start, end in article.paragraphs]
    carried = carried_quotations(paragraphs)
    for paragraph_index, (para_start, para_end) in enumerate(article.paragraphs):
        paragraph = paragraphs[paragraph_index]
        for start, end in split_sentences(paragraph):
            sentence = paragraph[start:end]
            index = sentence_index
            sentence_index += 1
            if not is_claim(sentence, settings):
                continue
            claim = make_claim(article, sentence, para_start + start, paragraph_index, index)
            open_before = quotation_open(paragraph[:start]) or paragraph_index in carried
            if not claim.is_quote and (open_before
                                       or opens_quotation(sentence)
                                       or _EDITED_QUOTE.search(sentence)
                                       or closes_quotation(sentence, paragraph[end:])):
                # Inside a quotation that an earlier sentence (or paragraph) opened, opening
                # one, closing one, or edited in brackets: the speaker's words, not the outlet's.
                claim = dataclasses.replace(claim, is_quote=True)
            if _PRONOUN.match(claim.source):
                speaker = _recent_speaker(claims, claim.source)
                if speaker:
                    claim = _with_source(claim, speaker)
            elif not claim.source and claims and claims[-1].sentence == index - 1 \
                    and claims[-1].paragraph == paragraph_index \
                    and open_before and (
                        claims[-1].is_quote
                        or not quotation_open(paragraph[:claims[-1].start - para_start])):
                # the rest of a quotation that the sentence just before opened (or continued)
                # and gave a speaker: "Boehner said, “We have 50 of our members in tough
                # races;" | "87 freshmen running ..."; not when a sentence between was dropped
                # (a question may have opened the quotation)
                claim = _with_source(claim, claims[-1].source)
            if claim.source and open_before \
                    and _closes_with_speaker(sentence, claim.source, paragraph[end:]):
                _give_speaker_back(claims, claim, paragraph, para_start)
            claims.append(claim)
    for k in range(1, len(claims)):
        if _same_speaker_goes_on(claims[k - 1], claims[k]):
            claims[k] = _with_source(claims[k], claims[k - 1].source)
    return tuple(claims)


def _same_speaker_goes_on(earlier: Claim, claim: Claim) -> bool:
    """A quotation with no speaker of its own right after a speaker's quotation in the same
    paragraph is that speaker's: "“… a nuclear bomb,” Netanyahu says. “The world tells Israel,
    wait.”" A speaker named later in it has already been given back."""
    return claim.is_quote and not claim.source and earlier.is_quote \
        and bool(named_source(earlier)) and earlier.paragraph == claim.paragraph \
        and earlier.sentence == claim.sentence - 1


def named_source(claim: Claim) -> str:
    """The claim's source when it names someone, "" for none or a pronoun this stage left
    unresolved ("he")."""
    return "" if _PRONOUN.fullmatch(claim.source) else claim.source


def _with_source(claim: Claim, source: str) -> Claim:
    """``claim`` with ``source`` as its speaker; an attributed claim is no opinion of the
    outlet's (see :func:`crosscheck.framing.is_opinion`)."""
    return dataclasses.replace(claim, source=source, is_opinion=framing.is_opinion(
        claim.cues, attributed=bool(source)))


def _closes_with_speaker(sentence: str, source: str, after: str) -> bool:
    """The sentence ends a quotation an earlier sentence opened and names its speaker after
    the closing mark ("I have not broken any laws,” said Ms. Lerner."): it opens no quotation
    of its own, and the speaker's words come after its last closing mark."""
    if opens_quotation(sentence) or not (closes_quotation(sentence, after)
                                            or _CLOSING_MID.search(sentence)):
        return False
    closing = max(sentence.rfind("”"), sentence.rfind('"'))
    if closing < 0:
        return False
    # the speaker as named, or the pronoun the claims stage resolved ("…,” he said.")
    return sentence.rfind(source.split(",")[0].strip()) > closing \
        or _PRONOUN_AFTER.search(sentence[closing:]) is not None


# A closing mark inside a sentence, after a comma or a stop ("… any laws,” said Ms. Lerner.")
_CLOSING_MID = re.compile(r"[,.!?]\s?[”\"]\s")
# A pronoun speaker after a closing mark ("…,” he said.")
_PRONOUN_AFTER = re.compile(r"\b(?:he|she|they|we|i|it)\b", re.I)


def _give_speaker_back(claims: list[Claim], claim: Claim, paragraph: str,
                       para_start: int) -> None:
    """A quotation whose speaker is named only in a later sentence of it: "“I have not done
    anything wrong." | "I have not broken any laws,” said Ms. Lerner." The sentences just
    before ``claim`` (in place, in ``claims``) that hold the same open quotation, with no
    speaker of their own, take its speaker; back to the sentence that opened it, and not
    across a dropped sentence."""
    later = claim
    for k in range(len(claims) - 1, -1, -1):
        earlier = claims[k]
        if earlier.sentence != later.sentence - 1 or earlier.paragraph != later.paragraph \
                or not earlier.is_quote or earlier.source \
                or not quotation_open(paragraph[:later.start - para_start]):
            return
        claims[k] = _with_source(earlier, claim.source)
        if not quotation_open(paragraph[:earlier.start - para_start]):
            return  # the sentence that opened the quotation
        later = earlier


# A sentence that opens a quotation: a double quote, or a single one before a capital
# ("'One party won't tax ..."; "‘ Tonight was ..." as detokenised text spaces it; not "'90s"),
# unless the single quotes only set off a title the sentence goes on about ("‘ Catching Fire ’
# has a release date ...").
_OPENS_QUOTE = re.compile(r"\s*(?:[“\"]|‘\s?[A-Z]|'[A-Z])")
_TITLE_IN_SINGLES = re.compile(r"\s*‘[^’]{1,60}[^.,!?;:\s]\s?’\s+[a-z]")


def opens_quotation(sentence: str) -> bool:
    """Whether the sentence opens with a quotation mark that starts someone's words."""
    return bool(_OPENS_QUOTE.match(sentence)) and not _TITLE_IN_SINGLES.match(sentence)


# Single curly quotation marks: an opening one (not "‘90s") and a closing one after a stop or
# a comma (not the apostrophe of "Gray’s" or "I ’ m").
_SINGLE_OPEN = re.compile(r"‘(?!\d)")
_SINGLE_CLOSE = re.compile(r"[.,!?;:]\s?’(?=\s|$)")
# How far a quotation may run on, paragraph after paragraph, without a mark of its own.
CARRIED_QUOTE_MAX_PARAGRAPHS = 3


def _single_balance(text: str) -> int:
    """Single curly quotations opened minus closed in ``text``."""
    return len(_SINGLE_OPEN.findall(text)) - len(_SINGLE_CLOSE.findall(text))


def carried_quotations(paragraphs: Sequence[str]) -> set[int]:
    """The paragraphs that lie wholly inside a curly quotation an earlier paragraph opened and
    a later one closes, with no mark of their own: text written one sentence per line ("…
    said: ‘ I ’ m in the middle of the riot action in my district." | "Right now, things are
    tense." | "Young people have expressed anger. ’"). A paragraph that opens with a mark of
    its own is the news convention for a quotation going on, and is read by itself; a
    quotation that does not close within ``CARRIED_QUOTE_MAX_PARAGRAPHS`` carries nothing."""
    carried: set[int] = set()
    for i, paragraph in enumerate(paragraphs):
        if not _curly_open(paragraph):
            continue
        for j in range(i + 1, min(len(paragraphs), i + 1 + CARRIED_QUOTE_MAX_PARAGRAPHS + 1)):
            later = paragraphs[j]
            if opens_quotation(later) or '"' in later:
                break
            if later.count("”") > later.count("“") or _single_balance(later) < 0:
                carried.update(range(i + 1, j))
                break
            if any(mark in later for mark in "“”‘’"):
                break
    return carried


def _curly_open(text: str) -> bool:
    """A curly quotation (double or single) is open at the end of ``text``. Straight double
    quotes say nothing of their direction, in detokenised text least of all (`said, " This
    tragedy`, `ricochet. "`): they carry no quotation across paragraphs."""
    return '"' not in text and (text.count("“") > text.count("”") or _single_balance(text) > 0)


# Words an editor put in square brackets inside a sentence ("have made an offer [for Mark
# Teixeira], the biggest yet"): the sentence is a quotation, edited to read on its own.
_EDITED_QUOTE = re.compile(r"(?<=\w )\[(?!(?:photo|video|image|link|update|updated|"
                           r"editor'?s note)\b)[^\]\n]{1,50}\](?= ?[\w,.;:])", re.I)


_PERSON_AFTER_ARTICLE = re.compile(r"\b(?:Rev|Hon|Very Rev|Most Rev)\b\.?|[’']s\s+[A-Z]")


def _recent_speaker(claims: Sequence[Claim], pronoun: str) -> str:
    """Who "he" or "she" is in "He said ...": the latest speaker among the three claims
    before, if a named person ("..., he added." continues the previous speaker's quote); "they"
    and the rest only continue the previous claim's speaker. "" when unsure."""
    if pronoun.lower() not in ("he", "she"):
        return claims[-1].source if claims and not _PRONOUN.match(claims[-1].source) else ""
    for earlier in reversed(claims[-3:]):
        if earlier.source:
            words = earlier.source.split(",")[0].split()
            # ("The Wall Street Journal" is no "he": a name does not open with an article, but
            # "The Rev. Terry Lee" and "The BBC's Frances Harrison" are people)
            person = 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) \
                and not _PRONOUN.match(earlier.source) \
                and (words[0].lower() not in ("the", "a", "an")
                     or bool(_PERSON_AFTER_ARTICLE.search(earlier.source)))
            return earlier.source if person else ""
    return ""


def quotation_open(text: str) -> bool:
    """Whether a quotation is still open at the end of ``text``, reading its double quotation
    marks in order: “ opens (within a quotation too: “… was not “a war of choice.” leaves one
    open), ” closes, a straight " closes what is open and opens otherwise. A quotation opened
    with one style and closed with the other (Kim "reaffirmed … crisis,” the KCNA said) is
    closed."""
    depth = 0
    for mark in _DOUBLE_MARK.findall(text):
        if mark == "“" or (mark == '"' and not depth):
            depth += 1
        elif depth:
            depth -= 1
    return depth > 0


_DOUBLE_MARK = re.compile(r'[“”"]')


# A closing double quotation mark: after the sentence's last word, before a space or the end.
_CLOSING_NEXT = re.compile(r"^\s*[\"”’](?=\s|$)")
_CLOSING_LAST = re.compile(r"[.,!?;:]\s*[\"”]\s*$")
_CLOSING_LAST_SINGLE = re.compile(r"[.,!?;:]\s?’\s*$")


def closes_quotation(sentence: str, after: str = "") -> bool:
    """Whether a sentence ends a quotation it did not open: the last sentence of a quotation
    that opened a paragraph or more before ("… to protect our nation's biodiversity.”"), its
    closing mark inside the sentence or right after it (``after``: the rest of the paragraph).
    Its marks alone are then unbalanced, or balanced with the closing mark still to come."""
    if _CLOSING_LAST.search(sentence):
        return sentence.count("”") > sentence.count("“") or sentence.count('"') % 2 == 1
    if _CLOSING_LAST_SINGLE.search(sentence) and _single_balance(sentence) < 0:
        return True  # "Young people have expressed anger. ’"
    return bool(_CLOSING_NEXT.match(after)) and not quotation_open(sentence) \
        and _single_balance(sentence) <= 0


def _reports_a_question(sentence: str) -> bool:
    """A statement that ends on someone's quoted question: "Conservative websites are crying
    foul, with one blogger asking, “Can anyone say the media is not biased?”"."""
    body = sentence.strip()
    if body[-1:] not in _CLOSE_QUOTE:
        return False
    body = body[:-1]
    opening = max(body.rfind("“"), body.rfind('"'))
    return opening > 0 and len(_WORD.findall(body[:opening])) >= REPORTED_QUESTION_MIN_WORDS


def is_claim(sentence: str, settings: ClaimSettings) -> bool:
    """Questions, fragments, bylines and site boilerplate are not claims."""
    stripped = sentence.strip().rstrip(_CLOSE_QUOTE)
    if stripped.endswith("?") and not _reports_a_question(sentence):
        return False
    if len(_WORD.findall(sentence)) < settings.min_words:
        return False
    if _BYLINE.match(sentence.strip().rstrip(".")):
        return False
    if _BOILERPLATE_START.match(sentence):
        return False
    if _STAMP.match(sentence) or (_CLOCK_OR_DATE.search(sentence)
                                  and not _STAMP_PART.sub(" ", sentence).strip()):
        return False
    return not (len(_WORD.findall(sentence)) <= BOILERPLATE_MAX_WORDS
                and _BOILERPLATE.search(sentence))


def make_claim(article: Article, sentence: str, start: int, paragraph: int,
               index: int) -> Claim:
    content, source, is_quote = split_attribution(sentence)
    cues = framing.find_cues(sentence, start)
    return Claim(
        id=f"{article.id}:s{index}",
        article_id=article.id,
        text=sentence,
        start=start,
        end=start + len(sentence),
        paragraph=paragraph,
        sentence=index,
        content=content,
        source=source,
        quantities=extract_quantities(sentence, start, article.date),
        cues=cues,
        certainty=framing.certainty(cues),
        is_opinion=framing.is_opinion(cues, attributed=bool(source)),
        is_quote=is_quote,
    )


def split_attribution(sentence: str) -> tuple[str, str, bool]:
    """(content, source, is_quote): "KCNA said the talks went well" → ("the talks went well",
    "KCNA", False). Without attribution the content is the whole sentence and source is ""."""
    text = sentence.strip()
    for pattern in (_QUOTE_TAIL, _QUOTE_TAIL_AT):
        match = pattern.match(text)
        if match:
            source = match.group("source") or match.group("source_after") or ""
            if (_plausible_source(source) or _PRONOUN.match(source)) and _one_speaker(match) \
                    and _WORDISH.search(match.group("content")):
                return _clean(match.group("content")), _clean_source(source), True
    for pattern in (_QUOTE_END_TAIL, _QUOTE_END_TAIL_AT):
        match = pattern.match(text)
        if match and _unopened(match.group("content")):
            source = match.group("source") or match.group("source_after") or ""
            if (_plausible_source(source) or _PRONOUN.match(source)) and _one_speaker(match):
                return _clean(match.group("content")), _clean_source(source), False
    match = _QUOTE_LEAD.match(text)
    if match and _speaker_phrase(source := match.group("source") or match.group("alone")):
        # A longer lead-in stays, as with "When asked ..., X said that ...": it says what the
        # quotation answers, and its words are the outlet's, so the claim is no quotation.
        lead = match.group("lead") or ""
        if _SHORT_LEAD.match(lead):
            lead = ""
        source = _TRAILING_ADVERB.sub("", _clean_source(source))
        return _clean(lead + match.group("content")), source, not lead
    match = _CITED.match(text)
    if match and _plausible_source(match.group("via")):
        source = f"{_clean_source(match.group('source'))}, cited by {match.group('via').strip()}"
        return _clean(match.group("lead") + match.group("content")), source, False
    for pattern in (_ACCORDING_LEAD, _ACCORDING_TAIL, _SAID_TAIL):
        match = pattern.match(text)
        if match and (_plausible_source(match.group("source")) or (
                pattern is _SAID_TAIL and _speaker_pronoun(match.group("source")))) \
                and _closes_its_own(match):
            # A pronoun ("..., he said.") is resolved to a recent speaker by extract_claims.
            return _tail_content(match), _clean_source(match.group("source")), False
    match = _SAID_MIDDLE.match(text)
    # (a sentence that names a source before, "X said ...; ..., analysts say, ...", is left to
    # the patterns that take its first source)
    if match and not _NOT_A_LOWER_SOURCE.match(match.group("source")) \
            and not _names_a_source(match.group("before")) \
            and (_plausible_source(match.group("source"))
                 or _speaker_pronoun(match.group("source"))):
        return (_clean(f"{match.group('before')} {match.group('after')}"),
                _clean_source(match.group("source")), False)
    match = _ROLE_NAME_LEAD.match(text)
    if match and _plausible_source(match.group("source")) and not _directive(match) \
            and not _SAID_NOTHING.match(match.group("content")):
        return _clean(match.group("content")), _clean_source(match.group("source")), False
    match = _APPOSITIVE_LEAD.match(text)
    if match and _plausible_source(match.group("source")) \
            and not _SENTENCE_ADVERB.fullmatch(match.group("source")) \
            and all(_appositive(part) for part in match.group("parts").split(",")):
        return (_clean(match.group("lead") + match.group("content")),
                _clean_source(match.group("source")), False)
    match = _SAID_LEAD.match(text)
    if match and (match.group("verb").startswith("claim")
                  and _CLAIMED_THING.match(match.group("content"))
                  or _SAID_NOTHING.match(match.group("content")) or _directive(match)):
        match = None
    if match and (_plausible_source(match.group("source"))
                  or (_speaker_pronoun(match.group("source"))
                      and not match.group("lead"))):
        # A pronoun ("He said that ...") is resolved to the previous claim's source, if any,
        # by extract_claims.
        content = match.group("lead") + match.group("content")
        return _clean(content), _clean_source(match.group("source")), False
    match = _SAID_LEAD_LOWER.match(text)
    if match and _plausible_source(match.group("source")) \
            and not _NOT_A_LOWER_SOURCE.match(match.group("source")) \
            and not _CLAIMED_THING.match(match.group("content")) \
            and not _SAID_NOTHING.match(match.group("content")) and not _directive(match):
        return (_clean(match.group("lead") + match.group("content")),
                _clean_source(match.group("source")), False)
    # Last, as what comes before "said" may be its subject: "Mr. Weber, the chief engineer,
    # said the spillway …" is a lead-in of the patterns above.
    match = _SAID_FIRST_TAIL.match(text)
    if match and _plausible_source(match.group("source")) and _closes_its_own(match) \
            and not _FINITE.search(match.group("source")) \
            and not _FINITE.search(match.group("phrase") or ""):
        # (a verb after the would-be speaker makes it a clause: "…, said the timing of the
        # statement was bad")
        return _tail_content(match), _clean_source(match.group("source")), False
    return text, "", False


def _appositive(part: str) -> bool:
    """A part between commas that can describe the name before it: a verb in it comes after
    "who", "which" or "that" ("the video service that was used to upload the photo"), else it
    is the sentence's own clause ("LuAnn Johnson, 66, of Burnsville, was walking into the
    store …, said Sgt. Earley")."""
    verb = _FINITE.search(part)
    return verb is None or bool(_RELATIVE.search(part[:verb.start()]))


_RELATIVE = re.compile(r"\b(?:who|whom|whose|which|that)\b")
# A word that opens a sentence, not a name before an appositive: "Then, the congressman,
# speaking in a whisper, said …"
_SENTENCE_ADVERB = re.compile(r"Then|Instead|However|Meanwhile|Later|Earlier|Finally|Still|Now|"
                              r"Thus|Also|Yet|Today|Yesterday")


def _closes_its_own(match: re.Match) -> bool:
    """A tail attribution's content closes no quotation but one it opened itself: after "…
    were there," said Dahl, the quotation opened in an earlier sentence and is left to the
    quotation patterns."""
    return "close" not in match.re.groupindex or not match.group("close") \
        or quotation_open(match.group("content"))


def _tail_content(match: re.Match) -> str:
    """A tail attribution's content, without the opening mark of a quotation it closes."""
    content = match.group("content")
    if "close" in match.re.groupindex and match.group("close"):
        content = _without_last_opening(content)
    return _clean(content)


_WORDISH = re.compile(r"\w")
_SPEAKER_OPENINGS = frozenset("the a an he she they we i it his her their its our".split())
# A verb of saying and then a comma inside a would-be speaker: "Brimmer said, adding that …"
_SAID_COMMA = re.compile(rf"\b(?:{_VERBS}),")


def _one_speaker(match: re.Match) -> bool:
    """Whether the speaker before a quotation's closing verb is one. It holds no verb of saying
    followed by a comma (in "…,” Brimmer said, adding that her group will not drop it, a
    spokesman said." the speaker is not "Brimmer said, adding …"; "the insurance claims
    adjuster" and "a man who says he saw it" are speakers). With a phrase after the verb
    (:data:`_QUOTE_TAIL_AT`) the speaker also holds no clause word ("“Go home,” protesters
    shouted before police said …" gives none), and after a quotation that ends in no comma or
    stop, it opens with a capital, an article or a pronoun ("“Everyone must remain vigilant” to
    this risk, Strauss-Kahn said in an interview" gives none)."""
    source = match.group("source")
    if source is None:
        return True  # "“…,” said X": the verb comes first
    if _SAID_COMMA.search(source):
        return False
    if "occasion" not in match.re.groupindex:
        return True
    if _CLAUSE_WORDS.search(source.split(",")[0]):
        return False  # "protesters shouted before police said …"
    content = match.group("content").rstrip()
    after = match.string[match.end("content"):match.end("content") + 1]
    if (after and after in ",.!?") or (content and content[-1] in "”\",.!?’'"):
        return True
    first = source.split(maxsplit=1)[0] if source.strip() else ""
    return first[:1].isupper() or first.lower() in _SPEAKER_OPENINGS


def _directive(match: re.Match) -> bool:
    """The verb tells someone to do something (see ``_DIRECTIVE``). The one told comes right
    after the verb ("told reporters the plan was dead" reports what was said), and no clause of
    its own follows ("warned the plan to raise taxes would fail" reports a warning)."""
    if match.group("verb") not in _DIRECTIVE_VERBS \
            or match.string[match.end("verb"):match.start("content")].strip():
        return False
    directive = _DIRECTIVE.match(match.group("content"))
    return bool(directive) and not _FINITE.search(match.group("content")[directive.end():])


def _speaker_pronoun(source: str) -> bool:
    """"he", "she" or "they", also after a conjunction ("But he said ...")."""
    return bool(_SPEAKER_PRONOUN.match(_LEADING_CONJUNCTION.sub("", source.strip())))


def _names_a_source(text: str) -> bool:
    """A reporting verb in ``text`` that attributes something ("said the ship sank", not
    "said nothing")."""
    return any(not _SAID_NOTHING.match(text[m.end():].lstrip())
               for m in _REPORTING_WORD.finditer(text))


def _without_last_opening(content: str) -> str:
    """``content`` without the opening mark of the quotation its sentence closes after it:
    'found "cowering in a bathtub' → 'found cowering in a bathtub'."""
    mark = max(content.rfind("“"), content.rfind('"'))
    return content[:mark].rstrip() + " " + content[mark + 1:].lstrip() if mark >= 0 else content


def _unopened(content: str) -> bool:
    """The quotation that closes at the end of ``content`` opened in an earlier sentence."""
    if content.endswith("”"):
        return "“" not in content
    return content.count('"') == 1


def _plausible_source(source: str) -> bool:
    source = _LEADING_CONJUNCTION.sub("", source.strip())  # "And it underscored ..." is "it ..."
    words = source.split()
    return 0 < len(words) <= 14 and not _NOT_A_SOURCE.match(words[0]) \
        and not _PASSIVE_END.search(source) and not _UNFINISHED_SOURCE.search(source) \
        and not _QUOTED_SOURCE.search(source) and not _CLAUSE_SOURCE.search(source)


def _clean(text: str) -> str:
    return text.strip().strip(_OPEN_QUOTE + _CLOSE_QUOTE).strip().rstrip(",")


_LEADING_CONJUNCTION = re.compile(r"^(?:but|and|yet|so|however|still|also|meanwhile)[,\s]+",
                                  re.IGNORECASE)


def _clean_source(source: str) -> str:
    """A source without trailing time words, a leading conjunction ("But a White House
    official" → "a White House official") or a dateline's state ("N.H. — Gov. Rick Perry"
    after "AMHERST," → "Gov. Rick Perry")."""
    source = _LEADING_CONJUNCTION.sub("", source.strip().strip(",").strip())
    return _SOURCE_TAIL.sub("", _DATELINE_STATE.sub("", source))


_DATELINE_STATE = re.compile(r"^(?:[A-Z][a-z]{0,4}\.\s?){1,3}\s*[—–]\s*")


def claims_for(articles: Sequence[Article], settings: ClaimSettings) -> tuple[Claim, ...]:
    """Claims of every article, in article order."""
    return tuple(c for article in articles for c in extract_claims(article, settings))
