import { CLASS_NAMES } from '../contract/classes.ts';
import type { Evaluation, RunDetail } from '../contract/handlers.ts';
import type { ReportData } from './gather.ts';
import { appliedParams } from '../runs/applied-settings.ts';
import { paramName, paramValue } from './param-names.ts';
import { esc, shortNumber } from './svg.ts';

export const pct = (x: number | null, digits = 1): string =>
  x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)} %`;
const fixed = (x: number | null, digits = 4): string =>
  x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits);

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** "27 November 2026 at 02:45 UTC" in the report writer's time zone; unparsable text as is. */
export function humanDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_FORMAT.format(date);
}

/**
 * Runs stored before backend reasons were worded for people carry Node's resolver message
 * ("…unavailable (Cannot find package '…' imported from /path/backend.ts)"): say "not installed".
 */
export function backendReason(reason: string): string {
  const old = /^(.*?): (@[\w./-]+) unavailable \(Cannot find (?:package|module)\b.*\)$/.exec(
    reason,
  );
  return old ? `${old[1]}: not installed (the optional package ${old[2]})` : reason;
}

const row = (cells: string[], attrs = ''): string =>
  `<tr${attrs}>${cells.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`;

export function summarySection(run: RunDetail): string {
  const facts: [string, string][] = [
    ['Status', run.status],
    ['Created', humanDate(run.createdAt)],
    ['Model', run.model],
    ['Backend', run.backend ? run.backend.label : 'unknown'],
    ['Epochs', run.imported ? 'trained elsewhere' : `${run.epochsDone} of ${run.epochs}`],
    [
      'Best validation accuracy',
      `${pct(run.bestValAcc)}${run.bestEpoch ? ` (epoch ${run.bestEpoch})` : ''}`,
    ],
  ];
  if (!run.imported)
    facts.push(
      ['Training time', duration(run.seconds)],
      ['Images', `${run.trainImages} train · ${run.valImages} validation`],
    );
  const resumed = run.settings.find((s) => s.key === 'resumed');
  if (resumed) facts.push([resumed.label, resumed.value]);
  if (run.name) facts.unshift(['Name', run.name]);
  if (run.parentRunId !== null) facts.push(['Continued from', `run #${run.parentRunId}`]);
  if (run.message) facts.push(['Why it ended', run.message]);
  if (run.notes) facts.push(['Notes', run.notes]);
  if (run.backend?.reasons.length)
    facts.push(['Backends passed over', run.backend.reasons.map(backendReason).join('; ')]);
  return (
    `<section id="summary"><h2>Summary</h2><table class="facts">` +
    facts.map(([k, v]) => row([esc(k), esc(v)])).join('') +
    `</table></section>`
  );
}

/** The recipe's settings that applied; an imported run has none, only where it came from. */
export function hyperParameterSection(run: RunDetail): string {
  if (run.imported) {
    const i = run.imported;
    const rows = [
      ...run.settings.map((s) =>
        row([esc(s.label), esc(s.value)], ` data-setting="${esc(s.key)}"`),
      ),
      row(['SHA-256', esc(i.sha256)]),
      row(['Layers', `${i.layers} · ${i.params} parameters`]),
      ...i.notes.map((note) => row(['Import note', esc(note)])),
    ].join('');
    return `<section id="hyper-parameters"><h2>Model origin</h2><table class="facts">${rows}</table></section>`;
  }
  const rows = appliedParams({ ...run, preprocessing: null })
    .map(([key, value]) =>
      row([esc(paramName(key)), esc(paramValue(value))], ` data-param="${esc(key)}"`),
    )
    .join('');
  return `<section id="hyper-parameters"><h2>Hyper-parameters</h2><table class="facts">${rows}</table></section>`;
}

