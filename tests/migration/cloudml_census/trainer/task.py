"""Cloud ML Engine trainer entry point, in the shape of Google's 2017 cloudml-samples
census trainer: started as `python -m trainer.task --train-files ... --job-dir ...`."""
import argparse
import json
import os
import sys

import tensorflow as tf
from tensorflow.contrib.learn.python.learn import learn_runner
from tensorflow.contrib.learn.python.learn.utils import saved_model_export_utils

import trainer.model as model

RESULT = {}


def generate_experiment_fn(train_files,
                           eval_files,
                           num_epochs=None,
                           train_batch_size=40,
                           eval_batch_size=40,
                           first_layer_size=16,
                           num_layers=2,
                           scale_factor=0.5,
                           export_format='CSV',
                           **experiment_args):
  """Create an experiment function given hyperparameters."""
  def _experiment_fn(output_dir):
    train_input = model.generate_input_fn(
        train_files, num_epochs=num_epochs, batch_size=train_batch_size)
    eval_input = model.generate_input_fn(
        eval_files, batch_size=eval_batch_size, shuffle=False, num_epochs=1)
    hidden_units = model.hidden_layer_sizes(first_layer_size, num_layers, scale_factor)
    RESULT['hidden_units'] = hidden_units
    return tf.contrib.learn.Experiment(
        model.build_estimator(output_dir, hidden_units),
        train_input_fn=train_input,
        eval_input_fn=eval_input,
        export_strategies=[saved_model_export_utils.make_export_strategy(
            model.SERVING_FUNCTIONS[export_format],
            exports_to_keep=1,
            default_output_alternative_key=None,
        )],
        **experiment_args)
  return _experiment_fn


if __name__ == '__main__':
  parser = argparse.ArgumentParser()
  parser.add_argument('--train-files', required=True, type=str, nargs='+')
  parser.add_argument('--eval-files', required=True, type=str, nargs='+')
  parser.add_argument('--job-dir', required=True, type=str)
  parser.add_argument('--train-steps', type=int)
  parser.add_argument('--eval-steps', type=int, default=100)
  parser.add_argument('--train-batch-size', type=int, default=40)
  parser.add_argument('--eval-batch-size', type=int, default=40)
  parser.add_argument('--first-layer-size', type=int, default=16)
  parser.add_argument('--num-layers', type=int, default=2)
  parser.add_argument('--scale-factor', type=float, default=0.5)
  parser.add_argument('--export-format', choices=['JSON', 'CSV'], default='CSV')
  parser.add_argument('--verbosity', choices=['DEBUG', 'ERROR', 'FATAL', 'INFO', 'WARN'],
                      default='INFO')
  args = parser.parse_args()

  tf.logging.set_verbosity(args.verbosity)
  job_dir = args.job_dir
  arguments = args.__dict__
  arguments.pop('verbosity')
  arguments.pop('job_dir')
  eval_result, export_results = learn_runner.run(
      generate_experiment_fn(min_eval_frequency=0, **arguments), job_dir)

  RESULT['global_step'] = int(eval_result['global_step'])
  RESULT['accuracy'] = float(eval_result['accuracy'])
  RESULT['exports'] = [os.path.relpath(p.decode() if isinstance(p, bytes) else p, job_dir)
                       for p in export_results]
  RESULT['argv0'] = sys.argv[0]
  RESULT['package'] = __package__
  RESULT['model_module'] = model.__name__
  RESULT['graph_mode'] = not tf.executing_eagerly()
  print('RESULT ' + json.dumps(RESULT))
