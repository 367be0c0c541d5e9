"""HParams / parse_values against r1.15 contrib.training hparam.py (no protobuf)."""

import re

import pytest

from compat_learn import _deprecation, training
from compat_learn.training import HParams, parse_values

# r1.15 messages (contrib/training/python/training/hparam.py), pinned.
MSG_RESERVED = "Hyperparameter name is reserved: %s"
MSG_EMPTY_LIST = "Multi-valued hyperparameters cannot be empty: %s"
MSG_PARSE_FAIL = "Could not parse hparam '%s' of type '%s' with value '%s' in %s"
MSG_REUSE = "Multiple assignments to variable '%s' in %s"
MSG_MALFORMED = "Malformed hyperparameter value: %s"
MSG_UNKNOWN = "Unknown hyperparameter type for %s"
MSG_LIST_TO_INDEX = "Assignment of a list to a list index."
MSG_CAST = "Could not cast hparam '%s' of type '%s' from value %r"
MSG_NOT_LIST = "Must not pass a list for single-valued parameter: %s"
MSG_NEEDS_LIST = "Must pass a list for multi-valued parameter: %s."
MSG_GET_DEFAULT = "Hparam '%s' of type '%s' is incompatible with default=%s"
# compat_learn's own.
MSG_NO_PROTO = "compat_learn's HParams does not support `hparam_def`"


def _raises(message, exc=ValueError):
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


@pytest.fixture
def hparams():
    return HParams(aaa=1, b=2.0, c_c="relu6", d="/a/b=c/d", flag=False, lst=[1, 2, 3],
                   words=["a", "b"])


def test_public_surface():
    assert training.__all__ == ["HParams", "parse_values"]


def test_construction_and_attributes(hparams):
    assert hparams.aaa == 1 and hparams.b == 2.0 and hparams.c_c == "relu6"
    assert hparams.values() == {"aaa": 1, "b": 2.0, "c_c": "relu6", "d": "/a/b=c/d",
                                "flag": False, "lst": [1, 2, 3], "words": ["a", "b"]}
    assert "aaa" in hparams and "zzz" not in hparams
    assert "values" not in hparams  # a method is not a hyperparameter


def test_empty():
    hparams = HParams()
    assert hparams.values() == {}
    assert hparams.parse("") is hparams


def test_construction_warns_deprecation():
    _deprecation._reset_for_tests()
    with pytest.warns(_deprecation.CompatLearnDeprecationWarning,
                      match=r"tf\.contrib\.training\.HParams"):
        HParams(a=1)


def test_hparam_def_is_not_supported():
    with pytest.raises(NotImplementedError, match=re.escape(MSG_NO_PROTO)):
        HParams(hparam_def=b"serialized")


def test_model_structure():
    hparams = HParams(model_structure="s", a=1)
    assert hparams.get_model_structure() == "s"
    hparams.set_model_structure("t")
    assert hparams.get_model_structure() == "t"


# ------------------------------------------------------------------ add / set / del

@pytest.mark.parametrize("name", ["values", "parse", "get", "_hparam_types"])
def test_reserved_names(name):
    with _raises(MSG_RESERVED % name):
        HParams(**{name: 1})


def test_add_existing_name_is_reserved(hparams):
    with _raises(MSG_RESERVED % "aaa"):
        hparams.add_hparam("aaa", 5)


def test_empty_list_rejected():
    with _raises(MSG_EMPTY_LIST % "x"):
        HParams(x=[])


def test_tuple_is_a_list_hyperparameter():
    hparams = HParams(t=(1, 2))
    hparams.set_hparam("t", [3])
    assert hparams.t == [3]


def test_add_hparam_with_dotted_name():
    hparams = HParams()
    hparams.add_hparam("a.b", 1)
    hparams.parse("a.b=7")
    assert getattr(hparams, "a.b") == 7 and hparams.values() == {"a.b": 7}


