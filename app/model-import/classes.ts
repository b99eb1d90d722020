import { CLASS_NAMES, isClassName, type ClassName } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';

const bad = (message: string) => new StudioError('bad-request', message);

/**
 * The class of each model output. Without a list, a 7-output model is taken to use the studio's
 * alphabetical order; any other output count needs one (`-` ignores an output).
 */
export function resolveClassOrder(
  outputs: number,
  classes: readonly string[] | undefined,
): (ClassName | null)[] {
  if (!classes || classes.length === 0) {
    if (outputs !== CLASS_NAMES.length)
      throw bad(
        `The model has ${outputs} outputs, not ${CLASS_NAMES.length}: give the class of each output in order (${CLASS_NAMES.join(', ')}; "-" ignores an output).`,
      );
    return [...CLASS_NAMES];
  }
  if (classes.length !== outputs)
    throw bad(`The class list has ${classes.length} names but the model has ${outputs} outputs.`);
  const order = classes.map((raw) => {
    const name = raw.trim().toLowerCase();
    if (name === '-' || name === '') return null;
    if (!isClassName(name))
      throw bad(
        `Unknown class "${raw}" in the class list; the studio's classes are ${CLASS_NAMES.join(', ')} ("-" ignores an output).`,
      );
    return name;
  });
  const named = order.filter((c): c is ClassName => c !== null);
  const repeated = named.find((c, i) => named.indexOf(c) !== i);
  if (repeated) throw bad(`Class "${repeated}" appears twice in the class list.`);
  if (named.length === 0) throw bad('The class list maps no output to a class.');
  return order;
}
