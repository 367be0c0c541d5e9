"""How a contrib `model_fn` runs inside TensorFlow 2.15's `tf.estimator`.

The contrib `Estimator` wraps a ``tf.compat.v1.estimator.Estimator`` whose model_fn
is built here: it calls the user's contrib model_fn the r1.15 way
(``_call_model_fn``: optional ``mode``/``params``/``config``/``model_dir``,
`feature_engineering_fn`, a `ModelFnOps` or a ``(predictions, loss, train_op)``
tuple), merges ``evaluate(metrics=...)`` (r1.15 ``_make_metrics_ops``) and turns the
result into a core ``EstimatorSpec``. For export it also builds r1.15's signatures
(``saved_model_export_utils.get_output_alternatives``/``build_all_signature_defs``)
as core ``export_outputs``.
"""

import collections
import logging

from compat_learn import _tf
from compat_learn.estimators import constants, metric_key, prediction_key
from compat_learn.estimators import model_fn as model_fn_lib
from compat_learn.metric_spec import MetricSpec

__all__ = []

logger = logging.getLogger(__name__)

# r1.15 saved_model_export_utils names.
DEFAULT_INPUT_ALTERNATIVE_KEY = "default_input_alternative"
FALLBACK_DEFAULT_OUTPUT_ALTERNATIVE_KEY = "default_output_alternative"
DEFAULT_SERVING_KEY = "serving_default"

_CORE_TO_CONTRIB_MODE = {
    _tf.CoreModeKeys.TRAIN: model_fn_lib.ModeKeys.TRAIN,
    _tf.CoreModeKeys.EVAL: model_fn_lib.ModeKeys.EVAL,
    _tf.CoreModeKeys.PREDICT: model_fn_lib.ModeKeys.INFER,
}
_CONTRIB_TO_CORE_MODE = {v: k for k, v in _CORE_TO_CONTRIB_MODE.items()}


def to_contrib_mode(core_mode):
    """Core ``'predict'``-family mode -> contrib `ModeKeys` (both say ``'infer'``)."""
    return _CORE_TO_CONTRIB_MODE[core_mode]


def model_fn_args(fn):
    """Argument names of a model_fn (handles partials, as r1.15 `_model_fn_args`)."""
    return tuple(_tf.function_utils.fn_args(fn))


def call_contrib_model_fn(model_fn, features, labels, mode, kwargs_by_name):
    """Calls `model_fn(features, labels, **kw)` with only the keywords it declares.

    Args:
      model_fn: the user's contrib model_fn.
      features, labels: after feature engineering.
      mode: a contrib `ModeKeys` value.
      kwargs_by_name: callables for ``params``, ``config``, ``model_dir`` (called
        only when the model_fn declares that argument).

    Returns:
      A `ModelFnOps`.

    Raises:
      ValueError: if the model_fn returns neither a `ModelFnOps` nor a 3-tuple
        (r1.15 message).
    """
    args = model_fn_args(model_fn)
    kwargs = {}
    if "mode" in args:
        kwargs["mode"] = mode
    for name, getter in kwargs_by_name.items():
        if name in args:
            kwargs[name] = getter()
    result = model_fn(features, labels, **kwargs)
    if isinstance(result, model_fn_lib.ModelFnOps):
        return result
    if isinstance(result, _tf.EstimatorSpec):
        # Beyond r1.15: a core spec is accepted and carried through unchanged.
        return result
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise ValueError("Unrecognized value returned by model_fn, please return ModelFnOps.")
    return model_fn_lib.ModelFnOps(mode=mode, predictions=result[0], loss=result[1],
                                   train_op=result[2])


