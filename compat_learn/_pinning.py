"""The evaluator keeps evaluating when a checkpoint vanishes under it (beyond r1.15).

A trainer's ``keep_checkpoint_max`` deletes old checkpoints; an evaluator that found
one a moment earlier then failed with TF's "The passed save_path is not a valid
checkpoint" ValueError (r1.15 and TF 2.15 alike), and TF 2.15's `Estimator.evaluate`
without a path silently evaluated freshly initialised variables once the latest
checkpoint's files were gone.

`pinned_checkpoint` keeps the files of the checkpoint being evaluated (and exported)
alive with hard links in a private directory on the same file system (the temporary
directory, else a hidden ``.compat_learn_pin-*`` directory beside the checkpoint),
removed as soon as the evaluation ends; where no hard link can be made, copies in
the temporary directory. TensorFlow is still asked for the original path (the
``checkpoint_path`` summary, the eval result and the exporters name it, as in r1.15);
`tf.compat.v1.train.Saver` restores it from the pinned files
(through `compat_learn._restore_paths`). Where nothing can be pinned (remote stores, no
room), `evaluate_newest` recognises a checkpoint whose files are gone, logs it once
and goes on to the newest one.
"""

import collections
import contextlib
import logging
import os
import re
import shutil
import socket
import tempfile
import threading

from compat_learn import _restore_paths
from compat_learn._globsafe import _GLOB_RE, _SCHEME_RE, has_glob_chars

__all__ = [
    "CheckpointVanishedError",
    "checkpoint_exists",
    "evaluate_newest",
    "is_pinned",
    "pinned_checkpoint",
    "pinned_prefix",
    "report_vanished_before_export",
]

logger = logging.getLogger(__name__)

_lock = threading.Lock()


# Pin directories: "[.]compat_learn_pin-<host>-<pid>-<random>", so that a later process
# on the same host can remove those of a process that died without cleaning up.
_PIN_PREFIX = "compat_learn_pin-"
_PIN_NAME_RE = re.compile(r"^\.?compat_learn_pin-(?P<host>[A-Za-z0-9_.]*)-(?P<pid>\d+)-")
_DATA_SHARD_RE = re.compile(r"\.data-(\d{5})-of-(\d{5})$")
# evaluate_newest gives up for the moment (the caller tries again later) after this
# many checkpoints in a row vanished under it.
_MAX_VANISHED_IN_A_ROW = 8

_pins = {}  # original prefix -> [pinned prefix, pin directory, users]
_pin_base = {}  # checkpoint directory -> the (base, mode) that worked for it last
_unpinnable = set()  # checkpoint directories where no pin could be made (logged once)
_swept = set()  # pin bases cleared of dead processes' pins
_reported = collections.OrderedDict()  # vanished prefixes already logged (bounded)


class CheckpointVanishedError(Exception):
    """The files of a checkpoint were deleted before TensorFlow could restore them.

    Attributes:
      checkpoint_path: the prefix of the vanished checkpoint.
    """

    def __init__(self, checkpoint_path):
        super().__init__(f"The files of checkpoint {checkpoint_path} were deleted before it "
                         f"could be restored.")
        self.checkpoint_path = checkpoint_path


def _is_remote(path):
    return bool(_SCHEME_RE.match(path))


def checkpoint_exists(checkpoint_path):
    """True if the checkpoint's files are there: ``<prefix>.index`` (V2) or ``<prefix>`` (V1).

    The files are checked literally (TF would glob), through ``tf.io.gfile`` for remote
    paths.
    """
    prefix = os.fsdecode(checkpoint_path)
    if _is_remote(prefix):
        from compat_learn import _tf

        return _tf.gfile.exists(prefix + ".index") or _tf.gfile.exists(prefix)
    return os.path.exists(prefix + ".index") or os.path.isfile(prefix)


def is_pinned(checkpoint_path):
    """True while `checkpoint_path` is pinned by this process (see `pinned_checkpoint`)."""
    return pinned_prefix(checkpoint_path) is not None


def pinned_prefix(checkpoint_path):
    """The pinned copy's prefix while `checkpoint_path` is pinned, else None."""
    if not checkpoint_path:
        return None
    try:
        key = os.fsdecode(checkpoint_path)
    except TypeError:
        return None
    with _lock:
        entry = _pins.get(key)
    return entry[0] if entry else None


def _host_tag():
    return re.sub(r"[^A-Za-z0-9_.]", "_", socket.gethostname())[:64]


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # e.g. EPERM: it exists, under another user
    return True


