"""r1.15's estimator API on the contrib Estimator (issue #10 items 2 and 6).

fit/evaluate/predict with numpy, dict, pandas and iterator inputs through r1.15's
data feeder (compat_learn.learn_io.data_feeder), and make_export_strategy calling an
estimator's own export_savedmodel. Tiny models, a few steps each.
"""

import os

import numpy as np
import pytest

from compat_learn import _tf
from compat_learn.estimators import NotFittedError
from compat_learn.estimators.estimator import Estimator
from compat_learn.estimators.model_fn import ModelFnOps
from compat_learn.learn_io import data_feeder
from compat_learn.utils import saved_model_export_utils

tf = _tf.tf


def _serving_input_fn():
    x = tf.compat.v1.placeholder(tf.float32, [None, 1], name="x")
    return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})


@pytest.mark.parametrize("base", [tf.compat.v1.estimator.Estimator, tf.estimator.Estimator],
                         ids=["v1", "v2"])
def test_export_strategy_calls_the_estimators_own_export_savedmodel(base, tmp_path):
    # r1.15 make_export_strategy: estimator.export_savedmodel(...), core or contrib.
    calls = []

    class Custom(base):
        # TF 2.15 forbids overrides unless a subclass opts out like this (as TF's
        # own TPUEstimator does); r1.15 allowed them.
        def _assert_members_are_not_overridden(self):
            pass

        def export_savedmodel(self, export_dir_base, serving_input_receiver_fn,
                              assets_extra=None, as_text=False, checkpoint_path=None,
                              strip_default_attrs=False):
            calls.append((export_dir_base, assets_extra, as_text, checkpoint_path,
                          strip_default_attrs))
            os.makedirs(export_dir_base)
            return b"custom-export"

    est = Custom(model_fn=lambda features, labels, mode: None, model_dir=str(tmp_path / "m"))
    strategy = saved_model_export_utils.make_export_strategy(
        _serving_input_fn, assets_extra={"a": "b"}, as_text=True)
    base_dir = str(tmp_path / "export")
    assert strategy.export(est, base_dir, checkpoint_path="ckpt-7") == b"custom-export"
    assert calls == [(base_dir, {"a": "b"}, True, "ckpt-7", None)]  # r1.15 passes the strategy's None


def test_export_strategy_calls_an_export_savedmodel_set_on_the_instance(tmp_path):
    # r1.15 looked export_savedmodel up on the estimator, so one replaced on the
    # instance (a wrapper, a test double) is the one called.
    est = tf.compat.v1.estimator.Estimator(model_fn=lambda features, labels, mode: None,
                                           model_dir=str(tmp_path / "m"))
    calls = []

    def export_savedmodel(export_dir_base, serving_input_receiver_fn, **kwargs):
        calls.append((export_dir_base, kwargs["checkpoint_path"]))
        os.makedirs(export_dir_base)
        return b"instance-export"

    est.export_savedmodel = export_savedmodel
    strategy = saved_model_export_utils.make_export_strategy(_serving_input_fn)
    base_dir = str(tmp_path / "export")
    assert strategy.export(est, base_dir, checkpoint_path="ckpt-3") == b"instance-export"
    assert calls == [(base_dir, "ckpt-3")]


# ------------------------------------------------------------------ data feeder

# r1.15 messages (learn_io/data_feeder.py, estimators/estimator.py), pinned.
MSG_STREAMING = "Both x and y should be iterators for streaming learning to work."
MSG_BATCH_SIZE = "Invalid batch_size 0."
MSG_FLOAT64 = "float64 is not supported by many models, consider casting to float32."
MSG_INPUT_FN_AND_X = "Can not provide both input_fn and x or y."
MSG_NOT_FITTED = "Couldn't find trained model at %s."
MSG_NO_CHECKPOINT_FILE = "Couldn't find 'checkpoint' file or checkpoints in given directory %s"

X = np.arange(20, dtype=np.float32).reshape(10, 2)
Y = np.arange(10, dtype=np.float32).reshape(10, 1)


def _feeder_batches(feeder, count):
    """Runs the feeder's input_fn in a graph and returns `count` fed batches."""
    with tf.Graph().as_default():
        features, labels = feeder.input_builder()
        feed_fn = feeder.get_feed_dict_fn()
        batches = []
        with tf.compat.v1.Session() as sess:
            for _ in range(count):
                batches.append(sess.run((features, labels), feed_fn()))
        return (features, labels), batches


