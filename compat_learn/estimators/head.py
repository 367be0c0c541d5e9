"""`tf.contrib.learn` heads: what a model computes on top of its logits.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.head`` (r1.15). A head
turns logits (or the last hidden layer) into r1.15's predictions, training loss,
evaluation metrics (r1.15's `MetricKey` names) and export output alternatives, and
returns them as a contrib `ModelFnOps`. Variable names (``centered_bias_weight``,
``logits/weights``), summary tags and loss definitions are r1.15's, so a model
directory trained by TF 1.x restores. Native TF2: ``tf.estimator.MultiClassHead``,
``BinaryClassHead``, ``RegressionHead``, ``MultiLabelHead``,
``PoissonRegressionHead``, ``MultiHead``.
"""

import abc
import functools
import inspect
import logging

from compat_learn import _deprecation, _tf
from compat_learn.estimators import constants, model_fn
from compat_learn.estimators.metric_key import MetricKey as mkey
from compat_learn.estimators.prediction_key import PredictionKey as pkey

__all__ = [
    "Head",
    "binary_svm_head",
    "loss_only_head",
    "multi_class_head",
    "multi_head",
    "multi_label_head",
    "no_op_train_fn",
    "poisson_regression_head",
    "regression_head",
]

logger = logging.getLogger(__name__)
tf = _tf.tf
_v1 = tf.compat.v1
_Modes = model_fn.ModeKeys


def _warn(name, replacement):
    _deprecation.warn_deprecated("tf.contrib.learn." + name, replacement, stacklevel=3)


class Head(abc.ABC):
    """Interface for the head/top of a model (r1.15 ``Head``).

    Replaces ``tf.contrib.learn.Head``. Native TF2: ``tf.estimator.Head``.

    Given logits (or the input to a logits layer), a head computes predictions, the
    training loss, the evaluation metrics and the export signatures.
    """

    @property
    @abc.abstractmethod
    def logits_dimension(self):
        """Size of the last dimension of the logits `Tensor`."""

    @abc.abstractmethod
    def create_model_fn_ops(self, features, mode, labels=None, train_op_fn=None,
                            logits=None, logits_input=None, scope=None):
        """Returns the `ModelFnOps` a model_fn can return.

        Exactly one of `logits` and `logits_input` must be given.

        Args:
          features: dict of `Tensor`s (holds the weight column, if any).
          mode: a contrib `ModeKeys` value.
          labels: labels `Tensor` (or dict of them, keyed by `label_name`).
          train_op_fn: ``fn(loss) -> train op``; required in TRAIN mode.
          logits: logits `Tensor` of shape ``[batch_size, logits_dimension]``.
          logits_input: a `Tensor` the head builds a ``logits`` linear layer on.
          scope: variable scope; defaults to the head name or the head kind.

        Returns:
          A `ModelFnOps`.

        Raises:
          ValueError: unknown `mode`, or neither or both of `logits` and
            `logits_input` (r1.15 messages).
        """


# --------------------------------------------------------------------------------------
# Factories (r1.15 names, arguments and defaults).
# --------------------------------------------------------------------------------------
def regression_head(label_name=None, weight_column_name=None, label_dimension=1,
                    enable_centered_bias=False, head_name=None, link_fn=None):
    """Creates a `Head` for linear regression (mean squared error loss).

    Args:
      label_name: key of the labels dict; None when labels is a `Tensor`.
      weight_column_name: feature holding per-example weights.
      label_dimension: number of regression labels per example.
      enable_centered_bias: learn a ``centered_bias_weight`` per logit.
      head_name: suffix of prediction, summary and metric keys and the default scope.
      link_fn: maps logits to predictions; default identity.

    Returns:
      A `Head` for linear regression.
    """
    _warn("regression_head", "tf.estimator.RegressionHead")
    return _RegressionHead(
        label_name=label_name, weight_column_name=weight_column_name,
        label_dimension=label_dimension, enable_centered_bias=enable_centered_bias,
        head_name=head_name, loss_fn=_mean_squared_loss,
        link_fn=link_fn if link_fn is not None else tf.identity)


def poisson_regression_head(label_name=None, weight_column_name=None, label_dimension=1,
                            enable_centered_bias=False, head_name=None):
    """Creates a `Head` for poisson regression (log poisson loss, ``exp`` link).

    Args: as `regression_head`, without `link_fn`.

    Returns:
      A `Head` for poisson regression.
    """
    _warn("poisson_regression_head", "tf.estimator.PoissonRegressionHead")
    return _RegressionHead(
        label_name=label_name, weight_column_name=weight_column_name,
        label_dimension=label_dimension, enable_centered_bias=enable_centered_bias,
        head_name=head_name, loss_fn=_poisson_loss, link_fn=tf.exp)


def multi_class_head(n_classes, label_name=None, weight_column_name=None,
                     enable_centered_bias=False, head_name=None, thresholds=None,
                     metric_class_ids=None, loss_fn=None, label_keys=None):
    """Creates a `Head` for single-label classification.

    ``n_classes == 2`` gives a binary logistic head (one logit, sigmoid loss);
    more classes give a softmax head.

    Args:
      n_classes: number of classes, at least 2.
      label_name: key of the labels dict; None when labels is a `Tensor`.
      weight_column_name: feature holding per-example weights.
      enable_centered_bias: learn a ``centered_bias_weight`` per logit.
      head_name: suffix of prediction, summary and metric keys and the default scope.
      thresholds: thresholds of the binary metrics; default ``(.5,)``.
      metric_class_ids: classes to report per-class metrics for (``n_classes > 2``).
      loss_fn: ``fn(labels, logits, weights)`` returning a weighted scalar loss.
      label_keys: the label vocabulary (strings), ``n_classes > 2`` only.

    Returns:
      A `Head` for classification.

    Raises:
      ValueError: `n_classes` < 2; `metric_class_ids` or `label_keys` with 2 classes;
        a `loss_fn` without labels/logits/weights arguments (r1.15 messages).
    """
    _warn("multi_class_head", "tf.estimator.MultiClassHead or tf.estimator.BinaryClassHead")
    if n_classes is None or n_classes < 2:
        raise ValueError(f"n_classes must be > 1 for classification: {n_classes}.")
    if loss_fn:
        _verify_loss_fn_args(loss_fn)
    loss_fn = _wrap_custom_loss_fn(loss_fn) if loss_fn else None
    if n_classes == 2:
        if metric_class_ids:
            raise ValueError("metric_class_ids invalid for n_classes==2.")
        if label_keys:
            raise ValueError("label_keys is not supported for n_classes=2.")
        return _BinaryLogisticHead(
            label_name=label_name, weight_column_name=weight_column_name,
            enable_centered_bias=enable_centered_bias, head_name=head_name,
            thresholds=thresholds, loss_fn=loss_fn)
    return _MultiClassHead(
        n_classes=n_classes, label_name=label_name, weight_column_name=weight_column_name,
        enable_centered_bias=enable_centered_bias, head_name=head_name,
        thresholds=thresholds, metric_class_ids=metric_class_ids, loss_fn=loss_fn,
        label_keys=label_keys)


