/** A rectangle in image pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An integer square inside the image: the region a face crop is cut from. */
export interface Square {
  x: number;
  y: number;
  size: number;
}

/**
 * How much the detector's box is enlarged (as a fraction of its longer side; negative shrinks) to
 * frame a face like FER-2013's tight crops. Measured with `npm run bench:predict -- --margins` on
 * FER faces placed at known boxes: a FER crop's side is 0.95 of TinyFaceDetector's box, and the
 * classifier's accuracy on the crops peaked between −0.2 and −0.05 (README, predict benchmark).
 */
export const DEFAULT_MARGIN = -0.05;
/**
 * Vertical move of the square's centre, as a fraction of the box height (negative = up): the
 * detector's box reaches below the chin, a FER crop's centre sits 0.12 box heights higher.
 */
export const DEFAULT_SHIFT = -0.1;

/**
 * The square a face is cropped from: centred on the box, side = longer side × (1 + margin), then
 * shifted (and if need be shrunk) to lie inside the image, so a face at the edge still gets a full
 * square of real pixels rather than padding the model never saw in training.
 */
export function faceSquare(
  box: Box,
  imageWidth: number,
  imageHeight: number,
  margin = DEFAULT_MARGIN,
  shift = DEFAULT_SHIFT,
): Square {
  const limit = Math.min(imageWidth, imageHeight);
  const side = Math.max(
    1,
    Math.min(limit, Math.round(Math.max(box.width, box.height) * (1 + margin))),
  );
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2 + shift * box.height;
  const x = clamp(Math.round(cx - side / 2), 0, imageWidth - side);
  const y = clamp(Math.round(cy - side / 2), 0, imageHeight - side);
  return { x, y, size: side };
}

/** Maps a box found on a downscaled copy back to the original's pixels. */
export function scaleBox(box: Box, factor: number): Box {
  return {
    x: box.x * factor,
    y: box.y * factor,
    width: box.width * factor,
    height: box.height * factor,
  };
}

/** A box clipped to the image and rounded to whole pixels, as the API reports it. */
export function roundBox(
  box: Box,
  imageWidth: number,
  imageHeight: number,
): [number, number, number, number] {
  const x0 = clamp(Math.round(box.x), 0, imageWidth);
  const y0 = clamp(Math.round(box.y), 0, imageHeight);
  const x1 = clamp(Math.round(box.x + box.width), 0, imageWidth);
  const y1 = clamp(Math.round(box.y + box.height), 0, imageHeight);
  return [x0, y0, x1 - x0, y1 - y0];
}

/** Size of the copy a detector looks at: the image scaled so its longer side is at most `maxSide`. */
export function detectionSize(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number; factor: number } {
  const longer = Math.max(width, height);
  if (longer <= maxSide) return { width, height, factor: 1 };
  const scale = maxSide / longer;
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  return { width: w, height: h, factor: width / w };
}

/** Width and height as displayed: EXIF orientations 5–8 swap the stored sides. */
export function orientedSize(
  width: number,
  height: number,
  orientation: number | undefined,
): { width: number; height: number } {
  return orientation !== undefined && orientation >= 5 && orientation <= 8
    ? { width: height, height: width }
    : { width, height };
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}
