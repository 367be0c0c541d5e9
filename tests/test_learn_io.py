"""learn_io input functions: r1.15 defaults and errors, read back in a TF session.

Reading a few batches from the queue-based input functions needs a session but no
model; each read is a fraction of a second.
"""

import inspect
import sys

import numpy as np
import pytest

from compat_learn import _tf, learn_io
from compat_learn.learn_io import generator_io, pandas_io

tf = _tf.tf

# r1.15 messages (learn_io/generator_io.py, data_feeder.py), pinned.
MSG_NOT_GENERATOR_FN = "x must be generator function; got int"
MSG_NOT_GENERATOR = "x() must be generator; got list"
MSG_NOT_DICT = "x() must yield dict; got int"
MSG_TARGET_TYPE = "target_key must be str or Container of str; got int"
# TensorFlow 2.15's own message for pandas_input_fn without pandas.
MSG_NO_PANDAS = "pandas_input_fn should not be called without pandas installed"


def _read(input_fn, batches=1):
    """Builds `input_fn` in a fresh graph and runs `batches` batches of it."""
    with tf.Graph().as_default():
        tensors = input_fn()
        with tf.compat.v1.train.MonitoredSession() as sess:
            return [sess.run(tensors) for _ in range(batches)]


def _read_all(input_fn):
    with tf.Graph().as_default():
        tensors = input_fn()
        out = []
        with tf.compat.v1.train.MonitoredSession() as sess:
            while not sess.should_stop():
                out.append(sess.run(tensors))
        return out


def test_public_names_resolve():
    assert sorted(learn_io.__all__) == sorted([
        "HAS_DASK", "HAS_PANDAS", "extract_dask_data", "extract_dask_labels",
        "extract_pandas_data", "extract_pandas_labels", "extract_pandas_matrix",
        "generator_input_fn", "numpy_input_fn", "pandas_input_fn", "queue_parsed_features",
        "read_batch_examples", "read_batch_features", "read_batch_record_features",
        "read_keyed_batch_examples", "read_keyed_batch_examples_shared_queue",
        "read_keyed_batch_features", "read_keyed_batch_features_shared_queue"])
    for name in learn_io.__all__:
        assert getattr(learn_io, name) is not None or name == "HAS_DASK"


@pytest.mark.parametrize("fn, extra", [
    (learn_io.numpy_input_fn, {}),
    (learn_io.pandas_input_fn, {"target_column": "target"}),
])
def test_input_fn_signatures_keep_r115_defaults(fn, extra):
    params = inspect.signature(fn).parameters
    defaults = {name: p.default for name, p in params.items()
                if p.default is not inspect.Parameter.empty}
    assert defaults == dict({"y": None, "batch_size": 128, "num_epochs": 1, "shuffle": True,
                             "queue_capacity": 1000, "num_threads": 1}, **extra)


def test_numpy_input_fn_works_without_shuffle_argument():
    # TF 2.15's own numpy_input_fn raises here ("shuffle must be provided ...").
    x = {"a": np.arange(6, dtype=np.float32)}
    input_fn = learn_io.numpy_input_fn(x, np.arange(6), batch_size=6)
    (features, labels), = _read(input_fn)
    assert sorted(features["a"]) == list(range(6))
    assert sorted(labels) == list(range(6))


def test_numpy_input_fn_unshuffled_keeps_order_and_ends_after_epochs():
    x = {"a": np.arange(5, dtype=np.float32)}
    batches = _read_all(learn_io.numpy_input_fn(x, batch_size=2, shuffle=False, num_epochs=2))
    assert [list(b["a"]) for b in batches] == [[0, 1], [2, 3], [4, 0], [1, 2], [3, 4]]


def test_pandas_absent_is_reported_and_extractors_pass_data_through(monkeypatch):
    # pandas is a test dependency: the pandas-less path is what r1.15 and TF 2.15 do
    # when their module-level HAS_PANDAS is False (a failed `import pandas`).
    monkeypatch.setattr(pandas_io, "HAS_PANDAS", False)
    tf_pandas_io = sys.modules[tf.compat.v1.estimator.inputs.pandas_input_fn.__module__]
    monkeypatch.setattr(tf_pandas_io, "HAS_PANDAS", False)
    data = np.ones((2, 2))
    assert learn_io.extract_pandas_data(data) is data
    assert learn_io.extract_pandas_matrix(data) is data
    assert learn_io.extract_pandas_labels(data) is data
    with pytest.raises(TypeError, match=MSG_NO_PANDAS):
        learn_io.pandas_input_fn(x=data)


def test_dask_is_not_supported():
    assert learn_io.HAS_DASK is False
    data = np.ones(3)
    assert learn_io.extract_dask_data(data) is data
    fake_dask = type("DataFrame", (), {"__module__": "dask.dataframe.core"})()
    with pytest.raises(NotImplementedError, match="does not support dask"):
        learn_io.extract_dask_labels(fake_dask)


def _gen():
    for i in range(5):
        yield {"a": np.float32(i), "b": np.array([i, i], np.int64), "label": np.int64(i % 2)}


def test_generator_input_fn_batches_features_and_single_target():
    input_fn = learn_io.generator_input_fn(_gen, target_key="label", batch_size=2,
                                           shuffle=False, num_epochs=1)
    batches = _read_all(input_fn)
    features, labels = batches[0]
    assert sorted(features) == ["a", "b"]
    assert list(features["a"]) == [0.0, 1.0]
    assert features["b"].tolist() == [[0, 0], [1, 1]]
    assert list(labels) == [0, 1]
    # r1.15's feeding code (shared with TF 2.15) fills the last enqueue of an epoch
    # from the start of the next generator pass.
    assert [list(b[0]["a"]) for b in batches] == [[0, 1], [2, 3], [4, 0]]


def test_generator_input_fn_several_targets_give_a_dict_and_no_target_gives_features():
    input_fn = learn_io.generator_input_fn(_gen, target_key=["label", "a"], batch_size=5,
                                           shuffle=False)
    (features, labels), = _read(input_fn)
    assert sorted(features) == ["b"] and sorted(labels) == ["a", "label"]
    (features,) = _read(learn_io.generator_input_fn(_gen, batch_size=5, shuffle=False))
    assert sorted(features) == ["a", "b", "label"]


def test_generator_input_fn_argument_errors():
    def not_a_generator():
        return [1]

    def yields_int():
        yield 1

    for x, message in [(1, MSG_NOT_GENERATOR_FN), (not_a_generator, MSG_NOT_GENERATOR),
                       (yields_int, MSG_NOT_DICT)]:
        with pytest.raises(TypeError) as err:
            generator_io.generator_input_fn(x)
        assert str(err.value) == message
    with pytest.raises(TypeError) as err:
        generator_io.generator_input_fn(_gen, target_key=1)
    assert str(err.value) == MSG_TARGET_TYPE
    with pytest.raises(KeyError, match="target_key not in yielded dict"):
        generator_io.generator_input_fn(_gen, target_key=["nope"])
