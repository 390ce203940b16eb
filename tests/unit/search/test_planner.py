"""The query planner: French-safe typo correction, concepts, places, scope and audience."""

from __future__ import annotations

import pytest

from directory.config import SEED_DIR
from directory.search.places import NamedPlace, PlaceIndex
from directory.search.planner import NEED, OUT_OF_SCOPE, PLACE, Vocabulary, correct, plan
from directory.search.thesaurus import Group, Thesaurus

LAVAL = NamedPlace("Laval", "13", 45.57, -73.69, "municipality")
MASHTEUIATSH = NamedPlace("Mashteuiatsh", "02", 48.57, -72.23, "municipality")
PLACES = PlaceIndex(
    [("Laval", LAVAL), ("Mashteuiatsh", MASHTEUIATSH), ("Pointe-Bleue", MASHTEUIATSH)]
)
# What an index of the seed holds, roughly: names, places, sector labels.
INDEX_TEXT = (
    "maison flora tristan hebergement femmes centre jeunesse protection laval roberval "
    "conjoints violents mashteuiatsh famille agression sexuelle"
)
INDEX_WORDS = frozenset(INDEX_TEXT.split())


@pytest.fixture(scope="module")
def thesaurus():
    return Thesaurus.load(SEED_DIR / "thesaurus.yaml")


def _vocabulary(thesaurus, words=INDEX_WORDS):
    extra = sorted(thesaurus.vocabulary - words)
    return Vocabulary(words=words, candidates=[*sorted(words), *extra])


def _plan(thesaurus, text):
    return plan(text, vocabulary=_vocabulary(thesaurus), thesaurus=thesaurus, places=PLACES)


def test_a_real_french_word_is_never_corrected(thesaurus):
    # "frappe" is not in the index, "rape" is a thesaurus word one letter away.
    assert correct(["chum", "frappe"], _vocabulary(thesaurus), thesaurus) == ["chum", "frappe"]


def test_a_real_english_word_is_never_corrected(thesaurus):
    assert correct(["blanch"], _vocabulary(thesaurus), thesaurus) == ["blanch"]


def test_typos_are_still_corrected(thesaurus):
    vocabulary = _vocabulary(thesaurus)
    assert correct(["tristn", "hebergment"], vocabulary, thesaurus) == ["tristan", "hebergement"]


def test_a_correction_never_switches_population():
    women = Group(terms=(("femmes",),), sectors=("VCF",), population="women")
    men = Group(terms=(("hommes",),), sectors=(), audience="authors", population="men")
    thesaurus = Thesaurus([women, men])
    vocabulary = Vocabulary(words=frozenset(), candidates=["femmes", "hommes"])
    # Equally close to both: left as typed rather than guessed.
    assert correct(["fommes"], vocabulary, thesaurus) == ["fommes"]
    # Clearly one of them: corrected.
    assert correct(["femmmes"], vocabulary, thesaurus) == ["femmes"]


def test_french_candidates_win_near_ties():
    thesaurus = Thesaurus([Group(terms=(("centre",), ("center",)), sectors=())])
    vocabulary = Vocabulary(words=frozenset(), candidates=["center", "centre"])
    assert correct(["centrr"], vocabulary, thesaurus) == ["centre"]


def test_the_victim_s_words_are_one_victims_concept(thesaurus):
    query_plan = _plan(thesaurus, "mon chum me frappe")
    assert query_plan.corrected is None
    [concept] = query_plan.concepts
    assert concept.sectors == ("VCF",)
    assert not query_plan.names_author


@pytest.mark.parametrize(
    ("text", "names_author"),
    [
        ("violence conjugale", False),
        ("aide aux femmes", False),
        ("conjoint violent", True),
        ("homme", True),
        ("agresseur", True),
        ("auteur de violence", True),
        ("comportements violents", True),
    ],
)
def test_whether_the_query_names_the_author(thesaurus, text, names_author):
    assert _plan(thesaurus, text).names_author is names_author


def test_out_of_scope_needs_stay_literal(thesaurus):
    query_plan = _plan(thesaurus, "hébergement Banque alimentaire")
    kinds = [concept.kind for concept in query_plan.concepts]
    assert kinds == [NEED, OUT_OF_SCOPE]
    out = query_plan.out_of_scope[0]
    assert (out.typed, out.terms, out.sectors, out.shown) == (
        ("banque", "alimentaire"),
        (),
        (),
        "Banque alimentaire",
    )
    assert query_plan.relaxable


def test_places_named_in_the_query(thesaurus):
    query_plan = _plan(thesaurus, "refuge femmes Laval")
    assert [concept.kind for concept in query_plan.concepts] == [NEED, NEED, PLACE]
    assert query_plan.places == (LAVAL,)


def test_former_place_names(thesaurus):
    assert _plan(thesaurus, "famille Pointe-Bleue").places == (MASHTEUIATSH,)


def test_mood_disorders_and_psy_are_mental_health(thesaurus):
    depression = _plan(thesaurus, "dépression bipolaire").concepts
    assert len(depression) == 1
    assert ("humeur",) in depression[0].terms
    assert _plan(thesaurus, "psy").concepts[0].sectors == ("PSM",)


def test_no_searchable_word_gives_no_plan(thesaurus):
    assert _plan(thesaurus, "le la les") is None
