"""Monitors instrument training (replaces ``tf.contrib.learn.monitors``).

A monitor is r1.15's pre-``SessionRunHook`` training callback. compat_learn keeps
the r1.15 classes and their semantics (``begin``/``step_begin``/``step_end``/
``post_step``/``end``, `EveryN` cadence, `ValidationMonitor` early stopping) and runs
them inside TensorFlow 2.15's ``tf.estimator`` through `RunHookAdapterForMonitors`,
exactly as r1.15 did for core estimators (`replace_monitors_with_hooks`).

Native TF2 replacement: ``tf.estimator.SessionRunHook`` subclasses (and
``tf.estimator.experimental.stop_if_no_decrease_hook`` & co. for early stopping).

Deliberate differences from r1.15:

* Summary writers (`SummarySaver`, `CheckpointSaver`, `StepCounter`) are created on
  first use inside the training graph, not in ``__init__``/``set_estimator``:
  TensorFlow 2's ``FileWriter`` refuses to be created while eager execution is on,
  which is where users construct monitors.
* `ExportMonitor` raises NotImplementedError when constructed: it wrote the
  SessionBundle format through ``Estimator.export``, which TensorFlow 2 cannot
  write (r1.15 itself rejected it for core estimators). Use an `ExportStrategy`.
* `RunHookAdapterForMonitors` reads the global step once more after each run: a
  TF 2.15 resource variable fetched in the same run gives its value *before* the
  run, where r1.15's ref variable gave the value after it.
* A resource variable requested by name (``"w:0"``, which in TF 2.15 names the
  variable's handle) or as a variable gives its value, read after the run, as
  r1.15's ref variables did (fetching the handle would give its raw bytes).
* `GraphDump` skips the tensors TF 2.15 cannot fetch (handles, variants, and
  tensors inside cond/while bodies).
* `LoggingTrainable` collects the variables once, in ``begin`` (r1.15: at every
  active step).
* ``epoch_end``/``step_end`` mismatch errors carry a formatted message (r1.15 passed
  the format arguments to ValueError unformatted).
"""

import copy
import logging
import os
import sys
import time
from typing import ClassVar

import numpy as np

from compat_learn import _globsafe, _pinning, _tf, checkpoints
from compat_learn._deprecation import warn_deprecated

__all__ = [
    "BaseMonitor",
    "CaptureVariable",
    "CheckpointSaver",
    "EveryN",
    "ExportMonitor",
    "GraphDump",
    "LoggingTrainable",
    "NanLoss",
    "NanLossDuringTrainingError",
    "PrintTensor",
    "RunHookAdapterForMonitors",
    "StepCounter",
    "StopAtStep",
    "SummarySaver",
    "ValidationMonitor",
    "get_default_monitors",
    "replace_monitors_with_hooks",
]

logger = logging.getLogger(__name__)

_MONITORS_REPLACEMENT = "tf.estimator.SessionRunHook / tf.compat.v1.train.SessionRunHook"

EXPORT_MONITOR_MESSAGE = (
    "`ExportMonitor` is not supported: it exported with `Estimator.export`, i.e. the "
    "SessionBundle format, which TensorFlow 2 cannot write (r1.15 deprecated it on "
    "2017-03-25). Pass an ExportStrategy to Experiment instead, e.g. "
    "`export_strategies=[compat_learn.utils.make_export_strategy(serving_input_fn, "
    "exports_to_keep=...)]` (native TF2: tf.estimator.LatestExporter or "
    "Estimator.export_saved_model).")


