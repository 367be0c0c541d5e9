"""datasets.base: CSV loading with r1.15's formats, the bundled CSVs, downloads.

Nothing here touches the network: downloads come from a local HTTP server started by
the test (a thread), and an unreachable host is a closed local port or an ``.invalid``
name (RFC 2606: never resolves).
"""

import functools
import http.server
import importlib
import io
import os
import pathlib
import socket
import sys
import tarfile
import tempfile
import threading
import urllib.error

import numpy as np
import pytest

from compat_learn import datasets
from compat_learn.datasets import base


def _write(path, text):
    path.write_text(text)
    return str(path)


def test_public_names():
    # r1.15 datasets/__init__.py, plus base's CSV helpers and namedtuples.
    assert sorted(datasets.__all__) == sorted([
        "DATASETS", "SYNTHETIC", "base", "load_boston", "load_dataset", "load_iris",
        "make_dataset", "mnist", "synthetic", "text_datasets",
        "Dataset", "Datasets", "load_csv_with_header", "load_csv_without_header",
        "shrink_csv"])
    assert sorted(datasets.DATASETS) == ["boston", "dbpedia", "iris", "mnist"]
    assert sorted(datasets.SYNTHETIC) == ["circles", "spirals"]
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


def test_load_iris_and_boston_read_a_local_path_with_r115_dtypes(tmp_path):
    path = _write(tmp_path / "iris.csv", "2,4,a,b,c\n5.1,3.5,1.4,0.2,0\n7,3.2,4.7,1.4,1\n")
    iris = base.load_iris(data_path=path)
    assert iris.data.dtype == np.float64 and iris.target.dtype == np.int64
    assert iris.target.tolist() == [0, 1]
    boston = base.load_boston(data_path=path)
    assert boston.target.dtype == np.float64


# ---------------------------------------------------------------------------------------
# The CSVs r1.15 shipped.
# ---------------------------------------------------------------------------------------
def test_load_iris_without_a_path_is_the_shipped_uci_iris():
    iris = datasets.load_iris()
    assert iris.data.shape == (150, 4)
    assert iris.data.dtype == np.float64 and iris.target.dtype == np.int64
    assert np.bincount(iris.target).tolist() == [50, 50, 50]
    # UCI iris.names, "Summary Statistics": means and standard deviations.
    assert np.round(iris.data.mean(axis=0), 2).tolist() == [5.84, 3.05, 3.76, 1.20]
    assert np.round(iris.data.std(axis=0, ddof=1), 2).tolist() == [0.83, 0.43, 1.76, 0.76]
    assert iris.data[0].tolist() == [5.1, 3.5, 1.4, 0.2]


def test_load_boston_without_a_path_is_the_shipped_boston_housing():
    boston = datasets.load_dataset("boston")
    assert boston.data.shape == (506, 13)
    assert boston.target.dtype == np.float64
    # Harrison & Rubinfeld (1978) as distributed by StatLib: MEDV mean 22.5328.
    assert round(boston.target.mean(), 4) == 22.5328
    assert boston.data[0, :3].tolist() == [0.00632, 18.0, 2.31]


def test_load_dataset_and_make_dataset_reject_unknown_names_with_r115_messages():
    with pytest.raises(ValueError) as info:
        datasets.load_dataset("cifar")
    assert str(info.value) == "Name of dataset is not found: cifar"
    with pytest.raises(ValueError) as info:
        datasets.make_dataset("moons")
    assert str(info.value) == "Synthetic dataset not found or not implemeted: moons"