def _sweep(base):
    """Removes pin directories left in `base` by dead processes of this host (once)."""
    if base in _swept:
        return
    _swept.add(base)
    host = _host_tag()
    try:
        entries = os.listdir(base)
    except OSError:
        return
    for entry in entries:
        found = _PIN_NAME_RE.match(entry)
        if (found and found.group("host") == host and int(found.group("pid")) != os.getpid()
                and not _pid_alive(int(found.group("pid")))):
            shutil.rmtree(os.path.join(base, entry), ignore_errors=True)


def _pin_attempts(directory):
    """``(base, mode)`` pairs to try for a checkpoint in `directory`, best first.

    Hard links (mode "link") in the temporary directory, else beside the checkpoint;
    where neither works, copies ("copy") in the temporary directory.
    """
    temp = tempfile.gettempdir()
    attempts = [_pin_base.get(directory), (temp, "link"), (directory, "link"), (temp, "copy")]
    found = []
    for attempt in attempts:
        if attempt and attempt not in found and not has_glob_chars(attempt[0]):
            found.append(attempt)
    return found


def _link_checkpoint(prefix, pin_dir, mode="link"):
    """Hard-links (or copies) the files TF restores from: index and data shards, or a
    V1 file.

    Returns:
      The pinned prefix.

    Raises:
      CheckpointVanishedError: a file of the checkpoint is gone.
      OSError: a link cannot be made here (another file system, no hard links, ...).
    """
    directory, base = os.path.split(prefix)
    pinned = os.path.join(pin_dir, "model.ckpt" if _GLOB_RE.search(base) else base)
    place = os.link if mode == "link" else shutil.copyfile

    def link(suffix):
        try:
            place(prefix + suffix, pinned + suffix)
        except FileNotFoundError:
            if not os.path.isdir(pin_dir):
                raise
            raise CheckpointVanishedError(prefix) from None

    try:
        link(".index")
    except CheckpointVanishedError:
        if not os.path.isfile(prefix):
            raise
        link("")  # a V1 checkpoint: one file named exactly like the prefix
        return pinned
    try:
        entries = os.listdir(directory or ".")
    except FileNotFoundError:
        raise CheckpointVanishedError(prefix) from None
    shards = {}
    for entry in entries:
        if entry.startswith(base + ".data-"):
            found = _DATA_SHARD_RE.search(entry)
            if found:
                shards[entry[len(base):]] = (int(found.group(1)), int(found.group(2)))
    for suffix in shards:
        link(suffix)
    counts = {count for _, count in shards.values()}
    complete = (len(counts) == 1
                and sorted(i for i, _ in shards.values()) == list(range(counts.pop())))
    # TF deletes the index before the data shards (checkpoint_management.remove_checkpoint):
    # shards missing while the index is gone too means it was deleted meanwhile.
    if not complete and not os.path.exists(prefix + ".index"):
        raise CheckpointVanishedError(prefix)
    return pinned


def _make_pin(prefix):
    """Returns ``(pin_dir, pinned_prefix)``, or ``(None, None)`` where none can be made.

    Raises:
      CheckpointVanishedError: the checkpoint's files are gone.
    """
    if _is_remote(prefix):
        return None, None  # remote stores: evaluate_newest copes
    directory = os.path.dirname(os.path.abspath(prefix))
    if directory in _unpinnable:
        return None, None
    problems = []
    for base, mode in _pin_attempts(directory):
        hidden = "." if base == directory else ""
        try:
            _sweep(base)
            pin_dir = tempfile.mkdtemp(
                prefix=f"{hidden}{_PIN_PREFIX}{_host_tag()}-{os.getpid()}-", dir=base)
        except OSError as exc:
            problems.append(f"{base}: {exc.strerror or exc}")
            continue
        try:
            pinned = _link_checkpoint(os.path.abspath(prefix), pin_dir, mode)
        except OSError as exc:
            shutil.rmtree(pin_dir, ignore_errors=True)
            problems.append(f"{mode} into {base}: {exc.strerror or exc}")
            continue
        except BaseException:  # CheckpointVanishedError included
            shutil.rmtree(pin_dir, ignore_errors=True)
            raise
        if mode == "copy" and _pin_base.get(directory) != (base, mode):
            logger.warning(
                "Cannot hard-link the checkpoints in %s (%s); each checkpoint is copied "
                "into %s while it is evaluated, so that the trainer's keep_checkpoint_max "
                "cannot delete it under the evaluation.", directory, "; ".join(problems),
                base)
        _pin_base[directory] = (base, mode)
        return pin_dir, pinned
    _unpinnable.add(directory)
    logger.warning(
        "Cannot pin the checkpoints in %s (%s); a checkpoint deleted while it is "
        "evaluated (e.g. by the trainer's keep_checkpoint_max) is skipped for the newest "
        "one.", directory, "; ".join(problems) or "no place for them")
    return None, None


