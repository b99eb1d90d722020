import { IMAGE_SIZE } from '../contract/classes.ts';
import { IDENTITY_PREPROCESSING, type Preprocessing } from '../preprocessing/index.ts';

/** Where the exported model came from; every field optional so a bare model dir still exports. */
export interface ExportRunInfo {
  runId?: number | string;
  model?: string;
  createdAt?: string;
  epochsDone?: number;
  bestValAccuracy?: number | null;
  backend?: string;
  /** The run's preprocessing record (identity for studio-trained runs); described, not copied into `source`. */
  preprocessing?: Preprocessing;
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
    /** 3 = the gray value replicated into R, G and B. */
    channels: 1 | 3;
    resize: string;
    /** x = pixel / divideBy - subtract. */
    scaling: Scaling;
  };
  /** classNames[i] is output i's class; null = an output the studio ignores. */
  output: {
    name: string;
    shape: [null, number];
    activation: 'softmax';
    classNames: (string | null)[];
  };
  /**
   * Always `none`: the exported model is the plain one, one prediction per image. The studio's
   * test-time flip figure (mean of an image's and its mirror's probabilities) is not built in;
   * a consumer wanting it must run the model twice and average.
   */
  testTimeAugmentation: 'none';
  source: ExportRunInfo & { exportedAt: string };
}

interface Scaling {
  divideBy: number;
  subtract: number;
  range: [number, number];
  formula: string;
}

const SCALING: Record<Preprocessing['range'], Scaling> = {
  '0,1': { divideBy: 255, subtract: 0, range: [0, 1], formula: 'x = pixel / 255' },
  '-1,1': { divideBy: 127.5, subtract: 1, range: [-1, 1], formula: 'x = pixel / 127.5 - 1' },
  '0,255': { divideBy: 1, subtract: 0, range: [0, 255], formula: 'x = pixel' },
};

export function preprocessingContract(
  format: ExportFormat,
  runInfo: ExportRunInfo = {},
  now: Date = new Date(),
): PreprocessingContract {
  const onnx = format === 'onnx';
  const { preprocessing: p = IDENTITY_PREPROCESSING, ...source } = runInfo;
  const crop = p.centerCrop ?? IMAGE_SIZE;
  const sized = p.inputHeight === crop && p.inputWidth === crop;
  const cropText = crop === IMAGE_SIZE ? '' : `, centre ${crop}x${crop} crop`;
  return {
    producer: 'FER Studio',
    format,
    input: {
      name: onnx ? 'input' : 'input_layer',
      shape: [null, p.inputHeight, p.inputWidth, p.channels],
      layout: 'NHWC',
      dtype: 'float32',
      colorSpace: 'grayscale',
      channels: p.channels,
      resize:
        `${IMAGE_SIZE}x${IMAGE_SIZE} grayscale face crop${cropText}` +
        (sized
          ? ''
          : `, bilinear resize to ${p.inputHeight}x${p.inputWidth} (half-pixel centres, as tf.image.resize / cv2 INTER_LINEAR)`),
      scaling: SCALING[p.range],
    },
    output: {
      name: onnx ? 'probabilities' : 'output',
      shape: [null, p.classOrder.length],
      activation: 'softmax',
      classNames: [...p.classOrder],
    },
    testTimeAugmentation: 'none',
    source: { ...source, exportedAt: now.toISOString() },
  };
}

export function preprocessingJson(format: ExportFormat, runInfo?: ExportRunInfo): string {
  return `${JSON.stringify(preprocessingContract(format, runInfo), null, 2)}\n`;
}
