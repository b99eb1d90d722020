import { createRng } from './rng.ts';

/**
 * Runs `fn` with Math.random drawn from a generator seeded by `seed`. tfjs seeds each unseeded
 * random op from Math.random (weight initialisers, dropout masks), so inside `fn` those draws are
 * a function of `seed`. Only for synchronous code: Math.random is put back before anything else
 * can run, even when `fn` throws.
 */
export function withSeededRandom<T>(seed: number | undefined, fn: () => T): T {
  if (seed === undefined) return fn();
  const original = Math.random;
  const rng = createRng(seed);
  Math.random = () => rng.next();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