def _user_stacklevel():
    """The warnings stacklevel of the first frame outside this module."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
        level += 1
    return level


class BaseMonitor:
    """Base class for monitors (replaces ``tf.contrib.learn.monitors.BaseMonitor``).

    Defines the r1.15 callback protocol. Monitors run only on the chief unless
    `run_on_all_workers` is True. Native TF2 replacement:
    ``tf.estimator.SessionRunHook``.
    """

    def __init__(self):
        # r1.15 @deprecated("2016-12-05", "Monitors are deprecated. ...").
        warn_deprecated("tf.contrib.learn.monitors", _MONITORS_REPLACEMENT,
                        stacklevel=_user_stacklevel())
        self._begun = False
        self._current_epoch = None
        self._current_step = None
        self._max_steps = None
        self._estimator = None

    @property
    def run_on_all_workers(self):
        """Whether this monitor also runs on non-chief workers (False)."""
        return False

    def set_estimator(self, estimator):
        """Called by the estimator (or `replace_monitors_with_hooks`) before training.

        Raises:
          ValueError: if `estimator` is None.
        """
        if estimator is None:
            raise ValueError("Missing estimator.")
        self._estimator = estimator

    def begin(self, max_steps=None):
        """Called at the beginning of training, in the training graph.

        Raises:
          ValueError: if already begun.
        """
        if self._begun:
            raise ValueError("begin called twice without end.")
        self._max_steps = max_steps
        self._begun = True

    def end(self, session=None):
        """Called at the end of training.

        Raises:
          ValueError: if not begun.
        """
        del session
        if not self._begun:
            raise ValueError("end called without begin.")
        self._max_steps = None
        self._begun = False

    def epoch_begin(self, epoch):
        """Begins an epoch.

        Raises:
          ValueError: an epoch is already open, or `epoch` < 0.
        """
        if self._current_epoch is not None:
            raise ValueError("epoch_begin called twice without epoch_end.")
        if epoch < 0:
            raise ValueError(f"Invalid epoch {epoch}.")
        self._current_epoch = epoch

    def epoch_end(self, epoch):
        """Ends an epoch.

        Raises:
          ValueError: `epoch` is not the open epoch.
        """
        if self._current_epoch != epoch:
            raise ValueError(f"epoch_end expected {self._current_epoch} but got {epoch}.")
        self._current_epoch = None

    def step_begin(self, step):
        """Called before a training step.

        Args:
          step: int, the step about to run (global step + 1).

        Returns:
          A list of tensors or tensor names to fetch in this step.

        Raises:
          ValueError: `step` < 0 or `step` > max_steps.
        """
        if step < 0 or (self._max_steps is not None and step > self._max_steps):
            raise ValueError(f"Invalid step {step}.")
        self._current_step = step
        return []

    def step_end(self, step, output):
        """Called after a training step with the fetched values.

        Args:
          step: int, as given to `step_begin`.
          output: dict of requested tensor (name) to value.

        Returns:
          True to request that training stops.

        Raises:
          ValueError: `step` is not the step that began.
        """
        del output
        if self._current_step != step:
            raise ValueError(f"step_end expected {self._current_step} but got {step}.")
        self._current_step = None
        return False

    def post_step(self, step, session):
        """Called after `step_end`, with the session for extra runs."""
        del step, session


def _extract_output(outputs, request):
    if request in outputs:
        return outputs[request]
    return outputs[request.name]


class EveryN(BaseMonitor):
    """Runs callbacks every N steps (replaces ``tf.contrib.learn.monitors.EveryN``).

    ``every_n_step_begin``/``every_n_step_end``/``every_n_post_step`` run when
    ``step <= first_n_steps``, when ``step >= every_n_steps + last_active_step``, or
    at ``max_steps``; `end` runs ``every_n_post_step`` for the last step if it was not
    active. Subclasses overriding the BaseMonitor callbacks must call ``super``.
    Native TF2 replacement: a ``SessionRunHook`` with
    ``tf.compat.v1.train.SecondOrStepTimer``.

    Args:
      every_n_steps: int, steps between callbacks.
      first_n_steps: int, the callbacks also run at every step up to this one.
    """

    def __init__(self, every_n_steps=100, first_n_steps=1):
        super().__init__()
        self._every_n_steps = every_n_steps
        self._first_n_steps = first_n_steps
        self._last_successful_step = None
        self._last_active_step = 0
        self._every_n_step_begin_called = False

    def every_n_step_begin(self, step):
        """Returns the tensors to fetch at an active step."""
        del step
        return []

    def every_n_step_end(self, step, outputs):
        """Called after an active step; return True to request stop."""
        del step, outputs
        return False

    def every_n_post_step(self, step, session):
        """Called after an active step, or from `end` for the last step."""

    def step_begin(self, step):
        super().step_begin(step)
        # r1.15: max_steps may be None here (the comparison is then False).
        if (step <= self._first_n_steps
                or step >= self._every_n_steps + self._last_active_step
                or step == self._max_steps):
            self._every_n_step_begin_called = True
            return self.every_n_step_begin(step)
        self._every_n_step_begin_called = False
        return []

    def step_end(self, step, output):
        super().step_end(step, output)
        if self._every_n_step_begin_called:
            return self.every_n_step_end(step, output)
        return False

    def post_step(self, step, session):
        super().post_step(step, session)
        if self._every_n_step_begin_called:
            self.every_n_post_step(step, session)
            self._last_active_step = step
        self._last_successful_step = step

    def end(self, session=None):
        super().end(session=session)
        if self._last_successful_step != self._last_active_step:
            self.every_n_post_step(self._last_successful_step, session)


class StopAtStep(BaseMonitor):
    """Requests stop after a number of steps or at a last step.

    Replaces ``tf.contrib.learn.monitors.StopAtStep``. Runs on all workers. Native
    TF2 replacement: ``tf.estimator.StopAtStepHook``.

    Args:
      num_steps: steps to run, counted from the first `step_begin`.
      last_step: the step after which to stop.

    Raises:
      ValueError: neither or both arguments given.
    """

    def __init__(self, num_steps=None, last_step=None):
        super().__init__()
        if num_steps is None and last_step is None:
            raise ValueError("One of num_steps or last_step must be specified.")
        if num_steps is not None and last_step is not None:
            raise ValueError("Only one of num_steps or last_step can be specified.")
        self._num_steps = num_steps
        self._last_step = last_step

    @property
    def run_on_all_workers(self):
        return True

    def step_begin(self, step):
        super().step_begin(step)
        if self._last_step is None:
            self._last_step = step + self._num_steps - 1
        return []

    def step_end(self, step, output):
        super().step_end(step, output)
        return step >= self._last_step


class _TensorLogger(EveryN):
    """Fetches the tensors named in `self._names` (tag -> name) every N steps and logs them.

    The lines go through TensorFlow's ``tf_logging.info``, as r1.15's PrintTensor and
    LoggingTrainable logged them (``INFO:tensorflow:Step 100: loss = ...``), looked up
    at each call: ``tf.compat.v1.logging.set_verbosity`` controls them, and whatever
    patches or filters TensorFlow's logging sees them as it did.
    """

    _log_format = "Step %d: %s"  # r1.15's format string

    def __init__(self, every_n, first_n):
        super().__init__(every_n, first_n)
        self._names = {}

    def every_n_step_begin(self, step):
        super().every_n_step_begin(step)
        return list(self._names.values())

    def every_n_step_end(self, step, outputs):
        super().every_n_step_end(step, outputs)
        stats = [f"{tag} = {_extract_output(outputs, name)}"
                 for tag, name in self._names.items() if name in outputs]
        _tf.tf_logging.info(self._log_format, step, ", ".join(stats))


class PrintTensor(_TensorLogger):
    """Logs tensors every N steps (replaces ``tf.contrib.learn.monitors.PrintTensor``).

    Native TF2 replacement: ``tf.estimator.LoggingTensorHook``.

    Args:
      tensor_names: dict of tag to tensor name, or an iterable of tensor names.
      every_n: int, see `EveryN`.
      first_n: int, see `EveryN`.
    """

    def __init__(self, tensor_names, every_n=100, first_n=1):
        super().__init__(every_n, first_n)
        if not isinstance(tensor_names, dict):
            tensor_names = {item: item for item in tensor_names}
        self._names = tensor_names

    @property
    def _tensor_names(self):  # r1.15's attribute name
        return self._names


class LoggingTrainable(_TensorLogger):
    """Logs trainable variables every N steps.

    Replaces ``tf.contrib.learn.monitors.LoggingTrainable``. Native TF2 replacement:
    ``tf.estimator.LoggingTensorHook`` on the variables.

    Args:
      scope: optional ``re.match`` pattern on variable names.
      every_n: int, see `EveryN`.
      first_n: int, see `EveryN`.
    """

    _log_format = "Logging Trainable: Step %d: %s"  # r1.15's format string

    def __init__(self, scope=None, every_n=100, first_n=1):
        super().__init__(every_n, first_n)
        self._scope = scope

    def begin(self, max_steps=None):
        super().begin(max_steps=max_steps)
        v1 = _tf.tf.compat.v1
        # r1.15 looked the variables up in every_n_step_begin; the graph is the same at
        # every step, so once is enough. Requested by name, each is read after the run
        # like any variable a monitor asks for (see _resolve_fetch).
        trainables = v1.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES, scope=self._scope)
        self._names = {var.name: var.name for var in trainables}


def _file_writer(logdir):
    # FileWriterCache shares one writer per directory with the estimator's own.
    return _tf.tf.compat.v1.summary.FileWriterCache.get(logdir)


def _lazy_summary_writer(monitor):
    """The monitor's writer, created on first use: TF 2 refuses a FileWriter in eager mode,
    where users construct monitors. Defaults to the estimator's model_dir."""
    if monitor._summary_writer is None:
        logdir = monitor._output_dir or (monitor._estimator.model_dir if monitor._estimator else None)
        if logdir:
            monitor._summary_writer = _file_writer(logdir)
    return monitor._summary_writer