@pytest.mark.parametrize("name, value, expected", [
    ("aaa", 5, 5),
    ("b", 3, 3.0),  # int into float is fine
    ("c_c", "x", "x"),
    ("flag", True, True),
    ("lst", [4], [4]),
    ("words", ["z"], ["z"]),
])
def test_set_hparam_compatible(hparams, name, value, expected):
    hparams.set_hparam(name, value)
    assert getattr(hparams, name) == expected
    assert type(getattr(hparams, name)) is type(expected)


@pytest.mark.parametrize("name, value, type_", [
    ("aaa", 1.5, int),      # no float into an int
    ("aaa", True, int),     # no bool into a number
    ("b", "x", float),      # no string into a number
    ("c_c", 5, str),        # no number into a string
    ("flag", 1, bool),      # no number into a bool
])
def test_set_hparam_incompatible(hparams, name, value, type_):
    with _raises(MSG_CAST % (name, type_, value)):
        hparams.set_hparam(name, value)


def test_set_hparam_list_mismatch(hparams):
    with _raises(MSG_NOT_LIST % "aaa"):
        hparams.set_hparam("aaa", [1])
    with _raises(MSG_NEEDS_LIST % "lst"):
        hparams.set_hparam("lst", 1)
    with _raises(MSG_CAST % ("lst", int, 1.5)):
        hparams.set_hparam("lst", [1, 1.5])


def test_set_hparam_unknown_is_key_error(hparams):
    with pytest.raises(KeyError):
        hparams.set_hparam("zzz", 1)


def test_none_valued_hyperparameter_takes_anything():
    hparams = HParams(x=None)
    hparams.set_hparam("x", "anything")
    assert hparams.x == "anything"


def test_del_hparam(hparams):
    hparams.del_hparam("aaa")
    assert "aaa" not in hparams and not hasattr(hparams, "aaa")
    hparams.del_hparam("aaa")  # absent: no-op
    hparams.add_hparam("aaa", "now a string")
    assert hparams.aaa == "now a string"


# ------------------------------------------------------------------ parse

def test_parse_scalars_and_lists(hparams):
    result = hparams.parse("aaa=12,b=3,c_c=relu4,flag=true,lst=[4, 5 ,6],words=[x,y]")
    assert result is hparams
    assert hparams.values() == {"aaa": 12, "b": 3.0, "c_c": "relu4", "d": "/a/b=c/d",
                                "flag": True, "lst": [4, 5, 6], "words": ["x", "y"]}
    assert type(hparams.b) is float


def test_parse_keeps_equals_signs_in_strings(hparams):
    hparams.parse("d=/x/y=z")
    assert hparams.d == "/x/y=z"


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("True", True), ("false", False), ("False", False),
    ("0", False), ("1", True), ("7", True),
])
def test_parse_bool_forms(text, expected):
    hparams = HParams(flag=not expected)
    hparams.parse("flag=" + text)
    assert hparams.flag is expected


def test_parse_empty_list_value(hparams):
    hparams.parse("lst=[]")
    assert hparams.lst == []


@pytest.mark.parametrize("values, message", [
    ("aaa=x", MSG_PARSE_FAIL % ("aaa", "int", "x", "aaa=x")),
    ("aaa=1.5", MSG_PARSE_FAIL % ("aaa", "int", "1.5", "aaa=1.5")),
    ("b=one", MSG_PARSE_FAIL % ("b", "float", "one", "b=one")),
    ("flag=maybe", MSG_PARSE_FAIL % ("flag", "bool", "maybe", "flag=maybe")),
    ("lst=[1,x]", MSG_PARSE_FAIL % ("lst", "int", "1,x", "lst=[1,x]")),
    ("zzz=1", MSG_UNKNOWN % "zzz"),
    ("aaa=1,aaa=2", MSG_REUSE % ("aaa", "aaa=1,aaa=2")),
    ("lst=[1],lst=[2]", MSG_REUSE % ("lst", "lst=[1],lst=[2]")),
    ("aaa=1,,b=2", MSG_MALFORMED % ",b=2"),
    ("=1", MSG_MALFORMED % "=1"),
    ("aaa", MSG_MALFORMED % "aaa"),
])
def test_parse_errors(hparams, values, message):
    with _raises(message):
        hparams.parse(values)


