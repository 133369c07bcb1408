"""Partner contracts through the pipeline: filters at fan-out, glossaries and kept terms at
translation (real Apertium), and nothing translated that no partner may take."""

from __future__ import annotations

from pathlib import Path

from pipeline_support import InlineDispatcher, g2_bytes, ingest, make_runtime, sample_item
from syndicate import formats
from syndicate.item import Block, Dateline, ItemClass, NewsItem, Place, Subject
from syndicate.pipeline import TranslateJob

MOSCOW = Dateline("MOSCOW, Nov 29 /TASS/", city="MOSCOW", place=Place("Moscow", "RU"))
BEIJING = Dateline("BEIJING, Nov 29 (Xinhua)", city="BEIJING", place=Place("Beijing", "CN"))
WASHINGTON = Dateline("WASHINGTON, Nov 29 (AP)", city="WASHINGTON",
                      place=Place("Washington", "US"))
KYIV = Dateline("KYIV, Nov 29 /TASS/", city="KYIV", place=Place("Kyiv", "UA"))
SPORT = Subject("medtop:15000000")
POLITICS = Subject("medtop:11000000")

CONTRACTS = """
partners:
  - id: acme
    languages: [es]
    formats: [newsmlg2, nitf]
    filter:
      providers: [TASS, Xinhua]
      exclude_subjects: [medtop:15000000]
      max_urgency: 4
      countries: [RU, CN]
      item_classes: [text]
    glossary:
      en-es:
        council: cabildo
    do_not_translate: [Budget Office]
    destinations:
      - type: directory
        path: {out}/acme
  - id: diario
    languages: [es]
    destinations:
      - type: directory
        path: {out}/diario
  - id: homewire
    languages: [en]
    destinations:
      - type: directory
        path: {out}/homewire
"""


def story(n: int, **changes: object) -> NewsItem:
    base = sample_item(n, provider="TASS", dateline=MOSCOW, urgency=3, subjects=(POLITICS,),
                       headline=f"The council approves budget number {n}",
                       body=(Block.para("The council approved the budget on Friday."),
                             Block.para("The Budget Office said the vote was close.")))
    return base.replace(**changes) if changes else base


#: story number -> (item, whether acme's contract takes it)
STORIES = {
    1: (story(1), True),
    2: (story(2, provider="Xinhua", dateline=BEIJING, urgency=2), True),
    3: (story(3, provider="AP", dateline=WASHINGTON), False),       # not its agencies
    4: (story(4, subjects=(SPORT, POLITICS)), False),                # sport
    5: (story(5, urgency=6), False),                                 # routine
    6: (story(6, dateline=KYIV), False),                             # not its region
    7: (story(7, urgency=None), False),                              # no urgency: normal (5)
}


def delivered(out: Path, partner: str) -> dict[str, NewsItem]:
    """guid of the source story -> the item the partner got."""
    found = {}
    for path in sorted((out / partner).rglob("*.newsmlg2.xml")):
        (item,) = formats.parse(path.read_bytes()).items
        found[item.guid.removesuffix(":es")] = item
    return found


def test_the_documented_filter_delivers_exactly_the_stories_it_allows(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, CONTRACTS)
    dispatcher = InlineDispatcher()
    for item, _ in STORIES.values():
        ingest(rt, g2_bytes(item), dispatcher)
    dispatcher.drain(rt)
    out = tmp_path / "out"
    allowed = {item.guid for item, takes in STORIES.values() if takes}
    assert set(delivered(out, "acme")) == allowed
    everyone = {item.guid for item, _ in STORIES.values()}
    assert set(delivered(out, "diario")) == everyone
    assert set(delivered(out, "homewire")) == everyone


def test_a_partners_glossary_and_kept_terms_reach_that_partner_only(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, CONTRACTS)
    dispatcher = InlineDispatcher()
    ingest(rt, g2_bytes(story(1)), dispatcher)
    dispatcher.drain(rt)
    out = tmp_path / "out"
    (acme,) = delivered(out, "acme").values()
    (diario,) = delivered(out, "diario").values()
    acme_text = acme.headline + " " + " ".join(b.text for b in acme.body)
    diario_text = diario.headline + " " + " ".join(b.text for b in diario.body)
    assert "cabildo" in acme_text, acme_text
    assert "Budget Office" in acme_text, acme_text
    assert "cabildo" not in diario_text, diario_text
    assert "Budget Office" not in diario_text, diario_text
    # two translations for two ways of translating: one for acme, one for everyone else
    translations = [t for t, _ in dispatcher.outcomes if t.startswith("translate:")]
    assert len(translations) == 2, translations


def test_the_sentence_cache_never_serves_one_partners_glossary_to_another(
        tmp_path: Path) -> None:
    # acme's translation runs first and fills the (shared, in-process) cache; diario's comes
    # after, over the same sentences
    only_acme = CONTRACTS.split("  - id: diario")[0]
    first = make_runtime(tmp_path / "a", only_acme)
    d1 = InlineDispatcher()
    ingest(first, g2_bytes(story(11)), d1)
    d1.drain(first)
    assert "cabildo" in delivered(tmp_path / "a" / "out", "acme")[story(11).guid].headline
    second = make_runtime(tmp_path / "b", CONTRACTS)
    d2 = InlineDispatcher()
    ingest(second, g2_bytes(story(11)), d2)
    d2.drain(second)
    diario = delivered(tmp_path / "b" / "out", "diario")[story(11).guid]
    assert "cabildo" not in diario.headline + " ".join(b.text for b in diario.body)


def test_a_story_no_partner_may_take_is_not_translated(tmp_path: Path) -> None:
    only_acme = CONTRACTS.split("  - id: diario")[0]
    rt = make_runtime(tmp_path, only_acme)
    dispatcher = InlineDispatcher()
    sent: list[TranslateJob] = []
    dispatcher.translate = sent.append  # type: ignore[method-assign]
    ingest(rt, g2_bytes(story(3, provider="AP", dateline=WASHINGTON)), dispatcher)
    assert sent == []
    ingest(rt, g2_bytes(story(1)), dispatcher)
    assert [(j.target, j.profile) for j in sent] == [("es", "acme")]


def test_a_picture_does_not_reach_a_partner_whose_filter_takes_text(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, CONTRACTS)
    dispatcher = InlineDispatcher()
    picture = story(8, item_class=ItemClass.PICTURE, body=())
    ingest(rt, g2_bytes(picture), dispatcher)
    dispatcher.drain(rt)
    assert delivered(tmp_path / "out", "acme") == {}
