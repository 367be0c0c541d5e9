"""SavedModel export strategies (replaces ``...learn.utils.saved_model_export_utils``).

`make_export_strategy` gives r1.15's ``'Servo'`` strategy: each export goes to
``<export base>/<10-digit seconds timestamp>`` and only the newest
`exports_to_keep` timestamped exports are kept. Native TF2 replacement:
``tf.estimator.LatestExporter`` / ``BestExporter`` or
``Estimator.export_saved_model``.

How it maps onto TensorFlow 2.15:

* A ``tf.compat.v1.estimator.Estimator`` gets r1.15's ``export_savedmodel`` call,
  `strip_default_attrs` included. TF 2.15's ``tf.estimator.Estimator`` has no
  ``export_savedmodel``; it is exported with ``export_saved_model``, which has no
  ``strip_default_attrs`` argument and always strips default attributes (the
  strategy's `strip_default_attrs` has no effect there). A serving input_fn
  returning a contrib `InputFnOps` is converted to a
  ``ServingInputReceiver(features, receiver_tensors=default_inputs)``.
* A contrib estimator gets r1.15's ``export_savedmodel`` call unchanged.
* Export bases may be str or bytes (r1.15's Experiment passes bytes; TF issue
  #10399). They are normalised to str before they reach the estimator or the file
  system; the estimator's own return value is returned unchanged.
* Garbage collection runs only after a successful export and only ever deletes
  entries whose name is exactly 10 digits.
"""

import contextlib
import logging
import os
import shutil
import time

from compat_learn import _globsafe, _moveddir
from compat_learn._deprecation import warn_deprecated
from compat_learn.export_strategy import ExportStrategy
from compat_learn.utils import gc
from compat_learn.utils.input_fn_utils import InputFnOps

__all__ = [
    "DEFAULT_INPUT_ALTERNATIVE_KEY",
    "FEATURES_INPUT_ALTERNATIVE_KEY",
    "MAX_DIRECTORY_CREATION_ATTEMPTS",
    "BestModelSelector",
    "build_all_signature_defs",
    "build_standardized_signature_def",
    "extend_export_strategy",
    "garbage_collect_exports",
    "get_input_alternatives",
    "get_most_recent_export",
    "get_output_alternatives",
    "get_temp_export_dir",
    "get_timestamped_export_dir",
    "make_best_model_export_strategy",
    "make_export_strategy",
    "make_parsing_export_strategy",
]

logger = logging.getLogger(__name__)

#: The input alternative fed by a serving request that names no signature.
DEFAULT_INPUT_ALTERNATIVE_KEY = "default_input_alternative"
#: The (unused since r1.1) input alternative of the raw features.
FEATURES_INPUT_ALTERNATIVE_KEY = "features_input_alternative"
_FALLBACK_DEFAULT_OUTPUT_ALTERNATIVE_KEY = "default_output_alternative"
#: Attempts (one second apart) to find an unused timestamped export directory.
MAX_DIRECTORY_CREATION_ATTEMPTS = 10

_EXPORT_REPLACEMENT = "tf.estimator.LatestExporter / Estimator.export_saved_model"


def _tf():
    from compat_learn import _tf as tf_module
    return tf_module


def _as_str(path):
    return os.fsdecode(path)


def _as_bytes(path):
    return os.fsencode(path)


# ------------------------------------------------------------------ signature defs (T3)