def binary_svm_head(label_name=None, weight_column_name=None, enable_centered_bias=False,
                    head_name=None, thresholds=None):
    """Creates a `Head` for binary classification with a hinge loss (SVM).

    Args: as `multi_class_head` for two classes.

    Returns:
      A `Head` for binary SVM classification.
    """
    _warn("binary_svm_head", "tf.estimator.BinaryClassHead with a hinge loss_fn")
    return _BinarySvmHead(
        label_name=label_name, weight_column_name=weight_column_name,
        enable_centered_bias=enable_centered_bias, head_name=head_name,
        thresholds=thresholds)


def multi_label_head(n_classes, label_name=None, weight_column_name=None,
                     enable_centered_bias=False, head_name=None, thresholds=None,
                     metric_class_ids=None, loss_fn=None):
    """Creates a `Head` for multi-label classification (sigmoid cross entropy).

    Labels are multi-hot ``[batch_size, n_classes]``, or a `SparseTensor` of class
    ids.

    Args: as `multi_class_head`, without `label_keys`.

    Returns:
      A `Head` for multi-label classification.

    Raises:
      ValueError: `n_classes` < 2, or a `loss_fn` without the expected arguments.
    """
    _warn("multi_label_head", "tf.estimator.MultiLabelHead")
    if n_classes < 2:
        raise ValueError("n_classes must be > 1 for classification.")
    if loss_fn:
        _verify_loss_fn_args(loss_fn)
    return _MultiLabelHead(
        n_classes=n_classes, label_name=label_name, weight_column_name=weight_column_name,
        enable_centered_bias=enable_centered_bias, head_name=head_name,
        thresholds=thresholds, metric_class_ids=metric_class_ids,
        loss_fn=_wrap_custom_loss_fn(loss_fn) if loss_fn else None)


def loss_only_head(loss_fn, head_name=None):
    """Creates a `Head` holding only extra loss terms (e.g. regularization).

    Args:
      loss_fn: ``fn() -> scalar Tensor`` or a list of them (summed).
      head_name: the head's name; default ``"loss_only_head"``.

    Returns:
      A `Head` to combine with others in `multi_head`.
    """
    _warn("loss_only_head", "tf.estimator.MultiHead with a custom Head")
    return _LossOnlyHead(loss_fn, head_name=head_name)


def multi_head(heads, loss_weights=None):
    """Creates a `Head` merging several named heads fed by the same logits.

    Args:
      heads: list of `Head`s, each with a `head_name`.
      loss_weights: optional weights of the heads' losses; default all 1.

    Returns:
      A `Head` whose loss is the (weighted) sum of the heads' losses.

    Raises:
      ValueError: `heads` and `loss_weights` differ in length (r1.15 message).
    """
    _warn("multi_head", "tf.estimator.MultiHead")
    if loss_weights and len(loss_weights) != len(heads):
        raise ValueError("heads and loss_weights must have same size")

    def _weighted_loss_merger(losses):
        if loss_weights:
            if len(losses) != len(loss_weights):
                raise ValueError("losses and loss_weights must have same size")
            return tf.add_n([tf.multiply(loss, weight)
                             for loss, weight in zip(losses, loss_weights)])
        return tf.add_n(losses)

    return _MultiHead(heads, loss_merger=_weighted_loss_merger)


def no_op_train_fn(loss):
    """A `train_op_fn` that does nothing (optimize `ModelFnOps.loss` yourself).

    Native TF2: ``lambda _: tf.no_op()``.
    """
    _warn("no_op_train_fn", "lambda _: tf.no_op()")
    del loss
    return tf.no_op()


# --------------------------------------------------------------------------------------
# Losses: each returns (training loss, reported weighted average loss), r1.15's pair.
# --------------------------------------------------------------------------------------
def _expand_1d(tensor):
    # r1.15: expand rank-1 labels/logits to [batch, 1] so "-" cannot broadcast.
    return tf.expand_dims(tensor, axis=1) if tensor.shape.rank == 1 else tensor


def _mean_squared_loss(labels, logits, weights=None):
    with _v1.name_scope(None, "mean_squared_loss", (logits, labels)) as name:
        logits = _expand_1d(tf.convert_to_tensor(logits))
        labels = _expand_1d(tf.convert_to_tensor(labels))
        logits.shape.assert_is_compatible_with(labels.shape)
        loss = tf.math.squared_difference(logits, tf.cast(labels, tf.float32), name=name)
        return _compute_weighted_loss(loss, weights)


def _poisson_loss(labels, logits, weights=None):
    with _v1.name_scope(None, "_poisson_loss", (logits, labels)) as name:
        logits = _expand_1d(tf.convert_to_tensor(logits))
        labels = _expand_1d(tf.convert_to_tensor(labels))
        logits.shape.assert_is_compatible_with(labels.shape)
        loss = tf.nn.log_poisson_loss(labels, logits, compute_full_loss=True, name=name)
        return _compute_weighted_loss(loss, weights)


