"""r1.15 ``tf.contrib.rnn.python.ops.core_rnn_cell``: the wrappers that left core.

`EmbeddingWrapper`, `InputProjectionWrapper` and `OutputProjectionWrapper` were core
cells until TF 1.1 and stayed in r1.15's contrib only; TensorFlow 2.15 has none of them.
They are written here on TF 2.15's own `tf.compat.v1.nn.rnn_cell.RNNCell` (the class
r1.15's cells derived from), with r1.15's arguments, checks, messages and variable
names (``<scope>/output_projection_wrapper/kernel`` ...), so TF 1.x checkpoints restore.

Native TF2 replacement: a ``tf.keras.layers.Dense`` or ``tf.keras.layers.Embedding``
before or after ``tf.keras.layers.RNN``.
"""

import logging
import math

from compat_learn import _tf

__all__ = ["EmbeddingWrapper", "InputProjectionWrapper", "OutputProjectionWrapper"]

_log = logging.getLogger(__name__)

tf = _tf.tf
_v1 = tf.compat.v1
RNNCell = _v1.nn.rnn_cell.RNNCell
# r1.15 rnn_cell_impl._WEIGHTS_VARIABLE_NAME / _BIAS_VARIABLE_NAME.
_KERNEL = "kernel"
_BIAS = "bias"


def _assert_like_rnncell(cell):
    # r1.15 rnn_cell_impl.assert_like_rnncell (TF 2.15 keeps it in rnn_cell_impl, which
    # tensorflow/python/ops/rnn.py imports): the same duck-typed check and message.
    _tf.rnn.rnn_cell_impl.assert_like_rnncell("cell", cell)


class _Linear:
    """r1.15 core_rnn_cell._Linear: ``inputs @ kernel (+ bias)`` in the current scope."""

    def __init__(self, args, output_size, build_bias):
        if args is None or (tf.nest.is_nested(args) and not args):
            raise ValueError("`args` must be specified")
        self._is_sequence = tf.nest.is_nested(args)
        args = list(args) if self._is_sequence else [args]
        total_arg_size = 0
        shapes = [a.get_shape() for a in args]
        for shape in shapes:
            if shape.ndims != 2:
                raise ValueError("linear is expecting 2D arguments: %s" % shapes)
            if shape.dims[1].value is None:
                raise ValueError("linear expects shape[1] to be provided for shape %s, "
                                 "but saw %s" % (shape, shape[1]))
            total_arg_size += shape.dims[1].value
        dtype = args[0].dtype
        self._build_bias = build_bias
        with _v1.variable_scope(_v1.get_variable_scope()) as outer_scope:
            self._weights = _v1.get_variable(_KERNEL, [total_arg_size, output_size],
                                             dtype=dtype)
            if build_bias:
                with _v1.variable_scope(outer_scope) as inner_scope:
                    inner_scope.set_partitioner(None)
                    self._biases = _v1.get_variable(
                        _BIAS, [output_size], dtype=dtype,
                        initializer=_v1.constant_initializer(0.0, dtype=dtype))

    def __call__(self, args):
        args = list(args) if self._is_sequence else [args]
        res = tf.matmul(args[0] if len(args) == 1 else tf.concat(args, 1), self._weights)
        if self._build_bias:
            res = tf.nn.bias_add(res, self._biases)
        return res


class _WrapperBase(RNNCell):
    """State size and zero state of the wrapped cell (r1.15's three wrappers share them)."""

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)


