"""Grouping a pile of articles into stories by event (crosscheck/stories.py), through the
library and the CLI, with the fake embedder and invented articles."""

import csv
import json

import pytest

from crosscheck.config import Settings, StorySettings
from crosscheck import evaluate_stories
from crosscheck.evaluate_stories import GroupingErrors, format_errors, grouping_errors
from crosscheck.ingest import assignment_key
from crosscheck.stories import (average_linkage, bcubed, cut, group_pile, headline,
                                weekday_conflict, weekdays_named)
from crosscheck.types import Article

from conftest import invoke


def _article(path, outlet, title, text, date=None):
    return Article(id=path, story="pile", outlet=outlet, title=title, path=path, text=text,
                   paragraphs=((0, len(text)),), date=date)


# Two earthquakes in one week and two clubs' offers for one player, each told by three
# outlets, and one article no other outlet carries. Invented.
QUAKE_KESSEL = ("Earthquake of magnitude 6.1 strikes Kessel Valley",
                "An earthquake of magnitude 6.1 struck the Kessel Valley early on Tuesday, killing "
                "14 people in the town of Ardenburg. Rescue teams from Ardenburg searched collapsed "
                "houses through the night, and the Kessel regional governor Hanna Vogt declared an "
                "emergency. The epicentre lay 12 kilometres north of Ardenburg at a depth of 9 km.",
                "2026-03-03")
QUAKE_MIRALDA = ("Magnitude 5.4 quake shakes Port Miralda coast",
                 "A magnitude 5.4 earthquake shook the coast near Port Miralda on Friday, injuring "
                 "three people and cracking the harbour wall. The Miralda port authority closed the "
                 "ferry terminal for inspections, and mayor Luis Ortega said schools in Port "
                 "Miralda would reopen on Monday. The quake was centred 40 km offshore.",
                 "2026-03-06")
OFFER_ROVERS = ("Rovers bid 40 million pounds for striker Tomas Lindqvist",
                "Brackley Rovers have offered 40 million pounds for striker Tomas Lindqvist, the "
                "Rovers chairman Peter Hale confirmed on Monday. Hale said Brackley Rovers want "
                "Lindqvist signed before the window closes, with a five-year contract for the "
                "Swede. Lindqvist scored 22 goals for Eskilsborg last season.",
                "2026-01-12")
OFFER_VERRA = ("Atletico Verra table 35 million euro bid for Lindqvist",
               "Spanish side Atletico Verra tabled a 35 million euro bid for the Eskilsborg "
               "forward on Tuesday, sporting director Marta Quiroga told reporters in Valdora. "
               "Quiroga said Verra see him as the successor to their captain Andres Molina and "
               "proposed a four-year deal. Verra finished third in the Spanish league in May.",
               "2026-01-20")
LIBRARY = ("Haverford library reopens after roof repair",
           "The public library in Haverford reopened on Saturday after eight months of roof "
           "repairs. Librarian Owen Price said the reading room now has new lighting and that the "
           "children's section doubled in size. The repair cost the county 1.3 million dollars.",
           "2026-02-07")
EVENTS = {"kessel": QUAKE_KESSEL, "miralda": QUAKE_MIRALDA, "rovers": OFFER_ROVERS,
          "verra": OFFER_VERRA}
OUTLETS = ("daily-courier", "north-wire", "the-ledger")
# How each outlet retells a story: its own opening, the same facts.
OPENINGS = {"daily-courier": "", "north-wire": "Officials said on the day: ",
            "the-ledger": "In a report filed late: "}


def _retold(outlet, title, text):
    return title if outlet == "daily-courier" else f"{title} ({outlet})", OPENINGS[outlet] + text


def pile_articles():
    articles, gold = [], []
    for event, (title, text, date) in EVENTS.items():
        for outlet in OUTLETS:
            shown_title, shown_text = _retold(outlet, title, text)
            articles.append(_article(f"{outlet}--{event}.md", outlet, shown_title, shown_text,
                                     date))
            gold.append(event)
    articles.append(_article("north-wire--library.md", "north-wire", *LIBRARY))
    gold.append("library")
    return articles, gold


