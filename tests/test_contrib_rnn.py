"""tf.contrib.rnn through the import hook: r1.15's core cells and rnn functions.

r1.15's contrib/rnn/__init__.py re-exported tensorflow/python/ops/rnn_cell's classes
and rnn.py's static_* functions; TF 2.15 keeps the same cells in
tf.compat.v1.nn.rnn_cell. These tests check that the hook serves exactly those objects,
that a TF 1.x-style graph built from them has r1.15's variable names and runs, and one
BasicLSTMCell step against numpy.
"""

import importlib

import numpy as np
import pytest

from compat_learn import _alias

# TF 2.15's legacy cells (keras legacy_cells) warn on every construction; r1.15's did not,
# and TF 1.x trainers build them on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.:UserWarning")


@pytest.fixture(scope="module")
def tf():
    from compat_learn import _tf

    _alias.install()
    yield _tf.tf
    _alias._uninstall_for_tests()


# r1.15 contrib/rnn/__init__.py's @@ names that TF 2.15 still has, and where.
_CELLS = ("RNNCell", "BasicRNNCell", "BasicLSTMCell", "GRUCell", "LSTMCell", "LSTMStateTuple",
          "DropoutWrapper", "MultiRNNCell", "DeviceWrapper", "ResidualWrapper")
_FUNCTIONS = ("static_rnn", "static_bidirectional_rnn", "static_state_saving_rnn")


def test_core_rnn_names_resolve_to_tf215s_cells_and_functions(tf):
    rnn = importlib.import_module("tensorflow.contrib.rnn")
    assert tf.contrib.rnn is rnn
    for name in _CELLS:
        assert getattr(rnn, name) is getattr(tf.compat.v1.nn.rnn_cell, name), name
    for name in _FUNCTIONS:
        assert getattr(rnn, name) is getattr(tf.compat.v1.nn, name), name
    # LayerRNNCell: the base class of TF 2.15's cells (exported nowhere in TF 2.15).
    assert rnn.LayerRNNCell in rnn.BasicLSTMCell.__mro__
    assert rnn.LayerRNNCell.__name__ == "LayerRNNCell"
    # r1.15 exported these two private rnn.py helpers under public names.
    x = tf.zeros([2, 5, 3])
    assert rnn.transpose_batch_time(x).shape == (5, 2, 3)
    # time-major, as r1.15's dynamic_rnn passes it: [time, batch, depth]
    assert rnn.best_effort_input_batch_size([tf.zeros([5, 7, 3])]) == 7
    scope = {}
    exec("from tensorflow.contrib.rnn import LSTMCell, static_rnn", scope)
    assert scope["LSTMCell"] is tf.compat.v1.nn.rnn_cell.LSTMCell
    assert scope["static_rnn"] is tf.compat.v1.nn.static_rnn


def test_contrib_only_cell_fails_naming_its_replacement(tf):
    with pytest.raises(AttributeError) as info:
        tf.contrib.rnn.LayerNormBasicLSTMCell(8)
    assert str(info.value).startswith(
        "`tf.contrib.rnn.LayerNormBasicLSTMCell` is not supported by compat_learn: "
        "TensorFlow 2.15 has no exact equivalent. Nearest TF2 replacement: "
        "tf.keras.layers.LSTMCell with tf.keras.layers.LayerNormalization")


