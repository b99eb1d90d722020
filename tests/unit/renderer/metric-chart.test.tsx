import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MetricChart } from '../../../renderer/src/components/metric-chart.tsx';
import { fakeLayoutEachTest } from './render-app.tsx';

fakeLayoutEachTest();

const legendOf = (container: HTMLElement) => container.querySelector('.recharts-legend-wrapper');

describe('metric chart', () => {
  it('an empty chart (an imported run, a run not started) shows no legend for lines it lacks', () => {
    const { container } = render(
      <MetricChart metric="loss" epochPoints={[]} lrMarks={[]} testId="loss-chart" />,
    );
    expect(container.querySelector('svg')).toBeTruthy();
    expect(legendOf(container)).toBeNull();
  });

  it('a chart with points keeps its legend', () => {
    const points = [{ epoch: 1, loss: 1.5, acc: 0.4, valLoss: 1.6, valAcc: 0.38, lr: 1e-3 }];
    const { container } = render(
      <MetricChart metric="loss" epochPoints={points} lrMarks={[]} testId="loss-chart" />,
    );
    expect(legendOf(container)?.textContent).toContain('validation');
  });
});
