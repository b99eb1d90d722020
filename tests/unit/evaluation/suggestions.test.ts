import { describe, expect, it } from 'vitest';
import { CLASS_NAMES, PIXELS_PER_IMAGE } from '../../../app/contract/classes.ts';
import type { ProbabilityGroup } from '../../../app/evaluation/confident-learning.ts';
import { PEOPLE_READING, readAsPeople } from '../../../app/evaluation/people-reading.ts';
import {
  SUGGESTION_RULES,
  pixelSpread,
  suggestLabels,
} from '../../../app/evaluation/suggestions.ts';

const K = CLASS_NAMES.length;
const c = (name: string) => CLASS_NAMES.indexOf(name as (typeof CLASS_NAMES)[number]);

/** One probability row: `mass` on the named classes, the rest spread evenly. */
function row(mass: Record<string, number>): number[] {
  const named = Object.values(mass).reduce((a, b) => a + b, 0);
  const rest = (1 - named) / (K - Object.keys(mass).length);
  return CLASS_NAMES.map((name) => mass[name] ?? rest);
}

function group(rows: { label: string; p: Record<string, number> }[], first = 1): ProbabilityGroup {
  return {
    ids: rows.map((_, i) => first + i),
    labels: rows.map((r) => c(r.label)),
    probs: new Float32Array(rows.flatMap((r) => row(r.p))),
    source: 'training-dynamics',
  };
}

/** Textured faces (spread ≫ 8) unless the id is listed as flat. */
const pixels =
  (flat: number[] = []) =>
  (ids: readonly number[]) => {
    const out = new Uint8Array(ids.length * PIXELS_PER_IMAGE);
    ids.forEach((id, i) => {
      for (let k = 0; k < PIXELS_PER_IMAGE; k++)
        out[i * PIXELS_PER_IMAGE + k] = flat.includes(id) ? 120 : (k * 37) % 256;
    });
    return out;
  };

describe('suggestLabels', () => {
  const rows = [
    { label: 'happy', p: { happy: 0.9 } }, // agrees: not an issue
    { label: 'neutral', p: { happy: 0.85, neutral: 0.05 } }, // convincing: relabel
    { label: 'fear', p: { surprise: 0.45, fear: 0.3 } }, // prefers surprise, weakly: needs a look
    { label: 'sad', p: { neutral: 0.4, sad: 0.39 } }, // barely: needs a look, lowest doubt
    { label: 'angry', p: { angry: 0.35, disgust: 0.3 } }, // label still the top class: no issue
  ];

  it('flags only images whose label another class beats, most doubtful first', () => {
    const issues = suggestLabels([group(rows)], pixels());
    expect(issues.map((i) => i.id)).toEqual([2, 3, 4]);
    expect(issues.map((i) => i.suggested)).toEqual(['happy', 'surprise', 'neutral']);
    const doubts = issues.map((i) => i.doubt);
    expect(doubts[0]).toBeCloseTo(0.95, 5);
    expect(doubts).toEqual([...doubts].sort((a, b) => b - a));
  });

  it('relabels only above the measured confidence, abstains below it', () => {
    const issues = suggestLabels([group(rows)], pixels());
    expect(issues.map((i) => i.action)).toEqual(['relabel', 'needs-look', 'needs-look']);
    for (const issue of issues)
      expect(issue.action === 'relabel').toBe(issue.confidence >= SUGGESTION_RULES.relabelAt);
    const stricter = suggestLabels([group(rows)], pixels(), {
      ...SUGGESTION_RULES,
      relabelAt: 0.9,
    });
    expect(stricter.every((i) => i.action === 'needs-look')).toBe(true);
  });

  it('says exclude for a flat image whatever the probabilities', () => {
    const issues = suggestLabels([group(rows)], pixels([2]));
    expect(issues.find((i) => i.id === 2)?.action).toBe('exclude');
    expect(issues.find((i) => i.id === 3)?.action).toBe('needs-look');
  });

  it('ranks across groups on one scale and keeps each source', () => {
    const held: ProbabilityGroup = {
      ...group([{ label: 'surprise', p: { fear: 0.99, surprise: 0.001 } }], 10),
      source: 'held-out',
    };
    const issues = suggestLabels([group(rows), held], pixels());
    expect(issues[0]).toMatchObject({ id: 10, source: 'held-out', suggested: 'fear' });
    expect(issues.slice(1).every((i) => i.source === 'training-dynamics')).toBe(true);
  });

  it('skips images with no probabilities (NaN rows) and rejects mismatched input', () => {
    const g = group(rows);
    g.probs.fill(NaN, K, 2 * K);
    expect(suggestLabels([g], pixels()).map((i) => i.id)).toEqual([3, 4]);
    expect(() => suggestLabels([{ ...g, probs: new Float32Array(3 * K) }], pixels())).toThrow(
      /5 ids, 5 labels, 3 predictions/,
    );
  });
});

