import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../app/contract/index.ts';
import { errorMessage } from '../client/index.ts';
import { currentEvalRun } from '../store/evaluation-slice.ts';
import { useClient, useStudio } from '../store/store.ts';
import { ProbabilityBars } from './probability-bars.tsx';

type Predictions = ResponseOf<'image-predictions'>;

/** The chosen run's class probabilities for one image, with the image's role in that run. */
export function ImageProbabilities(props: { imageId: number; trueLabel: string | null }) {
  const client = useClient();
  const runId = useStudio(currentEvalRun);
  const [answer, setAnswer] = useState<{
    key: string;
    data: Predictions | null;
    error: string | null;
  }>({
    key: '',
    data: null,
    error: null,
  });
  const key = `${props.imageId}:${runId}`;
  useEffect(() => {
    if (runId === null) return;
    let live = true;
    client.invoke('image-predictions', { imageId: props.imageId, runId }).then(
      (data) => live && setAnswer({ key, data, error: null }),
      (error: unknown) => live && setAnswer({ key, data: null, error: errorMessage(error) }),
    );
    return () => {
      live = false;
    };
  }, [client, props.imageId, runId, key]);

  if (runId === null) return null;
  const current = answer.key === key ? answer : null;
  const probabilities = current?.data?.probabilities ?? null;
  return (
    <section className="probabilities" data-testid="image-probabilities" data-run-id={runId}>
      <h3>
        Run #{runId} predictions
        {current?.data && (
          <span className="muted" data-testid="image-role">
            {' '}
            · {current.data.role ?? 'not in run'}
            {current.data.outOfSample ? ' · out of sample' : ''}
          </span>
        )}
      </h3>
      {current?.error && <p className="invalid">{current.error}</p>}
      {!current && <p className="muted">Loading…</p>}
      {current?.data && !probabilities && <p className="muted">No prediction stored yet.</p>}
      {probabilities && (
        <ProbabilityBars probabilities={probabilities} trueLabel={props.trueLabel} />
      )}
    </section>
  );
}