def write_pile(folder, events=EVENTS, outlets=OUTLETS, library=True):
    folder.mkdir(parents=True, exist_ok=True)
    for event, (title, text, date) in events.items():
        for outlet in outlets:
            shown_title, shown_text = _retold(outlet, title, text)
            (folder / f"{outlet}--{event}.md").write_text(
                f"---\ntitle: {shown_title}\ndate: {date}\n---\n{shown_text}\n", encoding="utf-8")
    if library:
        title, text, date = LIBRARY
        (folder / "north-wire--library.md").write_text(
            f"---\ntitle: {title}\ndate: {date}\n---\n{text}\n", encoding="utf-8")
    return folder


def test_similar_events_are_separate_stories(fake_embedder):
    articles, gold = pile_articles()
    groups = group_pile(articles, fake_embedder.encode, StorySettings())
    labels = [next(g.name for g in groups if i in g.members) for i in range(len(articles))]
    assert bcubed(labels, gold) == (1.0, 1.0, 1.0)
    assert [g.name for g in groups] == [
        QUAKE_KESSEL[0], QUAKE_MIRALDA[0], OFFER_ROVERS[0], OFFER_VERRA[0], LIBRARY[0]]


def test_dates_far_apart_keep_a_retold_story_apart(fake_embedder):
    """The same wording a month apart: two events (a yearly festival, say), not one."""
    articles, _ = pile_articles()
    kessel = [a for a in articles if "kessel" in a.path]
    later = [_article(a.path + "-later", a.outlet, a.title, a.text, "2026-04-20") for a in kessel]
    pile = kessel + later
    settings = StorySettings(date_weight=0.5, link_threshold=0.6)
    labels = [next(g.name for g in group_pile(pile, fake_embedder.encode, settings)
                   if i in g.members) for i in range(len(pile))]
    assert bcubed(labels, ["a"] * 3 + ["b"] * 3)[2] == 1.0
    undated = [_article(a.path, a.outlet, a.title, a.text) for a in pile]
    labels = [next(g.name for g in group_pile(undated, fake_embedder.encode, settings)
                   if i in g.members) for i in range(len(pile))]
    assert len(set(labels)) == 1


def test_new_articles_join_the_stories_of_an_earlier_run(fake_embedder):
    articles, _ = pile_articles()
    first = [a for a in articles if not a.outlet == "the-ledger"]
    groups = group_pile(first, fake_embedder.encode, StorySettings())
    # The earlier run's stories.csv, with folders of the user's choosing (kept as they are).
    previous = {assignment_key(first[i].path, first[i].title): (g.name, f"folder-{n}")
                for n, g in enumerate(groups) for i in g.members}
    again = group_pile(articles, fake_embedder.encode, StorySettings(), previous)
    assert [(g.name, g.folder) for g in again] == [(g.name, f"folder-{n}")
                                                  for n, g in enumerate(groups)]
    for group in again:
        events = {articles[i].path.split("--")[1] for i in group.members}
        assert len(events) == 1
    ledger = [i for i, a in enumerate(articles) if a.outlet == "the-ledger"]
    assert all(any(i in g.members for g in again[:4]) for i in ledger)


def test_earlier_stories_never_merge_and_keep_their_names(fake_embedder):
    articles, _ = pile_articles()
    kessel = [a for a in articles if "kessel" in a.path]
    # An earlier run (or the user, editing stories.csv) split one event in two.
    previous = {assignment_key(kessel[0].path, kessel[0].title): ("Kessel one", "k1"),
                assignment_key(kessel[1].path, kessel[1].title): ("Kessel two", "k2")}
    groups = group_pile(kessel, fake_embedder.encode, StorySettings(), previous)
    assert [g.name for g in groups] == ["Kessel one", "Kessel two"]
    assert sorted(len(g.members) for g in groups) == [1, 2]


