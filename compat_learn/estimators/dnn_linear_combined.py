"""`tf.contrib.learn` DNN + linear ("wide & deep") estimators.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.dnn_linear_combined``
(r1.15): `DNNLinearCombinedEstimator`, `DNNLinearCombinedClassifier` and
`DNNLinearCombinedRegressor`, with r1.15's arguments, defaults (Adagrad 0.05 for
the DNN part, FTRL with ``min(0.2, 1/sqrt(#linear columns))`` for the linear part),
``fix_global_step_increment_bug`` and variable names (``dnn/hiddenlayer_0/weights``
..., ``linear/...``), so a model_dir trained by TF 1.x restores. This module also
holds the pieces r1.15's dnn.py and linear.py took from it. Native TF2:
``tf.estimator.DNNLinearCombinedClassifier`` / ``Regressor`` / ``Estimator``.
"""

import math

from compat_learn import _tf
from compat_learn.estimators import _tf1_checkpoints, estimator, model_fn
from compat_learn.estimators import head as head_lib
from compat_learn.estimators.prediction_key import PredictionKey

__all__ = [
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedEstimator",
    "DNNLinearCombinedRegressor",
]

tf = _tf.tf
_v1 = tf.compat.v1

_DNN_LEARNING_RATE = 0.05
_LINEAR_LEARNING_RATE = 0.2
# r1.15 dnn.py's default min slice size of the input layer partitions: 64M.
_INPUT_LAYER_MIN_SLICE_SIZE = 64 << 20


# --------------------------------------------------------------------------------------
# Shared by dnn.py, linear.py and this module (r1.15 kept them here and in dnn.py).
# --------------------------------------------------------------------------------------
def _get_feature_dict(features):
    # r1.15: a bare features tensor is the feature named "" (real_valued_column("")).
    return features if isinstance(features, dict) else {"": features}


def _get_optimizer(optimizer):
    # r1.15: a callable (an optimizer class too) is called with no arguments.
    return optimizer() if callable(optimizer) else optimizer


def _check_no_sync_replicas_optimizer(optimizer):
    if isinstance(optimizer, _v1.train.SyncReplicasOptimizer):
        raise ValueError(
            "SyncReplicasOptimizer is not supported in DNNLinearCombined model. If you want "
            "to use this optimizer, please use either DNN or Linear model.")


def _linear_learning_rate(num_linear_feature_columns):
    """r1.15's default linear learning rate: ``min(0.2, 1 / sqrt(n_columns))``."""
    return min(_LINEAR_LEARNING_RATE, 1. / math.sqrt(num_linear_feature_columns))


def _add_layer_summary(value, tag, separator="/"):
    # r1.15: dnn.py tags "<scope>_fraction_of_zero_values", this module "<scope>/...".
    _v1.summary.scalar(f"{tag}{separator}fraction_of_zero_values", tf.math.zero_fraction(value))
    _v1.summary.histogram(f"{tag}{separator}activation", value)


def _contrib_feature_column_module():
    try:
        from compat_learn.layers import feature_column
    except ImportError:  # contrib feature columns not available: core columns only
        return None
    return feature_column


def _all_contrib_columns(feature_columns):
    module = _contrib_feature_column_module()
    return module is not None and all(
        isinstance(fc, module._FeatureColumn) for fc in feature_columns)


def _extract_embedding_lr_multipliers(embedding_lr_multipliers, collection_key,
                                      input_layer_scope):
    """r1.15: {embedding column: lr multiplier} -> {its variables: multiplier}."""
    if not embedding_lr_multipliers:
        return None
    module = _contrib_feature_column_module()
    gradient_multipliers = {}
    for column, lr_mult in embedding_lr_multipliers.items():
        if module is None or not isinstance(column, module._EmbeddingColumn):
            raise ValueError("learning rate multipler can only be defined for embedding "
                             f"columns. It is defined for {column}")
        embedding = _v1.get_collection(collection_key, input_layer_scope + "/" + column.name)
        if not embedding:
            raise ValueError(f"Couldn't find a variable for column {column}")
        for var in embedding:
            gradient_multipliers[var] = lr_mult
    return gradient_multipliers


def _input_layer(features, feature_columns, weight_collections, scope):
    """r1.15: contrib columns through input_from_feature_columns, core ones natively."""
    if _all_contrib_columns(feature_columns):
        from compat_learn.layers import feature_column_ops
        return feature_column_ops.input_from_feature_columns(
            columns_to_tensors=features, feature_columns=feature_columns,
            weight_collections=weight_collections, scope=scope)
    return _v1.feature_column.input_layer(
        features=features, feature_columns=feature_columns,
        weight_collections=weight_collections)


