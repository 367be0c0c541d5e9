"""`tf.contrib.learn.Experiment` on TensorFlow 2.15's `tf.estimator`.

Replaces ``tensorflow.contrib.learn.python.learn.experiment.Experiment`` (r1.15) with
the same constructor, schedules, directories, return values and error messages.
Native TF2 replacement: ``tf.estimator.train_and_evaluate`` with ``TrainSpec`` and
``EvalSpec`` (which evaluates on a time basis, exports through ``Exporter``s and
returns nothing useful in distributed mode; see the README for the differences).

Where r1.15 and its own tests disagree, this module follows r1.15's code; each such
place says so in a comment.
"""

import contextlib
import functools
import logging
import math
import numbers
import os
import time

from compat_learn import (
    _cluster,
    _globsafe,
    _moveddir,
    _pinning,
    _tf,
    checkpoints,
    evaluable,
    export_strategy,
    monitors,
    run_config,
    trainable,
)
from compat_learn._deprecation import warn_deprecated

__all__ = ["Experiment"]

_log = logging.getLogger(__name__)

# The key r1.15 reads from an eval result (ops.GraphKeys.GLOBAL_STEP).
_GLOBAL_STEP_KEY = "global_step"

# r1.15 logs "no checkpoint" warnings at most this often (experiment.py, _continuous_eval).
_WARNING_INTERVAL_SECS = 600

# Opt-in, beyond r1.15: evaluate every checkpoint kept in the state file, oldest first,
# instead of skipping to the latest. Also settable per call (continuous_eval argument).
EVAL_ALL_CHECKPOINTS_ENV = "COMPAT_LEARN_EVAL_ALL_CHECKPOINTS"

# r1.15 experiment.py L248-254 (a warning only; the Experiment is still built).
_TPU_ESTIMATOR_WARNING = (
    "`Experiment` class cannot work with `tf.contrib.tpu.TPUEstimator`. "
    "Please call `TPUEstimator` train/evaluate directly. \n"
    "Details: `Experiment` class is designed for between-graph "
    "distributed training, while `TPUEstimator` is working in in-graph "
    "distributed mode. Use with care.")

_EXPORT_STRATEGIES_MESSAGE = ("`export_strategies` must be an ExportStrategy, an iterable of "
                              "ExportStrategy, or `None`, found %s.")


def _not_an_export_strategy(value):
    """r1.15's error for a non-ExportStrategy element `value` of export_strategies.

    r1.15 formatted with ``% value``: a 1-tuple element gave ValueError naming its
    item, any other tuple a TypeError from the formatting. The types are kept (code
    may catch them); the TypeError gets a message that says what was wrong.
    """
    if not isinstance(value, tuple):
        return ValueError(_EXPORT_STRATEGIES_MESSAGE % (value,))
    if len(value) == 1:
        return ValueError(_EXPORT_STRATEGIES_MESSAGE % value)
    return TypeError(_EXPORT_STRATEGIES_MESSAGE % (repr(value),))


# TensorFlow's message (tensorflow_estimator estimator.py _check_listeners_type).
_SAVING_LISTENERS_MESSAGE = "saving_listeners must be a list of CheckpointSaverListener, given: {}"


def _hook_list(name, value, expected):
    """The list kept for `train_monitors` or `eval_hooks` (r1.15: ``value[:]``).

    r1.15's copy failed with a bare TypeError ("'int' object is not subscriptable")
    for a value that cannot be sliced; a tuple it kept as a tuple, on which `train`
    later failed to append, so it becomes a list.
    """
    if not value:
        return []
    if isinstance(value, tuple):
        return list(value)
    try:
        return value[:]
    except TypeError:
        raise TypeError(f"`{name}` must be a list of {expected}, or None; got {value!r} "
                        f"of type {type(value).__name__}.") from None


def _iterable(value):
    # iter(), not collections.abc.Iterable: `for` and list() also take old-style
    # sequences (__getitem__ only), and so did r1.15.
    try:
        iter(value)
    except TypeError:
        return False
    return True


def _check_secs(name, value, none_ok=True, negative_ok=False):
    """Beyond r1.15, checked when a schedule starts: a delay it would use.

    r1.15 failed on such values with a bare TypeError from a comparison or
    time.sleep, or time.sleep's ValueError for a negative one, possibly after an
    evaluation had been written (the throttle); `train` took a negative delay as 0.
    """
    if value is None and none_ok:
        return
    if not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number of seconds (an int or a float)"
                        f"{', or None' if none_ok else ''}; got {value!r} of type "
                        f"{type(value).__name__}.")
    if not negative_ok and not value >= 0:
        raise ValueError(f"`{name}` must be a number of seconds >= 0, got {value!r}.")


def _trains_in_tensorflow(estimator):
    """True if `estimator`'s train (or contrib fit) is TensorFlow's or compat_learn's own.

    Only then are `train_steps` and `saving_listeners` checked before a schedule runs:
    the real method would reject a bad one anyway (late, with a bare TypeError),
    while a test double may take anything (r1.15's own tests passed the strings
    'train_steps' and 'saving_listeners' as sentinels).
    """
    cls = type(estimator)
    if isinstance(estimator, _tf.CoreEstimator):
        return getattr(cls, "train", None) is _tf.CoreEstimator.train
    from compat_learn.estimators import estimator as contrib_estimator

    return getattr(cls, "fit", None) is contrib_estimator.BaseEstimator.fit


