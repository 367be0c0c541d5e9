"""Both kernels against TensorFlow's own answers (the only checkpoint tests importing TF).

The oracle is ``tf.train.get_checkpoint_state`` / ``tf.train.latest_checkpoint`` on
state files written by TensorFlow itself (Estimator, CheckpointManager,
update_checkpoint_state) and on generated and corrupted ones.
"""

import contextlib
import logging
import math
import os
import struct
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compat_learn import _tf, checkpoints
from compat_learn._ckptcommon import FIELD_NAMES

tf = _tf.tf


@contextlib.contextmanager
def _using(kernel):
    """Routes compat_learn.checkpoints through one kernel; quiets TF's parse warnings."""
    saved = checkpoints._ckptstate
    tf_logger = tf.get_logger()
    level = tf_logger.level
    checkpoints._ckptstate = kernel
    tf_logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            # Python's unicode_escape codec, inside TF's parser, warns on "\q" / "\777";
            # outside the test suite nobody sees those warnings.
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        checkpoints._ckptstate = saved
        tf_logger.setLevel(level)


def _bits(values):
    return [struct.pack("<d", v) for v in values]


def _answer(fn, *args):
    """A comparable summary of a result or an exception."""
    try:
        state = fn(*args)
    except ValueError as exc:
        return type(exc), str(exc)
    if state is None or isinstance(state, str):
        return state
    return (
        state.model_checkpoint_path,
        list(state.all_model_checkpoint_paths),
        _bits(state.all_model_checkpoint_timestamps),
        _bits([state.last_preserved_timestamp]),
    )


def assert_same_as_tf(directory, kernel, latest_filename=None):
    directory = str(directory)
    with _using(kernel):
        ours = _answer(checkpoints.read_checkpoint_state, directory, latest_filename)
        theirs = _answer(tf.train.get_checkpoint_state, directory, latest_filename)
        assert ours == theirs
        ours = _answer(checkpoints.latest_checkpoint, directory, latest_filename)
        theirs = _answer(tf.train.latest_checkpoint, directory, latest_filename)
        assert ours == theirs
    return ours


@pytest.mark.integration
def test_estimator_state_files(kernel, tmp_path):
    import _tiny_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator = _tiny_model.make_estimator(tmp_path, save_checkpoints_steps=1, keep_checkpoint_max=2)
        estimator.train(_tiny_model.train_input_fn, steps=3)
    latest = assert_same_as_tf(tmp_path, kernel)
    assert latest == str(tmp_path / "model.ckpt-3")
    assert checkpoints.CheckpointWatcher(tmp_path).poll_all() == [
        str(tmp_path / "model.ckpt-2"),
        str(tmp_path / "model.ckpt-3"),
    ]


