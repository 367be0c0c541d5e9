"""`tf.contrib.learn.Estimator`, `BaseEstimator` and `SKCompat` on TF 2.15.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.estimator``. Native TF2:
``tf.estimator.Estimator`` (``train``/``evaluate``/``predict``/
``export_saved_model``) with a model_fn returning ``tf.estimator.EstimatorSpec``.

TF 2.15 forbids Estimator subclasses that override ``train``/``evaluate``, so the
contrib estimator *wraps* a ``tf.compat.v1.estimator.Estimator``: each call builds
one around an adapter model_fn (`_core_adapter`) and keeps r1.15's API, checks and
messages on the outside. TensorFlow does the training, evaluation and export.
"""

import abc
import collections
import contextlib
import copy
import itertools
import logging
import tempfile

import numpy as np

from compat_learn import _deprecation, _globsafe, _moveddir, _tf, evaluable, trainable
from compat_learn.estimators import _core_adapter as adapter
from compat_learn.estimators import _sklearn
from compat_learn.estimators import model_fn as model_fn_lib
from compat_learn.estimators._sklearn import NotFittedError
from compat_learn.learn_io import data_feeder

__all__ = [
    "BaseEstimator",
    "Estimator",
    "GraphRewriteSpec",
    "SKCompat",
    "infer_real_valued_columns_from_input",
    "infer_real_valued_columns_from_input_fn",
]

logger = logging.getLogger(__name__)

_REPLACEMENT = "tf.estimator.Estimator with a model_fn returning tf.estimator.EstimatorSpec"

GraphRewriteSpec = collections.namedtuple("GraphRewriteSpec", ["tags", "transforms"])
_SERVING_TAG = "serve"
_DEFAULT_GRAPH_REWRITE_SPECS = (GraphRewriteSpec((_SERVING_TAG,), ()),)

MSG_GRAPH_REWRITE = ("`graph_rewrite_specs` beyond one untransformed ('serve',) "
                     "MetaGraphDef are not supported on TensorFlow 2.15 (r1.15 used the "
                     "removed graph_transforms tool); got %s. Pass the default, or "
                     "transform the exported SavedModel afterwards.")


def _verify_input_args(x, y, input_fn, feed_fn, batch_size):
    """r1.15 `_verify_input_args`: x/y and input_fn exclude each other."""
    if input_fn is None:
        if x is None:
            raise ValueError("Either x or input_fn must be provided.")
        if _tf.tf.is_tensor(x) or (y is not None and _tf.tf.is_tensor(y)):
            raise ValueError("Inputs cannot be tensors. Please provide input_fn.")
        if feed_fn is not None:
            raise ValueError("Can not provide both feed_fn and x or y.")
    else:
        if x is not None or y is not None:
            raise ValueError("Can not provide both input_fn and x or y.")
        if batch_size is not None:
            raise ValueError("Can not provide both input_fn and batch_size.")


def _get_input_fn(x, y, input_fn, feed_fn, batch_size, shuffle=False, epochs=1):
    """r1.15 `_get_input_fn`: (input_fn, feed_fn) for either kind of input.

    For `x`/`y` (arrays, dicts, pandas data or iterators), r1.15's data feeder:
    placeholders as the input_fn and a feed function for a ``FeedFnHook``.
    """
    _verify_input_args(x, y, input_fn, feed_fn, batch_size)
    if input_fn is not None:
        return input_fn, feed_fn
    feeder = data_feeder._train_data_feeder(x, y, n_classes=None, batch_size=batch_size,
                                            shuffle=shuffle, epochs=epochs)
    return feeder.input_builder, feeder.get_feed_dict_fn()


