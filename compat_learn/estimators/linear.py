"""`tf.contrib.learn` linear estimators.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.linear`` (r1.15):
`LinearClassifier`, `LinearRegressor` and `LinearEstimator` with r1.15's arguments,
default optimizer (FTRL at ``min(0.2, 1/sqrt(#columns))``; an optimizer *name* gets
0.2), gradient clipping and graph: the ``linear`` scope of
``weighted_sum_from_feature_columns`` (``linear/<column>/weight``,
``linear/bias_weight``) so a model_dir trained by TF 1.x restores. The SDCA
optimizer (``tf.contrib.linear_optimizer``) is not available on TF 2.15. Native
TF2: ``tf.estimator.LinearClassifier`` / ``LinearRegressor`` / ``LinearEstimator``.
"""

import math

from compat_learn import _tf
from compat_learn.estimators import _tf1_checkpoints, estimator
from compat_learn.estimators import dnn_linear_combined as _combined
from compat_learn.estimators import head as head_lib

__all__ = ["LinearClassifier", "LinearEstimator", "LinearRegressor"]

tf = _tf.tf
_v1 = tf.compat.v1

_LEARNING_RATE = 0.2


def _get_optimizer(spec):
    # r1.15 linear.py: a name gets learning rate 0.2; a callable is called.
    if isinstance(spec, str):
        from compat_learn.layers import optimizers
        return optimizers.OPTIMIZER_CLS_NAMES[spec](learning_rate=_LEARNING_RATE)
    if callable(spec):
        return spec()
    return spec


def _get_default_optimizer(feature_columns):
    learning_rate = min(_LEARNING_RATE, 1.0 / math.sqrt(len(feature_columns)))
    return _v1.train.FtrlOptimizer(learning_rate=learning_rate)


def _linear_model_fn(features, labels, mode, params, config=None):
    """r1.15's gradient-trained linear model_fn.

    Args:
      features: a `Tensor` (the feature ``""``) or a dict of them.
      labels: labels as the head expects them.
      mode: a contrib `ModeKeys` value.
      params: ``head``, ``feature_columns``, and optionally ``optimizer`` (default
        FTRL), ``gradient_clip_norm``, ``joint_weights``.
      config: the `RunConfig` (its ``num_ps_replicas`` bounds the partitions).

    Returns:
      The head's `ModelFnOps`.
    """
    head = params["head"]
    feature_columns = params["feature_columns"]
    optimizer = params.get("optimizer") or _get_default_optimizer(feature_columns)
    gradient_clip_norm = params.get("gradient_clip_norm", None)
    num_ps_replicas = config.num_ps_replicas if config else 0
    features = _combined._get_feature_dict(features)
    parent_scope = "linear"
    partitioner = _v1.min_max_variable_partitioner(
        max_partitions=num_ps_replicas, min_slice_size=_combined._INPUT_LAYER_MIN_SLICE_SIZE)
    with _v1.variable_scope(parent_scope, values=tuple(features.values()),
                            partitioner=partitioner) as scope:
        logits = _combined._linear_logits(features, feature_columns, head.logits_dimension,
                                          [parent_scope], scope,
                                          params.get("joint_weights", False))

        def _train_op_fn(loss):
            my_vars = _v1.get_collection(parent_scope)
            grads = tf.gradients(loss, my_vars)
            if gradient_clip_norm:
                grads, _ = tf.clip_by_global_norm(grads, gradient_clip_norm)
            return _get_optimizer(optimizer).apply_gradients(
                zip(grads, my_vars), global_step=_v1.train.get_global_step())

        ops = head.create_model_fn_ops(features=features, mode=mode, labels=labels,
                                       train_op_fn=_train_op_fn, logits=logits)
    # A model_dir trained by TF 1.x restores with its own slot spellings.
    return _tf1_checkpoints.with_tf1_restore(ops, mode, config)


def _check_optimizer(optimizer):
    if type(optimizer).__name__ == "SDCAOptimizer":
        raise NotImplementedError(
            "tf.contrib.linear_optimizer.SDCAOptimizer is not available on TensorFlow 2.15; "
            "use the default FTRL optimizer or another tf.compat.v1.train optimizer.")


