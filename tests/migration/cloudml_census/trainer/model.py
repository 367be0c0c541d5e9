"""Census income model in the shape of Google's 2017 cloudml-samples (census/tensorflow):
a queue-based CSV input_fn, a label lookup table, CSV and JSON serving input functions
returning tf.contrib.learn.InputFnOps, and a model_fn for tf.estimator."""
import multiprocessing

import numpy as np
import tensorflow as tf

CSV_COLUMNS = ['age', 'workclass', 'education_num', 'hours_per_week', 'income_bracket']
CSV_COLUMN_DEFAULTS = [[0.0], [''], [0.0], [0.0], ['']]
LABEL_COLUMN = 'income_bracket'
LABELS = [' <=50K', ' >50K']
INPUT_COLUMNS = ['age', 'education_num', 'hours_per_week']
UNUSED_COLUMNS = set(CSV_COLUMNS) - set(INPUT_COLUMNS) - {LABEL_COLUMN}


def parse_label_column(label_string_tensor):
  """Parses a string tensor into a label tensor (index into LABELS)."""
  table = tf.contrib.lookup.index_table_from_tensor(tf.constant(LABELS))
  return table.lookup(label_string_tensor)


def _dense_input(features):
  # The sample's DNN took its numeric columns as one dense input.
  scale = tf.constant([[1.0 / 100, 1.0 / 20, 1.0 / 100]])
  return tf.concat([features[name] for name in INPUT_COLUMNS], axis=1) * scale


def model_fn(features, labels, mode, params):
  net = _dense_input(features)
  for units in params['hidden_units']:
    net = tf.layers.dense(net, units, activation=tf.nn.relu)
  logits = tf.layers.dense(net, len(LABELS))
  probabilities = tf.nn.softmax(logits)
  predicted = tf.argmax(logits, 1)
  predictions = {'predictions': predicted, 'probabilities': probabilities}
  if mode == tf.estimator.ModeKeys.PREDICT:
    return tf.estimator.EstimatorSpec(
        mode, predictions=predictions,
        export_outputs={'predict': tf.estimator.export.PredictOutput(predictions)})
  labels = tf.reshape(labels, [-1])
  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
  train_op = tf.train.AdamOptimizer(params['learning_rate']).minimize(
      loss, global_step=tf.train.get_global_step())
  eval_metric_ops = {'accuracy': tf.metrics.accuracy(labels, predicted)}
  return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                    eval_metric_ops=eval_metric_ops)


def build_estimator(output_dir, hidden_units, learning_rate=0.01):
  return tf.estimator.Estimator(
      model_fn=model_fn, model_dir=output_dir,
      params={'hidden_units': hidden_units, 'learning_rate': learning_rate},
      config=tf.estimator.RunConfig(tf_random_seed=13))


def csv_serving_input_fn():
  """Build the serving inputs from CSV rows."""
  csv_row = tf.placeholder(shape=[None], dtype=tf.string)
  features = parse_csv(csv_row)
  features.pop(LABEL_COLUMN)
  return tf.contrib.learn.InputFnOps(features, None, {'csv_row': csv_row})


def json_serving_input_fn():
  """Build the serving inputs from JSON instances."""
  inputs = {}
  for name in INPUT_COLUMNS:
    inputs[name] = tf.placeholder(shape=[None], dtype=tf.float32)
  features = {name: tf.expand_dims(tensor, -1) for name, tensor in inputs.items()}
  return tf.contrib.learn.InputFnOps(features, None, inputs)


SERVING_FUNCTIONS = {
    'JSON': json_serving_input_fn,
    'CSV': csv_serving_input_fn,
}


def parse_csv(rows_string_tensor):
  """Takes the string input tensor and returns a dict of rank-2 tensors."""
  row_columns = tf.expand_dims(rows_string_tensor, -1)
  columns = tf.decode_csv(row_columns, record_defaults=CSV_COLUMN_DEFAULTS)
  features = dict(zip(CSV_COLUMNS, columns))
  for col in UNUSED_COLUMNS:
    features.pop(col)
  return features


def generate_input_fn(filenames, num_epochs=None, shuffle=True, skip_header_lines=0,
                      batch_size=40):
  """Generates an input function for training or evaluation (queue runners)."""
  def _input_fn():
    filename_queue = tf.train.string_input_producer(
        filenames, num_epochs=num_epochs, shuffle=shuffle)
    reader = tf.TextLineReader(skip_header_lines=skip_header_lines)
    _, rows = reader.read_up_to(filename_queue, num_records=batch_size)
    features = parse_csv(rows)
    if shuffle:
      features = tf.train.shuffle_batch(
          features, batch_size, capacity=batch_size * 10,
          min_after_dequeue=batch_size * 2 + 1,
          num_threads=multiprocessing.cpu_count(), enqueue_many=True,
          allow_smaller_final_batch=True)
    else:
      features = tf.train.batch(
          features, batch_size, capacity=batch_size * 10,
          num_threads=multiprocessing.cpu_count(), enqueue_many=True,
          allow_smaller_final_batch=True)
    return features, parse_label_column(features.pop(LABEL_COLUMN))
  return _input_fn


def hidden_layer_sizes(first_layer_size, num_layers, scale_factor):
  # The sample's --first-layer-size / --scale-factor rule, with the era's np.int.
  return [max(2, np.int(first_layer_size * scale_factor**i)) for i in range(num_layers)]