def make_metrics_ops(metrics, features, labels, predictions):
    """r1.15 `_make_metrics_ops`: evaluate(metrics=...) entries -> metric results.

    Keys are names, or ``(name, prediction_key)`` tuples for a bare metric fn on a
    predictions dict; values are `MetricSpec`s or bare ``fn(predictions, labels)``.
    """
    metrics = metrics or {}
    labels_tensor_or_dict = labels
    if isinstance(labels, dict) and len(labels) == 1:
        labels_tensor_or_dict = labels[next(iter(labels.keys()))]

    result = {}
    for name, metric in sorted(metrics.items(), key=lambda kv: str(kv[0])):
        if isinstance(metric, MetricSpec):
            result[name] = metric.create_metric_ops(features, labels, predictions)
            continue
        logger.warning("Please specify metrics using MetricSpec. Using bare functions or "
                       "(key, fn) tuples is deprecated and support for it will be removed "
                       "on Oct 1, 2016.")
        if isinstance(name, tuple):
            if len(name) != 2:
                raise ValueError(f"Invalid metric for {name}. It returned a tuple with len "
                                 f"{len(name)}, expected 2.")
            if not isinstance(predictions, dict):
                raise ValueError(
                    "Metrics passed provide (name, prediction), but predictions "
                                 f"are not dict. Metrics: {metrics}, "
                                 f"Predictions: {predictions}.")
            if isinstance(labels, dict) and name[1] in labels:
                result[name[0]] = metric(predictions[name[1]], labels[name[1]])
            else:
                result[name[0]] = metric(predictions[name[1]], labels_tensor_or_dict)
        else:
            if isinstance(predictions, dict):
                raise ValueError(
                    "Metrics passed provide only name, no prediction, but "
                                 f"predictions are dict. Metrics: {metrics}, "
                                 f"Labels: {labels_tensor_or_dict}.")
            result[name] = metric(predictions, labels_tensor_or_dict)
    return result


def _core_metric(name, value):
    # r1.15 `_extract_metric_update_ops` ran a bare tensor as a value with no
    # update; a core EstimatorSpec wants (value, update_op), so add a no-op update.
    tf = _tf.tf
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"Metric `{name}` must be a `(value_op, update_op)` pair or a single Tensor; got "
                f"a {type(value).__name__} of length {len(value)}.")
        return tuple(value)
    if tf.is_tensor(value):
        return value, tf.no_op()
    return value


def filter_predictions(predictions, outputs):
    """r1.15 `_filter_predictions` for ``predict(outputs=...)``."""
    if not outputs:
        return predictions
    if not isinstance(predictions, dict):
        raise ValueError(
            "outputs argument is not valid in case of non-dict predictions.")
    existing_keys = predictions.keys()
    predictions = {k: v for k, v in predictions.items() if k in outputs}
    if not predictions:
        raise ValueError(f"Expected to run at least one output from {existing_keys}, "
                         f"provided {outputs}.")
    return predictions


def to_core_spec(ops, core_mode, export_outputs=None, predictions=None):
    """A `ModelFnOps` -> core ``EstimatorSpec`` for the wrapped estimator.

    Unlike `ModelFnOps.estimator_spec`, output alternatives are not converted here:
    plain predict/evaluate must not fail on them (r1.15 used them only at export).
    """
    if isinstance(ops, _tf.EstimatorSpec):
        return ops
    # 'loss' and 'global_step' arrive here already renamed (`CoreEvalMetricNames`).
    eval_metric_ops = {name: _core_metric(name, value)
                       for name, value in ops.eval_metric_ops.items()}
    if predictions is None:
        predictions = ops.predictions
    if core_mode == _tf.CoreModeKeys.TRAIN:
        predictions = None  # not needed to train; r1.15 allowed any structure here
    return _tf.EstimatorSpec(
        mode=core_mode, predictions=predictions, loss=ops.loss, train_op=ops.train_op,
        eval_metric_ops=eval_metric_ops if core_mode == _tf.CoreModeKeys.EVAL else None,
        export_outputs=export_outputs, training_chief_hooks=ops.training_chief_hooks,
        training_hooks=ops.training_hooks, scaffold=ops.scaffold)


# ------------------------------------------------------------------ input signatures

