"""pandas data in the estimators and learn_io, as r1.15 took it (issue 10, item 2).

r1.15's data feeder (learn_io/data_feeder.py `_data_type_filter`) turned a DataFrame
`x` into its values as float64 (`extract_pandas_data`), a one-column DataFrame `y`
into its values (`extract_pandas_labels`), and read a Series by position (`_access`:
``iloc``), so fit / evaluate / predict on pandas data give the numbers of the same
data as numpy arrays. Non-numeric columns fail with r1.15's ValueErrors before
anything is trained or written.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from compat_learn import _deprecation, learn_io
from compat_learn._tf import tf
from compat_learn.estimators import dnn, linear
from compat_learn.estimators.estimator import infer_real_valued_columns_from_input
from compat_learn.layers import feature_column as fc
from compat_learn.learn_io import data_feeder
from compat_learn.preprocessing import categorical
from compat_learn.run_config import RunConfig

v1 = tf.compat.v1

# r1.15 messages (learn_io/pandas_io.py), pinned.
MSG_DATA = ("Data types for extracting pandas data must be int, float, or bool. "
            "Found: 'name' type='object'")
MSG_LABELS = ("Data types for extracting labels must be int, float, or bool. "
              "Found: 'c' type=object")
MSG_ONE_COLUMN = "Only one column for labels is allowed."

RNG = np.random.RandomState(0)
X = RNG.rand(12, 3)
Y_CLASS = (X[:, 0] > .5).astype(np.int64)
# A Series whose index is not 0..n-1: r1.15 read it by position, never by label.
INDEX = np.arange(100, 112)[::-1]


def _frame(x=X, index=None):
    return pd.DataFrame(x, columns=["a", "b", "c"], index=index)


def _classifier(model_dir):
    return dnn.DNNClassifier(hidden_units=[4], feature_columns=[fc.real_valued_column(
        "", dimension=3, dtype=tf.float64)], model_dir=str(model_dir),
        config=RunConfig(tf_random_seed=1))


@pytest.mark.parametrize("y_kind", ["series", "frame"])
def test_dnn_classifier_on_a_dataframe_gives_the_numbers_of_the_numpy_arrays(tmp_path, y_kind):
    y = (pd.Series(Y_CLASS, index=INDEX) if y_kind == "series"
         else pd.DataFrame({"label": Y_CLASS}, index=INDEX))
    x = _frame(index=INDEX)
    results = []
    for name, (features, labels) in (("numpy", (X, Y_CLASS)), ("pandas", (x, y))):
        estimator = _classifier(tmp_path / name)
        estimator.fit(x=features, y=labels, steps=2, batch_size=5)
        results.append((estimator.evaluate(x=features, y=labels, batch_size=6, steps=2),
                        list(estimator.predict_classes(x=features)),
                        estimator.predict_proba(x=features, as_iterable=False),
                        estimator.get_variable_value("dnn/hiddenlayer_0/weights")))
    (eval_np, classes_np, proba_np, w_np), (eval_pd, classes_pd, proba_pd, w_pd) = results
    assert eval_pd == eval_np and eval_pd["global_step"] == 2
    assert classes_pd == classes_np
    np.testing.assert_array_equal(proba_pd, proba_np)
    np.testing.assert_array_equal(w_pd, w_np)


def test_linear_regressor_on_int_and_bool_columns_and_a_dataframe_label(tmp_path):
    x = pd.DataFrame({"n": np.arange(8, dtype=np.int32), "flag": np.arange(8) % 3 == 0,
                      "f": np.linspace(-1., 1., 8, dtype=np.float32)})
    y = pd.DataFrame({"target": 2. * x["f"] - .1 * x["n"]})
    columns = infer_real_valued_columns_from_input(x)
    # r1.15: the DataFrame's values as float64, fed as the bare feature "".
    assert columns == [fc.real_valued_column("", dimension=3, dtype=tf.float64)]
    estimator = linear.LinearRegressor(feature_columns=columns, model_dir=str(tmp_path))
    estimator.fit(x=x, y=y, steps=3)
    weights = estimator.get_variable_value("linear//weight")
    bias = estimator.get_variable_value("linear/bias_weight")
    expected = (x.to_numpy(dtype=float) @ weights + bias).ravel()
    np.testing.assert_allclose(estimator.predict_scores(x=x, as_iterable=False), expected,
                               rtol=1e-5)
    loss = estimator.evaluate(x=x, y=y, steps=1)["loss"]
    np.testing.assert_allclose(loss, np.mean((expected - y["target"].to_numpy()) ** 2),
                               rtol=1e-5)


def test_dict_of_series_features_are_read_by_position(tmp_path):
    # r1.15 _access: a Series (a dict value, or y) is indexed with iloc.
    x = {"a": pd.Series(X[:, 0], index=INDEX), "b": pd.Series(X[:, 1], index=INDEX)}
    feeder = data_feeder.DataFeeder(x, pd.Series(Y_CLASS, index=INDEX), n_classes=None,
                                    batch_size=4, shuffle=False)
    with tf.Graph().as_default():
        inputs, output = feeder.input_builder()
        feed = feeder.get_feed_dict_fn()()
    np.testing.assert_array_equal(feed[inputs["a"].name], X[:4, :1])
    np.testing.assert_array_equal(feed[inputs["b"].name], X[:4, 1:2])
    np.testing.assert_array_equal(feed[output.name], Y_CLASS[:4])


@pytest.mark.parametrize("x, y, message", [
    (pd.DataFrame({"name": ["p", "q"], "v": [1., 2.]}), np.array([0, 1]), MSG_DATA),
    (pd.DataFrame({"v": [1., 2.]}), pd.DataFrame({"c": ["p", "q"]}), MSG_LABELS),
    (pd.DataFrame({"v": [1., 2.]}), pd.DataFrame({"c": [0, 1], "d": [1, 0]}), MSG_ONE_COLUMN),
], ids=["string_feature", "string_label", "two_label_columns"])
def test_non_numeric_pandas_data_fails_with_r115s_errors_and_writes_nothing(
        tmp_path, x, y, message):
    model_dir = tmp_path / "model"
    estimator = linear.LinearClassifier(
        feature_columns=[fc.real_valued_column("", dimension=2)], model_dir=str(model_dir))
    for call in (lambda: estimator.fit(x=x, y=y, steps=1),
                 lambda: estimator.evaluate(x=x, y=y, steps=1)):
        with pytest.raises(ValueError) as raised:
            call()
        assert str(raised.value) == message
    assert not model_dir.exists() or not any(model_dir.iterdir())


def test_extract_pandas_helpers():
    frame = pd.DataFrame({"i": np.array([1, 2], np.int8), "b": [True, False],
                          "f": np.array([.5, 1.5], np.float32)})
    data = learn_io.extract_pandas_data(frame)
    assert data.dtype == np.float64
    np.testing.assert_array_equal(data, [[1., 1., .5], [2., 0., 1.5]])
    # r1.15's as_matrix(): the values as they are (object for mixed strings).
    mixed = pd.DataFrame({"s": ["p", "q"], "n": [1, 2]})
    matrix = learn_io.extract_pandas_matrix(mixed)
    assert matrix.dtype == object and matrix.tolist() == [["p", 1], ["q", 2]]
    labels = learn_io.extract_pandas_labels(pd.DataFrame({"t": [3, 4]}))
    assert labels.shape == (2, 1) and labels.ravel().tolist() == [3, 4]
    # A Series, or anything but a DataFrame, passes through (r1.15 checked DataFrame).
    series = pd.Series(["p", "q"])
    for extract in (learn_io.extract_pandas_data, learn_io.extract_pandas_matrix,
                    learn_io.extract_pandas_labels):
        assert extract(series) is series
    with pytest.raises(ValueError) as raised:
        learn_io.extract_pandas_data(pd.DataFrame({"name": ["p"], "t": [pd.Timestamp(0)]}))
    assert str(raised.value) == (
        "Data types for extracting pandas data must be int, float, or bool. "
        "Found: 'name' type='object', 't' type='datetime64[ns]'")


def test_the_feeder_does_not_warn_about_extract_functions_the_user_did_not_call():
    _deprecation._reset_for_tests()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        infer_real_valued_columns_from_input(_frame())
    names = [str(w.message).split(" ")[0] for w in caught
             if issubclass(w.category, _deprecation.CompatLearnDeprecationWarning)]
    assert names == ["tf.contrib.learn.infer_real_valued_columns_from_input",
                     "tf.contrib.learn.infer_real_valued_columns_from_input_fn"]


def _read_all(input_fn):
    with tf.Graph().as_default():
        tensors = input_fn()
        batches = []
        with v1.train.MonitoredSession() as sess:
            while not sess.should_stop():
                batches.append(sess.run(tensors))
        return batches


def test_pandas_input_fn_batches_columns_and_target_then_stops():
    index = np.arange(100, 104)
    x = pd.DataFrame({"a": np.arange(4), "b": np.arange(32, 36)}, index=index)
    y = pd.Series(np.arange(-32, -28), index=index)
    batches = _read_all(learn_io.pandas_input_fn(x, y, batch_size=2, shuffle=False))
    assert [sorted(features) for features, _ in batches] == [["a", "b"], ["a", "b"]]
    assert [features["a"].tolist() for features, _ in batches] == [[0, 1], [2, 3]]
    assert [features["b"].tolist() for features, _ in batches] == [[32, 33], [34, 35]]
    assert [target.tolist() for _, target in batches] == [[-32, -31], [-30, -29]]
    # r1.15's default shuffle=True (TF 2.15's own function requires the argument).
    shuffled = _read_all(learn_io.pandas_input_fn(x, y, batch_size=4))
    (features, target), = shuffled
    assert sorted(features["a"].tolist()) == [0, 1, 2, 3]
    np.testing.assert_array_equal(target, features["a"] - 32)
    with pytest.raises(ValueError, match="Index for x and y are mismatched"):
        learn_io.pandas_input_fn(x, pd.Series(np.arange(4)), shuffle=False)


def test_categorical_processor_reads_a_dataframe_as_its_values():
    frame = pd.DataFrame({"city": ["sf", "ny", "sf"], "size": ["s", "s", "l"]})
    from_frame = list(categorical.CategoricalProcessor().fit_transform(frame))
    from_array = list(categorical.CategoricalProcessor().fit_transform(frame.to_numpy()))
    assert [row.tolist() for row in from_frame] == [row.tolist() for row in from_array]
    assert [row.tolist() for row in from_frame] == [[1, 1], [2, 1], [1, 2]]
