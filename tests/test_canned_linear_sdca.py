"""tf.contrib.linear_optimizer and the linear estimators' SDCA path against r1.15.

r1.15's linear.py (sdca_model_fn, the SDCA checks of LinearClassifier / LinearRegressor /
LinearEstimator), sdca_optimizer.py and sdca_ops.py, with the scenarios and bounds of
r1.15's linear_test.py SDCA tests. Numbers are checked against numpy: the regressor's
weights against the closed-form ridge solution of its SDCA objective
(``sum_i w_i (y_i - x_i.t)^2 / 2 + l2/2 |t|^2``, bias included), the bias-only model against
``sum(y) / (n + l2)``, `regularized_loss` against its formula.
"""

import logging

import numpy as np
import pytest

from compat_learn._tf import tf
from compat_learn.estimators import head as head_lib
from compat_learn.estimators import linear
from compat_learn.layers import feature_column as fc
from compat_learn.linear_optimizer import SdcaModel, SDCAOptimizer, SparseFeatureColumn

v1 = tf.compat.v1


def _input_fn(features, labels, example_ids=None):
    def input_fn():
        n = len(labels)
        tensors = {"example_id": tf.constant(example_ids or [str(i + 1) for i in range(n)])}
        for name, value in features.items():
            # A callable builds its (sparse) tensor in the input_fn's graph.
            tensors[name] = value() if callable(value) else tf.constant(value)
        return tensors, tf.constant(labels)
    return input_fn


def _sparse(values, indices, shape):
    return lambda: tf.SparseTensor(values=values, indices=indices, dense_shape=shape)


def _sdca(**kwargs):
    return SDCAOptimizer(example_id_column="example_id", **kwargs)


def _classify(tmp_path, columns, features, labels, steps, **kwargs):
    classifier = linear.LinearClassifier(feature_columns=columns, optimizer=_sdca(),
                                         model_dir=str(tmp_path), **kwargs)
    input_fn = _input_fn(features, np.array(labels).reshape(-1, 1))
    classifier.fit(input_fn=input_fn, steps=steps)
    return classifier, classifier.evaluate(input_fn=input_fn, steps=1)


# ------------------------------------------------------------------ LinearClassifier
@pytest.mark.integration
def test_classifier_real_valued_features_logistic_loss_matches_numpy(tmp_path):
    # r1.15 testSdcaOptimizerRealValuedFeatures: loss < 0.05 after 100 steps.
    features = {"maintenance_cost": np.array([[500.0], [200.0]], np.float32),
                "sq_footage": np.array([[800.0], [600.0]], np.float32),
                "weights": np.array([[1.0], [1.0]], np.float32)}
    classifier, metrics = _classify(
        tmp_path, [fc.real_valued_column("maintenance_cost"), fc.real_valued_column("sq_footage")],
        features, [0, 1], steps=100, weight_column_name="weights")
    assert metrics["loss"] < 0.05
    w = np.concatenate([classifier.get_variable_value(name).ravel() for name in (
        "linear/maintenance_cost/weight", "linear/sq_footage/weight", "linear/bias_weight")])
    logits = np.hstack([features["maintenance_cost"], features["sq_footage"], [[1.0], [1.0]]]) @ w
    log_loss = np.mean(np.log1p(np.exp(-np.where([0, 1], logits, -logits))))
    assert metrics["loss"] == pytest.approx(log_loss, rel=1e-3, abs=1e-6)
    np.testing.assert_allclose(
        classifier.predict_proba(input_fn=_input_fn(features, np.zeros((2, 1))),
                                 as_iterable=False)[:, 1], 1 / (1 + np.exp(-logits)), rtol=1e-4)
    names = set(classifier.get_variable_names())
    assert "binary_logistic_head/train_op/linear/sq_footage/weight_unshrinked/SDCAOptimizer" \
        in names
    assert not any("Ftrl" in name or "centered_bias" in name for name in names)


