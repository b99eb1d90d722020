import type Database from 'better-sqlite3';
import { CLASS_NAMES, type ClassName } from '../contract/classes.ts';

export interface LabelChangeGroup {
  /** null for a history row without a previous label. */
  from: string | null;
  to: string;
  /** manual | suggestion | undo | redo (import rows are not changes). */
  source: string;
  count: number;
  /** Of `count`, how many were made after the run took its label snapshot. */
  sinceRun: number;
}

/** Images whose current label differs from their label at import, by import label → current. */
export interface NetLabelChange {
  from: string;
  to: string;
  count: number;
  /** Of `count`, images of this run whose label changed after the run took its snapshot. */
  sinceRun: number;
}

/** Net changes that came from accepted suggestions, by import label → label now and origin. */
export interface SuggestedChange {
  from: string;
  to: string;
  /** The run whose ranking suggested it. */
  runId: number;
  suggested: string;
  count: number;
  /** The range of the suggestions' doubt, 0…1. */
  minDoubt: number;
  maxDoubt: number;
}

export interface LabelChangeSummary {
  /** When the run took its label snapshot (its creation time). */
  snapshotAt: string;
  /** Every relabel, undo and redo in the catalogue's history. */
  total: number;
  /** Of those, made after the snapshot. */
  sinceRun: number;
  /** Images of the run (train, val or test) whose current label differs from the snapshot's. */
  differFromSnapshot: number;
  /** Net effect of the history: an undone relabel is no change. */
  net: NetLabelChange[];
  /** Images in `net`. */
  netTotal: number;
  /** Every history row summed by from → to and source (the churn, undos included). */
  groups: LabelChangeGroup[];
  /** Of `net`, the changes whose last edit was an accepted suggestion, with where it came from. */
  suggested: SuggestedChange[];
}

export type ClassBalance = Record<ClassName, { train: number; val: number; test: number }>;

/** Label history (catalogue `label_history`) summed by from → to and source, against the run's snapshot. */
export function summariseLabelChanges(
  db: Database.Database,
  runId: number,
  snapshotAt: string,
): LabelChangeSummary {
  // ISO timestamps from the same clock compare as strings.
  const groups = (
    db
      .prepare(
        `SELECT from_label AS "from", to_label AS "to", source, count(*) AS count,
                sum(CASE WHEN at >= ? THEN 1 ELSE 0 END) AS sinceRun
         FROM label_history WHERE source != 'import'
         GROUP BY from_label, to_label, source ORDER BY count DESC, from_label, to_label, source`,
      )
      .all(snapshotAt) as LabelChangeGroup[]
  ).map((g) => ({ ...g, sinceRun: g.sinceRun ?? 0 }));
  const differFromSnapshot = db
    .prepare(
      `SELECT count(*) FROM run_images r JOIN labels l ON l.image_id = r.image_id
       WHERE r.run_id = ? AND r.label != l.label`,
    )
    .pluck()
    .get(runId) as number;
  const net = (
    db
      .prepare(
        `SELECT i.original_label AS "from", l.label AS "to", count(*) AS count,
                sum(CASE WHEN r.label IS NOT NULL AND r.label != l.label THEN 1 ELSE 0 END) AS sinceRun
         FROM images i JOIN labels l ON l.image_id = i.id
         LEFT JOIN run_images r ON r.image_id = i.id AND r.run_id = ?
         WHERE i.original_label != l.label
         GROUP BY i.original_label, l.label ORDER BY count DESC, i.original_label, l.label`,
      )
      .all(runId) as NetLabelChange[]
  ).map((g) => ({ ...g, sinceRun: g.sinceRun ?? 0 }));
  // Each changed image's latest history row says whether a suggestion put its label there.
  const suggested = db
    .prepare(
      `SELECT i.original_label AS "from", l.label AS "to", h.source_run AS runId, h.suggested,
              count(*) AS count, min(h.doubt) AS minDoubt, max(h.doubt) AS maxDoubt
       FROM images i JOIN labels l ON l.image_id = i.id
       JOIN label_history h ON h.id = (SELECT max(id) FROM label_history WHERE image_id = i.id)
       WHERE i.original_label != l.label AND h.source_run IS NOT NULL
       GROUP BY i.original_label, l.label, h.source_run, h.suggested
       ORDER BY count DESC, i.original_label, l.label`,
    )
    .all() as SuggestedChange[];
  return {
    snapshotAt,
    suggested,
    net,
    netTotal: net.reduce((sum, g) => sum + g.count, 0),
    total: groups.reduce((sum, g) => sum + g.count, 0),
    sinceRun: groups.reduce((sum, g) => sum + g.sinceRun, 0),
    differFromSnapshot,
    groups,
  };
}

/** Images per class and role in the run's label snapshot. */
export function classBalance(db: Database.Database, runId: number): ClassBalance {
  const balance = Object.fromEntries(
    CLASS_NAMES.map((name) => [name, { train: 0, val: 0, test: 0 }]),
  ) as ClassBalance;
  const rows = db
    .prepare(
      'SELECT label, role, count(*) AS n FROM run_images WHERE run_id = ? GROUP BY label, role',
    )
    .all(runId) as { label: string; role: 'train' | 'val' | 'test'; n: number }[];
  for (const row of rows) {
    const entry = balance[row.label as ClassName] as ClassBalance[ClassName] | undefined;
    if (entry) entry[row.role] = row.n;
  }
  return balance;
}