def _standard_signature(input_tensors, output_tensors, problem_type):
    """r1.15's choice of signature, with its checks and messages.

    Returns ``("classify", examples, classes, scores)``, ``("regress", examples,
    predictions)`` or ``("predict",)``. Classification (``CLASSIFICATION`` /
    ``LOGISTIC_REGRESSION`` with one input and string classes, scores or probabilities,
    or a single output) and regression (``LINEAR_REGRESSION``, one input, one output)
    serve serialized tf.Examples: r1.15 raised when that one input was not a string
    Tensor rather than write a signature no server takes, and so does this.

    Raises:
      ValueError: empty `input_tensors` or `output_tensors`; a classify or regress
        signature whose input is not a string Tensor or whose outputs have the wrong
        dtype (r1.15's signature_def_utils messages).
    """
    from compat_learn.estimators import constants, prediction_key

    tf = _tf().tf
    if not input_tensors:
        raise ValueError("input_tensors must be provided.")
    if not output_tensors:
        raise ValueError("output_tensors must be provided.")
    keys = prediction_key.PredictionKey
    classes = output_tensors.get(keys.CLASSES)
    if classes is not None and classes.dtype != tf.string:
        classes = None  # r1.15: Servo classification can only serve string classes
    scores = output_tensors.get(keys.SCORES)
    if scores is None:
        scores = output_tensors.get(keys.PROBABILITIES)
    problem = constants.ProblemType

    def _examples(kind):
        (_, examples), = input_tensors.items()
        if not isinstance(examples, tf.Tensor) or examples.dtype != tf.string:
            raise ValueError(f"{kind} examples must be a string Tensor.")
        return examples

    if (problem_type in (problem.CLASSIFICATION, problem.LOGISTIC_REGRESSION)
            and len(input_tensors) == 1
            and (classes is not None or scores is not None or len(output_tensors) == 1)):
        examples = _examples("Classification")
        if classes is None and scores is None:
            (_, only), = output_tensors.items()
            if only.dtype == tf.string:
                classes = only
            else:
                scores = only
        if scores is not None and scores.dtype != tf.float32:
            raise ValueError("Classification scores must be a float Tensor.")
        return "classify", examples, classes, scores
    if (problem_type == problem.LINEAR_REGRESSION and len(input_tensors) == 1
            and len(output_tensors) == 1):
        examples = _examples("Regression")
        (_, predictions), = output_tensors.items()
        if predictions.dtype != tf.float32:
            raise ValueError("Regression output must be a float Tensor.")
        return "regress", examples, predictions
    return ("predict",)


def build_standardized_signature_def(input_tensors, output_tensors, problem_type):
    """Builds a classify, regress or predict SignatureDef (r1.15 rules).

    Classification (``CLASSIFICATION``/``LOGISTIC_REGRESSION``) and regression
    (``LINEAR_REGRESSION``, one output) need exactly one input, a string Tensor of
    serialized tf.Examples; with several inputs, or another problem type, it is a
    predict signature. Native TF2: ``ExportOutput.as_signature_def``.

    Raises:
      ValueError: empty `input_tensors` or `output_tensors`; a single input that is not
        a string Tensor for classification or regression (r1.15's messages).
    """
    utils = _tf().tf.compat.v1.saved_model.signature_def_utils
    kind, *args = _standard_signature(input_tensors, output_tensors, problem_type)
    if kind == "classify":
        return utils.classification_signature_def(*args)
    if kind == "regress":
        return utils.regression_signature_def(*args)
    return utils.predict_signature_def(input_tensors, output_tensors)


def get_input_alternatives(input_ops):
    """Returns ``(input_alternatives, features)`` for a serving input_fn's result.

    Raises:
      ValueError: no features.
    """
    input_alternatives = {}
    if isinstance(input_ops, InputFnOps):
        features, _, default_inputs = input_ops
        input_alternatives[DEFAULT_INPUT_ALTERNATIVE_KEY] = default_inputs
    else:
        features, _ = input_ops
    if not features:
        raise ValueError("Features must be defined.")
    return input_alternatives, features


def get_output_alternatives(model_fn_ops, default_output_alternative_key=None):
    """Returns ``(output_alternatives, actual_default_key)`` for a `ModelFnOps`.

    Raises:
      ValueError: the requested default is unknown, or several alternatives and no
        default (r1.15 messages).
    """
    # The contrib Estimator's export uses the same function; one definition.
    from compat_learn.estimators import _core_adapter

    return _core_adapter.get_output_alternatives(model_fn_ops, default_output_alternative_key)


