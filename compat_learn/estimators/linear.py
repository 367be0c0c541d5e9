"""`tf.contrib.learn` linear estimators.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.linear`` (r1.15):
`LinearClassifier`, `LinearRegressor` and `LinearEstimator` with r1.15's arguments,
default optimizer (FTRL at ``min(0.2, 1/sqrt(#columns))``; an optimizer *name* gets
0.2), gradient clipping and graph: the ``linear`` scope of
``weighted_sum_from_feature_columns`` (``linear/<column>/weight``,
``linear/bias_weight``) so a model_dir trained by TF 1.x restores. With
``optimizer=tf.contrib.linear_optimizer.SDCAOptimizer(...)`` the classifier (two
classes) and the regressor train by SDCA as r1.15's `sdca_model_fn` did (also `SVM`'s
model_fn). Native TF2: ``tf.estimator.LinearClassifier`` / ``LinearRegressor`` /
``LinearEstimator``.
"""

import logging
import math

from compat_learn import _tf
from compat_learn.estimators import _tf1_checkpoints, estimator
from compat_learn.estimators import dnn_linear_combined as _combined
from compat_learn.estimators import head as head_lib
from compat_learn.linear_optimizer import sdca_optimizer

__all__ = ["LinearClassifier", "LinearEstimator", "LinearRegressor", "sdca_model_fn"]

logger = logging.getLogger(__name__)

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


def _add_bias_column(feature_columns, columns_to_tensors, bias_variable, columns_to_variables):
    """r1.15: SDCA learns the bias as the weight of a real-valued column of ones."""
    from compat_learn.layers import feature_column as fc
    bias_column_name = "tf_virtual_bias_column"
    if any(col.name == bias_column_name for col in feature_columns):
        raise ValueError("%s is a reserved column name." % bias_column_name)
    if not feature_columns:
        raise ValueError("feature_columns can't be empty.")
    # r1.15: the batch size of the first input (a sparse one only if its shape is static).
    batch_size = None
    for tensor in columns_to_tensors.values():
        if isinstance(tensor, tuple):
            tensor = tensor[0]
        if isinstance(tensor, tf.SparseTensor):
            shape = tf.get_static_value(tensor.dense_shape)
            if shape is not None:
                batch_size = shape[0]
                break
        else:
            batch_size = tf.shape(tensor)[0]
            break
    if batch_size is None:
        raise ValueError("Could not infer batch size from input features.")
    bias_column = fc.real_valued_column(bias_column_name)
    columns_to_tensors[bias_column] = tf.ones([batch_size, 1], dtype=tf.float32)
    columns_to_variables[bias_column] = [bias_variable]


