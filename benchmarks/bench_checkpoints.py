"""Benchmark of compat_learn.checkpoints against TensorFlow 2.15 (not a test; never gates CI).

    python benchmarks/bench_checkpoints.py [--quick] [--rounds N]
    python benchmarks/bench_checkpoints.py --scaling


For model directories of 100, 10,000 and 100,000 entries (state file of 5 entries) and
for state files of 5, 10,000 and 100,000 entries (written by TF's own text_format,
with timestamps, relative paths), prints the median time of:

* ``os.stat`` of the state file: the floor;
* an unchanged ``CheckpointWatcher.poll()`` with each kernel, on a state file written
  long ago (the settled case: one stat);
* the same poll where the key cannot be trusted (git's "racily clean" case: a state
  file written within the last 3 s, or one whose mtime is 0 as on ``ram://``), which
  reads the file again and compares its bytes; and that poll on ``ram://`` itself,
  through ``tf.io.gfile``;
* ``read_checkpoint_state`` with each kernel;
* ``tf.train.get_checkpoint_state`` and ``tf.train.latest_checkpoint``;

each also as the median, over interleaved rounds, of its ratio to the floor measured in
the same round. Targets (see ../shared/reference/checkpoint_polling_baseline.md §6):
unchanged poll <= 1.5x os.stat (compiled <= 1.0x) and flat within +-20 % across sizes;
full parse >= 25x faster than get_checkpoint_state at 10k and 100k entries and >= 5x at
5; the compiled parse >= 3x faster than the pure-Python one at 10k.

``--scaling`` instead times ``read_checkpoint_state`` alone on state files of 1,000 to
200,000 entries (several calls per size and kernel, as a poller re-reads one file) and
prints the cost per entry in CPU time (``time.process_time``: this process's own work,
page faults included, whatever the other tenants of a shared machine do; median and
minimum) and in wall time, the page faults per call and the cyclic GC collections,
to tell growth in the algorithm (the per-entry cost keeps rising) from the memory the
result needs (CPython hands freed arenas back to the OS, so a large result that is
not recycled pays page faults).
"""

import argparse
import contextlib
import importlib
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from compat_learn import _ckptstate_py, checkpoints

try:
    _ckptstate_c = importlib.import_module("compat_learn._ckptstate_c")
except ImportError:
    _ckptstate_c = None

KERNELS = [("cython", _ckptstate_c), ("python", _ckptstate_py)] if _ckptstate_c else [("python", _ckptstate_py)]


def _write_state(directory, k):
    from google.protobuf import text_format
    from tensorflow.python.training.checkpoint_state_pb2 import CheckpointState

    paths = [f"model.ckpt-{i + 1}" for i in range(k)]
    state = CheckpointState(
        model_checkpoint_path=paths[-1],
        all_model_checkpoint_paths=paths,
        all_model_checkpoint_timestamps=[1700000000.0 + i * 0.731 for i in range(k)],
        last_preserved_timestamp=1699999999.25,
    )
    with open(os.path.join(directory, "checkpoint"), "w") as f:
        f.write(text_format.MessageToString(state))
    # The latest checkpoint exists (V2: its .index file).
    open(os.path.join(directory, paths[-1] + ".index"), "w").close()


def _age(path, seconds):
    """Dates ``path`` back; 0 gives it mtime 0, as ram:// and some stores report."""
    when = time.time() - seconds if seconds else 0
    os.utime(path, (when, when))


def _make_dir(root, entries, k):
    directory = os.path.join(root, f"e{entries}_k{k}")
    os.makedirs(directory)
    _write_state(directory, k)
    # A state file written an hour ago: the watcher trusts its stat key.
    _age(os.path.join(directory, "checkpoint"), 3600)
    n = 2
    i = 0
    suffixes = (".data-00000-of-00001", ".meta", ".index")
    while n < entries:
        name = f"model.ckpt-x{i // 3}{suffixes[i % 3]}"
        open(os.path.join(directory, name), "w").close()
        i += 1
        n += 1
    return directory


class _PythonFS(checkpoints._LocalFS):
    stat_key = staticmethod(_ckptstate_py.stat_key)


@contextlib.contextmanager
def _kernel(module):
    saved = checkpoints._ckptstate
    checkpoints._ckptstate = module
    try:
        yield
    finally:
        checkpoints._ckptstate = saved


def _watcher(directory, module):
    watcher = checkpoints.CheckpointWatcher(directory)
    if module is _ckptstate_py:
        watcher._fs = _PythonFS
    with _kernel(module):
        assert watcher.poll() is not None and watcher.poll() is None
    return watcher


