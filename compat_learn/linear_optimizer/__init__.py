"""`tf.contrib.linear_optimizer` (r1.15 contrib/linear_optimizer/__init__.py).

r1.15's three public names: `SdcaModel` (the stochastic dual coordinate ascent solver,
``python/ops/sdca_ops.py``), `SparseFeatureColumn` (``python/ops/sparse_feature_column.py``)
and `SDCAOptimizer` (the wrapper the contrib linear estimators and `SVM` take,
``python/sdca_optimizer.py``). They run on TF 2.15's SDCA kernels (``SdcaOptimizerV2``,
``SdcaFprint``) through tensorflow-estimator 2.15's copy of the solver. Native TF2
replacement: ``tf.estimator.LinearClassifier(optimizer=tf.estimator.experimental.LinearSDCA(...))``.
"""

from compat_learn.linear_optimizer.sdca_ops import SdcaModel
from compat_learn.linear_optimizer.sdca_optimizer import SDCAOptimizer
from compat_learn.linear_optimizer.sparse_feature_column import SparseFeatureColumn

__all__ = ["SDCAOptimizer", "SdcaModel", "SparseFeatureColumn"]