def _log_loss_with_two_classes(labels, logits, weights=None):
    with _v1.name_scope(None, "log_loss_with_two_classes", (logits, labels)) as name:
        logits = tf.convert_to_tensor(logits)
        labels = _expand_1d(tf.cast(labels, tf.float32))
        loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                       name=name)
        return _compute_weighted_loss(loss, weights)


def _softmax_cross_entropy_loss(labels, logits, weights=None):
    with _v1.name_scope(None, "softmax_cross_entropy_loss", (logits, labels)) as name:
        labels = tf.convert_to_tensor(labels)
        if not labels.dtype.is_integer:
            raise ValueError(f"Labels dtype should be integer Instead got {labels.dtype}.")
        squeezed = labels.shape.rank == 2
        if squeezed:
            labels = tf.squeeze(labels, axis=(1,))
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                              name=name)
        if squeezed:
            # Back to [batch, 1], the shape 2-d weights have.
            loss = tf.expand_dims(loss, axis=1)
        return _compute_weighted_loss(loss, weights)


def _sigmoid_cross_entropy_loss(labels, logits, weights=None):
    with _v1.name_scope(None, "sigmoid_cross_entropy_loss", (logits, labels)) as name:
        loss = tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.cast(labels, tf.float32), logits=logits, name=name)
        return _compute_weighted_loss(loss, weights)


def _hinge_loss(labels, logits, weights=None):
    with _v1.name_scope(None, "hinge_loss", (logits, labels)) as name:
        with tf.control_dependencies((_assert_labels_rank(labels),)):
            labels = tf.reshape(labels, shape=(-1, 1))
        loss = _v1.losses.hinge_loss(labels=labels, logits=logits, scope=name,
                                     reduction=_v1.losses.Reduction.NONE)
        return _compute_weighted_loss(loss, weights)


def _broadcast_weights(weights, values):
    """r1.15 weights_broadcast_ops.broadcast_weights: check, then tile to `values`."""
    weights = tf.convert_to_tensor(weights)
    w_shape, v_shape = weights.shape, values.shape
    if w_shape.rank is not None and v_shape.rank is not None and w_shape.rank != 0:
        prefix = "weights can not be broadcast to values."
        if w_shape.rank != v_shape.rank:
            raise ValueError(f"{prefix} values.rank={v_shape.rank}. weights.rank="
                             f"{w_shape.rank}. values.shape={v_shape}. weights.shape={w_shape}.")
        for w_dim, v_dim in zip(w_shape.as_list(), v_shape.as_list()):
            if w_dim is not None and v_dim is not None and w_dim not in (1, v_dim):
                raise ValueError(f"{prefix} values.shape={v_shape}. weights.shape={w_shape}.")
    if w_shape.is_fully_defined() and w_shape == v_shape:
        return weights
    return tf.multiply(weights, tf.ones_like(values, dtype=weights.dtype))


def _compute_weighted_loss(loss_unweighted, weight, name="loss"):
    """r1.15's (training loss, reported loss) pair.

    The training loss is ``sum_i w_i * l_i / B`` (B = number of loss elements, the
    gradient respects example weights); the reported one, used for the ``loss``
    summary and metric, is the weighted average ``sum_i w_i * l_i / sum_i w_i``.
    """
    with _v1.name_scope(name, values=(loss_unweighted, weight)) as name_scope:
        if weight is None:
            loss = tf.reduce_mean(loss_unweighted, name=name_scope)
            return loss, loss
        weight = _broadcast_weights(weight, loss_unweighted)
        with _v1.name_scope(None, "weighted_loss", (loss_unweighted, weight)) as wname:
            weighted_loss = tf.multiply(loss_unweighted, weight, name=wname)
        weighted_loss_mean = tf.reduce_mean(weighted_loss, name=name_scope)
        weighted_loss_normalized = tf.math.divide(
            tf.reduce_sum(weighted_loss), tf.cast(tf.reduce_sum(weight), tf.float32),
            name="weighted_average_loss")
        return weighted_loss_mean, weighted_loss_normalized


def _wrap_custom_loss_fn(loss_fn):
    # r1.15: a custom loss is both the training and the reported loss.
    def _wrapper(labels, logits, weights=None):
        loss = loss_fn(labels, logits) if weights is None else loss_fn(labels, logits, weights)
        return loss, loss
    return _wrapper


def _argument_names(func):
    func = inspect.unwrap(func)
    if isinstance(func, functools.partial):
        return _argument_names(func.func)
    if inspect.isfunction(func) or inspect.ismethod(func):
        return inspect.getfullargspec(func).args
    return _argument_names(func.__call__)


def _verify_loss_fn_args(loss_fn):
    args = _argument_names(loss_fn)
    for arg_name in ("labels", "logits", "weights"):
        if arg_name not in args:
            raise ValueError(f"Argument {arg_name} not found in loss_fn.")


# --------------------------------------------------------------------------------------
# Shared model_fn_ops construction (r1.15 _create_model_fn_ops and helpers).
# --------------------------------------------------------------------------------------
def _check_mode_valid(mode):
    if mode not in (_Modes.TRAIN, _Modes.INFER, _Modes.EVAL):
        raise ValueError(f"mode={mode} unrecognized.")


def _summary_key(head_name, val):
    return f"{val}/{head_name}" if head_name else val


def _logits(logits_input, logits, logits_dimension):
    """The logits: `logits` checked, or a ``logits`` linear layer on `logits_input`."""
    if logits_dimension is None or logits_dimension < 1:
        raise ValueError(f"Invalid logits_dimension {logits_dimension}.")
    if logits is None:
        if logits_input is None:
            raise ValueError("Neither logits nor logits_input supplied.")
        from compat_learn.layers import layers as layers_lib
        return layers_lib.linear(logits_input, logits_dimension, scope="logits")
    if logits_input is not None:
        raise ValueError("Both logits and logits_input supplied.")
    logits = tf.convert_to_tensor(logits, name="logits")
    if logits.shape.rank is not None:
        _v1.Dimension(logits.shape[-1]).assert_is_compatible_with(logits_dimension)
    return logits


