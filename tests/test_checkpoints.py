"""compat_learn.checkpoints without TensorFlow: reading, latest_checkpoint, the watcher."""

import errno
import logging
import os
import pathlib
import subprocess
import time
import types

import pytest

from compat_learn import checkpoints
from compat_learn.checkpoints import (
    CheckpointState,
    CheckpointWatcher,
    latest_checkpoint,
    read_checkpoint_state,
)

import _procs

# TF 2.15 checkpoint_management.get_checkpoint_state / latest_checkpoint.
INVALID_STATE = "Invalid checkpoint state loaded from "
COULD_NOT_MATCH = "Couldn't match files for checkpoint "

ROOT = pathlib.Path(__file__).resolve().parents[1]


def write_state(directory, model, paths=(), name="checkpoint"):
    """Writes a state file the way TF does: to a temporary file, then rename."""
    text = f'model_checkpoint_path: "{model}"\n'
    text += "".join(f'all_model_checkpoint_paths: "{p}"\n' for p in paths)
    tmp = os.path.join(directory, name + ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, os.path.join(directory, name))


def save(directory, *prefixes):
    for prefix in prefixes:
        open(os.path.join(directory, prefix + ".index"), "w").close()


def settle(directory, name="checkpoint"):
    """Dates the state file an hour back: written long before the watcher reads it."""
    path = os.path.join(directory, name)
    old = os.stat(path).st_mtime_ns - 3600 * 10**9
    os.utime(path, ns=(old, old))


# --- read_checkpoint_state / latest_checkpoint -------------------------------------


def test_read_checkpoint_state_joins_relative_paths(tmp_path):
    write_state(tmp_path, "model.ckpt-2", ["model.ckpt-1", "/abs/model.ckpt-2"])
    state = read_checkpoint_state(str(tmp_path))
    assert state == CheckpointState(
        str(tmp_path / "model.ckpt-2"), [str(tmp_path / "model.ckpt-1"), "/abs/model.ckpt-2"]
    )
    assert read_checkpoint_state(tmp_path) == read_checkpoint_state(os.fsencode(tmp_path)) == state


def test_read_checkpoint_state_none_cases(tmp_path, caplog):
    assert read_checkpoint_state(tmp_path / "missing") is None
    (tmp_path / "checkpoint").write_text("not a state")
    assert read_checkpoint_state(tmp_path) is None
    assert "checkpoint state ignored" in caplog.text
    (tmp_path / "file").write_text("")
    assert read_checkpoint_state(tmp_path / "file") is None
    (tmp_path / "sub" / "checkpoint").mkdir(parents=True)
    assert read_checkpoint_state(tmp_path / "sub") is None


class _SizeAtFstat:
    """An fstat result whose st_size is ``size``: the file changed size since."""

    def __init__(self, st, size):
        self._st, self.st_size = st, size

    def __getattr__(self, name):
        return getattr(self._st, name)


