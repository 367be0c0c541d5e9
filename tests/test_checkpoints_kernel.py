"""The checkpoint-state kernels: every test runs on each implementation (`kernel`)."""

import importlib
import math
import os

import pytest

from compat_learn import _ckptstate_py
from compat_learn._ckptcommon import INVALID_STATE_MESSAGE, CheckpointStateParseError

D = "/models/run"

# (text, (model_checkpoint_path as written, joined paths, timestamps, last_preserved))
VALID = [
    ('model_checkpoint_path: "a"', ("a", [], [], 0.0)),
    ("model_checkpoint_path: 'a'", ("a", [], [], 0.0)),
    ('model_checkpoint_path:"a" model_checkpoint_path: "b"', ("b", [], [], 0.0)),
    ('# c\nmodel_checkpoint_path: "a" # trailing "x\n', ("a", [], [], 0.0)),
    ("model_checkpoint_path: \"a\" 'b'\n\"c\"", ("abc", [], [], 0.0)),
    (r'model_checkpoint_path: "\101\x42\x4\x414\n\t\\\'\"\0"', ("AB\x04A4\n\t\\'\"\x00", [], [], 0.0)),
    (r'model_checkpoint_path: "\xc3\xa9\303\251"', ("éé", [], [], 0.0)),
    (r'model_checkpoint_path: "\u0041\u1234\q\N{SNOWMAN}\777"', ("A\\u1234\\q\\u2603\\u01ff", [], [], 0.0)),
    ('model_checkpoint_path: "a\x00é"', ("a\x00é", [], [], 0.0)),
    (
        'all_model_checkpoint_paths: ["a", "/b"] model_checkpoint_path: "m"',
        ("m", [D + "/a", "/b"], [], 0.0),
    ),
    ('all_model_checkpoint_paths: [];model_checkpoint_path: "m",', ("m", [], [], 0.0)),
    (
        'all_model_checkpoint_paths: "x" all_model_checkpoint_paths: ""\nmodel_checkpoint_path: "m"',
        ("m", [D + "/x", D + "/"], [], 0.0),
    ),
    (
        ("all_model_checkpoint_timestamps: [1, 1e5, 1.5f, inf, -inf, 2ff, -Infinity, INFF, .5, 1_0, 1e999]\n"
        "model_checkpoint_path: 'm'"),
        ("m", [], [1.0, 1e5, 1.5, math.inf, -math.inf, 2.0, -math.inf, math.inf, 0.5, 10.0, math.inf], 0.0),
    ),
    ('last_preserved_timestamp: \u0663 model_checkpoint_path: "m"', ("m", [], [], 3.0)),
    ('model_checkpoint_path:"m"\u3000\u00a0\x1c\x85last_preserved_timestamp: -0', ("m", [], [], -0.0)),
    ("last_preserved_timestamp: 5 last_preserved_timestamp: 7;", ("", [], [], 7.0)),
    ("", ("", [], [], 0.0)),
    ("  \n# only a comment", ("", [], [], 0.0)),
]

# (text, exact message) for messages worth pinning; both twins raise these words.
ERRORS = [
    ('model_checkpoint_path "a"', "line 1, column 23: expected ':' after `model_checkpoint_path`, got '\"a\"'"),
    (
        'unknown: "a"',
        ("line 1, column 1: expected a field name (one of model_checkpoint_path, "
        "all_model_checkpoint_paths, all_model_checkpoint_timestamps, "
        "last_preserved_timestamp), got 'unknown'"),
    ),
    ('model_checkpoint_path: "é" x', None),  # column counts characters, not bytes
    ('model_checkpoint_path: "a', "line 1, column 24: the string for `model_checkpoint_path` has no closing quote: '\"a'"),
    ("model_checkpoint_path: a", "line 1, column 24: expected a quoted string for `model_checkpoint_path`, got 'a'"),
    ("model_checkpoint_path: ['a']", None),
    ("last_preserved_timestamp: 1.5F", "line 1, column 27: expected a number for `last_preserved_timestamp`, got '1.5F'"),
    ("last_preserved_timestamp:", "line 1, column 26: expected a number for `last_preserved_timestamp`, got end of file"),
    ('all_model_checkpoint_paths: ["a" x', None),
    ('all_model_checkpoint_paths: ["a",]', None),
    (r'model_checkpoint_path: "\x"', None),
    (r'model_checkpoint_path: "\u00e9"', None),
    (r'model_checkpoint_path: "a\"', None),
    ('model_checkpoint_path: "a",,', None),
    ("model_checkpoint_path { }", None),
    ("[ext]: 1", None),
    ("\x00", None),
    ("\ufeffmodel_checkpoint_path: 'a'", None),
    ('model_checkpoint_path: "a" "b', None),
]


