import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import {
  accept,
  crowdAccuracy,
  groupOutcomes,
  plurality,
  readVotes,
  wrongAt,
  type Judged,
} from '../../../scripts/cleaning-judge.ts';

const c = (name: string) => CLASS_NAMES.indexOf(name as (typeof CLASS_NAMES)[number]);
/** Votes in our class order from a name → count map. */
const v = (m: Record<string, number>) => Int32Array.from(CLASS_NAMES.map((n) => m[n] ?? 0));
const item = (
  label: string,
  suggested: string,
  votes: Record<string, number>,
  action: Judged['action'] = 'relabel',
): Judged => ({
  label: c(label),
  suggested: c(suggested),
  action,
  votes: v(votes),
});

describe('cleaning judge', () => {
  it('reads votes.tsv columns into our class order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'votes-'));
    const file = path.join(dir, 'votes.tsv');
    fs.writeFileSync(
      file,
      'path\tfer2013_label\tneutral\thappiness\tsurprise\tsadness\tanger\tdisgust\tfear\tcontempt\tunknown\tNF\n' +
        'train/fear/a.jpg\tfear\t1\t0\t6\t0\t2\t0\t1\t0\t0\t0\n',
    );
    const row = readVotes(file).get('train/fear/a.jpg');
    expect(row && Array.from(row)).toEqual(
      Array.from(v({ neutral: 1, surprise: 6, angry: 2, fear: 1 })),
    );
    fs.writeFileSync(file, 'image\tlabel\n');
    expect(() => readVotes(file)).toThrow(/not FER\+ votes\.tsv/);
  });

  it('counts wrong labels at k and accepts only relabels', () => {
    const items = [
      item('fear', 'surprise', { surprise: 8, fear: 1 }), // wrong, better
      item('sad', 'neutral', { sad: 6, neutral: 3 }), // right, worse
      item('angry', 'disgust', { angry: 0, disgust: 0, happy: 9 }, 'needs-look'), // wrong, not taken
    ];
    expect(wrongAt(items, 2)).toBe(0.5);
    expect(wrongAt(items, 3)).toBeCloseTo(2 / 3);
    expect(wrongAt(items, 4)).toBeNull();
    expect(accept(items)).toEqual({ accepted: 2, better: 1, worse: 1 });
    expect(groupOutcomes([...items, item('fear', 'surprise', { surprise: 5, fear: 5 })])).toEqual([
      { group: 'fear → surprise', accepted: 2, better: 1, worse: 0 },
      { group: 'sad → neutral', accepted: 1, better: 0, worse: 1 },
    ]);
  });

  it('scores against the crowd plurality, ties count, non-faces are left out', () => {
    expect(plurality(v({ happy: 5, surprise: 5 }))).toEqual([c('happy'), c('surprise')]);
    expect(plurality(v({ happy: 2 }))).toBeNull(); // most workers chose none of the seven
    const votes = [v({ happy: 9 }), v({ happy: 5, surprise: 5 }), v({ sad: 1 }), undefined];
    expect(crowdAccuracy([c('happy'), c('surprise'), c('sad'), 0], votes)).toEqual({
      accuracy: 1,
      images: 2,
    });
    expect(crowdAccuracy([c('sad'), c('happy'), 0, 0], votes).accuracy).toBe(0.5);
  });
});