def build_all_signature_defs(input_alternatives, output_alternatives,
                             actual_default_output_alternative_key):
    """SignatureDefs for every (input, output) alternative pair plus ``serving_default``.

    Raises:
      ValueError: no default input alternative.
    """
    signature_def_map = {
        "{}:{}".format(input_key, output_key or "None"):
            build_standardized_signature_def(inputs, outputs, problem_type)
        for input_key, inputs in input_alternatives.items()
        for output_key, (problem_type, outputs) in output_alternatives.items()}
    default_inputs = input_alternatives.get(DEFAULT_INPUT_ALTERNATIVE_KEY)
    if not default_inputs:
        raise ValueError("A default input_alternative must be provided.")
    default_problem_type, default_outputs = output_alternatives[
        actual_default_output_alternative_key]
    signature_def_map["serving_default"] = build_standardized_signature_def(
        default_inputs, default_outputs, default_problem_type)
    return signature_def_map


# ------------------------------------------------------------------ directories and GC

def get_timestamped_export_dir(export_dir_base):
    """Returns ``<export_dir_base>/<int(time.time())>`` as bytes (not created).

    If that directory exists it waits a second and tries again, up to
    `MAX_DIRECTORY_CREATION_ATTEMPTS` times.

    Raises:
      RuntimeError: no unused name after the attempts.
    """
    gfile = _tf().gfile
    attempts = 0
    while attempts < MAX_DIRECTORY_CREATION_ATTEMPTS:
        export_dir = os.path.join(_as_bytes(export_dir_base),
                                  _as_bytes(str(int(time.time()))))
        if not gfile.exists(export_dir):
            return export_dir
        time.sleep(1)
        attempts += 1
        logger.warning("Export directory %s already exists; retrying (attempt %d/%d)",
                       export_dir, attempts, MAX_DIRECTORY_CREATION_ATTEMPTS)
    raise RuntimeError("Failed to obtain a unique export directory name after "
                       f"{MAX_DIRECTORY_CREATION_ATTEMPTS} attempts.")


def get_temp_export_dir(timestamped_export_dir):
    """Returns the sibling ``temp-<name>`` of a timestamped export dir, as bytes."""
    dirname, basename = os.path.split(_as_bytes(timestamped_export_dir))
    return os.path.join(dirname, b"temp-" + basename)


def _export_version_parser(path):
    # r1.15: only names of exactly 10 digits are exports (seconds since the epoch).
    filename = os.path.basename(path.path)
    if not (len(filename) == 10 and filename.isdigit()):
        return None
    return path._replace(export_version=int(filename))


def get_most_recent_export(export_dir_base):
    """Returns the `gc.Path` of the newest timestamped export, or None."""
    results = gc.largest_export_versions(1)(
        gc.get_paths(export_dir_base, parser=_export_version_parser))
    return next(iter(results or []), None)


def garbage_collect_exports(export_dir_base, exports_to_keep):
    """Deletes all but the newest `exports_to_keep` timestamped exports.

    Only entries named with exactly 10 digits are considered; ``temp-*`` and
    anything else is left alone. `exports_to_keep` None disables collection.
    """
    if exports_to_keep is None:
        return
    tf_module = _tf()
    delete_filter = gc.negation(gc.largest_export_versions(exports_to_keep))
    for p in delete_filter(gc.get_paths(export_dir_base, parser=_export_version_parser)):
        try:
            tf_module.gfile.rmtree(p.path)
        except tf_module.errors.NotFoundError as e:
            logger.warning("Can not delete %s recursively: %s", p.path, e)


# ------------------------------------------------------------------ strategies

def _is_input_fn_ops(value):
    return getattr(value, "_fields", None) == InputFnOps._fields


def _core_serving_input_fn(serving_input_fn):
    """Adapts a serving input_fn returning `InputFnOps` for a core estimator."""
    def receiver_fn():
        result = serving_input_fn()
        if _is_input_fn_ops(result):
            return _tf().tf.estimator.export.ServingInputReceiver(
                result.features, receiver_tensors=result.default_inputs)
        return result
    return receiver_fn