def sdca_model_fn(features, labels, mode, params):
    """r1.15's model_fn of the linear models trained by the SDCA optimizer.

    Args:
      features: dict of feature name -> tensor (with the example ids).
      labels: ``[batch]`` or ``[batch, 1]`` labels.
      mode: a contrib `ModeKeys` value.
      params: ``head`` (binary SVM, binary logistic or one-dimensional regression),
        ``feature_columns``, ``optimizer`` (an `SDCAOptimizer`),
        ``weight_column_name`` and optionally ``update_weights_hook``.

    Returns:
      The head's `ModelFnOps`, with the hook among its chief hooks.

    Raises:
      ValueError: not an `SDCAOptimizer`, or a head SDCA cannot train (r1.15's
        messages).
    """
    head = params["head"]
    feature_columns = params["feature_columns"]
    optimizer = params["optimizer"]
    weight_column_name = params["weight_column_name"]
    update_weights_hook = params.get("update_weights_hook", None)
    if not isinstance(optimizer, sdca_optimizer.SDCAOptimizer):
        raise ValueError("Optimizer must be of type SDCAOptimizer")
    if isinstance(head, head_lib._BinarySvmHead):
        loss_type = "hinge_loss"
    elif isinstance(head, head_lib._BinaryLogisticHead):
        loss_type = "logistic_loss"
    elif isinstance(head, head_lib._RegressionHead):
        assert head.logits_dimension == 1, "SDCA only applies for logits_dimension=1."
        loss_type = "squared_loss"
    else:
        raise ValueError("Unsupported head type: {}".format(head))
    from compat_learn.layers import feature_column_ops
    with _v1.variable_scope("linear", values=features.values(),
                            partitioner=optimizer.partitioner) as scope:
        features = features.copy()
        features.update(feature_column_ops.transform_features(features, feature_columns))
        logits, columns_to_variables, bias = feature_column_ops.weighted_sum_from_feature_columns(
            columns_to_tensors=features, feature_columns=feature_columns, num_outputs=1,
            scope=scope)
        _add_bias_column(feature_columns, features, bias, columns_to_variables)

    def _train_op_fn(unused_loss):
        sdca_model, train_op = optimizer.get_train_step(
            columns_to_variables, weight_column_name, loss_type, features, labels,
            _v1.train.get_global_step())
        if update_weights_hook is not None:
            update_weights_hook.set_parameters(sdca_model, train_op)
        return train_op

    ops = head.create_model_fn_ops(features=features, labels=labels, mode=mode,
                                   train_op_fn=_train_op_fn, logits=logits)
    if update_weights_hook is not None:
        ops = ops._replace(training_chief_hooks=ops.training_chief_hooks + [update_weights_hook])
    # TensorFlow's own Saver: its checkpoints hold the SDCA slots
    # (train_op/<weights>_unshrinked/SDCAOptimizer) and the dual-variable table
    # (ShardedMutableHashTable-1-of-1-keys/-values) under r1.15's names, which
    # _tf1_checkpoints' slot matching does not know; an evaluation graph restores
    # only the model variables.
    return ops


class _SdcaUpdateWeightsHook(_tf.SessionRunHook):
    """r1.15: copies SDCA's unshrunk weights to the model's (L1-shrunk) at each step."""

    def set_parameters(self, sdca_model, train_op):
        self._sdca_model = sdca_model
        self._train_op = train_op

    def begin(self):
        self._update_op = self._sdca_model.update_weights(self._train_op)

    def before_run(self, run_context):
        return _tf.SessionRunArgs(self._update_op)


def _is_sdca(optimizer):
    return isinstance(optimizer, sdca_optimizer.SDCAOptimizer)


def _sdca_params(head, feature_columns, optimizer, weight_column_name):
    return {"head": head, "feature_columns": feature_columns, "optimizer": optimizer,
            "weight_column_name": weight_column_name,
            # The model_fn hands the SdcaModel to this hook, which updates (and
            # shrinks) the weights on the chief only.
            "update_weights_hook": _SdcaUpdateWeightsHook()}