def test_an_earlier_row_pins_only_the_same_article(fake_embedder):
    """A feed reordered since the last run: the row for its first line now names another
    article, which is not pinned into the old story."""
    articles, _ = pile_articles()
    kessel = [a for a in articles if "kessel" in a.path]
    previous = {assignment_key(kessel[0].path, "Another headline entirely"): ("Kessel one", "k1")}
    groups = group_pile(kessel, fake_embedder.encode, StorySettings(), previous)
    assert "Kessel one" not in [g.name for g in groups]


def test_average_linkage_and_cut_agree():
    edges = {(0, 1): 0.9, (1, 2): 0.5, (0, 2): 0.3, (2, 3): 0.8, (3, 4): 0.1}
    labels, merges = average_linkage(5, edges, 0.0)
    assert [round(m.height, 4) for m in merges] == [0.9, 0.8, 0.2, 0.025]
    for threshold in (0.85, 0.5, 0.2, 0.01):
        assert list(cut(5, merges, threshold)) == list(average_linkage(5, edges, threshold)[0])
    assert list(average_linkage(5, edges, 0.5)[0]) == [0, 0, 1, 1, 2]


# Two fires at one warehouse in one week, told alike, each by three outlets. Invented.
FIRE_TUESDAY = ("Fire destroys Halden grain warehouse",
                "A fire destroyed the grain warehouse on the Halden quay on Tuesday night. Fire "
                "chief Mara Lund said 40 firefighters fought the blaze for six hours and that the "
                "cause was not yet known. Nobody was hurt, and the quay road stayed closed.")
FIRE_FRIDAY = ("Second fire at Halden grain warehouse",
               "A fire broke out again at the grain warehouse on the Halden quay on Friday night. "
               "Fire chief Mara Lund said 25 firefighters fought the blaze for three hours and "
               "that the cause was not yet known. Nobody was hurt, and the quay road was closed.")


def _fires(second=FIRE_FRIDAY, dates=(None, None)):
    articles = []
    for event, (title, text), date in (("first", FIRE_TUESDAY, dates[0]),
                                       ("second", second, dates[1])):
        for outlet in OUTLETS:
            articles.append(_article(f"{outlet}--{event}.md", outlet,
                                     *_retold(outlet, title, text), date))
    return articles


def _stories(articles, embed, settings):
    groups = group_pile(articles, embed, settings)
    return sorted(sorted(g.members) for g in groups)


def test_weekdays_named_in_a_lead():
    assert weekdays_named("Struck on Tuesday; Friday's vote; schools reopen on MONDAY") == (
        0b10011)
    assert weekdays_named("Sunday") == 0b1000000
    # Not a weekday: part of a longer word.
    assert weekdays_named("Mondays are quiet; Sundayville; no day named") == 0


def test_weekday_conflict_counts_pairs_that_name_days():
    tuesday, friday, both = 0b10, 0b10000, 0b10010
    # 2 Tuesday articles against a Friday one and a Tuesday-and-Friday one: 4 pairs, 2 apart.
    assert weekday_conflict({(tuesday, False): 2}, {(friday, False): 1, (both, False): 1}) == 0.5
    # Pairs of two dated articles are left to the dates; no pair left: no conflict.
    assert weekday_conflict({(tuesday, True): 2}, {(friday, True): 3}) == 0.0
    # Of three pairs, the two dated Tuesday-Friday articles do not count; of the other two, one
    # names other days.
    assert weekday_conflict({(tuesday, True): 1},
                            {(friday, True): 1, (friday, False): 1, (tuesday, False): 1}) == 0.5
    assert weekday_conflict({}, {(friday, False): 4}) == 0.0