@pytest.mark.parametrize("text,expected", VALID, ids=range(len(VALID)))
def test_valid_texts(kernel, text, expected):
    assert kernel.parse(text.encode("utf-8"), D) == expected


@pytest.mark.parametrize("text,message", ERRORS, ids=range(len(ERRORS)))
def test_invalid_texts_raise_the_shared_parse_error(kernel, text, message):
    with pytest.raises(CheckpointStateParseError) as info:
        kernel.parse(text.encode("utf-8"), D)
    if message is not None:
        assert str(info.value) == message


def test_error_position_counts_characters(kernel):
    with pytest.raises(CheckpointStateParseError) as info:
        kernel.parse('# é\nmodel_checkpoint_path: "é" x'.encode(), D)
    assert (info.value.line, info.value.column) == (2, 28)


def test_nan_spellings(kernel):
    _, _, stamps, last = kernel.parse(b"all_model_checkpoint_timestamps: [nan, NaNf, nanff]\nlast_preserved_timestamp: -nan", D)
    assert all(math.isnan(v) for v in stamps + [last])
    assert math.copysign(1.0, last) == -1.0


def test_invalid_utf8_raises_the_codec_error_like_tf(kernel):
    data = b'model_checkpoint_path: "a\xff"'
    with pytest.raises(UnicodeDecodeError) as info:
        kernel.parse(data, D)
    with pytest.raises(UnicodeDecodeError) as codec:
        data.decode("utf-8")
    assert str(info.value) == str(codec.value)


@pytest.mark.parametrize("directory,expected", [("", "a"), ("/", "/a"), ("d/", "d/a"), ("d", "d/a"), ("dé", "dé/a")])
def test_relative_paths_join_like_os_path_join(kernel, directory, expected):
    _, paths, _, _ = kernel.parse(b'all_model_checkpoint_paths: "a"', directory)
    assert paths == [expected] == [os.path.join(directory, "a")]


def test_large_state_and_long_lines(kernel):
    n = 5000
    text = "".join(f'all_model_checkpoint_paths: "model.ckpt-{i}"\n' for i in range(n))
    text += "".join("all_model_checkpoint_timestamps: %r\n" % (1.7e9 + i / 3) for i in range(n))
    text += 'model_checkpoint_path: "%s"' % ("x" * 1_000_000)
    model, paths, stamps, _ = kernel.parse(text.encode(), D)
    assert model == "x" * 1_000_000
    assert paths[-1] == D + f"/model.ckpt-{n - 1}" and len(paths) == n
    assert stamps == [1.7e9 + i / 3 for i in range(n)]


def test_every_truncation_matches_the_reference(kernel):
    # The kernel never reads past the end: every prefix gives the reference's answer.
    text = (
        "# state\nmodel_checkpoint_path: 'm\\x41\\101' \"é\"\n"
        'all_model_checkpoint_paths: ["a", \'b\'];\nall_model_checkpoint_timestamps: [1.5f, -inf]\n'
        "last_preserved_timestamp: 12.25,\n"
    ).encode()
    for end in range(len(text) + 1):
        assert _outcome(kernel, text[:end]) == _outcome(_ckptstate_py, text[:end])


def _outcome(kernel, data):
    try:
        return kernel.parse(data, D)
    except ValueError as exc:  # CheckpointStateParseError or UnicodeDecodeError
        return type(exc), str(exc)


def test_twins_raise_identical_errors():
    try:
        compiled = importlib.import_module("compat_learn._ckptstate_c")
    except ImportError:
        pytest.skip("compiled kernel not built")
    inputs = [t.encode("utf-8") for t, _ in ERRORS] + [b"\xc3", b"\xed\xa0\x80", b"model_checkpoint_path: '\\N{nope}'"]
    for data in inputs:
        assert _outcome(compiled, data) == _outcome(_ckptstate_py, data), data


