"""`tf.contrib.learn.ModeKeys` and `tf.contrib.learn.ModelFnOps`.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.model_fn``. Native TF2:
``tf.estimator.ModeKeys`` and ``tf.estimator.EstimatorSpec``.

`ModeKeys` needs no TensorFlow; `ModelFnOps` validates with TensorFlow, imported
when the first one is built.
"""

import collections
import logging

from compat_learn import _deprecation
from compat_learn.estimators import constants, metric_key, prediction_key

__all__ = ["ModeKeys", "ModelFnOps"]

logger = logging.getLogger(__name__)

# The core name of the default serving signature (saved_model signature_constants).
_DEFAULT_SERVING_KEY = "serving_default"


class ModeKeys:
    """Standard names for model modes: ``'train'``, ``'eval'``, ``'infer'``.

    Replaces ``tf.contrib.learn.ModeKeys``. Native TF2: ``tf.estimator.ModeKeys``,
    whose ``PREDICT`` has the same value ``'infer'`` as ``INFER`` here.
    """

    TRAIN = "train"
    EVAL = "eval"
    INFER = "infer"

    @classmethod
    def validate(cls, key):
        """Raises ValueError unless `key` is one of the three modes (r1.15 message)."""
        if key not in (cls.TRAIN, cls.EVAL, cls.INFER):
            raise ValueError(f"Invalid mode {key}.")


def _flat_graph_elements(value):
    if value is None:
        return []
    if isinstance(value, dict):
        return [v for v in value.values() if v is not None]
    return [value]


def _assert_same_graph(predictions, loss, train_op):
    # r1.15 called contrib.framework.get_graph_from_inputs on the three values.
    graphs = {}
    for name, value in (("predictions", predictions), ("loss", loss), ("train_op", train_op)):
        for element in _flat_graph_elements(value):
            graph = getattr(element, "graph", None)
            if graph is not None:
                graphs.setdefault(id(graph), name)
    if len(graphs) > 1:
        raise ValueError(
            "`predictions`, `loss` and `train_op` of a ModelFnOps must come from the same "
            f"graph; got tensors from {len(graphs)} graphs (first seen in "
            f"{', '.join(sorted(graphs.values()))}). Build them all inside the model_fn.")


