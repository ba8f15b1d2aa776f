/**
 * Excluded code in the page: totals with and without exclusions, stale justifications,
 * excluded code that ran, and the note on an excluded line (a symbol and its reason in
 * words, so colour is never the only sign).
 */
import type { Totals } from '../model/report';
import { percent } from '../model/summary';
import type { ExcludedLineView, ExclusionsView } from './exclusions-view';
import { KINDS } from './report-view';

export const EXCLUDED_SYMBOL = '⊘';
export const EXECUTED_SYMBOL = '⚠';

const KIND_TEXT = { lines: 'Lines', functions: 'Functions', branches: 'Branches', conditions: 'Conditions' };

export function ExclusionTotals({
  all,
  after,
  label,
  testId,
}: {
  all: Totals;
  after: Totals;
  label: string;
  testId: string;
}) {
  return (
    <table className="totals exclusion-totals" aria-label={label} data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">All code: hit / total</th>
          <th scope="col">All code</th>
          <th scope="col">Without excluded: hit / total</th>
          <th scope="col">Without excluded</th>
        </tr>
      </thead>
      <tbody>
        {KINDS.map((k) => (
          <tr key={k} data-kind={k}>
            <th scope="row">{KIND_TEXT[k]}</th>
            <td className="num" data-cell="all">
              {all[k].hit} / {all[k].found}
            </td>
            <td className="num">{percent(all[k])}</td>
            <td className="num" data-cell="after">
              {after[k].hit} / {after[k].found}
            </td>
            <td className="num">{percent(after[k])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ExclusionsPanel({ view, totals }: { view: ExclusionsView; totals: Totals }) {
  return (
    <section aria-labelledby="exclusions-title" className="exclusions" data-testid="exclusions">
      <h3 id="exclusions-title">Exclusions</h3>
      <p>
        {view.excludedLines} lines excluded; markers {view.markers ? 'read from the sources' : 'off'}
        {view.justificationFile !== undefined ? (
          <>
            ; justification file <code>{view.justificationFile}</code>: {view.applied} applied,{' '}
            {view.stale.length} stale
          </>
        ) : null}
        . {EXCLUDED_SYMBOL} marks an excluded line in the file view, with its reason.
      </p>
      <ExclusionTotals
        all={totals}
        after={view.afterExclusions}
        label="Totals with and without exclusions"
        testId="exclusion-totals"
      />
      {view.stale.length > 0 ? (
        <>
          <h4>Stale justifications (they match no code any more)</h4>
          <ul data-testid="stale">
            {view.stale.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </>
      ) : null}
      {view.executed.length > 0 ? (
        <>
          <h4>
            <span aria-hidden="true">{EXECUTED_SYMBOL}</span> Excluded but executed
          </h4>
          <ul data-testid="excluded-executed">
            {view.executed.map((e) => (
              <li key={`${e.path}:${e.line}:${e.text}`}>
                <a href={`#${new URLSearchParams({ file: e.path, line: String(e.line) }).toString()}`}>
                  {e.path}:{e.line}
                </a>{' '}
                ran {e.count} times ({e.text})
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** The note on an excluded line. */
export function ExcludedNote({ ex }: { ex: ExcludedLineView }) {
  const what = ex.scope === 'line' ? 'excluded' : 'branches excluded';
  return (
    <span className="excluded-note" data-testid="excluded-reason" title={`${what}: ${ex.text}`}>
      <span aria-hidden="true">{EXCLUDED_SYMBOL}</span> {what}: {ex.text}
      {ex.executed ? (
        <span className="excluded-ran">
          {' '}
          <span aria-hidden="true">{EXECUTED_SYMBOL}</span> excluded but executed
        </span>
      ) : null}
    </span>
  );
}