@pytest.mark.integration
def test_classifier_sparse_weighted_bucketized_and_crossed_features(tmp_path):
    # r1.15 testSdcaOptimizerMixedFeatures, WeightedSparseFeatures and CrossedFeatures.
    country = fc.sparse_column_with_hash_bucket("country", hash_bucket_size=5)
    sq_footage_bucket = fc.bucketized_column(fc.real_valued_column("sq_footage"),
                                             boundaries=[650.0, 800.0])
    columns = [fc.real_valued_column("price"), sq_footage_bucket, country,
               fc.crossed_column([sq_footage_bucket, country], hash_bucket_size=10),
               fc.weighted_sparse_column(
                   fc.sparse_column_with_hash_bucket("language", hash_bucket_size=5), "lweight")]
    features = {"price": np.array([[0.6], [0.8], [0.3]], np.float32),
                "sq_footage": np.array([[900.0], [700.0], [600.0]], np.float32),
                "country": _sparse(["IT", "US", "GB"], [[0, 0], [1, 3], [2, 1]], [3, 5]),
                "language": _sparse(["en", "fr", "en"], [[0, 0], [1, 0], [2, 0]], [3, 5]),
                "lweight": _sparse([2.0, 3.0, 1.0], [[0, 0], [1, 0], [2, 0]], [3, 5]),
                "weights": np.array([[3.0], [1.0], [1.0]], np.float32)}
    _, metrics = _classify(tmp_path, columns, features, [1, 0, 1], steps=50,
                           weight_column_name="weights")
    assert metrics["accuracy"] > 0.9
    assert {"loss", "accuracy", "auc", "global_step"} <= set(metrics)


# ------------------------------------------------------------------ LinearRegressor
def _ridge(x, y, example_weights, l2):
    """The minimizer of sum_i w_i (y_i - x_i.t)^2 / 2 + l2/2 |t|^2."""
    xw = x * example_weights[:, None]
    return np.linalg.solve(x.T @ xw + l2 * np.eye(x.shape[1]), xw.T @ y)


@pytest.mark.integration
def test_regressor_real_valued_features_reach_the_ridge_solution(tmp_path):
    # r1.15 testSdcaOptimizerRealValuedLinearFeatures: loss < 0.01, weights within 10%.
    x = np.array([[1.2, 2.0, -1.5], [-2.0, 3.0, -0.5], [1.0, -0.5, 4.0]], np.float32)
    true_weights = np.array([3.0, -1.2, 0.5], np.float32)
    y = (x @ true_weights).reshape(-1, 1)
    regressor = linear.LinearRegressor(
        feature_columns=[fc.real_valued_column("x", dimension=3)], optimizer=_sdca(),
        weight_column_name="weights", model_dir=str(tmp_path))
    input_fn = _input_fn({"x": x, "weights": np.full((3, 1), 10.0, np.float32)}, y)
    regressor.fit(input_fn=input_fn, steps=20)
    metrics = regressor.evaluate(input_fn=input_fn, steps=1)
    assert metrics["loss"] < 0.01
    weights = regressor.get_variable_value("linear/x/weight").ravel()
    np.testing.assert_allclose(weights, true_weights, rtol=0.1)
    solution = _ridge(np.hstack([x, np.ones((3, 1))]), y.ravel(), np.full(3, 10.0), 1.0)
    trained = np.append(weights, regressor.get_variable_value("linear/bias_weight"))
    np.testing.assert_allclose(trained, solution, atol=1e-3)
    # evaluate's loss is the mean squared error of the trained weights.
    residual = x @ weights + trained[-1] - y.ravel()
    assert metrics["loss"] == pytest.approx(np.mean(residual ** 2), rel=1e-3, abs=1e-7)


@pytest.mark.integration
def test_regressor_bias_only_is_the_regularized_mean(tmp_path):
    # r1.15 testSdcaOptimizerBiasOnly: a quarter of the labels positive, bias ~ 0.25.
    n = 40
    labels = np.array([[1.0 if i % 4 == 0 else 0.0] for i in range(n)], np.float32)
    regressor = linear.LinearRegressor(feature_columns=[fc.real_valued_column("place_holder")],
                                       optimizer=_sdca(), model_dir=str(tmp_path))
    regressor.fit(input_fn=_input_fn({"place_holder": np.zeros((n, 1), np.float32)}, labels),
                  steps=20)
    bias = regressor.get_variable_value("linear/bias_weight")[0]
    assert bias == pytest.approx(0.25, abs=0.1)
    # The bias is an SDCA weight of a column of ones: L2-regularized like the others.
    assert bias == pytest.approx(labels.sum() / (n + 1.0), abs=1e-3)