def _linear_logits(features, feature_columns, num_outputs, weight_collections, scope,
                   joint_weights=False):
    """r1.15: (joint_)weighted_sum_from_feature_columns, or core linear_model."""
    if _all_contrib_columns(feature_columns):
        from compat_learn.layers import feature_column_ops
        layer_fn = (feature_column_ops.joint_weighted_sum_from_feature_columns
                    if joint_weights else feature_column_ops.weighted_sum_from_feature_columns)
        logits, _, _ = layer_fn(
            columns_to_tensors=features, feature_columns=feature_columns,
            num_outputs=num_outputs, weight_collections=weight_collections, scope=scope)
        return logits
    return _v1.feature_column.linear_model(
        features=features, feature_columns=feature_columns, units=num_outputs,
        weight_collections=weight_collections)


def _dnn_scope(features, num_ps_replicas, parent_scope="dnn"):
    """r1.15's ``dnn`` variable scope, with its min-max partitioner."""
    return _v1.variable_scope(
        parent_scope, values=tuple(features.values()),
        partitioner=_v1.min_max_variable_partitioner(max_partitions=num_ps_replicas))


def _dnn_logits(features, feature_columns, hidden_units, logits_dimension, mode,
                activation_fn, dropout, input_layer_partitioner, summary_separator,
                parent_scope="dnn"):
    """Builds r1.15's DNN tower inside `_dnn_scope`; returns (logits, input scope name).

    Variables: ``dnn/input_from_feature_columns/...``,
    ``dnn/hiddenlayer_<i>/{weights,biases}`` and ``dnn/logits/{weights,biases}``,
    each a single-partition ``.../part_0`` (r1.15's min-max partitioner), and all
    in the ``dnn`` collection the optimizer trains.
    """
    from compat_learn.layers import layers

    with _v1.variable_scope("input_from_feature_columns", values=tuple(features.values()),
                            partitioner=input_layer_partitioner) as input_layer_scope:
        net = _input_layer(features, feature_columns, [parent_scope], input_layer_scope)
    for layer_id, num_hidden_units in enumerate(hidden_units):
        with _v1.variable_scope(f"hiddenlayer_{layer_id}", values=(net,)) as layer_scope:
            net = layers.fully_connected(
                net, num_hidden_units, activation_fn=activation_fn,
                variables_collections=[parent_scope], scope=layer_scope)
            if dropout is not None and mode == model_fn.ModeKeys.TRAIN:
                net = layers.dropout(net, keep_prob=(1.0 - dropout))
        _add_layer_summary(net, layer_scope.name, summary_separator)
    with _v1.variable_scope("logits", values=(net,)) as logits_scope:
        logits = layers.fully_connected(
            net, logits_dimension, activation_fn=None,
            variables_collections=[parent_scope], scope=logits_scope)
    _add_layer_summary(logits, logits_scope.name, summary_separator)
    return logits, input_layer_scope.name


def _metrics_on_scores(metrics):
    """r1.15 regressors: a plain metric fn keyed by name evaluates the scores."""
    from compat_learn import metric_spec

    custom_metrics = {}
    for key, metric in (metrics or {}).items():
        if not isinstance(metric, metric_spec.MetricSpec) and not isinstance(key, tuple):
            custom_metrics[(key, PredictionKey.SCORES)] = metric
        else:
            custom_metrics[key] = metric
    return custom_metrics


class _ClassifierPredictions:
    """r1.15's classifier predict / predict_classes / predict_proba."""

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None,
                as_iterable=True):
        """Returns predicted classes, or the `outputs` keys' predictions if given.

        Args:
          x: features (numpy); excludes `input_fn`.
          input_fn: returns features (and labels).
          batch_size: with `x` only.
          outputs: list of prediction keys; None predicts classes.
          as_iterable: yield per example, or return arrays.
        """
        if not outputs:
            return self.predict_classes(x=x, input_fn=input_fn, batch_size=batch_size,
                                        as_iterable=as_iterable)
        return super().predict(x=x, input_fn=input_fn, batch_size=batch_size,
                               outputs=outputs, as_iterable=as_iterable)

    def _predict_key(self, key, x, input_fn, batch_size, as_iterable):
        preds = super().predict(x=x, input_fn=input_fn, batch_size=batch_size,
                                outputs=[key], as_iterable=as_iterable)
        if as_iterable:
            return (pred[key] for pred in preds)
        return preds[key]

    def predict_classes(self, x=None, input_fn=None, batch_size=None, as_iterable=True):
        """Returns predicted class ids (or `label_keys` strings), shape ``[batch]``."""
        preds = self._predict_key(PredictionKey.CLASSES, x, input_fn, batch_size, as_iterable)
        return preds if as_iterable else preds.reshape(-1)

    def predict_proba(self, x=None, input_fn=None, batch_size=None, as_iterable=True):
        """Returns predicted probabilities, shape ``[batch, n_classes]``."""
        return self._predict_key(PredictionKey.PROBABILITIES, x, input_fn, batch_size,
                                 as_iterable)