def _overrides_export_savedmodel(estimator):
    """True if a core estimator has an ``export_savedmodel`` other than TF's.

    Looked up on the estimator, as r1.15's call was: a subclass's method or one set on
    the instance. TF 2.15's own method (``tf.compat.v1.estimator.Estimator``) is
    called through `_core_adapter.export_savedmodel` instead, which does the same
    without its deprecation notice; ``tf.estimator.Estimator``'s only raises
    AttributeError.
    """
    method = getattr(estimator, "export_savedmodel", None)
    own = getattr(method, "__func__", method)
    return own is not None and own not in (_tf().CoreEstimator.export_savedmodel,
                                           _tf().CoreEstimatorV2.export_savedmodel)


@contextlib.contextmanager
def _removing_new_temp_dirs(export_dir_base):
    """Removes the ``temp-<timestamp>`` directories a failed export leaves behind.

    TF writes each export into ``temp-<timestamp>`` and renames it when done; an export
    that fails (its checkpoint was deleted meanwhile, a bad serving input_fn, r1.15's
    signature errors) leaves that directory, which a continuous evaluator that goes on
    would accumulate. `export_dir_base` itself goes too if the failed call made it.
    """
    export_dir_base = os.fsdecode(export_dir_base)
    def temp_dirs():
        if not os.path.lexists(export_dir_base):
            return set()  # TF makes the directory with the first export
        try:
            return {e for e in os.listdir(export_dir_base) if e.startswith("temp-")}
        except OSError:
            return None

    # Remote bases (tf.io.gfile) are left alone.
    before = temp_dirs() if "://" not in export_dir_base else None
    made_base = before is not None and not os.path.lexists(export_dir_base)
    try:
        yield
    except BaseException:
        if before is not None:
            for entry in (temp_dirs() or set()) - before:
                shutil.rmtree(os.path.join(export_dir_base, entry), ignore_errors=True)
            if made_base:
                with contextlib.suppress(OSError):
                    os.rmdir(export_dir_base)  # only if empty: nothing else is touched
        raise


