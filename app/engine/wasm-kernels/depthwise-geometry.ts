import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap } from '@tensorflow/tfjs';
import { geometryOf, type ConvGeometry } from './kernel-utils.ts';

/** Depthwise conv geometry: the dense one plus dilation, depth multiplier and effective filter size. */
export interface DepthwiseGeometry extends ConvGeometry {
  mult: number;
  dilationH: number;
  dilationW: number;
  /** (f − 1)·dilation + 1: the extent one window covers. */
  effH: number;
  effW: number;
}

export function depthwiseGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: NamedAttrMap,
): DepthwiseGeometry {
  if (attrs['dataFormat'] === 'NCHW')
    throw new Error('wasm depthwise training kernels support NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs['strides'] as [number, number] | number,
    (attrs['dilations'] ?? 1) as [number, number] | number,
    attrs['pad'] as tf.backend_util.ExplicitPadding | 'same' | 'valid' | number,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    true,
  );
  return {
    ...geometryOf(info),
    mult: filterShape[3],
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    effH: info.effectiveFilterHeight,
    effW: info.effectiveFilterWidth,
  };
}