def infer_real_valued_columns_from_input_fn(input_fn):
    """One ``tf.contrib.layers.real_valued_column`` per feature `input_fn` returns (r1.15).

    Replaces ``tf.contrib.learn.infer_real_valued_columns_from_input_fn``: calls
    `input_fn` in a fresh graph and returns what
    ``tf.contrib.layers.infer_real_valued_columns`` makes of its features (one column per
    dict key, or one named ``""`` for a single tensor; the dimension is the product of
    the non-batch dimensions, the dtype the tensor's). Native TF2: declare
    ``tf.feature_column.numeric_column``s explicitly.

    Args:
      input_fn: returns ``(features, labels)``.

    Returns:
      A list of `_RealValuedColumn`.

    Raises:
      ValueError: for a `SparseTensor` or a feature that is neither float nor integer
        (r1.15's messages).
    """
    from compat_learn.layers import feature_column_ops

    _deprecation.warn_deprecated("tf.contrib.learn.infer_real_valued_columns_from_input_fn",
                                 "tf.feature_column.numeric_column, declared explicitly")
    with _tf.tf.Graph().as_default():
        features, _ = input_fn()
        return feature_column_ops.infer_real_valued_columns(features)


def infer_real_valued_columns_from_input(x):
    """`infer_real_valued_columns_from_input_fn` of r1.15's data feeder for `x`.

    Replaces ``tf.contrib.learn.infer_real_valued_columns_from_input``: `x` is what `fit`
    takes (an array, a dict of arrays, an iterator), fed as `fit` feeds it, so the
    columns have the feeder's dtypes (float64 stays float64). Native TF2: declare
    ``tf.feature_column.numeric_column``s explicitly.
    """
    _deprecation.warn_deprecated("tf.contrib.learn.infer_real_valued_columns_from_input",
                                 "tf.feature_column.numeric_column, declared explicitly")
    input_fn, _ = _get_input_fn(x=x, y=None, input_fn=None, feed_fn=None, batch_size=None)

    def _with_labels():
        result = input_fn()
        return result if isinstance(result, tuple) else (result, None)
    return infer_real_valued_columns_from_input_fn(_with_labels)


