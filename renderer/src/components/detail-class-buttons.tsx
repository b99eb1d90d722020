import type { Label } from '../../../app/contract/index.ts';
import { LABEL_LIST } from '../classes.ts';
import { labelText } from '../format.ts';
import { useStudio, useStudioStore } from '../store/store.ts';
import { relabelSelected } from './relabel-advance.ts';

const keyOf = (label: Label, i: number) => (label === 'exclude' ? 'x' : String(i + 1));

/** One button per class (and exclude), the same as keys 1–7 / x, for labelling by mouse. */
export function DetailClassButtons(props: { current: Label }) {
  const store = useStudioStore();
  const advance = useStudio((s) => s.advanceAfterRelabel);
  const setAdvance = useStudio((s) => s.setAdvanceAfterRelabel);
  return (
    <div className="detail-relabel">
      <div
        className="class-buttons"
        role="group"
        aria-label="Label"
        data-testid="detail-class-buttons"
      >
        {LABEL_LIST.map((label, i) => (
          <button
            key={label}
            type="button"
            data-label={label}
            aria-pressed={props.current === label}
            title={`${labelText(label)} (${keyOf(label, i)})`}
            onClick={() => void relabelSelected(store, label)}
          >
            <kbd>{keyOf(label, i)}</kbd> {label === 'exclude' ? 'exclude' : labelText(label)}
          </button>
        ))}
      </div>
      <label className="check-field">
        <input
          type="checkbox"
          data-testid="detail-advance"
          checked={advance}
          onChange={(event) => setAdvance(event.target.checked)}
        />
        <span>Next image after relabel</span>
      </label>
    </div>
  );
}
