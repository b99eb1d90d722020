import { useStudio } from '../store/store.ts';
import { MetricChart } from '../components/metric-chart.tsx';

const NONE: never[] = [];

export function TrainingCharts() {
  const batchPoints = useStudio((s) => s.live?.batchPoints ?? NONE);
  const epochPoints = useStudio((s) => s.live?.epochPoints ?? NONE);
  const lrMarks = useStudio((s) => s.live?.lrMarks ?? NONE);
  const epochs = useStudio((s) => s.live?.epochs ?? null);
  const hasRun = useStudio((s) => s.live !== null);
  if (!hasRun) return null;
  const shared = { batchPoints, epochPoints, lrMarks, epochs };
  return (
    <section className="card train-charts" aria-label="Training curves">
      <MetricChart metric="loss" testId="loss-chart" {...shared} />
      <MetricChart metric="acc" testId="acc-chart" {...shared} />
    </section>
  );
}