def test_average_linkage_keeps_groups_naming_other_days_apart():
    # Articles 0-1 and 2-3 are two close pairs, 0.5 similar across; 0-1 name Tuesday, 2-3
    # Friday (3 names no day).
    edges = {(0, 1): 0.9, (2, 3): 0.9, (0, 2): 0.5, (0, 3): 0.5, (1, 2): 0.5, (1, 3): 0.5}
    days = [0b10, 0b10, 0b10000, 0]
    assert list(average_linkage(4, edges, 0.4)[0]) == [0, 0, 0, 0]
    labels, merges = average_linkage(4, edges, 0.4, weekdays=days, weekday_weight=0.2)
    assert list(labels) == [0, 0, 1, 1]
    assert [round(m.height, 4) for m in average_linkage(4, edges, 0.0, weekdays=days,
                                                         weekday_weight=0.2)[1]] == [0.9, 0.9, 0.3]
    # The same day named on both sides adds nothing; two dated sides are left to the dates.
    assert list(average_linkage(4, edges, 0.4, weekdays=[0b10] * 4, weekday_weight=0.2)[0]) == [
        0, 0, 0, 0]
    assert list(average_linkage(4, edges, 0.4, weekdays=days, dated=[True] * 4,
                                weekday_weight=0.2)[0]) == [0, 0, 0, 0]


def test_undated_events_on_other_weekdays_are_separate_stories(fake_embedder):
    """Two fires told alike, on Tuesday and on Friday, with no dates: the named days keep
    them apart; without the weekday signal they are one story."""
    fires = _fires()
    two = [[0, 1, 2], [3, 4, 5]]
    settings = StorySettings(link_threshold=0.5)
    assert _stories(fires, fake_embedder.encode, settings) == two
    off = StorySettings(link_threshold=0.5, weekday_weight=0.0)
    assert _stories(fires, fake_embedder.encode, off) == [[0, 1, 2, 3, 4, 5]]
    # Both on a Tuesday (a week apart, say): the weekdays cannot tell them apart.
    same_day = _fires(second=(FIRE_FRIDAY[0], FIRE_FRIDAY[1].replace("Friday", "Tuesday")))
    assert _stories(same_day, fake_embedder.encode, settings) == [[0, 1, 2, 3, 4, 5]]
    # Dated articles are left to their dates, here a week apart: neither closer nor further.
    dated = _fires(dates=("2026-05-05", "2026-05-12"))
    assert _stories(dated, fake_embedder.encode, settings) == [[0, 1, 2, 3, 4, 5]]


def test_tune_choice_is_the_threshold_plateau_then_the_weight():
    """The threshold comes from the smallest weight; a higher training F1 reached only by
    moving the threshold with a larger weight does not move it."""
    thresholds = evaluate_stories.THRESHOLDS

    def table(peak, f1_at_peak):  # F1 0.5, but f1_at_peak within 0.03 of the peak
        return {t: (1.0, 1.0, f1_at_peak if abs(t - peak) < 0.035 else 0.5)
                for t in thresholds}

    # Choosing both at once would take (0.4, 0.20), where the training F1 is highest.
    tables = {0.0: table(0.32, 0.90), 0.1: table(0.32, 0.95), 0.2: table(0.32, 0.95),
              0.3: table(0.20, 0.99), 0.4: table(0.20, 0.99)}
    assert evaluate_stories._best(tables) == (0.1, 0.32)
    # One weight only: the threshold alone, as before there was a weekday weight.
    assert evaluate_stories._best({0.0: table(0.45, 0.9)}) == (0.0, 0.45)


def test_bcubed_by_hand():
    # Predicted {a,b,c} {d}; gold {a,b} {c,d}.
    p, r, f = bcubed([1, 1, 1, 2], ["x", "x", "y", "y"])
    assert (round(p, 4), round(r, 4)) == (round((2 / 3 * 2 + 1 / 3 + 1) / 4, 4), 0.75)
    assert f == pytest.approx(2 * p * r / (p + r))


@pytest.mark.parametrize("title, expected", [
    ("../../etc", "../../etc"),
    ("a/b\\c\x00\x1b[31m\nnext", "a/b\\c [31m next"),
    ("word " * 100, ("word " * 24).strip() + "…"),
    ("", "The first words of the text"),
])
def test_headline_is_one_readable_line(title, expected):
    article = _article("x.md", "o", title, "The first words of the text")
    assert headline(article) == expected




