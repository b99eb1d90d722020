import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import { decode } from 'fast-png';
import { silenceTfjsNodeBanner } from '../../app/engine/quiet-tfjs.ts';

// The tfjs export is a folder a web page loads with tf.loadLayersModel(url): check that a real
// trained run, exported by the CLI, loads over HTTP in Chromium and predicts what Node predicts.

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'app/cli/main.ts');
const TFJS_BUNDLE = path.join(ROOT, 'node_modules/@tensorflow/tfjs/dist/tf.min.js');
// A made-up origin answered only by page.route: the page fetches the model as it would on the web.
const ORIGIN = 'http://fer-export.test';
const IMAGES = 32;
const CLASSES = 7;
// Both sides run tfjs' plain-JS 'cpu' kernels in float32; only summation order could differ.
const TOLERANCE = 1e-4;

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

interface PagePrediction {
  backend: string;
  version: string;
  inputShape: (number | null)[];
  outputShape: number[];
  values: number[];
}

/** Runs the CLI with --json and parses its last stdout line (train prints one line per epoch). */
function cli<T>(dataDir: string, ...args: string[]): T {
  const stdout = execFileSync(process.execPath, [CLI, ...args, '--data-dir', dataDir, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as T;
}

/** 48×48 grayscale PNGs as one NHWC batch scaled to [0, 1], as preprocessing.json says. */
function loadImages(files: string[]): Float32Array {
  const out = new Float32Array(files.length * 48 * 48);
  files.forEach((file, i) => {
    const png = decode(fs.readFileSync(file));
    if (png.width !== 48 || png.height !== 48 || png.channels !== 1 || png.depth !== 8)
      throw new Error(`${file}: expected 48×48 8-bit grayscale, got ${JSON.stringify(png)}`);
    png.data.forEach((v, j) => (out[i * 2304 + j] = v / 255));
  });
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

test('a CLI-exported tfjs model loads in Chromium with tf.loadLayersModel and predicts as Node does', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-e2e-tfjs-'));
  const catalog = path.join(dataDir, 'catalogue.sqlite');

  // A real run: the synthetic sample set imported into a fresh catalogue, trained for 2 epochs.
  cli(dataDir, 'sample', path.join(dataDir, 'faces'), '--per-class', '8');
  cli(dataDir, 'import', path.join(dataDir, 'faces'), '--catalog', catalog);
  const run = cli<{ runId: number; status: string }>(
    dataDir,
    'train',
    '--catalog',
    catalog,
    '--epochs',
    '2',
    '--batch-size',
    '16',
    // Full 48×48 input, so the page feeds the PNGs as they are (a cropped run takes the centre crop).
    '--crop',
    '48',
  );
  expect(run.status).toBe('finished');
  const outDir = path.join(dataDir, 'web-model');
  cli(
    dataDir,
    'export',
    '--catalog',
    catalog,
    '--run',
    String(run.runId),
    '--format',
    'tfjs',
    '--out',
    outDir,
  );

  const modelJson = JSON.parse(
    fs.readFileSync(path.join(outDir, 'model.json'), 'utf8'),
  ) as ModelJson;
  const shards = modelJson.weightsManifest.flatMap((g) => g.paths);
  expect(shards.length).toBeGreaterThan(0);
  const contract = JSON.parse(fs.readFileSync(path.join(outDir, 'preprocessing.json'), 'utf8'));
  expect(contract.output.classNames).toHaveLength(CLASSES);

  const images = cli<{ file: string }[]>(dataDir, 'images', '--catalog', catalog);
  expect(images.length).toBeGreaterThanOrEqual(IMAGES);
  const pixels = loadImages(images.slice(0, IMAGES).map((r) => r.file));

  // Reference in Node, straight from the exported files (not through the app's own loader).
  await tf.setBackend('cpu');
  silenceTfjsNodeBanner();
  const reference = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: new Uint8Array(
        Buffer.concat(shards.map((s) => fs.readFileSync(path.join(outDir, s)))),
      ).buffer,
    }),
  );
  const x = tf.tensor4d(pixels, [IMAGES, 48, 48, 1]);
  const yNode = reference.predict(x) as tf.Tensor;
  expect(yNode.shape).toEqual([IMAGES, CLASSES]);
  const nodeValues = Array.from(await yNode.data());
  tf.dispose([x, yNode]);
  reference.dispose();

  // The page's origin serves a bare page, the tfjs bundle, and the export folder (plus a copy
  // with a truncated shard); anything else is a 404, and every request is recorded.
  const requested: string[] = [];
  const served = new Map<string, () => Buffer>([
    ['/', () => Buffer.from('<!doctype html><title>tfjs export</title>')],
    ['/tf.min.js', () => fs.readFileSync(TFJS_BUNDLE)],
  ]);
  for (const name of ['model.json', ...shards]) {
    const bytes = () => fs.readFileSync(path.join(outDir, name));
    served.set(`/model/${name}`, bytes);
    served.set(`/broken/${name}`, name === 'model.json' ? bytes : () => bytes().subarray(0, 1000));
  }
  await page.route(`${ORIGIN}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    requested.push(pathname);
    const body = served.get(pathname)?.();
    if (!body) return route.fulfill({ status: 404, body: 'not found' });
    const type = pathname.endsWith('.js')
      ? 'text/javascript'
      : pathname.endsWith('.json')
        ? 'application/json'
        : pathname === '/'
          ? 'text/html'
          : 'application/octet-stream';
    return route.fulfill({ status: 200, body, contentType: type });
  });
  await page.goto(`${ORIGIN}/`);
  await page.addScriptTag({ url: `${ORIGIN}/tf.min.js` });

  const started = Date.now();
  const inBrowser = await page.evaluate(
    async ({ url, input, n }): Promise<PagePrediction> => {
      const tfb = (globalThis as unknown as { tf: typeof tf }).tf;
      await tfb.setBackend('cpu');
      const model = await tfb.loadLayersModel(url);
      const y = model.predict(tfb.tensor4d(input, [n, 48, 48, 1])) as tf.Tensor;
      return {
        backend: tfb.getBackend(),
        version: tfb.version.tfjs,
        inputShape: model.inputs[0]?.shape ?? [],
        outputShape: y.shape,
        values: Array.from(await y.data()),
      };
    },
    { url: `${ORIGIN}/model/model.json`, input: Array.from(pixels), n: IMAGES },
  );
  const browserMs = Date.now() - started;

  expect(inBrowser.backend).toBe('cpu');
  expect(inBrowser.version).toBe(tf.version.tfjs);
  expect(inBrowser.inputShape).toEqual([null, 48, 48, 1]);
  expect(inBrowser.outputShape).toEqual([IMAGES, CLASSES]);
  // The weights really came over HTTP from the export folder.
  expect(requested).toEqual(
    expect.arrayContaining(['/model/model.json', ...shards.map((s) => `/model/${s}`)]),
  );

  const diff = maxAbsDiff(inBrowser.values, nodeValues);
  expect(diff).toBeLessThanOrEqual(TOLERANCE);
  // Softmax rows, and not one constant answer (which a model without its weights could give).
  for (let i = 0; i < IMAGES; i++) {
    const row = inBrowser.values.slice(i * CLASSES, (i + 1) * CLASSES);
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  }
  const spread = Math.max(
    ...Array.from({ length: CLASSES }, (_, c) => {
      const column = inBrowser.values.filter((_, j) => j % CLASSES === c);
      return Math.max(...column) - Math.min(...column);
    }),
  );
  expect(spread).toBeGreaterThan(1e-3);

  // A shard cut short is refused with an error, not silently zero-filled.
  const broken = await page.evaluate(async (url) => {
    const tfb = (globalThis as unknown as { tf: typeof tf }).tf;
    try {
      await tfb.loadLayersModel(url);
      return 'loaded';
    } catch (error) {
      return String(error);
    }
  }, `${ORIGIN}/broken/model.json`);
  expect(broken).not.toBe('loaded');

  testInfo.annotations.push({
    type: 'tfjs-browser',
    description: `${IMAGES} images, max |browser − node| = ${diff.toExponential(2)}, spread ${spread.toFixed(4)}, browser load+predict ${browserMs} ms; truncated shard: ${broken.slice(0, 120)}`,
  });
  console.log(testInfo.annotations.at(-1)?.description);
  // Kept on failure, for a look at the run and the export.
  fs.rmSync(dataDir, { recursive: true, force: true });
});
