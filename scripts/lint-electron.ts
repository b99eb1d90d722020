/**
 * `npm run lint:electron`: Doyensec's Electronegativity over the Electron shell (main/). Fails on
 * any finding above informational; a finding the tool cannot see through is justified where it is
 * reported, with an `eng-disable` comment and the reason on the line above (README, "Security").
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const tool = require.resolve('@doyensec/electronegativity/dist/index.js');
// The installed Electron's version: its secure defaults (sandbox, context isolation) then count.
const electron = (require('electron/package.json') as { version: string }).version;

export interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  description: string;
}

/** One CSV line's fields: quoted fields may hold commas and doubled quotes. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  fields.push(field.trim());
  return fields;
}

/** The tool's CSV report: a header line, then one finding per line. */
export function parseFindings(csv: string): Finding[] {
  return csv
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [
        issue = '',
        severity = '',
        confidence = '',
        file = '',
        location = '',
        ,
        description = '',
      ] = csvFields(line);
      return { issue, severity, confidence, file, location, description };
    });
}

export function blocking(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity.toUpperCase() !== 'INFORMATIONAL');
}

/** Every finding of a scan of `dir` (synchronous: the tool is a child process). */
export function scan(dir: string): Finding[] {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-eng-'));
  const out = path.join(work, 'findings.csv');
  try {
    const run = spawnSync(
      process.execPath,
      [tool, '-i', dir, '-r', '-v', 'false', '-e', electron, '-o', out],
      {
        encoding: 'utf8',
        cwd: root,
      },
    );
    if (run.status !== 0 || !fs.existsSync(out))
      throw new Error(`electronegativity did not run (exit ${run.status}):\n${run.stderr}`);
    return parseFindings(fs.readFileSync(out, 'utf8'));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function main(): number {
  const found = blocking(scan(path.join(root, 'main')));
  if (found.length === 0) {
    console.log(`electronegativity: main/ clean above informational (Electron ${electron}).`);
    return 0;
  }
  for (const f of found)
    console.error(`${f.severity} ${f.issue} main/${f.file}:${f.location} — ${f.description}`);
  return 1;
}

if (process.argv[1] === import.meta.filename) process.exitCode = main();