def make_export_strategy(serving_input_fn, default_output_alternative_key=None,
                         assets_extra=None, as_text=False, exports_to_keep=5,
                         strip_default_attrs=None):
    """Returns r1.15's ``'Servo'`` `ExportStrategy` exporting a SavedModel.

    Replaces ``tf.contrib.learn.make_export_strategy``. Native TF2 replacement:
    ``tf.estimator.LatestExporter`` or ``Estimator.export_saved_model``.

    Args:
      serving_input_fn: returns an `InputFnOps` (contrib) or a
        ``ServingInputReceiver``; not called until export.
      default_output_alternative_key: the head served by default (contrib
        estimators only; a core estimator raises ValueError at export time).
      assets_extra: dict of destination (under ``assets.extra``) to source file.
      as_text: write the SavedModel proto as text.
      exports_to_keep: how many timestamped exports to keep; None keeps all.
      strip_default_attrs: passed to ``export_savedmodel`` (contrib estimators and
        ``tf.compat.v1.estimator.Estimator``); ``tf.estimator.Estimator`` in TF 2.15
        always strips.

    Returns:
      ``ExportStrategy('Servo', export_fn, strip_default_attrs)``.
    """
    warn_deprecated("tf.contrib.learn.utils.saved_model_export_utils.make_export_strategy",
                    _EXPORT_REPLACEMENT)

    def export_fn(estimator, export_dir_base, checkpoint_path=None, strip_default_attrs=False):
        """Exports `estimator` under `export_dir_base`; returns the export dir."""
        export_dir_base = _as_str(export_dir_base)
        with _removing_new_temp_dirs(export_dir_base):
            export_result = _export(estimator, export_dir_base, checkpoint_path,
                                    strip_default_attrs)
        # Only after a successful export, so a failure never costs older exports.
        garbage_collect_exports(export_dir_base, exports_to_keep)
        return export_result

    def _export(estimator, export_dir_base, checkpoint_path, strip_default_attrs):
        if isinstance(estimator, _tf().CoreEstimator):
            if default_output_alternative_key is not None:
                raise ValueError(
                    "default_output_alternative_key is not supported in core "
                    f"Estimator. Given: {default_output_alternative_key}")
            # TF 2.15 finds checkpoint files by glob: a model_dir with `[` needs an
            # alias path, or the export cannot find the trained model.
            checkpoint_path = _globsafe.checkpoint_to_restore(
                estimator.model_dir, checkpoint_path, purpose="export")
            receiver_fn = _core_serving_input_fn(serving_input_fn)
            if _overrides_export_savedmodel(estimator):
                # r1.15 called the estimator's own export_savedmodel: honour an override.
                export_result = estimator.export_savedmodel(
                    export_dir_base, receiver_fn, assets_extra=assets_extra,
                    as_text=as_text, checkpoint_path=checkpoint_path,
                    strip_default_attrs=strip_default_attrs)
            elif isinstance(estimator, _tf().CoreEstimatorV2):
                # TF 2.15: no export_savedmodel on tf.estimator.Estimator, and
                # export_saved_model always strips default attrs.
                export_result = estimator.export_saved_model(
                    export_dir_base, receiver_fn, assets_extra=assets_extra,
                    as_text=as_text, checkpoint_path=checkpoint_path)
            else:
                from compat_learn.estimators import _core_adapter

                export_result = _core_adapter.export_savedmodel(
                    estimator, export_dir_base, receiver_fn, assets_extra=assets_extra,
                    as_text=as_text, checkpoint_path=checkpoint_path,
                    strip_default_attrs=strip_default_attrs)
        else:
            export_result = estimator.export_savedmodel(
                export_dir_base, serving_input_fn,
                default_output_alternative_key=default_output_alternative_key,
                assets_extra=assets_extra, as_text=as_text, checkpoint_path=checkpoint_path,
                strip_default_attrs=strip_default_attrs)
        return export_result

    return ExportStrategy("Servo", export_fn, strip_default_attrs)


def make_parsing_export_strategy(feature_columns, default_output_alternative_key=None,
                                 assets_extra=None, as_text=False, exports_to_keep=5,
                                 target_core=False, strip_default_attrs=None):
    """`make_export_strategy` for a model served serialized ``tf.Example``s.

    Replaces ``...saved_model_export_utils.make_parsing_export_strategy``. The parse
    spec comes from ``tf.compat.v1.feature_column.make_parse_example_spec``, so
    `feature_columns` are TF core feature columns (r1.15 took contrib.layers
    columns, which TF 2 does not have). Native TF2 replacement:
    ``tf.estimator.export.build_parsing_serving_input_receiver_fn`` with
    ``tf.estimator.LatestExporter``.

    Args:
      feature_columns: the serving feature columns (no labels).
      target_core: serve through a core ``ServingInputReceiver`` (True) or a
        contrib `InputFnOps` (False; placeholder ``input_example_tensor``).
      Others: see `make_export_strategy`.

    Returns:
      An `ExportStrategy` named ``'Servo'``.
    """
    from compat_learn.utils import input_fn_utils

    warn_deprecated(
        "tf.contrib.learn.utils.saved_model_export_utils.make_parsing_export_strategy",
        "tf.estimator.export.build_parsing_serving_input_receiver_fn with "
        "tf.estimator.LatestExporter")
    tf = _tf().tf
    feature_spec = tf.compat.v1.feature_column.make_parse_example_spec(feature_columns)
    if target_core:
        serving_input_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(
            feature_spec)
    else:
        serving_input_fn = input_fn_utils.build_parsing_serving_input_fn(feature_spec)
    return make_export_strategy(
        serving_input_fn, default_output_alternative_key=default_output_alternative_key,
        assets_extra=assets_extra, as_text=as_text, exports_to_keep=exports_to_keep,
        strip_default_attrs=strip_default_attrs)


