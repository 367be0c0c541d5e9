"""`tf.contrib.learn` deep neural network estimators.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.dnn`` (r1.15):
`DNNClassifier`, `DNNRegressor` and `DNNEstimator` with r1.15's arguments and
defaults (Adagrad with learning rate 0.05, ReLU), prediction methods and graph:
variables ``dnn/hiddenlayer_<i>/weights/part_0``, ``.../biases/part_0``,
``dnn/logits/...``, the ``dnn/learning_rate`` of ``optimize_loss`` and r1.15's
summaries, so a model_dir trained by TF 1.x restores. Native TF2:
``tf.estimator.DNNClassifier`` / ``DNNRegressor`` / ``DNNEstimator``.
"""

from compat_learn import _tf
from compat_learn.estimators import _tf1_checkpoints, estimator
from compat_learn.estimators import dnn_linear_combined as _combined
from compat_learn.estimators import head as head_lib

__all__ = ["DNNClassifier", "DNNEstimator", "DNNRegressor"]

tf = _tf.tf
_v1 = tf.compat.v1

_LEARNING_RATE = 0.05

_ACTIVATION_FUNCTIONS = {"relu": tf.nn.relu, "tanh": tf.nn.tanh, "sigmoid": tf.nn.sigmoid}


def _get_activation_fn(activation_fn):
    if not isinstance(activation_fn, str):
        return activation_fn
    if activation_fn not in _ACTIVATION_FUNCTIONS:
        raise ValueError(
            f"Activation name should be one of [{', '.join(_ACTIVATION_FUNCTIONS)}], you "
            f"provided {activation_fn}.")
    return _ACTIVATION_FUNCTIONS[activation_fn]


def _dnn_model_fn(features, labels, mode, params, config=None):
    """r1.15's DNN model_fn.

    Args:
      features: a `Tensor` (the feature ``""``) or a dict of them.
      labels: labels as the head expects them.
      mode: a contrib `ModeKeys` value.
      params: ``head``, ``hidden_units``, ``feature_columns``, and optionally
        ``optimizer`` (default ``"Adagrad"`` at 0.05), ``activation_fn``,
        ``dropout``, ``gradient_clip_norm``, ``embedding_lr_multipliers``,
        ``input_layer_min_slice_size`` (default 64M).
      config: the `RunConfig` (its ``num_ps_replicas`` bounds the partitions).

    Returns:
      The head's `ModelFnOps`.
    """
    from compat_learn.layers import optimizers

    head = params["head"]
    optimizer = params.get("optimizer") or "Adagrad"
    num_ps_replicas = config.num_ps_replicas if config else 0
    embedding_lr_multipliers = params.get("embedding_lr_multipliers", {})
    input_layer_partitioner = _v1.min_max_variable_partitioner(
        max_partitions=num_ps_replicas,
        min_slice_size=(params.get("input_layer_min_slice_size")
                        or _combined._INPUT_LAYER_MIN_SLICE_SIZE))
    features = _combined._get_feature_dict(features)
    parent_scope = "dnn"
    # r1.15 built the head inside the "dnn" scope too: its centered bias is
    # dnn/<head>/centered_bias_weight, optimize_loss's rate dnn/<head>/dnn/learning_rate.
    with _combined._dnn_scope(features, num_ps_replicas, parent_scope):
        logits, input_layer_scope = _combined._dnn_logits(
            features, params["feature_columns"], params["hidden_units"],
            head.logits_dimension, mode, _get_activation_fn(params.get("activation_fn")),
            params.get("dropout"), input_layer_partitioner, "_", parent_scope)

        def _train_op_fn(loss):
            return optimizers.optimize_loss(
                loss=loss, global_step=_v1.train.get_global_step(),
                learning_rate=_LEARNING_RATE, optimizer=_combined._get_optimizer(optimizer),
                gradient_multipliers=_combined._extract_embedding_lr_multipliers(
                    embedding_lr_multipliers, parent_scope, input_layer_scope),
                clip_gradients=params.get("gradient_clip_norm"), name=parent_scope,
                # r1.15: no optimizer summaries; the head writes the "loss" summary.
                summaries=[])

        ops = head.create_model_fn_ops(features=features, mode=mode, labels=labels,
                                       train_op_fn=_train_op_fn, logits=logits)
    # A model_dir trained by TF 1.x restores with its own slot spellings.
    return _tf1_checkpoints.with_tf1_restore(ops, mode, config)