def _check_train_steps(estimator, train_steps):
    if (train_steps is not None and not isinstance(train_steps, numbers.Real)
            and _trains_in_tensorflow(estimator)):
        raise TypeError(f"`train_steps` must be a number of steps (an int), or None to "
                        f"train forever; got {train_steps!r} of type "
                        f"{type(train_steps).__name__}.")


def _check_saving_listeners(estimator, saving_listeners):
    # TensorFlow takes list(saving_listeners or []); a one-shot iterable is left to it.
    if not saving_listeners or not _trains_in_tensorflow(estimator):
        return
    if isinstance(saving_listeners, (list, tuple)):
        bad = [listener for listener in saving_listeners
               if not isinstance(listener, _tf.CheckpointSaverListener)]
    elif _iterable(saving_listeners):
        bad = []
    else:
        bad = [saving_listeners]
    if bad:
        raise TypeError(_SAVING_LISTENERS_MESSAGE.format(bad[0]))


def _get_standardized_predicate_fn(predicate_fn):
    """r1.15: the 2-argument form is recognised by the argument *name* checkpoint_path."""
    if "checkpoint_path" in _tf.function_utils.fn_args(predicate_fn):
        return predicate_fn

    def _pred_fn_wrapper(eval_results, checkpoint_path):
        del checkpoint_path
        return predicate_fn(eval_results)

    return _pred_fn_wrapper


def _check_predicate(predicate_fn):
    if predicate_fn is None:
        return None
    if not callable(predicate_fn):
        raise ValueError("`continuous_eval_predicate_fn` must be a callable, or None.")
    return _get_standardized_predicate_fn(predicate_fn)


def _check_model_dir(model_dir):
    """Raises ValueError for a local model_dir that cannot be made.

    Called first by every schedule that writes to model_dir (not by run_std_server,
    nor by `train` on a non-chief worker: they write nothing there). Beyond r1.15, where TensorFlow failed only when
    the first checkpoint or summary was written, after delays, input_fn and model_fn,
    with an error that does not name model_dir.
    Nothing is created here: the nearest existing ancestor must be a writable
    directory. Remote (``scheme://``) paths are left to TensorFlow.
    """
    if not model_dir or not isinstance(model_dir, (str, bytes, os.PathLike)):
        return  # e.g. a mock estimator's attribute
    path = os.path.abspath(os.fsdecode(model_dir))
    if "://" in os.fsdecode(model_dir):
        return
    existing = path
    while not os.path.exists(existing):
        parent = os.path.dirname(existing)
        if parent == existing:
            return
        existing = parent
    if not os.path.isdir(existing):
        problem = f"{existing!r} is a file, not a directory"
    elif not os.access(existing, os.W_OK | os.X_OK):
        problem = f"directory {existing!r} is not writable by this process"
    else:
        return
    what = "used" if existing == path else "created"
    raise ValueError(
        f"The estimator's `model_dir` {os.fsdecode(model_dir)!r} cannot be {what}: "
        f"{problem}. Choose another model_dir (RunConfig(model_dir=...) or the "
        f"estimator's model_dir argument) or fix the path.")


def _flag_from_env(name):
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


@contextlib.contextmanager
def _new_attr_context(obj, attr):
    """Saves and restores `obj.attr` around a block (r1.15 experiment.py)."""
    saved = getattr(obj, attr)
    try:
        yield
    finally:
        setattr(obj, attr, saved)


class _EvalAndExportListener(_tf.CheckpointSaverListener):
    """Evaluates and exports after each checkpoint save (checkpoint_and_export=True).

    Mirrors r1.15's private listener of the same name: it re-reads the latest
    checkpoint after every save, skips one it has already handled, evaluates it under
    the name "intermediate_export" and exports it, and keeps the last results.
    """

    def __init__(self, eval_fn, export_fn, model_dir):
        self._eval_fn = eval_fn
        self._export_fn = export_fn
        self._model_dir = model_dir
        self._latest_path = None
        self._eval_result = None
        self._export_results = None

    def after_save(self, session, global_step_value):
        del session
        latest_path = checkpoints.latest_checkpoint(self._model_dir)
        if not latest_path:
            _log.warning("Skipping evaluation and export since model has not been saved yet "
                         "(global step %s).", global_step_value)
        elif latest_path == self._latest_path:
            _log.warning("Skipping evaluation due to same latest checkpoint %s.", latest_path)
        else:
            self._latest_path = latest_path
            self._eval_result = self._eval_fn(name="intermediate_export",
                                              checkpoint_path=latest_path)
            self._export_results = self._export_fn(self._eval_result,
                                                   checkpoint_path=latest_path)

    @property
    def eval_result(self):
        return self._eval_result

    @property
    def export_results(self):
        return self._export_results