class ModelFnOps(collections.namedtuple("ModelFnOps", [
        "predictions", "loss", "train_op", "eval_metric_ops", "output_alternatives",
        "training_chief_hooks", "training_hooks", "scaffold", "mode"])):
    """Ops returned from a contrib `model_fn`, validated as in r1.15.

    Replaces ``tf.contrib.learn.ModelFnOps``. Native TF2:
    ``tf.estimator.EstimatorSpec``; `estimator_spec` converts one into the other.

    Args:
      mode: one of `ModeKeys`.
      predictions: a `Tensor` (or `SparseTensor`) or a dict of them.
      loss: the scalar training loss; required for TRAIN and EVAL.
      train_op: the training op; required for TRAIN. A tensor is replaced by its op.
      eval_metric_ops: dict of metric name to a metric result (``(value, update_op)``
        or a `Tensor`); defaults to ``{}``.
      output_alternatives: dict of ``{name: (ProblemType, {key: Tensor})}`` used to
        build the SavedModel signatures at export.
      training_chief_hooks: `SessionRunHook`s run on the chief only.
      training_hooks: `SessionRunHook`s run on every worker.
      scaffold: a ``tf.compat.v1.train.Scaffold``.

    Raises:
      ValueError: on a missing or ill-shaped field (r1.15 messages).
      TypeError: if a hook is not a `SessionRunHook`.
    """

    def __new__(cls, mode, predictions=None, loss=None, train_op=None,
                eval_metric_ops=None, output_alternatives=None,
                training_chief_hooks=None, training_hooks=None, scaffold=None):
        _deprecation.warn_deprecated(
            "tf.contrib.learn.ModelFnOps",
            "tf.estimator.EstimatorSpec (ModelFnOps.estimator_spec() converts)")
        from compat_learn import _tf
        tf = _tf.tf

        ModeKeys.validate(mode)
        _assert_same_graph(predictions, loss, train_op)

        if train_op is None:
            if mode == ModeKeys.TRAIN:
                raise ValueError("Missing train_op.")
        elif not isinstance(train_op, tf.Operation):
            train_op = tf.convert_to_tensor(train_op).op

        if loss is None:
            if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
                raise ValueError("Missing loss.")
        else:
            loss = tf.convert_to_tensor(loss)
            loss_shape = loss.get_shape()
            if loss_shape.num_elements() not in (None, 1):
                raise ValueError(f"Loss must be scalar: {loss}.")
            if not loss_shape.is_compatible_with(tf.TensorShape([])):
                loss = tf.reshape(loss, [])

        if predictions is None:
            if mode in (ModeKeys.INFER, ModeKeys.EVAL):
                raise ValueError("Missing predictions.")
        else:
            convert = tf.compat.v1.convert_to_tensor_or_sparse_tensor
            if isinstance(predictions, dict):
                predictions = {k: convert(v) for k, v in predictions.items()}
            else:
                predictions = convert(predictions)

        if eval_metric_ops is None:
            eval_metric_ops = {}
        elif not isinstance(eval_metric_ops, dict):
            raise ValueError("eval_metric_ops must be a dict.")

        training_chief_hooks = list(training_chief_hooks or [])
        training_hooks = list(training_hooks or [])
        for hook in training_hooks + training_chief_hooks:
            if not isinstance(hook, _tf.SessionRunHook):
                raise TypeError(
                    "All hooks returned from model_fn must be SessionRunHook instances, "
                    f"got instance of {type(hook)}: {hook}")

        return super().__new__(
            cls, predictions=predictions, loss=loss, train_op=train_op,
            eval_metric_ops=eval_metric_ops, output_alternatives=output_alternatives,
            training_chief_hooks=training_chief_hooks, training_hooks=training_hooks,
            scaffold=scaffold, mode=mode)

    def estimator_spec(self, default_serving_output_alternative_key=None):
        """Creates the equivalent core ``tf.estimator.EstimatorSpec``.

        ``INFER`` becomes ``PREDICT``; `output_alternatives` become
        ``export_outputs`` (classify, regress or predict by `ProblemType`), with a
        ``serving_default`` entry copied from
        `default_serving_output_alternative_key` when there are several; the
        ``'loss'`` metric is dropped because core Estimators add their own.

        Args:
          default_serving_output_alternative_key: the output alternative to serve by
            default; required when there are several output alternatives.

        Returns:
          A ``tf.estimator.EstimatorSpec``.

        Raises:
          ValueError: if a problem type is unknown.
          KeyError: if several output alternatives exist and the default key is not
            one of them.
        """
        from compat_learn import _tf
        export_outputs = None
        if self.output_alternatives:
            alternatives = self.output_alternatives
            if len(alternatives) > 1 and _DEFAULT_SERVING_KEY not in alternatives:
                if default_serving_output_alternative_key not in alternatives:
                    raise KeyError(
                        "`default_serving_output_alternative_key` must name one of the "
                        f"output_alternatives {sorted(alternatives)} when there are several; got "
                        f"{default_serving_output_alternative_key!r}.")
                alternatives = dict(alternatives)
                alternatives[_DEFAULT_SERVING_KEY] = (
                    alternatives[default_serving_output_alternative_key])
            export_outputs = {key: _export_output(*value) for key, value in alternatives.items()}

        core_mode = {
            ModeKeys.TRAIN: _tf.CoreModeKeys.TRAIN,
            ModeKeys.EVAL: _tf.CoreModeKeys.EVAL,
            ModeKeys.INFER: _tf.CoreModeKeys.PREDICT,
        }[self.mode]
        eval_metric_ops = {k: v for k, v in self.eval_metric_ops.items()
                           if k != metric_key.MetricKey.LOSS}
        return _tf.EstimatorSpec(
            mode=core_mode, predictions=self.predictions, loss=self.loss,
            train_op=self.train_op, eval_metric_ops=eval_metric_ops,
            export_outputs=export_outputs,
            training_chief_hooks=self.training_chief_hooks,
            training_hooks=self.training_hooks, scaffold=self.scaffold)


def _scores(outputs):
    scores = outputs.get(prediction_key.PredictionKey.SCORES)
    if scores is None:
        scores = outputs.get(prediction_key.PredictionKey.PROBABILITIES)
    return scores


def _classes(outputs):
    from compat_learn import _tf
    classes = outputs.get(prediction_key.PredictionKey.CLASSES)
    if classes is None:
        logger.warning("classes is None, Servo inference will not have class ids.")
        return None
    if classes.dtype != _tf.tf.string:
        # r1.15: Servo classification can only serve string classes.
        logger.warning("classes is not string, Servo inference will not have class ids.")
        return None
    return classes


def _export_output(problem_type, outputs):
    # r1.15 ModelFnOps.estimator_spec._export_output, problem type by problem type.
    from compat_learn import _tf
    export = _tf.tf.estimator.export
    problem = constants.ProblemType
    if problem_type == problem.LINEAR_REGRESSION:
        return export.RegressionOutput(_scores(outputs))
    if problem_type in (problem.CLASSIFICATION, problem.LOGISTIC_REGRESSION):
        return export.ClassificationOutput(scores=_scores(outputs), classes=_classes(outputs))
    if problem_type == problem.UNSPECIFIED:
        return export.PredictOutput(outputs)
    raise ValueError(f"Unknown problem_type={problem_type}")