def _racy_copies(directory, tf):
    """The state file and latest checkpoint again, with mtime 0, locally and on ram://."""
    local = directory + "_mtime0"
    remote = "ram://bench_checkpoints/" + os.path.basename(directory)
    os.makedirs(local)
    tf.io.gfile.makedirs(remote)
    latest = os.path.basename(checkpoints.latest_checkpoint(directory))
    for name in ("checkpoint", latest + ".index"):
        shutil.copy(os.path.join(directory, name), local)
        tf.io.gfile.copy(os.path.join(directory, name), remote + "/" + name, overwrite=True)
    _age(os.path.join(local, "checkpoint"), 0)
    assert tf.io.gfile.stat(remote + "/checkpoint").mtime_nsec == 0
    return local, remote


def _methods(directory, tf):
    state = os.path.join(directory, "checkpoint")
    methods = [("os.stat (floor)", lambda: os.stat(state))]
    for name, module in KERNELS:
        methods.append((f"watcher poll, unchanged [{name}]", _watcher(directory, module).poll))
    local, remote = _racy_copies(directory, tf)
    for name, module in KERNELS:
        watcher = _watcher(local, module)

        def racy(watcher=watcher, module=module):
            with _kernel(module):
                return watcher.poll()

        methods.append((f"watcher poll, racy/mtime 0 [{name}]", racy))
    methods.append(("watcher poll, ram:// (tf.io.gfile)", _watcher(remote, checkpoints._ckptstate).poll))
    for name, module in KERNELS:

        def read(module=module):
            with _kernel(module):
                return checkpoints.read_checkpoint_state(directory)

        methods.append((f"read_checkpoint_state [{name}]", read))
    methods.append(("tf.train.get_checkpoint_state", lambda: tf.train.get_checkpoint_state(directory)))
    methods.append(("tf.train.latest_checkpoint", lambda: tf.train.latest_checkpoint(directory)))
    return methods


def _time(fn, number):
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def _measure(methods, rounds, budget):
    numbers = []
    for _, fn in methods:
        once = _time(fn, 1)
        numbers.append(max(1, int(budget / max(once, 1e-7))))
    times = [[] for _ in methods]
    ratios = [[] for _ in methods]
    order = list(range(len(methods)))
    for r in range(rounds):
        rotated = order[r % len(order):] + order[: r % len(order)]
        got = {}
        for i in rotated:
            got[i] = _time(methods[i][1], numbers[i])
        for i in order:
            times[i].append(got[i])
            ratios[i].append(got[i] / got[0])
    return [(name, statistics.median(t), statistics.median(q)) for (name, _), t, q in zip(methods, times, ratios)]