@pytest.mark.integration
def test_regressor_l1_regularization_trades_loss_for_smaller_weights(tmp_path):
    # r1.15 testSdcaOptimizerSparseFeaturesWithL1Reg.
    features = {"price": np.array([[0.4], [0.6], [0.3]], np.float32),
                "country": _sparse(["IT", "US", "GB"], [[0, 0], [1, 3], [2, 1]], [3, 5]),
                "weights": np.full((3, 1), 10.0, np.float32)}
    labels = np.array([[1.4], [-0.8], [2.6]], np.float32)
    columns = [fc.real_valued_column("price"),
               fc.sparse_column_with_hash_bucket("country", hash_bucket_size=5)]
    results = []
    for l1 in (0.0, 1.0):
        regressor = linear.LinearRegressor(
            feature_columns=columns, optimizer=_sdca(symmetric_l1_regularization=l1),
            weight_column_name="weights", model_dir=str(tmp_path / str(l1)))
        regressor.fit(input_fn=_input_fn(features, labels), steps=20)
        loss = regressor.evaluate(input_fn=_input_fn(features, labels), steps=1)["loss"]
        norm = sum(np.abs(regressor.get_variable_value(name)).sum()
                   for name in ("linear/price/weight", "linear/country/weights"))
        results.append((loss, norm))
    (no_l1_loss, no_l1_norm), (l1_loss, l1_norm) = results
    assert no_l1_loss < l1_loss
    assert no_l1_loss < 0.05
    assert l1_norm < no_l1_norm


def test_regressor_turns_centered_bias_off_with_r115_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="compat_learn.estimators.linear"):
        regressor = linear.LinearRegressor(feature_columns=[fc.real_valued_column("x")],
                                           optimizer=_sdca(), enable_centered_bias=True)
    assert "centered_bias is not supported with SDCA, please disable it explicitly." in \
        caplog.text
    assert regressor.params["head"]._enable_centered_bias is False
    assert regressor.params["update_weights_hook"] is not None


# ------------------------------------------------------------------ errors (r1.15's)
def test_sdca_constructor_errors_are_r115s():
    columns = [fc.real_valued_column("x")]
    with pytest.raises(ValueError, match=r"^enable_centered_bias is not supported with SDCA$"):
        linear.LinearClassifier(feature_columns=columns, optimizer=_sdca(),
                                enable_centered_bias=True)
    with pytest.raises(AssertionError, match=r"^SDCA only applies to binary classification\.$"):
        linear.LinearClassifier(feature_columns=columns, optimizer=_sdca(), n_classes=3)
    with pytest.raises(AssertionError, match="_joint_weight is incompatible"):
        linear.LinearClassifier(feature_columns=columns, optimizer=_sdca(), _joint_weight=True)
    with pytest.raises(AssertionError, match=r"^SDCA only applies for label_dimension=1\.$"):
        linear.LinearRegressor(feature_columns=columns, optimizer=_sdca(), label_dimension=2)
    with pytest.raises(ValueError, match=r"^LinearEstimator does not support SDCA optimizer\.$"):
        linear.LinearEstimator(feature_columns=columns, head=head_lib.regression_head(),
                               optimizer=_sdca())


def _model_fn_args(head, optimizer, columns):
    features = {"x": tf.constant([[1.0], [2.0]]), "example_id": tf.constant(["a", "b"])}
    return dict(features=features, labels=tf.constant([[1], [0]]), mode="train",
                params={"head": head, "feature_columns": columns, "optimizer": optimizer,
                        "weight_column_name": None})


def test_sdca_model_fn_refuses_other_optimizers_heads_and_reserved_names():
    columns = [fc.real_valued_column("x")]
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"^Optimizer must be of type SDCAOptimizer$"):
            linear.sdca_model_fn(**_model_fn_args(head_lib.binary_svm_head(),
                                                  v1.train.FtrlOptimizer(0.1), columns))
        with pytest.raises(ValueError, match=r"^Unsupported head type: "):
            linear.sdca_model_fn(**_model_fn_args(head_lib.multi_class_head(3), _sdca(),
                                                  columns))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"^tf_virtual_bias_column is a reserved column"):
            args = _model_fn_args(head_lib.binary_svm_head(), _sdca(),
                                  [fc.real_valued_column("tf_virtual_bias_column")])
            args["features"]["tf_virtual_bias_column"] = tf.constant([[1.0], [2.0]])
            linear.sdca_model_fn(**args)


def test_sdca_optimizer_refuses_a_column_type_it_does_not_take():
    country = fc.sparse_column_with_hash_bucket("country", hash_bucket_size=5)
    one_hot = fc.one_hot_column(country)
    with tf.Graph().as_default():
        features = {one_hot: tf.zeros([2, 5]), "example_id": tf.constant(["a", "b"])}
        with pytest.raises(ValueError,
                           match=r"^SDCAOptimizer does not support column type _OneHotColumn\.$"):
            _sdca().get_train_step({one_hot: [v1.Variable(tf.zeros([5, 1]))]}, None,
                                   "logistic_loss", features, tf.constant([[1], [0]]), None)


# ------------------------------------------------------------------ SdcaModel / SDCAOptimizer
def test_sdca_optimizer_keeps_r115_arguments_and_defaults():
    optimizer = SDCAOptimizer("ids")
    assert optimizer.get_name() == "SDCAOptimizer"
    assert (optimizer.example_id_column, optimizer.num_loss_partitions,
            optimizer.num_table_shards, optimizer.symmetric_l1_regularization,
            optimizer.symmetric_l2_regularization, optimizer.adaptive,
            optimizer.partitioner) == ("ids", 1, None, 0.0, 1.0, True, None)


