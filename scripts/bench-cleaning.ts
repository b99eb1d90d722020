// Label cleaning judged by the crowd (issue 22): trains a run of the default recipe on FER-2013 (or
// takes --run N), asks the studio for its label issues exactly as the Clean page does, and judges
// the list with FER+'s ten votes per image (the bench reads votes; the studio never does):
// wrong@k (share of the top k whose label at most 1 of 10 workers chose), what accepting the
// top-N `relabel` suggestions does (better = the suggested class got more votes than the label,
// worse = fewer), per group and per class — for held-out test images and for the run's training
// images — beside a plain lowest-self-confidence ranking of the same probabilities. Then it
// accepts the top --accept training-image suggestions the way the app's bulk accept does,
// retrains the same recipe and seed, and reports test accuracy against FER-2013's labels and
// against the crowd's plurality, before and after.
//
//   npm run bench:cleaning -- [--epochs E] [--seed S] [--run N] [--method training-dynamics|k-fold]
//                             [--reading people|model] [--accept N] [--no-retrain] [--fer DIR]
//                             [--votes FILE] [--work DIR]
//
// --reading is the Clean page's "Judge labels" choice (default people, as the app); the tables
// show the other reading beside it.
//
// --epochs makes a short proxy of the default recipe (the default is the recipe's own epochs, the
// Train page's one click, 1–2 h here). The catalogue lives in --work (default .bench/cleaning) and
// its labels change when suggestions are accepted: delete the folder to start from FER-2013 again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCatalogue } from '../app/catalogue/catalogue.ts';
import { CLASS_NAMES } from '../app/contract/classes.ts';
import type { Channel, EventOf, LabelIssue, ResponseOf } from '../app/contract/handlers.ts';
import type { ProbabilityGroup } from '../app/evaluation/confident-learning.ts';
import { createEvaluator } from '../app/evaluation/evaluator.ts';
import { createPredictionStore } from '../app/evaluation/prediction-store.ts';
import { scoreProbabilities } from '../app/evaluation/score.ts';
import { createStudio } from '../app/studio.ts';
import { benchFlags, badFlag } from './bench-flags.ts';
import {
  accept,
  crowdAccuracy,
  groupOutcomes,
  isWrong,
  readVotes,
  wrongAt,
  type Judged,
} from './cleaning-judge.ts';

const K = CLASS_NAMES.length;
const root = path.resolve(import.meta.dirname, '..');
const values = benchFlags(import.meta.filename, {
  fer: { type: 'string', default: path.resolve(root, '../shared/fer2013') },
  votes: { type: 'string', default: path.resolve(root, '../shared/ferplus/votes.tsv') },
  work: { type: 'string', default: path.join(root, '.bench', 'cleaning') },
  run: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string', default: '1' },
  method: { type: 'string' },
  reading: { type: 'string', default: 'people' },
  accept: { type: 'string', default: '500' },
  'no-retrain': { type: 'boolean', default: false },
});
const int = (name: 'run' | 'epochs' | 'seed' | 'accept'): number | undefined => {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    badFlag(import.meta.filename, `--${name} must be a whole number, got "${raw}"`);
  return n;
};
if (!fs.existsSync(path.join(values.fer, 'train')))
  badFlag(import.meta.filename, `FER-2013 is not at ${values.fer}; pass --fer <folder>`);
if (!fs.existsSync(values.votes))
  badFlag(import.meta.filename, `FER+ votes are not at ${values.votes}; pass --votes <votes.tsv>`);
const method = values.method;
if (method !== undefined && method !== 'training-dynamics' && method !== 'k-fold')
  badFlag(import.meta.filename, `--method must be training-dynamics or k-fold, got "${method}"`);
const reading = values.reading;
if (reading !== 'people' && reading !== 'model')
  badFlag(import.meta.filename, `--reading must be people or model, got "${reading}"`);
const otherReading = reading === 'people' ? 'model' : 'people';