class EmbeddingWrapper(_WrapperBase):
    """Embeds integer inputs before the wrapped cell (r1.15 contrib.rnn.EmbeddingWrapper).

    The ``embedding`` variable ([embedding_classes, embedding_size], on the CPU) is
    initialised by `initializer`, else the variable scope's initializer, else
    Uniform(-sqrt(3), sqrt(3)) (variance 1), as in r1.15.

    Native TF2 replacement: ``tf.keras.layers.Embedding`` before the RNN layer.

    Args:
      cell: an RNNCell; the embedding is put before its inputs.
      embedding_classes: how many symbols are embedded (> 0).
      embedding_size: the size of the embedding vectors (> 0).
      initializer: the embedding's initializer (optional).
      reuse: whether to reuse variables in an existing scope (optional).

    Raises:
      TypeError: if `cell` is not an RNNCell.
      ValueError: if `embedding_classes` or `embedding_size` is not positive.
    """

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None,
                 reuse=None):
        super().__init__(_reuse=reuse)
        _assert_like_rnncell(cell)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError("Both embedding_classes and embedding_size must be > 0: "
                             "%d, %d." % (embedding_classes, embedding_size))
        self._cell = cell
        self._embedding_classes = embedding_classes
        self._embedding_size = embedding_size
        self._initializer = initializer

    def call(self, inputs, state):
        """Runs the cell on the embedded inputs."""
        with tf.device("/cpu:0"):
            initializer = self._initializer or _v1.get_variable_scope().initializer
            if not initializer:
                sqrt3 = math.sqrt(3)
                initializer = _v1.random_uniform_initializer(-sqrt3, sqrt3)
            data_type = state[0].dtype if isinstance(state, tuple) else state.dtype
            embedding = _v1.get_variable(
                "embedding", [self._embedding_classes, self._embedding_size],
                initializer=initializer, dtype=data_type)
            embedded = tf.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
            return self._cell(embedded, state)


class InputProjectionWrapper(_WrapperBase):
    """Projects the inputs before the wrapped cell (r1.15 contrib.rnn.InputProjectionWrapper).

    Variables ``kernel`` and ``bias`` under the wrapper's scope
    (``input_projection_wrapper``), the wrapped cell's beneath it.

    Native TF2 replacement: ``tf.keras.layers.Dense`` on the inputs.

    Args:
      cell: an RNNCell; the projection of the inputs is added before it.
      num_proj: the dimension to project to.
      activation: an activation applied to the projection (optional).
      input_size: deprecated and unused (r1.15 logged a warning).
      reuse: whether to reuse variables in an existing scope (optional).

    Raises:
      TypeError: if `cell` is not an RNNCell.
    """

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super().__init__(_reuse=reuse)
        if input_size is not None:
            _log.warning("%s: The input_size parameter is deprecated.", self)
        _assert_like_rnncell(cell)
        self._cell = cell
        self._num_proj = num_proj
        self._activation = activation
        self._linear = None

    def call(self, inputs, state):
        """Runs the input projection, then the cell."""
        if self._linear is None:
            self._linear = _Linear(inputs, self._num_proj, True)
        projected = self._linear(inputs)
        if self._activation:
            projected = self._activation(projected)
        return self._cell(projected, state)


class OutputProjectionWrapper(_WrapperBase):
    """Projects the wrapped cell's outputs (r1.15 contrib.rnn.OutputProjectionWrapper).

    Variables ``kernel`` and ``bias`` under the wrapper's scope
    (``output_projection_wrapper``), the wrapped cell's beneath it.

    Native TF2 replacement: ``tf.keras.layers.Dense`` on the RNN layer's outputs.

    Args:
      cell: an RNNCell; a projection to `output_size` is added after it.
      output_size: the size of the output after projection (> 0).
      activation: an activation applied to the projection (optional).
      reuse: whether to reuse variables in an existing scope (optional).

    Raises:
      TypeError: if `cell` is not an RNNCell.
      ValueError: if `output_size` is not positive.
    """

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(_reuse=reuse)
        _assert_like_rnncell(cell)
        if output_size < 1:
            raise ValueError("Parameter output_size must be > 0: %d." % output_size)
        self._cell = cell
        self._output_size = output_size
        self._activation = activation
        self._linear = None

    @property
    def output_size(self):
        return self._output_size

    def call(self, inputs, state):
        """Runs the cell, then projects its output."""
        output, res_state = self._cell(inputs, state)
        if self._linear is None:
            self._linear = _Linear(output, self._output_size, True)
        projected = self._linear(output)
        if self._activation:
            projected = self._activation(projected)
        return projected, res_state