def _default_compare_fn(curr_best_eval_result, cand_eval_result):
    """True if the candidate's ``'loss'`` is strictly lower (r1.15)."""
    default_key = "loss"  # MetricKey.LOSS
    if not curr_best_eval_result or default_key not in curr_best_eval_result:
        raise ValueError("curr_best_eval_result cannot be empty or no loss is found in it.")
    if not cand_eval_result or default_key not in cand_eval_result:
        raise ValueError("cand_eval_result cannot be empty or no loss is found in it.")
    return curr_best_eval_result[default_key] > cand_eval_result[default_key]


class BestModelSelector:
    """Tracks the best evaluation result (replaces ``...BestModelSelector``).

    Native TF2 replacement: ``tf.estimator.BestExporter``.

    Args:
      event_file_pattern: glob of event files whose scalar summaries seed the best
        result (survives pre-emption), e.g. ``<model_dir>/eval/*.tfevents.*``.
      compare_fn: ``(current_best, candidate) -> bool``, True if the candidate is
        better; default: strictly lower ``'loss'``.
    """

    def __init__(self, event_file_pattern=None, compare_fn=None):
        warn_deprecated("tf.contrib.learn.utils.saved_model_export_utils.BestModelSelector",
                        "tf.estimator.BestExporter")
        self._compare_fn = compare_fn or _default_compare_fn
        self._best_eval_result = self._get_best_eval_result(event_file_pattern)

    def update(self, checkpoint_path, eval_result):
        """Returns ``(checkpoint_path, eval_result)`` if better, else ``('', None)``.

        Raises:
          ValueError: empty `checkpoint_path` or None `eval_result`.
        """
        if not checkpoint_path:
            raise ValueError("Checkpoint path is empty.")
        if eval_result is None:
            # r1.15 passed the path as a second ValueError argument, unformatted.
            raise ValueError("%s has empty evaluation results.", checkpoint_path)
        if self._best_eval_result is None or self._compare_fn(self._best_eval_result,
                                                              eval_result):
            self._best_eval_result = eval_result
            return checkpoint_path, eval_result
        return "", None

    def _get_best_eval_result(self, event_files):
        if not event_files:
            return None
        tf_module = _tf()
        best_eval_result = None
        for event_file in tf_module.gfile.glob(event_files):
            for event in tf_module.tf.compat.v1.train.summary_iterator(event_file):
                if event.HasField("summary"):
                    event_eval_result = {value.tag: value.simple_value
                                         for value in event.summary.value
                                         if value.HasField("simple_value")}
                    if best_eval_result is None or self._compare_fn(best_eval_result,
                                                                    event_eval_result):
                        best_eval_result = event_eval_result
        return best_eval_result


def make_best_model_export_strategy(serving_input_fn, exports_to_keep=1, model_dir=None,
                                    event_file_pattern=None, compare_fn=None,
                                    default_output_alternative_key=None,
                                    strip_default_attrs=None):
    """An `ExportStrategy` named ``'best_model'`` that exports only improvements.

    Each better checkpoint is exported into
    ``<export base>/<checkpoint basename>/<timestamp>`` (garbage collection runs
    per checkpoint directory); otherwise the export returns ``''``. Replaces
    ``...saved_model_export_utils.make_best_model_export_strategy``. Native TF2
    replacement: ``tf.estimator.BestExporter``.

    Args:
      serving_input_fn: see `make_export_strategy`.
      exports_to_keep: exports kept per checkpoint directory.
      model_dir, event_file_pattern: both given, ``join(model_dir,
        event_file_pattern)`` seeds the best result from event files.
      compare_fn: see `BestModelSelector`.
      default_output_alternative_key, strip_default_attrs: see
        `make_export_strategy`.

    Returns:
      ``ExportStrategy('best_model', export_fn)``.
    """
    warn_deprecated(
        "tf.contrib.learn.utils.saved_model_export_utils.make_best_model_export_strategy",
        "tf.estimator.BestExporter")
    best_model_export_strategy = make_export_strategy(
        serving_input_fn, exports_to_keep=exports_to_keep,
        default_output_alternative_key=default_output_alternative_key,
        strip_default_attrs=strip_default_attrs)
    full_event_file_pattern = (os.path.join(model_dir, event_file_pattern)
                               if model_dir and event_file_pattern else None)
    best_model_selector = BestModelSelector(full_event_file_pattern, compare_fn)

    def export_fn(estimator, export_dir_base, checkpoint_path, eval_result=None):
        """Exports `checkpoint_path` if `eval_result` is the best so far; else ''."""
        if not checkpoint_path:
            # Beyond r1.15: also a model_dir moved from another machine.
            checkpoint_path = _moveddir.latest_checkpoint(estimator.model_dir)
        export_checkpoint_path, export_eval_result = best_model_selector.update(
            checkpoint_path, eval_result)
        if export_checkpoint_path and export_eval_result is not None:
            export_dir = os.path.join(_as_str(export_dir_base),
                                      os.path.basename(_as_str(export_checkpoint_path)))
            return best_model_export_strategy.export(
                estimator, export_dir, export_checkpoint_path, export_eval_result)
        return ""

    return ExportStrategy("best_model", export_fn)