describe('pixelSpread', () => {
  it('is the standard deviation of each image', () => {
    const px = new Uint8Array(2 * PIXELS_PER_IMAGE).fill(50);
    for (let k = 0; k < PIXELS_PER_IMAGE; k++) px[PIXELS_PER_IMAGE + k] = k % 2 ? 0 : 200;
    const spread = pixelSpread(px);
    expect(spread[0]).toBe(0);
    expect(spread[1]).toBeCloseTo(100, 6);
  });
});

describe('suggestLabels read as people read FER-2013', () => {
  const rows = [
    // The model keeps the fear label, but people read most fear faces as sad or neutral.
    { label: 'fear', p: { fear: 0.4, sad: 0.35, neutral: 0.2 } },
    // The model doubts this happy label a little; people read happy faces as happy.
    { label: 'happy', p: { neutral: 0.5, happy: 0.45 } },
    // Sad against neutral: people call 46 % of FER-2013's sad faces neutral.
    { label: 'sad', p: { neutral: 0.6, sad: 0.35 } },
  ];

  it('normalises the product and equals the model with no weight on people', () => {
    const p = row({ fear: 0.4, sad: 0.35 });
    const q = readAsPeople(p, c('fear'));
    expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(q[c('sad')]).toBeGreaterThan(q[c('fear')] ?? 1);
    const same = readAsPeople(p, c('fear'), { model: 1, people: 0 });
    p.forEach((v, k) => expect(same[k]).toBeCloseTo(v, 6));
    expect(() => readAsPeople(p, 9)).toThrow(/No class 9/);
  });

  it('doubts the labels people dispute and spares the ones they confirm', () => {
    const byModel = suggestLabels([group(rows)], pixels(), SUGGESTION_RULES, 'model');
    expect(byModel.map((i) => [i.id, i.suggested])).toEqual([
      [3, 'neutral'],
      [2, 'neutral'],
    ]);
    const byPeople = suggestLabels([group(rows)], pixels(), SUGGESTION_RULES, 'people');
    expect(byPeople.map((i) => [i.id, i.label, i.suggested])).toEqual([
      [1, 'fear', 'sad'],
      [3, 'sad', 'neutral'],
    ]);
    // Each row of the reading is a share of votes: it sums to 1.
    for (const r of PEOPLE_READING) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  });

  it('relabels at its own measured threshold', () => {
    const issues = suggestLabels([group(rows)], pixels(), SUGGESTION_RULES, 'people');
    for (const issue of issues)
      expect(issue.action === 'relabel').toBe(issue.confidence >= SUGGESTION_RULES.peopleRelabelAt);
    expect(issues.map((i) => i.action)).toEqual(['needs-look', 'relabel']);
    const stricter = suggestLabels(
      [group(rows)],
      pixels(),
      { ...SUGGESTION_RULES, peopleRelabelAt: 0.95 },
      'people',
    );
    expect(stricter.every((i) => i.action === 'needs-look')).toBe(true);
  });

  it('asks more of k-fold rankings before it relabels', () => {
    // Read as people read a sad label, neutral at 0.7 of the model's mass gives q ≈ 0.75: enough
    // for a run's own dynamics (0.6), not for short fold models (0.8), which only say "needs a look".
    const sad = [{ label: 'sad', p: { neutral: 0.7, sad: 0.25 } }];
    const q = readAsPeople(row(sad[0]?.p ?? {}), c('sad'))[c('neutral')] ?? 0;
    expect(q).toBeGreaterThan(SUGGESTION_RULES.peopleRelabelAt);
    expect(q).toBeLessThan(SUGGESTION_RULES.foldPeopleRelabelAt);
    const fromDynamics = suggestLabels([group(sad)], pixels(), SUGGESTION_RULES, 'people');
    const fromFolds = suggestLabels(
      [{ ...group(sad), source: 'cross-validation' }],
      pixels(),
      SUGGESTION_RULES,
      'people',
    );
    expect(fromDynamics.map((i) => [i.suggested, i.action])).toEqual([['neutral', 'relabel']]);
    expect(fromFolds.map((i) => [i.suggested, i.action])).toEqual([['neutral', 'needs-look']]);
    // By the model alone the threshold is 0.8, whatever the source.
    const sure = [{ label: 'sad', p: { neutral: 0.85, sad: 0.1 } }];
    const byModel = suggestLabels(
      [{ ...group(sure), source: 'cross-validation' }],
      pixels(),
      SUGGESTION_RULES,
      'model',
    );
    expect(byModel.map((i) => i.action)).toEqual(['relabel']);
  });
});
