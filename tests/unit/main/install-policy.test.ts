import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blocking, parseFindings, scan } from '../../../scripts/lint-electron.ts';
import { ELECTRON_MISSING_NOTICE } from '../../../scripts/start.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  allowScripts: Record<string, boolean>;
  scripts: Record<string, string>;
};
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('the desktop app installs on a user machine', () => {
  it("npm may run electron's install script (it downloads the binary); CI skips the download", () => {
    expect(pkg.allowScripts['electron']).toBe(true);
    // es5-ext's postinstall only prints a message: never needed.
    expect(pkg.allowScripts['es5-ext']).toBe(false);
    const ci = fs.readFileSync(path.join(root, '.ci/run'), 'utf8');
    expect(ci.indexOf('export ELECTRON_SKIP_BINARY_DOWNLOAD=1')).toBeGreaterThan(-1);
    expect(ci.indexOf('export ELECTRON_SKIP_BINARY_DOWNLOAD=1')).toBeLessThan(ci.indexOf('npm ci'));
  });

  it('the start notice names the install script and the two reasons it may not have run', () => {
    expect(ELECTRON_MISSING_NOTICE).toMatch(/allowScripts/);
    expect(ELECTRON_MISSING_NOTICE).not.toMatch(/allowScripts.*false/);
    expect(ELECTRON_MISSING_NOTICE).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD/);
    expect(ELECTRON_MISSING_NOTICE).toMatch(/no internet/);
  });

  it('npm test runs Electronegativity over main/ before the unit tests', () => {
    expect(pkg.scripts['lint:electron']).toBe('node scripts/lint-electron.ts');
    const chain = pkg.scripts['test'] ?? '';
    expect(chain).toContain('npm run lint:electron');
    expect(chain.indexOf('lint:electron')).toBeLessThan(chain.indexOf('test:unit'));
  });
});

describe('lint:electron', () => {
  it('reads the CSV report and blocks everything above informational', () => {
    const csv = [
      'issue, severity, confidence, filename, location, sample, description, url',
      'SANDBOX_JS_CHECK,"MEDIUM","FIRM","index.ts","28:17","new BrowserWindow(","Use sandbox, please",https://x',
      'AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK,"INFORMATIONAL","CERTAIN","package.json","0:0",N/A,"fixes",https://y',
    ].join('\n');
    const findings = parseFindings(csv);
    expect(findings.map((f) => [f.issue, f.severity, f.location])).toEqual([
      ['SANDBOX_JS_CHECK', 'MEDIUM', '28:17'],
      ['AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK', 'INFORMATIONAL', '0:0'],
    ]);
    expect(findings[0]?.description).toBe('Use sandbox, please');
    expect(blocking(findings).map((f) => f.issue)).toEqual(['SANDBOX_JS_CHECK']);
  });

  it('the real scan fails an insecure window and passes the shell', { timeout: 120_000 }, () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-eng-bad-'));
    dirs.push(bad);
    fs.writeFileSync(
      path.join(bad, 'index.js'),
      `const { BrowserWindow } = require('electron');\n` +
        `new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false, nodeIntegration: true } });\n`,
    );
    const issues = blocking(scan(bad)).map((f) => f.issue);
    expect(issues).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']),
    );
    expect(blocking(scan(path.join(root, 'main')))).toEqual([]);
  });
});