def test_checkpoint_manager_keep_all(kernel, tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(checkpoint, str(tmp_path), max_to_keep=None)
    for _ in range(4):
        manager.save()
    assert assert_same_as_tf(tmp_path, kernel) == manager.latest_checkpoint
    state = checkpoints.read_checkpoint_state(tmp_path)
    assert len(state.all_model_checkpoint_timestamps) == 4


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_update_checkpoint_state(kernel, tmp_path, relative):
    prefixes = [str(tmp_path / f"model.ckpt-{i}") for i in range(3)]
    for prefix in prefixes[1:]:
        open(prefix + ".index", "w").close()
    if relative:
        prefixes = [os.path.basename(p) for p in prefixes]
    tf.compat.v1.train.update_checkpoint_state(
        str(tmp_path), prefixes[-1], prefixes, all_model_checkpoint_timestamps=[1.5, 2.5, float("nan")],
        last_preserved_timestamp=-0.0, latest_filename="state")
    assert assert_same_as_tf(tmp_path, kernel, "state") == str(tmp_path / "model.ckpt-2")


def test_generated_state_files(kernel, tmp_path):
    from google.protobuf import text_format
    from tensorflow.python.training.checkpoint_state_pb2 import CheckpointState

    odd = ["a b", "q\"uote", "s'ingle", "back\\slash", "ünï\u2603", "tab\t", "nl\n", "/abs/x", "", "x\x00y"]
    state = CheckpointState(
        model_checkpoint_path="model.ckpt-9",
        all_model_checkpoint_paths=odd + [f"model.ckpt-{i}" for i in range(300)],
        all_model_checkpoint_timestamps=[1.7e9 + i / 7 for i in range(300)] + [math.inf, -math.inf, 1e-300],
        last_preserved_timestamp=1.25,
    )
    for as_utf8 in (False, True):
        (tmp_path / "checkpoint").write_text(text_format.MessageToString(state, as_utf8=as_utf8), encoding="utf-8")
        assert_same_as_tf(tmp_path, kernel)


def test_glob_characters_are_a_deliberate_difference(tmp_path):
    model_dir = tmp_path / "run[1]"
    model_dir.mkdir()
    tf.compat.v1.train.update_checkpoint_state(str(model_dir), str(model_dir / "model.ckpt-1"))
    open(model_dir / "model.ckpt-1.index", "w").close()
    with _using(checkpoints._ckptstate):
        assert tf.train.latest_checkpoint(str(model_dir)) is None  # tensorflow/tensorflow#35489
    assert checkpoints.latest_checkpoint(model_dir) == str(model_dir / "model.ckpt-1")


# --- Hypothesis parity: same result or same error as TF's own parse -----------------

_WS = st.sampled_from([" ", "", "\n", "\t", "\r\n", "\x0b", "\x1c", "\u00a0", "\u3000", "\x85", " # c\n", "\n#'\"\\\n"])
_GOOD_ESCAPES = [
    r"\n", r"\t", r"\\", r"\'", r"\"", r"\a", r"\b", r"\f", r"\v", r"\r", r"\0", r"\12", r"\101", r"\x41",
    r"\x414", r"\xF", r"\u0041", r"\u1234", r"\U0001F600", r"\N{SNOWMAN}", r"\q", r"\é", r"\\x4", r"\303\251",
    r"\xc3\xa9", r"\777",
]
_BAD_ESCAPES = [r"\x", r"\xg", r"\u12", r"\U00110000", r"\N{nope}", r"\N", "\\", r"\xff", r"\u00e9", r"\400"]
_PLAIN = st.text(st.characters(blacklist_characters="\n\"'\\", blacklist_categories=("Cs",)), max_size=6)
_NUMBERS = st.one_of(
    st.floats().map(repr),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from([
        "inf", "-inf", "+inf", "infinity", "-Infinity", "INFF", "nan", "-nan", "NaNf", "nanff", "1.5f", "1e5f",
        ".5", "5.", "1.f", "-.5e-3", "1_000", "010", "\u0663", "1.5ff", "1e999",
        "1.5F", "1__0", "0x10", "1e", "-", ".", "\u00bd", "ff", '"1"', "",
    ]),
)


@st.composite
def _string(draw, bad):
    pieces = []
    for _ in range(draw(st.integers(1, 2))):
        quote = draw(st.sampled_from(['"', "'"]))
        escapes = _GOOD_ESCAPES + (_BAD_ESCAPES if bad else [])
        body = "".join(draw(st.lists(st.one_of(_PLAIN, st.sampled_from(escapes)), max_size=4)))
        body = body.replace(quote, "")
        end = quote if not bad or draw(st.integers(0, 9)) else draw(st.sampled_from(["", "\\"]))
        pieces.append(quote + body + end)
    return draw(_WS).join(pieces)


@st.composite
def _field(draw, bad):
    names = list(FIELD_NAMES) + (["foo", "Model_checkpoint_path", "1", "[x]"] if bad else [])
    name = draw(st.sampled_from(names))
    value = _NUMBERS if "timestamp" in name else _string(bad)
    if name.startswith("all") and draw(st.booleans()):
        text = "[" + ", ".join(draw(st.lists(value, max_size=3))) + "]"
    else:
        text = draw(value)
    colon = draw(st.sampled_from([":", ": ", " :"] + (["", " "] if bad else [])))
    return name + colon + text + draw(st.sampled_from(["", ",", ";", ",;"] if bad else ["", ",", ";"]))


def _text(bad):
    fields = st.lists(st.tuples(_WS, _field(bad)), max_size=5)
    model = _field(False).filter(lambda f: f.startswith("model"))
    return st.tuples(fields, model, fields).map(
        lambda t: "".join(a + b for a, b in t[0]) + "\n" + t[1] + "".join(a + b for a, b in t[2])
    )


@st.composite
def _corrupted(draw):
    data = draw(_text(bad=False)).encode("utf-8")
    at = draw(st.integers(0, len(data)))
    damage = draw(st.one_of(
        st.just(b""),
        st.binary(max_size=4),
        st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"]),
        st.integers(1, 20000).map(lambda n: b"model_checkpoint_path: '" + b"x" * n + b"'\n"),
    ))
    if draw(st.booleans()):
        return data[:at] + damage  # truncated
    return data[:at] + damage + data[at:]


_INPUTS = st.one_of(
    _text(bad=False).map(str.encode),
    _text(bad=True).map(str.encode),
    _corrupted(),
    st.binary(max_size=64),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_INPUTS)
def test_parity_with_tf_on_generated_and_corrupt_texts(kernel, tmp_path, data):
    (tmp_path / "checkpoint").write_bytes(data)
    open(tmp_path / "model.ckpt.index", "w").close()
    with _using(kernel):
        ours = _answer(checkpoints.read_checkpoint_state, str(tmp_path))
        theirs = _answer(tf.train.get_checkpoint_state, str(tmp_path))
    assert ours == theirs


# --- the watcher where stat() cannot tell two saves apart ----------------------------


def test_ram_filesystem_with_one_kept_checkpoint(kernel):
    # ram:// reports mtime 0 and equal sizes for "ckpt-1" and "ckpt-2": only the
    # content tells the saves apart.
    model_dir = f"ram://compat_learn_oracle/{kernel.__name__}/{os.getpid()}"
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(checkpoint, model_dir, max_to_keep=1)
    try:
        with _using(kernel):
            watcher = checkpoints.CheckpointWatcher(model_dir)
            for _ in range(4):
                manager.save()
                assert watcher.latest() == tf.train.latest_checkpoint(model_dir) == manager.latest_checkpoint
                assert checkpoints.latest_checkpoint(model_dir) == manager.latest_checkpoint
    finally:
        tf.io.gfile.rmtree(model_dir)


# --- path spellings: TF's C++ layer cleans and cuts paths before touching a file ----
# Glob characters ([ ] * ? \) are left out: TF reads them as patterns in
# latest_checkpoint (tensorflow/tensorflow#35489), a deliberate difference.

# Steps around the model directory "m": most resolve back to where they started, a
# few leave it, cut the path or cannot be encoded.
_NOISE = [".", ".", "", "", "nope/..", "nope/..", "afile/..", "é/..", "m/..", "..", "x\x00y", "\x00", "\udcff"]
_STATE_NAMES = [None, None, None, "checkpoint", "./checkpoint", "checkpoint/", "checkpoint\x00.old",
                "nope/../checkpoint", "afile/../checkpoint", "", "..", "../m/checkpoint", "\udcff",
                "{root}/m/checkpoint"]
_MODEL_PATHS = ["model.ckpt-1", "model.ckpt-1", "./model.ckpt-1", "nope/../model.ckpt-1", "model.ckpt-1/",
                "model.ckpt-1\x00junk", "model.ckpt-1.index/", "model.ckpt-1.index\x00", "nope/..",
                "..", "model.ckpt-2", "", "{root}/m/model.ckpt-1", "{root}//m/./model.ckpt-1/"]


@st.composite
def _spelling(draw):
    parts = draw(st.lists(st.sampled_from(_NOISE), max_size=2))
    parts.append(draw(st.sampled_from(["m", "m", "m", "m", "afile", "é", "x"])))
    parts += draw(st.lists(st.sampled_from(_NOISE), max_size=2))
    separators = [draw(st.sampled_from(["/", "/", "//"])) for _ in parts]
    tail = draw(st.sampled_from(["", "", "/", "/.", "//"]))
    return "".join(sep + part for sep, part in zip(separators, parts)) + tail


@pytest.fixture
def path_tree(tmp_path):
    root = tmp_path / "root"
    (root / "m").mkdir(parents=True)
    (root / "afile").write_text("")
    (root / "é").mkdir()
    (root / "x").write_text("")
    for name in ("model.ckpt-1.index", "model.ckpt-1.index.index"):
        (root / "m" / name).write_text("")
    return root


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spelling=_spelling(), state_name=st.sampled_from(_STATE_NAMES),
       model=st.sampled_from(_MODEL_PATHS), listed=st.lists(st.sampled_from(_MODEL_PATHS), max_size=3))
def test_parity_with_tf_on_path_spellings(kernel, path_tree, spelling, state_name, model, listed):
    from google.protobuf import text_format
    from tensorflow.python.training.checkpoint_state_pb2 import CheckpointState

    root = str(path_tree)
    state = CheckpointState(model_checkpoint_path=model.format(root=root),
                            all_model_checkpoint_paths=[p.format(root=root) for p in listed])
    for name in ("checkpoint", "checkpoint\x00.old"):
        (path_tree / "m" / name.split("\x00")[0]).write_text(text_format.MessageToString(state))
    directory = root + spelling
    state_name = state_name and state_name.format(root=root)
    with _using(kernel):
        theirs = _answer(tf.train.latest_checkpoint, directory, state_name)
        assert _answer(checkpoints.latest_checkpoint, directory, state_name) == theirs
        assert _answer(checkpoints.read_checkpoint_state, directory, state_name) == _answer(
            tf.train.get_checkpoint_state, directory, state_name)
        # The watcher gives latest_checkpoint's answer, with None for its errors.
        watcher = checkpoints.CheckpointWatcher(directory, state_name)
        assert watcher.latest() == (theirs if theirs is None or isinstance(theirs, str) else None)
