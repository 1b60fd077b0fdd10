"""Triggers, clause cues and the status table, sentence by sentence (geo.postures.clause, frames, status.yaml).

Every sentence is written for these tests. Each is parsed, its frames are
built with no place names, and the frame's status is read from the status
table for the role its class gives a place ("site" for a stay, "origin" for
a withdrawal).
"""
import pytest

from geo.postures.document import ArticleContext
from geo.postures.frames import sentence_frames
from geo.postures.rulebook import rulebook
from geo.postures.syntax import parse


@pytest.fixture(scope="module")
def frames_of(tiny_parser):
    book = rulebook()

    def run(sentence):
        (doc,) = parse([sentence])
        return sentence_frames(0, doc, [], 0, book, ArticleContext(tiny_parser))

    return run


def decide(frame):
    role = "origin" if frame.cls in ("withdraw", "close", "move") else "site"
    return rulebook().status({**frame.features, "role": role, "context": "none", "feature": "point"})


def first(frames_of, sentence, cls=None):
    fs = [f for f in frames_of(sentence) if cls is None or f.cls == cls]
    assert fs, f"no {cls or ''} frame in {sentence!r}"
    return fs[0]


@pytest.mark.parametrize("sentence,expected", [
    # announced, agreed, planned, requested, begun, under way
    ("Paris agreed to withdraw its soldiers from Niger.", "withdrawing"),
    ("The marines will leave the island next spring.", "withdrawing"),
    ("The contingent began withdrawing from the valley on Monday.", "withdrawing"),
    ("Kyiv asked the mission to pull out of the city.", "withdrawing"),
    ("Units are withdrawing from the bridgehead.", "withdrawing"),
    ("The pullout of German troops is under way.", "withdrawing"),
    ("The observers would cease their activities by June.", "withdrawing"),
    ("The garrison is set to wind down by the end of the year.", "withdrawing"),
    ("The withdrawal of the battalion was announced.", "withdrawing"),
    # completed
    ("The last American troops left the airfield on August 30.", "withdrawn"),
    ("The brigade has withdrawn from the town.", "withdrawn"),
    ("Danish soldiers handed over the camp to the army.", "withdrawn"),
    ("The withdrawal was completed in March.", "withdrawn"),
    # refused, halted or denied: the force stays
    ("Washington will not withdraw its forces from the base.", "staying"),
    ("The president refused to pull out the battalion.", "staying"),
    ("London halted the withdrawal of its engineers.", "staying"),
    ("Moscow denied that its troops had left the base.", "staying"),
])
def test_withdrawal_frames(frames_of, sentence, expected):
    (f, *_) = [f for f in frames_of(sentence) if f.cls in ("withdraw", "close")]
    assert decide(f).status == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Turkish troops remain in the north of the country.", "staying"),
    ("The fleet will stay in the harbour.", "staying"),
    ("The alliance maintains a battalion in the town.", "staying"),
    ("Italian soldiers will only briefly stay at the airport before flying home.", "withdrawing"),
    ("Troops are no longer stationed in the valley.", "withdrawn"),
    ("The force will not remain after the mandate expires.", "withdrawing"),
    ("The engineers stayed in the port until March.", "withdrawn"),
])
def test_stay_frames(frames_of, sentence, expected):
    assert decide(first(frames_of, sentence, "stay")).status == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Russia is reducing its contingent in the region.", "withdrawing"),
    ("Washington will halve its troop presence there.", "withdrawing"),
    ("The army has cut its troops in the north.", "withdrawn"),
    ("Indian troops disengaged from the valley.", "withdrawn"),
    ("Poland will host a permanent US garrison.", "staying"),
])
def test_reductions_and_reinforcements(frames_of, sentence, expected):
    f = next(f for f in frames_of(sentence) if decide(f).status is not None)
    assert decide(f).status == expected


def test_what_a_withdrawal_leaves_behind_stays(frames_of):
    (f,) = [f for f in frames_of("The withdrawal will leave 400 soldiers in the capital.") if f.trigger == "leave"]
    assert f.cls == "stay" and decide(f).status == "staying"


@pytest.mark.parametrize("sentence", [
    "The guards will leave the checkpoint on the ridge next week.",
    "Sappers will leave the outpost above the river in March.",
    "The garrison will leave the barracks by the harbour soon.",
])
def test_leaving_a_post_is_a_withdrawal_not_what_is_left_behind(frames_of, sentence):
    f = next(f for f in frames_of(sentence) if f.trigger == "leave")
    assert f.cls == "withdraw" and decide(f).status == "withdrawing"


def test_a_plan_stated_in_the_past_is_overtaken_and_weak(frames_of):
    row = decide(first(frames_of, "The soldiers were due to stay there until 2027.", "stay"))
    assert row.status == "staying" and row.confidence < 0.35


def test_at_its_peak_is_a_past_state_weaker_than_a_fact(frames_of):
    peak = decide(first(frames_of, "At its peak, the mission had 9,000 troops in the north.", "stay"))
    now = decide(first(frames_of, "The mission has 9,000 troops in the north.", "stay"))
    assert peak.status == now.status == "staying" and peak.confidence < now.confidence


def test_unaffected_means_staying(frames_of):
    f = first(frames_of, "The agreement does not affect the naval base, officials said.")
    assert f.cls == "unaffected" and decide(f).status == "staying"


@pytest.mark.parametrize("sentence", [
    "No tasks were left for the soldiers.",
    "Fighting on the left bank continued.",
    "Nothing was left of the old garrison.",
    "The camp lies close to the river.",
])
def test_words_that_only_look_like_triggers(frames_of, sentence):
    assert not [f for f in frames_of(sentence) if f.cls in ("withdraw", "close")]


def test_a_copula_with_a_force_subject_states_a_presence(frames_of):
    f = first(frames_of, "The soldiers are still in the barracks.")
    assert f.cls == "presence" and decide(f).status == "staying"
    assert not [f for f in frames_of("The talks are in the capital.") if f.cls == "presence"]


def test_the_verb_of_expulsion_makes_its_object_the_force(frames_of):
    f = first(frames_of, "Local militias drove the foreign troops out of the town.")
    assert f.cls == "withdraw" and "foreign troops" in f.force.phrase


def test_the_cues_that_decided_are_kept_with_their_rule_ids(frames_of):
    s = "Moscow said it would withdraw the brigade."
    f = first(frames_of, s, "withdraw")
    assert f.modality == "future" and any(c.word == "would" for c in f.cues)
    assert "cue.modality.future.would" in {c.rule for c in f.cues}
    assert all(0 <= a < b <= len(s) for a, b in [f.span, *(c.span for c in f.cues)])