fs.mkdirSync(values.work, { recursive: true });
const catalogPath = path.join(values.work, 'fer.sqlite');
const studio = createStudio({
  catalogPath,
  dataDir: path.join(values.work, 'data'),
  mode: 'browser',
});
const call = async <C extends Channel>(channel: C, payload: unknown): Promise<ResponseOf<C>> => {
  const reply = await studio.dispatch(channel, payload);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.result as ResponseOf<C>;
};
const ends = new Map<number, (status: EventOf<'training-status'>) => void>();
studio.subscribe((event, payload) => {
  if (event === 'training-epoch') {
    const e = payload as EventOf<'training-epoch'>;
    console.log(
      `  run ${e.runId} epoch ${e.epoch}: train ${(e.acc * 100).toFixed(1)} %, val ${((e.valAcc ?? 0) * 100).toFixed(1)} %, ${e.imagesPerSec.toFixed(0)} img/s`,
    );
  }
  if (event === 'training-status') {
    const e = payload as EventOf<'training-status'>;
    if (['finished', 'stopped', 'failed'].includes(e.status)) ends.get(e.runId)?.(e);
  }
});
const cpu = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}`;
console.log(
  `machine  ${cpu}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

if ((await call('catalogue-stats', {})).total === 0) {
  console.log(`importing ${values.fer} into ${catalogPath} (once) …`);
  await call('catalogue-import', { folder: values.fer });
}