class SummarySaver(EveryN):
    """Saves summaries every N steps (replaces ``tf.contrib.learn.monitors.SummarySaver``).

    Native TF2 replacement: ``tf.estimator.SummarySaverHook``.

    Args:
      summary_op: a serialized-Summary string tensor (or None with `scaffold`).
      save_steps: int, see `EveryN`.
      output_dir: where to write when no `summary_writer` is given (default: the
        estimator's model_dir).
      summary_writer: a ``tf.compat.v1.summary.FileWriter``.
      scaffold: a ``Scaffold`` whose ``summary_op`` is used when `summary_op` is None.
    """

    def __init__(self, summary_op, save_steps=100, output_dir=None, summary_writer=None,
                 scaffold=None):
        super().__init__(every_n_steps=save_steps)
        self._summary_op = summary_op
        self._summary_writer = summary_writer
        self._output_dir = output_dir
        self._scaffold = scaffold

    def _writer(self):
        return _lazy_summary_writer(self)

    def every_n_step_begin(self, step):
        super().every_n_step_begin(step)
        if self._summary_op is None and self._scaffold is not None:
            self._summary_op = self._scaffold.summary_op
        if self._summary_op is not None:
            return [self._summary_op]
        return []

    def every_n_step_end(self, step, outputs):
        super().every_n_step_end(step, outputs)
        if self._summary_op is not None:
            summary_strs = _extract_output(outputs, self._summary_op)
            writer = self._writer()
            if writer:
                writer.add_summary(summary_strs, step)
        return False

    def end(self, session=None):
        super().end(session=session)
        if self._summary_writer:
            self._summary_writer.flush()


