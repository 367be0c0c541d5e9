"""`tf.contrib.learn.ProblemType` and the estimator constants of r1.15.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.constants``. Native TF2:
the export output classes ``tf.estimator.export.ClassificationOutput``,
``RegressionOutput`` and ``PredictOutput`` say the problem type themselves.
"""

__all__ = ["COLLECTION_DEF_KEY_FOR_INPUT_FEATURE_KEYS", "ProblemType"]


class ProblemType:
    """Enum-like values for the type of problem a model solves.

    Replaces ``tf.contrib.learn.ProblemType``; used by `ModelFnOps.output_alternatives`
    to choose the SavedModel signature kind at export:

    * ``UNSPECIFIED``: a predict signature;
    * ``CLASSIFICATION``: a classify signature;
    * ``LINEAR_REGRESSION``: a regress signature;
    * ``LOGISTIC_REGRESSION``: a classify signature.

    Native TF2: pass a ``tf.estimator.export.ExportOutput`` in
    ``EstimatorSpec.export_outputs``.
    """

    UNSPECIFIED = 0
    CLASSIFICATION = 1
    LINEAR_REGRESSION = 2
    LOGISTIC_REGRESSION = 3


COLLECTION_DEF_KEY_FOR_INPUT_FEATURE_KEYS = "input_feature_keys"
