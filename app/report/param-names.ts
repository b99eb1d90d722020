/** Report names for the run config's dotted keys; keys missing here fall back to split camelCase. */
const NAMES: Record<string, string> = {
  model: 'Model',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  'optimizer.name': 'Optimizer',
  'optimizer.momentum': 'Optimizer: momentum (SGD)',
  'optimizer.nesterov': 'Optimizer: Nesterov momentum (SGD)',
  'optimizer.weightDecay': 'Optimizer: weight decay (L2)',
  'schedule.kind': 'Learning-rate schedule',
  'schedule.warmupEpochs': 'Schedule: warm-up epochs',
  'schedule.stepEvery': 'Schedule: step every (epochs)',
  'schedule.stepFactor': 'Schedule: step factor',
  'schedule.finalFraction': 'Schedule: final rate (fraction of the start)',
  labelSmoothing: 'Label smoothing',
  dropout: 'Dropout',
  recalibrateBatchNorm: 'Recalibrate batch norm after training',
  validationFraction: 'Validation fraction',
  seed: 'Random seed',
  'augmentation.rotationDeg': 'Augmentation: rotation (degrees)',
  'augmentation.horizontalFlip': 'Augmentation: horizontal flip',
  'augmentation.zoom': 'Augmentation: zoom (fraction)',
  'augmentation.shift': 'Augmentation: shift (fraction of the side)',
  'augmentation.crop.size': 'Augmentation: random crop size (pixels)',
  'augmentation.crop.padding': 'Augmentation: crop padding (pixels)',
  classWeighting: 'Class weighting',
  'earlyStopping.enabled': 'Early stopping',
  'earlyStopping.patience': 'Early stopping: patience (epochs)',
  'earlyStopping.minDelta': 'Early stopping: minimum improvement',
  'earlyStopping.restoreBest': 'Early stopping: restore the best epoch',
  'reduceLrOnPlateau.enabled': 'Lower the rate on a plateau',
  'reduceLrOnPlateau.factor': 'Plateau: rate factor',
  'reduceLrOnPlateau.patience': 'Plateau: patience (epochs)',
  'reduceLrOnPlateau.minDelta': 'Plateau: minimum improvement',
  'reduceLrOnPlateau.minLr': 'Plateau: lowest rate',
  monitor: 'Monitored metric',
  'fineTune.fromRunId': 'Fine-tuned from run',
  'fineTune.trainLastLayers': 'Fine-tune: trained last layers',
};

/** `reduceLrOnPlateau.minLr` → "Plateau: lowest rate"; unknown keys → "Some key: other key". */
export function paramName(key: string): string {
  const known = NAMES[key];
  if (known) return known;
  const words = key
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase())
    .join(': ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Config values as a person reads them: yes/no, and "model default" for an unset (null) value. */
export function paramValue(value: string): string {
  if (value === 'true') return 'yes';
  if (value === 'false') return 'no';
  if (value === 'null') return 'model default';
  return value;
}
