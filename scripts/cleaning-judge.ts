// Judges label suggestions against FER+ crowd votes (issue 22). Only the benchmark reads votes; the
// studio never does. A label is "wrong" when at most 1 of the 10 workers chose it; accepting a
// suggestion is "better" when the suggested class got more votes than the label, "worse" when fewer.
import fs from 'node:fs';
import { CLASS_NAMES } from '../app/contract/classes.ts';

const K = CLASS_NAMES.length;
/** votes.tsv's emotion columns, in its order, as our class names. */
const VOTE_COLUMNS = ['neutral', 'happy', 'surprise', 'sad', 'angry', 'disgust', 'fear'] as const;

/** Per image path (relative to the FER-2013 folder): the 10 workers' votes per class, our order. */
export type Votes = Map<string, Int32Array>;

export function readVotes(file: string): Votes {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const header = (lines[0] ?? '').split('\t');
  if (header[0] !== 'path' || header[2] !== 'neutral')
    throw new Error(`${file} is not FER+ votes.tsv (path, fer2013_label, neutral, …).`);
  const votes: Votes = new Map();
  for (const line of lines.slice(1)) {
    const fields = line.split('\t');
    if (fields.length < 9) continue;
    const row = new Int32Array(K);
    VOTE_COLUMNS.forEach((name, i) => {
      row[CLASS_NAMES.indexOf(name)] = Number(fields[2 + i]);
    });
    votes.set(fields[0] as string, row);
  }
  return votes;
}

/** One ranked item as the judge sees it. */
export interface Judged {
  label: number;
  suggested: number;
  /** null = unranked baseline item; else the app's advice. */
  action: 'relabel' | 'needs-look' | 'exclude';
  votes: Int32Array;
}

export const isWrong = (j: Judged) => (j.votes[j.label] ?? 0) <= 1;
const better = (j: Judged) => (j.votes[j.suggested] ?? 0) > (j.votes[j.label] ?? 0);
const worse = (j: Judged) => (j.votes[j.suggested] ?? 0) < (j.votes[j.label] ?? 0);

export interface AcceptOutcome {
  accepted: number;
  better: number;
  worse: number;
}

/** Accepting the `relabel` items among `items`: how many labels get better, how many worse. */
export function accept(items: readonly Judged[]): AcceptOutcome {
  const taken = items.filter((j) => j.action === 'relabel');
  return {
    accepted: taken.length,
    better: taken.filter(better).length,
    worse: taken.filter(worse).length,
  };
}

/** Share of the first k items whose label the crowd rejects; null when fewer than k. */
export function wrongAt(items: readonly Judged[], k: number): number | null {
  if (items.length < k) return null;
  return items.slice(0, k).filter(isWrong).length / k;
}

/** Each label → suggestion group's accept outcome, largest first (what "accept this group" does). */
export function groupOutcomes(items: readonly Judged[]): (AcceptOutcome & { group: string })[] {
  const groups = new Map<string, Judged[]>();
  for (const j of items) {
    if (j.action !== 'relabel') continue;
    const key = `${CLASS_NAMES[j.label]} → ${CLASS_NAMES[j.suggested]}`;
    groups.set(key, [...(groups.get(key) ?? []), j]);
  }
  return [...groups]
    .map(([group, list]) => ({ group, ...accept(list) }))
    .sort((a, b) => b.accepted - a.accepted);
}

/**
 * The crowd's plurality class of an image, or null when the workers mostly chose none of the seven
 * (contempt, unknown, not a face): what "accuracy against the crowd" is scored on.
 */
export function plurality(votes: Int32Array): number[] | null {
  let sum = 0;
  let top = 0;
  for (let c = 0; c < K; c++) {
    sum += votes[c] ?? 0;
    top = Math.max(top, votes[c] ?? 0);
  }
  if (sum < 5 || top === 0) return null;
  const classes: number[] = [];
  for (let c = 0; c < K; c++) if (votes[c] === top) classes.push(c);
  return classes;
}

/** Accuracy against the crowd: a prediction counts when it is one of the plurality classes. */
export function crowdAccuracy(
  predicted: ArrayLike<number>,
  votes: readonly (Int32Array | undefined)[],
): { accuracy: number; images: number } {
  let right = 0;
  let images = 0;
  for (let i = 0; i < votes.length; i++) {
    const row = votes[i];
    const classes = row ? plurality(row) : null;
    if (!classes) continue;
    images++;
    if (classes.includes(predicted[i] ?? -1)) right++;
  }
  return { accuracy: images > 0 ? right / images : NaN, images };
}
