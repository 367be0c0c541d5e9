"""`tf.contrib.learn.SVM`: a linear SVM trained by SDCA (r1.15 estimators/svm.py).

Replaces ``tensorflow.contrib.learn.python.learn.estimators.svm``. The model is r1.15's:
`linear.sdca_model_fn` over the ``linear`` scope of ``weighted_sum_from_feature_columns``
(``linear/<column>/weight(s)``, ``linear/bias_weight``), with the binary SVM head (hinge
loss, no centered bias) and an `SDCAOptimizer` built from the regularization arguments,
so a model_dir an r1.15 `SVM` trained restores. Native TF2: none (tf.estimator has no
hinge-loss head); ``tf.estimator.LinearClassifier(optimizer=
tf.estimator.experimental.LinearSDCA(...))`` trains the logistic loss by SDCA.
"""

from compat_learn.estimators import dnn_linear_combined as _combined
from compat_learn.estimators import estimator, linear
from compat_learn.estimators import head as head_lib
from compat_learn.linear_optimizer import sdca_optimizer

__all__ = ["SVM"]


class SVM(_combined._ClassifierPredictions, estimator.Estimator):
    """Support Vector Machine (SVM) model for binary classification.

    Replaces ``tf.contrib.learn.SVM``: a linear SVM whose hinge loss SDCA minimizes.
    Inputs of `fit` and `evaluate` need the feature ``example_id_column`` (a ``[batch]``
    string tensor; without it, a `KeyError`), the weight feature if
    `weight_column_name` is given, and each column's feature.

    Args:
      example_id_column: name of the feature of unique string example ids.
      feature_columns: the contrib feature columns (real-valued, bucketized, sparse,
        weighted sparse, crossed).
      weight_column_name: feature of per-example weights (multiplying the loss).
      model_dir: directory for checkpoints and summaries.
      l1_regularization: global L1 strength.
      l2_regularization: global L2 strength (the solver uses at least 1.0).
      num_loss_partitions: `SDCAOptimizer`'s; the number of workers training.
      kernels: reserved; anything but None raises.
      config: a `RunConfig`.
      feature_engineering_fn: ``fn(features, labels) -> (features, labels)``.

    Raises:
      ValueError: `kernels` is not None (r1.15 message).
    """

    def __init__(self, example_id_column, feature_columns, weight_column_name=None,
                 model_dir=None, l1_regularization=0.0, l2_regularization=0.0,
                 num_loss_partitions=1, kernels=None, config=None,
                 feature_engineering_fn=None):
        if kernels is not None:
            raise ValueError("Kernel SVMs are not currently supported.")
        optimizer = sdca_optimizer.SDCAOptimizer(
            example_id_column=example_id_column, num_loss_partitions=num_loss_partitions,
            symmetric_l1_regularization=l1_regularization,
            symmetric_l2_regularization=l2_regularization)
        self._feature_columns = feature_columns
        head = head_lib.binary_svm_head(weight_column_name=weight_column_name,
                                        enable_centered_bias=False)
        super().__init__(
            model_fn=linear.sdca_model_fn, model_dir=model_dir, config=config,
            params=linear._sdca_params(head, feature_columns, optimizer, weight_column_name),
            feature_engineering_fn=feature_engineering_fn)

    # r1.15's SVM.predict is the Estimator's (a dict per example: logits, classes);
    # predict_classes / predict_proba are the linear classifiers'.
    predict = estimator.Estimator.predict

    def predict_proba(self, x=None, input_fn=None, batch_size=None, outputs=None,
                      as_iterable=True):
        """r1.15's method; the SVM head predicts no probabilities, so it fails.

        Raises:
          ValueError: always, as in r1.15 (no ``probabilities`` output); with
            `as_iterable` when the result is iterated.
        """
        del outputs  # r1.15 took it and ignored it
        return super().predict_proba(x=x, input_fn=input_fn, batch_size=batch_size,
                                     as_iterable=as_iterable)

    def export_with_defaults(self, export_dir, signature_fn=None, input_fn=None,
                             default_batch_size=1, exports_to_keep=None):
        """r1.15's SessionBundle export, which compat_learn does not write.

        Raises:
          NotImplementedError: always; use `export_savedmodel`.
        """
        return self.export(export_dir, signature_fn=signature_fn, input_fn=input_fn,
                           default_batch_size=default_batch_size,
                           exports_to_keep=exports_to_keep)