class ValidationMonitor(EveryN):
    """Evaluates the latest checkpoint every N steps, with optional early stopping.

    Replaces ``tf.contrib.learn.monitors.ValidationMonitor``. It looks for a new
    checkpoint at most every `every_n_steps` steps (and at most every
    `check_interval_secs` seconds), never evaluates the same checkpoint twice, and
    with `early_stopping_rounds` requests stop once the metric has not improved for
    that many steps. Native TF2 replacement: ``tf.estimator.train_and_evaluate`` with
    ``tf.estimator.experimental.stop_if_no_decrease_hook``.

    Args:
      x, y, batch_size, metrics: see the contrib ``Estimator.evaluate``; must be None
        for a ``tf.estimator`` Estimator.
      input_fn: the evaluation input_fn.
      eval_steps: evaluation steps (None: until the input ends).
      every_n_steps: int, how often to look for a new checkpoint.
      hooks: SessionRunHooks for ``evaluate``.
      early_stopping_rounds: int or None (no early stopping).
      early_stopping_metric: str, the evaluation key to watch.
      early_stopping_metric_minimize: bool, whether lower is better.
      name: the evaluation name (``eval_<name>`` directory).
      check_interval_secs: minimum seconds between checkpoint checks; None: no limit.

    Raises:
      ValueError: neither `x` nor `input_fn` is given.
    """

    def __init__(self, x=None, y=None, input_fn=None, batch_size=None, eval_steps=None,
                 every_n_steps=100, metrics=None, hooks=None, early_stopping_rounds=None,
                 early_stopping_metric="loss", early_stopping_metric_minimize=True,
                 name=None, check_interval_secs=5):
        # r1.15: first_n_steps=-1, so it never fires on the first steps.
        super().__init__(every_n_steps=every_n_steps, first_n_steps=-1)
        if x is None and input_fn is None:
            raise ValueError("Either x or input_fn should be provided.")
        self.x = x
        self.y = y
        self.input_fn = input_fn
        self.batch_size = batch_size
        self.eval_steps = eval_steps
        self.metrics = metrics
        self.hooks = hooks
        self.early_stopping_rounds = early_stopping_rounds
        self.early_stopping_metric = early_stopping_metric
        self.early_stopping_metric_minimize = early_stopping_metric_minimize
        self.name = name
        self._best_value_step = None
        self._best_value = None
        self._best_metrics = None
        self._early_stopped = False
        self._latest_path = None
        self._latest_path_step = None
        self._last_checkpoint_check_time = None
        self._check_interval_secs = check_interval_secs

    @property
    def early_stopped(self):
        """True if this monitor requested an early stop."""
        return self._early_stopped

    @property
    def best_step(self):
        """The training step at which the best metric value was seen."""
        return self._best_value_step

    @property
    def best_value(self):
        """The best value of the early stopping metric so far."""
        return self._best_value

    @property
    def best_metrics(self):
        """A copy of the whole evaluation result at the best step."""
        return self._best_metrics

    def _evaluate_estimator(self, checkpoint_path):
        if isinstance(self._estimator, _tf.CoreEstimator):
            if any(v is not None for v in (self.x, self.y, self.batch_size, self.metrics)):
                raise ValueError(
                    "tf.estimator.Estimator does not support following "
                    "arguments: x, y, batch_size, metrics. Should set as `None` "
                    "in ValidationMonitor")
            # Beyond r1.15 (which let TF pick the latest checkpoint, the same one): TF
            # 2.15 evaluates freshly initialised variables when it finds none, e.g.
            # after the checkpoint was deleted or in a model_dir with `[`, `*` or `?`;
            # hand it the (pinned) checkpoint just found.
            return self._estimator.evaluate(
                input_fn=self.input_fn, steps=self.eval_steps, hooks=self.hooks,
                name=self.name, checkpoint_path=_globsafe.checkpoint_to_restore(
                    self._estimator.model_dir, checkpoint_path))
        # A contrib Estimator picks the latest checkpoint itself (r1.15) and raises
        # NotFittedError rather than evaluate fresh variables.
        return self._estimator.evaluate(
            x=self.x, y=self.y, input_fn=self.input_fn, batch_size=self.batch_size,
            steps=self.eval_steps, metrics=self.metrics, hooks=self.hooks, name=self.name)

    def every_n_step_end(self, step, outputs):
        super().every_n_step_end(step, outputs)
        if self._estimator is None:
            raise ValueError("Missing call to set_estimator.")
        current_time = time.time()
        if (self._check_interval_secs is not None
                and self._last_checkpoint_check_time is not None
                and current_time - self._last_checkpoint_check_time <= self._check_interval_secs):
            logger.debug("Skipping evaluation since less than %d seconds have passed since "
                         "last check for a new checkpoint.", self._check_interval_secs)
            return False
        self._last_checkpoint_check_time = current_time
        latest_path = checkpoints.latest_checkpoint(self._estimator.model_dir)
        if latest_path is None:
            logger.debug("Skipping evaluation since model has not been saved yet at step %d.",
                         step)
            return False
        if latest_path == self._latest_path:
            logger.debug("Skipping evaluation due to same checkpoint %s for step %d as for "
                         "step %d.", latest_path, step, self._latest_path_step)
            return False
        # Beyond r1.15: the checkpoint is pinned while it is evaluated; if its files
        # are gone first, the newest one is evaluated (or none, until the next check).
        validation_outputs, latest_path = _pinning.evaluate_newest(
            latest_path, self._evaluate_estimator,
            newest=lambda: checkpoints.latest_checkpoint(self._estimator.model_dir),
            skip=(self._latest_path,))
        if latest_path is None:
            return False
        self._latest_path = latest_path
        self._latest_path_step = step
        stats = [f"{key} = {validation_outputs[key]}" for key in validation_outputs]
        logger.info("Validation (step %d): %s", step, ", ".join(stats))

        if self.early_stopping_rounds is None:
            return False
        if self.early_stopping_metric not in validation_outputs:
            raise ValueError(f"Metric {self.early_stopping_metric} missing from outputs "
                             f"{set(validation_outputs.keys())}.")
        current_value = validation_outputs[self.early_stopping_metric]
        # r1.15: only a strict improvement moves the best step.
        if (self._best_value is None
                or (self.early_stopping_metric_minimize and current_value < self._best_value)
                or (not self.early_stopping_metric_minimize
                    and current_value > self._best_value)):
            self._best_value = current_value
            self._best_metrics = copy.deepcopy(validation_outputs)
            self._best_value_step = step
        # r1.15: `step` is the training step of this check, not the checkpoint's.
        if step - self._best_value_step >= self.early_stopping_rounds:
            logger.info("Stopping. Best step: %s with %s = %s.", self._best_value_step,
                        self.early_stopping_metric, self._best_value)
            self._early_stopped = True
            return True
        return False