def test_parse_error_leaves_values_unchanged(hparams):
    with pytest.raises(ValueError):
        hparams.parse("aaa=5,b=x")
    assert hparams.aaa == 1


def test_parse_values_indexed():
    assert parse_values("x=5,L=[1,2],arr[1]=3,arr[0]=4", {"x": int, "L": int, "arr": int}) == {
        "x": 5, "L": [1, 2], "arr": {1: 3, 0: 4}}


@pytest.mark.parametrize("values, message", [
    ("arr[1]=3,arr[1]=4", MSG_REUSE % ("arr[1]", "arr[1]=3,arr[1]=4")),
    ("arr=1,arr[0]=2", MSG_REUSE % ("arr", "arr=1,arr[0]=2")),
    ("arr[0]=1,arr=2", MSG_REUSE % ("arr", "arr[0]=1,arr=2")),
    ("arr[0]=1,arr=[2]", MSG_REUSE % ("arr", "arr[0]=1,arr=[2]")),
    ("arr[1]=[1,2]", MSG_LIST_TO_INDEX),
])
def test_parse_values_index_errors(values, message):
    with _raises(message):
        parse_values(values, {"arr": int})


def test_parse_values_ignore_unknown():
    assert parse_values("a=1,b=2", {"b": int}, ignore_unknown=True) == {"b": 2}


# ------------------------------------------------------------------ dict / json / get

def test_override_from_dict(hparams):
    assert hparams.override_from_dict({"aaa": 3, "lst": [9]}) is hparams
    assert (hparams.aaa, hparams.lst) == (3, [9])
    assert hparams.set_from_map({"aaa": 4}) is hparams and hparams.aaa == 4


def test_json_round_trip(hparams):
    text = hparams.to_json(sort_keys=True)
    assert text == ('{"aaa": 1, "b": 2.0, "c_c": "relu6", "d": "/a/b=c/d", "flag": false, '
                    '"lst": [1, 2, 3], "words": ["a", "b"]}')
    other = HParams(aaa=0, b=0.0, c_c="", d="", flag=True, lst=[0], words=["z"])
    assert other.parse_json(text) is other
    assert other.values() == hparams.values()
    assert hparams.to_json(indent=1, separators=(",", ":")).startswith('{\n "aaa":1,')


def test_parse_json_type_checked(hparams):
    with _raises(MSG_CAST % ("aaa", int, "x")):
        hparams.parse_json('{"aaa": "x"}')
    with pytest.raises(KeyError):
        hparams.parse_json('{"zzz": 1}')


def test_get(hparams):
    assert hparams.get("aaa") == 1
    assert hparams.get("aaa", 7) == 1
    assert hparams.get("b", 3) == 2.0  # an int default is compatible with a float
    assert hparams.get("lst", [0]) == [1, 2, 3]
    assert hparams.get("zzz") is None
    assert hparams.get("zzz", "dflt") == "dflt"


def test_get_incompatible_default(hparams):
    with _raises(MSG_GET_DEFAULT % ("aaa", int, "x") + ". " + MSG_CAST % ("aaa", int, "x")):
        hparams.get("aaa", "x")
    with _raises(MSG_GET_DEFAULT % ("aaa", int, [1])):
        hparams.get("aaa", [1])
    with _raises(MSG_GET_DEFAULT % ("lst", f"list<{int}>", 1)):
        hparams.get("lst", 1)


def test_str_and_repr():
    hparams = HParams(b=2, a="x")
    assert str(hparams) == "b=2,a=x"
    assert repr(hparams) == "HParams([('a', 'x'), ('b', 2)])"
