"""`tf.contrib.learn.KMeansClustering` on TF 2.15's k-means ops.

Replaces ``tensorflow.contrib.learn.python.learn.estimators.kmeans`` (r1.15). The
graph is TF 2.15's own k-means model (``tf.compat.v1.estimator.experimental.KMeans``
runs the same clustering ops r1.15's contrib.factorization did, with the same
variables: ``clusters``, ...); this class keeps r1.15's contrib Estimator API,
constants, prediction keys (``all_scores``, ``cluster_idx``), the ``scores``
metric and the ``kmeans_loss`` tensor name. Native TF2:
``tf.compat.v1.estimator.experimental.KMeans``.
"""

import numpy as np

from compat_learn import _tf
from compat_learn.estimators import estimator

__all__ = ["KMeansClustering"]

tf = _tf.tf
_CoreKMeans = tf.compat.v1.estimator.experimental.KMeans


def _kmeans_clustering_model_fn(features, labels, mode, params, config):
    """r1.15's k-means model_fn: TF 2.15's k-means graph under r1.15's keys."""
    assert labels is None, labels
    core = _CoreKMeans(
        num_clusters=params.get("num_clusters"), model_dir=config.model_dir,
        initial_clusters=params.get("training_initial_clusters"),
        distance_metric=params.get("distance_metric"), seed=params.get("random_seed"),
        use_mini_batch=params.get("use_mini_batch"),
        mini_batch_steps_per_iteration=params.get("mini_batch_steps_per_iteration"),
        kmeans_plus_plus_num_retries=params.get("kmeans_plus_plus_num_retries"),
        relative_tolerance=params.get("relative_tolerance"))
    spec = core.model_fn(features, None, mode, config)
    loss = tf.identity(spec.loss, name=KMeansClustering.LOSS_OP_NAME)
    predictions = {
        KMeansClustering.ALL_SCORES: spec.predictions[_CoreKMeans.ALL_DISTANCES],
        KMeansClustering.CLUSTER_IDX: spec.predictions[_CoreKMeans.CLUSTER_INDEX],
    }
    return spec._replace(
        loss=loss, predictions=predictions,
        eval_metric_ops={KMeansClustering.SCORES: spec.eval_metric_ops[_CoreKMeans.SCORE]})


class KMeansClustering(estimator.Estimator):
    """An Estimator for K-Means clustering.

    Replaces ``tf.contrib.learn.KMeansClustering``. Native TF2:
    ``tf.compat.v1.estimator.experimental.KMeans``.

    Args:
      num_clusters: number of clusters to train.
      model_dir: directory for checkpoints and summaries.
      initial_clusters: `RANDOM_INIT`, `KMEANS_PLUS_PLUS_INIT`, a tensor or a
        function of (inputs, num_clusters).
      distance_metric: `SQUARED_EUCLIDEAN_DISTANCE` or `COSINE_DISTANCE`.
      random_seed: seed of the initial centers.
      use_mini_batch: mini-batch k-means (else full batch).
      mini_batch_steps_per_iteration: steps between syncs of the cluster centers.
      kmeans_plus_plus_num_retries: extra samples per k-means++ point.
      relative_tolerance: stop when the loss changes less than this.
      config: a `RunConfig`.

    Evaluation reports ``scores``, the sum of distances to the nearest centers
    (TF 2.15's streaming mean over the evaluated batches; r1.15 reported the last
    batch's sum).
    """

    SQUARED_EUCLIDEAN_DISTANCE = _CoreKMeans.SQUARED_EUCLIDEAN_DISTANCE
    COSINE_DISTANCE = _CoreKMeans.COSINE_DISTANCE
    RANDOM_INIT = _CoreKMeans.RANDOM_INIT
    KMEANS_PLUS_PLUS_INIT = _CoreKMeans.KMEANS_PLUS_PLUS_INIT
    SCORES = "scores"
    CLUSTER_IDX = "cluster_idx"
    CLUSTERS = "clusters"
    ALL_SCORES = "all_scores"
    LOSS_OP_NAME = "kmeans_loss"

    def __init__(self, num_clusters, model_dir=None, initial_clusters=RANDOM_INIT,
                 distance_metric=SQUARED_EUCLIDEAN_DISTANCE, random_seed=0,
                 use_mini_batch=True, mini_batch_steps_per_iteration=1,
                 kmeans_plus_plus_num_retries=2, relative_tolerance=None, config=None):
        params = {
            "num_clusters": num_clusters,
            "training_initial_clusters": initial_clusters,
            "distance_metric": distance_metric,
            "random_seed": random_seed,
            "use_mini_batch": use_mini_batch,
            "mini_batch_steps_per_iteration": mini_batch_steps_per_iteration,
            "kmeans_plus_plus_num_retries": kmeans_plus_plus_num_retries,
            "relative_tolerance": relative_tolerance,
        }
        super().__init__(model_fn=_kmeans_clustering_model_fn, params=params,
                         model_dir=model_dir, config=config)

    def predict_cluster_idx(self, input_fn=None):
        """Yields the index of the nearest cluster of each input point."""
        for result in super().predict(input_fn=input_fn, outputs=[self.CLUSTER_IDX]):
            yield result[self.CLUSTER_IDX]

    def score(self, input_fn=None, steps=None):
        """Returns the total distance of the points to their nearest clusters."""
        return np.sum(self.evaluate(input_fn=input_fn, steps=steps)[self.SCORES])

    def transform(self, input_fn=None, as_iterable=False):
        """Returns each point's distances to the cluster centers (squared for
        `SQUARED_EUCLIDEAN_DISTANCE`)."""
        results = super().predict(input_fn=input_fn, outputs=[self.ALL_SCORES],
                                  as_iterable=as_iterable)
        return results if as_iterable else results[self.ALL_SCORES]

    def clusters(self):
        """Returns the cluster centers."""
        return self.get_variable_value(self.CLUSTERS)
