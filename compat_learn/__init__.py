"""compat_learn: `tf.contrib.learn` for TensorFlow 2.15's `tf.estimator`.

Change one import and a TF 1.x script that builds a ``tf.contrib.learn.Experiment``
runs on TensorFlow 2.15 with r1.15's schedules, directories and return values::

    import compat_learn as learn          # was: from tensorflow.contrib import learn
    from compat_learn import learn_runner # was: from tensorflow.contrib.learn import learn_runner

This module is a lazy facade: ``import compat_learn`` imports neither TensorFlow nor
anything of TensorFlow's, and changes nothing in ``tensorflow``.  A name is imported
from its home module the first time it is used.
"""

import importlib

__version__ = "0.1.0"

# Public name -> (home module, attribute or None for a submodule).  Mirrors r1.15's
# documented `tf.contrib.learn` names (contrib/learn/__init__.py @@ list and allowed
# extras) that compat_learn implements, plus compat_learn's own additions at the end.
_E = "compat_learn.estimators"
_LAZY = {
    # r1.15 @@ names.
    "Experiment": ("compat_learn.experiment", "Experiment"),
    "ExportStrategy": ("compat_learn.export_strategy", "ExportStrategy"),
    "RunConfig": ("compat_learn.run_config", "RunConfig"),
    "TaskType": ("compat_learn.run_config", "TaskType"),
    "Trainable": ("compat_learn.trainable", "Trainable"),
    "Evaluable": ("compat_learn.evaluable", "Evaluable"),
    "Estimator": (_E + ".estimator", "Estimator"),
    "BaseEstimator": (_E + ".estimator", "BaseEstimator"),
    "SKCompat": (_E + ".estimator", "SKCompat"),
    "infer_real_valued_columns_from_input": (_E + ".estimator", "infer_real_valued_columns_from_input"),
    "infer_real_valued_columns_from_input_fn": (_E + ".estimator", "infer_real_valued_columns_from_input_fn"),
    "ModeKeys": (_E + ".model_fn", "ModeKeys"),
    "ModelFnOps": (_E + ".model_fn", "ModelFnOps"),
    "ProblemType": (_E + ".constants", "ProblemType"),
    "PredictionKey": (_E + ".prediction_key", "PredictionKey"),
    "MetricSpec": ("compat_learn.metric_spec", "MetricSpec"),
    "InputFnOps": ("compat_learn.utils.input_fn_utils", "InputFnOps"),
    "build_parsing_serving_input_fn": ("compat_learn.utils.input_fn_utils", "build_parsing_serving_input_fn"),
    "make_export_strategy": ("compat_learn.utils.saved_model_export_utils", "make_export_strategy"),
    "NanLossDuringTrainingError": ("compat_learn.monitors", "NanLossDuringTrainingError"),
    "extract_pandas_data": ("compat_learn.learn_io", "extract_pandas_data"),
    "extract_pandas_labels": ("compat_learn.learn_io", "extract_pandas_labels"),
    "extract_pandas_matrix": ("compat_learn.learn_io", "extract_pandas_matrix"),
    "extract_dask_data": ("compat_learn.learn_io", "extract_dask_data"),
    "extract_dask_labels": ("compat_learn.learn_io", "extract_dask_labels"),
    "read_batch_examples": ("compat_learn.learn_io", "read_batch_examples"),
    "read_batch_features": ("compat_learn.learn_io", "read_batch_features"),
    "read_batch_record_features": ("compat_learn.learn_io", "read_batch_record_features"),
    "read_keyed_batch_examples": ("compat_learn.learn_io", "read_keyed_batch_examples"),
    "read_keyed_batch_examples_shared_queue": ("compat_learn.learn_io", "read_keyed_batch_examples_shared_queue"),
    "read_keyed_batch_features": ("compat_learn.learn_io", "read_keyed_batch_features"),
    "read_keyed_batch_features_shared_queue": ("compat_learn.learn_io", "read_keyed_batch_features_shared_queue"),
    "Head": (_E + ".head", "Head"),
    "binary_svm_head": (_E + ".head", "binary_svm_head"),
    "multi_class_head": (_E + ".head", "multi_class_head"),
    "multi_head": (_E + ".head", "multi_head"),
    "multi_label_head": (_E + ".head", "multi_label_head"),
    "no_op_train_fn": (_E + ".head", "no_op_train_fn"),
    "poisson_regression_head": (_E + ".head", "poisson_regression_head"),
    "regression_head": (_E + ".head", "regression_head"),
    "DNNClassifier": (_E + ".dnn", "DNNClassifier"),
    "DNNEstimator": (_E + ".dnn", "DNNEstimator"),
    "DNNRegressor": (_E + ".dnn", "DNNRegressor"),
    "DNNLinearCombinedClassifier": (_E + ".dnn_linear_combined", "DNNLinearCombinedClassifier"),
    "DNNLinearCombinedEstimator": (_E + ".dnn_linear_combined", "DNNLinearCombinedEstimator"),
    "DNNLinearCombinedRegressor": (_E + ".dnn_linear_combined", "DNNLinearCombinedRegressor"),
    "LinearClassifier": (_E + ".linear", "LinearClassifier"),
    "LinearEstimator": (_E + ".linear", "LinearEstimator"),
    "LinearRegressor": (_E + ".linear", "LinearRegressor"),
    "LogisticRegressor": (_E + ".logistic_regressor", "LogisticRegressor"),
    "KMeansClustering": (_E + ".kmeans", "KMeansClustering"),
    "SVM": (_E + ".svm", "SVM"),
    # r1.15 allowed extras.
    "NotFittedError": (_E + "._sklearn", "NotFittedError"),
    "datasets": ("compat_learn.datasets", None),
    "head": (_E + ".head", None),
    "io": ("compat_learn.learn_io", None),
    "learn_runner": ("compat_learn.learn_runner", None),
    "monitors": ("compat_learn.monitors", None),
    "utils": ("compat_learn.utils", None),
    # compat_learn's own.
    "checkpoints": ("compat_learn.checkpoints", None),
    "install": ("compat_learn._alias", "install"),
    "CompatLearnDeprecationWarning": ("compat_learn._deprecation", "CompatLearnDeprecationWarning"),
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name):
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(_missing_name_message(name)) from None
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def _missing_name_message(name):
    # r1.15 names compat_learn does not serve (canned estimators, heads, graph_actions)
    # get their nearest native TF2 replacement from the migration table.
    _contrib_table = importlib.import_module("compat_learn._contrib_table")

    message = f"module 'compat_learn' has no attribute {name!r}"
    symbol = _contrib_table.lookup_symbol(_contrib_table.CONTRIB + ".learn", name)
    if symbol is not None and symbol.target is None:
        message += (f": compat_learn does not provide tf.contrib.learn.{name}; "
                    f"the nearest native TF2 replacement is {symbol.replacement}")
    return message


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