# ---------------------------------------------------------------------------------------
# Downloads (a local HTTP server; never the network).
# ---------------------------------------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        body, declared = route
        self.send_response(200)
        self.send_header("Content-Length", str(declared))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A local HTTP server: ``server.routes[path] = (body, declared_length)``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.routes = {}
    httpd.url = "http://127.0.0.1:%d" % httpd.server_address[1]
    thread = threading.Thread(target=functools.partial(httpd.serve_forever, 0.05),
                              daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(10)


def _closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/data.gz"


@pytest.fixture
def no_sleep(monkeypatch):
    """Records retry delays instead of sleeping."""
    slept = []
    monkeypatch.setattr(base.time, "sleep", slept.append)
    return slept


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """The system temporary directory of the test, to see what a download leaves."""
    directory = tmp_path / "system_tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def test_maybe_download_skips_a_file_that_is_present(tmp_path, no_sleep):
    path = tmp_path / "data.gz"
    path.write_bytes(b"mine")
    got = base.maybe_download("data.gz", str(tmp_path), _closed_port_url())
    assert got == str(path) and path.read_bytes() == b"mine"
    assert no_sleep == []


def test_maybe_download_downloads_a_missing_file_into_a_new_directory(
        tmp_path, server, temp_dir, capsys):
    server.routes["/d/data.gz"] = (b"hello world", 11)
    work = tmp_path / "new" / "dir"
    got = base.maybe_download("data.gz", str(work), server.url + "/d/data.gz")
    assert got == str(work / "data.gz")
    assert (work / "data.gz").read_bytes() == b"hello world"
    assert os.listdir(work) == ["data.gz"]
    assert os.listdir(temp_dir) == []
    assert capsys.readouterr().out == "Successfully downloaded data.gz 11 bytes.\n"


def test_urlretrieve_with_retry_returns_a_temporary_file_and_headers(server, temp_dir):
    server.routes["/x"] = (b"abc", 3)
    filename, headers = base.urlretrieve_with_retry(server.url + "/x")
    assert pathlib.Path(filename).read_bytes() == b"abc"
    assert headers["Content-Length"] == "3"
    assert os.path.dirname(filename) == str(temp_dir)


@pytest.mark.parametrize("url", [pytest.param(_closed_port_url(), id="refused"),
                                 pytest.param("http://nonexistent.invalid/data.gz",
                                              id="unresolvable")])
def test_an_unreachable_host_fails_at_once_naming_the_file_and_where_to_put_it(
        tmp_path, url, no_sleep, temp_dir):
    work = tmp_path / "work"
    with pytest.raises(base.DownloadError) as info:
        base.maybe_download("data.gz", str(work), url)
    assert isinstance(info.value, urllib.error.URLError)  # what r1.15 raised
    message = str(info.value)
    assert message.startswith(f"Could not download data.gz from {url} (")
    assert f"put it at {work / 'data.gz'}" in message
    assert no_sleep == []  # no retry: a connection error is not a timed-out transfer
    assert os.listdir(work) == [] and os.listdir(temp_dir) == []


def test_a_truncated_download_leaves_no_partial_file(tmp_path, server, no_sleep, temp_dir):
    server.routes["/big"] = (b"0123456789", 1000)
    with pytest.raises(base.DownloadError) as info:
        base.maybe_download("big.gz", str(tmp_path), server.url + "/big")
    assert isinstance(info.value.__cause__, urllib.error.ContentTooShortError)
    assert "big.gz" in str(info.value) and "10 out of 1000 bytes" in str(info.value)
    assert os.listdir(tmp_path) == ["system_tmp"] and os.listdir(temp_dir) == []
    partial = tmp_path / "partial"
    with pytest.raises(urllib.error.ContentTooShortError):
        base.urlretrieve_with_retry(server.url + "/big", str(partial))
    assert not partial.exists()


def test_an_http_error_names_the_file(tmp_path, server, no_sleep):
    with pytest.raises(base.DownloadError) as info:
        base.maybe_download("gone.gz", str(tmp_path), server.url + "/gone.gz")
    assert "Could not download gone.gz" in str(info.value)
    assert "HTTP Error 404" in str(info.value) or "Not Found" in str(info.value)
    assert no_sleep == []


def test_a_timed_out_transfer_is_retried_with_r115_delays(tmp_path, monkeypatch, no_sleep):
    calls = []

    def flaky(url, filename):
        calls.append(url)
        if len(calls) < 3:
            raise TimeoutError(110, "Connection timed out")
        with open(filename, "wb") as f:
            f.write(b"ok")
        return filename, {}

    monkeypatch.setattr(base, "_retrieve", flaky)
    got = base.maybe_download("f.gz", str(tmp_path), "http://example.invalid/f.gz")
    assert pathlib.Path(got).read_bytes() == b"ok"
    assert len(calls) == 3
    # r1.15: 1 s then 2 s, each times a jitter in [0.75, 1.25].
    assert 0.75 <= no_sleep[0] <= 1.25 and 1.5 <= no_sleep[1] <= 2.5


def test_retries_end_after_r115_schedule(monkeypatch, no_sleep):
    calls = []

    def timing_out(url, filename):
        calls.append(url)
        raise TimeoutError(110, "Connection timed out")

    monkeypatch.setattr(base, "_retrieve", timing_out)
    with pytest.raises(TimeoutError):
        base.urlretrieve_with_retry("http://example.invalid/f.gz")
    assert len(calls) == 6  # five delays (1, 2, 4, 8, 16 s), then a last attempt
    nominal = [1, 2, 4, 8, 16]
    assert all(0.75 * n <= d <= 1.25 * n for d, n in zip(no_sleep, nominal, strict=True))


def test_retry_decorator_checks_its_arguments_and_retries_everything_by_default(no_sleep):
    with pytest.raises(ValueError) as info:
        base.retry(1.0, 4.0, factor=0.5)
    assert str(info.value) == "factor must be >= 1; was 0.500000"
    with pytest.raises(ValueError) as info:
        base.retry(1.0, 4.0, jitter=1)
    assert str(info.value) == "jitter must be < 1; was 1.000000"
    calls = []

    @base.retry(1.0, 4.0)
    def failing():
        calls.append(1)
        raise KeyError("x")

    with pytest.raises(KeyError):
        failing()
    assert len(calls) == 4 and no_sleep == []  # delays 1, 2, 4: no sleep without a test


# ---------------------------------------------------------------------------------------
# synthetic
# ---------------------------------------------------------------------------------------
def test_circles_match_an_independent_construction():
    ds = datasets.make_dataset("circles", n_samples=7, noise=None, seed=3, factor=0.5)
    # Oracle: 3 points per class on circles of radius 1 and 0.5, one extra class-0 point
    # on the unit circle; numpy's global generator drawn in r1.15's order.
    rng = np.random.RandomState(3)
    angles = np.linspace(0, 2 * np.pi, 3)
    extra_x, extra_y = np.cos(rng.rand(1) * 2 * np.pi), np.sin(rng.rand(1) * 2 * np.pi)
    x = np.concatenate([np.cos(angles), 0.5 * np.cos(angles), extra_x])
    y = np.concatenate([np.sin(angles), 0.5 * np.sin(angles), extra_y])
    labels = np.array([0, 0, 0, 1, 1, 1, 0])
    order = rng.permutation(7)
    np.testing.assert_allclose(ds.data, np.stack([x, y], axis=1)[order], atol=1e-12)
    assert ds.target.tolist() == labels[order].tolist()
    assert ds.target.dtype == np.int32


def test_spirals_with_noise_and_modes():
    ds = datasets.synthetic.spirals(n_samples=10, noise=0.1, seed=1, mode="fermat")
    assert ds.data.shape == (10, 2) and sorted(ds.target.tolist()) == [0] * 5 + [1] * 5
    clean = datasets.synthetic.spirals(n_samples=10, seed=1, mode="archimedes", n_loops=1)
    theta = np.linspace(0, 2 * np.pi, 5)
    radius = np.hypot(theta * np.cos(theta), theta * np.sin(theta))
    # Oracle: every point is theta * (cos, sin)(theta [+ pi]), each axis scaled by its
    # max; the scaled radii (x/xmax, y/ymax) of both arms are the same multiset.
    x = theta * np.cos(theta)
    y = theta * np.sin(theta)
    expected = np.stack([x / np.abs(x).max(), y / np.abs(y).max()], axis=1)
    arm0 = clean.data[clean.target == 0]
    assert sorted(map(tuple, np.round(arm0, 9))) == sorted(map(tuple, np.round(expected, 9)))
    assert radius[0] == 0.0
    with pytest.raises(ValueError) as info:
        datasets.synthetic.spirals(mode="golden")
    assert str(info.value) == "Cannot generate spiral with mode golden"


# ---------------------------------------------------------------------------------------
# text_datasets
# ---------------------------------------------------------------------------------------
def test_load_dbpedia_fake_data_is_r115s_shipped_csvs():
    ds = datasets.load_dataset("dbpedia", test_with_fake_data=True)
    assert ds.validation is None
    assert ds.train.target.tolist() == [1, 2, 3] and ds.train.target.dtype == np.int32
    assert ds.train.data[0].tolist() == ["Google", "Google is a company."]
    assert ds.test.target.tolist() == [2]


def _dbpedia_archive(path, rows):
    members = {"dbpedia_csv/train.csv": rows, "dbpedia_csv/test.csv": rows[:1]}
    with tarfile.open(path, "w:gz") as archive:
        for name, lines in members.items():
            data = "".join(f'{label},"{title}","{body}"\n' for label, title, body in lines)
            info = tarfile.TarInfo(name)
            info.size = len(data.encode())
            archive.addfile(info, io.BytesIO(data.encode()))


def test_load_dbpedia_extracts_a_present_archive_and_shrinks(tmp_path, monkeypatch, no_sleep):
    data_dir = tmp_path / "dbpedia_data"
    data_dir.mkdir()
    rows = [(i % 14 + 1, f"T{i}", f"body {i}") for i in range(1001)]
    _dbpedia_archive(data_dir / "dbpedia_csv.tar.gz", rows)
    monkeypatch.setenv("TF_EXP_BASE_DIR", str(tmp_path))
    ds = datasets.text_datasets.load_dbpedia(size="small")
    # Every 1000th row: rows 0 and 1000.
    assert ds.train.target.tolist() == [1, 1000 % 14 + 1]
    assert ds.train.data[1].tolist() == ["T1000", "body 1000"]
    assert sorted(os.listdir(data_dir / "dbpedia_csv")) == [
        "test.csv", "test_small.csv", "train.csv", "train_small.csv"]
    assert sorted(os.listdir(data_dir)) == ["dbpedia_csv", "dbpedia_csv.tar.gz"]


def test_a_corrupt_dbpedia_archive_names_it_and_extracts_nothing(tmp_path, no_sleep):
    archive = tmp_path / "dbpedia_csv.tar.gz"
    archive.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(ValueError) as info:
        datasets.text_datasets.maybe_download_dbpedia(str(tmp_path))
    assert str(info.value).startswith(f"Could not extract {archive} (")
    assert os.listdir(tmp_path) == ["dbpedia_csv.tar.gz"]


# ---------------------------------------------------------------------------------------
# tf.contrib.learn.datasets and tensorflow.examples.tutorials.mnist through the hook.
# ---------------------------------------------------------------------------------------
def test_tf1_input_data_path_is_served_and_other_example_paths_are_not():
    from compat_learn import _alias, _tf
    from compat_learn.datasets import mnist, synthetic

    _alias.install()
    try:
        from tensorflow.examples.tutorials.mnist import input_data

        assert input_data is mnist
        assert _tf.tf.examples.tutorials.mnist.input_data is mnist
        assert _tf.tf.contrib.learn.datasets.mnist is mnist
        assert _tf.tf.contrib.learn.datasets.load_iris().data.shape == (150, 4)
        from tensorflow.contrib.learn.python.learn.datasets import synthetic as served

        assert served is synthetic
        for name in ("tensorflow.examples.tutorials.mnist.mnist", "tensorflow.examples.other"):
            with pytest.raises(ModuleNotFoundError) as info:
                importlib.import_module(name)
            assert info.value.name == name
    finally:
        _alias._uninstall_for_tests()
    assert "tensorflow.examples" not in sys.modules
    assert not hasattr(_tf.tf, "examples")
