import path from 'node:path';
import type { RequestOf } from '../../contract/handlers.ts';
import { INPUT_RANGES, type InputRange } from '../../preprocessing/index.ts';
import { call, UsageError, withStudio } from '../args.ts';
import type { CommandContext } from '../args.ts';

/**
 * `import-model <file|folder> [--name T] [--input-range R] [--classes c0,…]`: a Keras or tfjs
 * model becomes a finished run; the last line (with --json, the only line) is its summary.
 */
export function importModelCommand({ rest, values, out }: CommandContext): Promise<number> {
  const [source, ...extra] = rest;
  if (!source || extra.length > 0)
    throw new UsageError('import-model needs exactly one <file.keras|file.h5|tfjs folder>.');
  const range = values['input-range'];
  if (range !== undefined && !(INPUT_RANGES as readonly string[]).includes(range))
    throw new UsageError(
      `--input-range must be one of ${INPUT_RANGES.join(', ')}, got "${range}".`,
    );
  const request: RequestOf<'model-import'> = { path: path.resolve(source) };
  if (range) request.inputRange = range as InputRange;
  if (values.classes !== undefined) request.classes = values.classes.split(',');
  if (values.name !== undefined) request.name = values.name;
  return withStudio(values, async (studio) => {
    const r = await call(studio, 'model-import', request);
    const summary = {
      runId: r.runId,
      format: r.format,
      inputShape: r.inputShape,
      classes: r.classes,
      layers: r.layers,
      params: r.params,
    };
    out(summary, () => {
      console.log(
        `Imported ${path.basename(source)} (${r.detail}) as run ${r.runId}: input ${r.inputShape.join('×')} in [${r.range}], ${r.layers} layers, ${r.params.toLocaleString('en')} parameters.`,
      );
      console.log(`  outputs → classes: ${r.classes.map((c) => c ?? '-').join(', ')}`);
      for (const note of r.notes) console.log(`  note: ${note}`);
      console.log(JSON.stringify(summary));
    });
    return 0;
  });
}