def _to_labels_tensor(labels, label_name):
    labels = labels[label_name] if isinstance(labels, dict) else labels
    return _v1.convert_to_tensor_or_sparse_tensor(labels)


def _check_no_sparse_tensor(x):
    if isinstance(x, tf.SparseTensor):
        raise ValueError("SparseTensor is not supported.")


def _sparse_labels_to_indicator(labels, num_classes):
    if isinstance(labels, tf.SparseTensor):
        if num_classes < 2:
            raise ValueError("Must set num_classes >= 2 when passing labels as a "
                             "SparseTensor.")
        return tf.cast(tf.sparse.to_indicator(labels, num_classes), tf.int64)
    return labels


def _assert_labels_rank(labels):
    return tf.Assert(tf.less_equal(tf.rank(labels), 2),
                     ("labels shape should be either [batch_size, 1] or [batch_size]",))


def _weight_tensor(features, weight_column_name):
    """The weights as a float `Tensor` of rank 0 or at least 2 (r1.15)."""
    if not weight_column_name:
        return None
    if weight_column_name not in features:
        raise ValueError(f"Weights {weight_column_name} missing from features.")
    with _v1.name_scope(None, "weight_tensor", tuple(features.values())):
        weight_tensor = tf.cast(features[weight_column_name], tf.float32)
        shape = weight_tensor.shape
        if shape.rank == 1:
            logger.warning("Weights %s has shape %s, expanding to make it 2d.",
                           weight_column_name, shape)
            if isinstance(weight_tensor, tf.SparseTensor):
                return tf.sparse.reshape(weight_tensor, (-1, 1))
            return tf.reshape(weight_tensor, (-1, 1))
        return weight_tensor


def _centered_bias(logits_dimension, head_name=None):
    """The ``centered_bias_weight`` variable, shape ``[logits_dimension]``, zeros."""
    if logits_dimension is None or logits_dimension < 1:
        raise ValueError(f"Invalid logits_dimension {logits_dimension}.")
    # r1.15: a plain variable, never partitioned, so that it can be indexed below.
    centered_bias = _v1.Variable(
        name="centered_bias_weight", initial_value=tf.zeros(shape=(logits_dimension,)),
        trainable=True)
    for dim in range(logits_dimension):
        tag = (f"centered_bias/bias_{dim}/{head_name}" if head_name
               else f"centered_bias/bias_{dim}")
        _v1.summary.scalar(tag, centered_bias[dim])
    return centered_bias


def _centered_bias_step(centered_bias, batch_size, labels, loss_fn, weights):
    with _v1.name_scope(None, "centered_bias_step", (labels,)) as name:
        logits_dimension = tf.shape(centered_bias)[0]
        logits = tf.reshape(tf.tile(centered_bias, (batch_size,)),
                            (batch_size, logits_dimension))
        with _v1.name_scope(None, "centered_bias", (labels, logits)):
            # r1.15 takes the mean of loss_fn's (training, reported) pair.
            centered_bias_loss = tf.reduce_mean(loss_fn(labels, logits, weights),
                                                name="training_loss")
    # r1.15: "0.1 is a conservative lr for a single variable".
    return _v1.train.AdagradOptimizer(0.1).minimize(
        centered_bias_loss, var_list=(centered_bias,), name=name)


def _train_op(loss, labels, train_op_fn, centered_bias, batch_size, loss_fn, weights):
    centered_bias_step = None
    if centered_bias is not None:
        centered_bias_step = _centered_bias_step(centered_bias, batch_size, labels,
                                                 loss_fn, weights)
    with _v1.name_scope(None, "train_op", (loss, labels)):
        train_op = train_op_fn(loss)
        if centered_bias_step is not None:
            train_op = tf.group(train_op, centered_bias_step)
        return train_op


def _create_model_fn_ops(features, mode, loss_fn, logits_to_predictions_fn, metrics_fn,
                         create_output_alternatives_fn, labels=None, train_op_fn=None,
                         logits=None, logits_dimension=None, head_name=None,
                         weight_column_name=None, enable_centered_bias=False):
    _check_mode_valid(mode)
    centered_bias = None
    if enable_centered_bias:
        centered_bias = _centered_bias(logits_dimension, head_name)
        logits = tf.nn.bias_add(logits, centered_bias)

    predictions = logits_to_predictions_fn(logits)
    loss = train_op = eval_metric_ops = None
    if mode != _Modes.INFER and labels is not None:
        weight_tensor = _weight_tensor(features, weight_column_name)
        loss, weighted_average_loss = loss_fn(labels, logits, weight_tensor)
        # r1.15: the summary tag is "loss" (or "loss/<head_name>") at the graph root.
        with _v1.name_scope(""):
            summary_loss = tf.identity(weighted_average_loss)
            _v1.summary.scalar(_summary_key(head_name, mkey.LOSS), summary_loss)
        if mode == _Modes.TRAIN:
            if train_op_fn is None:
                raise ValueError("train_op_fn can not be None in TRAIN mode")
            batch_size = tf.shape(logits)[0]
            train_op = _train_op(loss, labels, train_op_fn, centered_bias, batch_size,
                                 loss_fn, weight_tensor)
        eval_metric_ops = metrics_fn(weighted_average_loss, predictions, labels,
                                     weight_tensor)
    return model_fn.ModelFnOps(
        mode=mode, predictions=predictions, loss=loss, train_op=train_op,
        eval_metric_ops=eval_metric_ops,
        output_alternatives=create_output_alternatives_fn(predictions))


def _head_scope(head, scope, default_name, features, labels, logits, logits_input):
    return _v1.variable_scope(
        scope, default_name=head.head_name or default_name,
        values=tuple(features.values()) + (labels, logits, logits_input))


# --------------------------------------------------------------------------------------
# Streaming metrics (r1.15 helpers).
# --------------------------------------------------------------------------------------
def _float_weights_or_none(weights):
    if weights is None:
        return None
    with _v1.name_scope(None, "float_weights", (weights,)) as name:
        return tf.cast(weights, tf.float32, name=name)


