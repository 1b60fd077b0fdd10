"""The rule files load into one rulebook, and a broken rule names its file and what to fix."""
import pytest
import yaml

from geocore.errors import GeomapError
from geo.postures import rulebook as rb


def test_every_rule_file_loads_and_every_status_row_is_reachable_by_id():
    book = rb.rulebook()
    ids = [r.id for r in book.status_rows]
    assert len(ids) == len(set(ids))
    assert book.verbs["withdraw"][0].cls == "withdraw"
    assert book.organisations["united nations"] == "United Nations" and book.max_organisation_words >= 2


def test_a_key_given_twice_is_refused_not_silently_overwritten():
    with pytest.raises(yaml.YAMLError, match="given twice"):
        yaml.load("organisations:\n  un: United Nations\n  un: Somebody\n", Loader=rb._UniqueKeyLoader)  # noqa: S506


def test_an_unknown_trigger_class_names_the_file():
    with pytest.raises(GeomapError, match="triggers.yaml.*unknown class 'wander'"):
        rb._triggers(rb.Rulebook(), {"wander": {"verbs": ["roam"]}})


def test_a_trigger_force_role_must_be_subject_or_object():
    with pytest.raises(GeomapError, match="force must be 'subject' or 'object'"):
        rb._triggers(rb.Rulebook(), {"withdraw": {"verbs": [{"lemma": "expel", "force": "verb"}]}})


def test_subject_and_object_constraints_are_compiled():
    book = rb.Rulebook()
    rb._triggers(book, {"presence": {"verbs": [{"lemma": "be", "subject": ["@force"]}]},
                        "withdraw": {"verbs": [{"lemma": "oust", "force": "object"}]}})
    assert book.verbs["be"][0].subjects == ("@force",) and book.verbs["oust"][0].force_is_object
