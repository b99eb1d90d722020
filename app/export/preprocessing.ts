import { CLASS_NAMES, IMAGE_SIZE } from '../contract/classes.ts';

/** Where the exported model came from; every field optional so a bare model dir still exports. */
export interface ExportRunInfo {
  runId?: number | string;
  model?: string;
  createdAt?: string;
  epochsDone?: number;
  bestValAccuracy?: number | null;
  backend?: string;
}

export type ExportFormat = 'tfjs' | 'onnx' | 'keras';

/** What a consumer must do to an image before feeding any exported model, written beside it. */
export interface PreprocessingContract {
  producer: 'FER Studio';
  format: ExportFormat;
  input: {
    name: string;
    shape: [null, number, number, number];
    layout: 'NHWC';
    dtype: 'float32';
    colorSpace: 'grayscale';
    resize: string;
    scaling: { divideBy: 255; range: [0, 1]; formula: string };
  };
  output: { name: string; shape: [null, number]; activation: 'softmax'; classNames: string[] };
  source: ExportRunInfo & { exportedAt: string };
}

export function preprocessingContract(
  format: ExportFormat,
  runInfo: ExportRunInfo = {},
  now: Date = new Date(),
): PreprocessingContract {
  const onnx = format === 'onnx';
  return {
    producer: 'FER Studio',
    format,
    input: {
      name: onnx ? 'input' : 'input_layer',
      shape: [null, IMAGE_SIZE, IMAGE_SIZE, 1],
      layout: 'NHWC',
      dtype: 'float32',
      colorSpace: 'grayscale',
      resize: `${IMAGE_SIZE}x${IMAGE_SIZE} face crop, single channel`,
      scaling: { divideBy: 255, range: [0, 1], formula: 'x = pixel / 255' },
    },
    output: {
      name: onnx ? 'probabilities' : 'output',
      shape: [null, CLASS_NAMES.length],
      activation: 'softmax',
      classNames: [...CLASS_NAMES],
    },
    source: { ...runInfo, exportedAt: now.toISOString() },
  };
}

export function preprocessingJson(format: ExportFormat, runInfo?: ExportRunInfo): string {
  return `${JSON.stringify(preprocessingContract(format, runInfo), null, 2)}\n`;
}
