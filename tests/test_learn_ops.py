"""tf.contrib.learn.ops and tf.contrib.learn.models (compat_learn.ops, compat_learn.models).

r1.15's signatures, variable and summary names, and numbers recomputed with numpy from
the variables' values.
"""

import importlib
import inspect

import numpy as np
import pytest

from compat_learn import _alias, models, ops
from compat_learn._tf import tf

v1 = tf.compat.v1

R115_SIGNATURES = {
    ops: {
        "categorical_variable": "tensor_in n_classes embedding_size name",
        "embedding_lookup": "params ids name",
        "mean_squared_error_regressor": "tensor_in labels weights biases name",
        "softmax_classifier": "tensor_in labels weights biases class_weight name",
        "sequence_classifier": "decoding labels sampling_decoding name",
        "seq2seq_inputs": "x y input_length output_length sentinel name",
        "rnn_decoder": "decoder_inputs initial_state cell scope",
        "rnn_seq2seq": "encoder_inputs decoder_inputs encoder_cell decoder_cell dtype scope",
    },
    models: {
        "linear_regression": "x y init_mean init_stddev",
        "linear_regression_zero_init": "x y",
        "logistic_regression": "x y class_weight init_mean init_stddev",
        "logistic_regression_zero_init": "x y",
        "bidirectional_rnn": ("cell_fw cell_bw inputs initial_state_fw initial_state_bw dtype "
                              "sequence_length scope"),
        "get_rnn_model": ("rnn_size cell_type num_layers input_op_fn bidirectional "
                          "target_predictor_fn sequence_length initial_state attn_length "
                          "attn_size attn_vec_size"),
    },
}

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5], [0.2, 0.3, 0.4], [-1.0, 1.0, 0.0]],
             np.float32)


@pytest.mark.parametrize("module,name", [(m, n) for m, names in R115_SIGNATURES.items()
                                         for n in names])
def test_signature_is_r115s(module, name):
    assert list(inspect.signature(getattr(module, name)).parameters) == \
        R115_SIGNATURES[module][name].split()
    assert name in module.__all__


def _softmax(logits):
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_categorical_variable_names_and_lookup():
    with tf.Graph().as_default():
        ids = tf.constant([[1, 2], [0, 1]])
        embedded = ops.categorical_variable(ids, n_classes=3, embedding_size=4, name="color")
        (variable,) = v1.trainable_variables()
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            got, table = session.run([embedded, variable])
    assert variable.op.name == "color/color_embeddings"
    assert embedded.shape.as_list() == [2, 2, 4]
    np.testing.assert_allclose(got, table[[[1, 2], [0, 1]]])


def test_embedding_lookup_keeps_the_ids_shape():
    params = np.arange(12, dtype=np.float32).reshape(4, 3)
    ids = np.array([[[3], [0]], [[1], [1]]])
    with tf.Graph().as_default():
        out = ops.embedding_lookup(tf.constant(params), tf.constant(ids))
        assert out.shape.as_list() == [2, 2, 1, 3]
        with v1.Session() as session:
            np.testing.assert_allclose(session.run(out), params[ids])


def test_linear_regression_variables_summaries_and_loss():
    y = np.array([1.0, -2.0, 0.5, 3.0], np.float32)
    with tf.Graph().as_default():
        predictions, loss = models.linear_regression(tf.constant(X), tf.constant(y))
        names = [v.op.name for v in v1.trainable_variables()]
        summaries = [s.op.name for s in v1.get_collection(v1.GraphKeys.SUMMARIES)]
        assert v1.get_collection(v1.GraphKeys.LOSSES) == [loss]
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            got, got_loss, (w, b) = session.run([predictions, loss, v1.trainable_variables()])
    assert names == ["linear_regression/weights", "linear_regression/bias"]
    assert w.shape == (3, 1) and b.shape == (1,)
    # r1.15: histograms named "<scope>.x" ..., created inside the scope.
    assert summaries == ["linear_regression/linear_regression." + n
                         for n in ("x", "y", "weights", "bias")]
    want = (X @ w + b)[:, 0]  # a [batch, 1] prediction is squeezed for [batch] labels
    np.testing.assert_allclose(got, want, rtol=1e-5)
    assert got_loss == pytest.approx(((want - y) ** 2).mean(), rel=1e-5)


def test_zero_init_models_start_at_zero():
    labels = np.eye(2, dtype=np.float32)[[0, 1, 1, 0]]
    with tf.Graph().as_default():
        predictions, loss = models.linear_regression_zero_init(tf.constant(X),
                                                               tf.constant(labels))
        probabilities, xent = models.logistic_regression_zero_init(tf.constant(X),
                                                                   tf.constant(labels))
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            got = session.run([predictions, loss, probabilities, xent])
    np.testing.assert_array_equal(got[0], np.zeros((4, 2)))
    assert got[1] == pytest.approx((labels ** 2).mean())
    np.testing.assert_allclose(got[2], np.full((4, 2), 0.5))
    assert got[3] == pytest.approx(np.log(2.0), rel=1e-6)


