"""`tf.contrib.learn.MetricSpec`: connects a model's outputs to a metric function.

Replaces ``tensorflow.contrib.learn.python.learn.metric_spec``. Native TF2: build the
metrics inside the `model_fn` and return them in
``tf.estimator.EstimatorSpec.eval_metric_ops`` (or use
``tf.estimator.add_metrics``).

No TensorFlow is needed here: the metric function itself builds the ops.
"""

import functools
import inspect
import logging

from compat_learn import _deprecation

__all__ = ["MetricSpec"]

logger = logging.getLogger(__name__)

_CANONICAL_LABELS_ARG = "labels"
_LABELS_ARGS = frozenset((_CANONICAL_LABELS_ARG, "label", "targets", "target"))
_CANONICAL_PREDICTIONS_ARG = "predictions"
_PREDICTIONS_ARGS = frozenset((_CANONICAL_PREDICTIONS_ARG, "prediction", "logits", "logit"))
_CANONICAL_WEIGHTS_ARG = "weights"
_WEIGHTS_ARGS = frozenset((_CANONICAL_WEIGHTS_ARG, "weight"))


def _args(fn):
    """Positional argument names of `fn`, minus keywords bound by a partial."""
    if isinstance(fn, functools.partial) or (hasattr(fn, "func") and hasattr(fn, "keywords")):
        bound = set(fn.keywords or ())
        return tuple(arg for arg in _args(fn.func) if arg not in bound)
    return tuple(inspect.getfullargspec(fn).args)


def _fn_name(fn):
    if hasattr(fn, "__name__"):
        return fn.__name__
    if hasattr(fn, "func") and hasattr(fn.func, "__name__"):
        return fn.func.__name__
    return str(fn)


def _assert_named_args(sentinel):
    if sentinel is not None:
        raise ValueError("`metric_fn` requires named args: `labels`, `predictions`, and "
                         "optionally `weights`.")


def _matching_arg(fn_name, fn_args, candidate_args, canonical_arg, is_required=False):
    """The one name of `candidate_args` that `fn_args` has, or None (r1.15 rules)."""
    matching = candidate_args.intersection(fn_args)
    if len(matching) > 1:
        raise ValueError(f"Ambiguous arguments {set(matching)}, must provide only one of "
                         f"{set(candidate_args)}.")
    arg = next(iter(matching)) if matching else None
    if arg:
        if arg != canonical_arg:
            logger.warning("Canonical arg %s missing from %s(%s), using %s.",
                           canonical_arg, fn_name, fn_args, arg)
    elif is_required:
        raise ValueError(f"{set(candidate_args)} missing from {fn_name}({fn_args}).")
    return arg


def _adapt_metric_fn(metric_fn, metric_fn_name, is_labels_required, is_weights_required):
    """Wraps `metric_fn` so it takes only named `labels`, `predictions`, `weights`.

    r1.15 rules: a labels alias is passed (by name, or positionally first when it
    is the first argument and there is no predictions alias); a predictions alias
    is passed by name, else predictions go positionally; weights by name.
    """
    args = _args(metric_fn)
    labels_arg = _matching_arg(metric_fn_name, args, _LABELS_ARGS, _CANONICAL_LABELS_ARG,
                               is_labels_required)
    predictions_arg = _matching_arg(metric_fn_name, args, _PREDICTIONS_ARGS,
                                    _CANONICAL_PREDICTIONS_ARG)
    weights_arg = _matching_arg(metric_fn_name, args, _WEIGHTS_ARGS, _CANONICAL_WEIGHTS_ARG,
                                is_weights_required)

    def _weights(weights):
        return {} if weights is None else {weights_arg: weights}

    if labels_arg and predictions_arg:
        def _named(_sentinel=None, labels=None, predictions=None, weights=None):
            _assert_named_args(_sentinel)
            return metric_fn(**{labels_arg: labels, predictions_arg: predictions},
                             **_weights(weights))
        return _named

    if labels_arg and labels_arg == args[0]:
        def _labels_first(_sentinel=None, labels=None, predictions=None, weights=None):
            _assert_named_args(_sentinel)
            return metric_fn(labels, predictions, **_weights(weights))
        return _labels_first

    if labels_arg:
        def _predictions_first(_sentinel=None, labels=None, predictions=None, weights=None):
            _assert_named_args(_sentinel)
            return metric_fn(predictions, **{labels_arg: labels}, **_weights(weights))
        return _predictions_first

    if predictions_arg:
        def _named_no_labels(_sentinel=None, labels=None, predictions=None, weights=None):
            del labels
            _assert_named_args(_sentinel)
            return metric_fn(**{predictions_arg: predictions}, **_weights(weights))
        return _named_no_labels

    def _positional_no_labels(_sentinel=None, labels=None, predictions=None, weights=None):
        del labels
        _assert_named_args(_sentinel)
        return metric_fn(predictions, **_weights(weights))
    return _positional_no_labels


