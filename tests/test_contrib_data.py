"""tf.contrib.data's TF 1.2-1.4 Dataset and readers (compat_learn.data) on TF 2.15.

Served under tf.contrib.data only: core tf.data keeps TF 2.15's own signatures.
Expected values are recomputed with numpy; op types are read from TensorFlow's graph.
"""

import numpy as np
import pytest

from compat_learn import _alias, _deprecation


@pytest.fixture(scope="module")
def tf():
    from compat_learn import _tf

    _alias.install()
    yield _tf.tf
    _alias._uninstall_for_tests()


@pytest.fixture(autouse=True)
def _fresh_deprecations():
    _deprecation._reset_for_tests()


def graph_values(tf, build, count):
    """`count` elements of the dataset `build()` makes, through a TF 1.x one-shot
    iterator in a graph; also the graph's dataset op types."""
    graph = tf.Graph()
    with graph.as_default():
        next_element = build().make_one_shot_iterator().get_next()
        with tf.compat.v1.Session(graph=graph) as sess:
            values = [sess.run(next_element) for _ in range(count)]
    return values, {op.type for op in graph.get_operations()}


def test_map_takes_num_threads_and_output_buffer_size(tf):
    from tensorflow.contrib.data import Dataset

    a = np.arange(6, dtype=np.int64)
    b = a * 10

    def build():
        with pytest.warns(_deprecation.CompatLearnDeprecationWarning, match="num_threads"):
            return Dataset.from_tensor_slices((a, b)).map(
                lambda x, y: x + y, num_threads=3, output_buffer_size=4)

    values, ops = graph_values(tf, build, 6)
    assert values == list(a + b)  # order kept, as TF 1.4's parallel map kept it
    assert any(t.startswith("ParallelMapDataset") for t in ops), ops
    assert any(t.startswith("PrefetchDataset") for t in ops), ops
    # Without the old keywords: a plain map, as in TF 1.4.
    values, ops = graph_values(tf, lambda: Dataset.range(4).map(lambda x: x * x), 4)
    assert values == [0, 1, 4, 9]
    assert not any(t.startswith(("ParallelMapDataset", "PrefetchDataset")) for t in ops)
    # Core tf.data keeps TF 2.15's signature (no TF 1.x release took num_threads there).
    for core in (tf.data.Dataset, tf.compat.v1.data.Dataset):
        with pytest.raises(TypeError, match="num_threads"):
            core.range(3).map(lambda x: x, num_threads=2)


def test_num_threads_and_num_parallel_calls_together_is_r14s_error(tf):
    from tensorflow.contrib.data import Dataset

    with pytest.raises(ValueError) as raised:
        Dataset.range(3).map(lambda x: x, num_threads=2, num_parallel_calls=2)
    assert str(raised.value) == "`num_threads` and `num_parallel_calls` may not both be set."


def test_every_transformation_keeps_the_contrib_class(tf):
    from tensorflow.contrib.data import Dataset

    data = np.arange(10, dtype=np.int64)

    def build():
        ds = (Dataset.from_tensor_slices(data).shuffle(buffer_size=20, seed=3).repeat(2)
              .batch(4).enumerate())
        assert isinstance(ds, Dataset) and isinstance(ds, tf.compat.v1.data.Dataset)
        # enumerate is a method TF 2.15 defines on tf.data v2 only: the result is still
        # the contrib class, so the contrib-era map keywords keep working after it.
        with pytest.warns(_deprecation.CompatLearnDeprecationWarning):
            return ds.map(lambda i, batch: batch, num_threads=2)

    values, _ = graph_values(tf, build, 5)
    got = np.concatenate(values)
    assert sorted(got.tolist()) == sorted(np.concatenate([data, data]).tolist())


def test_padded_batch_and_dense_to_sparse_batch(tf):
    from tensorflow.contrib.data import Dataset

    ragged = Dataset.range(1, 4).map(lambda n: tf.fill([n], n))
    padded = [v.numpy().tolist() for v in ragged.padded_batch(2, padded_shapes=[None])]
    assert padded == [[[1, 0], [2, 2]], [[3, 3, 3]]]
    sparse = next(iter(ragged.dense_to_sparse_batch(batch_size=3, row_shape=[4])))
    dense = np.zeros((3, 4), np.int64)
    for n in (1, 2, 3):
        dense[n - 1, :n] = n
    np.testing.assert_array_equal(tf.sparse.to_dense(sparse).numpy(), dense)
    assert sparse.dense_shape.numpy().tolist() == [3, 4]


def test_readers_are_contrib_datasets(tf, tmp_path):
    from tensorflow.contrib.data import TextLineDataset

    path = tmp_path / "rows.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    ds = TextLineDataset(str(path)).skip(1)
    assert isinstance(ds, tf.contrib.data.Dataset)
    with pytest.warns(_deprecation.CompatLearnDeprecationWarning):
        ds = ds.map(lambda line: tf.io.decode_csv(line, [[0], [0]]), num_threads=2,
                    output_buffer_size=2)
    assert [tuple(int(v) for v in row) for row in ds] == [(1, 2), (3, 4)]