class _RegressorPredictions:
    """r1.15's regressor evaluate (metrics on scores) / predict / predict_scores."""

    def evaluate(self, x=None, y=None, input_fn=None, feed_fn=None, batch_size=None,
                 steps=None, metrics=None, name=None, checkpoint_path=None, hooks=None):
        """See `Evaluable.evaluate`; a metric fn keyed by a name evaluates the scores."""
        return super().evaluate(
            x=x, y=y, input_fn=input_fn, feed_fn=feed_fn, batch_size=batch_size, steps=steps,
            metrics=_metrics_on_scores(metrics), name=name, checkpoint_path=checkpoint_path,
            hooks=hooks)

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None,
                as_iterable=True):
        """Returns predicted scores, or the `outputs` keys' predictions if given."""
        if not outputs:
            return self.predict_scores(x=x, input_fn=input_fn, batch_size=batch_size,
                                       as_iterable=as_iterable)
        return super().predict(x=x, input_fn=input_fn, batch_size=batch_size,
                               outputs=outputs, as_iterable=as_iterable)

    def predict_scores(self, x=None, input_fn=None, batch_size=None, as_iterable=True):
        """Returns predicted scores, shape ``[batch]`` (or ``[batch, label_dimension]``)."""
        key = PredictionKey.SCORES
        preds = super().predict(x=x, input_fn=input_fn, batch_size=batch_size,
                                outputs=[key], as_iterable=as_iterable)
        if as_iterable:
            return (pred[key] for pred in preds)
        return preds[key]


# --------------------------------------------------------------------------------------
# The combined model.
# --------------------------------------------------------------------------------------
def _dnn_linear_combined_model_fn(features, labels, mode, params, config=None):
    """r1.15's wide & deep model_fn: DNN logits + linear logits, one head."""
    head = params["head"]
    linear_feature_columns = params.get("linear_feature_columns")
    linear_optimizer = params.get("linear_optimizer") or "Ftrl"
    joint_linear_weights = params.get("joint_linear_weights")
    dnn_feature_columns = params.get("dnn_feature_columns")
    dnn_optimizer = params.get("dnn_optimizer") or "Adagrad"
    dnn_hidden_units = params.get("dnn_hidden_units")
    dnn_activation_fn = params.get("dnn_activation_fn") or tf.nn.relu
    dnn_dropout = params.get("dnn_dropout")
    gradient_clip_norm = params.get("gradient_clip_norm")
    num_ps_replicas = config.num_ps_replicas if config else 0
    input_layer_partitioner = params.get("input_layer_partitioner") or (
        _v1.min_max_variable_partitioner(max_partitions=num_ps_replicas,
                                         min_slice_size=_INPUT_LAYER_MIN_SLICE_SIZE))
    embedding_lr_multipliers = params.get("embedding_lr_multipliers", {})
    fix_global_step_increment_bug = params.get("fix_global_step_increment_bug", True)

    if not linear_feature_columns and not dnn_feature_columns:
        raise ValueError(
            "Either linear_feature_columns or dnn_feature_columns must be defined.")
    features = _get_feature_dict(features)
    linear_optimizer = _get_optimizer(linear_optimizer)
    _check_no_sync_replicas_optimizer(linear_optimizer)
    dnn_optimizer = _get_optimizer(dnn_optimizer)
    _check_no_sync_replicas_optimizer(dnn_optimizer)

    dnn_logits = linear_logits = dnn_input_scope = None
    if dnn_feature_columns:
        if not dnn_hidden_units:
            raise ValueError(
                "dnn_hidden_units must be defined when dnn_feature_columns is specified.")
        with _dnn_scope(features, num_ps_replicas):
            dnn_logits, dnn_input_scope = _dnn_logits(
                features, dnn_feature_columns, dnn_hidden_units, head.logits_dimension, mode,
                dnn_activation_fn, dnn_dropout, input_layer_partitioner, "/")
    if linear_feature_columns:
        with _v1.variable_scope(
                "linear", values=tuple(features.values()),
                partitioner=_v1.min_max_variable_partitioner(
                    max_partitions=num_ps_replicas,
                    min_slice_size=_INPUT_LAYER_MIN_SLICE_SIZE)) as scope:
            linear_logits = _linear_logits(features, linear_feature_columns,
                                           head.logits_dimension, ["linear"], scope,
                                           joint_linear_weights)
            _add_layer_summary(linear_logits, scope.name)

    if dnn_logits is not None and linear_logits is not None:
        logits = dnn_logits + linear_logits
    else:
        logits = dnn_logits if dnn_logits is not None else linear_logits

    def _make_training_op(training_loss):
        from compat_learn.layers import optimizers

        train_ops = []
        global_step = _v1.train.get_global_step()
        if dnn_logits is not None:
            train_ops.append(optimizers.optimize_loss(
                loss=training_loss, global_step=global_step,
                learning_rate=_DNN_LEARNING_RATE, optimizer=dnn_optimizer,
                gradient_multipliers=_extract_embedding_lr_multipliers(
                    embedding_lr_multipliers, "dnn", dnn_input_scope),
                clip_gradients=gradient_clip_norm, variables=_v1.get_collection("dnn"),
                name="dnn", summaries=[],
                increment_global_step=not fix_global_step_increment_bug))
        if linear_logits is not None:
            train_ops.append(optimizers.optimize_loss(
                loss=training_loss, global_step=global_step,
                learning_rate=_linear_learning_rate(len(linear_feature_columns)),
                optimizer=linear_optimizer, clip_gradients=gradient_clip_norm,
                variables=_v1.get_collection("linear"), name="linear", summaries=[],
                increment_global_step=not fix_global_step_increment_bug))
        train_op = tf.group(*train_ops)
        if fix_global_step_increment_bug:
            # One global step per fit step (r1.15 without the fix counted two).
            with tf.control_dependencies([train_op]):
                with _v1.colocate_with(global_step):
                    return _v1.assign_add(global_step, 1).op
        return train_op

    ops = head.create_model_fn_ops(features=features, mode=mode, labels=labels,
                                   train_op_fn=_make_training_op, logits=logits)
    # A model_dir trained by TF 1.x restores with its own slot spellings.
    return _tf1_checkpoints.with_tf1_restore(ops, mode, config)


