import { useState } from 'react';
import { formatCount } from '../format.ts';
import type { ImportEntry } from '../store/imports-slice.ts';

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** Remove, behind a question that says what leaves the catalogue and that Ctrl+Z brings it back. */
export function RemoveImport(props: {
  entry: ImportEntry;
  disabled: boolean;
  onRemove: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const { entry } = props;
  if (!asking)
    return (
      <button data-testid="import-remove" disabled={props.disabled} onClick={() => setAsking(true)}>
        Remove…
      </button>
    );
  const runs =
    entry.usedByRuns > 0
      ? ` ${plural(entry.usedByRuns, 'run')} trained on them keep their copy.`
      : '';
  return (
    <span className="confirm-inline" role="alertdialog" data-testid="import-remove-confirm">
      Take {plural(entry.images, 'image')} out of the catalogue?{runs} Ctrl+Z brings them back.
      <button
        className="danger"
        data-testid="import-remove-yes"
        disabled={props.disabled}
        onClick={() => {
          setAsking(false);
          props.onRemove();
        }}
      >
        Remove
      </button>
      <button data-testid="import-remove-no" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