def extend_export_strategy(base_export_strategy, post_export_fn, post_export_name=None):
    """Wraps a strategy so that `post_export_fn` rewrites each export.

    The base export goes to ``<base>/temp-base-export-<ts>``; then
    ``post_export_fn(base_export_path, <base>/temp-post-export-<ts>)`` must return a
    path inside the second directory, which is moved to ``<base>/<that relative
    path>``; both temp directories are deleted. Replaces
    ``...saved_model_export_utils.extend_export_strategy``. Native TF2: post-process
    the directory returned by ``Estimator.export_saved_model``.

    Args:
      base_export_strategy: the `ExportStrategy` to extend.
      post_export_fn: ``(exported_path, temp_dir) -> path under temp_dir``.
      post_export_name: the new strategy's name (default: the base's name).

    Returns:
      An `ExportStrategy`.
    """
    warn_deprecated(
        "tf.contrib.learn.utils.saved_model_export_utils.extend_export_strategy",
        "post-processing the directory returned by Estimator.export_saved_model")

    def export_fn(estimator, export_dir_base, checkpoint_path=None):
        """Exports with the base strategy, then runs post_export_fn; returns its path.

        Raises:
          ValueError: `post_export_fn` returned a path outside its directory.
          RuntimeError: a temporary or the final directory already exists.
        """
        gfile = _tf().gfile
        export_dir_base = _as_str(export_dir_base)
        tmp_base_export_dir = os.path.join(
            export_dir_base, "temp-base-export-" + str(int(time.time())))
        if gfile.exists(tmp_base_export_dir):
            raise RuntimeError("Failed to obtain base export directory")
        gfile.makedirs(tmp_base_export_dir)
        tmp_base_export = base_export_strategy.export(
            estimator, tmp_base_export_dir, checkpoint_path)

        tmp_post_export_dir = os.path.join(
            export_dir_base, "temp-post-export-" + str(int(time.time())))
        if gfile.exists(tmp_post_export_dir):
            raise RuntimeError("Failed to obtain temp export directory")
        gfile.makedirs(tmp_post_export_dir)
        tmp_post_export = _as_str(post_export_fn(tmp_base_export, tmp_post_export_dir))

        if not tmp_post_export.startswith(tmp_post_export_dir):
            raise ValueError(
                f"post_export_fn must return a sub-directory of {tmp_post_export_dir}")
        post_export = os.path.join(
            export_dir_base, os.path.relpath(tmp_post_export, tmp_post_export_dir))
        if gfile.exists(post_export):
            raise RuntimeError("Failed to obtain final export directory")
        gfile.rename(tmp_post_export, post_export)

        gfile.rmtree(tmp_base_export_dir)
        gfile.rmtree(tmp_post_export_dir)
        return post_export

    name = post_export_name if post_export_name else base_export_strategy.name
    return ExportStrategy(name, export_fn)
