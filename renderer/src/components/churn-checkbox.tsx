/** "All label changes": list every relabel, undo and redo, not only each image's net change. */
export function ChurnCheckbox(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  /** Where the changes are listed, for the tooltip: "label-changes.csv", "The report". */
  where: string;
}) {
  return (
    <label
      className="inline-field"
      title={`${props.where} lists every relabel, undo and redo, not only each image's net change`}
    >
      <input
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      All label changes
    </label>
  );
}
