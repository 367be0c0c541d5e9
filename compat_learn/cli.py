"""The ``compat-learn`` command (also ``python -m compat_learn``).

``compat-learn run [--tf1] SCRIPT [ARGS...]``
    Runs SCRIPT unmodified as ``__main__`` with compat_learn's aliases installed
    (``tf.contrib.learn`` and its deep import paths, ``tf.contrib.training.HParams``,
    the table's contrib helpers), in this process and in the Python processes it
    starts. ``--tf1``: ``import tensorflow`` in the script gives the TF 1.x namespace
    (``tf.compat.v1`` with ``contrib``) and TF 1.x graph behaviour. The exit status,
    output and tracebacks are the script's own; under ``--tf1`` the numpy aliases and
    private TF 1.x names listed in docs/migration.md are restored too.

``compat-learn run [--tf1] -m MODULE [ARGS...]``
    The same for a module, as ``python -m MODULE`` runs it (the current directory
    first on ``sys.path``; a package runs its ``__main__``): how Cloud ML Engine
    started trainer packages (``-m trainer.task``).

``compat-learn check [--format text|json] PATH...``
    Lists every contrib use in the Python files under PATH (no execution, no
    TensorFlow import), whether compat_learn serves it and the native TF2
    replacement. Exit status 1 when something is unsupported or a file cannot be
    parsed, 0 otherwise.
"""

import argparse
import sys

__all__ = ["main"]


def _parser():
    parser = argparse.ArgumentParser(
        prog="compat-learn",
        description="Run TF 1.x tf.contrib.learn scripts on TensorFlow 2.15, or list "
                    "what they use from tf.contrib.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{run,check}")
    run = sub.add_parser("run", help="run a script unmodified with the contrib aliases")
    run.add_argument("--tf1", action="store_true",
                     help="`import tensorflow` in the script gives tf.compat.v1 (with "
                          "contrib) and TF 1.x graph behaviour")
    run.add_argument("-m", dest="module", metavar="MODULE",
                     help="run library module MODULE as a script, as `python -m` does")
    run.add_argument("script", nargs="?", help="the Python script to run (without -m)")
    run.add_argument("args", nargs=argparse.REMAINDER, help="the script's arguments")
    check = sub.add_parser("check", help="list the contrib uses of Python files")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    return parser


def _split_run_argv(argv):
    """`run`'s own options end at SCRIPT or at ``-m MODULE``: the rest is the program's.

    Returns (options, module or None, rest): with a module, `rest` is its arguments;
    otherwise ``rest[0]`` is SCRIPT.
    """
    options, rest = [], list(argv)
    while rest and rest[0].startswith("-") and rest[0] != "-":
        option = rest.pop(0)
        if option == "--":
            break
        if option.startswith("-m") and not option.startswith("--"):
            module = option[2:] or (rest.pop(0) if rest else None)
            if module is None:
                _parser().error("run: argument -m: expected one argument")
            return options, module, rest
        options.append(option)
    return options, None, rest


def main(argv=None):
    """Entry point of the ``compat-learn`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "run":
        options, module, rest = _split_run_argv(argv[1:])
        if any(o in ("-h", "--help") for o in options) or (module is None and not rest):
            _parser().parse_args(["run"] + options + rest[:1])
            _parser().error("run: the following arguments are required: script (or -m MODULE)")
        unknown = [o for o in options if o != "--tf1"]
        if unknown:
            _parser().error(f"run: unrecognized option {unknown[0]!r} before SCRIPT "
                            "(options after SCRIPT or -m MODULE go to the program)")
        from compat_learn import _runner

        if module is not None:
            return _runner.run_module(module, rest, tf1="--tf1" in options)
        return _runner.run_script(rest[0], rest[1:], tf1="--tf1" in options)
    args = _parser().parse_args(argv)
    from compat_learn import _checker

    reports = _checker.check_paths(args.paths)
    out = _checker.format_json(reports) if args.format == "json" else _checker.format_text(reports)
    sys.stdout.write(out)
    return 1 if _checker.failed(reports) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
