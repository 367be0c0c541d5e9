"""`ExportStrategy`: one flavour of model export (replaces ``tf.contrib.learn.ExportStrategy``).

Native TF2 replacement: ``tf.estimator.Exporter`` (``LatestExporter``,
``BestExporter``) with ``tf.estimator.train_and_evaluate``.
"""

import collections
import contextvars
import logging

from compat_learn._deprecation import warn_deprecated

__all__ = ["ExportStrategy"]

logger = logging.getLogger(__name__)

EVAL_RESULT_NEEDS_CHECKPOINT_PATH = (
    "An export_fn accepting eval_result must also accept checkpoint_path.")

# How many ExportStrategy.export calls are running in this context: strategies that
# wrap strategies (best-model, extended) report a failure once, under the name of the
# outermost one (the name the user gave, and the directory Experiment exports into).
_export_depth = contextvars.ContextVar("compat_learn_export_depth", default=0)
# Set by Experiment's continuous evaluation, which reports a checkpoint deleted before
# its export itself (compat_learn._pinning.report_vanished_before_export).
_caller_reports_vanished = contextvars.ContextVar("compat_learn_reports_vanished",
                                                  default=False)


class ExportStrategy(collections.namedtuple(
        "ExportStrategy", ["name", "export_fn", "strip_default_attrs"])):
    """A named export function (replaces ``tf.contrib.learn.ExportStrategy``).

    Usually built by `compat_learn.utils.saved_model_export_utils.make_export_strategy`.
    Native TF2 replacement: ``tf.estimator.Exporter``.

    Attributes:
      name: the sub-directory of ``<model_dir>/export/`` that Experiment exports into.
      export_fn: ``(estimator, export_path[, checkpoint_path[, eval_result[,
        strip_default_attrs]]]) -> export_path``. The optional arguments are passed
        only when the function declares them by those names.
      strip_default_attrs: passed to an `export_fn` that declares it (default None).
    """

    def __new__(cls, name, export_fn, strip_default_attrs=None):
        warn_deprecated("tf.contrib.learn.ExportStrategy", "tf.estimator.Exporter")
        return super().__new__(cls, name, export_fn, strip_default_attrs)

    def export(self, estimator, export_path, checkpoint_path=None, eval_result=None):
        """Exports `estimator` into `export_path` with `export_fn`.

        Args:
          estimator: the estimator to export.
          export_path: the directory to export into (str or bytes, as Experiment
            passes it).
          checkpoint_path: the checkpoint to export; None lets the strategy choose
            (usually the latest).
          eval_result: the evaluation result for `checkpoint_path`.

        Returns:
          Whatever `export_fn` returns (usually the export directory).

        Raises:
          ValueError: `export_fn` declares ``eval_result`` but not
            ``checkpoint_path``.
        """
        from compat_learn import _tf

        # r1.15 inspects argument *names*, so export_fns that do not declare an
        # argument (or name it differently) keep working without it.
        export_fn_args = _tf.function_utils.fn_args(self.export_fn)
        kwargs = {}
        if "checkpoint_path" in export_fn_args:
            kwargs["checkpoint_path"] = checkpoint_path
        if "eval_result" in export_fn_args:
            if "checkpoint_path" not in export_fn_args:
                raise ValueError(EVAL_RESULT_NEEDS_CHECKPOINT_PATH)
            kwargs["eval_result"] = eval_result
        if "strip_default_attrs" in export_fn_args:
            kwargs["strip_default_attrs"] = self.strip_default_attrs
        token = _export_depth.set(_export_depth.get() + 1)
        try:
            return self.export_fn(estimator, export_path, **kwargs)
        except Exception as exc:
            # A checkpoint deleted under a continuous evaluator is reported by it, once.
            if _export_depth.get() == 1 and not (_caller_reports_vanished.get()
                                                 and _vanished(checkpoint_path)):
                logger.error("Export strategy %r failed to export checkpoint %s into %s: %s",
                             self.name, checkpoint_path or "(latest)", export_path, exc)
            raise
        finally:
            _export_depth.reset(token)


def _vanished(checkpoint_path):
    """True if `checkpoint_path` names a checkpoint whose files are gone (and not pinned)."""
    from compat_learn import _pinning

    return bool(checkpoint_path) and not (_pinning.is_pinned(checkpoint_path)
                                          or _pinning.checkpoint_exists(checkpoint_path))