def test_read_checkpoint_state_reads_to_the_end_whatever_fstat_said(tmp_path, monkeypatch):
    # A state file rewritten in place can grow or shrink between the fstat and the
    # read; what was read is what counts, to its end (as TF's ReadFileToString does).
    paths = [f"model.ckpt-{i}" for i in range(1, 3001)]  # ~130 KB: more than one read
    write_state(tmp_path, paths[-1], paths)
    expected = CheckpointState(str(tmp_path / paths[-1]), [str(tmp_path / p) for p in paths])
    real_fstat = os.fstat
    size = os.path.getsize(tmp_path / "checkpoint")
    for said in (0, 1, size // 3, size - 1, size + 1, 2 * size):
        monkeypatch.setattr(os, "fstat", lambda fd, said=said: _SizeAtFstat(real_fstat(fd), said))
        assert read_checkpoint_state(tmp_path) == expected, said


def test_read_checkpoint_state_raises_like_tf(tmp_path):
    (tmp_path / "checkpoint").write_text('model_checkpoint_path: ""')
    with pytest.raises(ValueError) as info:
        read_checkpoint_state(str(tmp_path))
    assert str(info.value) == INVALID_STATE + str(tmp_path)
    (tmp_path / "checkpoint").write_bytes(b'model_checkpoint_path: "\xff"')
    with pytest.raises(UnicodeDecodeError):
        read_checkpoint_state(tmp_path)


def test_latest_filename(tmp_path):
    write_state(tmp_path, "a", name="other")
    save(tmp_path, "a")
    assert read_checkpoint_state(tmp_path) is None
    assert latest_checkpoint(tmp_path, latest_filename="other") == str(tmp_path / "a")
    assert CheckpointWatcher(tmp_path, latest_filename="other").poll() == str(tmp_path / "a")


def test_latest_checkpoint_v2_v1_and_missing(tmp_path, caplog):
    write_state(tmp_path, "model.ckpt-1")
    assert latest_checkpoint(tmp_path) is None
    assert COULD_NOT_MATCH + str(tmp_path / "model.ckpt-1") in caplog.text
    (tmp_path / "model.ckpt-1").write_text("")  # V1: the prefix is the data file
    assert latest_checkpoint(tmp_path) == str(tmp_path / "model.ckpt-1")
    write_state(tmp_path, "model.ckpt-2")
    save(tmp_path, "model.ckpt-2")
    assert latest_checkpoint(str(tmp_path)) == str(tmp_path / "model.ckpt-2")


def test_latest_checkpoint_with_glob_characters_in_the_directory(tmp_path):
    # TF 2.15 returns None here (tensorflow/tensorflow#35489); we check literally.
    model_dir = tmp_path / "run[1]*?"
    model_dir.mkdir()
    write_state(model_dir, "model.ckpt-3")
    save(model_dir, "model.ckpt-3")
    assert latest_checkpoint(model_dir) == str(model_dir / "model.ckpt-3")
    assert CheckpointWatcher(model_dir).poll() == str(model_dir / "model.ckpt-3")


def test_bad_directory_argument():
    with pytest.raises(TypeError, match=r"`checkpoint_dir` must be a str, bytes or os\.PathLike"):
        read_checkpoint_state(3)


# --- CheckpointWatcher -----------------------------------------------------------


def test_watcher_from_missing_directory_to_checkpoint(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="compat_learn.checkpoints")
    model_dir = tmp_path / "model"
    watcher = CheckpointWatcher(model_dir)
    assert watcher.poll() is None
    assert watcher.waiting_for == f"no directory {model_dir} yet"
    model_dir.mkdir()
    assert watcher.poll() is None
    assert watcher.waiting_for == f"no checkpoint state file {model_dir / 'checkpoint'} yet"
    write_state(model_dir, "model.ckpt-1")
    assert watcher.poll() is None
    assert watcher.waiting_for == (
        f"checkpoint {model_dir / 'model.ckpt-1'} listed in the state file has no .index file yet"
    )
    save(model_dir, "model.ckpt-1")
    assert watcher.poll() == str(model_dir / "model.ckpt-1")
    assert watcher.waiting_for is None
    assert watcher.poll() is None
    assert watcher.latest() == watcher.latest() == str(model_dir / "model.ckpt-1")
    write_state(model_dir, "model.ckpt-2", ["model.ckpt-1", "model.ckpt-2"])
    save(model_dir, "model.ckpt-2")
    assert watcher.poll() == str(model_dir / "model.ckpt-2")
    watcher.reset()
    assert watcher.poll() == str(model_dir / "model.ckpt-2")
    for _ in range(3):
        watcher.poll()
    # Each condition is logged once, not at every poll.
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == len(set(messages)) == 3


def test_watcher_corrupt_state_is_reported_once_then_recovers(tmp_path, caplog):
    watcher = CheckpointWatcher(tmp_path)
    (tmp_path / "checkpoint").write_text("model_checkpoint_path: 'unterminated")
    for _ in range(3):
        assert watcher.poll() is None
    assert watcher.waiting_for.startswith(f"state file {tmp_path / 'checkpoint'} could not be parsed: line 1")
    assert len([r for r in caplog.records if "could not be parsed" in r.getMessage()]) == 1
    for bad in (b"", b"\xff\xfe", b'model_checkpoint_path: ""', b"\x00" * 10):
        (tmp_path / "checkpoint").write_bytes(bad)
        os.utime(tmp_path / "checkpoint", ns=(1, len(bad) + 1))
        assert watcher.poll() is None and watcher.poll_all() == []
        assert "could not be parsed" in watcher.waiting_for
    write_state(tmp_path, "m")
    save(tmp_path, "m")
    assert watcher.poll() == str(tmp_path / "m")


def test_watcher_unreadable_state_file(tmp_path, monkeypatch, caplog):
    # Tests run as root, so a permission error is emulated.
    write_state(tmp_path, "m")
    save(tmp_path, "m")

    def denied(path):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    real_read = checkpoints._LocalFS.read
    monkeypatch.setattr(checkpoints._LocalFS, "read", staticmethod(denied))
    watcher = CheckpointWatcher(tmp_path)
    for _ in range(3):
        assert watcher.poll() is None
    assert "could not be read: [Errno 13] Permission denied" in watcher.waiting_for
    assert len([r for r in caplog.records if "Permission denied" in r.getMessage()]) == 1
    monkeypatch.setattr(checkpoints._LocalFS, "read", staticmethod(real_read))
    assert watcher.poll() == str(tmp_path / "m")


def test_watcher_on_a_file_and_on_a_directory_named_checkpoint(tmp_path):
    (tmp_path / "file").write_text("")
    watcher = CheckpointWatcher(tmp_path / "file")
    assert watcher.poll() is None
    assert watcher.waiting_for == f"{tmp_path / 'file'} is not a directory"
    (tmp_path / "checkpoint").mkdir()
    watcher = CheckpointWatcher(tmp_path)
    assert watcher.poll() is None
    assert "could not be read" in watcher.waiting_for


def test_unchanged_poll_costs_one_stat_and_nothing_else(tmp_path, monkeypatch):
    write_state(tmp_path, "model.ckpt-1")
    settle(tmp_path)
    save(tmp_path, "model.ckpt-1")
    watcher = CheckpointWatcher(tmp_path)
    assert watcher.poll() == str(tmp_path / "model.ckpt-1")
    stats = []
    real_stat = checkpoints._LocalFS.stat_key

    def counting_stat(path):
        stats.append(path)
        return real_stat(path)

    def forbidden(*args, **kwargs):
        raise AssertionError("the unchanged poll read or listed something")

    monkeypatch.setattr(checkpoints._LocalFS, "stat_key", staticmethod(counting_stat))
    for name in ("read", "exists", "isdir"):
        monkeypatch.setattr(checkpoints._LocalFS, name, staticmethod(forbidden))
    for module, name in ((os, "listdir"), (os, "scandir"), (os.path, "exists")):
        monkeypatch.setattr(module, name, forbidden)
    monkeypatch.setattr("builtins.open", forbidden)
    assert watcher.poll() is None
    assert watcher.poll_all() == []
    assert watcher.latest() == str(tmp_path / "model.ckpt-1")
    assert watcher.waiting_for is None
    assert len(stats) == 4


# --- change detection that cannot go stale (git's "racily clean" rule) ------------


class _Clock:
    """The watcher's wall clock, stopped at a moment of the test's choosing."""

    def __init__(self):
        self.now = time.time_ns()

    def __call__(self):
        return self.now

    def later(self):
        """A minute past the racy window: files the test wrote since are safely old."""
        self.now += checkpoints._RACY_WINDOW_NS + 60 * 10**9


@pytest.fixture
def clock(monkeypatch):
    """Stops the watcher's clock now (no loaded machine can age a file meanwhile)."""
    stopped = _Clock()
    monkeypatch.setattr(checkpoints, "_clock", stopped, raising=False)
    return stopped


def _rewrite_in_place(path, text):
    with open(path, "r+") as f:
        f.write(text)
        f.truncate()


def _replace_until_inode_is_reused(directory, text, inode, tries=200):
    """Saves as TF does (temporary file, rename) until the state file gets ``inode``."""
    path = os.path.join(directory, "checkpoint")
    for _ in range(tries):
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
        if os.stat(path).st_ino == inode:
            return True
    return False


@pytest.mark.parametrize("how", ["in_place", "rename_reusing_inode"])
def test_same_size_save_within_one_timestamp_tick_is_seen(tmp_path, how, clock):
    # A coarse-timestamp filesystem, emulated: the second save leaves device, inode,
    # size and mtime exactly as the first one left them.
    save(tmp_path, "model.ckpt-1", "model.ckpt-2")
    write_state(tmp_path, "model.ckpt-1")
    path = tmp_path / "checkpoint"
    before = os.stat(path)
    watcher = CheckpointWatcher(tmp_path)
    assert watcher.poll() == str(tmp_path / "model.ckpt-1")
    text = 'model_checkpoint_path: "model.ckpt-2"\n'
    if how == "in_place":
        _rewrite_in_place(path, text)
    elif not _replace_until_inode_is_reused(tmp_path, text, before.st_ino):
        pytest.skip("this filesystem never hands a freed inode number out again")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    key = (before.st_dev, before.st_ino, before.st_size, before.st_mtime_ns)
    assert (after.st_dev, after.st_ino, after.st_size, after.st_mtime_ns) == key
    assert watcher.poll() == str(tmp_path / "model.ckpt-2") == latest_checkpoint(tmp_path)


def _count_reads_and_parses(monkeypatch):
    counts = {"read": 0, "parse": 0}
    real_read, real_parse = checkpoints._LocalFS.read, checkpoints._to_state

    def read(path):
        counts["read"] += 1
        return real_read(path)

    def parse(*args):
        counts["parse"] += 1
        return real_parse(*args)

    monkeypatch.setattr(checkpoints._LocalFS, "read", staticmethod(read))
    monkeypatch.setattr(checkpoints, "_to_state", parse)
    return counts


def test_recent_state_file_is_read_again_until_its_mtime_is_safely_old(tmp_path, monkeypatch, clock):
    write_state(tmp_path, "model.ckpt-1")
    save(tmp_path, "model.ckpt-1")
    counts = _count_reads_and_parses(monkeypatch)
    watcher = CheckpointWatcher(tmp_path)
    for _ in range(3):
        assert watcher.latest() == str(tmp_path / "model.ckpt-1")
    # Written just now: every poll compares the bytes again, but parses only once.
    assert counts == {"read": 3, "parse": 1}
    clock.later()
    for _ in range(3):
        assert watcher.latest() == str(tmp_path / "model.ckpt-1")
    # One more read proves the file older than the window; from then on, one stat.
    assert counts == {"read": 4, "parse": 1}


def test_state_file_without_a_usable_mtime_is_compared_by_content(tmp_path, monkeypatch):
    # ram:// and some remote stores report mtime 0: no amount of waiting makes the
    # key trustworthy, so every poll compares the (small) file's bytes.
    save(tmp_path, "model.ckpt-1", "model.ckpt-2")
    write_state(tmp_path, "model.ckpt-1")
    path = tmp_path / "checkpoint"
    os.utime(path, ns=(0, 0))
    watcher = CheckpointWatcher(tmp_path)
    assert watcher.poll() == str(tmp_path / "model.ckpt-1")
    monkeypatch.setattr(checkpoints, "_clock", lambda: 10**20, raising=False)
    assert watcher.poll() is None
    _rewrite_in_place(path, 'model_checkpoint_path: "model.ckpt-2"\n')
    os.utime(path, ns=(0, 0))
    assert watcher.poll() == str(tmp_path / "model.ckpt-2")


def test_poll_all_returns_every_kept_checkpoint_oldest_first(tmp_path):
    names = [f"model.ckpt-{i}" for i in range(1, 6)]
    save(tmp_path, *names)
    write_state(tmp_path, names[2], names[:3])
    watcher = CheckpointWatcher(tmp_path)
    assert watcher.poll_all() == [str(tmp_path / n) for n in names[:3]]
    assert watcher.poll_all() == []
    # The evaluator fell behind: ckpt-1..3 were dropped from the list meanwhile.
    write_state(tmp_path, names[4], names[3:])
    os.remove(tmp_path / (names[3] + ".index"))  # listed, but already deleted
    assert watcher.poll_all() == [str(tmp_path / names[4])]
    write_state(tmp_path, "model.ckpt-7", names[3:] + ["model.ckpt-6", "model.ckpt-7"])
    save(tmp_path, "model.ckpt-6", "model.ckpt-7")
    assert watcher.poll() == str(tmp_path / "model.ckpt-7")
    assert watcher.poll_all() == []


def _paths(directory, *names):
    return [str(directory / name) for name in names]


def test_poll_all_waits_out_a_torn_state_file(tmp_path, clock):
    names = [f"model.ckpt-{i}" for i in range(1, 6)]
    save(tmp_path, *names)
    write_state(tmp_path, names[2], names[:3])
    watcher = CheckpointWatcher(tmp_path)
    assert watcher.poll_all() == _paths(tmp_path, *names[:3])
    # ckpt-4 and ckpt-5 were saved (3 kept), and the state file, rewritten in place,
    # is read half-written: the new latest, then only the first kept path.
    path = tmp_path / "checkpoint"
    whole = f'model_checkpoint_path: "{names[4]}"\n' + "".join(
        f'all_model_checkpoint_paths: "{name}"\n' for name in names[2:])
    _rewrite_in_place(path, whole[: whole.index(names[3]) - len('all_model_checkpoint_paths: "')])
    assert watcher.poll_all() == []
    assert watcher.poll_all() == []
    _rewrite_in_place(path, whole)
    assert watcher.poll_all() == _paths(tmp_path, names[3], names[4])
    assert watcher.poll_all() == []


def test_poll_all_never_goes_back_by_global_step_or_position(tmp_path):
    save(tmp_path, "model.ckpt-10", "model.ckpt-20", "model.ckpt-5", "model.ckpt-30", "a", "b", "c")
    write_state(tmp_path, "model.ckpt-20", ["model.ckpt-10", "model.ckpt-20"])
    watcher = CheckpointWatcher(tmp_path)
    assert watcher.poll_all() == _paths(tmp_path, "model.ckpt-10", "model.ckpt-20")
    # A whole state file that lists an older step never returned: not evaluated.
    write_state(tmp_path, "model.ckpt-30", ["model.ckpt-5", "model.ckpt-30"])
    assert watcher.poll_all() == _paths(tmp_path, "model.ckpt-30")
    # Without steps, the position of the last checkpoint returned decides.
    watcher.reset()
    write_state(tmp_path, "b", ["a", "b"])
    assert watcher.poll_all() == _paths(tmp_path, "a", "b")
    write_state(tmp_path, "c", ["b", "a", "c"])
    assert watcher.poll_all() == _paths(tmp_path, "c")


def test_poll_all_takes_a_lasting_odd_state_file_as_written(tmp_path, clock):
    # Not what TF writes (the latest is not the last listed), but it does not change:
    # once it has lasted the racy window it is no torn file.
    save(tmp_path, "a", "b")
    write_state(tmp_path, "a", ["b"])
    watcher = CheckpointWatcher(tmp_path)
    assert watcher.poll_all() == []
    clock.later()
    assert watcher.poll_all() == _paths(tmp_path, "b", "a")


# --- TF's path rules ----------------------------------------------------------------


def test_watcher_and_readers_follow_tf_path_rules(tmp_path):
    write_state(tmp_path, "model.ckpt-1")
    save(tmp_path, "model.ckpt-1")
    (tmp_path / "file").write_text("")
    # TF cleans lexically ("x/.." is nothing, even where x is missing or a file) and
    # returns the path as joined; checked against TF itself in test_checkpoints_oracle.
    for spelling in ("nope/..", "file/..", "./nope/../", "//"):
        directory = str(tmp_path) + "/" + spelling
        expected = os.path.join(directory, "model.ckpt-1")
        assert latest_checkpoint(directory) == expected
        assert CheckpointWatcher(directory).poll() == expected
    # TF's C++ layer ends the path at a NUL.
    assert latest_checkpoint(tmp_path, "checkpoint\0.old") == str(tmp_path / "model.ckpt-1")
    assert CheckpointWatcher(tmp_path, "checkpoint\0.old").poll() == str(tmp_path / "model.ckpt-1")
    assert latest_checkpoint(tmp_path, "checkpoint/") == str(tmp_path / "model.ckpt-1")


def test_no_path_spelling_makes_the_watcher_raise(tmp_path, caplog):
    write_state(tmp_path, "model.ckpt-1")
    save(tmp_path, "model.ckpt-1")
    for directory in (str(tmp_path) + "\0", str(tmp_path) + "/\0x", "\0"):
        watcher = CheckpointWatcher(directory)  # the state file is a directory for TF
        assert watcher.poll() is None and watcher.poll_all() == []
        assert "could not be read" in watcher.waiting_for
    for directory in (str(tmp_path) + "/\udcff", os.fsencode(tmp_path) + b"/\xff"):
        with pytest.raises(UnicodeEncodeError, match="surrogates not allowed"):
            latest_checkpoint(directory)  # what TF raises for such a str
        watcher = CheckpointWatcher(directory)
        for _ in range(2):
            assert watcher.poll() is None and watcher.poll_all() == [] and watcher.latest() is None
        assert "is not valid Unicode, so TensorFlow cannot open it" in watcher.waiting_for
    assert len([r for r in caplog.records if "not valid Unicode" in r.getMessage()]) == 2
    # The state file named absolutely: the relative checkpoint path joined onto the
    # directory is what TF cannot encode (it raises while storing it in the proto).
    directory, state_file = str(tmp_path) + "/\udcff", str(tmp_path / "checkpoint")
    with pytest.raises(UnicodeEncodeError, match="position %d" % len(str(tmp_path) + "/")):
        read_checkpoint_state(directory, state_file)
    watcher = CheckpointWatcher(directory, state_file)
    assert watcher.poll() is None and watcher.poll_all() == []
    assert "are not valid Unicode, so TensorFlow cannot open them" in watcher.waiting_for


def test_watcher_accepts_bytes_and_pathlike(tmp_path):
    write_state(tmp_path, "m")
    save(tmp_path, "m")
    for directory in (os.fsencode(tmp_path), tmp_path):
        path = CheckpointWatcher(directory).poll()
        assert path == str(tmp_path / "m") and isinstance(path, str)


# --- remote paths -----------------------------------------------------------------


class _FakeGFile:
    """An in-memory tf.io.gfile that counts calls and has no listing."""

    def __init__(self):
        self.files = {}
        self.calls = []

    def _stat(self, path):
        self.calls.append(("stat", path))
        if path not in self.files:
            raise _NotFound(path)
        data, mtime = self.files[path]
        return types.SimpleNamespace(length=len(data), mtime_nsec=mtime, is_directory=False)

    def _exists(self, path):
        self.calls.append(("exists", path))
        return path in self.files

    def _isdir(self, path):
        self.calls.append(("isdir", path))
        return True


class _OpError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class _NotFound(_OpError):
    pass


class _File:
    def __init__(self, data):
        self.data = data

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self):
        return self.data