class TensorSignature(collections.namedtuple("TensorSignature",
                                             ["dtype", "shape", "is_sparse"])):
    """What r1.15 remembered of one fit/evaluate input tensor.

    r1.15 `tensor_signature.TensorSignature`: dtype and static shape (no shape for
    a sparse tensor). The first fit or evaluate of an estimator recorded one per
    feature and label; later inputs had to match, and predict fed the model_fn
    label placeholders built from them.
    """

    def is_compatible_with(self, recorded):
        """True if an input with this signature may replace `recorded` (r1.15)."""
        if recorded.is_sparse:
            return self.is_sparse and self.dtype.is_compatible_with(recorded.dtype)
        return (not self.is_sparse and self.dtype.is_compatible_with(recorded.dtype)
                and _shapes_compatible_after_batch(self.shape, recorded.shape))

    def placeholder(self):
        """A placeholder like the recorded input, any batch size (r1.15)."""
        tf = _tf.tf
        if self.is_sparse:
            return tf.compat.v1.sparse_placeholder(dtype=self.dtype)
        if self.shape.rank is None:
            # r1.15 failed here (it iterated an unknown shape); any shape will do.
            return tf.compat.v1.placeholder(dtype=self.dtype, shape=None)
        # r1.15: [None] + shape[1:], so even a scalar gives a [None] placeholder.
        return tf.compat.v1.placeholder(dtype=self.dtype,
                                        shape=[None] + self.shape.as_list()[1:])


def _shapes_compatible_after_batch(given, recorded):
    # r1.15 `_shape_is_compatible_0dim`: unknown ranks match anything; otherwise
    # same rank and compatible sizes, the batch dimension excepted.
    if given.rank is None or recorded.rank is None:
        return True
    if given.rank != recorded.rank:
        return False
    return all(a is None or b is None or a == b
               for a, b in zip(given.as_list()[1:], recorded.as_list()[1:]))


def _signature(tensor):
    tf = _tf.tf
    if isinstance(tensor, tf.SparseTensor):
        return TensorSignature(tensor.values.dtype, None, True)
    if not hasattr(tensor, "dtype") or not hasattr(tensor, "shape"):
        return None
    return TensorSignature(tf.as_dtype(tensor.dtype), tf.TensorShape(tensor.shape), False)


def input_signatures(tensors):
    """r1.15 `create_signatures`: a signature, a dict of them, or None.

    Also None when some value is not a tensor (TF 2.15 accepts such inputs; r1.15
    failed on them), so nothing is recorded or checked for it.
    """
    if tensors is None:
        return None
    if isinstance(tensors, dict):
        signatures = {key: _signature(value) for key, value in tensors.items()}
        return None if None in signatures.values() else signatures
    return _signature(tensors)


def inputs_compatible(tensors, signatures):
    """r1.15 `tensors_compatible`: may `tensors` replace the recorded inputs?

    A dict needs every recorded key (more keys are fine); a single tensor needs a
    single recorded signature.
    """
    if tensors is None:
        return signatures is None
    if isinstance(tensors, dict):
        if not isinstance(signatures, dict):
            return False
        for key, recorded in signatures.items():
            if key not in tensors:
                return False
            given = _signature(tensors[key])
            if given is None or not given.is_compatible_with(recorded):
                return False
        return True
    if signatures is None or isinstance(signatures, dict):
        return False
    given = _signature(tensors)
    return given is not None and given.is_compatible_with(signatures)


def placeholders_for(signatures):
    """r1.15 `create_placeholders_from_signatures`: None, a placeholder or a dict."""
    if signatures is None:
        return None
    if isinstance(signatures, dict):
        return {key: signature.placeholder() for key, signature in signatures.items()}
    return signatures.placeholder()


# ------------------------------------------------------------------ evaluation results

_GLOBAL_STEP_KEY = "global_step"