class MetricSpec:
    """Connects a model's predictions, labels and weights to a metric function.

    Replaces ``tf.contrib.learn.MetricSpec``. Native TF2: compute the metric in the
    `model_fn` and return it in ``EstimatorSpec.eval_metric_ops``.

    The `metric_fn` argument names are matched by alias: labels
    (``labels``/``label``/``targets``/``target``), predictions
    (``predictions``/``prediction``/``logits``/``logit``) and weights
    (``weights``/``weight``). Two aliases of one kind raise ValueError.

    Args:
      metric_fn: returns a `Tensor` (the value) or ``(value_op, update_op)``.
      prediction_key: key into a predictions dict; None needs a single tensor or a
        one-entry dict.
      label_key: key into a labels dict; None needs a single tensor or a one-entry
        dict. When set, `metric_fn` must take a labels argument.
      weight_key: key into the features (inputs) dict whose tensor is passed as
        weights; None passes no weights. When set, `metric_fn` must take weights.
    """

    def __init__(self, metric_fn, prediction_key=None, label_key=None, weight_key=None):
        _deprecation.warn_deprecated("tf.contrib.learn.MetricSpec",
                                     "tf.estimator.EstimatorSpec(eval_metric_ops=...)")
        self._metric_fn_name = _fn_name(metric_fn)
        self._metric_fn = _adapt_metric_fn(
            metric_fn=metric_fn, metric_fn_name=self._metric_fn_name,
            is_labels_required=label_key is not None,
            is_weights_required=weight_key is not None)
        self._prediction_key = prediction_key
        self._label_key = label_key
        self._weight_key = weight_key

    @property
    def prediction_key(self):
        return self._prediction_key

    @property
    def label_key(self):
        return self._label_key

    @property
    def weight_key(self):
        return self._weight_key

    @property
    def metric_fn(self):
        """The adapted function: takes named `labels`, `predictions`, `weights`."""
        return self._metric_fn

    def __str__(self):
        return (f"MetricSpec(metric_fn={self._metric_fn_name}, "
                f"prediction_key={self.prediction_key}, label_key={self.label_key}, "
                f"weight_key={self.weight_key})")

    def create_metric_ops(self, inputs, labels, predictions):
        """Calls `metric_fn` on the selected prediction, label and weight tensors.

        Args:
          inputs: the features dict from the `input_fn` (source of the weights).
          labels: a labels tensor or dict.
          predictions: a predictions tensor or dict from the `model_fn`.

        Returns:
          Whatever `metric_fn` returns.

        Raises:
          ValueError: a key is set for a single tensor, or no key for a dict with
            more than one entry (r1.15 messages).
          KeyError: a key is missing from its dict.
        """
        prediction = _select("prediction", predictions, self.prediction_key)
        label = _select("label", labels, self.label_key)
        try:
            return self.metric_fn(
                labels=label, predictions=prediction,
                weights=inputs[self.weight_key] if self.weight_key else None)
        except Exception as ex:
            logger.error("Could not create metric ops for %s, %s.", self, ex)
            raise


def _select(name, dict_or_tensor, key):
    """One tensor of a dict (by key) or the single tensor (r1.15 `_get_dict`)."""
    if key:
        if not isinstance(dict_or_tensor, dict):
            raise ValueError(
                f"MetricSpec with {name}_key specified requires {name}s dict, got "
                f"{dict_or_tensor}.\nYou must not provide a {name}_key if you only have a "
                f"single Tensor as {name}s.")
        if key not in dict_or_tensor:
            raise KeyError(f"Key '{key}' missing from {dict_or_tensor.keys()}.")
        return dict_or_tensor[key]
    if isinstance(dict_or_tensor, dict):
        if len(dict_or_tensor) != 1:
            raise ValueError(
                f"MetricSpec without specified {name}_key requires {name}s tensor or single "
                f"element dict, got {dict_or_tensor}")
        return next(iter(dict_or_tensor.values()))
    return dict_or_tensor
