"""Fast, exact reading and polling of a model directory's checkpoint state file.

Drop-ins for ``tf.train.get_checkpoint_state`` and ``tf.train.latest_checkpoint`` that
give the same answers (the same text-format grammar, the same None / ValueError
contract) without importing TensorFlow for local paths, plus ``CheckpointWatcher``,
whose unchanged poll costs one ``stat()`` of the state file.

Remote paths (any ``scheme://``) go through ``tf.io.gfile`` (imported only then).

Paths follow TF's rules for every spelling (``compat_learn._ckptpath``): the
returned strings are joined as TF joins them (``os.path.join``, nothing removed),
while the files are looked up as TF's C++ layer looks them up: cut at the first NUL,
``.``/``..``/repeated and trailing ``/`` cleaned lexically (so ``run/x/..`` is
``run`` even when ``x`` does not exist), and a str that is not valid Unicode (lone
surrogates) raises TF's UnicodeEncodeError.

Deliberate differences from TensorFlow 2.15:

* Checkpoint paths are checked literally. TF passes them to
  ``get_matching_files`` as glob patterns, so in a model_dir such as ``run[1]``
  ``tf.train.latest_checkpoint`` returns None forever (tensorflow/tensorflow#35489).
  A path with a glob character (``[``, ``]``, ``*``, ``?``, ``\\``) anywhere, even
  after a NUL, may therefore get another answer from ``latest_checkpoint`` than from
  TF; every other spelling gets TF's (``read_checkpoint_state`` uses no globbing).
* ``checkpoint_dir`` may also be bytes (TF raises TypeError for bytes); bytes that
  are not UTF-8 raise the UnicodeEncodeError TF raises for the str they decode to.
* An unknown escape such as ``"\\q"`` reads as TF reads it (backslash kept) but
  without the DeprecationWarning Python's codec emits inside TF.
"""

import errno
import logging
import os
import re
import stat
import time

from compat_learn import _ckptpath, _ckptstate
from compat_learn._ckptcommon import INVALID_STATE_MESSAGE, CheckpointStateParseError

__all__ = [
    "IMPLEMENTATION",
    "CheckpointState",
    "CheckpointStateParseError",
    "CheckpointWatcher",
    "latest_checkpoint",
    "read_checkpoint_state",
]

logger = logging.getLogger(__name__)

#: "cython" when the compiled kernel is in use, else "python".
IMPLEMENTATION = _ckptstate.IMPLEMENTATION

_SCHEME = _ckptpath.SCHEME
# TF's file_exists() is False (and get_checkpoint_state silent) for these.
_NOT_FOUND = (errno.ENOENT, errno.ENOTDIR)


class CheckpointState:
    """The contents of a checkpoint state file, with paths joined to the directory.

    Mirrors the fields of TF's ``CheckpointState`` proto as returned by
    ``tf.train.get_checkpoint_state``. Native TF2 replacement:
    ``tf.train.CheckpointManager`` (``checkpoints`` / ``latest_checkpoint``).

    Attributes:
      model_checkpoint_path: str, the latest checkpoint prefix.
      all_model_checkpoint_paths: list of str, oldest first.
      all_model_checkpoint_timestamps: list of float, seconds since the Epoch.
      last_preserved_timestamp: float.
    """

    __slots__ = (
        "all_model_checkpoint_paths",
        "all_model_checkpoint_timestamps",
        "last_preserved_timestamp",
        "model_checkpoint_path",
    )
    # The proto's field order, for repr and equality.
    _FIELDS = (
        "model_checkpoint_path",
        "all_model_checkpoint_paths",
        "all_model_checkpoint_timestamps",
        "last_preserved_timestamp",
    )

    def __init__(
        self,
        model_checkpoint_path="",
        all_model_checkpoint_paths=(),
        all_model_checkpoint_timestamps=(),
        last_preserved_timestamp=0.0,
    ):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def _fields(self):
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __eq__(self, other):
        if not isinstance(other, CheckpointState):
            return NotImplemented
        return self._fields() == other._fields()

    def __repr__(self):
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"CheckpointState({fields})"


