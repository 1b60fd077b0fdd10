"""Each rule family of the status decision, with sentences written for these tests."""
import pytest

from geo.postures.triggers import find_triggers


def status_of(sentence, kind=None):
    ts = [t for t in find_triggers(sentence) if kind is None or t.kind == kind]
    assert ts, f"no trigger in {sentence!r}"
    return ts[0].status


@pytest.mark.parametrize("sentence,expected", [
    # withdrawal announced, agreed, planned, requested, begun, under way
    ("Paris agreed to withdraw its soldiers from Niger.", "withdrawing"),
    ("The marines will leave the island next spring.", "withdrawing"),
    ("The contingent began withdrawing from the valley on Monday.", "withdrawing"),
    ("Kyiv asked the mission to pull out of the city.", "withdrawing"),
    ("Units are withdrawing from the bridgehead.", "withdrawing"),
    ("The pullout of German troops is under way.", "withdrawing"),
    ("The observers would cease their activities by June.", "withdrawing"),
    ("The garrison is set to wind down by the end of the year.", "withdrawing"),
    # completed
    ("The last American troops left the airfield on August 30.", "withdrawn"),
    ("The brigade has withdrawn from the town.", "withdrawn"),
    ("Danish soldiers handed over the camp to the army.", "withdrawn"),
    ("The sailors are now back in Toulon.", "withdrawn"),
    ("The withdrawal was completed in March.", "withdrawn"),
    ("The withdrawal of the battalion was announced.", "withdrawing"),
    # refused or cancelled withdrawal -> staying
    ("Washington will not withdraw its forces from the base.", "staying"),
    ("The president refused to pull out the battalion.", "staying"),
    ("London halted the withdrawal of its engineers.", "staying"),
])
def test_withdraw_class(sentence, expected):
    assert status_of(sentence, "withdraw") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Turkish troops remain in the north of the country.", "staying"),
    ("The fleet will stay in Tartus.", "staying"),
    ("The alliance maintains a battalion in Tapa.", "staying"),
    ("Italian soldiers will only briefly stay at the airport before flying home.", "withdrawing"),
    ("Troops are no longer stationed in the valley.", "withdrawn"),
    ("The force will not remain after the mandate expires.", "withdrawing"),
])
def test_stay_class(sentence, expected):
    assert status_of(sentence, "stay") == expected


def test_superseded_plan_is_a_weak_staying():
    (t,) = [t for t in find_triggers("The soldiers were due to stay there until 2027.") if t.kind == "stay"]
    assert t.status == "staying" and t.confidence < 0.5


def test_history_of_deployment_is_weaker_than_a_withdrawal():
    history = [t for t in find_triggers("The unit was deployed to the region in 2019.") if t.kind == "stay"][0]
    began = [t for t in find_triggers("The unit began withdrawing.") if t.kind == "withdraw"][0]
    assert history.confidence < began.confidence


def test_unaffected_means_staying():
    ts = find_triggers("The agreement does not affect the naval base, officials said.")
    assert ts[0].kind == "unaffected" and ts[0].status == "staying"


def test_left_as_an_adjective_is_not_a_trigger():
    assert not [t for t in find_triggers("There are no functions left for the troops.") if t.kind == "withdraw"]
    assert not [t for t in find_triggers("Fighting on the left bank continued.") if t.kind == "withdraw"]


def test_trigger_words_include_the_cue():
    s = "Moscow said it would withdraw the brigade."
    (t,) = [t for t in find_triggers(s) if t.kind == "withdraw"]
    assert t.words(s) == "would withdraw"
    assert all(0 <= a < b <= len(s) for a, b in t.spans())


@pytest.mark.parametrize("sentence,expected", [
    ("Russia is reducing its contingent in the region.", "withdrawing"),
    ("Washington will halve its troop presence there.", "withdrawing"),
    ("The army has cut its troops in the north.", "withdrawn"),
    ("Indian troops disengaged from the valley.", "withdrawn"),
    ("Germany is sending additional troops to the Baltic.", "staying"),
    ("Poland will host a permanent US garrison.", "staying"),
])
def test_reductions_and_reinforcements(sentence, expected):
    assert status_of(sentence) == expected


def test_a_denied_withdrawal_is_staying():
    assert status_of("Moscow denied that its troops had left the base.") == "staying"


@pytest.mark.parametrize("sentence,present", [
    # words whose rule looks at the word before them (lookbehinds inside the word lists)
    ("Nothing left of the old garrison.", False),
    ("There was no left turn.", False),
    ("The troops left the camp.", True),
])
def test_left_after_no_or_nothing_is_not_a_departure(sentence, present):
    assert bool([t for t in find_triggers(sentence) if t.kind == "withdraw"]) is present


@pytest.mark.parametrize("sentence,word", [
    ("The outpost will close soon.", "close"),
    ("Paris decided to shut the camp.", "shut"),
    ("The soldiers are still in the barracks.", "still in"),
])
def test_close_and_still_after_their_cue_words(sentence, word):
    assert word in [sentence[t.start:t.end] for t in find_triggers(sentence)]


def test_close_to_is_proximity_not_closure():
    assert not [t for t in find_triggers("The camp lies close to the river.") if t.kind == "withdraw"]


def test_present_after_at_is_not_a_presence():
    assert not [t for t in find_triggers("At present the talks continue.") if t.kind == "stay"]
    assert [t for t in find_triggers("Troops are present in the town.") if t.kind == "stay"]