@pytest.fixture
def fake_gfile(monkeypatch):
    fake = _FakeGFile()

    def gfile_open(path, mode="r"):
        fake.calls.append(("open", path))
        return _File(fake.files[path][0])

    gfile = types.SimpleNamespace(stat=fake._stat, exists=fake._exists, isdir=fake._isdir, GFile=gfile_open)
    errors = types.SimpleNamespace(OpError=_OpError, NotFoundError=_NotFound)
    monkeypatch.setattr(checkpoints, "_tf_module", lambda: types.SimpleNamespace(gfile=gfile, errors=errors))
    return fake


def test_remote_watcher_goes_through_gfile_and_never_lists(fake_gfile):
    watcher = CheckpointWatcher("gs://bucket/model")
    assert watcher.poll() is None
    assert watcher.waiting_for == "no checkpoint state file gs://bucket/model/checkpoint yet"
    fake_gfile.files["gs://bucket/model/checkpoint"] = (b'model_checkpoint_path: "model.ckpt-1"', 1)
    fake_gfile.files["gs://bucket/model/model.ckpt-1.index"] = (b"", 1)
    assert watcher.poll() == "gs://bucket/model/model.ckpt-1"
    del fake_gfile.calls[:]
    assert watcher.poll() is None
    assert fake_gfile.calls == [("stat", "gs://bucket/model/checkpoint")]
    assert latest_checkpoint("gs://bucket/model") == "gs://bucket/model/model.ckpt-1"
    assert read_checkpoint_state("gs://bucket/other") is None