def read_csv(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_run_auto_writes_stories_csv_index_and_reports(tmp_path, fake_models):
    pile = write_pile(tmp_path / "pile")
    (pile / "broken.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", pile, "--stories", "auto", "-o", out)
    assert result.exit_code == 0, result.output
    rows = read_csv(out / "stories.csv")
    assert list(rows[0]) == ["path", "story", "title", "outlet", "date", "status", "reason",
                             "folder"]
    assert len(rows) == 14
    broken = next(r for r in rows if r["path"].endswith("broken.json"))
    assert (broken["story"], broken["status"], broken["folder"]) == ("", "skipped", "")
    assert broken["reason"].startswith("invalid JSON")
    stories = {r["story"]: r["folder"] for r in rows if r["story"]}
    assert stories[QUAKE_KESSEL[0]] == "earthquake-of-magnitude-6-1-strikes-kessel-valley"
    assert stories[LIBRARY[0]] == ""  # one outlet: listed, not cross-checked
    for story, folder in stories.items():
        if folder:
            document = json.loads((out / folder / "findings.json").read_text())
            assert document["story"] == story
            assert len({a["outlet"] for a in document["articles"]}) == 3
    assert not (out / "haverford-library-reopens-after-roof-repair").exists()
    index = (out / "index.html").read_text()
    assert index.count('<th scope="row">') == 4
    assert "daily-courier, north-wire, the-ledger" in index
    assert "Stories from one outlet only" in index and LIBRARY[0] in index
    assert str(out / "index.html") in result.stdout


def test_second_run_adds_new_articles_to_existing_stories(tmp_path, fake_models):
    pile = write_pile(tmp_path / "pile", outlets=OUTLETS[:2], library=False)
    out = tmp_path / "out"
    assert invoke("run", pile, "--stories", "auto", "-o", out, "-q").exit_code == 0
    before = {r["path"]: (r["story"], r["folder"]) for r in read_csv(out / "stories.csv")}
    write_pile(pile, outlets=OUTLETS[2:], library=False)
    result = invoke("run", pile, "--stories", "auto", "-o", out)
    assert result.exit_code == 0, result.output
    assert "8 inputs keep their stories" in result.stderr
    after = {r["path"]: (r["story"], r["folder"]) for r in read_csv(out / "stories.csv")}
    assert {p: after[p] for p in before} == before
    for event in EVENTS:
        assert after[str(pile / f"the-ledger--{event}.md")] == \
            after[str(pile / f"daily-courier--{event}.md")]
    assert len({s for s, _ in after.values()}) == 4


def test_a_rerun_takes_every_embedding_from_the_cache(tmp_path, fake_models, fake_embedder,
                                                      monkeypatch):
    embedded = []
    encode = fake_embedder.encode
    monkeypatch.setattr(fake_embedder, "encode",
                        lambda texts, *a, **k: embedded.extend(texts) or encode(texts, *a, **k))
    pile = write_pile(tmp_path / "pile", library=False)
    out = tmp_path / "out"
    assert invoke("run", pile, "--stories", "auto", "-o", out, "-q").exit_code == 0
    first = len(embedded)
    assert first > 12
    assert invoke("run", pile, "--stories", "auto", "-o", out, "-q").exit_code == 0
    assert len(embedded) == first


def test_hostile_titles_give_safe_distinct_folders(tmp_path, fake_models):
    pile = tmp_path / "pile"
    pile.mkdir()
    hostile = ["../../etc", "../../etc", "<script>alert(1)</script>a/b\\c\x07" + "x" * 500]
    for n, (title, event) in enumerate(zip(hostile, (QUAKE_KESSEL, QUAKE_MIRALDA, LIBRARY))):
        for outlet in ("daily-courier", "north-wire"):
            (pile / f"{outlet}--{n}.json").write_text(json.dumps(
                {"title": title, "text": _retold(outlet, "", event[1])[1], "outlet": outlet}),
                encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", pile, "--stories", "auto", "-o", out)
    assert result.exit_code == 0, result.output
    folders = [r["folder"] for r in read_csv(out / "stories.csv")]
    assert len(set(folders)) == 3 and "" not in folders
    for folder in set(folders):
        assert (out / folder / "report.html").resolve().parent.parent == out.resolve()
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(set(folders))
    assert not (tmp_path / "etc").exists()
    index = (out / "index.html").read_text()
    assert "<script>alert" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;a/b" in index


def test_stories_option_forms(tmp_path, fake_models):
    pile = write_pile(tmp_path / "pile", library=False)
    result = invoke("run", pile, "--stories", "nonsense", "-o", tmp_path / "out")
    assert (result.exit_code, result.output.strip()) == (
        1, "Error: --stories 'nonsense': expected folder, auto or key:FIELD "
           "(e.g. key:triplet-uuid)")
    result = invoke("run", pile, "--stories", "auto", "--story-key", "x", "-o", tmp_path / "o")
    assert result.output.strip() == "Error: give --stories or --story-key, not both"
    result = invoke("run", pile, "--set", "stories.group=topic", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "stories.group: 'topic' is not one of folder, auto" in result.output
    result = invoke("run", pile, "--stories", "folder", "-o", tmp_path / "folder-out", "-q")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "folder-out").iterdir()) == ["pile"]


def test_damaged_stories_csv_means_grouping_from_scratch(tmp_path, fake_models):
    pile = write_pile(tmp_path / "pile", library=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "stories.csv").write_bytes(b"\xff\xfe garbage")
    result = invoke("run", pile, "--stories", "auto", "-o", out)
    assert result.exit_code == 0, result.output
    assert "grouping from scratch" in result.stderr
    assert len({r["story"] for r in read_csv(out / "stories.csv")}) == 4


def test_tune_stories_reports_bcubed_and_a_threshold(tmp_path, fake_models):
    pile = write_pile(tmp_path / "pile")
    gold = tmp_path / "gold.csv"
    lines = ["file,topic,story"]
    for path in sorted(pile.iterdir()):
        event = path.stem.split("--")[1]
        topic = {"kessel": "quake", "miralda": "quake", "rovers": "offer", "verra": "offer"}
        lines.append(f"{path.name},{topic.get(event, 'other')},{event}")
    gold.write_text("\n".join(lines) + "\n")
    result = invoke("tune-stories", pile, "--gold", gold, "-o", tmp_path / "tuned.toml")
    assert result.exit_code == 0, result.output
    assert "B-cubed with the current settings: P 1.000 R 1.000 F1 1.000" in result.stdout
    assert "held-out" in result.stdout
    tuned = (tmp_path / "tuned.toml").read_text()
    assert tuned.startswith("[stories]\nlink_threshold = ")
    assert "\nweekday_weight = " in tuned
    threshold = float(tuned.split("link_threshold = ")[1].split()[0])
    rerun = invoke("run", pile, "--stories", "auto", "-c", tmp_path / "tuned.toml",
                   "-o", tmp_path / "out", "-q")
    assert rerun.exit_code == 0
    assert len({r["story"] for r in read_csv(tmp_path / "out" / "stories.csv")}) == 5
    assert 0 < threshold < 1


def test_grouping_errors_name_merged_and_split_stories():
    # Found story 1 mixes a and b; found stories 2 and 3 split c; b is spread over 1 and 2.
    errors = grouping_errors([1, 1, 1, 2, 2, 3, 2], ["a", "a", "b", "b", "c", "c", "c"])
    assert errors == GroupingErrors(merged=((("a", 2), ("b", 1)), (("c", 2), ("b", 1))),
                                    split=(("c", (2, 1)), ("b", (1, 1))))
    assert format_errors(errors) == ["merged: a 2 + b 1; c 2 + b 1", "split: c 2/1; b 1/1"]
    assert format_errors(grouping_errors([1, 1, 2], ["a", "a", "b"])) == []
    # Ten stories each split in two: the largest eight are named, the rest counted.
    many = format_errors(grouping_errors(range(20), [f"s{k // 2}" for k in range(20)]))
    assert many == ["split: " + "; ".join(f"s{k} 1/1" for k in range(8)) + "; and 2 more"]


def test_tune_stories_names_the_gold_stories_it_merges_and_splits(tmp_path, fake_models):
    """A gold that holds the two earthquakes as one story and the Kessel quake as two: the
    grouping (right by event) splits the first and merges the second, and says so."""
    pile = write_pile(tmp_path / "pile")
    gold = tmp_path / "gold.csv"
    story = {"kessel": "quakes", "miralda": "quakes", "rovers": "rovers", "verra": "verra",
             "library": "library"}
    lines = ["file,story"]
    for path in sorted(pile.iterdir()):
        event = path.stem.split("--")[1]
        name = "kessel-b" if path.name == "the-ledger--kessel.md" else story[event]
        lines.append(f"{path.name},{name}")
    gold.write_text("\n".join(lines) + "\n")
    result = invoke("tune-stories", pile, "--gold", gold, "--folds", "2")
    assert result.exit_code == 0, result.output
    current = result.stdout.split("suggested link_threshold")[0].splitlines()[1:]
    assert current[1:] == ["  merged: quakes 2 + kessel-b 1", "  split: quakes 3/2"]


def test_tune_stories_chooses_on_the_training_folds_only(monkeypatch, fake_embedder):
    """Each fold's threshold and weekday weight come from tables of the other folds' articles
    alone, and the held-out fold is measured with them."""
    articles, gold = pile_articles()
    topic = {"kessel": "quake", "miralda": "quake", "rovers": "offer", "verra": "offer",
             "library": "other"}
    entries = [evaluate_stories.GoldEntry(a.path, story, topic[story])
               for a, story in zip(articles, gold)]
    calls = []
    scores_by_weight = evaluate_stories.scores_by_weight

    def recorded(pile, *args, **kwargs):
        tables = scores_by_weight(pile, *args, **kwargs)
        calls.append(({a.path for a in pile}, tables))
        return tables

    monkeypatch.setattr(evaluate_stories, "scores_by_weight", recorded)
    figures = evaluate_stories.tune_stories(articles, entries, "", Settings(),
                                            fake_embedder.encode, 3, lambda message: None,
                                            weekday_weights=(0.0, 0.1, 0.2))
    assert len(calls) == 4 and calls[0][0] == {a.path for a in articles}
    held_out_topics = [["offer"], ["other"], ["quake"]]  # natural order, every third
    for fold, (paths, tables) in zip(figures["folds"], calls[1:]):
        assert fold["topics"] == held_out_topics[fold["fold"] - 1]
        assert paths == {e.key for e in entries if e.topic not in fold["topics"]}
        assert (fold["weekday_weight"], fold["threshold"]) == evaluate_stories._best(tables)


def test_tune_stories_weekday_weights_option(tmp_path, fake_models):
    pile = write_pile(tmp_path / "pile")
    gold = tmp_path / "gold.csv"
    gold.write_text("file,story\n" + "".join(f"{p.name},{p.stem.split('--')[1]}\n"
                                               for p in sorted(pile.iterdir())))
    result = invoke("tune-stories", pile, "--gold", gold, "--folds", "2", "--weekday-weights",
                    "0", "-o", tmp_path / "tuned.toml")
    assert result.exit_code == 0, result.output
    assert "weekday_weight = 0.0\n" in (tmp_path / "tuned.toml").read_text()
    assert "F1 by weekday_weight" not in result.stdout
    assert "weekday weight 0, held-out" in result.stdout
    bad = invoke("tune-stories", pile, "--gold", gold, "--weekday-weights", "0,heavy")
    assert bad.exit_code == 2
    assert "'0,heavy': expected numbers separated by commas" in bad.output