class CaptureVariable(EveryN):
    """Captures a tensor's values by step (replaces ``...monitors.CaptureVariable``).

    Meant for tests: it never discards values. Native TF2 replacement: a
    ``SessionRunHook`` fetching the tensor.

    Args:
      var_name: str, the tensor name including its suffix (typically ``":0"``).
      every_n: int, see `EveryN`.
      first_n: int, see `EveryN`.
    """

    def __init__(self, var_name, every_n=100, first_n=1):
        super().__init__(every_n, first_n)
        self._var_name = var_name
        self._var_values = {}

    @property
    def values(self):
        """dict of step to the captured value."""
        return self._var_values

    def every_n_step_begin(self, step):
        super().every_n_step_begin(step)
        return [self._var_name]

    def every_n_step_end(self, step, outputs):
        super().every_n_step_end(step, outputs)
        self._var_values[step] = _extract_output(outputs, self._var_name)


def get_default_monitors(loss_op=None, summary_op=None, save_summary_steps=100,
                         output_dir=None, summary_writer=None):
    """Returns r1.15's default monitors: a loss `PrintTensor` and a `SummarySaver`.

    Replaces ``tf.contrib.learn.monitors.get_default_monitors``. Native TF2:
    ``tf.compat.v1.train.MonitoredTrainingSession``'s default hooks.

    Returns:
      A list of monitors (empty without `loss_op` and `summary_op`).
    """
    monitors = []
    if loss_op is not None:
        monitors.append(PrintTensor(tensor_names={"loss": loss_op.name}))
    if summary_op is not None:
        monitors.append(SummarySaver(summary_op, save_steps=save_summary_steps,
                                     output_dir=output_dir, summary_writer=summary_writer))
    return monitors


