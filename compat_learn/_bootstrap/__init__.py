"""Bootstrap directory for processes started by ``compat-learn run``.

The runner prepends this directory to ``PYTHONPATH``; its ``sitecustomize`` installs
compat_learn's aliases in every Python process the script starts (tasks of a local
cluster, multiprocessing spawn workers, ``subprocess`` with ``sys.executable``). This
``__init__`` only makes setuptools ship the directory; it is never imported.
"""
