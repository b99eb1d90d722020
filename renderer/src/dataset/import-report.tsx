import type { ImportReport } from '../../../app/contract/index.ts';
import { formatCount } from '../format.ts';

export function ImportReportView(props: { report: ImportReport }) {
  const { report } = props;
  const skipped = Object.entries(report.skipped).filter(([, n]) => n > 0);
  const skippedTotal = skipped.reduce((sum, [, n]) => sum + n, 0);
  const mapped = Object.entries(report.mappedFolders);
  const facts: [string, string, number][] = [
    ['imported', 'Imported', report.imported],
    ['duplicates', 'Duplicates', report.duplicates],
    ['resized', 'Resized to 48×48', report.resized],
    ['converted', 'Converted to grayscale', report.converted],
    ['skipped', 'Skipped', skippedTotal],
  ];
  return (
    <div className="report" data-testid="import-report" data-cancelled={report.cancelled}>
      <h3>{report.cancelled ? 'Import cancelled' : 'Import finished'}</h3>
      <p className="muted">
        {report.folder} ·{' '}
        {report.layout === 'folders'
          ? 'train/test taken from the folders'
          : 'test split drawn by fraction (seeded, per class)'}{' '}
        · {report.seconds.toFixed(1)} s
      </p>
      <dl className="report-facts">
        {facts.map(([key, title, value]) => (
          <div key={key}>
            <dt>{title}</dt>
            <dd data-testid={`report-${key}`}>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
      {mapped.length > 0 && (
        <section>
          <h4>Folders mapped by synonym</h4>
          <ul className="plain-list" data-testid="report-mapped">
            {mapped.map(([folder, name]) => (
              <li key={folder}>
                <code>{folder}</code> → {name}
              </li>
            ))}
          </ul>
        </section>
      )}
      <DuplicateFiles count={report.duplicates} files={report.duplicateFiles ?? []} />
      {skipped.length > 0 && (
        <section>
          <h4>Skipped by reason</h4>
          <ul className="plain-list" data-testid="report-skipped">
            {skipped.map(([reason, n]) => (
              <li key={reason}>
                {reason}: {formatCount(n)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {report.problems.length > 0 && (
        <section>
          <h4>Problems ({report.problems.length})</h4>
          <div className="problems">
            <table data-testid="report-problems">
              <thead>
                <tr>
                  <th>File</th>
                  <th>Reason</th>
                  <th>Detail</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.map((problem, i) => (
                  <tr key={`${problem.file}-${i}`}>
                    <td>
                      <code>{problem.file}</code>
                    </td>
                    <td>{problem.reason}</td>
                    <td className="muted">{problem.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}

/** Each skipped duplicate beside the catalogue file that already holds its pixels. */
export function DuplicateFiles(props: {
  count: number;
  files: NonNullable<ImportReport['duplicateFiles']>;
}) {
  const { files } = props;
  if (files.length === 0) return null;
  const more = props.count - files.length;
  return (
    <details data-testid="report-duplicate-files">
      <summary>
        Show the {formatCount(props.count)} duplicate {props.count === 1 ? 'file' : 'files'}
      </summary>
      <ul className="plain-list">
        {files.map((d) => (
          <li key={d.file}>
            <code>{d.file}</code> <span className="muted">same image as</span>{' '}
            <code>{d.keptFile}</code> <span className="muted">(#{d.imageId})</span>
          </li>
        ))}
      </ul>
      {more > 0 && <p className="muted">…and {formatCount(more)} more.</p>}
    </details>
  );
}