class BaseEstimator(_sklearn.BaseEstimator, evaluable.Evaluable, trainable.Trainable):
    """Abstract base of the contrib estimators: r1.15's fit/evaluate/predict API.

    Replaces ``tf.contrib.learn.BaseEstimator``. Native TF2: ``tf.estimator.Estimator``.
    Subclasses implement `_get_train_ops`, `_get_predict_ops` and `_get_eval_ops`
    (each returns a `ModelFnOps`); training, evaluation, prediction and export run
    in a wrapped ``tf.compat.v1.estimator.Estimator``.

    Args:
      model_dir: directory for checkpoints and summaries; if None, the config's,
        else a temporary directory (with a warning). Must agree with the config's.
      config: a `compat_learn.RunConfig` (default: ``RunConfig()``).

    Raises:
      ValueError: `model_dir` differs from ``config.model_dir`` (r1.15 message).
    """

    def __init__(self, model_dir=None, config=None):
        _deprecation.warn_deprecated("tf.contrib.learn." + type(self).__name__, _REPLACEMENT,
                                     stacklevel=3)
        if config is None:
            from compat_learn import run_config
            self._config = run_config.RunConfig()
            logger.info("Using default config.")
        else:
            self._config = config
        if self._config.session_config is None:
            # r1.15's fallback; the wrapped core estimator applies its own equivalent
            # default (allow_soft_placement=True) when the config has none.
            self._session_config = _tf.ConfigProto(allow_soft_placement=True)
        else:
            self._session_config = self._config.session_config
        self._config_session_config = self._session_config
        if (model_dir is not None and self._config.model_dir is not None
                and model_dir != self._config.model_dir):
            raise ValueError(
                "model_dir are set both in constructor and RunConfig, but with "
                f"different values. In constructor: '{model_dir}', in RunConfig: "
                f"'{self._config.model_dir}' ")
        self._model_dir = model_dir or self._config.model_dir
        if self._model_dir is None:
            self._model_dir = tempfile.mkdtemp()
            logger.warning("Using temporary folder as model directory: %s", self._model_dir)
        if self._config.model_dir is None:
            self._config = self._config.replace(model_dir=self._model_dir)
        self._features_info = None
        self._labels_info = None
        self._graph = None

    # ---------------------------------------------------------------- properties

    @property
    def config(self):
        """A deep copy of the RunConfig (r1.15: every access copies)."""
        return copy.deepcopy(self._config)

    @property
    def model_dir(self):
        return self._model_dir

    @property
    def model_fn(self):
        """``model_fn(features, labels, mode, config)`` returning a `ModelFnOps`."""
        def public_model_fn(features, labels, mode, config):
            return self._call_model_fn(features, labels, mode, config=config)
        return public_model_fn

    # ---------------------------------------------------------------- abstract ops

    @abc.abstractmethod
    def _get_train_ops(self, features, labels):
        """Builds the training graph; returns a `ModelFnOps`."""

    @abc.abstractmethod
    def _get_predict_ops(self, features):
        """Builds the inference graph; returns a `ModelFnOps`."""

    def _get_eval_ops(self, features, labels, metrics):
        """Builds the evaluation graph; returns a `ModelFnOps`."""
        raise NotImplementedError("_get_eval_ops not implemented in BaseEstimator")

    # ---------------------------------------------------------------- public API

    def fit(self, x=None, y=None, input_fn=None, steps=None, batch_size=None,
            monitors=None, max_steps=None):
        """Trains the model; see `Trainable.fit`. Returns self.

        Raises:
          ValueError: both `steps` and `max_steps`, or invalid input arguments
            (r1.15 messages).
        """
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        _verify_input_args(x, y, input_fn, None, batch_size)
        if x is not None:
            SKCompat._wrap(self).fit(x, y, batch_size, steps, max_steps, monitors)
            return self
        if max_steps is not None:
            try:
                start_step = _tf.tf.train.load_variable(self._resolve_checkpoint(None),
                                                        "global_step")
            except Exception:
                start_step = None
            if start_step is not None and max_steps <= start_step:
                logger.info("Skipping training since max_steps has already saved.")
                return self
        hooks = self._monitors_to_hooks(monitors)
        self._train_model(input_fn=input_fn, hooks=hooks, steps=steps, max_steps=max_steps)
        return self

    def partial_fit(self, x=None, y=None, input_fn=None, steps=1, batch_size=None,
                    monitors=None):
        """Incremental fit on a batch of samples (r1.15: `fit` with ``steps=1``)."""
        logger.warning("The current implementation of partial_fit is not optimized for use "
                       "in a loop. Consider using fit() instead.")
        return self.fit(x=x, y=y, input_fn=input_fn, steps=steps, batch_size=batch_size,
                        monitors=monitors)

    def evaluate(self, x=None, y=None, input_fn=None, feed_fn=None, batch_size=None,
                 steps=None, metrics=None, name=None, checkpoint_path=None, hooks=None,
                 log_progress=True):
        """Evaluates the latest (or the given) checkpoint; see `Evaluable.evaluate`.

        `log_progress` is accepted for r1.15 compatibility; TF 2.15 always logs.

        Returns:
          The metrics dict, with ``'global_step'``.

        Raises:
          NotFittedError: no checkpoint in `model_dir` (r1.15 message).
          ValueError: invalid input arguments, or `metrics` not None or a dict.
        """
        _verify_input_args(x, y, input_fn, feed_fn, batch_size)
        if x is not None:
            return SKCompat._wrap(self).score(x, y, batch_size, steps, metrics, name)
        if metrics is not None and not isinstance(metrics, dict):
            raise ValueError(f"Metrics argument should be None or dict. Got {metrics}.")
        eval_results, global_step = self._evaluate_model(
            input_fn=input_fn, feed_fn=feed_fn, steps=steps, metrics=metrics, name=name,
            checkpoint_path=checkpoint_path, hooks=hooks, log_progress=log_progress)
        if eval_results is not None:
            eval_results.update({"global_step": global_step})
        return eval_results

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None,
                as_iterable=True, iterate_batches=False):
        """Returns predictions: an iterable (default) or one batch.

        Args:
          x: numpy features; excludes `input_fn`.
          input_fn: returns features (or ``(features, labels)``).
          batch_size: with `x` only; None means all rows in one batch.
          outputs: keys of a predictions dict to return; None returns all.
          as_iterable: if True, yield per example (or per batch with
            `iterate_batches`); if False, return the first batch (with `x`, all
            batches concatenated, as `SKCompat.predict`).
          iterate_batches: yield whole batches.

        Raises:
          NotFittedError: no checkpoint in `model_dir` (r1.15 message).
          ValueError: invalid input arguments, or `outputs` that do not match.
        """
        _verify_input_args(x, None, input_fn, None, batch_size)
        if x is not None and not as_iterable:
            return SKCompat._wrap(self).predict(x, batch_size)
        input_fn, feed_fn = _get_input_fn(x, None, input_fn, None, batch_size)
        return self._infer_model(input_fn=input_fn, feed_fn=feed_fn, outputs=outputs,
                                 as_iterable=as_iterable, iterate_batches=iterate_batches)

    def get_variable_value(self, name):
        """Returns the value of variable `name` in the latest checkpoint (numpy).

        Raises:
          NotFittedError: no checkpoint (a ValueError with r1.15's message).
        """
        return _tf.tf.train.load_variable(self._checkpoint_to_read(), name)

    def get_variable_names(self):
        """Returns the names of all variables in the latest checkpoint.

        Raises:
          NotFittedError: no checkpoint (a ValueError with r1.15's message).
        """
        return [name for name, _ in _tf.tf.train.list_variables(self._checkpoint_to_read())]

    def _checkpoint_to_read(self):
        try:
            return self._resolve_checkpoint(None)
        except NotFittedError:
            # r1.15 contrib.framework load_checkpoint's ValueError (for a directory that
            # does not exist r1.15 failed in the checkpoint reader instead).
            raise NotFittedError("Couldn't find 'checkpoint' file or checkpoints in given "
                                 f"directory {self._model_dir}") from None

    def export(self, export_dir, *args, **kwargs):
        """r1.15's SessionBundle export (deprecated 2017) is not supported.

        Raises:
          NotImplementedError: always; use `export_savedmodel`.
        """
        raise NotImplementedError(
            "`export` wrote the SessionBundle format, which TensorFlow 2 cannot write; "
            "use `export_savedmodel(export_dir_base, serving_input_fn)` instead.")

    # ---------------------------------------------------------------- internals

    def _monitors_to_hooks(self, monitors):
        if not monitors:
            return []
        from compat_learn import (
            monitors as monitor_lib,  # written by another module owner
        )
        return list(monitor_lib.replace_monitors_with_hooks(monitors, self))

    def _latest_checkpoint(self):
        # Beyond r1.15: a directory moved from another machine (see _moveddir).
        moved = _moveddir.moved_checkpoint(self._model_dir)
        if moved:
            return moved
        if _globsafe.has_glob_chars(self._model_dir):
            # TF 2.15 finds checkpoints by glob; compat_learn's scanner does not.
            from compat_learn import checkpoints
            return checkpoints.latest_checkpoint(self._model_dir)
        return _tf.tf.train.latest_checkpoint(self._model_dir)

    def _resolve_checkpoint(self, checkpoint_path):
        """The checkpoint to use, or NotFittedError (TF 2.15 would use fresh variables)."""
        if not checkpoint_path:
            checkpoint_path = self._latest_checkpoint()
            if not checkpoint_path:
                raise NotFittedError(f"Couldn't find trained model at {self._model_dir}.")
        if _globsafe.has_glob_chars(checkpoint_path):
            checkpoint_path = _globsafe.alias_checkpoint(checkpoint_path)
        return checkpoint_path

    def _core_estimator(self, **options):
        """A core Estimator on this model_dir whose model_fn runs ours with `options`."""
        def core_model_fn(features, labels, mode, config):
            del config  # the contrib model_fn gets the contrib config (r1.15)
            return self._core_model_fn(features, labels, mode, **options)
        config = self._config
        if self._session_config is not self._config_session_config:
            # r1.15 ran every session with `_session_config`; a value set after
            # construction (a subclass, or the device filters of a cluster run) has to
            # reach the core estimator's sessions too.
            config = config.replace(session_config=self._session_config)
        return _tf.CoreEstimator(model_fn=core_model_fn, config=config)

    def _check_inputs(self, features, labels):
        """r1.15 `_check_inputs`: the first fit/evaluate inputs fix the later ones.

        The signatures live on this object only (r1.15 saved nothing), so a new
        estimator on a trained model_dir starts unrecorded.

        Raises:
          ValueError: `features` or `labels` incompatible with the recorded ones
            (r1.15 messages).
        """
        self._check_or_record("Features", features, "_features_info")
        if labels is not None:
            self._check_or_record("Labels", labels, "_labels_info")

    def _check_or_record(self, what, value, attr):
        info = getattr(self, attr)
        if info is None:
            setattr(self, attr, adapter.input_signatures(value))
            logger.debug("Setting %s info to %s.", what.lower(), getattr(self, attr))
        elif not adapter.inputs_compatible(value, info):
            raise ValueError(f"{what} are incompatible with given information. Given "
                             f"{what.lower()}: {value}, required signatures: {info}.")

    def _core_model_fn(self, features, labels, mode, metrics=None, outputs=None,
                       export_default_key=None, export_inputs=None, metric_names=None):
        contrib_mode = adapter.to_contrib_mode(mode)
        if contrib_mode == model_fn_lib.ModeKeys.TRAIN:
            self._check_inputs(features, labels)
            ops = self._get_train_ops(features, labels)
        elif contrib_mode == model_fn_lib.ModeKeys.EVAL:
            self._check_inputs(features, labels)
            ops = self._get_eval_ops(features, labels, metrics)
            if metric_names is not None:
                ops = self._rename_eval_metrics(ops, metric_names)
        elif export_inputs is not None:
            # r1.15 export_savedmodel called `_call_model_fn` with labels=None
            # (export exists on `Estimator` only).
            ops = self._call_model_fn(features, None, model_fn_lib.ModeKeys.INFER)
        else:
            ops = self._get_predict_ops(features)
        if isinstance(ops, _tf.EstimatorSpec):
            return ops
        if export_inputs is not None:
            export_outputs = adapter.export_outputs_for(ops, export_default_key, export_inputs)
            return adapter.to_core_spec(ops, mode, export_outputs=export_outputs)
        predictions = None
        if contrib_mode == model_fn_lib.ModeKeys.INFER:
            predictions = adapter.filter_predictions(ops.predictions, outputs)
        return adapter.to_core_spec(ops, mode, predictions=predictions)

    @staticmethod
    def _rename_eval_metrics(ops, metric_names):
        """`ops` with 'loss'/'global_step' metrics under names core accepts."""
        core_names = metric_names.record(ops.eval_metric_ops or {})
        if not core_names:
            return ops
        renamed = {core_names.get(name, name): value
                   for name, value in ops.eval_metric_ops.items()}
        return ops._replace(eval_metric_ops=renamed)

    def _train_model(self, input_fn, hooks, steps=None, max_steps=None):
        # r1.15 added StopAtStepHook(steps, max_steps); core train does the same, but
        # rejects steps <= 0, which r1.15's hook took unchecked and stopped after the
        # first step (its test is global_step + 1 >= start + steps).
        if steps is not None and steps <= 0:
            steps = 1
        _moveddir.restore_moved_paths(self._model_dir)
        self._core_estimator().train(input_fn=input_fn, hooks=hooks, steps=steps,
                                     max_steps=max_steps)

    def _evaluate_model(self, input_fn, steps, feed_fn=None, metrics=None, name="",
                        checkpoint_path=None, hooks=None, log_progress=True):
        del log_progress  # TF 2.15's evaluation hook always logs progress
        checkpoint_path = self._resolve_checkpoint(checkpoint_path)
        hooks = list(hooks) if hooks else []
        if feed_fn:
            hooks.append(_tf.tf.compat.v1.train.FeedFnHook(feed_fn))
        if steps == 0:
            # r1.15 then ran without a step limit; TF 2.15 rejects steps=0.
            logger.warning("evaluation steps are 0. If `input_fn` does not raise "
                           "`OutOfRangeError`, the evaluation will never stop. Use "
                           "steps=None if intended.")
            steps = None
        elif steps is not None and steps < 0:
            # r1.15's StopAfterNEvalsHook(steps) stopped after the first batch
            # (evals completed >= steps); TF 2.15 rejects steps < 0.
            steps = 1
        metric_names = adapter.CoreEvalMetricNames()
        results = self._core_estimator(metrics=metrics, metric_names=metric_names).evaluate(
            input_fn=input_fn, steps=steps, hooks=hooks, checkpoint_path=checkpoint_path,
            name=name or None)
        return metric_names.results(results)

    def _infer_model(self, input_fn, feed_fn=None, outputs=None, as_iterable=True,
                     iterate_batches=False):
        checkpoint_path = self._resolve_checkpoint(None)
        hooks = [_tf.tf.compat.v1.train.FeedFnHook(feed_fn)] if feed_fn else []
        hooks.append(adapter.StopOnConstantInputHook(has_feed_fn=feed_fn is not None))
        generator = self._core_estimator(outputs=outputs).predict(
            input_fn=input_fn, hooks=hooks, checkpoint_path=checkpoint_path,
            yield_single_examples=as_iterable and not iterate_batches)
        if not as_iterable:
            # r1.15: one run of the predictions, i.e. the first batch.
            with contextlib.closing(generator), _without_tf_warning(_MSG_YIELDS_FOREVER):
                return next(generator, None)
        # r1.15 built the graph before returning the iterator, so model_fn errors
        # surfaced at the predict() call; run to the first item to keep that.
        try:
            with _without_tf_warning(_MSG_YIELDS_FOREVER):
                first = next(generator)
        except StopIteration:
            return iter(())
        return itertools.chain([first], generator)