class Experiment:
    """Experiment is a class containing all information needed to train a model.

    Replaces ``tf.contrib.learn.Experiment`` (r1.15). Native TF2 replacement:
    ``tf.estimator.train_and_evaluate(estimator, TrainSpec, EvalSpec)``.

    After an experiment is created (by passing an Estimator and inputs for training
    and evaluation), an Experiment instance knows how to invoke training and eval
    loops in a sensible fashion for distributed training: a schedule such as
    ``train_and_evaluate`` or ``continuous_eval`` is a method of this class, and
    ``learn_runner.run`` picks one from the cluster configuration.

    Args:
      estimator: Object implementing the Estimator interface: a
        ``tf.estimator.Estimator`` (or its ``tf.compat.v1`` twin), or a contrib-style
        estimator that is both a ``Trainable`` and an ``Evaluable``.
      train_input_fn: function, returns features and labels for training.
      eval_input_fn: function, returns features and labels for evaluation. If
        `eval_steps` is None, this should be configured to produce only a finite
        number of batches (generally, 1 epoch over the evaluation data).
      eval_metrics: dict of string, metric function. Must be None for a
        ``tf.estimator.Estimator``.
      train_steps: Perform this many steps of training. None means train forever.
      eval_steps: evaluate runs until input is exhausted, or for `eval_steps` steps.
      train_monitors: A list of monitors (or hooks) to pass to the training call.
      eval_hooks: A list of `SessionRunHook` hooks to pass to evaluation.
      local_eval_frequency: (local_run only) frequency of running eval in steps; None
        evaluates only at the end of training.
      eval_delay_secs: Start evaluating after waiting for this many seconds.
      continuous_eval_throttle_secs: Do not re-evaluate unless the last evaluation
        was started at least this many seconds ago (continuous_eval).
      min_eval_frequency: (train_and_evaluate only) the minimum number of steps
        between evaluations; evaluation happens only when a new checkpoint exists.
        0 evaluates only after training; None means 1.
      delay_workers_by_global_step: if True, delays training workers based on global
        step instead of time.
      export_strategies: an `ExportStrategy`, an iterable of them, or None.
      train_steps_per_iteration: (continuous_train_and_eval only) train steps per
        training-evaluation iteration; None picks a default.
      checkpoint_and_export: (train_and_evaluate only) if True, evaluate and export at
        every checkpoint save instead of through `min_eval_frequency`.
      saving_listeners: list of `CheckpointSaverListener` objects, for a
        ``tf.estimator.Estimator`` only.
      check_interval_secs: minimum time between checks for a new checkpoint during
        training.

    Raises:
      ValueError: if `estimator` does not implement the Estimator interface, or if
        `export_strategies` has the wrong type.
      TypeError: if `export_strategies` is not iterable, or `train_monitors` or
        `eval_hooks` is not a list.
    """

    def __init__(self,
                 estimator,
                 train_input_fn,
                 eval_input_fn,
                 eval_metrics=None,
                 train_steps=None,
                 eval_steps=100,
                 train_monitors=None,
                 eval_hooks=None,
                 local_eval_frequency=None,
                 eval_delay_secs=120,
                 continuous_eval_throttle_secs=60,
                 min_eval_frequency=None,
                 delay_workers_by_global_step=False,
                 export_strategies=None,
                 train_steps_per_iteration=None,
                 checkpoint_and_export=False,
                 saving_listeners=None,
                 check_interval_secs=5):
        warn_deprecated("tf.contrib.learn.Experiment",
                        "tf.estimator.train_and_evaluate with tf.estimator.TrainSpec and "
                        "tf.estimator.EvalSpec")
        # r1.15 experiment.py: the estimator kind is decided once, by real class
        # membership (no duck typing), before anything else is validated.
        if isinstance(estimator, _tf.CoreEstimator):
            self._core_estimator_used = True
            if eval_metrics is not None:
                raise ValueError(
                    "`eval_metrics` must be `None` with `tf.estimator.Estimator`. "
                    "Use `eval_metric_ops` in `tf.estimator.EstimatorSpec` instead.")
        else:
            self._core_estimator_used = False
            if not isinstance(estimator, evaluable.Evaluable):
                raise ValueError(
                    "`estimator` must implement `tf.contrib.learn.Evaluable` "
                    "or `tf.estimator.Estimator`.")
            if not isinstance(estimator, trainable.Trainable):
                # r1.15's text, including its missing space and stray backtick.
                raise ValueError(
                    "`estimator` must implement `tf.contrib.learn.Trainable`"
                    "or `tf.estimator.`Estimator`.")
            if saving_listeners is not None:
                raise ValueError("`saving_listeners` must be `None` with "
                                 "`tf.contrib.learn.Estimator`.")
        if isinstance(estimator, _tf.TPUEstimator):
            _log.warning(_TPU_ESTIMATOR_WARNING)

        super().__init__()  # r1.15: cooperative, so mixins are initialised
        self._estimator = estimator
        self._train_input_fn = train_input_fn
        self._eval_input_fn = eval_input_fn
        self._eval_metrics = eval_metrics
        self._train_steps = train_steps
        self._eval_steps = eval_steps
        self._local_eval_frequency = local_eval_frequency
        self._eval_delay_secs = eval_delay_secs
        self._continuous_eval_throttle_secs = continuous_eval_throttle_secs
        self._checkpoint_and_export = checkpoint_and_export
        self._saving_listeners = saving_listeners
        # r1.15: None means 1 (r1.3's gs:// default of 1000 was replaced by
        # check_interval_secs throttling inside ValidationMonitor); 0 is kept.
        self._min_eval_frequency = min_eval_frequency if min_eval_frequency is not None else 1
        self._check_interval_secs = check_interval_secs
        self._delay_workers_by_global_step = delay_workers_by_global_step
        # Shallow copies: the caller's lists are never mutated.
        self._train_monitors = _hook_list("train_monitors", train_monitors,
                                          "monitors or SessionRunHooks")
        self._eval_hooks = _hook_list("eval_hooks", eval_hooks, "SessionRunHooks")
        self._set_export_strategies(export_strategies)

        self._train_steps_per_iteration = train_steps_per_iteration
        if (self._train_steps_per_iteration is not None
                and not isinstance(self._train_steps_per_iteration, int)):
            raise ValueError("`train_steps_per_iteration` must be an integer.")
        self._watcher = None

    @property
    def estimator(self):
        return self._estimator

    @property
    def eval_metrics(self):
        return self._eval_metrics

    @property
    def train_steps(self):
        return self._train_steps

    @property
    def eval_steps(self):
        return self._eval_steps

    def _set_export_strategies(self, values):
        strategies = []
        if values:
            if isinstance(values, export_strategy.ExportStrategy):
                strategies.append(values)
            else:
                if not _iterable(values):
                    # r1.15: a bare "'int' object is not iterable" TypeError; the type
                    # is kept, with r1.15's own message for a wrong export strategy.
                    raise TypeError(_EXPORT_STRATEGIES_MESSAGE % (values,))
                # A plain string is iterated and fails on its first character, as in r1.15.
                for value in values:
                    if not isinstance(value, export_strategy.ExportStrategy):
                        raise _not_an_export_strategy(value)
                    strategies.append(value)
        self._export_strategies = tuple(strategies)

    def extend_train_hooks(self, additional_hooks):
        """Extends the hooks for training."""
        self._train_monitors.extend(additional_hooks)

    def reset_export_strategies(self, new_export_strategies=None):
        """Resets the export strategies with the `new_export_strategies`.

        Args:
          new_export_strategies: A new list of `ExportStrategy`s, or a single one, or
            None.

        Returns:
          The old export strategies, as a tuple.
        """
        old_export_strategies = self._export_strategies
        self._set_export_strategies(new_export_strategies)
        return old_export_strategies

    # ------------------------------------------------------------------ schedules

    def train(self, delay_secs=None):
        """Fits the estimator using the training data.

        Trains for `train_steps` steps (forever if None), after waiting `delay_secs`
        seconds. With `delay_secs=None` a worker waits ``min(60, 5 * task_id)``
        seconds, or, with `delay_workers_by_global_step`, until the global step
        reaches ``int(8000 * ln(task_id + 1))``.

        Args:
          delay_secs: Start training after this many seconds.

        Returns:
          The trained estimator (what its `train` or `fit` returns).

        Raises:
          TypeError: `delay_secs` is not a number, or, for a TensorFlow estimator,
            `train_steps` or `saving_listeners` has the wrong type.
          ValueError: `delay_secs` is negative.
        """
        _check_secs("delay_secs", delay_secs)
        _check_train_steps(self._estimator, self._train_steps)
        _check_saving_listeners(self._estimator, self._saving_listeners)
        start = time.time()
        config = self._estimator.config
        if getattr(config, "is_chief", True) is not False:
            # A non-chief worker writes nothing to model_dir (the chief saves).
            _check_model_dir(self._estimator.model_dir)
        server = None
        if isinstance(config, run_config.RunConfig):
            # Extension (compat_learn._cluster.is_tf2_layout): a TF2 cluster, one with
            # a `chief` job and no environment, runs as r1.15's 'cloud' did.
            tf2_layout = _cluster.is_tf2_layout(config)
            if (config.cluster_spec and config.master and not tf2_layout
                    and config.environment == run_config.Environment.LOCAL):
                _log.warning("ClusterSpec and master are provided, but environment is set to "
                             "'local'. Set environment to 'cloud' if you intend to use the "
                             "distributed runtime.")
            if ((tf2_layout or config.environment not in (run_config.Environment.LOCAL,
                                                          run_config.Environment.GOOGLE))
                    and config.cluster_spec and config.master):
                server = self._start_server()
        elif config.cluster_spec and config.master:
            raise ValueError(
                "For distributed runtime, Experiment class only works with "
                f"tf.contrib.learn.RunConfig for now, but provided {type(config)}")

        extra_hooks = []
        if delay_secs is None:
            task_id = self._estimator.config.task_id or 0
            if self._delay_workers_by_global_step:
                extra_hooks.append(
                    _tf.GlobalStepWaiterHook(int(8000.0 * math.log(task_id + 1))))
                delay_secs = 0
            else:
                delay_secs = min(60, task_id * 5)

        if delay_secs > 0:
            remaining = delay_secs - (time.time() - start)
            _log.info("Waiting %d secs before starting training.", remaining)
            # r1.15 logs the remaining time but sleeps the full delay.
            time.sleep(delay_secs)

        # Beyond r1.15, on a cluster only: bounded waits and a lost-ps watchdog
        # instead of TF 2.15's silent hangs (compat_learn._cluster, docs/distributed.md).
        with _cluster.distributed_training(self._estimator, config,
                                           server_started=server is not None) as cluster_hooks:
            return self._call_train(input_fn=self._train_input_fn,
                                    max_steps=self._train_steps,
                                    hooks=self._train_monitors + extra_hooks + cluster_hooks,
                                    saving_listeners=self._saving_listeners)

    def evaluate(self, delay_secs=None, name=None):
        """Evaluates on the evaluation data and returns the result.

        Runs `eval_steps` steps (until the input is exhausted if None) after waiting
        `delay_secs` seconds (`eval_delay_secs` if None). Summaries go to
        ``eval_one_pass/`` unless `name` is given.

        Args:
          delay_secs: Start evaluating after this many seconds.
          name: Name of the evaluation, for several evaluations of one experiment.

        Returns:
          The result of the estimator's `evaluate` call.

        Raises:
          TypeError, ValueError: the delay in effect is not a number >= 0.
        """
        self._check_eval_delays(delay_secs)
        _check_model_dir(self._estimator.model_dir)
        if delay_secs is None:
            delay_secs = self._eval_delay_secs
        if delay_secs:
            _log.info("Waiting %d secs before starting eval.", delay_secs)
            time.sleep(delay_secs)
        return self._call_evaluate(input_fn=self._eval_input_fn,
                                   steps=self._eval_steps,
                                   metrics=self._eval_metrics,
                                   name=(name or "one_pass"),
                                   hooks=self._eval_hooks)

    def local_run(self):
        """Deprecated r1.15 alias: `train_and_evaluate` with `local_eval_frequency`."""
        warn_deprecated("tf.contrib.learn.Experiment.local_run",
                        "tf.estimator.train_and_evaluate")
        with _new_attr_context(self, "_min_eval_frequency"):
            self._min_eval_frequency = self._local_eval_frequency
            return self.train_and_evaluate()

    def continuous_eval(self, delay_secs=None, throttle_delay_secs=None,
                        evaluate_checkpoint_only_once=True,
                        continuous_eval_predicate_fn=None, name="continuous",
                        evaluate_all_checkpoints=None):
        """Evaluates new checkpoints as they appear, until training is done.

        Waits `delay_secs`, then evaluates the latest checkpoint at most once per
        `throttle_delay_secs`. Stops when an evaluated checkpoint's global step
        reaches `train_steps`, or when the predicate returns False. Summaries go to
        ``eval_<name>/``; exports run after every evaluation.

        Args:
          delay_secs: Start evaluating after this many seconds (`eval_delay_secs`
            if None).
          throttle_delay_secs: minimum seconds per iteration
            (`continuous_eval_throttle_secs` if None).
          evaluate_checkpoint_only_once: skip checkpoints already evaluated.
          continuous_eval_predicate_fn: ``(eval_results) -> bool`` or
            ``(eval_results, checkpoint_path) -> bool``, called before each
            iteration (first with None); evaluation stops when it returns False.
          name: appended to the evaluation directory name.
          evaluate_all_checkpoints: beyond r1.15, off by default: evaluate every
            checkpoint kept in the state file, oldest first, instead of skipping to
            the latest. None reads the COMPAT_LEARN_EVAL_ALL_CHECKPOINTS variable.

        Returns:
          None.

        Raises:
          ValueError: if `continuous_eval_predicate_fn` is neither None nor callable,
            or the delay in effect is negative.
          TypeError: if a delay in effect is not a number or, for a TensorFlow
            estimator, `train_steps` is not one.
        """
        self._check_eval_delays(delay_secs, throttle_delay_secs)
        # Compared with each result's global step (a TensorFlow estimator's has one).
        _check_train_steps(self._estimator, self._train_steps)
        # Only when given: subclasses overriding _continuous_eval with r1.15's
        # signature keep working (None is resolved from the environment inside).
        extra = ({} if evaluate_all_checkpoints is None
                 else {"evaluate_all_checkpoints": evaluate_all_checkpoints})
        return self._continuous_eval(
            self._eval_input_fn, name=name, delay_secs=delay_secs,
            throttle_delay_secs=throttle_delay_secs,
            evaluate_checkpoint_only_once=evaluate_checkpoint_only_once,
            continuous_eval_predicate_fn=continuous_eval_predicate_fn, **extra)

    def continuous_eval_on_train_data(self, delay_secs=None, throttle_delay_secs=None,
                                      continuous_eval_predicate_fn=None,
                                      name="continuous_on_train_data"):
        """Like `continuous_eval`, on the training input, and without exports (r1.15)."""
        self._check_eval_delays(delay_secs, throttle_delay_secs)
        _check_train_steps(self._estimator, self._train_steps)
        return self._continuous_eval(
            self._train_input_fn, name=name, delay_secs=delay_secs,
            throttle_delay_secs=throttle_delay_secs,
            continuous_eval_predicate_fn=continuous_eval_predicate_fn,
            export=False)

    def _check_eval_delays(self, delay_secs, throttle_delay_secs=0):
        """Checks the delays an evaluation schedule will use (see `_check_secs`)."""
        if delay_secs is None:
            _check_secs("eval_delay_secs", self._eval_delay_secs)
        else:
            _check_secs("delay_secs", delay_secs)
        if throttle_delay_secs is None:
            _check_secs("continuous_eval_throttle_secs", self._continuous_eval_throttle_secs,
                        none_ok=False, negative_ok=True)
        else:
            # r1.15 took a negative throttle as none; only its type is checked.
            _check_secs("throttle_delay_secs", throttle_delay_secs, none_ok=False,
                        negative_ok=True)

    def _checkpoint_watcher(self):
        model_dir = self._estimator.model_dir
        if self._watcher is None or self._watcher_dir != model_dir:
            self._watcher = checkpoints.CheckpointWatcher(model_dir)
            self._watcher_dir = model_dir
        return self._watcher

    def _continuous_eval(self, input_fn, name, delay_secs, throttle_delay_secs,
                         evaluate_checkpoint_only_once=True,
                         continuous_eval_predicate_fn=None, export=True,
                         evaluate_all_checkpoints=None):
        """The loop behind continuous_eval (r1.15 experiment.py _continuous_eval)."""
        predicate_fn = _check_predicate(continuous_eval_predicate_fn)
        _check_model_dir(self._estimator.model_dir)
        if evaluate_all_checkpoints is None:
            evaluate_all_checkpoints = _flag_from_env(EVAL_ALL_CHECKPOINTS_ENV)
        if delay_secs is None:
            delay_secs = self._eval_delay_secs
        if throttle_delay_secs is None:
            throttle_delay_secs = self._continuous_eval_throttle_secs
        if delay_secs:
            _log.info("Waiting %f secs before starting eval.", delay_secs)
            time.sleep(delay_secs)

        watcher = self._checkpoint_watcher()
        if evaluate_all_checkpoints:
            watcher.reset()  # each call starts from the oldest kept checkpoint again
        # Beyond r1.15: on a cluster, a lost ps ends the wait (no checkpoint can come).
        cluster_watch = _cluster.EvaluatorWatch.for_config(self._estimator.config)
        pending = []  # evaluate_all_checkpoints: kept checkpoints not yet evaluated
        previous_path = None
        eval_result = None
        last_warning_time = 0
        # r1.15: the predicate runs first, at the top of every iteration (the first
        # time with eval_result=None), and only then the stop check. It receives the
        # last *evaluated* path even after an iteration that reset eval_result to {}
        # (r1.15's own test_continuous_eval_predicate_fn_with_checkpoint assumes
        # otherwise; we follow the code).
        while not predicate_fn or predicate_fn(eval_result, checkpoint_path=previous_path):
            if self._has_training_stopped(eval_result):
                _log.info("Exiting continuous eval, global_step=%s >= train_step=%s",
                          eval_result[_GLOBAL_STEP_KEY], self._train_steps)
                return
            start = time.time()
            error_msg = None
            if cluster_watch is not None:
                cluster_watch.probe()
            if evaluate_all_checkpoints:
                if not pending:
                    # Beyond r1.15: also a model_dir moved from another machine.
                    pending.extend(watcher.poll_all() or _moveddir.moved_checkpoints(
                        self._estimator.model_dir, after=previous_path))
                latest_path = pending.pop(0) if pending else previous_path
            else:
                # Beyond r1.15: also a model_dir moved from another machine (_moveddir).
                latest_path = watcher.latest() or _moveddir.moved_checkpoint(
                    self._estimator.model_dir)
            if not latest_path:
                error_msg = ("Estimator is not fitted yet. "
                             "Will start an evaluation when a checkpoint is ready.")
            elif evaluate_checkpoint_only_once and latest_path == previous_path:
                error_msg = "No new checkpoint ready for evaluation."
            if error_msg:
                if cluster_watch is not None:
                    cluster_watch.check()
                eval_result = {}
                if time.time() - last_warning_time > _WARNING_INTERVAL_SECS:
                    waiting_for = watcher.waiting_for
                    _log.warning("%s%s", error_msg,
                                 " Waiting for: %s." % waiting_for if waiting_for else "")
                    last_warning_time = time.time()
            else:
                # Beyond r1.15: the checkpoint stays pinned through evaluation and
                # export; if its files are gone first, the newest one is evaluated.
                evaluated, evaluated_path = _pinning.evaluate_newest(
                    latest_path,
                    functools.partial(self._evaluate_and_export, input_fn, name, export),
                    newest=functools.partial(_next_checkpoint, watcher,
                                             pending if evaluate_all_checkpoints else None),
                    skip=(previous_path,) if evaluate_checkpoint_only_once else (),
                    newest_is="the next kept" if evaluate_all_checkpoints else "the newest")
                if evaluated_path is None:
                    eval_result = {}  # as after an iteration with nothing to evaluate
                else:
                    eval_result = evaluated
                    last_warning_time = 0
                    previous_path = evaluated_path

            duration = time.time() - start
            if pending:
                continue  # catching up on kept checkpoints: no throttle between them
            if duration < throttle_delay_secs:
                difference = throttle_delay_secs - duration
                _log.info("Waiting %f secs before starting next eval run.", difference)
                time.sleep(difference)
        return

    def _evaluate_and_export(self, input_fn, name, export, checkpoint_path):
        """One evaluation of `checkpoint_path` and its export (r1.15 _continuous_eval)."""
        _log.info("Evaluating checkpoint %s (%s).", checkpoint_path, name)
        eval_result = self._call_evaluate(input_fn=input_fn,
                                          steps=self._eval_steps,
                                          metrics=self._eval_metrics,
                                          name=name,
                                          checkpoint_path=checkpoint_path,
                                          hooks=self._eval_hooks)
        if not eval_result:
            eval_result = {}
        if export:
            token = export_strategy._caller_reports_vanished.set(True)
            try:
                self._maybe_export(eval_result, checkpoint_path=checkpoint_path)
            except Exception as exc:
                # Only where no pin could be made: the evaluation stands, the export of
                # a deleted checkpoint is skipped (the next evaluation exports).
                if (_pinning.is_pinned(checkpoint_path)
                        or _pinning.checkpoint_exists(checkpoint_path)):
                    raise
                _pinning.report_vanished_before_export(checkpoint_path, exc)
            finally:
                export_strategy._caller_reports_vanished.reset(token)
        return eval_result

    def _has_training_stopped(self, eval_result):
        """True once an eval result's global step reached `train_steps` (r1.15)."""
        if not eval_result:
            return False
        global_step = eval_result.get(_GLOBAL_STEP_KEY)
        return bool(global_step and self._train_steps and global_step >= self._train_steps)

    def train_and_evaluate(self):
        """Interleaves training and evaluation in one process.

        Trains for `train_steps`, evaluating inside training every
        `min_eval_frequency` steps when a new checkpoint exists (summaries to
        ``eval/``), then evaluates once more and exports. With
        `checkpoint_and_export`, evaluates and exports at every checkpoint save
        instead, with no final evaluation.

        Returns:
          A tuple ``(eval_result, export_results)``; `export_results` is a list with
          one entry per export strategy.
        """
        _check_model_dir(self._estimator.model_dir)
        with _new_attr_context(self, "_train_monitors"):
            # r1.15 quirk kept: a non-empty list is extended in place (and so keeps
            # the added monitor after the call); an empty one is replaced.
            self._train_monitors = self._train_monitors or []
            config = self._estimator.config
            intermediate_export = self._checkpoint_and_export and (
                config.save_checkpoints_secs or config.save_checkpoints_steps)
            if intermediate_export:
                eval_fn = functools.partial(self._call_evaluate,
                                            input_fn=self._eval_input_fn,
                                            steps=self._eval_steps,
                                            metrics=self._eval_metrics,
                                            hooks=self._eval_hooks)
                export_listener = _EvalAndExportListener(
                    eval_fn=eval_fn, export_fn=self._maybe_export,
                    model_dir=self._estimator.model_dir)
                hook = _tf.CheckpointSaverHook(
                    checkpoint_dir=self._estimator.model_dir,
                    save_secs=config.save_checkpoints_secs,
                    save_steps=config.save_checkpoints_steps,
                    listeners=[export_listener])
                self._train_monitors += [hook]
            elif self._min_eval_frequency:
                self._train_monitors += [monitors.ValidationMonitor(
                    input_fn=self._eval_input_fn,
                    eval_steps=self._eval_steps,
                    metrics=self._eval_metrics,
                    every_n_steps=self._min_eval_frequency,
                    check_interval_secs=self._check_interval_secs,
                    name=None,
                    hooks=self._eval_hooks)]
            self.train(delay_secs=0)

        if intermediate_export:
            return export_listener.eval_result, export_listener.export_results
        eval_result = self._call_evaluate(input_fn=self._eval_input_fn,
                                          steps=self._eval_steps,
                                          metrics=self._eval_metrics,
                                          name=None,
                                          hooks=self._eval_hooks)
        export_results = self._maybe_export(eval_result)
        return eval_result, export_results

    def continuous_train_and_eval(self, continuous_eval_predicate_fn=None):
        """Interleaves training and evaluation (experimental in r1.15).

        Trains `train_steps_per_iteration` steps (default: `train_steps / 10`, or
        1000), evaluates the new checkpoint under the name "one_pass", exports, and
        repeats until the predicate returns False or the global step reaches
        `train_steps`. Intended for a single machine.

        Args:
          continuous_eval_predicate_fn: as for `continuous_eval`.

        Returns:
          A tuple ``(eval_result, export_results)``; ``(None, None)`` if the
          predicate stops the loop before the first iteration.

        Raises:
          ValueError: if `continuous_eval_predicate_fn` is neither None nor callable.
        """
        predicate_fn = _check_predicate(continuous_eval_predicate_fn)
        _check_train_steps(self._estimator, self._train_steps)
        _check_saving_listeners(self._estimator, self._saving_listeners)
        _check_model_dir(self._estimator.model_dir)
        train_steps_per_iteration = 1000
        if self._train_steps_per_iteration is not None:
            train_steps_per_iteration = self._train_steps_per_iteration
        elif self._train_steps is not None:
            train_steps_per_iteration = int(self._train_steps / 10)

        eval_result = None
        latest_checkpoint = None
        export_results = None
        # r1.15: here the predicate gets checkpoint_path=None whenever eval_result is
        # falsy (unlike _continuous_eval).
        while (not predicate_fn or predicate_fn(
                eval_result, checkpoint_path=latest_checkpoint if eval_result else None)):
            if self._has_training_stopped(eval_result):
                _log.info("Stop training model as max steps reached")
                break
            _log.info("Training model for %s steps", train_steps_per_iteration)
            self._call_train(input_fn=self._train_input_fn,
                             steps=train_steps_per_iteration,
                             hooks=self._train_monitors,
                             saving_listeners=self._saving_listeners)
            _log.info("Evaluating model now.")
            latest_checkpoint = checkpoints.latest_checkpoint(self._estimator.model_dir)
            eval_result = self._call_evaluate(input_fn=self._eval_input_fn,
                                              steps=self._eval_steps,
                                              metrics=self._eval_metrics,
                                              name="one_pass",
                                              checkpoint_path=latest_checkpoint,
                                              hooks=self._eval_hooks)
            export_results = self._maybe_export(eval_result)
        return eval_result, export_results

    def run_std_server(self):
        """Starts a TensorFlow server and joins the serving thread (blocks).

        Typically used for parameter servers.

        Raises:
          ValueError: if not enough information is available in the estimator's
            config to create a server.
        """
        self._start_server().join()

    def test(self):
        """Tests training, evaluating and exporting the estimator for a single step.

        Returns:
          The result of the `evaluate` call to the `Estimator`.
        """
        _check_saving_listeners(self._estimator, self._saving_listeners)
        _check_model_dir(self._estimator.model_dir)
        self._call_train(input_fn=self._train_input_fn, steps=1,
                         hooks=self._train_monitors,
                         saving_listeners=self._saving_listeners)
        # r1.15: no eval hooks and no checkpoint_path here.
        eval_result = self._call_evaluate(input_fn=self._eval_input_fn, steps=1,
                                          metrics=self._eval_metrics, name="one_pass")
        _ = self._maybe_export(eval_result)
        return eval_result

    # ------------------------------------------------------------------ internals

    def _maybe_export(self, eval_result, checkpoint_path=None):
        """Exports with every strategy into <model_dir>/export/<name>; returns a list.

        As in r1.15 the export directories are passed as bytes.
        """
        export_dir_base = os.path.join(_as_bytes(self._estimator.model_dir), b"export")
        export_results = []
        for strategy in self._export_strategies:
            export_results.append(strategy.export(
                self._estimator,
                os.path.join(export_dir_base, _as_bytes(strategy.name)),
                checkpoint_path=checkpoint_path,
                eval_result=eval_result))
        return export_results

    def _start_server(self):
        """Creates, starts and returns a server (r1.15 experiment.py _start_server)."""
        config = self._estimator.config
        if (not config.cluster_spec or not config.task_type or not config.master
                or config.task_id is None):
            raise ValueError("Could not start server; be sure to specify "
                             "cluster_spec, task_type, master, and task in "
                             "RunConfig or set the TF_CONFIG environment variable.")
        # Beyond r1.15: a TF2 `chief` cluster must have exactly one chief.
        _cluster.check_cluster_layout(config.cluster_spec)
        # Looked up through the module at call time so that tests can patch it.
        server = _tf.server_lib.Server(
            config.cluster_spec,
            job_name=config.task_type,
            task_index=config.task_id,
            config=_server_config(config),
            start=False)
        server.start()
        return server

    def _call_train(self, _sentinel=None, input_fn=None, steps=None, hooks=None,
                    max_steps=None, saving_listeners=None):
        if _sentinel is not None:
            raise ValueError("_call_train should be called with keyword args only")
        # Monitors are converted for both estimator kinds (harmless for contrib, whose
        # fit converts again).
        hooks = monitors.replace_monitors_with_hooks(hooks, self._estimator)
        if self._core_estimator_used:
            # Beyond r1.15: a model_dir moved from another machine restores (_moveddir).
            _moveddir.restore_moved_paths(self._estimator.model_dir)
            return self._estimator.train(input_fn=input_fn, steps=steps,
                                         max_steps=max_steps, hooks=hooks,
                                         saving_listeners=saving_listeners)
        # r1.15: saving_listeners are not forwarded to a contrib estimator.
        return self._estimator.fit(input_fn=input_fn, steps=steps, max_steps=max_steps,
                                   monitors=hooks)

    def _call_evaluate(self, _sentinel=None, input_fn=None, steps=None, metrics=None,
                       name=None, checkpoint_path=None, hooks=None):
        if _sentinel is not None:
            raise ValueError("_call_evaluate should be called with keyword args only")
        if self._core_estimator_used:
            if metrics is not None:
                raise ValueError("`eval_metrics` must be `None` with `tf.estimator.Estimator`")
            # Beyond r1.15: only for a model_dir with `[`, `*` or `?` (see _globsafe).
            checkpoint_path = _globsafe.checkpoint_to_restore(self._estimator.model_dir,
                                                              checkpoint_path)
            return self._estimator.evaluate(input_fn=input_fn, steps=steps, name=name,
                                            checkpoint_path=checkpoint_path, hooks=hooks)
        return self._estimator.evaluate(input_fn=input_fn, steps=steps, metrics=metrics,
                                        name=name, checkpoint_path=checkpoint_path,
                                        hooks=hooks)


def _next_checkpoint(watcher, pending):
    """The checkpoint to go on to after one vanished: the newest existing one, or, when
    evaluating every kept checkpoint (`pending` not None), the next kept one."""
    if pending is not None:
        if not pending:
            pending.extend(watcher.poll_all())
        while pending:
            path = pending.pop(0)
            if _pinning.checkpoint_exists(path):
                return path
        return None
    path = watcher.latest()
    return path if path and _pinning.checkpoint_exists(path) else None


def _server_config(config):
    # r1.15 passes the contrib RunConfig's bare tf_config ConfigProto; a core
    # RunConfig has none, so its session_config is the honest equivalent.
    tf_config = getattr(config, "tf_config", None)
    return tf_config if tf_config is not None else config.session_config


def _as_bytes(value):
    return value if isinstance(value, bytes) else os.fsencode(value)