def _examples(weights=(1.0, 1.0, 1.0)):
    return dict(
        sparse_features=[SparseFeatureColumn([0, 1, 1, 2], [0, 0, 1, 1], [1.0, 2.0, 1.0, 1.0])],
        dense_features=[tf.constant([[1.0], [0.0], [-1.0]])],
        example_labels=tf.constant([1.0, 0.0, 1.0]),
        example_weights=tf.constant(list(weights)), example_ids=tf.constant(["a", "b", "c"]))


def _model(l1=0.0, l2=0.0, loss_type="squared_loss"):
    variables = dict(sparse_features_weights=[v1.Variable([0.5, -1.0], name="sparse_w")],
                     dense_features_weights=[v1.Variable([2.0], name="dense_w")])
    return SdcaModel(_examples(), variables, dict(
        symmetric_l1_regularization=l1, symmetric_l2_regularization=l2, loss_type=loss_type))


def test_sdca_model_takes_l2_zero_and_refuses_negative_regularization():
    with tf.Graph().as_default():
        model = _model(l2=0.0)  # tensorflow-estimator 2.15 raises here
        slot_names = sorted(v.op.name for v in v1.global_variables()
                            if "unshrinked" in v.op.name)
        assert slot_names == ["dense_w_unshrinked/SDCAOptimizer",
                              "sparse_w_unshrinked/SDCAOptimizer"]
        assert model._symmetric_l2_regularization() == 1.0
        for name in ("symmetric_l1_regularization", "symmetric_l2_regularization"):
            options = dict(symmetric_l1_regularization=0.0, symmetric_l2_regularization=1.0,
                           loss_type="hinge_loss")
            options[name] = -1.0
            with pytest.raises(ValueError,
                               match=rf"^{name} should be non-negative\. Found \(-1\.000000\)$"):
                SdcaModel(_examples(), dict(sparse_features_weights=[],
                                            dense_features_weights=[]), options)
        with pytest.raises(ValueError, match="Unsupported loss_type"):
            _model(loss_type="absolute_loss")


def test_sdca_model_losses_match_numpy():
    l1, l2 = 0.5, 3.0
    with tf.Graph().as_default():
        model = _model(l1=l1, l2=l2)
        examples = _examples()
        del examples["example_ids"]  # r1.15's losses did not need them
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            unregularized, regularized = sess.run(
                [model.unregularized_loss(examples), model.regularized_loss(examples)])
    # Predictions: sparse [0.5, 1.0 - 1.0, -1.0] + dense [2, 0, -2].
    predictions = np.array([0.5 + 2.0, 2 * 0.5 - 1.0, -1.0 - 2.0])
    squared = np.sum((np.array([1.0, 0.0, 1.0]) - predictions) ** 2) / (2 * 3)
    assert unregularized == pytest.approx(squared)
    norms_l1 = 0.5 + 1.0 + 2.0
    norms_l2 = 0.25 + 1.0 + 4.0
    assert regularized == pytest.approx(squared + (l1 * norms_l1 + l2 * norms_l2 / 2) / 3)


@pytest.mark.integration
def test_partitioned_weights_get_one_slot_per_part(tmp_path):
    # r1.15 SDCAOptimizer(partitioner=...): the sparse weights are split, each part has
    # its own unshrunk slot, and the checkpoint holds the full variable.
    country = fc.sparse_column_with_hash_bucket("country", hash_bucket_size=5)
    classifier = linear.LinearClassifier(
        feature_columns=[fc.real_valued_column("price"), country], model_dir=str(tmp_path),
        optimizer=_sdca(partitioner=v1.fixed_size_partitioner(2, axis=0)))
    input_fn = _input_fn({"price": np.array([[0.4], [0.6], [0.3]], np.float32),
                          "country": _sparse(["IT", "US", "GB"], [[0, 0], [1, 3], [2, 1]],
                                             [3, 5])}, np.array([[1], [0], [1]]))
    classifier.fit(input_fn=input_fn, steps=30)
    assert classifier.evaluate(input_fn=input_fn, steps=1)["accuracy"] == 1.0
    assert classifier.get_variable_value("linear/country/weights").shape == (5, 1)
    slots = "binary_logistic_head/train_op/linear/country/weights/part_{}_unshrinked/SDCAOptimizer"
    assert {slots.format(0), slots.format(1)} <= set(classifier.get_variable_names())