class GraphDump(BaseMonitor):
    """Fetches almost every tensor at every step (replaces ``...monitors.GraphDump``).

    Very expensive; for debugging. Native TF2 replacement: ``tf.debugging``
    tooling (tfdbg).

    Args:
      ignore_ops: op types to skip (default `IGNORE_OPS`).
    """

    IGNORE_OPS: ClassVar[list] = ["Const", "Assign", "Identity", "Placeholder", "RandomUniform", "Cast",
                  "RestoreSlice"]

    def __init__(self, ignore_ops=None):
        super().__init__()
        self._ignore_ops = ignore_ops or GraphDump.IGNORE_OPS
        self._data = {}
        self._tensors = []

    def begin(self, max_steps=None):
        super().begin(max_steps=max_steps)
        self._tensors = []
        graph = _tf.tf.compat.v1.get_default_graph()
        for node in graph.as_graph_def().node:
            if node.op in self._ignore_ops:
                continue
            logger.info("op=%s name=%s.", node.op, node.name)
            try:
                tensor = graph.get_tensor_by_name(node.name + ":0")
            except (KeyError, ValueError):
                continue  # an op without outputs
            # Unlike r1.15, skip what TF 2.15 cannot fetch: resource-variable handles and
            # variants, and tensors it marks unfetchable (those inside cond/while bodies,
            # e.g. `global_step/cond`), which would fail every training run.
            if (tensor.dtype not in (_tf.tf.resource, _tf.tf.variant)
                    and graph.is_fetchable(tensor.op)):
                self._tensors.append(tensor)

    def step_begin(self, step):
        super().step_begin(step)
        return self._tensors

    def step_end(self, step, output):
        super().step_end(step, output)
        self._data[step] = output

    @property
    def data(self):
        """dict of step to the fetched values."""
        return self._data

    def compare(self, other_dump, step, atol=1e-06):
        """Compares this dump with `other_dump` at `step`.

        Returns:
          ``(matched, non_matched)``: a list of matching keys and a dict of key to
          the difference (arrays) or the pair of values.

        Raises:
          ValueError: a key of this dump is missing from `other_dump`.
        """
        non_matched = {}
        matched = []
        this_output = self.data.get(step, {})
        other_output = other_dump.data.get(step, {})
        for key in this_output:
            if not isinstance(key, str):
                continue
            if key not in other_output:
                raise ValueError(f"{key} missing at step {step}.")
            value1 = _extract_output(this_output, key)
            value2 = _extract_output(other_output, key)
            if isinstance(value1, str):
                continue
            if isinstance(value1, np.ndarray):
                if not np.allclose(value1, value2, atol=atol):
                    non_matched[key] = value1 - value2
                else:
                    matched.append(key)
            elif value1 != value2:
                non_matched[key] = (value1, value2)
            else:
                matched.append(key)
        return matched, non_matched


class ExportMonitor(EveryN):
    """Not supported: raises NotImplementedError (replaced ``...monitors.ExportMonitor``).

    r1.15's ExportMonitor called ``Estimator.export``, the SessionBundle exporter,
    which TensorFlow 2 cannot write; r1.15 already rejected it for core estimators.
    Pass an ExportStrategy (`compat_learn.utils.make_export_strategy`) to
    Experiment instead. Native TF2 replacement: ``tf.estimator.LatestExporter``.

    Raises:
      NotImplementedError: always, naming the replacement.
    """

    def __init__(self, every_n_steps, export_dir, input_fn=None, input_feature_key=None,
                 exports_to_keep=5, signature_fn=None, default_batch_size=1):
        del (every_n_steps, export_dir, input_fn, input_feature_key, exports_to_keep,
             signature_fn, default_batch_size)
        # Fail at construction rather than silently at the first export mid-training.
        raise NotImplementedError(EXPORT_MONITOR_MESSAGE)


class CheckpointSaver(BaseMonitor):
    """Saves checkpoints every N steps or seconds (replaces ``...monitors.CheckpointSaver``).

    Native TF2 replacement: ``tf.estimator.CheckpointSaverHook``.

    Args:
      checkpoint_dir: str, the directory for the checkpoints.
      save_secs: int, save every N seconds.
      save_steps: int, save every N steps.
      saver: a ``Saver``; default ``scaffold.saver``.
      checkpoint_basename: str, the checkpoint file prefix.
      scaffold: a ``Scaffold`` providing the saver.

    Raises:
      ValueError: neither or both of `save_secs` and `save_steps`.
    """

    def __init__(self, checkpoint_dir, save_secs=None, save_steps=None, saver=None,
                 checkpoint_basename="model.ckpt", scaffold=None):
        logger.info("Create CheckpointSaver.")
        super().__init__()
        self._saver = saver
        self._checkpoint_dir = checkpoint_dir
        self._summary_writer = None
        self._save_path = os.path.join(checkpoint_dir, checkpoint_basename)
        self._scaffold = scaffold
        self._save_secs = save_secs
        self._save_steps = save_steps
        self._last_saved_time = None
        self._last_begin_step = None
        self._last_saved_step = None
        if save_steps is None and save_secs is None:
            raise ValueError("Either save_steps or save_secs should be provided")
        if save_steps is not None and save_secs is not None:
            raise ValueError("Can not provide both save_steps and save_secs.")

    def begin(self, max_steps=None):
        super().begin(max_steps)
        self._last_saved_time = None
        self._last_begin_step = None
        self._last_saved_step = None

    def step_begin(self, step):
        super().step_begin(step)
        self._last_begin_step = step
        return []

    def post_step(self, step, session):
        super().post_step(step, session)
        if self._last_saved_time is None:
            self._save(step, session)
        if self._save_steps is not None and step >= self._last_saved_step + self._save_steps:
            self._save(step, session)
        if self._save_secs is not None and time.time() >= self._last_saved_time + self._save_secs:
            self._save(step, session)

    def end(self, session=None):
        super().end(session)
        self._save(self._last_begin_step, session)

    def _save(self, step, session):
        if step == self._last_saved_step:
            return
        logger.info("Saving checkpoints for %d into %s.", step, self._save_path)
        self._last_saved_time = time.time()
        self._last_saved_step = step
        saver = self._saver if self._saver is not None else self._scaffold.saver
        saver.save(session, self._save_path, global_step=step)
        if self._summary_writer is None:
            self._summary_writer = _file_writer(self._checkpoint_dir)
        v1 = _tf.tf.compat.v1
        self._summary_writer.add_session_log(
            v1.SessionLog(status=v1.SessionLog.CHECKPOINT, checkpoint_path=self._save_path),
            step)