class CoreEvalMetricNames:
    """Runs r1.15's evaluation metrics in a core estimator and reads them back.

    r1.15 (`Estimator._get_eval_ops`) kept a 'loss' metric from the model_fn or
    from evaluate(metrics=...) and added the mean loss only when there was none;
    a metric named 'global_step' was allowed too. TF 2.15 rejects both names, so
    the core estimator gets them under names no other metric has, and `results`
    maps its answer back, in r1.15's order.

    `record` is called by the core model_fn (once per evaluation graph) with the
    metric names in r1.15's order.
    """

    def __init__(self):
        self._names = None
        self._core_names = {}

    def record(self, names):
        """Returns {r1.15 name: core name} for the metric `names` of one graph."""
        names = list(names)
        self._names = names
        self._core_names = {}
        for name in (metric_key.MetricKey.LOSS, _GLOBAL_STEP_KEY):
            if name in names:
                core_name = "_r115_metric_" + name
                while core_name in names:
                    core_name = "_" + core_name
                self._core_names[name] = core_name
        return dict(self._core_names)

    def results(self, core_results):
        """r1.15's evaluation result from the core estimator's.

        Returns:
          ``(results, global_step)`` as r1.15 `_evaluate_model` returned them: the
          metrics in the model_fn's order (custom metrics updating it), the mean
          'loss' last when no metric had that name, then the global step under
          'global_step', or under '_global_step' (more underscores as needed) when a
          metric already had that name. `evaluate` then sets 'global_step' to the
          global step, so r1.15 returned the step, not a metric named 'global_step',
          under that key, and the step under '_global_step' too; so does this.
        """
        global_step = core_results[_GLOBAL_STEP_KEY]
        if self._names is None:  # the model_fn was not ours (nothing recorded)
            return core_results, global_step
        results = {name: core_results[self._core_names.get(name, name)]
                   for name in self._names}
        if metric_key.MetricKey.LOSS not in results:
            results[metric_key.MetricKey.LOSS] = core_results[metric_key.MetricKey.LOSS]
        key = _GLOBAL_STEP_KEY
        while key in results:
            key = "_" + key
        results[key] = global_step
        return results, global_step


# ------------------------------------------------------------------ export

def export_savedmodel(estimator, export_dir_base, serving_input_receiver_fn,
                      assets_extra=None, as_text=False, checkpoint_path=None,
                      strip_default_attrs=False):
    """r1.15's ``export_savedmodel`` on a ``tf.compat.v1.estimator.Estimator``.

    TF 2.15's v1 method still honours `strip_default_attrs` (``export_saved_model``
    always strips) but logs its own deprecation notice, pointing at compat_learn,
    on first use. This is that method's body (tensorflow_estimator 2.15.0
    estimator.py ``export_savedmodel``, L1690-1765): the private
    ``_export_all_saved_models`` with the PREDICT receiver.
    """
    from compat_learn.utils import saved_model_export_utils

    # TF 2.15 makes the export's temp-<timestamp> directory before it builds the
    # serving graph, and leaves it when building fails; r1.15 built the graph first.
    with saved_model_export_utils._removing_new_temp_dirs(export_dir_base):
        return estimator._export_all_saved_models(
            export_dir_base, {_tf.CoreModeKeys.PREDICT: serving_input_receiver_fn},
            assets_extra=assets_extra, as_text=as_text, checkpoint_path=checkpoint_path,
            strip_default_attrs=bool(strip_default_attrs))


def get_output_alternatives(ops, default_output_alternative_key=None):
    """r1.15 `saved_model_export_utils.get_output_alternatives` (same messages)."""
    alternatives = ops.output_alternatives
    if not alternatives:
        if default_output_alternative_key:
            raise ValueError("Requested default_output_alternative: "
                             f"{default_output_alternative_key}, but available "
                             "output_alternatives are: []")
        outputs = ops.predictions
        if not isinstance(outputs, dict):
            outputs = {prediction_key.PredictionKey.GENERIC: outputs}
        key = FALLBACK_DEFAULT_OUTPUT_ALTERNATIVE_KEY
        return {key: (constants.ProblemType.UNSPECIFIED, outputs)}, key
    if default_output_alternative_key:
        if default_output_alternative_key in alternatives:
            return alternatives, default_output_alternative_key
        raise ValueError("Requested default_output_alternative: "
                         f"{default_output_alternative_key}, but available "
                         f"output_alternatives are: {sorted(alternatives.keys())}")
    if len(alternatives) == 1:
        (key, _), = alternatives.items()
        return alternatives, key
    raise ValueError("Please specify a default_output_alternative.  Available "
                     f"output_alternatives are: {sorted(alternatives.keys())}")


