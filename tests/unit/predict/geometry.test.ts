import { describe, expect, it } from 'vitest';
import {
  detectionSize,
  faceSquare,
  orientedSize,
  roundBox,
  scaleBox,
} from '../../../app/predict/geometry.ts';

describe('faceSquare', () => {
  it('centres a square of the longer side plus the margin on the box', () => {
    const s = faceSquare({ x: 100, y: 50, width: 40, height: 60 }, 640, 480, 0.2, 0);
    expect(s.size).toBe(72);
    expect(s.x + s.size / 2).toBe(120);
    expect(s.y + s.size / 2).toBe(80);
  });

  it('moves the square up by the shift, in box heights', () => {
    const s = faceSquare({ x: 100, y: 50, width: 40, height: 60 }, 640, 480, 0.2, -0.1);
    expect(s.y + s.size / 2).toBe(74);
    expect(s.x + s.size / 2).toBe(120);
  });

  it('shrinks the box with a negative margin', () => {
    expect(faceSquare({ x: 0, y: 0, width: 100, height: 100 }, 640, 480, -0.2).size).toBe(80);
  });

  it('shifts a square at the edge inside the image instead of padding', () => {
    const s = faceSquare({ x: 600, y: -10, width: 60, height: 60 }, 640, 480, 0.5);
    expect(s).toEqual({ x: 640 - 90, y: 0, size: 90 });
  });

  it('never exceeds the shorter side of the image', () => {
    const s = faceSquare({ x: 0, y: 0, width: 300, height: 400 }, 320, 200, 0.3);
    expect(s).toEqual({ x: expect.any(Number), y: 0, size: 200 });
    expect(s.x).toBeGreaterThanOrEqual(0);
    expect(s.x + s.size).toBeLessThanOrEqual(320);
  });
});

describe('detection copy and back', () => {
  it('downscales only images above the limit and maps boxes back', () => {
    expect(detectionSize(640, 480, 640)).toEqual({ width: 640, height: 480, factor: 1 });
    const big = detectionSize(4000, 3000, 640);
    expect(big.width).toBe(640);
    expect(big.height).toBe(480);
    expect(scaleBox({ x: 10, y: 20, width: 30, height: 40 }, big.factor)).toEqual({
      x: 62.5,
      y: 125,
      width: 187.5,
      height: 250,
    });
  });

  it('rounds and clips reported boxes to the image', () => {
    expect(roundBox({ x: -3.4, y: 10.6, width: 50, height: 500 }, 100, 200)).toEqual([
      0, 11, 47, 189,
    ]);
  });
});

describe('orientedSize', () => {
  it('swaps sides for EXIF orientations 5 to 8 only', () => {
    for (const o of [undefined, 1, 2, 3, 4])
      expect(orientedSize(400, 300, o)).toEqual({ width: 400, height: 300 });
    for (const o of [5, 6, 7, 8])
      expect(orientedSize(400, 300, o)).toEqual({ width: 300, height: 400 });
  });
});
