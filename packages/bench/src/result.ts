/** One row of the report; `ratio` and `target` are informative: a miss never fails the run. */
export interface BenchResult {
  scenario: string;
  unit: string;
  measured: number;
  baseline: number | null;
  baselineLabel: string;
  ratio: number | null;
  target: string;
  pass: boolean;
  details: Record<string, number | string>;
}

const fmt = (value: number | null) =>
  value === null
    ? '-'
    : Number.isInteger(value) || Math.abs(value) >= 100
      ? value.toFixed(0)
      : Math.abs(value) >= 1
        ? value.toFixed(2)
        : value.toFixed(3);

export function formatTable(results: readonly BenchResult[]): string {
  const header = ['scenario', 'measured', 'baseline', 'ratio', 'target', 'result'];
  const rows = results.map((r) => [
    r.scenario,
    `${fmt(r.measured)} ${r.unit}`,
    r.baseline === null ? '-' : `${fmt(r.baseline)} (${r.baselineLabel})`,
    fmt(r.ratio),
    r.target,
    r.pass ? 'pass' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const details = results.map(
    (r) =>
      `  ${r.scenario}: ${Object.entries(r.details)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`)
        .join(', ')}`,
  );
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
    'details:',
    ...details,
  ].join('\n');
}