def standardized_export_output(problem_type, outputs, input_tensors):
    """r1.15 `build_standardized_signature_def` as a core ``ExportOutput``.

    The same choice and the same errors: classification and regression serve one
    string input of serialized tf.Examples, and exporting a classifier or regressor
    whose serving input_fn gives one input of another type raises r1.15's
    ``ValueError`` ("Classification examples must be a string Tensor.").
    """
    from compat_learn.utils import saved_model_export_utils

    export = _tf.tf.estimator.export
    kind, *args = saved_model_export_utils._standard_signature(
        input_tensors, outputs, problem_type)
    if kind == "classify":
        _, classes, scores = args
        return export.ClassificationOutput(scores=scores, classes=classes)
    if kind == "regress":
        return export.RegressionOutput(args[1])
    return export.PredictOutput(outputs)


def export_outputs_for(ops, default_output_alternative_key, input_tensors):
    """r1.15 signature names as core export_outputs.

    One ``'default_input_alternative:<output alternative>'`` entry per output
    alternative, plus ``serving_default`` for the default one.
    """
    alternatives, default_key = get_output_alternatives(ops, default_output_alternative_key)
    result = {}
    for key, (problem_type, outputs) in alternatives.items():
        result["{}:{}".format(DEFAULT_INPUT_ALTERNATIVE_KEY, key or "None")] = (
            standardized_export_output(problem_type, outputs, input_tensors))
    problem_type, outputs = alternatives[default_key]
    result[DEFAULT_SERVING_KEY] = standardized_export_output(problem_type, outputs, input_tensors)
    return result


def _is_input_fn_ops(value):
    return getattr(value, "_fields", None) == ("features", "labels", "default_inputs")


def serving_receiver(serving_input_fn_result):
    """`InputFnOps` (or a core ``ServingInputReceiver``) -> ``ServingInputReceiver``.

    Raises:
      ValueError: no features, or no default inputs (r1.15 messages).
    """
    result = serving_input_fn_result
    if isinstance(result, _tf.tf.estimator.export.ServingInputReceiver):
        return result
    if _is_input_fn_ops(result):
        features, _, default_inputs = result
    elif isinstance(result, (tuple, list)) and len(result) == 2:
        (features, _), default_inputs = result, None
    else:
        raise TypeError("`serving_input_fn` must return an `InputFnOps` or a "
                        f"`tf.estimator.export.ServingInputReceiver`; got {type(result).__name__}.")
    if not features:
        raise ValueError("Features must be defined.")
    if not default_inputs:
        raise ValueError("A default input_alternative must be provided.")
    return _tf.tf.estimator.export.ServingInputReceiver(features, default_inputs)


class StopOnConstantInputHook(_tf.SessionRunHook):
    """Stops predict after one batch when the input cannot run out (r1.15).

    r1.15 `_is_input_constant`: with no queue runners (and no feed_fn) the input
    is a constant, so predict stops after the first batch; TF 2.15 would loop
    forever. Beyond r1.15: a tf.data iterator also counts as an input that runs
    out (r1.15 stopped it after one batch too, dropping the rest).
    """

    def __init__(self, has_feed_fn=False):
        self._has_feed_fn = has_feed_fn
        self._constant = False

    def begin(self):
        graph = _tf.tf.compat.v1.get_default_graph()
        self._constant = not (
            self._has_feed_fn
            or graph.get_collection(_tf.tf.compat.v1.GraphKeys.QUEUE_RUNNERS)
            or any(op.type.startswith("IteratorGetNext") for op in graph.get_operations()))

    def after_run(self, run_context, run_values):
        if self._constant:
            run_context.request_stop()