def test_data_feeder_walks_a_seeded_permutation_with_short_epoch_ends():
    feeder = data_feeder.DataFeeder(X, Y, n_classes=None, batch_size=4, shuffle=True,
                                    epochs=2)
    (features, labels), batches = _feeder_batches(feeder, 6)
    assert features.name == "input:0" and features.shape.as_list() == [None, 2]
    assert labels.name == "output:0" and labels.shape.as_list() == [None]
    assert features.dtype == tf.float32 and labels.dtype == tf.float32
    rng = np.random.RandomState(42)
    first, second = rng.permutation(10), rng.permutation(10)
    expected = [first[:4], first[4:8], first[8:], second[:4], second[4:8], second[8:]]
    for (x, y), rows in zip(batches, expected):
        np.testing.assert_array_equal(x, X[rows])
        np.testing.assert_array_equal(y, Y[rows, 0])
    with pytest.raises(StopIteration):  # after `epochs` passes
        feeder.get_feed_dict_fn()()


def test_data_feeder_shapes_dtypes_and_one_hot_labels(caplog):
    feeder = data_feeder.DataFeeder({"a": np.arange(3.0), "b": np.ones((3, 2), np.int64)},
                                    np.array([0, 2, 1]), n_classes=3, shuffle=False)
    assert MSG_FLOAT64 in caplog.text
    (features, labels), [(x, y)] = _feeder_batches(feeder, 1)
    assert {k: (v.name, v.dtype, v.shape.as_list()) for k, v in features.items()} == {
        "a": ("input_a:0", tf.float64, [None, 1]), "b": ("input_b:0", tf.int64, [None, 2])}
    np.testing.assert_array_equal(x["a"], [[0.0], [1.0], [2.0]])
    np.testing.assert_array_equal(y, np.eye(3)[[0, 2, 1]])
    assert labels.dtype == tf.int64  # r1.15: one-hot class ids keep int64


def test_streaming_data_feeder_reads_rows_from_iterators():
    feeder = data_feeder.setup_train_data_feeder(iter(X), iter(Y[:, 0]), n_classes=None,
                                                 batch_size=4)
    assert isinstance(feeder, data_feeder.StreamingDataFeeder)
    _, batches = _feeder_batches(feeder, 3)
    np.testing.assert_array_equal(np.concatenate([x for x, _ in batches]), X)
    np.testing.assert_array_equal(np.concatenate([y for _, y in batches]), Y[:, 0])
    assert [len(x) for x, _ in batches] == [4, 4, 2]
    with pytest.raises(StopIteration):
        feeder.get_feed_dict_fn()()
    # Label rows of shape [1] are fed as [batch] (r1.15 _get_in_out_shape).
    feeder = data_feeder.setup_train_data_feeder(iter(X), iter(Y), n_classes=None,
                                                 batch_size=10)
    (_, labels), [(_, y)] = _feeder_batches(feeder, 1)
    assert labels.shape.as_list() == [None]
    np.testing.assert_array_equal(y, Y[:, 0])
    with pytest.raises(ValueError) as err:
        data_feeder.setup_train_data_feeder(iter(X), Y, n_classes=None)
    assert str(err.value) == MSG_STREAMING
    with pytest.raises(ValueError) as err:
        data_feeder.setup_train_data_feeder(X, Y, n_classes=None, batch_size=0)
    assert str(err.value) == MSG_BATCH_SIZE


def test_setup_predict_data_feeder_batches():
    batches = data_feeder.setup_predict_data_feeder(np.arange(5.0), batch_size=2)
    assert [b.tolist() for b in batches] == [[[0.0], [1.0]], [[2.0], [3.0]], [[4.0]]]
    streamed = list(data_feeder.setup_predict_data_feeder(iter(X[:3]), batch_size=2))
    assert [b.tolist() for b in streamed] == [X[:2].tolist(), X[2:3].tolist()]


# ------------------------------------------------------------------ fit/evaluate/predict with x

def _recording_model_fn(features, labels, mode, params):
    """Counts the rows and sums the values it is fed (the oracle is numpy)."""
    params["inputs"].append((mode, features, labels))
    x = tf.concat([tf.cast(features[k], tf.float32) for k in sorted(features)], 1) \
        if isinstance(features, dict) else tf.cast(features, tf.float32)
    rows = tf.compat.v1.get_variable("rows", [], initializer=tf.compat.v1.zeros_initializer())
    total = tf.compat.v1.get_variable("total", [], initializer=tf.compat.v1.zeros_initializer())
    scale = tf.compat.v1.get_variable("scale", [], initializer=tf.compat.v1.ones_initializer())
    predictions = scale * tf.reduce_sum(x, 1)
    if labels is None:
        return ModelFnOps(mode=mode, predictions=predictions)
    labels = labels["y"] if isinstance(labels, dict) else labels
    loss = tf.reduce_mean(tf.square(predictions - tf.cast(labels, tf.float32))) * 0.0
    train_op = tf.group(
        tf.compat.v1.assign_add(rows, tf.cast(tf.shape(x)[0], tf.float32)),
        tf.compat.v1.assign_add(total, tf.reduce_sum(x)),
        tf.compat.v1.assign_add(tf.compat.v1.train.get_global_step(), 1))
    return ModelFnOps(mode=mode, predictions=predictions, loss=loss, train_op=train_op,
                      eval_metric_ops={"mean_label": tf.compat.v1.metrics.mean(labels)})