class StepCounter(EveryN):
    """Writes ``global_step/sec`` summaries (replaces ``...monitors.StepCounter``).

    Native TF2 replacement: ``tf.estimator.StepCounterHook``.

    Args:
      every_n_steps: int, see `EveryN`.
      output_dir: where to write when no `summary_writer` is given (default: the
        estimator's model_dir).
      summary_writer: a ``tf.compat.v1.summary.FileWriter``.
    """

    def __init__(self, every_n_steps=100, output_dir=None, summary_writer=None):
        super().__init__(every_n_steps=every_n_steps)
        self._summary_tag = "global_step/sec"
        self._last_reported_step = None
        self._last_reported_time = None
        self._summary_writer = summary_writer
        self._output_dir = output_dir

    def _writer(self):
        return _lazy_summary_writer(self)

    def every_n_step_end(self, current_step, outputs):
        current_time = time.time()
        if self._last_reported_time is not None:
            writer = self._writer()
            if writer:
                added_steps = current_step - self._last_reported_step
                elapsed_time = current_time - self._last_reported_time
                summary = _tf.tf.compat.v1.Summary(value=[_tf.tf.compat.v1.Summary.Value(
                    tag=self._summary_tag, simple_value=added_steps / elapsed_time)])
                writer.add_summary(summary, current_step)
        self._last_reported_step = current_step
        self._last_reported_time = current_time


class NanLossDuringTrainingError(RuntimeError):
    """The loss became NaN (replaces ``tf.contrib.learn.NanLossDuringTrainingError``).

    Native TF2 replacement: ``tf.compat.v1.train.NanLossDuringTrainingError``
    (raised by ``tf.estimator.NanTensorHook``).
    """

    def __str__(self):
        return "NaN loss during training."


class NanLoss(EveryN):
    """Stops (or fails) when the loss is NaN (replaces ``...monitors.NanLoss``).

    Native TF2 replacement: ``tf.estimator.NanTensorHook``.

    Args:
      loss_tensor: the loss tensor (or its name).
      every_n_steps: int, see `EveryN`.
      fail_on_nan_loss: raise `NanLossDuringTrainingError` (True) or only request
        stop (False).
    """

    def __init__(self, loss_tensor, every_n_steps=100, fail_on_nan_loss=True):
        super().__init__(every_n_steps=every_n_steps)
        self._loss_tensor = loss_tensor
        self._fail_on_nan_loss = fail_on_nan_loss

    def every_n_step_begin(self, step):
        super().every_n_step_begin(step)
        return [self._loss_tensor]

    def every_n_step_end(self, step, outputs):
        super().every_n_step_end(step, outputs)
        if np.isnan(_extract_output(outputs, self._loss_tensor)):
            failure_message = "Model diverged with loss = NaN."
            if self._fail_on_nan_loss:
                logger.error(failure_message)
                raise NanLossDuringTrainingError
            logger.warning(failure_message)
            return True  # stop without an exception
        return False


class RunHookAdapterForMonitors(_tf.SessionRunHook):
    """Runs monitors as one ``SessionRunHook``.

    Replaces ``tf.contrib.learn.monitors.RunHookAdapterForMonitors``. The step given
    to the monitors is the global step before the run plus one (so, after a run that
    increments it once, the global step after that run); any monitor's
    `step_end` returning True requests stop. Native TF2 replacement: write the
    monitors as ``tf.estimator.SessionRunHook``s.

    Args:
      monitors: a list of monitors (each already given its estimator).
    """

    def __init__(self, monitors):
        self._monitors = monitors
        self._last_step = None
        self._global_step_tensor = None
        self._variable_reads = {}

    def begin(self):
        self._last_step = None
        self._global_step_tensor = _tf.tf.compat.v1.train.get_global_step()
        for m in self._monitors:
            m.begin(max_steps=None)

    def before_run(self, run_context):
        if self._last_step is None:
            self._last_step = run_context.session.run(self._global_step_tensor) + 1
        request = {self._global_step_tensor: self._global_step_tensor}
        monitor_fetches = []
        for m in self._monitors:
            monitor_requests = m.step_begin(self._last_step)
            if monitor_requests:
                if not isinstance(monitor_requests, list):
                    raise ValueError("Monitor.step_begin should return a list.")
                monitor_fetches.extend(monitor_requests)
        fetches, self._variable_reads = {}, {}
        for f in monitor_fetches:
            element, is_variable_read = _resolve_fetch(f)
            (self._variable_reads if is_variable_read else fetches)[f] = element
        if fetches:
            request["monitors"] = fetches
        return _tf.SessionRunArgs(request)

    def after_run(self, run_context, run_values):
        result = dict(run_values.results.get("monitors", {}))
        if self._variable_reads:
            # r1.15 fetched a ref variable with the training op and got its value after
            # the run. A TF 2.15 resource variable read in the same run gives the value
            # before it, so variables are read once the run is done.
            result.update(run_context.session.run(self._variable_reads))
        for m in self._monitors:
            if m.step_end(self._last_step, result):
                run_context.request_stop()
        for m in self._monitors:
            m.post_step(self._last_step, run_context.session)
        # r1.15 used the global step fetched in this run. Its ref variable gave the
        # value after the run; TF 2.15's resource variable gives the value before it
        # (so monitors would see step 1 twice and every step one late). Read it again
        # after the run, as TF 2.15's own StopAtStepHook does.
        self._last_step = run_context.session.run(self._global_step_tensor) + 1

    def end(self, session):
        self._last_step = None
        for m in self._monitors:
            # r1.15: `session` is passed only to an `end` that declares it.
            if "session" in _tf.function_utils.fn_args(m.end):
                m.end(session=session)
            else:
                m.end()


