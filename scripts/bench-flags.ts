// Flags for the bench scripts: `--help` prints the script's header comment (its usage), and a
// flag the script does not know, or a missing value, is a one-line message and exit code 2, not
// parseArgs' stack trace.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** The leading `//` comment block of a script, without the slashes. */
export function headerComment(file: string): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const end = lines.findIndex((line) => !line.startsWith('//'));
  return lines
    .slice(0, end === -1 ? lines.length : end)
    .map((line) => line.replace(/^\/\/ ?/, ''))
    .join('\n');
}

export function benchFlags<O extends ParseArgsOptionsConfig>(
  script: string,
  options: O,
  argv: string[] = process.argv.slice(2),
): ReturnType<typeof parseArgs<{ options: O }>>['values'] {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(headerComment(script));
    process.exit(0);
  }
  try {
    return parseArgs({ args: argv, options }).values;
  } catch (error) {
    badFlag(script, (error as Error).message);
  }
}

/** A bad flag value: one line on stderr and exit code 2. */
export function badFlag(script: string, message: string): never {
  console.error(`${path.basename(script)}: ${message} (--help for usage)`);
  process.exit(2);
}