def _min_slice_partitioner(input_layer_min_slice_size, config):
    if input_layer_min_slice_size is None:
        return None
    return _v1.min_max_variable_partitioner(
        max_partitions=config.num_ps_replicas if config else 0,
        min_slice_size=input_layer_min_slice_size)


class _DNNLinearCombinedBase(estimator.Estimator):
    """The constructor the wide & deep estimators share (r1.15's params dict)."""

    def __init__(self, head, model_dir=None, linear_feature_columns=None,
                 linear_optimizer=None, _joint_linear_weights=False,
                 dnn_feature_columns=None, dnn_optimizer=None, dnn_hidden_units=None,
                 dnn_activation_fn=None, dnn_dropout=None, gradient_clip_norm=None,
                 config=None, feature_engineering_fn=None, embedding_lr_multipliers=None,
                 fix_global_step_increment_bug=False, input_layer_partitioner=None):
        linear_feature_columns = tuple(linear_feature_columns or [])
        dnn_feature_columns = tuple(dnn_feature_columns or [])
        self._feature_columns = linear_feature_columns + dnn_feature_columns
        if not self._feature_columns:
            raise ValueError("Either linear_feature_columns or dnn_feature_columns "
                             "must be defined.")
        params = {
            "head": head,
            "linear_feature_columns": linear_feature_columns,
            "linear_optimizer": linear_optimizer,
            "joint_linear_weights": _joint_linear_weights,
            "dnn_feature_columns": dnn_feature_columns,
            "dnn_optimizer": dnn_optimizer,
            "dnn_hidden_units": dnn_hidden_units,
            "dnn_activation_fn": dnn_activation_fn,
            "dnn_dropout": dnn_dropout,
            "gradient_clip_norm": gradient_clip_norm,
            "embedding_lr_multipliers": embedding_lr_multipliers,
            "fix_global_step_increment_bug": fix_global_step_increment_bug,
            "input_layer_partitioner": input_layer_partitioner,
        }
        super().__init__(model_fn=_dnn_linear_combined_model_fn, model_dir=model_dir,
                         config=config, params=params,
                         feature_engineering_fn=feature_engineering_fn)