def test_logistic_regression_uses_the_graphs_class_weight_tensor():
    labels = np.eye(3, dtype=np.float32)[[0, 2, 1, 2]]
    class_weight = np.array([1.0, 2.0, 0.5], np.float32)
    with tf.Graph().as_default():
        tf.constant(class_weight, name="class_weight")
        probabilities, loss = models.logistic_regression(tf.constant(X), tf.constant(labels))
        names = [v.op.name for v in v1.trainable_variables()]
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            got, got_loss, (w, b) = session.run([probabilities, loss,
                                                 v1.trainable_variables()])
    assert names == ["logistic_regression/weights", "logistic_regression/bias"]
    logits = (X @ w + b) * class_weight
    np.testing.assert_allclose(got, _softmax(logits), rtol=1e-5)
    want = -(labels * np.log(_softmax(logits))).sum(1).mean()
    assert got_loss == pytest.approx(want, rel=1e-5)


def test_seq2seq_inputs_and_sequence_classifier():
    x = np.random.RandomState(0).rand(2, 3, 4).astype(np.float32)
    y = np.random.RandomState(1).rand(2, 2, 5).astype(np.float32)
    onehot = [np.eye(5, dtype=np.float32)[[1, 4]], np.eye(5, dtype=np.float32)[[0, 0]]]
    with tf.Graph().as_default():
        in_x, in_y, out_y = ops.seq2seq_inputs(tf.constant(x), tf.constant(y), 3, 2)
        predictions, loss = ops.sequence_classifier(
            [tf.constant(y[:, 0]), tf.constant(y[:, 1])], [tf.constant(o) for o in onehot])
        with v1.Session() as session:
            in_x, in_y, out_y, predictions, loss = session.run(
                [in_x, in_y, out_y, predictions, loss])
    assert (len(in_x), len(in_y), len(out_y)) == (3, 3, 3)
    np.testing.assert_array_equal(in_y[0], np.zeros((2, 5)))  # the zero sentinel
    np.testing.assert_array_equal(out_y[-1], np.zeros((2, 5)))
    np.testing.assert_allclose(in_y[1], y[:, 0])
    np.testing.assert_allclose(predictions, np.stack([_softmax(y[:, 0]), _softmax(y[:, 1])], 1),
                               rtol=1e-5)
    want = sum(-(o * np.log(_softmax(y[:, i]))).sum() for i, o in enumerate(onehot))
    assert loss == pytest.approx(want, rel=1e-5)


@pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.BasicRNNCell` is deprecated:UserWarning")
def test_rnn_seq2seq_builds_training_and_sampling_graphs():
    with tf.Graph().as_default():
        encoder = [tf.ones([2, 4]) * i for i in range(3)]
        decoder = [tf.ones([2, 4]) for _ in range(2)]
        cell = v1.nn.rnn_cell.BasicRNNCell(4)
        outputs, states, sampling_outputs, sampling_states = ops.rnn_seq2seq(
            encoder, decoder, cell)
        names = sorted(v.op.name for v in v1.trainable_variables())
    assert (len(outputs), len(states), len(sampling_outputs), len(sampling_states)) == \
        (2, 3, 2, 3)
    assert all(name.startswith("rnn_seq2seq/") for name in names)


def test_get_rnn_model_trains_a_classifier_on_a_sequence():
    def input_op_fn(x):
        return tf.unstack(x, axis=1)

    labels = np.eye(2, dtype=np.float32)[[0, 1]]
    for bidirectional in (False, True):
        with tf.Graph().as_default():
            build = models.get_rnn_model(3, "gru", 2, input_op_fn, bidirectional,
                                         models.logistic_regression, None, None, None, None,
                                         None)
            probabilities, loss = build(tf.ones([2, 4, 5]), tf.constant(labels))
            with v1.Session() as session:
                session.run(v1.global_variables_initializer())
                got, got_loss = session.run([probabilities, loss])
        assert got.shape == (2, 2)
        np.testing.assert_allclose(got.sum(1), [1.0, 1.0], rtol=1e-5)
        assert np.isfinite(got_loss)


def test_get_rnn_model_errors_name_the_problem():
    def build(**kwargs):
        options = dict(cell_type="lstm", attn_length=None)
        options.update(kwargs)
        return models.get_rnn_model(3, options["cell_type"], 1, lambda x: [x], False,
                                    models.logistic_regression, None, None,
                                    options["attn_length"], 2, 2)

    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"^cell_type conv is not supported\. $"):
            build(cell_type="conv")(tf.ones([2, 3]), tf.ones([2, 2]))
        with pytest.raises(ValueError, match="AttentionCellWrapper"):
            build(attn_length=4)(tf.ones([2, 3]), tf.ones([2, 2]))
        with pytest.raises(TypeError, match="cell_fw must be an instance of RNNCell"):
            models.bidirectional_rnn(object(), object(), [tf.ones([2, 3])])


def test_served_as_tf_contrib_learn_ops_and_models():
    _alias.install()
    try:
        assert tf.contrib.learn.ops.categorical_variable is ops.categorical_variable
        assert tf.contrib.learn.models.linear_regression is models.linear_regression
        deep = importlib.import_module("tensorflow.contrib.learn.python.learn.models")
        assert deep is models
        seq = importlib.import_module("tensorflow.contrib.learn.python.learn.ops.seq2seq_ops")
        assert seq.rnn_seq2seq is ops.rnn_seq2seq
    finally:
        _alias._uninstall_for_tests()