class _DNNBase(estimator.Estimator):
    """The constructor the three DNN estimators share (r1.15's params dict)."""

    def __init__(self, head, hidden_units, feature_columns, model_dir=None, optimizer=None,
                 activation_fn=tf.nn.relu, dropout=None, gradient_clip_norm=None,
                 config=None, feature_engineering_fn=None, embedding_lr_multipliers=None,
                 input_layer_min_slice_size=None):
        self._feature_columns = tuple(feature_columns or [])
        params = {
            "head": head,
            "hidden_units": hidden_units,
            "feature_columns": self._feature_columns,
            "optimizer": optimizer,
            "activation_fn": activation_fn,
            "dropout": dropout,
            "gradient_clip_norm": gradient_clip_norm,
            "embedding_lr_multipliers": embedding_lr_multipliers,
            "input_layer_min_slice_size": input_layer_min_slice_size,
        }
        super().__init__(model_fn=_dnn_model_fn, model_dir=model_dir, config=config,
                         params=params, feature_engineering_fn=feature_engineering_fn)


class DNNClassifier(_combined._ClassifierPredictions, _DNNBase):
    """A classifier for TensorFlow DNN models.

    Replaces ``tf.contrib.learn.DNNClassifier``. Native TF2: ``tf.estimator.DNNClassifier``.

    Args:
      hidden_units: units per hidden layer, e.g. ``[64, 32]``.
      feature_columns: the feature columns (contrib ``tf.contrib.layers`` columns or
        core ``tf.feature_column`` ones).
      model_dir: directory for checkpoints and summaries.
      n_classes: number of classes, at least 2 (labels are class ids).
      weight_column_name: feature holding per-example weights.
      optimizer: an optimizer name (``"Adagrad"``, ``"SGD"``, ...), an instance or a
        callable returning one; default Adagrad at learning rate 0.05.
      activation_fn: activation of the hidden layers (or ``"relu"``, ``"tanh"``,
        ``"sigmoid"``); default ``tf.nn.relu``.
      dropout: probability to drop a hidden unit while training.
      gradient_clip_norm: clip gradients to this global norm.
      enable_centered_bias: learn a centered bias per class.
      config: a `RunConfig`.
      feature_engineering_fn: ``fn(features, labels) -> (features, labels)``.
      embedding_lr_multipliers: {embedding column: learning rate multiplier}.
      input_layer_min_slice_size: min slice size of input layer partitions (64M).
      label_keys: string labels vocabulary (``n_classes > 2``).

    Raises:
      ValueError: `n_classes` < 2 (r1.15 message).
    """

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column_name=None, optimizer=None, activation_fn=tf.nn.relu,
                 dropout=None, gradient_clip_norm=None, enable_centered_bias=False,
                 config=None, feature_engineering_fn=None, embedding_lr_multipliers=None,
                 input_layer_min_slice_size=None, label_keys=None):
        head = head_lib.multi_class_head(
            n_classes, weight_column_name=weight_column_name,
            enable_centered_bias=enable_centered_bias, label_keys=label_keys)
        super().__init__(head, hidden_units, feature_columns, model_dir, optimizer,
                         activation_fn, dropout, gradient_clip_norm, config,
                         feature_engineering_fn, embedding_lr_multipliers,
                         input_layer_min_slice_size)


class DNNRegressor(_combined._RegressorPredictions, _DNNBase):
    """A regressor for TensorFlow DNN models.

    Replaces ``tf.contrib.learn.DNNRegressor``. Native TF2: ``tf.estimator.DNNRegressor``.

    Args: as `DNNClassifier`, with `label_dimension=1` (regression targets per
      example) instead of `n_classes` and `label_keys`.
    """

    def __init__(self, hidden_units, feature_columns, model_dir=None,
                 weight_column_name=None, optimizer=None, activation_fn=tf.nn.relu,
                 dropout=None, gradient_clip_norm=None, enable_centered_bias=False,
                 config=None, feature_engineering_fn=None, label_dimension=1,
                 embedding_lr_multipliers=None, input_layer_min_slice_size=None):
        head = head_lib.regression_head(
            label_dimension=label_dimension, weight_column_name=weight_column_name,
            enable_centered_bias=enable_centered_bias)
        super().__init__(head, hidden_units, feature_columns, model_dir, optimizer,
                         activation_fn, dropout, gradient_clip_norm, config,
                         feature_engineering_fn, embedding_lr_multipliers,
                         input_layer_min_slice_size)


class DNNEstimator(_DNNBase):
    """A DNN estimator with a user-given head (e.g. ``multi_label_head``).

    Replaces ``tf.contrib.learn.DNNEstimator``. Native TF2: ``tf.estimator.DNNEstimator``.

    Args: `head` first, then as `DNNClassifier` without `n_classes`,
      `weight_column_name`, `enable_centered_bias` and `label_keys` (the head has
      them).
    """
