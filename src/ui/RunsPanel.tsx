/**
 * Several images or .gcda sets: the runs by name, merged into one report or compared as snapshots
 * (first → last: B − A per line, what only B covered), and a chart of the coverage of
 * each snapshot. Everything comes computed from the worker (src/model/runs-view.ts).
 */
import { useState } from 'react';
import { useCharts } from './chart-loader';
import type { RunsChoice, RunsSummary } from '../model/runs-view';
import { percent } from '../model/summary';
import { KINDS, formatHash, relativeTo } from './report-view';

const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

function DiffView({ diff, root }: { diff: NonNullable<RunsSummary['diff']>; root: string }) {
  const [onlyB, setOnlyB] = useState(true);
  const lines = onlyB
    ? diff.lines.filter((l) => l.onlyB || l.branchesOnlyB > 0 || l.conditionsOnlyB > 0)
    : diff.lines;
  return (
    <div className="diff">
      <table className="totals" aria-label="Snapshot totals" data-testid="diff-totals">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">A: {diff.a}</th>
            <th scope="col">B: {diff.b}</th>
            <th scope="col">B − A</th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map((k) => (
            <tr key={k} data-kind={k}>
              <th scope="row">{k}</th>
              <td className="num" data-cell="a">
                {diff.totalsA[k].hit}/{diff.totalsA[k].found} {percent(diff.totalsA[k])}
              </td>
              <td className="num" data-cell="b">
                {diff.totalsB[k].hit}/{diff.totalsB[k].found} {percent(diff.totalsB[k])}
              </td>
              <td className="num" data-cell="delta">
                {signed(diff.totalsB[k].hit - diff.totalsA[k].hit)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="only-b">
        Covered only in B: <span data-count="lines">{diff.onlyB.lines}</span> lines,{' '}
        <span data-count="branches">{diff.onlyB.branches}</span> branches,{' '}
        <span data-count="conditions">{diff.onlyB.conditions}</span> condition outcomes.
      </p>
      {diff.left.length > 0 ? (
        <ul className="left-out" aria-label="Objects left out">
          {diff.left.map((o) => (
            <li key={o.data}>
              <code>{o.data}</code>: {o.reason ?? o.status}
            </li>
          ))}
        </ul>
      ) : null}
      <label>
        <input type="checkbox" checked={onlyB} onChange={(e) => setOnlyB(e.currentTarget.checked)} /> Covered
        only in B
      </label>
      <table data-testid="diff-lines" className="diff-lines">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">A</th>
            <th scope="col">B</th>
            <th scope="col">B − A</th>
            <th scope="col">Only in B</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr
              key={`${l.path}:${l.line}`}
              data-key={`${l.path}:${l.line}`}
              className={l.onlyB ? 'only-b' : ''}
            >
              <td>
                <a href={formatHash(l.path, l.line)}>
                  {relativeTo(root, l.path)}:{l.line}
                </a>
              </td>
              <td className="num" data-cell="a">
                {l.a}
              </td>
              <td className="num" data-cell="b">
                {l.b}
              </td>
              <td className="num" data-cell="delta">
                {signed(l.delta)}
              </td>
              <td>
                {[
                  l.onlyB ? 'line' : '',
                  l.branchesOnlyB ? `${l.branchesOnlyB} branches` : '',
                  l.conditionsOnlyB ? `${l.conditionsOnlyB} conditions` : '',
                ]
                  .filter(Boolean)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RunsPanel({
  runs,
  root,
  busy,
  onChoose,
}: {
  runs: RunsSummary;
  root: string;
  busy: boolean;
  onChoose: (c: RunsChoice) => void;
}) {
  const charts = useCharts();
  return (
    <section aria-labelledby="runs-title" className="runs" data-testid="runs">
      <h2 id="runs-title">Runs ({runs.runs.length})</h2>
      <table aria-label="Runs" data-testid="run-list">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Name</th>
            <th scope="col">Lines</th>
            <th scope="col">Branches</th>
            <th scope="col">Conditions</th>
            <th scope="col">Build</th>
          </tr>
        </thead>
        <tbody>
          {runs.runs.map((r, i) => (
            <tr key={r.name} data-run={r.name}>
              <td className="num">{i + 1}</td>
              <td>
                <code>{r.name}</code>
              </td>
              <td className="num" data-cell="lines">
                {r.totals.lines.hit}/{r.totals.lines.found}
              </td>
              <td className="num">{percent(r.totals.branches)}</td>
              <td className="num">{percent(r.totals.conditions)}</td>
              <td>{i === 0 ? 'first' : r.sameBuild ? 'same as the first' : 'another build'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset className="runs-mode" disabled={busy}>
        <legend>Several runs</legend>
        <label>
          <input
            type="radio"
            name="runs-mode"
            checked={runs.mode === 'merge'}
            onChange={() => onChoose({ mode: 'merge', partial: false })}
          />{' '}
          Merge them (arcs add, conditions OR)
        </label>
        <label>
          <input
            type="radio"
            name="runs-mode"
            checked={runs.mode === 'diff'}
            onChange={() => onChoose({ mode: 'diff', partial: runs.partial })}
          />{' '}
          Compare snapshots (first → last)
        </label>
        {runs.mode === 'diff' && (runs.refused || runs.partial) ? (
          <label>
            <input
              type="checkbox"
              checked={runs.partial}
              onChange={(e) => onChoose({ mode: 'diff', partial: e.currentTarget.checked })}
            />{' '}
            Compare the objects that match, list the others
          </label>
        ) : null}
      </fieldset>
      {runs.refused ? (
        <p className="problem" data-testid="runs-refused">
          {runs.refused}
        </p>
      ) : null}
      {runs.warnings.map((w) => (
        <p key={w} className="warning" data-testid="runs-warning">
          {w}
        </p>
      ))}
      {charts ? <charts.SeriesChart runs={runs.runs} /> : null}
      {runs.diff ? <DiffView diff={runs.diff} root={root} /> : null}
      {runs.diff ? <p className="hint">The report below is snapshot B&apos;s.</p> : null}
      {runs.mode === 'merge' && !runs.refused ? (
        <p className="hint">
          The report below is the merged one; a file&apos;s view names the runs that executed each line.
        </p>
      ) : null}
    </section>
  );
}
