/**
 * The coverage report in the page: totals, a chart per directory, the file table and the
 * file view. Everything shown comes packed from the worker (src/ui/report-view.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Count } from '../model/report';
import { percent } from '../model/summary';
import { useCharts } from './chart-loader';
import { ExclusionsPanel } from './Exclusions';
import { FileView } from './FileView';
export { RunsPanel } from './RunsPanel';
import { BandMark, TotalsTable } from './Totals';
import {
  BAND_TEXT,
  LINE_TEXT,
  filterRows,
  fileRows,
  formatHash,
  groupByDirectory,
  parseHash,
  relativeTo,
  sortRows,
  type FileDetail,
  type ReportSummary,
  type SortKey,
  type SortSpec,
} from './report-view';

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'File' },
  { key: 'lines.hit', label: 'Lines hit' },
  { key: 'lines.found', label: 'Lines' },
  { key: 'lines.ratio', label: 'Lines %' },
  { key: 'functions.ratio', label: 'Functions %' },
  { key: 'branches.ratio', label: 'Branches %' },
  { key: 'conditions.ratio', label: 'Conditions %' },
];

function FileTable({ summary }: { summary: ReportSummary }) {
  const rows = useMemo(() => fileRows(summary), [summary]);
  const [sort, setSort] = useState<SortSpec>({ key: 'name', descending: false });
  const [text, setText] = useState('');
  const [below, setBelow] = useState('');
  const limit = below.trim() === '' ? undefined : Number(below);
  const shown = groupByDirectory(
    sortRows(
      filterRows(rows, { text, ...(limit !== undefined && Number.isFinite(limit) ? { below: limit } : {}) }),
      sort,
    ),
  );
  const cell = (c: Count) => (
    <td className="num">
      <BandMark c={c} /> {percent(c)}
    </td>
  );
  return (
    <section aria-labelledby="files-title" className="file-table">
      <h3 id="files-title">Files</h3>
      <div className="filters">
        <label>
          Filter by name <input type="search" value={text} onChange={(e) => setText(e.currentTarget.value)} />
        </label>
        <label>
          Only files below{' '}
          <input
            type="number"
            min={0}
            max={100}
            value={below}
            onChange={(e) => setBelow(e.currentTarget.value)}
          />{' '}
          % lines
        </label>
      </div>
      <table data-testid="file-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button
                  type="button"
                  className="sort"
                  onClick={() =>
                    setSort((s) => ({
                      key: c.key,
                      descending: s.key === c.key ? !s.descending : c.key !== 'name',
                    }))
                  }
                >
                  {c.label}
                  <span aria-hidden="true">{sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        {shown.map((g) => (
          <tbody key={g.dir}>
            <tr className="dir">
              <th scope="rowgroup" colSpan={COLUMNS.length}>
                {g.dir}
              </th>
            </tr>
            {g.rows.map((r) => (
              <tr key={r.path} data-path={r.path}>
                <td>
                  <a href={formatHash(r.path)}>{r.name}</a>
                  {r.source ? null : (
                    <span className="hint" title="no source file dropped for it">
                      {' '}
                      (no source)
                    </span>
                  )}
                </td>
                <td className="num">{r.totals.lines.hit}</td>
                <td className="num">{r.totals.lines.found}</td>
                {cell(r.totals.lines)}
                {cell(r.totals.functions)}
                {cell(r.totals.branches)}
                {cell(r.totals.conditions)}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      {shown.length === 0 ? <p>No file matches.</p> : null}
    </section>
  );
}

/**
 * How much of the report is mounted: the totals first, then (each in a later task, so no
 * single task mounts all of it) the chart and an open file, then the file table.
 */
function useStage(last: number): number {
  const [stage, setStage] = useState(0);
  useEffect(() => {
    if (stage >= last) return;
    const t = setTimeout(() => setStage((s) => s + 1), 0);
    return () => clearTimeout(t);
  }, [stage, last]);
  return stage;
}

export function ReportView({
  summary,
  loadFile,
  loadRuns,
}: {
  summary: ReportSummary;
  loadFile: (path: string) => Promise<FileDetail | undefined>;
  loadRuns?: (path: string) => Promise<ReadonlyMap<number, string> | undefined>;
}) {
  const [hash, setHash] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setHash(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const open = hash.file && summary.files.includes(hash.file) ? hash.file : undefined;
  // a new report (more files given) reloads the open file
  const generation = useRef({ summary, n: 0 });
  if (generation.current.summary !== summary) generation.current = { summary, n: generation.current.n + 1 };
  const stage = useStage(2);
  const charts = useCharts();
  return (
    <section aria-labelledby="report-title" className="report">
      <h2 id="report-title">Coverage</h2>
      <p>
        {summary.notes} .gcno, {summary.data} .gcda, {summary.matched} matched, {summary.files.length} source
        files under <code>{summary.root}</code>.
      </p>
      <TotalsTable totals={summary.totals} label="Total coverage" testId="report-totals" />
      {summary.exclusions ? <ExclusionsPanel view={summary.exclusions} totals={summary.totals} /> : null}
      <p className="hint legend">
        {BAND_TEXT.hi.symbol} high: 90 % or more, {BAND_TEXT.med.symbol} medium: 75 % or more,{' '}
        {BAND_TEXT.lo.symbol} low: below 75 % (genhtml&apos;s limits). Lines: {LINE_TEXT.covered.symbol}{' '}
        covered, {LINE_TEXT.partial.symbol} partly covered, {LINE_TEXT.uncovered.symbol} not covered;
        branches: + taken, − not taken, # never reached; * some block not executed.
      </p>
      {stage >= 1 && charts ? <charts.DirectoryChart summary={summary} /> : null}
      {open && stage >= 1 ? (
        <FileView
          key={`${generation.current.n}:${open}`}
          path={open}
          name={relativeTo(summary.root, open)}
          line={hash.line}
          loadFile={loadFile}
          loadRuns={loadRuns}
          onClose={() => {
            history.pushState(null, '', window.location.pathname + window.location.search);
            setHash({});
          }}
          onLine={(line) => history.replaceState(null, '', formatHash(open, line))}
        />
      ) : null}
      {stage >= 2 ? <FileTable summary={summary} /> : null}
    </section>
  );
}
