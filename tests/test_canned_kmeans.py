"""tf.contrib.learn.KMeansClustering (compat_learn.estimators.kmeans): r1.15's API on
TF 2.15's k-means ops, checked against numpy distances."""

import numpy as np

from compat_learn._tf import tf
from compat_learn.estimators import kmeans

POINTS = np.array([[0., 0.], [0., 1.], [10., 10.], [10., 11.]], np.float32)


def _input_fn():
    return tf.constant(POINTS), None


def test_kmeans_clusters_predictions_and_scores_are_r115s(tmp_path):
    estimator = kmeans.KMeansClustering(num_clusters=2, model_dir=str(tmp_path),
                                        initial_clusters=kmeans.KMeansClustering.KMEANS_PLUS_PLUS_INIT,
                                        use_mini_batch=False)
    estimator.fit(input_fn=_input_fn, steps=5)
    centers = estimator.clusters()
    np.testing.assert_allclose(sorted(centers.tolist()), [[0., .5], [10., 10.5]], atol=1e-5)
    distances = ((POINTS[:, None, :] - centers[None, :, :]) ** 2).sum(-1)
    np.testing.assert_allclose(estimator.transform(input_fn=_input_fn), distances, rtol=1e-5,
                               atol=1e-5)
    assert list(estimator.predict_cluster_idx(input_fn=_input_fn)) == (
        distances.argmin(1).tolist())
    np.testing.assert_allclose(estimator.score(input_fn=_input_fn, steps=1),
                               distances.min(1).sum(), rtol=1e-5)
    assert "scores" in estimator.evaluate(input_fn=_input_fn, steps=1)