def _linear_params(head, feature_columns, optimizer, gradient_clip_norm, joint_weights):
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
      optimizer: an optimizer instance, a name (learning rate 0.2), a callable, or
        an `SDCAOptimizer` (two classes; logistic loss); default FTRL at
        ``min(0.2, 1/sqrt(len(feature_columns)))``.
      gradient_clip_norm: clip gradients to this global norm.
      enable_centered_bias: learn a centered bias per class.
      _joint_weight: one weight variable for all (sparse, "sum") columns.
      config: a `RunConfig`.
      feature_engineering_fn: ``fn(features, labels) -> (features, labels)``.
      label_keys: string labels vocabulary (``n_classes > 2``).

    Raises:
      ValueError: `n_classes` < 2 (r1.15 message).
      ValueError: `enable_centered_bias` with an `SDCAOptimizer` (r1.15 message).
      AssertionError: no feature columns; with an `SDCAOptimizer`, `n_classes` != 2
        or `_joint_weight` (r1.15's asserts).
    """

    def __init__(self, feature_columns, model_dir=None, n_classes=2,
                 weight_column_name=None, optimizer=None, gradient_clip_norm=None,
                 enable_centered_bias=False, _joint_weight=False, config=None,
                 feature_engineering_fn=None, label_keys=None):
        if _is_sdca(optimizer) and enable_centered_bias:
            raise ValueError("enable_centered_bias is not supported with SDCA")
        self._feature_columns = tuple(feature_columns or [])
        head = head_lib.multi_class_head(
            n_classes, weight_column_name=weight_column_name,
            enable_centered_bias=enable_centered_bias, label_keys=label_keys)
        params = _linear_params(head, self._feature_columns, optimizer,
                                gradient_clip_norm, _joint_weight)
        model_fn = _linear_model_fn
        if _is_sdca(optimizer):
            assert not _joint_weight, "_joint_weight is incompatible with the SDCAOptimizer"
            assert n_classes == 2, "SDCA only applies to binary classification."
            model_fn = sdca_model_fn
            params = _sdca_params(head, feature_columns, optimizer, weight_column_name)
        super().__init__(
            model_fn=model_fn, model_dir=model_dir, config=config, params=params,
            feature_engineering_fn=feature_engineering_fn)


class LinearRegressor(_combined._RegressorPredictions, estimator.Estimator):
    """Linear regressor model.

    Replaces ``tf.contrib.learn.LinearRegressor``. Native TF2:
    ``tf.estimator.LinearRegressor``.

    Args: as `LinearClassifier`, with `label_dimension=1` instead of `n_classes`
      and `label_keys`, and `_joint_weights`. An `SDCAOptimizer` trains the squared
      loss (`label_dimension` 1); it turns `enable_centered_bias` off with a warning,
      as r1.15 did.
    """

    def __init__(self, feature_columns, model_dir=None, weight_column_name=None,
                 optimizer=None, gradient_clip_norm=None, enable_centered_bias=False,
                 label_dimension=1, _joint_weights=False, config=None,
                 feature_engineering_fn=None):
        self._feature_columns = tuple(feature_columns or [])
        if _is_sdca(optimizer) and enable_centered_bias:
            enable_centered_bias = False
            logger.warning("centered_bias is not supported with SDCA, "
                           "please disable it explicitly.")
        head = head_lib.regression_head(
            weight_column_name=weight_column_name, label_dimension=label_dimension,
            enable_centered_bias=enable_centered_bias)
        params = _linear_params(head, self._feature_columns, optimizer,
                                gradient_clip_norm, _joint_weights)
        model_fn = _linear_model_fn
        if _is_sdca(optimizer):
            assert label_dimension == 1, "SDCA only applies for label_dimension=1."
            assert not _joint_weights, "_joint_weights is incompatible with SDCAOptimizer."
            model_fn = sdca_model_fn
            params = _sdca_params(head, feature_columns, optimizer, weight_column_name)
        super().__init__(
            model_fn=model_fn, model_dir=model_dir, config=config, params=params,
            feature_engineering_fn=feature_engineering_fn)


class LinearEstimator(estimator.Estimator):
    """Linear model with a user-given head (e.g. ``poisson_regression_head()``).

    Replaces ``tf.contrib.learn.LinearEstimator``. Native TF2:
    ``tf.estimator.LinearEstimator``.

    Args: `feature_columns`, `head`, then as `LinearRegressor` without the head's
      arguments.

    Raises:
      ValueError: an `SDCAOptimizer` (r1.15 message).
    """

    def __init__(self, feature_columns, head, model_dir=None, weight_column_name=None,
                 optimizer=None, gradient_clip_norm=None, _joint_weights=False, config=None,
                 feature_engineering_fn=None):
        del weight_column_name  # r1.15 took it but used the head's
        if not feature_columns:
            raise AssertionError("`feature_columns` must not be empty.")
        if _is_sdca(optimizer):
            raise ValueError("LinearEstimator does not support SDCA optimizer.")
        self._feature_columns = tuple(feature_columns or [])
        super().__init__(
            model_fn=_linear_model_fn, model_dir=model_dir, config=config,
            params=_linear_params(head, self._feature_columns, optimizer,
                                  gradient_clip_norm, _joint_weights),
            feature_engineering_fn=feature_engineering_fn)
