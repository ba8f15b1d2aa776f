/** Totals with hit, total, percentage and genhtml's band as a symbol and a word. */
import type { Count, Totals } from '../model/report';
import { percent } from '../model/summary';
import { BAND_TEXT, KINDS, band, type Kind } from './report-view';

const KIND_TEXT: Record<Kind, string> = {
  lines: 'Lines',
  functions: 'Functions',
  branches: 'Branches',
  conditions: 'Conditions',
};

export function BandMark({ c }: { c: Count }) {
  const b = band(c);
  return (
    <span className={`band band-${b}`} title={BAND_TEXT[b].label}>
      <span aria-hidden="true">{BAND_TEXT[b].symbol}</span>
      <span className="visually-hidden">{BAND_TEXT[b].label}</span>
    </span>
  );
}

export function TotalsTable({ totals, label, testId }: { totals: Totals; label: string; testId: string }) {
  return (
    <table className="totals" aria-label={label} data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Hit</th>
          <th scope="col">Total</th>
          <th scope="col">Coverage</th>
        </tr>
      </thead>
      <tbody>
        {KINDS.map((k) => (
          <tr key={k} data-kind={k} className={`band-${band(totals[k])}`}>
            <th scope="row">{KIND_TEXT[k]}</th>
            <td className="num" data-cell="hit">
              {totals[k].hit}
            </td>
            <td className="num" data-cell="found">
              {totals[k].found}
            </td>
            <td className="num" data-cell="percent">
              <BandMark c={totals[k]} /> {percent(totals[k])}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