def _linear_params(head, feature_columns, optimizer, gradient_clip_norm, joint_weights):
    _check_optimizer(optimizer)
    if not feature_columns:
        # r1.15: `assert self._feature_columns` (an AssertionError without a message).
        raise AssertionError("`feature_columns` must not be empty.")
    return {"head": head, "feature_columns": feature_columns, "optimizer": optimizer,
            "gradient_clip_norm": gradient_clip_norm, "joint_weights": joint_weights}


class LinearClassifier(_combined._ClassifierPredictions, estimator.Estimator):
    """Linear classifier model.

    Replaces ``tf.contrib.learn.LinearClassifier``. Native TF2:
    ``tf.estimator.LinearClassifier``.

    Args:
      feature_columns: the feature columns (contrib or core).
      model_dir: directory for checkpoints and summaries.
      n_classes: number of classes, at least 2.
      weight_column_name: feature holding per-example weights.
      optimizer: an optimizer instance, a name (learning rate 0.2) or a callable;
        default FTRL at ``min(0.2, 1/sqrt(len(feature_columns)))``.
      gradient_clip_norm: clip gradients to this global norm.
      enable_centered_bias: learn a centered bias per class.
      _joint_weight: one weight variable for all (sparse, "sum") columns.
      config: a `RunConfig`.
      feature_engineering_fn: ``fn(features, labels) -> (features, labels)``.
      label_keys: string labels vocabulary (``n_classes > 2``).

    Raises:
      ValueError: `n_classes` < 2 (r1.15 message).
      AssertionError: no feature columns (r1.15's assert).
      NotImplementedError: an SDCA optimizer.
    """

    def __init__(self, feature_columns, model_dir=None, n_classes=2,
                 weight_column_name=None, optimizer=None, gradient_clip_norm=None,
                 enable_centered_bias=False, _joint_weight=False, config=None,
                 feature_engineering_fn=None, label_keys=None):
        self._feature_columns = tuple(feature_columns or [])
        head = head_lib.multi_class_head(
            n_classes, weight_column_name=weight_column_name,
            enable_centered_bias=enable_centered_bias, label_keys=label_keys)
        super().__init__(
            model_fn=_linear_model_fn, model_dir=model_dir, config=config,
            params=_linear_params(head, self._feature_columns, optimizer,
                                  gradient_clip_norm, _joint_weight),
            feature_engineering_fn=feature_engineering_fn)


class LinearRegressor(_combined._RegressorPredictions, estimator.Estimator):
    """Linear regressor model.

    Replaces ``tf.contrib.learn.LinearRegressor``. Native TF2:
    ``tf.estimator.LinearRegressor``.

    Args: as `LinearClassifier`, with `label_dimension=1` instead of `n_classes`
      and `label_keys`, and `_joint_weights`.
    """

    def __init__(self, feature_columns, model_dir=None, weight_column_name=None,
                 optimizer=None, gradient_clip_norm=None, enable_centered_bias=False,
                 label_dimension=1, _joint_weights=False, config=None,
                 feature_engineering_fn=None):
        self._feature_columns = tuple(feature_columns or [])
        head = head_lib.regression_head(
            weight_column_name=weight_column_name, label_dimension=label_dimension,
            enable_centered_bias=enable_centered_bias)
        super().__init__(
            model_fn=_linear_model_fn, model_dir=model_dir, config=config,
            params=_linear_params(head, self._feature_columns, optimizer,
                                  gradient_clip_norm, _joint_weights),
            feature_engineering_fn=feature_engineering_fn)


class LinearEstimator(estimator.Estimator):
    """Linear model with a user-given head (e.g. ``poisson_regression_head()``).

    Replaces ``tf.contrib.learn.LinearEstimator``. Native TF2:
    ``tf.estimator.LinearEstimator``.

    Args: `feature_columns`, `head`, then as `LinearRegressor` without the head's
      arguments.
    """

    def __init__(self, feature_columns, head, model_dir=None, weight_column_name=None,
                 optimizer=None, gradient_clip_norm=None, _joint_weights=False, config=None,
                 feature_engineering_fn=None):
        del weight_column_name  # r1.15 took it but used the head's
        self._feature_columns = tuple(feature_columns or [])
        super().__init__(
            model_fn=_linear_model_fn, model_dir=model_dir, config=config,
            params=_linear_params(head, self._feature_columns, optimizer,
                                  gradient_clip_norm, _joint_weights),
            feature_engineering_fn=feature_engineering_fn)
