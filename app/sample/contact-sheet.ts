import sharp from 'sharp';
import { CLASS_NAMES, IMAGE_SIZE } from '../contract/classes.ts';
import { createRng } from '../util/rng.ts';
import { renderFace } from './faces.ts';

/** One row per class, enlarged with nearest-neighbour, to eyeball the generator. */
export async function writeContactSheet(
  file: string,
  options: { perRow?: number; zoom?: number; seed?: number } = {},
): Promise<void> {
  const perRow = options.perRow ?? 10;
  const zoom = options.zoom ?? 3;
  const cell = IMAGE_SIZE * zoom + 2;
  const width = perRow * cell;
  const height = CLASS_NAMES.length * cell;
  const sheet = new Uint8Array(width * height);
  const rng = createRng(options.seed ?? 7);
  CLASS_NAMES.forEach((name, row) => {
    for (let col = 0; col < perRow; col++) {
      const face = renderFace(name, rng);
      for (let y = 0; y < IMAGE_SIZE * zoom; y++) {
        for (let x = 0; x < IMAGE_SIZE * zoom; x++) {
          const value = face[Math.floor(y / zoom) * IMAGE_SIZE + Math.floor(x / zoom)] ?? 0;
          sheet[(row * cell + y) * width + col * cell + x] = value;
        }
      }
    }
  });
  await sharp(sheet, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(file);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeContactSheet(process.argv[2] ?? '/tmp/sample-sheet.png');
}