export function epochSection(data: ReportData): string {
  const changed = new Map(data.lrMarks.map((m) => [m.epoch + 1, m]));
  const rows = data.run.history
    .map((e) => {
      const mark = changed.get(e.epoch);
      const lr = `${shortNumber(e.lr)}${mark ? ` <span class="tag">lowered from ${esc(shortNumber(mark.from))}</span>` : ''}`;
      return row(
        [
          String(e.epoch),
          fixed(e.loss),
          pct(e.acc, 2),
          fixed(e.valLoss),
          pct(e.valAcc, 2),
          lr,
          e.imagesPerSec.toFixed(1),
          e.seconds.toFixed(1),
        ],
        ` data-epoch="${e.epoch}"`,
      );
    })
    .join('');
  return (
    `<section id="epochs"><h2>Epochs</h2><table class="grid numbers"><thead><tr>` +
    [
      'epoch',
      'loss',
      'accuracy',
      'val loss',
      'val accuracy',
      'learning rate',
      'images/s',
      'seconds',
    ]
      .map((h) => `<th scope="col">${h}</th>`)
      .join('') +
    `</tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

export function perClassTable(evaluation: Evaluation): string {
  const rows = CLASS_NAMES.map((name) => {
    const c = evaluation.perClass[name];
    return row(
      [name, pct(c.precision), pct(c.recall), c.f1.toFixed(3), String(c.support)],
      ` data-class="${name}"`,
    );
  });
  const mean = (key: 'precision' | 'recall' | 'f1') =>
    CLASS_NAMES.reduce((sum, name) => sum + evaluation.perClass[name][key], 0) / CLASS_NAMES.length;
  rows.push(
    row(
      [
        'macro average',
        pct(mean('precision')),
        pct(mean('recall')),
        mean('f1').toFixed(3),
        String(evaluation.images),
      ],
      ' class="total"',
    ),
  );
  return (
    `<table class="grid numbers per-class"><thead><tr>` +
    ['class', 'precision', 'recall', 'F1', 'support']
      .map((h) => `<th scope="col">${h}</th>`)
      .join('') +
    `</tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

export function confusionTable(evaluation: Evaluation): string {
  const head = evaluation.labels.map((l) => `<th scope="col">${esc(l)}</th>`).join('');
  const body = evaluation.labels
    .map((trueLabel, r) => {
      const cells = evaluation.labels
        .map(
          (predicted, c) =>
            `<td data-true="${esc(trueLabel)}" data-predicted="${esc(predicted)}">${evaluation.confusion[r]?.[c] ?? 0}</td>`,
        )
        .join('');
      return `<tr><th scope="row">${esc(trueLabel)}</th>${cells}</tr>`;
    })
    .join('');
  return (
    `<table class="grid numbers confusion"><caption>Rows: true label · columns: predicted label</caption>` +
    `<thead><tr><th scope="col">true \\ predicted</th>${head}</tr></thead><tbody>${body}</tbody></table>`
  );
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export function labelChangeSection(data: ReportData): string {
  const s = data.labelChanges;
  const intro =
    `<p data-testid="label-change-totals"><strong>${s.netTotal}</strong> ` +
    `${s.netTotal === 1 ? 'image carries' : 'images carry'} a different label than at import ` +
    `(the net effect of ${plural(s.total, 'relabel, undo or redo', 'relabels, undos and redos')}; ` +
    `<strong>${s.sinceRun}</strong> since this run took its label snapshot on ${esc(humanDate(s.snapshotAt))}). ` +
    `<strong>${s.differFromSnapshot}</strong> of the run's images now ${s.differFromSnapshot === 1 ? 'carries' : 'carry'} a ` +
    `different label than the one it trained or was scored on.</p>`;
  if (s.groups.length === 0)
    return `<section id="label-changes"><h2>Label changes</h2>${intro}<p class="muted">No label has been changed since import.</p></section>`;
  const net = s.net.length
    ? `<table class="grid numbers" data-table="net"><thead><tr>` +
      ['label at import', 'label now', 'images', 'of them since this run']
        .map((h) => `<th scope="col">${h}</th>`)
        .join('') +
      `</tr></thead><tbody>` +
      s.net
        .map((g) =>
          row(
            [esc(g.from), esc(g.to), String(g.count), String(g.sinceRun)],
            ` data-from="${esc(g.from)}" data-to="${esc(g.to)}"`,
          ),
        )
        .join('') +
      `</tbody></table>`
    : `<p class="muted">Every change was undone: all labels are as imported.</p>`;
  return `<section id="label-changes"><h2>Label changes</h2>${intro}${net}${suggestedTable(data)}${data.churn ? churnTable(data) : ''}</section>`;
}

/** The net changes that came from accepted suggestions: which run suggested them, at what doubt. */
function suggestedTable(data: ReportData): string {
  const groups = data.labelChanges.suggested;
  if (groups.length === 0) return '';
  const doubt = (min: number, max: number) =>
    min === max ? min.toFixed(2) : `${min.toFixed(2)}–${max.toFixed(2)}`;
  const rows = groups
    .map((g) =>
      row(
        [
          esc(g.from),
          esc(g.to),
          `run ${g.runId}`,
          esc(g.suggested),
          doubt(g.minDoubt, g.maxDoubt),
          String(g.count),
        ],
        ` data-from="${esc(g.from)}" data-to="${esc(g.to)}" data-run="${g.runId}"`,
      ),
    )
    .join('');
  return (
    `<h3>From accepted suggestions</h3><table class="grid numbers" data-table="suggested"><thead><tr>` +
    ['label at import', 'label now', 'suggested by', 'suggested class', 'doubt', 'images']
      .map((h) => `<th scope="col">${h}</th>`)
      .join('') +
    `</tr></thead><tbody>${rows}</tbody></table>`
  );
}

/** Every history row by from → to and source, undos included: only when asked for (churn). */
function churnTable(data: ReportData): string {
  const rows = data.labelChanges.groups
    .map((g) =>
      row(
        [esc(g.from ?? '—'), esc(g.to), esc(g.source), String(g.count), String(g.sinceRun)],
        ` data-from="${esc(g.from ?? '')}" data-to="${esc(g.to)}" data-source="${esc(g.source)}"`,
      ),
    )
    .join('');
  return (
    `<h3>Every change, undos included</h3><table class="grid numbers" data-table="churn"><thead><tr>` +
    ['from', 'to', 'source', 'changes', 'since this run']
      .map((h) => `<th scope="col">${h}</th>`)
      .join('') +
    `</tr></thead><tbody>${rows}</tbody></table>`
  );
}

export function balanceTable(data: ReportData): string {
  const rows = CLASS_NAMES.map((name) => {
    const b = data.balance[name];
    return row([name, String(b.train), String(b.val), String(b.test)], ` data-class="${name}"`);
  }).join('');
  return (
    `<table class="grid numbers"><thead><tr>` +
    ['class', 'train', 'validation', 'test'].map((h) => `<th scope="col">${h}</th>`).join('') +
    `</tr></thead><tbody>${rows}</tbody></table>`
  );
}