def _recording_estimator(model_dir):
    inputs = []
    return Estimator(model_fn=_recording_model_fn, model_dir=str(model_dir),
                     params={"inputs": inputs}), inputs


def test_fit_feeds_numpy_rows_as_r115s_data_feeder(tmp_path, caplog):
    est, inputs = _recording_estimator(tmp_path / "m")
    est.fit(x=X, y=Y, batch_size=4, steps=4)
    _, features, labels = inputs[0]
    assert features.dtype == tf.float32 and features.shape.as_list() == [None, 2]
    assert labels.shape.as_list() == [None]  # [n, 1] labels arrive as [batch]
    # Shuffled (RandomState(42), re-drawn per epoch), short batch at the epoch end.
    rng = np.random.RandomState(42)
    first, second = rng.permutation(10), rng.permutation(10)
    fed = np.concatenate([first, second[:4]])
    assert est.get_variable_value("rows") == 14
    assert est.get_variable_value("total") == X[fed].sum()
    result = est.evaluate(x=X, y=Y, batch_size=3)
    assert result["mean_label"] == pytest.approx(Y.mean()) and result["global_step"] == 4
    caplog.clear()
    predictions = est.predict(x=X, batch_size=3)
    np.testing.assert_allclose(list(predictions), X.sum(1))
    # TF 2.15's "predict yields forever" warning is wrong here; r1.15 said nothing.
    assert "yields forever" not in caplog.text
    np.testing.assert_allclose(est.predict(x=X, as_iterable=False), X.sum(1))


def test_fit_and_predict_stream_iterators(tmp_path):
    est, _inputs = _recording_estimator(tmp_path / "m")
    # r1.15 StreamingDataFeeder: training ends when the iterators do.
    est.fit(x=iter(X), y=iter(Y[:, 0]), batch_size=3, steps=100)
    assert est.get_variable_value("global_step") == 4  # batches of 3, 3, 3, 1
    assert est.get_variable_value("rows") == 10
    assert est.get_variable_value("total") == X.sum()
    np.testing.assert_allclose(list(est.predict(x=iter(X[:5]))), X[:5].sum(1))


def test_fit_with_dicts_of_arrays(tmp_path):
    est, inputs = _recording_estimator(tmp_path / "m")
    x = {"a": X[:, :1], "b": np.arange(10, dtype=np.int64)}
    est.fit(x=x, y={"y": Y[:, 0]}, batch_size=None, steps=1)
    _, features, labels = inputs[0]
    assert sorted((k, v.name, v.dtype) for k, v in features.items()) == [
        ("a", "input_a:0", tf.float32), ("b", "input_b:0", tf.int64)]
    assert labels["y"].name == "output_y:0"
    assert est.get_variable_value("rows") == 10
    assert est.get_variable_value("total") == X[:, 0].sum() + np.arange(10).sum()

    est, _ = _recording_estimator(tmp_path / "lists")
    est.fit(x=X[:2].tolist(), y=[0.0, 1.0], steps=1)  # lists too (r1.15 failed on x.dtype)
    assert est.get_variable_value("total") == X[:2].sum()


def test_bad_input_writes_nothing(tmp_path):
    model_dir = tmp_path / "m"
    est, _ = _recording_estimator(model_dir)
    with pytest.raises(ValueError) as err:
        est.fit(x=X, y=Y, input_fn=lambda: (X, Y), steps=1)
    assert str(err.value) == MSG_INPUT_FN_AND_X
    with pytest.raises(ValueError) as err:
        est.fit(x=iter(X), y=Y, steps=1)
    assert str(err.value) == MSG_STREAMING
    with pytest.raises(ValueError) as err:
        est.fit(x=X, y=Y, batch_size=0, steps=1)
    assert str(err.value) == MSG_BATCH_SIZE
    with pytest.raises(NotFittedError) as err:
        est.predict(x=X)
    assert str(err.value) == MSG_NOT_FITTED % model_dir
    with pytest.raises(NotFittedError):
        est.evaluate(x=X, y=Y)
    for read in (lambda: est.get_variable_value("rows"), est.get_variable_names):
        with pytest.raises(ValueError) as err:
            read()
        assert str(err.value) == MSG_NO_CHECKPOINT_FILE % model_dir
    with pytest.raises(NotFittedError):
        est.export_savedmodel(str(tmp_path / "export"), _serving_input_fn)
    assert not model_dir.exists() and not (tmp_path / "export").exists()