def test_stat_key(kernel, tmp_path):
    path = tmp_path / "checkpoint"
    path.write_bytes(b"x" * 7)
    st = os.stat(path)
    assert kernel.stat_key(os.fsencode(path)) == (st.st_dev, st.st_ino, 7, st.st_mtime_ns)
    with pytest.raises(FileNotFoundError) as info:
        kernel.stat_key(os.fsencode(tmp_path / "missing"))
    assert info.value.filename == os.fsencode(tmp_path / "missing")
    with pytest.raises(NotADirectoryError):
        kernel.stat_key(os.fsencode(path) + b"/x")
    with pytest.raises(ValueError):
        kernel.stat_key(b"a\x00b")


def test_invalid_state_message_is_tfs():
    # TF 2.15 checkpoint_management.get_checkpoint_state
    assert INVALID_STATE_MESSAGE == "Invalid checkpoint state loaded from "


@pytest.mark.parametrize("directory", [D, "dé", ""])
def test_adjacent_empty_literals(kernel, directory):
    # Two empty literals join to "": the path is the directory joined with "" (TF's
    # os.path.join); the compiled kernel once passed memcpy a NULL source here (UB,
    # caught by `tox -e sanitize`).
    data = b'all_model_checkpoint_paths: "" \'\'\nmodel_checkpoint_path: "" ""'
    assert kernel.parse(data, directory) == ("", [os.path.join(directory, "")], [], 0.0)


def _kept(steps):
    """A state file as a trainer keeping these steps writes it (paths, then stamps)."""
    steps = list(steps)
    text = f'model_checkpoint_path: "model.ckpt-{steps[-1]}"\n'
    text += "".join(f'all_model_checkpoint_paths: "model.ckpt-{s}"\n' for s in steps)
    text += "".join(f"all_model_checkpoint_timestamps: {1.7e9 + s / 8!r}\n" for s in steps)
    return text.encode()


def test_reparse_after_saves_equals_a_fresh_parse(kernel):
    # The compiled kernel recycles the objects of its last result (the caller's own
    # lists): whatever happened to them, a parse gives the reference's answer.
    kernel.parse(_kept(range(1, 6)), D)
    for steps in (range(2, 7), range(5, 12), range(100, 103), range(1, 6), range(1, 200)):
        data = _kept(steps)
        result = kernel.parse(data, D)
        assert result == _ckptstate_py.parse(data, D)
        result[1][1:] = [None, b"x", D + "/model.ckpt-3", "é" * 30]
        result[2].clear()
    # A parse that fails half-way through a file of the last one's size leaves nothing
    # behind: the next result has no placeholder or stale entry in it.
    big = _kept(range(1, 200))
    kernel.parse(big, D)
    with pytest.raises(CheckpointStateParseError):
        kernel.parse(big[: len(big) // 2] + b"all_model_checkpoint_paths: [", D)
    for steps in (range(1, 150), range(3, 201), range(1, 3)):
        data = _kept(steps)
        assert kernel.parse(data, D) == _ckptstate_py.parse(data, D)
    for directory in ("/other", "", "dé"):
        assert kernel.parse(_kept(range(1, 6)), directory) == _ckptstate_py.parse(_kept(range(1, 6)), directory)


def test_a_reread_after_a_save_shares_the_unchanged_objects():
    try:
        compiled = importlib.import_module("compat_learn._ckptstate_c")
    except ImportError:
        pytest.skip("compiled kernel not built")
    _, old_paths, old_stamps, _ = compiled.parse(_kept(range(1, 6)), D)
    _, paths, stamps, _ = compiled.parse(_kept(range(2, 7)), D)
    assert paths == [D + f"/model.ckpt-{s}" for s in range(2, 7)]
    # No new object for what the file still lists: a re-read costs no new memory.
    assert all(a is b for a, b in zip(paths[:4], old_paths[1:]))
    assert all(a is b for a, b in zip(stamps[:4], old_stamps[1:]))


def test_parse_rejects_none_instead_of_reading_it(kernel):
    # The compiled kernel once let None through its `bytes` argument and read it as a
    # buffer (undefined behaviour); both kernels must refuse it.
    with pytest.raises(TypeError):
        kernel.parse(None, "/d")