def _select_class(values, weights, class_id, *more):
    """Float `weights` broadcast to `values`; all of them cut to column `class_id`."""
    weights = _float_weights_or_none(weights)
    if weights is not None:
        weights = _broadcast_weights(weights, values)
    if class_id is None:
        return (values, weights) + more
    if weights is not None:
        weights = weights[:, class_id]
    return (values[:, class_id], weights) + tuple(m[:, class_id] for m in more)


def _column_mean(values, weights=None, class_id=None):
    # r1.15 _predictions_streaming_mean / _indicator_labels_streaming_mean.
    values, weights = _select_class(tf.cast(values, tf.float32), weights, class_id)
    return _v1.metrics.mean(values, weights)


def _class_id_mean(values, weights, class_id):
    # r1.15 _class_predictions_streaming_mean / _class_labels_streaming_mean.
    return _v1.metrics.mean(
        tf.where(tf.equal(tf.cast(class_id, tf.int32), tf.cast(values, tf.int32)),
                 tf.ones_like(values), tf.zeros_like(values)),
        weights=weights)


def _streaming_auc(predictions, labels, weights=None, class_id=None, curve="ROC"):
    predictions = tf.cast(predictions, tf.float32)
    if labels.dtype.base_dtype != tf.bool:
        logger.warning("Casting %s labels to bool.", labels.dtype)
        labels = tf.cast(labels, tf.bool)
    predictions, weights, labels = _select_class(predictions, weights, class_id, labels)
    return _v1.metrics.auc(labels, predictions, weights, curve=curve)


def _streaming_accuracy_at_threshold(predictions, labels, weights, threshold):
    threshold_predictions = tf.cast(tf.greater_equal(predictions, threshold), tf.float32)
    return _v1.metrics.accuracy(labels, threshold_predictions, weights)


def _streaming_at_threshold(metric, predictions, labels, weights, threshold):
    value, update_op = metric(labels, predictions, (threshold,),
                              _float_weights_or_none(weights))
    return tf.squeeze(value), tf.squeeze(update_op)


def _classification_output_alternatives(head_name, problem_type, label_keys=None):
    """r1.15: export ``probabilities`` with string ``classes`` of the same shape."""
    def _create_output_alternatives(predictions):
        probabilities = predictions.get(pkey.PROBABILITIES)
        if probabilities is None:
            raise ValueError(f"{pkey.PROBABILITIES} missing in predictions")
        with _v1.name_scope(None, "_classification_output_alternatives",
                            (probabilities,)):
            batch_size = tf.shape(probabilities)[0]
            if label_keys:
                classes = tf.tile(tf.expand_dims(label_keys, axis=0), [batch_size, 1],
                                  name="classes_tensor")
            else:
                n = tf.shape(probabilities)[1]
                classes = tf.tile(tf.expand_dims(tf.range(n), axis=0), [batch_size, 1])
                classes = tf.strings.as_string(classes, name="classes_tensor")
        exported = {pkey.PROBABILITIES: probabilities, pkey.CLASSES: classes}
        return {head_name: (problem_type, exported)}
    return _create_output_alternatives


# --------------------------------------------------------------------------------------
# The heads.
# --------------------------------------------------------------------------------------
class _SingleHead(Head):
    """A head with one set of labels and one problem type."""

    _default_name = None

    def __init__(self, problem_type, logits_dimension, label_name=None,
                 weight_column_name=None, head_name=None):
        if problem_type is None:
            raise ValueError(f"Invalid problem_type {problem_type}.")
        if logits_dimension is None or logits_dimension < 1:
            raise ValueError(f"Invalid logits_dimension {logits_dimension}.")
        self._problem_type = problem_type
        self._logits_dimension = logits_dimension
        self._label_name = label_name
        self._weight_column_name = weight_column_name
        self._head_name = head_name

    @property
    def logits_dimension(self):
        return self._logits_dimension

    @property
    def label_name(self):
        return self._label_name

    @property
    def weight_column_name(self):
        return self._weight_column_name

    @property
    def head_name(self):
        return self._head_name

    def _create_output_alternatives(self, predictions):
        return {self._head_name: (self._problem_type, predictions)}

    def _output_alternatives_fn(self):
        return self._create_output_alternatives

    def _transform_labels(self, mode, labels):
        if mode == _Modes.INFER or labels is None:
            return None
        labels_tensor = _to_labels_tensor(labels, self._label_name)
        _check_no_sparse_tensor(labels_tensor)
        return labels_tensor

    def create_model_fn_ops(self, features, mode, labels=None, train_op_fn=None,
                            logits=None, logits_input=None, scope=None):
        """See `Head.create_model_fn_ops`."""
        with _head_scope(self, scope, self._default_name, features, labels, logits,
                         logits_input):
            labels = self._transform_labels(mode=mode, labels=labels)
            logits = _logits(logits_input, logits, self.logits_dimension)
            return _create_model_fn_ops(
                features=features, mode=mode, loss_fn=self._training_loss_fn(),
                logits_to_predictions_fn=self._logits_to_predictions,
                metrics_fn=self._metrics,
                create_output_alternatives_fn=self._output_alternatives_fn(),
                labels=labels, train_op_fn=train_op_fn, logits=logits,
                logits_dimension=self.logits_dimension, head_name=self.head_name,
                weight_column_name=self.weight_column_name,
                enable_centered_bias=self._enable_centered_bias)

    def _training_loss_fn(self):
        return self._loss_fn

    def _loss_metric(self, eval_loss):
        return {_summary_key(self.head_name, mkey.LOSS): _v1.metrics.mean(eval_loss)}


