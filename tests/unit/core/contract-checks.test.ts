import { describe, expect, it } from 'vitest';
import { contractMismatch } from '../session.ts';

// The session wrapper the core tests use checks every response and event against the contract.
describe('contractMismatch', () => {
  it('accepts what matches the schema', () => {
    expect(contractMismatch('response', 'catalogue-import-cancel', { cancelled: true })).toBeNull();
  });

  it('names the field of a response that breaks its schema', () => {
    expect(contractMismatch('response', 'catalogue-import-cancel', { cancelled: 'yes' })).toMatch(
      /^response catalogue-import-cancel does not match its schema: cancelled: /,
    );
  });

  it('names the field of an event that breaks its schema', () => {
    const progress = { runId: 1, phase: 'predicting', done: -1, total: 3, fold: null };
    expect(contractMismatch('event', 'evaluation-progress', progress)).toMatch(/done: /);
  });

  it('refuses a channel the contract does not have', () => {
    expect(contractMismatch('event', 'no-such-event', {})).toMatch(/not in the contract/);
  });
});