# --- import-time behaviour (subprocesses) -----------------------------------------


def _run(code, **env):
    drop = [name for name in ("COMPAT_LEARN_NO_EXTENSIONS", "COMPAT_LEARN_REQUIRE_EXTENSIONS")
            if name not in env]
    returncode, stdout, stderr = _procs.run_python(["-c", code], env=_procs.python_env(env, drop=drop))
    return subprocess.CompletedProcess(["-c", code], returncode, stdout, stderr)


def test_importing_checkpoints_does_not_import_tensorflow():
    result = _run("import compat_learn.checkpoints, sys; assert 'tensorflow' not in sys.modules")
    assert result.returncode == 0, result.stderr


def test_no_extensions_forces_the_python_kernel():
    result = _run("import compat_learn.checkpoints as c; print(c.IMPLEMENTATION)", COMPAT_LEARN_NO_EXTENSIONS="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "python"


def test_require_extensions_makes_a_missing_kernel_an_error():
    block = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'compat_learn._ckptstate_c':\n"
        "            raise ImportError('blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
    )
    result = _run(block + "import compat_learn.checkpoints", COMPAT_LEARN_REQUIRE_EXTENSIONS="1")
    assert result.returncode != 0
    assert "COMPAT_LEARN_REQUIRE_EXTENSIONS is set" in result.stderr
    result = _run(block + "import compat_learn.checkpoints as c; print(c.IMPLEMENTATION)")
    assert result.stdout.strip() == "python"
