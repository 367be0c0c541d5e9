"""The only module of compat_learn that imports TensorFlow.

Every other module reaches TensorFlow through this one (``from compat_learn import
_tf`` and then ``_tf.tf`` or a name below), so that the version gate runs first and
so that the few private TensorFlow paths compat_learn needs live in one place, each
with a comment naming the file and the pinned version.

Supported: TensorFlow 2.15 with tensorflow-estimator 2.15 (the last platform that
has ``tf.estimator``), CPython 3.9-3.11.
"""

import importlib.util
import logging
import os
import re

# What other compat_learn modules take from here (the private TF modules included).
__all__ = [
    "VERSION", "CheckpointSaverHook", "CheckpointSaverListener", "ClusterSpec", "ConfigProto",
    "CoreEstimator", "CoreEstimatorV2", "CoreModeKeys", "CoreRunConfig", "EstimatorSpec",
    "GPUOptions", "GlobalStepWaiterHook", "SessionRunArgs", "SessionRunHook", "TPUEstimator", "errors",
    "estimator_lib", "feature_column_v1", "feeding_functions", "framework_device", "function_utils", "gfile",
    "lookup_ops", "rnn", "sdca_ops", "server_lib",
    "tf", "tf_logging",
]

_INSTALL_HINT = (
    'Install TensorFlow 2.15 with its estimator, for example '
    '`pip install "tensorflow-cpu==2.15.1" "tensorflow-estimator==2.15.0"` '
    "(or `pip install 'compat_learn[tf]'`) on Python 3.9-3.11"
)


def _version_tuple(version):
    return tuple(int(p) for p in re.findall(r"\d+", version)[:2])


def _check_and_import():
    # TensorFlow's C++ logging is noisy at INFO; respect a user's own setting.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import tensorflow as tf_module
    except ImportError as exc:
        raise ImportError(
            "compat_learn needs TensorFlow 2.15, but TensorFlow could not be imported "
            f"({exc}). {_INSTALL_HINT}."
        ) from exc
    found = getattr(tf_module, "__version__", "unknown")
    try:
        version = _version_tuple(found)
    except ValueError:
        version = ()
    if version[:1] != (2,) or version < (2, 15):
        raise ImportError(
            f"compat_learn needs TensorFlow 2.15 (found TensorFlow {found}). {_INSTALL_HINT}."
        )
    if version >= (2, 16):
        raise ImportError(
            "compat_learn requires tf.estimator, which was removed in TensorFlow 2.16 "
            f"(found TensorFlow {found}). {_INSTALL_HINT}; tensorflow-estimator 2.15.0 is "
            "the final release."
        )
    if importlib.util.find_spec("tensorflow_estimator") is None:
        raise ImportError(
            f"compat_learn needs tensorflow-estimator 2.15 next to TensorFlow {found}, "
            f"but it is not installed. {_INSTALL_HINT}."
        )
    return tf_module


tf = _check_and_import()


def _log_through_tensorflow():
    """Make the ``compat_learn`` loggers children of TensorFlow's ``tensorflow`` logger.

    tf.contrib.learn logged through ``tf.logging``, so scripts turn its progress lines
    ("Waiting 60 secs before starting next eval run.", "Validation (step N): ...") on
    and off with ``tf.compat.v1.logging.set_verbosity``.  compat_learn keeps its own
    logger names (``compat_learn.experiment`` ...) so they can be filtered one by one,
    but takes its level and handlers from TensorFlow's logger: records follow
    set_verbosity, print through TensorFlow's own handler, and reach the root logger
    once, as TensorFlow's own do.  A level set on a ``compat_learn`` logger still wins.
    Without TensorFlow (``compat_learn.checkpoints`` alone) the loggers stay plain.
    """
    package_logger = logging.getLogger("compat_learn")
    package_logger.parent = tf.get_logger()
    # setLevel (to the level it already has) clears the loggers' cached levels, which
    # were computed against the old parent.
    package_logger.setLevel(package_logger.level)


_log_through_tensorflow()

VERSION = tf.__version__