def test_static_and_dynamic_rnn_build_with_r115_variable_names_and_run(tf):
    v1 = tf.compat.v1
    rnn = tf.contrib.rnn
    batch, steps, depth, units = 3, 4, 2, 5
    with tf.Graph().as_default():
        v1.set_random_seed(0)
        keep_prob = v1.placeholder_with_default(1.0, [])
        inputs = v1.placeholder(tf.float32, [None, steps, depth])

        def stacked():
            return rnn.MultiRNNCell([rnn.DropoutWrapper(rnn.LSTMCell(units),
                                                        output_keep_prob=keep_prob)
                                     for _ in range(2)])

        static_out, static_state = rnn.static_rnn(stacked(), tf.unstack(inputs, axis=1),
                                                  dtype=tf.float32)
        with v1.variable_scope("dyn"):
            dyn_out, dyn_state = v1.nn.dynamic_rnn(rnn.BasicLSTMCell(units), inputs,
                                                   dtype=tf.float32)
        names = {v.op.name: v.shape.as_list() for v in v1.trainable_variables()}
        assert names == {
            "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel": [depth + units, 4 * units],
            "rnn/multi_rnn_cell/cell_0/lstm_cell/bias": [4 * units],
            "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel": [2 * units, 4 * units],
            "rnn/multi_rnn_cell/cell_1/lstm_cell/bias": [4 * units],
            "dyn/rnn/basic_lstm_cell/kernel": [depth + units, 4 * units],
            "dyn/rnn/basic_lstm_cell/bias": [4 * units],
        }
        assert isinstance(static_state[1], rnn.LSTMStateTuple)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            feed = {inputs: np.random.RandomState(0).randn(batch, steps, depth)}
            last, h1, dyn, dyn_h = sess.run([static_out[-1], static_state[1].h, dyn_out,
                                             dyn_state.h], feed)
            dropped = sess.run(static_out[-1], {**feed, keep_prob: 0.5})
    assert last.shape == (batch, units) and dyn.shape == (batch, steps, units)
    np.testing.assert_allclose(last, h1, rtol=1e-6)  # the last output is the top h
    np.testing.assert_allclose(dyn[:, -1], dyn_h, rtol=1e-6)
    assert np.any(last != 0)
    # output_keep_prob=0.5: each kept output is scaled by 2, the others are zeros
    assert np.any(dropped == 0)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_one_basic_lstm_step_matches_numpy(tf):
    v1 = tf.compat.v1
    rng = np.random.RandomState(1)
    x = rng.randn(2, 3).astype(np.float32)
    c0 = rng.randn(2, 4).astype(np.float32)
    h0 = rng.randn(2, 4).astype(np.float32)
    with tf.Graph().as_default():
        cell = tf.contrib.rnn.BasicLSTMCell(4)  # forget_bias=1.0, tanh
        out, (c1, h1) = cell(tf.constant(x), tf.contrib.rnn.LSTMStateTuple(c0, h0))
        bias_init = v1.assign(cell.weights[1], rng.randn(16).astype(np.float32))
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(bias_init)
            kernel, bias, out, c1, h1 = sess.run([cell.weights[0], cell.weights[1],
                                                  out, c1, h1])
    # r1.15 rnn_cell_impl.BasicLSTMCell.call: [x, h] @ kernel + bias split as i, j, f, o.
    i, j, f, o = np.split(np.concatenate([x, h0], 1) @ kernel + bias, 4, axis=1)
    want_c = c0 * _sigmoid(f + 1.0) + _sigmoid(i) * np.tanh(j)
    want_h = np.tanh(want_c) * _sigmoid(o)
    np.testing.assert_allclose(c1, want_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h1, want_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, want_h, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------
# r1.15 contrib/rnn/python/ops/core_rnn_cell.py's wrappers (compat_learn.rnn).
# ---------------------------------------------------------------------------------------
def test_core_rnn_cell_wrappers_have_r115_variable_names(tf):
    v1 = tf.compat.v1
    rnn = tf.contrib.rnn
    with tf.Graph().as_default():
        inputs = tf.unstack(v1.placeholder(tf.float32, [None, 3, 2]), axis=1)
        with v1.variable_scope("inp"):
            rnn.static_rnn(rnn.InputProjectionWrapper(rnn.GRUCell(4), num_proj=5), inputs,
                           dtype=tf.float32)
        with v1.variable_scope("emb"):
            ids = v1.placeholder(tf.int32, [None, 1])
            rnn.static_rnn(rnn.EmbeddingWrapper(rnn.LSTMCell(4), 10, 6), [ids, ids],
                           dtype=tf.float32)
        names = {v.op.name: v.shape.as_list() for v in v1.global_variables()}
    assert names == {
        "inp/rnn/input_projection_wrapper/kernel": [2, 5],
        "inp/rnn/input_projection_wrapper/bias": [5],
        "inp/rnn/input_projection_wrapper/gru_cell/gates/kernel": [9, 8],
        "inp/rnn/input_projection_wrapper/gru_cell/gates/bias": [8],
        "inp/rnn/input_projection_wrapper/gru_cell/candidate/kernel": [9, 4],
        "inp/rnn/input_projection_wrapper/gru_cell/candidate/bias": [4],
        "emb/rnn/embedding_wrapper/embedding": [10, 6],
        "emb/rnn/embedding_wrapper/lstm_cell/kernel": [10, 16],
        "emb/rnn/embedding_wrapper/lstm_cell/bias": [16],
    }


def test_output_projection_wrapper_matches_numpy(tf):
    # The shape of 2017's time-series RNN tutorials: BasicRNNCell projected to one output
    # per step under dynamic_rnn.
    v1 = tf.compat.v1
    rng = np.random.RandomState(2)
    x = rng.randn(2, 3, 2).astype(np.float32)
    with tf.Graph().as_default():
        cell = tf.contrib.rnn.OutputProjectionWrapper(
            tf.contrib.rnn.BasicRNNCell(4), output_size=1, activation=tf.nn.relu)
        assert cell.output_size == 1 and cell.state_size == 4
        outputs, state = v1.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32)
        variables = {v.op.name: v for v in v1.global_variables()}
        assert sorted(variables) == [
            "rnn/output_projection_wrapper/basic_rnn_cell/bias",
            "rnn/output_projection_wrapper/basic_rnn_cell/kernel",
            "rnn/output_projection_wrapper/bias", "rnn/output_projection_wrapper/kernel"]
        bias = variables["rnn/output_projection_wrapper/bias"]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(v1.assign(bias, [0.3]))
            values, outputs, state = sess.run([variables, outputs, state])
    w = values["rnn/output_projection_wrapper/basic_rnn_cell/kernel"]
    b = values["rnn/output_projection_wrapper/basic_rnn_cell/bias"]
    pw = values["rnn/output_projection_wrapper/kernel"]
    h = np.zeros((2, 4), np.float32)
    for t in range(3):
        h = np.tanh(np.concatenate([x[:, t], h], 1) @ w + b)
        want = np.maximum(h @ pw + 0.3, 0)
        np.testing.assert_allclose(outputs[:, t], want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state, h, rtol=1e-5, atol=1e-6)


def test_core_rnn_cell_wrappers_reject_bad_arguments_as_r115(tf):
    rnn = tf.contrib.rnn
    with pytest.raises(ValueError, match=r"^Parameter output_size must be > 0: 0\.$"):
        rnn.OutputProjectionWrapper(rnn.GRUCell(3), 0)
    with pytest.raises(ValueError, match=r"^Both embedding_classes and embedding_size must "
                                         r"be > 0: 0, 4\.$"):
        rnn.EmbeddingWrapper(rnn.GRUCell(3), 0, 4)
    with pytest.raises(TypeError, match=r"^The argument 'cell' \(3\) is not an RNNCell: "
                                        r"'output_size' property is missing"):
        rnn.InputProjectionWrapper(3, 2)
    with tf.Graph().as_default():
        cell = rnn.InputProjectionWrapper(rnn.GRUCell(3), 2)
        # TF 2.15's RNNCell runs call() through autograph, which prefixes "in user code".
        with pytest.raises(ValueError, match=r"linear expects shape\[1\] to be provided for "
                                             r"shape \(None, None\), but saw None"):
            cell(tf.compat.v1.placeholder(tf.float32, [None, None]), tf.zeros([1, 3]))
