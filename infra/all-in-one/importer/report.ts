// The importer's running counts, its progress line and its final summary.
import type { FormatName } from './formats/format.ts';

export interface ImportCounts {
  rowsRead: number;
  /** events the mapper produced */
  eventsMapped: number;
  /** events the collector or Kafka accepted */
  eventsSent: number;
  sentByType: Record<string, number>;
  /** rows that produced no event, by reason */
  skippedRows: Record<string, number>;
  /** events the collector (or the contract check before Kafka) refused, by reason */
  rejectedEvents: Record<string, number>;
  /** first refusal detail per reason */
  rejectedExamples: Record<string, string>;
}

export const emptyCounts = (): ImportCounts => ({
  rowsRead: 0,
  eventsMapped: 0,
  eventsSent: 0,
  sentByType: {},
  skippedRows: {},
  rejectedEvents: {},
  rejectedExamples: {},
});

const n = (value: number): string => value.toLocaleString('en-US');
const total = (record: Record<string, number>): number => Object.values(record).reduce((a, b) => a + b, 0);
const breakdown = (record: Record<string, number>): string => {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length === 0 ? '' : `  (${entries.map(([k, v]) => `${k} ${n(v)}`).join(' · ')})`;
};

export interface ProgressState {
  phase: 'reading' | 'sending' | 'done';
  counts: ImportCounts;
  elapsedMs: number;
  /** share of the file read, 0–1, when known */
  fileShare?: number;
  /** events still waiting for their replay time */
  pending?: number;
}

export function formatProgress(state: ProgressState): string {
  const { counts } = state;
  const rate = state.elapsedMs > 0 ? Math.round((counts.eventsSent * 1000) / state.elapsedMs) : 0;
  const parts = [
    state.fileShare === undefined ? state.phase : `${state.phase} ${Math.floor(state.fileShare * 100)}%`,
    `${n(counts.rowsRead)} rows`,
    `${n(counts.eventsSent)} events sent`,
    ...(state.pending !== undefined ? [`${n(state.pending)} waiting`] : []),
    `${n(total(counts.skippedRows))} rows skipped`,
    `${n(total(counts.rejectedEvents))} events refused`,
    `${n(rate)} events/s`,
  ];
  return parts.join(' · ');
}

export interface SummaryInput {
  file: string;
  format: FormatName;
  via: 'collector' | 'kafka';
  target: string;
  timing: string;
  counts: ImportCounts;
  elapsedMs: number;
}

export function formatSummary(s: SummaryInput): string {
  const { counts } = s;
  const lines = [
    `imported ${s.file} (${s.format}) via ${s.via} (${s.target}), ${s.timing}`,
    `  rows read        ${n(counts.rowsRead)}`,
    `  events sent      ${n(counts.eventsSent)}${breakdown(counts.sentByType)}`,
    `  rows skipped     ${n(total(counts.skippedRows))}${breakdown(counts.skippedRows)}`,
    `  events refused   ${n(total(counts.rejectedEvents))}${breakdown(counts.rejectedEvents)}`,
    ...Object.entries(counts.rejectedExamples).map(([reason, detail]) => `    ${reason}: ${detail}`),
    `  took             ${(s.elapsedMs / 1000).toFixed(1)} s`,
  ];
  return lines.join('\n');
}
