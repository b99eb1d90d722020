import { CLASS_NAMES } from '../contract/classes.ts';
import { BAR_CHART_SIZE, barChartSvg } from './bar-chart.ts';
import { CONFUSION_CHART_SIZE, confusionSvg } from './confusion-chart.ts';
import type { ReportData } from './gather.ts';
import { LINE_CHART_SIZE, lineChartSvg } from './line-chart.ts';
import { TEST_COLOR, TRAIN_COLOR, VAL_COLOR } from './svg.ts';

export interface ReportChart {
  /** Also the PNG's name under charts/. */
  id: 'loss' | 'accuracy' | 'confusion' | 'f1' | 'class-balance';
  title: string;
  svg: string;
  width: number;
  height: number;
}

/** Every chart of the report, in page order; confusion and F1 only when the run was evaluated. */
export function buildCharts(data: ReportData): ReportChart[] {
  const { run, evaluation } = data;
  const epochs = run.history.map((e) => e.epoch);
  const charts: ReportChart[] = [
    {
      id: 'loss',
      title: 'Loss',
      ...LINE_CHART_SIZE,
      svg: lineChartSvg({
        title: 'Loss',
        yLabel: 'cross-entropy',
        epochs,
        marks: data.lrMarks,
        series: [
          { name: 'train', color: TRAIN_COLOR, values: run.history.map((e) => e.loss) },
          { name: 'validation', color: VAL_COLOR, values: run.history.map((e) => e.valLoss) },
        ],
      }),
    },
    {
      id: 'accuracy',
      title: 'Accuracy',
      ...LINE_CHART_SIZE,
      svg: lineChartSvg({
        title: 'Accuracy',
        yLabel: 'accuracy',
        percent: true,
        epochs,
        marks: data.lrMarks,
        series: [
          { name: 'train', color: TRAIN_COLOR, values: run.history.map((e) => e.acc) },
          { name: 'validation', color: VAL_COLOR, values: run.history.map((e) => e.valAcc) },
        ],
      }),
    },
  ];
  if (evaluation) {
    const title = `Confusion matrix (${evaluation.split}, ${evaluation.images} images)`;
    charts.push(
      {
        id: 'confusion',
        title,
        ...CONFUSION_CHART_SIZE,
        svg: confusionSvg(evaluation.confusion, evaluation.labels, title),
      },
      {
        id: 'f1',
        title: `Per-class F1 (${evaluation.split})`,
        ...BAR_CHART_SIZE,
        svg: barChartSvg({
          title: `Per-class F1 (${evaluation.split})`,
          yLabel: 'F1',
          categories: CLASS_NAMES,
          max: 1,
          valueLabels: (v) => v.toFixed(2),
          groups: [
            {
              name: 'F1',
              color: TRAIN_COLOR,
              values: CLASS_NAMES.map((name) => evaluation.perClass[name].f1),
            },
          ],
        }),
      },
    );
  }
  charts.push({
    id: 'class-balance',
    title: 'Class balance (the run’s label snapshot)',
    ...BAR_CHART_SIZE,
    svg: barChartSvg({
      title: 'Class balance (the run’s label snapshot)',
      yLabel: 'images',
      categories: CLASS_NAMES,
      groups: (['train', 'val', 'test'] as const).map((role) => ({
        name: role === 'val' ? 'validation' : role,
        color: role === 'train' ? TRAIN_COLOR : role === 'val' ? VAL_COLOR : TEST_COLOR,
        values: CLASS_NAMES.map((name) => data.balance[name][role]),
      })),
    }),
  });
  return charts;
}