class _RegressionHead(_SingleHead):
    """`Head` for regression with a generalized linear model."""

    _default_name = "regression_head"

    def __init__(self, label_dimension, loss_fn, link_fn, logits_dimension=None,
                 label_name=None, weight_column_name=None, enable_centered_bias=False,
                 head_name=None):
        super().__init__(
            problem_type=constants.ProblemType.LINEAR_REGRESSION,
            logits_dimension=(logits_dimension if logits_dimension is not None
                              else label_dimension),
            label_name=label_name, weight_column_name=weight_column_name,
            head_name=head_name)
        self._loss_fn = loss_fn
        self._link_fn = link_fn
        self._enable_centered_bias = enable_centered_bias

    def _logits_to_predictions(self, logits):
        key = pkey.SCORES
        with _v1.name_scope(None, "predictions", (logits,)):
            if self.logits_dimension == 1:
                logits = tf.squeeze(logits, axis=(1,), name=key)
            return {key: self._link_fn(logits)}

    def _metrics(self, eval_loss, predictions, labels, weights):
        del predictions, labels, weights
        with _v1.name_scope("metrics", values=[eval_loss]):
            return self._loss_metric(eval_loss)


def _one_class_to_two_class_logits(logits):
    return tf.concat((tf.zeros_like(logits), logits), 1)


def _metric_values(*tensors, predictions=None):
    return list(tensors) + list((predictions or {}).values())


class _BinaryLogisticHead(_SingleHead):
    """`Head` for binary classification with logistic regression."""

    _default_name = "binary_logistic_head"

    def __init__(self, label_name=None, weight_column_name=None, enable_centered_bias=False,
                 head_name=None, loss_fn=None, thresholds=None):
        super().__init__(
            problem_type=constants.ProblemType.LOGISTIC_REGRESSION, logits_dimension=1,
            label_name=label_name, weight_column_name=weight_column_name,
            head_name=head_name)
        self._thresholds = thresholds if thresholds else (.5,)
        self._loss_fn = loss_fn if loss_fn else _log_loss_with_two_classes
        self._enable_centered_bias = enable_centered_bias

    def _output_alternatives_fn(self):
        return _classification_output_alternatives(self.head_name, self._problem_type)

    def _logits_to_predictions(self, logits):
        with _v1.name_scope(None, "predictions", (logits,)):
            two_class_logits = _one_class_to_two_class_logits(logits)
            return {
                pkey.LOGITS: logits,
                pkey.LOGISTIC: tf.sigmoid(logits, name=pkey.LOGISTIC),
                pkey.PROBABILITIES: tf.nn.softmax(two_class_logits, name=pkey.PROBABILITIES),
                pkey.CLASSES: tf.argmax(two_class_logits, 1, name=pkey.CLASSES),
            }

    def _metrics(self, eval_loss, predictions, labels, weights):
        key = functools.partial(_summary_key, self.head_name)
        with _v1.name_scope("metrics", values=_metric_values(
                eval_loss, labels, weights, predictions=predictions)):
            classes = predictions[pkey.CLASSES]
            logistic = predictions[pkey.LOGISTIC]
            metrics = self._loss_metric(eval_loss)
            metrics[key(mkey.ACCURACY)] = _v1.metrics.accuracy(labels, classes, weights)
            metrics[key(mkey.PREDICTION_MEAN)] = _column_mean(logistic, weights)
            metrics[key(mkey.LABEL_MEAN)] = _column_mean(labels, weights)
            # r1.15: the label mean again, as the accuracy a constant guess reaches.
            metrics[key(mkey.ACCURACY_BASELINE)] = _column_mean(labels, weights)
            metrics[key(mkey.AUC)] = _streaming_auc(logistic, labels, weights)
            metrics[key(mkey.AUC_PR)] = _streaming_auc(logistic, labels, weights, curve="PR")
            for threshold in self._thresholds:
                metrics[key(mkey.ACCURACY_MEAN % threshold)] = (
                    _streaming_accuracy_at_threshold(logistic, labels, weights, threshold))
                metrics[key(mkey.PRECISION_MEAN % threshold)] = _streaming_at_threshold(
                    _v1.metrics.precision_at_thresholds, logistic, labels, weights,
                    threshold)
                metrics[key(mkey.RECALL_MEAN % threshold)] = _streaming_at_threshold(
                    _v1.metrics.recall_at_thresholds, logistic, labels, weights, threshold)
        return metrics


def _check_class_ids(metric_class_ids, n_classes):
    class_ids = tuple([] if metric_class_ids is None else metric_class_ids)
    for class_id in class_ids:
        if class_id < 0 or class_id >= n_classes:
            raise ValueError(f"Class ID {class_id} not in [0, {n_classes}).")
    return class_ids