class DNNLinearCombinedClassifier(_ClassifierPredictions, _DNNLinearCombinedBase):
    """A wide & deep classifier.

    Replaces ``tf.contrib.learn.DNNLinearCombinedClassifier``. Native TF2:
    ``tf.estimator.DNNLinearCombinedClassifier``.

    Args: r1.15's (`model_dir`, `n_classes=2`, `weight_column_name`,
      `linear_feature_columns`, `linear_optimizer` (FTRL), `_joint_linear_weights`,
      `dnn_feature_columns`, `dnn_optimizer` (Adagrad), `dnn_hidden_units`,
      `dnn_activation_fn=tf.nn.relu`, `dnn_dropout`, `gradient_clip_norm`,
      `enable_centered_bias`, `config`, `feature_engineering_fn`,
      `embedding_lr_multipliers`, `input_layer_min_slice_size`, `label_keys`,
      `fix_global_step_increment_bug=False`).

    Raises:
      ValueError: `n_classes` < 2 or no feature columns (r1.15 messages).
    """

    def __init__(self, model_dir=None, n_classes=2, weight_column_name=None,
                 linear_feature_columns=None, linear_optimizer=None,
                 _joint_linear_weights=False, dnn_feature_columns=None, dnn_optimizer=None,
                 dnn_hidden_units=None, dnn_activation_fn=tf.nn.relu, dnn_dropout=None,
                 gradient_clip_norm=None, enable_centered_bias=False, config=None,
                 feature_engineering_fn=None, embedding_lr_multipliers=None,
                 input_layer_min_slice_size=None, label_keys=None,
                 fix_global_step_increment_bug=False):
        head = head_lib.multi_class_head(
            n_classes=n_classes, weight_column_name=weight_column_name,
            enable_centered_bias=enable_centered_bias, label_keys=label_keys)
        super().__init__(
            head, model_dir, linear_feature_columns, linear_optimizer, _joint_linear_weights,
            dnn_feature_columns, dnn_optimizer, dnn_hidden_units, dnn_activation_fn,
            dnn_dropout, gradient_clip_norm, config, feature_engineering_fn,
            embedding_lr_multipliers, fix_global_step_increment_bug,
            _min_slice_partitioner(input_layer_min_slice_size, config))


class DNNLinearCombinedRegressor(_RegressorPredictions, _DNNLinearCombinedBase):
    """A wide & deep regressor.

    Replaces ``tf.contrib.learn.DNNLinearCombinedRegressor``. Native TF2:
    ``tf.estimator.DNNLinearCombinedRegressor``.

    Args: as `DNNLinearCombinedClassifier`, with `label_dimension=1` instead of
      `n_classes` and `label_keys`.

    Raises:
      ValueError: no feature columns (r1.15 message).
    """

    def __init__(self, model_dir=None, weight_column_name=None, linear_feature_columns=None,
                 linear_optimizer=None, _joint_linear_weights=False, dnn_feature_columns=None,
                 dnn_optimizer=None, dnn_hidden_units=None, dnn_activation_fn=tf.nn.relu,
                 dnn_dropout=None, gradient_clip_norm=None, enable_centered_bias=False,
                 label_dimension=1, config=None, feature_engineering_fn=None,
                 embedding_lr_multipliers=None, input_layer_min_slice_size=None,
                 fix_global_step_increment_bug=False):
        head = head_lib.regression_head(
            weight_column_name=weight_column_name, label_dimension=label_dimension,
            enable_centered_bias=enable_centered_bias)
        super().__init__(
            head, model_dir, linear_feature_columns, linear_optimizer, _joint_linear_weights,
            dnn_feature_columns, dnn_optimizer, dnn_hidden_units, dnn_activation_fn,
            dnn_dropout, gradient_clip_norm, config, feature_engineering_fn,
            embedding_lr_multipliers, fix_global_step_increment_bug,
            _min_slice_partitioner(input_layer_min_slice_size, config))


class DNNLinearCombinedEstimator(_DNNLinearCombinedBase):
    """A wide & deep estimator with a user-given head.

    Replaces ``tf.contrib.learn.DNNLinearCombinedEstimator``. Native TF2:
    ``tf.estimator.DNNLinearCombinedEstimator``.

    Args: r1.15's (`head`, `model_dir`, `linear_feature_columns`, `linear_optimizer`,
      `_joint_linear_weights`, `dnn_feature_columns`, `dnn_optimizer`,
      `dnn_hidden_units`, `dnn_activation_fn`, `dnn_dropout`, `gradient_clip_norm`,
      `config`, `feature_engineering_fn`, `embedding_lr_multipliers`,
      `fix_global_step_increment_bug` (default False: two global steps per fit step,
      as r1.15), `input_layer_partitioner`).

    Raises:
      ValueError: no feature columns at all (r1.15 message).
    """