# TF 2.15's predict warns so for placeholder (data feeder) or constant inputs, which
# the hooks above stop as r1.15 did; r1.15 never said it.
_MSG_YIELDS_FOREVER = "That means predict yields forever."


class _DropMessage(logging.Filter):
    def __init__(self, text):
        super().__init__()
        self._text = text

    def filter(self, record):
        return self._text not in record.getMessage()


@contextlib.contextmanager
def _without_tf_warning(text):
    """Drops TensorFlow log records containing `text` while the block runs."""
    tf_logger = logging.getLogger("tensorflow")
    drop = _DropMessage(text)
    tf_logger.addFilter(drop)
    try:
        yield
    finally:
        tf_logger.removeFilter(drop)


def _identity_feature_engineering_fn(features, labels):
    return features, labels


class Estimator(BaseEstimator):
    """The contrib Estimator: trains, evaluates, predicts and exports a `model_fn`.

    Replaces ``tf.contrib.learn.Estimator``. Native TF2: ``tf.estimator.Estimator``.

    The model_fn is called as ``model_fn(features, labels, **kw)`` where ``mode``,
    ``params``, ``config`` and ``model_dir`` are passed only if it declares them,
    and returns a `ModelFnOps` or a ``(predictions, loss, train_op)`` tuple (a core
    ``EstimatorSpec`` is also accepted). ``mode`` is a contrib `ModeKeys` value.

    Args:
      model_fn: the model function.
      model_dir: directory for checkpoints and summaries.
      config: a `compat_learn.RunConfig`.
      params: dict of hyperparameters passed as ``params``.
      feature_engineering_fn: ``fn(features, labels) -> (features, labels)`` applied
        before the model_fn.

    Raises:
      ValueError: `params` given to a model_fn without a ``params`` argument.
    """

    def __init__(self, model_fn=None, model_dir=None, config=None, params=None,
                 feature_engineering_fn=None):
        super().__init__(model_dir=model_dir, config=config)
        if model_fn is not None:
            args = adapter.model_fn_args(model_fn)
            if params is not None and "params" not in args:
                raise ValueError(
                    f"Estimator's model_fn ({model_fn}) does not have a params argument, but "
                    f"params ({params}) were passed to the Estimator's constructor.")
            if params is None and "params" in args:
                logger.warning("Estimator's model_fn (%s) includes params argument, but "
                               "params are not passed to Estimator.", model_fn)
        self._model_fn = model_fn
        self.params = params
        self._feature_engineering_fn = (
            feature_engineering_fn or _identity_feature_engineering_fn)

    def _call_model_fn(self, features, labels, mode, metrics=None, config=None):
        """r1.15 `_call_model_fn`: feature engineering, call, metrics; a `ModelFnOps`."""
        features, labels = self._feature_engineering_fn(features, labels)
        ops = adapter.call_contrib_model_fn(
            self._model_fn, features, labels, mode,
            {"params": lambda: self.params,
             "config": lambda: config if config else self.config,
             "model_dir": lambda: self.model_dir})
        if metrics:
            extra = adapter.make_metrics_ops(metrics, features, labels, ops.predictions)
            if isinstance(ops, _tf.EstimatorSpec):
                merged = dict(ops.eval_metric_ops or {}, **extra)
                ops = _tf.EstimatorSpec(**dict(ops._asdict(), eval_metric_ops=merged))
            else:
                # r1.15: custom metrics overwrite the model_fn's.
                ops.eval_metric_ops.update(extra)
        return ops

    def _get_train_ops(self, features, labels):
        return self._call_model_fn(features, labels, model_fn_lib.ModeKeys.TRAIN)

    def _get_eval_ops(self, features, labels, metrics):
        # r1.15 also added a mean-loss 'loss' metric here when there was none;
        # tf.estimator adds it (see `_core_adapter.CoreEvalMetricNames`).
        return self._call_model_fn(features, labels, model_fn_lib.ModeKeys.EVAL, metrics)

    def _get_predict_ops(self, features):
        # r1.15: label placeholders like the labels of this object's first fit or
        # evaluate, so a model_fn building its loss in every mode still predicts;
        # None when there were none (or none yet: a new estimator that only predicts).
        labels = adapter.placeholders_for(self._labels_info)
        return self._call_model_fn(features, labels, model_fn_lib.ModeKeys.INFER)

    def export_savedmodel(self, export_dir_base, serving_input_fn,
                          default_output_alternative_key=None, assets_extra=None,
                          as_text=False, checkpoint_path=None,
                          graph_rewrite_specs=_DEFAULT_GRAPH_REWRITE_SPECS,
                          strip_default_attrs=False):
        """Exports the inference graph as a SavedModel under `export_dir_base`.

        Signatures follow r1.15: ``'default_input_alternative:<output
        alternative>'`` for each output alternative (a single
        ``default_output_alternative`` predict output when the model_fn gives none)
        plus ``serving_default``. A classification or regression output with one
        serving input makes a classify or regress signature, which takes serialized
        tf.Examples: that input must be a string Tensor (r1.15's ValueError
        otherwise); with several inputs the signature is a predict one. A failed
        export leaves nothing under `export_dir_base`.

        Args:
          export_dir_base: directory under which a ``<timestamp>`` export is made.
          serving_input_fn: returns an `InputFnOps` (or a core
            ``ServingInputReceiver``).
          default_output_alternative_key: the output alternative served by default;
            needed with several.
          assets_extra: dict of destination (relative to ``assets.extra``) to source.
          as_text: write the SavedModel proto as text.
          checkpoint_path: the checkpoint to export; default the latest.
          graph_rewrite_specs: only the default single untransformed ``serve``
            MetaGraphDef is supported.
          strip_default_attrs: strip default-valued attributes from the NodeDefs.

        Returns:
          The export directory, as bytes.

        Raises:
          ValueError: no `serving_input_fn`, output alternatives that do not match
            `default_output_alternative_key`, or one non-string serving input for a
            classify or regress signature (r1.15 messages).
          NotFittedError: no checkpoint.
          NotImplementedError: other `graph_rewrite_specs`.
        """
        if serving_input_fn is None:
            raise ValueError("serving_input_fn must be defined.")
        specs = list(graph_rewrite_specs or ())
        if not specs or specs[0].transforms:
            raise ValueError("The first element of graph_rewrite_specs must specify no "
                             "transforms.")
        if len(specs) > 1 or set(specs[0].tags) != {_SERVING_TAG}:
            raise NotImplementedError(MSG_GRAPH_REWRITE % (graph_rewrite_specs,))
        checkpoint_path = self._resolve_checkpoint(checkpoint_path)
        inputs = {}

        def receiver_fn():
            receiver = adapter.serving_receiver(serving_input_fn())
            tensors = receiver.receiver_tensors
            inputs.update(tensors if isinstance(tensors, dict) else {"input": tensors})
            return receiver

        core = self._core_estimator(export_default_key=default_output_alternative_key,
                                    export_inputs=inputs)
        return adapter.export_savedmodel(
            core, export_dir_base, receiver_fn, assets_extra=assets_extra, as_text=as_text,
            checkpoint_path=checkpoint_path, strip_default_attrs=strip_default_attrs)