class _MultiClassHead(_SingleHead):
    """`Head` for single-label classification over more than 2 classes (softmax)."""

    _default_name = "multi_class_head"

    def __init__(self, n_classes, label_name=None, weight_column_name=None,
                 enable_centered_bias=False, head_name=None, loss_fn=None,
                 thresholds=None, metric_class_ids=None, label_keys=None):
        super().__init__(
            problem_type=constants.ProblemType.CLASSIFICATION, logits_dimension=n_classes,
            label_name=label_name, weight_column_name=weight_column_name,
            head_name=head_name)
        if n_classes is None or n_classes <= 2:
            raise ValueError(f"n_classes must be > 2: {n_classes}.")
        self._thresholds = thresholds if thresholds else (.5,)
        self._loss_fn = loss_fn if loss_fn else _softmax_cross_entropy_loss
        self._enable_centered_bias = enable_centered_bias
        self._metric_class_ids = _check_class_ids(metric_class_ids, n_classes)
        if label_keys and len(label_keys) != n_classes:
            raise ValueError("Length of label_keys must equal n_classes.")
        self._label_keys = label_keys

    def _output_alternatives_fn(self):
        return _classification_output_alternatives(self.head_name, self._problem_type,
                                                   self._label_keys)

    def _transform_labels(self, mode, labels):
        """A dict of the labels and their integer ids (looked up in `label_keys`)."""
        labels_tensor = super()._transform_labels(mode, labels)
        if labels_tensor is None:
            return None
        if self._label_keys:
            table = _tf.lookup_ops.index_table_from_tensor(self._label_keys,
                                                           name="label_id_lookup")
            return {"labels": labels_tensor, "label_ids": table.lookup(labels_tensor)}
        return {"labels": labels_tensor, "label_ids": labels_tensor}

    def _training_loss_fn(self):
        def _wrapped_loss_fn(labels, logits, weights=None):
            return self._loss_fn(labels["label_ids"], logits, weights=weights)
        return _wrapped_loss_fn

    def _logits_to_predictions(self, logits):
        with _v1.name_scope(None, "predictions", (logits,)):
            class_ids = tf.argmax(logits, 1, name=pkey.CLASSES)
            if self._label_keys:
                table = _tf.lookup_ops.index_to_string_table_from_tensor(
                    self._label_keys, name="class_string_lookup")
                classes = table.lookup(class_ids)
            else:
                classes = class_ids
            return {
                pkey.LOGITS: logits,
                pkey.PROBABILITIES: tf.nn.softmax(logits, name=pkey.PROBABILITIES),
                pkey.CLASSES: classes,
            }

    def _metrics(self, eval_loss, predictions, labels, weights):
        key = functools.partial(_summary_key, self.head_name)
        with _v1.name_scope("metrics", values=_metric_values(
                eval_loss, labels["labels"], labels["label_ids"], weights,
                predictions=predictions)):
            logits = predictions[pkey.LOGITS]
            probabilities = predictions[pkey.PROBABILITIES]
            classes = predictions[pkey.CLASSES]
            metrics = self._loss_metric(eval_loss)
            metrics[key(mkey.ACCURACY)] = _v1.metrics.accuracy(labels["labels"], classes,
                                                               weights)
            if not self._label_keys:
                for class_id in self._metric_class_ids:
                    metrics[key(mkey.CLASS_PREDICTION_MEAN % class_id)] = _class_id_mean(
                        classes, weights, class_id)
                    metrics[key(mkey.CLASS_LABEL_MEAN % class_id)] = _class_id_mean(
                        labels["label_ids"], weights, class_id)
                    metrics[key(mkey.CLASS_PROBABILITY_MEAN % class_id)] = _column_mean(
                        probabilities, weights, class_id)
                    metrics[key(mkey.CLASS_LOGITS_MEAN % class_id)] = _column_mean(
                        logits, weights, class_id)
        return metrics


class _BinarySvmHead(_SingleHead):
    """`Head` for binary classification with a hinge loss."""

    _default_name = "binary_svm_head"

    def __init__(self, label_name, weight_column_name, enable_centered_bias, head_name,
                 thresholds):
        super().__init__(
            problem_type=constants.ProblemType.LOGISTIC_REGRESSION, logits_dimension=1,
            label_name=label_name, weight_column_name=weight_column_name,
            head_name=head_name)
        self._thresholds = thresholds if thresholds else (.5,)
        self._loss_fn = _hinge_loss
        self._enable_centered_bias = enable_centered_bias

    def _logits_to_predictions(self, logits):
        with _v1.name_scope(None, "predictions", (logits,)):
            return {
                pkey.LOGITS: logits,
                pkey.CLASSES: tf.argmax(_one_class_to_two_class_logits(logits), 1,
                                        name=pkey.CLASSES),
            }

    def _metrics(self, eval_loss, predictions, labels, weights):
        with _v1.name_scope("metrics", values=_metric_values(
                eval_loss, labels, weights, predictions=predictions)):
            metrics = self._loss_metric(eval_loss)
            metrics[_summary_key(self.head_name, mkey.ACCURACY)] = _v1.metrics.accuracy(
                labels, predictions[pkey.CLASSES], weights)
        return metrics


class _MultiLabelHead(_SingleHead):
    """`Head` for multi-label classification."""

    _default_name = "multi_label_head"

    def __init__(self, n_classes, label_name, weight_column_name, enable_centered_bias,
                 head_name, thresholds, metric_class_ids=None, loss_fn=None):
        super().__init__(
            problem_type=constants.ProblemType.CLASSIFICATION, logits_dimension=n_classes,
            label_name=label_name, weight_column_name=weight_column_name,
            head_name=head_name)
        self._thresholds = thresholds if thresholds else (.5,)
        self._loss_fn = loss_fn if loss_fn else _sigmoid_cross_entropy_loss
        self._enable_centered_bias = enable_centered_bias
        self._metric_class_ids = _check_class_ids(metric_class_ids, n_classes)

    def _output_alternatives_fn(self):
        return _classification_output_alternatives(self.head_name, self._problem_type)

    def _transform_labels(self, mode, labels):
        if mode == _Modes.INFER or labels is None:
            return None
        labels_tensor = _to_labels_tensor(labels, self._label_name)
        return _sparse_labels_to_indicator(labels_tensor, self._logits_dimension)

    def _logits_to_predictions(self, logits):
        with _v1.name_scope(None, "predictions", (logits,)):
            return {
                pkey.LOGITS: logits,
                pkey.PROBABILITIES: tf.sigmoid(logits, name=pkey.PROBABILITIES),
                pkey.CLASSES: tf.cast(tf.greater(logits, 0), tf.int64, name=pkey.CLASSES),
            }

    def _metrics(self, eval_loss, predictions, labels, weights):
        key = functools.partial(_summary_key, self.head_name)
        with _v1.name_scope("metrics", values=_metric_values(
                eval_loss, labels, weights, predictions=predictions)):
            classes = predictions[pkey.CLASSES]
            probabilities = predictions[pkey.PROBABILITIES]
            logits = predictions[pkey.LOGITS]
            metrics = self._loss_metric(eval_loss)
            metrics[key(mkey.ACCURACY)] = _v1.metrics.accuracy(labels, classes, weights)
            metrics[key(mkey.AUC)] = _streaming_auc(probabilities, labels, weights)
            metrics[key(mkey.AUC_PR)] = _streaming_auc(probabilities, labels, weights,
                                                       curve="PR")
            for class_id in self._metric_class_ids:
                metrics[key(mkey.CLASS_PREDICTION_MEAN % class_id)] = _column_mean(
                    classes, weights, class_id)
                metrics[key(mkey.CLASS_LABEL_MEAN % class_id)] = _column_mean(
                    labels, weights, class_id)
                metrics[key(mkey.CLASS_PROBABILITY_MEAN % class_id)] = _column_mean(
                    probabilities, weights, class_id)
                metrics[key(mkey.CLASS_LOGITS_MEAN % class_id)] = _column_mean(
                    logits, weights, class_id)
                metrics[key(mkey.CLASS_AUC % class_id)] = _streaming_auc(
                    probabilities, labels, weights, class_id)
                metrics[key(mkey.CLASS_AUC_PR % class_id)] = _streaming_auc(
                    probabilities, labels, weights, class_id, curve="PR")
        return metrics


