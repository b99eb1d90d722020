// Event-loop stalls of the core (the Electron main process / server) while a run trains in its
// worker thread: the UI and IPC must stay responsive (target p99 ≤ 50 ms). Requests are in-process
// calls of studio.dispatch: no IPC or WebSocket serialisation is timed.
// Usage: npm run bench:responsiveness -- [--seconds 30] [--per-class 150]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeSampleDataset } from '../app/sample/sample-set.ts';
import { createStudio } from '../app/studio.ts';
import { benchFlags } from './bench-flags.ts';

const values = benchFlags(import.meta.filename, {
  seconds: { type: 'string', default: '30' },
  'per-class': { type: 'string', default: '150' },
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-bench-resp-'));
const studio = createStudio({
  catalogPath: path.join(dir, 'c.sqlite'),
  dataDir: dir,
  mode: 'browser',
});
try {
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: Number(values['per-class']) });
  await studio.dispatch('catalogue-import', { folder: path.join(dir, 'sample') });
  const started = await studio.dispatch('training-start', { config: { epochs: 100 } });
  if (!started.ok) throw new Error(started.error.message);
  const { runId } = started.result as { runId: number };
  await new Promise<void>((resolve) =>
    studio.subscribe((event) => event === 'training-batch' && resolve()),
  );

  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const replies: number[] = [];
  const until = Date.now() + Number(values.seconds) * 1000;
  let batches = 0;
  studio.subscribe((event) => event === 'training-batch' && batches++);
  while (Date.now() < until) {
    // What the UI does while it watches: list the catalogue and poll the run.
    const t = performance.now();
    await studio.dispatch('catalogue-list', {});
    await studio.dispatch('run-get', { runId });
    replies.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  histogram.disable();
  await studio.dispatch('training-stop', { runId });
  replies.sort((a, b) => a - b);
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(`machine              ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
  console.log(`training events      ${batches} batch updates in ${values.seconds} s`);
  console.log(
    `event-loop delay     p50 ${ms(histogram.percentile(50))} ms  p99 ${ms(histogram.percentile(99))} ms  max ${ms(histogram.max)} ms (target p99 ≤ 50 ms)`,
  );
  console.log(
    `request round trip   p50 ${(replies[Math.floor(replies.length / 2)] ?? 0).toFixed(1)} ms  p99 ${(replies[Math.floor(replies.length * 0.99)] ?? 0).toFixed(1)} ms (list ${Number(values['per-class']) * 7} images + run; in-process, no transport)`,
  );
} finally {
  await studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
