import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerComment } from '../../../scripts/bench-flags.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const bench = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'scripts', script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });

describe('bench script flags', () => {
  it('--help prints the script’s header comment and exits 0', () => {
    const result = bench('bench-sample.ts', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'Usage: node scripts/bench-sample.ts [--per-class 150] [--rounds 3]',
    );
    expect(result.stdout).not.toContain('//');
  });

  it('an unknown flag or a bad value is one line and exit code 2, never a stack trace', () => {
    for (const args of [['--nope'], ['--per-class', '0'], ['--rounds', '1.5'], ['--rounds']]) {
      const result = bench('bench-sample.ts', ...args);
      expect(result.status).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^bench-sample\.ts: .+ \(--help for usage\)$/m);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe('');
    }
  });

  it('the header comment is the leading // block only', () => {
    const text = headerComment(path.join(ROOT, 'scripts/bench-evaluate.ts'));
    expect(text.split('\n')[0]).toMatch(/^Evaluate-page responsiveness/);
    expect(text).toContain('npm run bench:evaluate -- [--images N] [--repeat R]');
    expect(text).not.toContain('import');
  });
});
