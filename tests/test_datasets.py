"""datasets: local CSV loading with r1.15's formats; no downloads, no bundled data."""

import numpy as np
import pytest

from compat_learn import datasets
from compat_learn.datasets import base


def _write(path, text):
    path.write_text(text)
    return str(path)


def test_public_names():
    assert sorted(datasets.__all__) == sorted([
        "base", "Dataset", "Datasets", "load_boston", "load_csv_with_header",
        "load_csv_without_header", "load_iris", "shrink_csv"])
    assert datasets.Dataset._fields == ("data", "target")
    assert datasets.Datasets._fields == ("train", "validation", "test")


def test_load_csv_with_header_uses_the_header_counts_and_target_column(tmp_path):
    path = _write(tmp_path / "d.csv", "3,2,setosa,versicolor\n1.5,2,0\n3,4.5,1\n5,6,2\n")
    ds = datasets.load_csv_with_header(path, target_dtype=np.int64, features_dtype=np.float32)
    assert ds.data.shape == (3, 2) and ds.data.dtype == np.float32
    assert ds.target.tolist() == [0, 1, 2]
    first = datasets.load_csv_with_header(path, np.float64, np.float64, target_column=0)
    assert first.target.tolist() == [1.5, 3.0, 5.0]
    assert first.data[0].tolist() == [2.0, 0.0]


def test_load_csv_without_header(tmp_path):
    path = _write(tmp_path / "d.csv", "1,2,a\n3,4,b\n")
    ds = datasets.load_csv_without_header(path, target_dtype=str, features_dtype=np.float64)
    assert ds.data.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert ds.target.tolist() == ["a", "b"]


@pytest.mark.parametrize("loader", ["load_csv_with_header", "load_csv_without_header"])
def test_a_missing_file_raises_tensorflows_not_found_error(tmp_path, loader):
    # r1.15 read through gfile; scripts catch tf.errors.NotFoundError.
    from compat_learn import _tf

    with pytest.raises(_tf.errors.NotFoundError, match=r"missing\.csv"):
        getattr(datasets, loader)(str(tmp_path / "missing.csv"), np.int64, np.float32)


def test_shrink_csv_keeps_every_nth_row_in_a_small_sibling(tmp_path):
    directory = tmp_path / "dir.with.dots"
    directory.mkdir()
    path = _write(directory / "data.csv", "".join(f"{i},{i}\n" for i in range(7)))
    datasets.shrink_csv(path, 3)
    small = (directory / "data_small.csv").read_text().splitlines()
    assert small == ["0,0", "3,3", "6,6"]


@pytest.mark.parametrize("loader, name", [(datasets.load_iris, "iris"),
                                          (datasets.load_boston, "boston")])
def test_named_loaders_need_a_local_path_and_never_download(loader, name):
    with pytest.raises(ValueError) as err:
        loader()
    assert f"compat_learn does not bundle or download the {name} data set" in str(err.value)
    assert "data_path" in str(err.value)


def test_load_iris_and_boston_read_a_local_path_with_r115_dtypes(tmp_path):
    path = _write(tmp_path / "iris.csv", "2,4,a,b,c\n5.1,3.5,1.4,0.2,0\n7,3.2,4.7,1.4,1\n")
    iris = base.load_iris(data_path=path)
    assert iris.data.dtype == np.float64 and iris.target.dtype == np.int64
    assert iris.target.tolist() == [0, 1]
    boston = base.load_boston(data_path=path)
    assert boston.target.dtype == np.float64