def _release(prefix):
    with _lock:
        entry = _pins[prefix]
        entry[2] -= 1
        if entry[2]:
            return
        del _pins[prefix]
    shutil.rmtree(entry[1], ignore_errors=True)


@contextlib.contextmanager
def pinned_checkpoint(checkpoint_path):
    """Keeps the files of `checkpoint_path` restorable until the block ends.

    Hard links in a private directory on the same file system (else copies in the
    temporary directory) keep the files when the trainer deletes them; while the
    block runs, restoring `checkpoint_path`
    through `tf.compat.v1.train.Saver` (every estimator evaluation and export) reads
    those links. The directory is removed when the block ends, exception or not.
    Pins nest (the same path may be pinned again inside the block).

    Args:
      checkpoint_path: a checkpoint prefix (str or bytes).

    Yields:
      True if the checkpoint is pinned; False where nothing can be pinned (remote
      paths, no writable place with room): then the block runs on the original files.

    Raises:
      CheckpointVanishedError: the checkpoint's files are already gone.
    """
    prefix = os.fsdecode(checkpoint_path)
    with _lock:
        entry = _pins.get(prefix)
        if entry:
            entry[2] += 1
    if not entry:
        pin_dir, pinned = _make_pin(prefix)
        if pin_dir is None:
            yield False
            return
        _restore_paths.register(_restore_paths.PINNED, pinned_prefix)
        with _lock:
            entry = _pins.get(prefix)
            if entry:  # another thread pinned it meanwhile: share that pin
                entry[2] += 1
            else:
                _pins[prefix] = [pinned, pin_dir, 1]
        if entry:
            shutil.rmtree(pin_dir, ignore_errors=True)
        logger.debug("Pinned checkpoint %s at %s.", prefix, pinned)
    try:
        yield True
    finally:
        _release(prefix)


def _first_report(prefix):
    with _lock:
        if prefix in _reported:
            return False
        _reported[prefix] = None
        while len(_reported) > 256:
            _reported.popitem(last=False)
    return True


def report_vanished_before_export(checkpoint_path, error):
    """Logs (once per checkpoint) that an evaluated checkpoint vanished before its export."""
    if _first_report(os.fsdecode(checkpoint_path)):
        logger.warning(
            "Checkpoint %s was deleted after its evaluation, before its export (e.g. by the "
            "trainer's keep_checkpoint_max): not exported (%s). The next evaluation exports "
            "the newest checkpoint.", os.fsdecode(checkpoint_path), error)


def evaluate_newest(checkpoint_path, evaluate, newest, skip=(), newest_is="the newest"):
    """Calls ``evaluate(path)`` with `path` pinned, going on to the newest if it vanishes.

    If the checkpoint's files are gone before it is pinned, or `evaluate` fails and
    they are gone (it could not be pinned, or the estimator looked the latest
    checkpoint up itself, as a contrib Estimator does), this is logged once per
    checkpoint and ``newest()`` names the checkpoint to evaluate instead. A failure
    while the files are there is not a vanished checkpoint and propagates.

    Args:
      checkpoint_path: the checkpoint just detected.
      evaluate: ``(path) -> result``, run while `path` is pinned.
      newest: ``() -> path or None``, the checkpoint to go on to (an existing one).
      skip: paths not to go on to (e.g. the one evaluated last).
      newest_is: what ``newest()`` gives, for the log line ("the next kept", ...).

    Returns:
      ``(result, path evaluated)``, or ``(None, None)`` when no checkpoint to go on
      to exists (the caller waits for the next one, as for "no new checkpoint").
    """
    path = os.fsdecode(checkpoint_path)
    tried = {os.fsdecode(p) for p in skip if p}
    for _ in range(_MAX_VANISHED_IN_A_ROW):
        tried.add(path)
        try:
            with pinned_checkpoint(path):
                try:
                    return evaluate(path), path
                except Exception as exc:
                    if checkpoint_exists(path):
                        raise
                    raise CheckpointVanishedError(path) from exc
        except CheckpointVanishedError as exc:
            if os.fsdecode(exc.checkpoint_path) != path:
                raise  # a nested call's, not this checkpoint's
            following = newest()
            following = None if not following or following in tried else following
            if _first_report(path):
                if following:
                    logger.warning(
                        "Checkpoint %s was deleted before it could be restored (e.g. by "
                        "the trainer's keep_checkpoint_max); evaluating %s checkpoint, "
                        "%s, instead.", path, newest_is, following)
                else:
                    logger.warning(
                        "Checkpoint %s was deleted before it could be restored (e.g. by "
                        "the trainer's keep_checkpoint_max), and there is no newer "
                        "checkpoint yet; waiting for the next one.", path)
            if following is None:
                return None, None
            path = os.fsdecode(following)
    return None, None