def _as_str_path(value, argument):
    try:
        value = os.fspath(value)
    except TypeError:
        raise TypeError(
            f"`{argument}` must be a str, bytes or os.PathLike path; got "
            f"{type(value).__name__} {value!r}."
        ) from None
    return os.fsdecode(value) if isinstance(value, bytes) else value


def _state_path(checkpoint_dir, latest_filename):
    # TF checkpoint_management._GetCheckpointFilename: None means "checkpoint"; any
    # other value (even "" or an absolute path) goes through os.path.join.
    name = "checkpoint" if latest_filename is None else _as_str_path(latest_filename, "latest_filename")
    return os.path.join(checkpoint_dir, name)


def _tf_module():
    from compat_learn import _tf

    return _tf


# git's "racily clean" rule: a state file whose mtime is not safely older than the
# moment we started reading it may change again within the same timestamp tick
# without changing its stat key, so its key proves nothing and the next poll reads
# it again. "Safely" covers the coarsest common timestamp granularity (FAT's 2 s)
# plus clock skew between this host and a file server.
_RACY_WINDOW_NS = 3_000_000_000
_clock = time.time_ns  # a module attribute so tests can move time forward
_READ_CHUNK = 1 << 16  # what a local read asks for past the size fstat reported


class _LocalFS:
    """Plain POSIX calls on the path TF's local filesystem would use; the stat goes
    through the selected kernel."""

    remote = False
    MTIME = 3  # index of st_mtime_ns in the stat key

    prepare = staticmethod(_ckptpath.local)
    stat_key = staticmethod(_ckptstate.stat_key)

    @staticmethod
    def read(path):
        """Returns ``(bytes, stat key of exactly what was read)``."""
        # os.open/os.read, not open(): no FileIO and BufferedReader objects, no second
        # fstat and lseek inside readall(); half the fixed cost of a read (~5 us).
        name = _ckptpath.local(path)
        fd = os.open(name, os.O_RDONLY | os.O_CLOEXEC)
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                # What open() raises here (os.read would say EISDIR without the name).
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
            # One byte more than fstat's size: exactly that size back is the whole
            # file. Anything else (it grew or shrank since, or a short read) is read
            # on to the end of the file, as readall() reads it.
            data = os.read(fd, st.st_size + 1)
            if len(data) != st.st_size:
                chunks = [data]
                while chunks[-1]:
                    chunks.append(os.read(fd, _READ_CHUNK))
                data = b"".join(chunks)
        finally:
            os.close(fd)
        return data, (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    @staticmethod
    def exists(path):
        # TF: FileExists is access(F_OK) on the cleaned path.
        return os.path.exists(_ckptpath.local(path))

    @staticmethod
    def isdir(path):
        return os.path.isdir(_ckptpath.local(path))


class _RemoteFS:
    """tf.io.gfile, with TF's errors mapped onto OSError so one code path serves both."""

    remote = True
    MTIME = 1  # index of mtime_nsec in the stat key

    def __init__(self):
        self._tf = _tf_module()

    @staticmethod
    def prepare(path):
        _ckptpath.utf8(path)  # TF's own error, before gfile's converter sees it
        return path

    def _call(self, fn, path):
        try:
            return fn(path)
        except self._tf.errors.NotFoundError as exc:
            raise FileNotFoundError(errno.ENOENT, exc.message, path) from None
        except self._tf.errors.OpError as exc:
            raise OSError(errno.EIO, exc.message, path) from None

    def stat_key(self, path):
        # One metadata request; the listing-free equivalent of the local stat key.
        st = self._call(self._tf.gfile.stat, path)
        return (st.length, st.mtime_nsec, st.is_directory)

    def read(self, path):
        # Stat first: if the file is replaced in between, the key is older than the
        # content and the next poll merely reads it again.
        key = self.stat_key(path)

        def _read(p):
            with self._tf.gfile.GFile(p, "rb") as f:
                return f.read()

        return self._call(_read, path), key

    def exists(self, path):
        try:
            return self._call(self._tf.gfile.exists, path)
        except OSError:
            return False

    def isdir(self, path):
        try:
            return self._call(self._tf.gfile.isdir, path)
        except OSError:
            return False


class _PathNotUnicode(OSError):
    """The watched path cannot be encoded as TF requires; reported, never raised."""


class _UnusablePathFS:
    """Stands in for a filesystem when the watched path is not valid Unicode."""

    remote = False
    MTIME = 0

    def __init__(self, path, exc):
        self._error = _PathNotUnicode(
            errno.EINVAL,
            f"{path!r} is not valid Unicode, so TensorFlow cannot open it ({exc}); "
            "use a directory name that is valid UTF-8")

    def stat_key(self, path):
        raise self._error

    read = stat_key

    @staticmethod
    def exists(path):
        return False

    isdir = exists


def _filesystem(path):
    return _RemoteFS() if _SCHEME.match(path) else _LocalFS


def _join(checkpoint_dir, path):
    # TF get_checkpoint_state: relative paths are joined onto checkpoint_dir.
    return path if os.path.isabs(path) else os.path.join(checkpoint_dir, path)


def _check_joined(checkpoint_dir, model, paths):
    # TF get_checkpoint_state stores each joined path back into the proto, whose
    # string fields take valid UTF-8 only: a relative path joined onto a directory
    # with lone surrogates (reachable when the state file is named by an absolute
    # latest_filename) raises UnicodeEncodeError there, model path first. Paths read
    # from the file are valid UTF-8, so only joined ones can fail.
    try:
        _ckptpath.utf8(checkpoint_dir)
    except UnicodeEncodeError:
        for path in [model] + paths:
            _ckptpath.utf8(path)


def _to_state(data, checkpoint_dir):
    model, paths, stamps, preserved = _ckptstate.parse(data, checkpoint_dir)
    if not model:
        # TF 2.15 get_checkpoint_state raises this ValueError (with these words).
        raise ValueError(INVALID_STATE_MESSAGE + checkpoint_dir)
    model = _join(checkpoint_dir, model)
    _check_joined(checkpoint_dir, model, paths)
    state = CheckpointState.__new__(CheckpointState)
    state.model_checkpoint_path = model
    state.all_model_checkpoint_paths = paths
    state.all_model_checkpoint_timestamps = stamps
    state.last_preserved_timestamp = preserved
    return state


# The bytes of read_checkpoint_state's last read, alive until the next call has read
# its own. The kernels take bytes, so each call allocates a buffer the size of the file
# (9.5 MB at 100,000 entries). glibc serves such a buffer from its heap once it has
# handed one of that size back (its mmap threshold rises to it), and trims the heap top
# whenever more than twice that much lies free there: with each buffer freed before the
# next was allocated, re-reading a large file after each save faulted the whole buffer
# in from the kernel again every few calls (~2,000 faults, ~15 % of a 100,000-entry
# re-read; benchmarks/README.md, "Scaling"). Allocator behaviour, not a guarantee: it
# made those faults rarer, not impossible. Not done in the watcher, which keeps the
# bytes it compares against already: a third buffer in its rotation made its racy
# poll of a 100,000-entry file slower (cache), not faster.
_last_read = None


def read_checkpoint_state(checkpoint_dir, latest_filename=None):
    """Reads the checkpoint state file, exactly like ``tf.train.get_checkpoint_state``.

    Args:
      checkpoint_dir: the model directory (str, bytes or os.PathLike).
      latest_filename: name of the state file; None means ``"checkpoint"``.

    Returns:
      A CheckpointState with relative paths joined onto ``checkpoint_dir``, or None
      when the file is missing, unreadable or not a valid text-format
      ``CheckpointState`` (TF returns None there too, and logs a warning).

    Raises:
      ValueError: the file parses but names no ``model_checkpoint_path`` (TF's
        message), or (UnicodeDecodeError) it is not UTF-8, or
        (UnicodeEncodeError) the path is not valid Unicode, all as with TF.
    """
    checkpoint_dir = _as_str_path(checkpoint_dir, "checkpoint_dir")
    path = _state_path(checkpoint_dir, latest_filename)
    # TF's file_exists() encodes the joined path first: same error, same position.
    _ckptpath.utf8(path)
    fs = _filesystem(checkpoint_dir)
    try:
        data, _ = fs.read(path)
    except OSError as exc:
        if exc.errno not in _NOT_FOUND:
            logger.warning("%s: %s; checkpoint state ignored", path, exc)
        return None
    global _last_read
    _last_read = data  # frees the previous call's bytes only now (see _last_read)
    try:
        return _to_state(data, checkpoint_dir)
    except CheckpointStateParseError as exc:
        logger.warning("%s: %s; checkpoint state ignored", path, exc)
        return None


def _checkpoint_exists(fs, prefix):
    # TF latest_checkpoint: the V2 index file, else the V1 data file (checked
    # literally here; TF treats the path as a glob pattern), each looked up with
    # TF's path rules (a prefix ending in "/" or holding a NUL is cleaned or cut).
    return fs.exists(prefix + ".index") or fs.exists(prefix)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The latest checkpoint prefix, exactly like ``tf.train.latest_checkpoint``.

    Args:
      checkpoint_dir: the model directory (str, bytes or os.PathLike).
      latest_filename: name of the state file; None means ``"checkpoint"``.

    Returns:
      The ``model_checkpoint_path`` of the state file (joined onto the directory)
      when its ``.index`` file (V2) or the prefix itself (V1) exists, else None.
      Unlike TF 2.15 this also works when the directory name contains glob
      characters such as ``[``.

    Raises:
      ValueError: as read_checkpoint_state.
    """
    checkpoint_dir = _as_str_path(checkpoint_dir, "checkpoint_dir")
    state = read_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None:
        return None
    prefix = state.model_checkpoint_path
    if _checkpoint_exists(_filesystem(checkpoint_dir), prefix):
        return prefix
    logger.error("Couldn't match files for checkpoint %s", prefix)
    return None


_UNSET = object()
# TF names checkpoints "<prefix>-<global step>" (Saver) or "ckpt-<save counter>"
# (CheckpointManager); either number only grows while one run trains.
_STEP = re.compile(r"-([0-9]+)\Z")


def _step(path):
    match = _STEP.search(path)
    return int(match.group(1)) if match else None


def _consistent(state):
    """Whether the state file can be a whole one as TF writes it.

    TF's generate_checkpoint_state_proto always ends all_model_checkpoint_paths
    with model_checkpoint_path, never lists a path twice, and writes either no
    timestamps or one per path. A file read while it was being rewritten in place
    (no atomic rename: ram://, some remote stores, other writers) lacks its tail.
    """
    paths = state.all_model_checkpoint_paths
    if not paths:
        return True
    stamps = state.all_model_checkpoint_timestamps
    return (
        paths[-1] == state.model_checkpoint_path
        and (not stamps or len(stamps) == len(paths))
        and len(set(paths)) == len(paths)
    )


class CheckpointWatcher:
    """Polls a model directory for new checkpoints at the cost of one ``stat()``.

    Replaces the polling loops of ``tf.contrib.learn.Experiment.continuous_eval``
    (r1.15: ``saver.latest_checkpoint`` every ``continuous_eval_throttle_secs``);
    native TF2 replacement: ``tf.train.checkpoints_iterator``.

    The parsed state is cached under the state file's ``(st_dev, st_ino, st_size,
    st_mtime_ns)``; TF rewrites the file by rename, so a save changes the key. While
    the key is unchanged and the last answer was a checkpoint, a poll makes exactly
    one ``stat()`` and never reads or lists anything. The key is trusted only once
    it can no longer lie (git's "racily clean" rule): while the file's mtime is not
    safely older (3 s) than the moment it was last read, two saves within one
    timestamp tick could leave the key unchanged, so each poll reads the file again
    and compares the bytes; where the filesystem reports no usable mtime (``ram://``
    and some remote stores report 0), every poll compares the bytes. No call lets
    anything but a programming error escape: problems (unreadable or unparsable
    files, paths TF cannot encode) are reported by ``waiting_for`` and logged once
    each.

    Args:
      checkpoint_dir: the model directory (str, bytes or os.PathLike; remote
        ``scheme://`` paths go through ``tf.io.gfile``).
      latest_filename: name of the state file; None means ``"checkpoint"``.
    """

    def __init__(self, checkpoint_dir, latest_filename=None):
        self._dir = _as_str_path(checkpoint_dir, "checkpoint_dir")
        self._path = _state_path(self._dir, latest_filename)
        self._fs = _filesystem(self._dir)
        try:
            self._stat_path = self._fs.prepare(self._path)
        except UnicodeEncodeError as exc:
            self._fs = _UnusablePathFS(self._path, exc)
            self._stat_path = self._path
        self._key = _UNSET
        self._trusted_key = _UNSET  # == _key once the key alone proves "unchanged"
        self._data = None  # bytes behind _state, kept while the key is not trusted
        self._since = 0  # _clock() when _state was first seen
        self._state = None
        self._consistent = True
        self._latest = None
        self._final = False  # whether _latest is the settled answer for _key
        self._reason = None
        self._logged = None
        self._returned = set()
        self._max_step = None

    @property
    def checkpoint_dir(self):
        """The watched directory (str)."""
        return self._dir

    # --- state ------------------------------------------------------------------------

    def _report(self, reason, level=logging.INFO):
        self._reason = reason
        if reason is not None and reason != self._logged:
            logger.log(level, "Waiting for a checkpoint: %s", reason)
        self._logged = reason

    def _forget(self):
        self._state, self._data, self._latest, self._final = None, None, None, True
        self._trusted_key = _UNSET

    def _missing(self, exc):
        code = exc.errno
        dir_exists = code in _NOT_FOUND and self._fs.isdir(self._dir)
        key = ("missing", code, dir_exists)
        if key == self._key:
            return
        self._forget()
        self._key = key
        if isinstance(exc, _PathNotUnicode):
            self._report(exc.strerror, logging.WARNING)
        elif code == errno.ENOENT and dir_exists:
            self._report(f"no checkpoint state file {self._path} yet")
        elif code == errno.ENOENT:
            self._report(f"no directory {self._dir} yet")
        elif code == errno.ENOTDIR:
            self._report(f"{self._dir} is not a directory", logging.WARNING)
        else:
            self._report(f"state file {self._path} could not be read: {exc}", logging.WARNING)

    def _settled(self, key, started):
        mtime = key[self._fs.MTIME]
        return 0 < mtime and mtime + _RACY_WINDOW_NS < started

    def _load(self, key):
        """Reads the state file again; reparses only when its bytes changed."""
        started = _clock()
        try:
            data, key = self._fs.read(self._path)
        except OSError as exc:
            # Not cached under the file's key: a chmod fixes this without changing
            # the mtime, so the next poll tries again (the reason is logged once).
            self._forget()
            self._key = ("unreadable", key)
            self._report(f"state file {self._path} could not be read: {exc}", logging.WARNING)
            return
        settled = self._settled(key, started)
        self._key = key
        self._trusted_key = key if settled else _UNSET
        if data == self._data:
            # Same bytes under a key that proved nothing: the cached answer stands.
            if settled:
                self._data = None
            return
        self._state, self._latest, self._final = None, None, True
        self._data = None if settled else data
        self._since = started
        try:
            self._state = _to_state(data, self._dir)
        except UnicodeEncodeError as exc:
            self._report(f"the checkpoint paths of {self._path!r}, joined onto the directory, are "
                         f"not valid Unicode, so TensorFlow cannot open them ({exc})", logging.WARNING)
            return
        except ValueError as exc:  # incl. CheckpointStateParseError, UnicodeDecodeError
            self._report(f"state file {self._path} could not be parsed: {exc}", logging.WARNING)
            return
        self._consistent = settled or _consistent(self._state)
        self._final = False

    def _verify(self):
        state = self._state
        if state is None:
            return None
        prefix = state.model_checkpoint_path
        if _checkpoint_exists(self._fs, prefix):
            self._latest, self._final = prefix, True
            self._report(None)
            return prefix
        self._report(f"checkpoint {prefix} listed in the state file has no .index file yet")
        return None

    def latest(self):
        """The current latest checkpoint, as ``latest_checkpoint()`` would answer.

        Unlike ``poll()`` this returns the same path again and again.

        Returns:
          The checkpoint prefix (str), or None (see ``waiting_for``).
        """
        try:
            key = self._fs.stat_key(self._stat_path)
        except OSError as exc:
            self._missing(exc)
            return None
        if key != self._trusted_key:
            self._load(key)
        if self._final:
            return self._latest
        return self._verify()

    @property
    def waiting_for(self):
        """None when a checkpoint is available, else what is missing (a sentence)."""
        if self.latest() is not None:
            return None
        return self._reason

    # --- polling ----------------------------------------------------------------------

    def _mark(self, path):
        self._returned.add(path)
        step = _step(path)
        if step is not None and (self._max_step is None or step > self._max_step):
            self._max_step = step

    def poll(self):
        """The newest checkpoint not returned before, or None.

        Returns:
          A checkpoint prefix (str) or None.
        """
        latest = self.latest()
        if latest is None or latest in self._returned:
            return None
        self._mark(latest)
        return latest

    def _whole(self):
        """Whether the cached state may be read as a whole file (see _consistent).

        One that is not is taken for a file read mid-write until it has stayed the
        same for the racy window; after that it is what its writer meant.
        """
        if not self._consistent and _clock() - self._since > _RACY_WINDOW_NS:
            self._consistent = True
        return self._consistent

    def poll_all(self):
        """Every listed checkpoint newer than all returned before, oldest first.

        Lets an evaluator that fell behind evaluate each kept checkpoint instead of
        skipping to the latest. Listed checkpoints whose files are gone are skipped.
        Never goes back: nothing at or before a checkpoint already returned, by its
        position in the state file or by its global step (the ``-N`` suffix), is
        returned; a state file caught half-written gives nothing new until a whole
        one is there.

        Returns:
          A list of checkpoint prefixes (str), possibly empty.
        """
        latest = self.latest()
        if latest is None or latest in self._returned or not self._whole():
            return []
        listed = self._state.all_model_checkpoint_paths
        if latest in listed:
            listed = listed[: len(listed) - listed[::-1].index(latest)]
        else:
            listed = listed + [latest]
        for i in range(len(listed) - 1, -1, -1):
            if listed[i] in self._returned:
                listed = listed[i + 1:]
                break
        fresh = []
        seen = set()
        for path in listed:
            if path in seen:
                continue
            seen.add(path)
            step = _step(path)
            if step is not None and self._max_step is not None and step <= self._max_step:
                continue
            if path == latest or _checkpoint_exists(self._fs, path):
                fresh.append(path)
        for path in fresh:
            self._mark(path)
        return fresh

    def reset(self):
        """Forgets which checkpoints were returned (the cache of the state stays)."""
        self._returned = set()
        self._max_step = None
