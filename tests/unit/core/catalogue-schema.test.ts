import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalogue } from '../../../app/catalogue/catalogue.ts';
import { SCHEMA_VERSION } from '../../../app/catalogue/schema.ts';
import { writeNotSqlite } from '../../fixtures/not-sqlite.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-schema-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('catalogue file', () => {
  it('creates a new catalogue with the current schema, WAL mode and empty stats', () => {
    const file = path.join(dir, 'new.sqlite');
    const catalogue = openCatalogue(file);
    expect(catalogue.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(catalogue.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(catalogue.stats().total).toBe(0);
    catalogue.close();
    // Reopening runs no migration twice.
    openCatalogue(file).close();
  });

  it.each(['text', 'png', 'truncated'] as const)(
    'refuses a %s file posing as a catalogue, and leaves it as it was',
    async (kind) => {
      const file = await writeNotSqlite(path.join(dir, `${kind}.sqlite`), kind);
      const before = fs.readFileSync(file);
      expect(() => openCatalogue(file)).toThrowError(
        expect.objectContaining({ code: 'not-a-catalogue' }),
      );
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    },
  );

  it('refuses a catalogue from a newer schema version with a clear message', () => {
    const file = path.join(dir, 'future.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openCatalogue(file)).toThrowError(/schema version \d+.*Update FER Studio/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    again.close();
  });

  it('refuses a directory', () => {
    expect(() => openCatalogue(dir)).toThrowError(
      expect.objectContaining({ code: 'not-a-catalogue' }),
    );
  });
});
