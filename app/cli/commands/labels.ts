import path from 'node:path';
import { UsageError, call, requiredNumber, withStudio } from '../args.ts';
import type { CommandContext } from '../args.ts';

/** `images [--split] [--label]`: one tab-separated line (or JSON row) per image. */
export function imagesCommand({ values, out }: CommandContext): Promise<number> {
  return withStudio(values, async (studio) => {
    const list = await call(studio, 'catalogue-list', {
      ...(values.split ? { split: values.split as 'train' | 'test' } : {}),
      ...(values.label ? { label: values.label as 'exclude' } : {}),
    });
    const rows: { id: number; label: string; split: string; file: string }[] = [];
    for (const id of list.ids) {
      const image = await call(studio, 'catalogue-image', { id });
      rows.push({
        id,
        label: image.label,
        split: image.split,
        file: path.join(image.folder, image.file),
      });
    }
    out(rows, () => {
      for (const r of rows) console.log(`${r.id}\t${r.label}\t${r.split}\t${r.file}`);
    });
    return 0;
  });
}

export function relabelCommand({ values, out }: CommandContext): Promise<number> {
  return withStudio(values, async (studio) => {
    if (!values.label) throw new UsageError('relabel needs --label <class|exclude>.');
    const result = await call(studio, 'labels-set', {
      changes: [
        {
          imageId: requiredNumber(values, 'image', 'relabel'),
          label: values.label as 'exclude',
        },
      ],
    });
    out(result, () =>
      console.log(
        result.changed
          ? `Relabelled image as ${values.label}.`
          : 'The image already had that label.',
      ),
    );
    return 0;
  });
}

/** `undo` / `redo`: the catalogue's label-change history, one step. */
export function undoRedoCommand({ command, values, out }: CommandContext): Promise<number> {
  return withStudio(values, async (studio) => {
    const result = await call(studio, command === 'undo' ? 'labels-undo' : 'labels-redo', {});
    out(result, () => {
      if (result.changes.length === 0) console.log(`Nothing to ${command}.`);
      for (const c of result.changes) console.log(`image ${c.imageId}: ${c.from} → ${c.to}`);
    });
    return 0;
  });
}