async function trainRun(): Promise<number> {
  const epochs = int('epochs');
  const config = { seed: int('seed') ?? 1, ...(epochs ? { epochs } : {}) };
  const { runId } = await call('training-start', { config });
  const started = Date.now();
  console.log(`training run ${runId} (${JSON.stringify(config)}) …`);
  const end = await new Promise<EventOf<'training-status'>>((resolve) => ends.set(runId, resolve));
  if (end.status !== 'finished') throw new Error(`run ${runId} ${end.status}: ${end.message}`);
  console.log(`run ${runId} finished in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  return runId;
}

const runId = int('run') ?? (await trainRun());
const catalogue = openCatalogue(catalogPath);
const db = catalogue.db;
const evaluator = createEvaluator(db, () => {});
const votes = readVotes(values.votes);
const fileOf = new Map(
  (db.prepare('SELECT id, source_file FROM images').raw().all() as [number, string][]).map(
    ([id, file]) => [id, file],
  ),
);
const votesOf = (id: number) => votes.get(fileOf.get(id) ?? '');
const roleOf = new Map(
  (
    db.prepare('SELECT image_id, role FROM run_images WHERE run_id = ?').raw().all(runId) as [
      number,
      string,
    ][]
  ).map(([id, role]) => [id, role]),
);

// The Clean page leaves out images relabelled since the run; the other rows keep them, so the
// rows would judge different images. Session 12's k-fold figures were skewed this way.
const relabelled = db
  .prepare(
    'SELECT COUNT(*) FROM run_images r JOIN labels l ON l.image_id = r.image_id WHERE r.run_id = ? AND l.label <> r.label',
  )
  .pluck()
  .get(runId) as number;
if (relabelled > 0)
  console.log(
    `note: ${relabelled} of run ${runId}'s images were relabelled since it trained. The studio and model rows ` +
      `leave them out, as the Clean page does; the plain 1−p row keeps them, so the rows are not ` +
      `comparable. To judge the run against its own labels, use a fresh --work.`,
  );

// What the app shows (the Clean page asks exactly this), and the probabilities it judged.
const started = Date.now();
const app = await call('label-issues', {
  runId,
  limit: 50_000,
  reading,
  ...(method ? { method } : {}),
});
const seconds = (Date.now() - started) / 1000;
const other = await call('label-issues', {
  runId,
  limit: 50_000,
  reading: otherReading,
  ...(method ? { method } : {}),
});
const { groups } = await evaluator.issueGroups(runId, { folds: 4, ...(method ? { method } : {}) });
console.log(
  `run ${runId}: ${app.total} doubtful labels (${app.method}) in ${seconds.toFixed(1)} s; ` +
    `${app.issues.filter((i) => i.action === 'relabel').length} relabel, ` +
    `${app.issues.filter((i) => i.action === 'needs-look').length} needs a look, ` +
    `${app.issues.filter((i) => i.action === 'exclude').length} exclude`,
);

/** The plain baseline: every image of the group, lowest probability of its label first. */
function baseline(group: ProbabilityGroup): (Judged & { id: number })[] {
  const rows = group.ids.map((id, i) => {
    const p = group.probs.subarray(i * K, i * K + K);
    const label = group.labels[i] ?? 0;
    let suggested = label === 0 ? 1 : 0;
    for (let c = 0; c < K; c++) if (c !== label && (p[c] ?? 0) > (p[suggested] ?? 0)) suggested = c;
    return { id, label, suggested, self: p[label] ?? 0 };
  });
  rows.sort((a, b) => a.self - b.self || a.id - b.id);
  return rows.flatMap(({ id, label, suggested }) => {
    const v = votesOf(id);
    return v ? [{ id, label, suggested, action: 'relabel' as const, votes: v }] : [];
  });
}

const judge = (issues: readonly LabelIssue[]): Judged[] =>
  issues.flatMap((issue) => {
    const v = votesOf(issue.id);
    return v
      ? [
          {
            label: CLASS_NAMES.indexOf(issue.label),
            suggested: CLASS_NAMES.indexOf(issue.suggested),
            action: issue.action,
            votes: v,
          },
        ]
      : [];
  });

const pct = (x: number | null) => (x === null || Number.isNaN(x) ? '   –' : x.toFixed(2));
const ratio = (o: { better: number; worse: number; accepted: number }) =>
  o.accepted === 0
    ? '–'
    : `${pct(o.better / o.accepted)}/${pct(o.worse / o.accepted)} of ${o.accepted}`;

function table(title: string, roles: string[], sources: string[]) {
  const judged = (id: number) => roles.includes(roleOf.get(id) ?? '') && votesOf(id) !== undefined;
  const mine = judge(app.issues.filter((i) => judged(i.id)));
  const theirs = judge(other.issues.filter((i) => judged(i.id)));
  const plain = groups
    .filter((g) => sources.includes(g.source))
    .flatMap((g) => baseline(g))
    .filter((j) => judged(j.id));
  const all = [...roleOf].filter(([id, role]) => roles.includes(role) && votesOf(id));
  const base = all.filter(([id]) => (votesOf(id)?.[CLASS_NAMES.indexOf(labelOf(id))] ?? 0) <= 1);
  console.log(
    `\n${title}: ${all.length} images with votes, ${base.length} (${pct(base.length / all.length)}) wrong by the crowd`,
  );
  const ks = [50, 100, 200, 500, 1000, 2000, 4000];
  console.log(
    `ranking      flagged ${ks.map((k) => `w@${k}`.padStart(7)).join('')}   relabels: top 100  top 500            all                every top 500`,
  );
  for (const [name, list] of [
    [`studio`, mine],
    [`  ${otherReading}`, theirs],
    ['plain 1−p', plain],
  ] as const) {
    const relabel = list.filter((j) => j.action === 'relabel');
    console.log(
      `${name.padEnd(12)} ${String(list.length).padStart(7)} ${ks.map((k) => pct(wrongAt(list, k)).padStart(7)).join('')}   ${ratio(accept(relabel.slice(0, 100))).padEnd(18)} ${ratio(accept(relabel.slice(0, 500))).padEnd(18)} ${ratio(accept(relabel)).padEnd(18)} ${ratio(accept(list.slice(0, 500).map((j) => ({ ...j, action: 'relabel' as const }))))}`,
    );
  }
  for (const action of ['needs-look', 'exclude'] as const) {
    const items = mine.filter((j) => j.action === action);
    if (items.length > 0)
      console.log(
        `  ${action}: ${items.length}, of which ${pct(items.filter(isWrong).length / items.length)} wrong by the crowd`,
      );
  }
  const groupsOut = groupOutcomes(mine).filter((g) => g.accepted >= 10);
  const weakest = groupsOut
    .map((g) => ({ ...g, r: g.better / Math.max(1, g.worse) }))
    .sort((a, b) => a.r - b.r)[0];
  console.log(
    `  groups (≥ 10 relabels): ${groupsOut.map((g) => `${g.group} ${g.better}/${g.worse}`).join(', ') || 'none'}`,
  );
  if (weakest)
    console.log(`  weakest group: ${weakest.group}, better:worse ${weakest.r.toFixed(1)} : 1`);
  console.log('  per class   images  wrong  flagged  wrong@flagged  relabel better/worse');
  for (let c = 0; c < K; c++) {
    const inClass = all.filter(([id]) => labelOf(id) === CLASS_NAMES[c]);
    const wrong = inClass.filter(([id]) => (votesOf(id)?.[c] ?? 0) <= 1).length;
    const flagged = mine.filter((j) => j.label === c);
    const out = accept(flagged);
    console.log(
      `  ${(CLASS_NAMES[c] as string).padEnd(10)} ${String(inClass.length).padStart(7)}  ${pct(wrong / Math.max(1, inClass.length))}  ${String(flagged.length).padStart(7)}  ${pct(flagged.length ? flagged.filter(isWrong).length / flagged.length : null).padStart(13)}  ${ratio(out)}`,
    );
  }
}
const labelStatement = db
  .prepare('SELECT label FROM run_images WHERE run_id = ? AND image_id = ?')
  .pluck();
const labelOf = (id: number) => labelStatement.get(runId, id) as (typeof CLASS_NAMES)[number];

table('held-out test images (the run’s own model, test-time flip)', ['test'], ['held-out']);
table('held-out validation images', ['val'], ['held-out']);
table(`training images (${app.method})`, ['train'], ['training-dynamics', 'cross-validation']);

async function testAccuracy(id: number) {
  await call('evaluation-run', { runId: id, split: 'test' });
  const stored = createPredictionStore(db).load(id, 'test');
  const images = createPredictionStore(db).roleImages(id, 'test');
  const labelById = new Map(images.ids.map((imageId, i) => [imageId, images.labels[i] ?? 0]));
  const { predicted } = scoreProbabilities(
    stored.ids.map((imageId) => labelById.get(imageId) ?? 0),
    stored.probs,
  );
  let right = 0;
  stored.ids.forEach((imageId, i) => (right += predicted[i] === labelById.get(imageId) ? 1 : 0));
  const crowd = crowdAccuracy(predicted, stored.ids.map(votesOf));
  return { fer: right / stored.ids.length, images: stored.ids.length, crowd };
}

if (!values['no-retrain']) {
  const n = int('accept') ?? 500;
  const chosen = app.issues
    .filter((i) => i.action === 'relabel' && roleOf.get(i.id) === 'train')
    .slice(0, n);
  const outcome = accept(judge(chosen));
  await call('labels-set', {
    changes: chosen.map((i) => ({ imageId: i.id, label: i.suggested })),
    source: 'suggestion',
  });
  console.log(
    `\naccepted the top ${chosen.length} relabel suggestions on training images (judged: ${outcome.better} better, ${outcome.worse} worse of ${outcome.accepted} with votes); retraining …`,
  );
  const before = await testAccuracy(runId);
  const after = await testAccuracy(await trainRun());
  const line = (name: string, r: typeof before) =>
    console.log(
      `${name}  test accuracy vs FER-2013 labels ${(r.fer * 100).toFixed(2)} % (${r.images} images), vs the crowd's plurality ${(r.crowd.accuracy * 100).toFixed(2)} % (${r.crowd.images} images)`,
    );
  line('before', before);
  line('after ', after);
}
catalogue.close();
await evaluator.close();
await studio.close();