class SKCompat(_sklearn.BaseEstimator):
    """scikit-learn style ``fit(x, y)``/``score``/``predict`` around an `Estimator`.

    Replaces ``tf.contrib.learn.SKCompat``. Native TF2: ``tf.estimator`` with a
    ``tf.data`` input_fn built from the arrays (or Keras ``Model.fit``).

    Args:
      estimator: a contrib `Estimator`.
    """

    def __init__(self, estimator):
        _deprecation.warn_deprecated("tf.contrib.learn.SKCompat",
                                     "tf.estimator.Estimator with a tf.data input_fn")
        self._estimator = estimator

    @classmethod
    def _wrap(cls, estimator):
        # Internal use by Estimator.fit/evaluate/predict with x=: no second warning.
        obj = cls.__new__(cls)
        obj._estimator = estimator
        return obj

    def fit(self, x, y, batch_size=128, steps=None, max_steps=None, monitors=None):
        """Trains on numpy `x`, `y`, shuffled and repeated (r1.15). Returns self."""
        input_fn, feed_fn = _get_input_fn(x, y, input_fn=None, feed_fn=None,
                                          batch_size=batch_size, shuffle=True, epochs=None)
        all_monitors = [_tf.tf.compat.v1.train.FeedFnHook(feed_fn)] if feed_fn else []
        if monitors:
            all_monitors.extend(monitors)
        self._estimator.fit(input_fn=input_fn, steps=steps, max_steps=max_steps,
                            monitors=all_monitors)
        return self

    def score(self, x, y, batch_size=128, steps=None, metrics=None, name=None):
        """Evaluates one pass over numpy `x`, `y`; the metrics with ``global_step``."""
        input_fn, feed_fn = _get_input_fn(x, y, input_fn=None, feed_fn=None,
                                          batch_size=batch_size, shuffle=False, epochs=1)
        if metrics is not None and not isinstance(metrics, dict):
            raise ValueError(f"Metrics argument should be None or dict. Got {metrics}.")
        eval_results, global_step = self._estimator._evaluate_model(
            input_fn=input_fn, feed_fn=feed_fn, steps=steps, metrics=metrics, name=name)
        if eval_results is not None:
            eval_results.update({"global_step": global_step})
        return eval_results

    def predict(self, x, batch_size=128, outputs=None):
        """Predicts numpy `x`; an ndarray, or a dict of ndarrays for dict predictions."""
        input_fn, feed_fn = _get_input_fn(x, None, input_fn=None, feed_fn=None,
                                          batch_size=batch_size, shuffle=False, epochs=1)
        results = list(self._estimator._infer_model(
            input_fn=input_fn, feed_fn=feed_fn, outputs=outputs, as_iterable=True,
            iterate_batches=True))
        if not isinstance(results[0], dict):
            return np.concatenate(results, axis=0)
        return {key: np.concatenate([batch[key] for batch in results], axis=0)
                for key in results[0]}
