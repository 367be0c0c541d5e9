"""High-level TensorFlow Learn models (r1.15 contrib/learn/python/learn/models.py).

`linear_regression` and `logistic_regression` build r1.15's subgraphs: variables
``linear_regression/weights`` and ``linear_regression/bias`` (``logistic_regression/``
likewise), histogram summaries ``<scope>.x``, ``<scope>.y``, ``<scope>.weights``,
``<scope>.bias``, and the loss from `compat_learn.ops.losses_ops`. `get_rnn_model`
builds r1.15's RNN encoder on ``tf.compat.v1.nn.rnn_cell`` cells.

Native TF2 replacement: ``tf.estimator.LinearRegressor`` / ``LinearClassifier``, or
``tf.keras`` layers in a custom model_fn.
"""

import functools
import warnings

from compat_learn._deprecation import warn_deprecated
from compat_learn._tf import tf
from compat_learn.ops import losses_ops

__all__ = [
    "bidirectional_rnn", "get_rnn_model", "linear_regression",
    "linear_regression_zero_init", "logistic_regression", "logistic_regression_zero_init",
]

_v1 = tf.compat.v1


def _weights_and_bias(x, y, n_outputs, init_mean, init_stddev):
    """r1.15: get_variable's default initializer unless `init_mean` is given."""
    scope_name = _v1.get_variable_scope().name
    _v1.summary.histogram(f"{scope_name}.x", x)
    _v1.summary.histogram(f"{scope_name}.y", y)
    dtype = x.dtype.base_dtype
    initializer = None
    if init_mean is not None:
        initializer = _v1.random_normal_initializer(init_mean, init_stddev)
    weights = _v1.get_variable("weights", [x.get_shape()[1], n_outputs],
                               initializer=initializer, dtype=dtype)
    bias = _v1.get_variable("bias", [n_outputs], initializer=initializer, dtype=dtype)
    _v1.summary.histogram(f"{scope_name}.weights", weights)
    _v1.summary.histogram(f"{scope_name}.bias", bias)
    return weights, bias


def linear_regression(x, y, init_mean=None, init_stddev=1.0):
    """A linear regression subgraph.

    Args:
      x: ``[batch_size, n_features]`` features.
      y: ``[batch_size]`` or ``[batch_size, n_outputs]`` labels.
      init_mean: when given, the variables start from a normal distribution of this
        mean and `init_stddev`; otherwise from get_variable's default initializer.
      init_stddev: see `init_mean`.

    Returns:
      ``(predictions, loss)`` (mean squared error, added to ``GraphKeys.LOSSES``).
    """
    warn_deprecated("tf.contrib.learn.models.linear_regression", "tf.estimator.LinearRegressor")
    return _linear_regression(x, y, init_mean, init_stddev)


def _linear_regression(x, y, init_mean, init_stddev):
    with _v1.variable_scope("linear_regression"):
        y_shape = y.get_shape()
        n_outputs = 1 if len(y_shape) == 1 else y_shape[1]
        weights, bias = _weights_and_bias(x, y, n_outputs, init_mean, init_stddev)
        return losses_ops.mean_squared_error_regressor(x, y, weights, bias)


def linear_regression_zero_init(x, y):
    """`linear_regression` with weights and bias starting at zero."""
    warn_deprecated("tf.contrib.learn.models.linear_regression_zero_init",
                    "tf.estimator.LinearRegressor")
    return _linear_regression(x, y, 0.0, 0.0)


def logistic_regression(x, y, class_weight=None, init_mean=None, init_stddev=1.0):
    """A logistic (softmax) regression subgraph.

    Args:
      x: ``[batch_size, n_features]`` features.
      y: ``[batch_size, n_classes]`` one-hot labels.
      class_weight: ``[n_classes]`` factors of the logits. When not given, a graph
        tensor named ``class_weight:0`` is used if there is one (r1.15).
      init_mean: as for `linear_regression`.
      init_stddev: as for `linear_regression`.

    Returns:
      ``(probabilities, loss)`` (softmax cross-entropy, added to ``GraphKeys.LOSSES``).
    """
    warn_deprecated("tf.contrib.learn.models.logistic_regression",
                    "tf.estimator.LinearClassifier")
    return _logistic_regression(x, y, class_weight, init_mean, init_stddev)


def _logistic_regression(x, y, class_weight, init_mean, init_stddev):
    with _v1.variable_scope("logistic_regression"):
        weights, bias = _weights_and_bias(x, y, y.get_shape()[-1], init_mean, init_stddev)
        if class_weight is None:
            try:
                class_weight = _v1.get_default_graph().get_tensor_by_name("class_weight:0")
            except KeyError:
                pass
        return losses_ops.softmax_classifier(x, y, weights, bias, class_weight=class_weight)


def logistic_regression_zero_init(x, y):
    """`logistic_regression` with weights and bias starting at zero."""
    warn_deprecated("tf.contrib.learn.models.logistic_regression_zero_init",
                    "tf.estimator.LinearClassifier")
    return _logistic_regression(x, y, None, 0.0, 0.0)


