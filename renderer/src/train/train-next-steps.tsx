import { useStudio } from '../store/store.ts';

/** After a run finishes: where its model goes next, one click each. */
export function TrainNextSteps(props: { runId: number }) {
  const setEvalRun = useStudio((s) => s.setEvalRun);
  const selectRun = useStudio((s) => s.selectRun);
  const setPage = useStudio((s) => s.setPage);
  return (
    <div className="next-steps" data-testid="train-next-steps">
      <span className="muted">Next:</span>
      <button
        className="primary"
        data-testid="next-evaluate"
        onClick={() => {
          setEvalRun(props.runId);
          setPage('evaluate');
        }}
      >
        Evaluate run #{props.runId}
      </button>
      <button
        data-testid="next-export"
        title="The Runs page exports the model (TensorFlow.js, ONNX, Keras) and writes a report"
        onClick={() => {
          void selectRun(props.runId);
          setPage('runs');
        }}
      >
        Export…
      </button>
    </div>
  );
}