class _LossOnlyHead(Head):
    """`Head` holding loss terms unrelated to labels (e.g. regularization)."""

    def __init__(self, loss_fn, head_name=None):
        self._loss_fn = loss_fn
        self.head_name = head_name or "loss_only_head"

    @property
    def logits_dimension(self):
        return 0

    def create_model_fn_ops(self, features, mode, labels=None, train_op_fn=None,
                            logits=None, logits_input=None, scope=None):
        """See `Head.create_model_fn_ops`; features, labels and logits are unused."""
        _check_mode_valid(mode)
        loss = train_op = None
        if mode != _Modes.INFER:
            with _v1.variable_scope(scope, default_name=self.head_name):
                loss = self._loss_fn()
                if isinstance(loss, list):
                    loss = tf.add_n(loss)
                with _v1.name_scope(""):
                    summary_loss = tf.identity(loss)
                    _v1.summary.scalar(_summary_key(self.head_name, mkey.LOSS),
                                       summary_loss)
                if mode == _Modes.TRAIN:
                    if train_op_fn is None:
                        raise ValueError("train_op_fn can not be None in TRAIN mode")
                    with _v1.name_scope(None, "train_op", (loss,)):
                        train_op = train_op_fn(loss)
        return model_fn.ModelFnOps(mode=mode, loss=loss, train_op=train_op,
                                   predictions={}, eval_metric_ops={})


class _MultiHead(Head):
    """`Head` merging several named heads that stem from the same logits.

    TRAIN merges the losses with `loss_merger` and calls `train_op_fn` once; EVAL
    merges the metrics (their keys carry each head's name); INFER keys predictions
    by ``(head_name, prediction_key)``.
    """

    def __init__(self, heads, loss_merger):
        self._logits_dimension = 0
        for head in heads:
            if not head.head_name:
                raise ValueError("Members of MultiHead must have names.")
            self._logits_dimension += head.logits_dimension
        self._heads = heads
        self._loss_merger = loss_merger

    @property
    def logits_dimension(self):
        return self._logits_dimension

    def create_model_fn_ops(self, features, mode, labels=None, train_op_fn=None,
                            logits=None, logits_input=None, scope=None):
        """See `Head.create_model_fn_ops`.

        `logits` is either the concatenated logits of all heads (split in head
        order) or a dict of head name to logits.
        """
        _check_mode_valid(mode)
        if logits is None:
            pairs = [(head, None) for head in self._heads]
        elif isinstance(logits, dict):
            pairs = [(head, None if isinstance(head, _LossOnlyHead) else logits[head.head_name])
                     for head in self._heads]
        else:
            pairs = list(zip(self._heads, self._split_logits(logits)))
        all_ops = []
        for head, head_logits in pairs:
            kwargs = ({"logits_input": logits_input} if logits is None
                      else {"logits": head_logits})
            all_ops.append(head.create_model_fn_ops(
                features=features, mode=mode, labels=labels,
                train_op_fn=_no_op_train_fn, scope=scope, **kwargs))
        if mode == _Modes.TRAIN:
            if train_op_fn is None:
                raise ValueError("train_op_fn can not be None in TRAIN mode.")
            return self._merge_train(all_ops, train_op_fn)
        if mode == _Modes.INFER:
            return self._merge_infer(all_ops)
        return self._merge_eval(all_ops)

    def _split_logits(self, logits):
        all_logits, begin = [], 0
        for head in self._heads:
            size = head.logits_dimension
            all_logits.append(tf.slice(logits, [0, begin], [-1, size]))
            begin += size
        return all_logits

    def _merge_train(self, all_ops, train_op_fn):
        metrics = {}
        for ops in all_ops:
            metrics.update(ops.eval_metric_ops or {})
        loss = self._loss_merger([ops.loss for ops in all_ops])
        train_op = tf.group(train_op_fn(loss), *[ops.train_op for ops in all_ops])
        return model_fn.ModelFnOps(mode=_Modes.TRAIN, loss=loss, train_op=train_op,
                                   eval_metric_ops=metrics)

    def _merge_infer(self, all_ops):
        predictions, output_alternatives = {}, {}
        for head, ops in zip(self._heads, all_ops):
            if isinstance(head, _LossOnlyHead):
                continue
            output_alternatives[head.head_name] = ops.output_alternatives[head.head_name]
            for k, v in ops.predictions.items():
                predictions[(head.head_name, k)] = v
        return model_fn.ModelFnOps(mode=_Modes.INFER, predictions=predictions,
                                   output_alternatives=output_alternatives)

    def _merge_eval(self, all_ops):
        predictions, metrics = {}, {}
        for head, ops in zip(self._heads, all_ops):
            for k, v in ops.predictions.items():
                predictions[(head.head_name, k)] = v
            metrics.update(ops.eval_metric_ops)
        loss = self._loss_merger([ops.loss for ops in all_ops])
        return model_fn.ModelFnOps(mode=_Modes.EVAL, predictions=predictions, loss=loss,
                                   eval_metric_ops=metrics)


def _no_op_train_fn(loss):
    # no_op_train_fn without its deprecation warning, for the heads' own use.
    del loss
    return tf.no_op()


# r1.15 kept these aliases (b/34751732).
_regression_head = regression_head
_poisson_regression_head = poisson_regression_head
_multi_class_head = multi_class_head
_binary_svm_head = binary_svm_head
_multi_label_head = multi_label_head
_multi_head = multi_head
_Head = Head