def _reverse_seq(input_seq, lengths):
    if lengths is None:
        return list(reversed(input_seq))
    for step in input_seq:
        step.set_shape(step.get_shape().with_rank(2))
    # r1.15 called array_ops.pack/unpack here, names TensorFlow 1.0 had already
    # removed (so r1.15 failed with sequence_length); stack/unstack are what it meant.
    reversed_ = tf.reverse_sequence(tf.stack(input_seq), lengths, 0, 1)
    return tf.unstack(reversed_)


def bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                      initial_state_bw=None, dtype=None, sequence_length=None, scope=None):
    """A statically unrolled bidirectional RNN (r1.15's, not ``tf.nn``'s).

    Returns:
      ``(outputs, state)``: per-step forward and backward outputs concatenated, and the
      concatenated final states.

    Raises:
      TypeError: when a cell is not an RNN cell or `inputs` is not a list.
      ValueError: when `inputs` is empty.
    """
    warn_deprecated("tf.contrib.learn.models.bidirectional_rnn",
                    "tf.keras.layers.Bidirectional")
    return _bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw, initial_state_bw,
                              dtype, sequence_length, scope)


def _bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw, initial_state_bw, dtype,
                       sequence_length, scope):
    rnn_cell = _v1.nn.rnn_cell.RNNCell
    if not isinstance(cell_fw, rnn_cell):
        raise TypeError("cell_fw must be an instance of RNNCell")
    if not isinstance(cell_bw, rnn_cell):
        raise TypeError("cell_bw must be an instance of RNNCell")
    if not isinstance(inputs, list):
        raise TypeError("inputs must be a list")
    if not inputs:
        raise ValueError("inputs must not be empty")
    name = scope or "BiRNN"
    with _v1.variable_scope(name + "_FW"):
        output_fw, state_fw = _v1.nn.static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                                sequence_length)
    with _v1.variable_scope(name + "_BW"):
        backward, state_bw = _v1.nn.static_rnn(cell_bw, _reverse_seq(inputs, sequence_length),
                                               initial_state_bw, dtype, sequence_length)
    output_bw = _reverse_seq(backward, sequence_length)
    outputs = [tf.concat([fw, bw], 1) for fw, bw in zip(output_fw, output_bw)]
    return outputs, tf.concat([state_fw, state_bw], 1)


def _cell_fn(cell_type):
    cells = _v1.nn.rnn_cell
    if cell_type == "rnn":
        return cells.BasicRNNCell
    if cell_type == "gru":
        return cells.GRUCell
    if cell_type == "lstm":
        return functools.partial(cells.BasicLSTMCell, state_is_tuple=False)
    raise ValueError("cell_type {} is not supported. ".format(cell_type))


def get_rnn_model(rnn_size, cell_type, num_layers, input_op_fn, bidirectional,
                  target_predictor_fn, sequence_length, initial_state, attn_length,
                  attn_size, attn_vec_size):
    """A function ``(x, y) -> target_predictor_fn(rnn_encoding(input_op_fn(x)), y)``.

    Args:
      rnn_size: the size of each cell.
      cell_type: ``'rnn'``, ``'gru'`` or ``'lstm'``.
      num_layers: the number of stacked cells.
      input_op_fn: turns the input `x` into a list of per-step tensors.
      bidirectional: whether the encoder is a bidirectional RNN.
      target_predictor_fn: ``(encoding, y) -> (predictions, loss)``, for example
        `logistic_regression`.
      sequence_length: per-example lengths, or None.
      initial_state: the initial state, or None for zeros.
      attn_length: must be None on TensorFlow 2.15 (see Raises).
      attn_size: used with `attn_length` only.
      attn_vec_size: used with `attn_length` only.

    Returns:
      The subgraph-building function.

    Raises:
      ValueError: when the returned function is called with an unknown `cell_type`,
        or with `attn_length` set: r1.15 wrapped the cells in
        ``tf.contrib.rnn.AttentionCellWrapper``, which TensorFlow 2.15 does not have.
    """
    warn_deprecated("tf.contrib.learn.models.get_rnn_model",
                    "tf.keras.layers.RNN in a custom model_fn")

    def rnn_estimator(x, y):
        x = input_op_fn(x)
        cell_fn = _cell_fn(cell_type)
        if attn_length is not None:
            raise ValueError(
                f"`attn_length` is {attn_length!r}: r1.15 wrapped the cells in "
                "tf.contrib.rnn.AttentionCellWrapper, which TensorFlow 2.15 does not have. "
                "Pass attn_length=None, or use tf.keras.layers.Attention on the outputs of "
                "a tf.keras.layers.RNN in a custom model_fn.")

        def stack():
            with warnings.catch_warnings():
                # Keras 2.15 warns on every legacy cell; these cells are r1.15's own choice
                # here, not the user's, so the warning would only be noise.
                warnings.filterwarnings("ignore", message=r"`tf\.nn\.rnn_cell\.",
                                        category=UserWarning)
                return _v1.nn.rnn_cell.MultiRNNCell(
                    [cell_fn(rnn_size) for _ in range(num_layers)], state_is_tuple=False)

        if bidirectional:
            _, encoding = _bidirectional_rnn(stack(), stack(), x, initial_state,
                                             initial_state, tf.float32, sequence_length, None)
        else:
            _, encoding = _v1.nn.static_rnn(stack(), x, dtype=tf.float32,
                                            sequence_length=sequence_length,
                                            initial_state=initial_state)
        return target_predictor_fn(encoding, y)

    return rnn_estimator
