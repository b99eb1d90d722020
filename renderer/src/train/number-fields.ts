import type { TrainingOptions } from '../../../app/contract/index.ts';

export type TrainConfig = TrainingOptions['defaults'];
export type Augmentation = TrainConfig['augmentation'];
export type ClassWeighting = TrainConfig['classWeighting'];
export type OptimizerName = TrainConfig['optimizer']['name'];
export type ScheduleKind = TrainConfig['schedule']['kind'];
export type DependentDefaults = TrainingOptions['dependentDefaults'];

export interface NumberSpec {
  /** The field as named in a message about it (fuller than its label where the label needs its section). */
  name: string;
  /** Bounds in the units the form shows (percent fields in %). */
  min: number;
  max: number;
  integer?: boolean;
  /** The bound itself is not allowed (the schema's `gt`/`lt`). */
  exclusive?: boolean;
  percent?: boolean;
  read(config: TrainConfig): number;
  write(config: TrainConfig, value: number): TrainConfig;
}

const aug = (config: TrainConfig, patch: Partial<Augmentation>): TrainConfig => ({
  ...config,
  augmentation: { ...config.augmentation, ...patch },
});

/** The numeric fields, with the bounds of app/training/config.ts (values may not be imported from app/). */
export const NUMBER_FIELDS = {
  epochs: {
    name: 'Epochs',
    min: 1,
    max: 1000,
    integer: true,
    read: (c) => c.epochs,
    write: (c, epochs) => ({ ...c, epochs }),
  },
  batchSize: {
    name: 'Batch size',
    min: 1,
    max: 4096,
    integer: true,
    read: (c) => c.batchSize,
    write: (c, batchSize) => ({ ...c, batchSize }),
  },
  learningRate: {
    name: 'Learning rate',
    min: 0,
    max: 1,
    exclusive: true,
    read: (c) => c.learningRate,
    write: (c, learningRate) => ({ ...c, learningRate }),
  },
  validationFraction: {
    name: 'Validation',
    min: 0,
    max: 50,
    percent: true,
    read: (c) => c.validationFraction,
    write: (c, validationFraction) => ({ ...c, validationFraction }),
  },
  rotationDeg: {
    name: 'Rotation',
    min: 0,
    max: 45,
    read: (c) => c.augmentation.rotationDeg,
    write: (c, rotationDeg) => aug(c, { rotationDeg }),
  },
  zoom: {
    name: 'Zoom',
    min: 0,
    max: 50,
    percent: true,
    read: (c) => c.augmentation.zoom,
    write: (c, zoom) => aug(c, { zoom }),
  },
  shift: {
    name: 'Shift',
    min: 0,
    max: 50,
    percent: true,
    read: (c) => c.augmentation.shift,
    write: (c, shift) => aug(c, { shift }),
  },
  cropSize: {
    name: 'Random crop',
    min: 16,
    max: 48,
    integer: true,
    read: (c) => c.augmentation.crop.size,
    write: (c, size) => aug(c, { crop: { ...c.augmentation.crop, size } }),
  },
  cropPadding: {
    name: 'Crop padding',
    min: 0,
    max: 16,
    integer: true,
    read: (c) => c.augmentation.crop.padding,
    write: (c, padding) => aug(c, { crop: { ...c.augmentation.crop, padding } }),
  },
  seed: {
    name: 'Seed',
    min: 0,
    max: 2 ** 31 - 1,
    integer: true,
    read: (c) => c.seed,
    write: (c, seed) => ({ ...c, seed }),
  },
  labelSmoothing: {
    name: 'Label smoothing',
    min: 0,
    max: 50,
    percent: true,
    read: (c) => c.labelSmoothing,
    write: (c, labelSmoothing) => ({ ...c, labelSmoothing }),
  },
  momentum: {
    name: 'Momentum',
    min: 0,
    max: 1,
    read: (c) => c.optimizer.momentum,
    write: (c, momentum) => ({ ...c, optimizer: { ...c.optimizer, momentum } }),
  },
  weightDecay: {
    name: 'Weight decay',
    min: 0,
    max: 0.1,
    read: (c) => c.optimizer.weightDecay,
    write: (c, weightDecay) => ({ ...c, optimizer: { ...c.optimizer, weightDecay } }),
  },
  warmupEpochs: {
    name: 'Warm-up',
    min: 0,
    max: 1000,
    integer: true,
    read: (c) => c.schedule.warmupEpochs,
    write: (c, warmupEpochs) => ({ ...c, schedule: { ...c.schedule, warmupEpochs } }),
  },
  stepEvery: {
    name: 'Step every',
    min: 1,
    max: 1000,
    integer: true,
    read: (c) => c.schedule.stepEvery,
    write: (c, stepEvery) => ({ ...c, schedule: { ...c.schedule, stepEvery } }),
  },
  stepFactor: {
    name: 'Step factor',
    min: 0,
    max: 1,
    exclusive: true,
    read: (c) => c.schedule.stepFactor,
    write: (c, stepFactor) => ({ ...c, schedule: { ...c.schedule, stepFactor } }),
  },
  esPatience: {
    name: 'Early-stopping patience',
    min: 1,
    max: 1000,
    integer: true,
    read: (c) => c.earlyStopping.patience,
    write: (c, patience) => ({ ...c, earlyStopping: { ...c.earlyStopping, patience } }),
  },
  lrFactor: {
    name: 'Plateau factor',
    min: 0,
    max: 1,
    exclusive: true,
    read: (c) => c.reduceLrOnPlateau.factor,
    write: (c, factor) => ({ ...c, reduceLrOnPlateau: { ...c.reduceLrOnPlateau, factor } }),
  },
  lrPatience: {
    name: 'Plateau patience',
    min: 1,
    max: 1000,
    integer: true,
    read: (c) => c.reduceLrOnPlateau.patience,
    write: (c, patience) => ({ ...c, reduceLrOnPlateau: { ...c.reduceLrOnPlateau, patience } }),
  },
  lrMin: {
    name: 'Minimum rate',
    min: 0,
    max: 1,
    read: (c) => c.reduceLrOnPlateau.minLr,
    write: (c, minLr) => ({ ...c, reduceLrOnPlateau: { ...c.reduceLrOnPlateau, minLr } }),
  },
} satisfies Record<string, NumberSpec>;

export type NumberField = keyof typeof NUMBER_FIELDS;
export const NUMBER_KEYS = Object.keys(NUMBER_FIELDS) as NumberField[];
export const AUGMENTATION_FIELDS: readonly NumberField[] = [
  'rotationDeg',
  'zoom',
  'shift',
  'cropSize',
  'cropPadding',
];