def _fmt(seconds):
    if seconds >= 1e-3:
        return "%.2f ms" % (seconds * 1e3)
    return "%.2f us" % (seconds * 1e6)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller budget (about a minute)")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds per directory")
    parser.add_argument("--scaling", action="store_true",
                        help="time read_checkpoint_state per state-file entry, 1k to 200k entries")
    args = parser.parse_args(argv)
    if args.scaling:
        return _scaling(args.rounds or 7)
    rounds = args.rounds or (3 if args.quick else 7)
    budget = 0.01 if args.quick else 0.03

    from compat_learn import _tf

    tf = _tf.tf
    tf.get_logger().setLevel("ERROR")
    configs = [(100, 5), (10_000, 5), (100_000, 5), (7, 10_000), (7, 100_000)]
    print(
        f"compat_learn.checkpoints benchmark: IMPLEMENTATION={checkpoints.IMPLEMENTATION}, "
        f"TensorFlow {tf.__version__}, Python {sys.version.split()[0]}"
    )
    print(f"rounds={rounds} (fewer at 100k state entries), ratios are medians of per-round ratios to os.stat\n")
    results = {}
    root = tempfile.mkdtemp(prefix="bench_ckpt_")
    try:
        for entries, k in configs:
            directory = _make_dir(root, entries, k)
            n_rounds = max(1, rounds // 3) if k >= 100_000 else rounds
            rows = _measure(_methods(directory, tf), n_rounds, budget)
            label = f"dir {entries} entries, state {k} entries"
            print(f"{label} ({n_rounds} rounds)")
            for name, t, ratio in rows:
                print(f"  {name:<40} {_fmt(t):>12} {ratio:12.2f}x")
                results[(entries, k, name)] = (t, ratio)
            print()
            shutil.rmtree(directory)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    _summary(results, configs)


def _scaling(rounds):
    import gc

    collections = []
    gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
    print(f"read_checkpoint_state per state-file entry: IMPLEMENTATION={checkpoints.IMPLEMENTATION}, "
          f"{rounds} calls per size and kernel, after one warm-up call")
    print("  cpu = time.process_time() of the call (this process's user + system time, page faults "
          "included; the\n  time other tenants of the machine take is not), wall = time.perf_counter(); "
          "median (min) per entry\n")
    sizes = (1_000, 10_000, 20_000, 50_000, 100_000, 200_000)
    cpu = {name: [] for name, _ in KERNELS}
    gcs = 0
    root = tempfile.mkdtemp(prefix="bench_ckpt_scaling_")
    try:
        for k in sizes:
            directory = os.path.join(root, str(k))
            os.mkdir(directory)
            _write_state(directory, k)
            cells = []
            for name, module in KERNELS:
                with _kernel(module):
                    checkpoints.read_checkpoint_state(directory)
                    walls, cpus, faults = [], [], []
                    for _ in range(rounds):
                        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                        g0 = len(collections)
                        w0, c0 = time.perf_counter(), time.process_time()
                        checkpoints.read_checkpoint_state(directory)
                        cpus.append(time.process_time() - c0)
                        walls.append(time.perf_counter() - w0)
                        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
                        gcs += len(collections) - g0
                per = [t / k * 1e9 for t in cpus]
                cpu[name].append(statistics.median(per))
                cells.append(
                    f"{name}: cpu {statistics.median(per):7.1f} ({min(per):7.1f}) ns, "
                    f"wall {statistics.median(walls) / k * 1e9:7.1f} ns, "
                    f"{statistics.median(faults):5.0f} faults/call")
            print(f"  {k:>7} entries   " + "   ".join(cells))
            shutil.rmtree(directory)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print()
    for name, _ in KERNELS:
        mid = statistics.median(cpu[name])
        spread = max(abs(v / mid - 1) for v in cpu[name])
        print(f"  [{name}] cpu per entry {min(cpu[name]):.1f}-{max(cpu[name]):.1f} ns from 1,000 to 200,000 "
              f"entries: within +-{spread * 100:.0f}% of its median (target +-20%)")
    print(f"  cyclic GC collections during the timed calls: {gcs}")


def _summary(results, configs):
    print("targets")
    for name, _ in KERNELS:
        key = f"watcher poll, unchanged [{name}]"
        ratios = [results[(e, k, key)][1] for e, k in configs]
        mid = statistics.median(ratios)
        spread = max(abs(r / mid - 1) for r in ratios)
        limit = 1.0 if name == "cython" else 1.5
        print(
            f"  unchanged poll [{name}]: {min(ratios):.2f}x-{max(ratios):.2f}x of os.stat "
            f"(target <= {limit:.1f}x), spread +-{spread * 100:.0f}% (target +-20%)"
        )
    for name, _ in KERNELS:
        key = f"watcher poll, racy/mtime 0 [{name}]"
        cells = ", ".join(f"{_fmt(results[(e, k, key)][0])} ({results[(e, k, key)][1]:.1f}x) at {k}"
                          for e, k in configs if e <= 100 or k > 5)
        print(f"  racy or mtime-0 poll [{name}] (reads and compares the file): {cells} entries")
    key = "watcher poll, ram:// (tf.io.gfile)"
    cells = ", ".join(f"{_fmt(results[(e, k, key)][0])} at {k}" for e, k in configs if e <= 100 or k > 5)
    print(f"  ram:// poll (gfile stat + read + compare): {cells} entries")
    first = KERNELS[0][0]
    for e, k in [(100, 5), (7, 10_000), (7, 100_000)]:
        tf_t = results[(e, k, "tf.train.get_checkpoint_state")][0]
        ours = results[(e, k, f"read_checkpoint_state [{first}]")][0]
        target = 5 if k == 5 else 25
        print(
            f"  full parse [{first}] at {k} entries: {tf_t / ours:.1f}x faster than "
            f"get_checkpoint_state (target >= {target}x)"
        )
    if len(KERNELS) == 2:
        c = results[(7, 10_000, "read_checkpoint_state [cython]")][0]
        p = results[(7, 10_000, "read_checkpoint_state [python]")][0]
        print(f"  cython vs python at 10,000 entries: {p / c:.1f}x faster (target >= 3x)")


if __name__ == "__main__":
    main()