def replace_monitors_with_hooks(monitors_or_hooks, estimator):
    """Returns the hooks, with all monitors wrapped in one `RunHookAdapterForMonitors`.

    Replaces ``tf.contrib.learn.monitors.replace_monitors_with_hooks``. Hooks keep
    their order; the adapter (if any monitor is left) comes last. On a non-chief
    worker (``estimator.config.is_chief`` falsy) only monitors with
    ``run_on_all_workers`` are kept. Native TF2 replacement: pass
    ``SessionRunHook``s directly.

    Args:
      monitors_or_hooks: a list of monitors and ``SessionRunHook``s, or None.
      estimator: the estimator the monitors run with (`set_estimator`).

    Returns:
      A list of ``SessionRunHook``s.
    """
    monitors_or_hooks = monitors_or_hooks or []
    hooks = [m for m in monitors_or_hooks if isinstance(m, _tf.SessionRunHook)]
    deprecated_monitors = [m for m in monitors_or_hooks
                           if not isinstance(m, _tf.SessionRunHook)]
    if not estimator.config.is_chief:
        deprecated_monitors = [m for m in deprecated_monitors if m.run_on_all_workers]
    for monitor in deprecated_monitors:
        monitor.set_estimator(estimator)
    if deprecated_monitors:
        hooks.append(RunHookAdapterForMonitors(deprecated_monitors))
    return hooks


def _as_graph_element(obj):
    """The graph element to fetch for a tensor or name (names without ``:`` mean ``:0``).

    Kept under r1.15's private name for custom monitors that imported it; compat_learn
    itself calls `_resolve_fetch`.

    A resource variable, or its handle (``"w:0"``, ``"global_step"``), resolves to the
    variable's read tensor: see `_resolve_fetch`.
    """
    return _resolve_fetch(obj)[0]


def _resolve_fetch(obj):
    """Returns ``(graph element, is_variable_read)`` for a monitor's fetch request.

    r1.15's variables were ref variables: ``"w:0"`` named the variable itself, and
    fetching it gave its value. TF 2.15's are resource variables: ``"w:0"`` names the
    ``VarHandleOp`` handle, whose fetched value is the handle's raw bytes. So a handle
    (or a resource variable object) resolves to the read tensor the variable made when
    it was created; the graph is finalized by now, so no new read op can be made.
    """
    graph = _tf.tf.compat.v1.get_default_graph()
    if not isinstance(obj, str):
        if not hasattr(obj, "graph") or obj.graph != graph:
            raise ValueError(f"Passed {obj} should have graph attribute that is equal "
                             f"to current graph {graph}.")
        if isinstance(obj, _tf.tf.Variable):
            element = graph.as_graph_element(obj)  # a resource variable: its read tensor
            return element, element.op.type == "ReadVariableOp"
        element = obj
    elif ":" in obj:
        element = graph.as_graph_element(obj)
    else:
        element = graph.as_graph_element(obj + ":0")
        try:
            graph.as_graph_element(obj + ":1")
        except (KeyError, ValueError):
            pass
        else:
            raise ValueError(f"Name {obj} is ambiguous, as this `Operation` has multiple "
                             "outputs (at least 2).")
    if (isinstance(element, _tf.tf.Tensor) and element.dtype == _tf.tf.resource
            and element.op.type == "VarHandleOp"):
        return _variable_read(graph, element), True
    return element, False


def _variable_read(graph, handle):
    """The read tensor created with the resource variable whose handle is `handle`."""
    v1 = _tf.tf.compat.v1
    for var in v1.global_variables() + v1.local_variables():
        # `op`, not `handle`: the collections may also hold ref variables.
        if var.graph is graph and var.op.name == handle.op.name:
            return graph.as_graph_element(var)
    # A variable kept out of the collections: its read op has a fixed name (TF 2.15
    # resource_variable_ops.py assumes the same when importing a variable).
    try:
        return graph.get_tensor_by_name(handle.op.name + "/Read/ReadVariableOp:0")
    except KeyError:
        raise ValueError(
            f"`{handle.name}` is the handle of a resource variable that has no read op in "
            "the graph, so its value cannot be fetched. Fetch a tensor that reads it "
            "instead (e.g. create `var.value()` before training starts).") from None