# tf.estimator.Estimator (EstimatorV2) subclasses the v1 class; checking against the
# v1 class accepts both (tensorflow-estimator 2.15 estimator.py L1767-1775).
CoreEstimator = tf.compat.v1.estimator.Estimator
CoreEstimatorV2 = tf.estimator.Estimator
CoreRunConfig = tf.estimator.RunConfig
TPUEstimator = tf.compat.v1.estimator.tpu.TPUEstimator
EstimatorSpec = tf.estimator.EstimatorSpec
CoreModeKeys = tf.estimator.ModeKeys
SessionRunHook = tf.compat.v1.train.SessionRunHook
SessionRunArgs = tf.compat.v1.train.SessionRunArgs
CheckpointSaverListener = tf.compat.v1.train.CheckpointSaverListener
CheckpointSaverHook = tf.compat.v1.train.CheckpointSaverHook
GlobalStepWaiterHook = tf.compat.v1.train.GlobalStepWaiterHook
ClusterSpec = tf.train.ClusterSpec
ConfigProto = tf.compat.v1.ConfigProto
GPUOptions = tf.compat.v1.GPUOptions
errors = tf.errors
gfile = tf.io.gfile

# Private: tensorflow/python/training/server_lib.py (TF 2.15.1). Experiment starts
# servers through this *module attribute* (looked up at call time), as r1.15 did, so
# that tests can patch `server_lib.Server` the way the upstream tests do.
from tensorflow.python.training import server_lib  # noqa: E402

# Private: tensorflow_estimator/python/estimator/estimator.py (2.15.0). The contrib
# Estimator wraps this module's v1 Estimator and reuses its model_fn plumbing.
from tensorflow_estimator.python.estimator import estimator as estimator_lib  # noqa: E402

# Private: tensorflow/python/util/function_utils.py (TF 2.15.1): the argument-name
# inspection r1.15 used for predicates and export_fns (fn_args handles partials).
from tensorflow.python.util import function_utils  # noqa: E402

# Private: tensorflow_estimator/python/estimator/inputs/queues/feeding_functions.py
# (2.15.0). learn_io.generator_input_fn queues a generator's dicts exactly as r1.15's
# generator_io did, through this module's `_enqueue_data`.
from tensorflow_estimator.python.estimator.inputs.queues import feeding_functions  # noqa: E402

# Private: tensorflow/python/ops/lookup_ops.py (TF 2.15.1). r1.15's tf.contrib.lookup
# re-exported index_table_from_tensor & co. from this module; TF 2.15 keeps them but
# exports none of them publicly (compat_learn._contrib_table serves them).
from tensorflow.python.ops import lookup_ops  # noqa: E402

# Private: tensorflow/python/ops/rnn.py (TF 2.15.1). r1.15's tf.contrib.rnn re-exported
# its private _transpose_batch_time and _best_effort_input_batch_size, which TF 2.15
# keeps there unexported (compat_learn._contrib_table serves them).
from tensorflow.python.ops import rnn  # noqa: E402

# Private: tensorflow/python/feature_column/feature_column.py (TF 2.15.1). r1.15's
# contrib.layers feature columns subclassed its _CategoricalColumn / _DenseColumn, so
# tf.compat.v1.feature_column (make_parse_example_spec, input_layer) took them.
from tensorflow.python.feature_column import feature_column as feature_column_v1  # noqa: E402

# Private: tensorflow/python/framework/device.py (TF 2.15.1) binds DeviceSpec to
# DeviceSpecV2 when TensorFlow loads with TF2 behaviour; `compat-learn run --tf1`
# rebinds it to DeviceSpecV1, as TF 1.x had it (compat_learn._alias).
from tensorflow.python.framework import device as framework_device  # noqa: E402

# Private: tensorflow/python/platform/tf_logging.py (TF 2.15.1): r1.15's PrintTensor and
# LoggingTrainable called this module's `info` (looked up at each call, so patching it
# works as it did); tf.compat.v1.logging.info is a copy of the function, not the module.
from tensorflow.python.platform import tf_logging  # noqa: E402

# Private: tensorflow_estimator/python/estimator/canned/linear_optimizer/python/utils/
# sdca_ops.py (2.15.0): tensorflow-estimator's copy of r1.15's contrib SdcaModel
# (`_SDCAModel`, `_SparseFeatureColumn`, on the SdcaOptimizerV2 / SdcaFprint kernels);
# compat_learn.linear_optimizer serves tf.contrib.linear_optimizer on it.
from tensorflow_estimator.python.estimator.canned.linear_optimizer.python.utils import sdca_ops  # noqa: E402
