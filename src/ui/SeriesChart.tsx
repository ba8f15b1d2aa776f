/** The coverage of each run or snapshot as a recharts line chart (loaded apart: see chart-loader.ts). */
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunsSummary } from '../model/runs-view';
import { ratio } from './report-view';

export function SeriesChart({ runs }: { runs: RunsSummary['runs'] }) {
  const data = runs.map((r, i) => ({
    name: `${i + 1}`,
    run: r.name,
    lines: Math.max(0, ratio(r.totals.lines)),
    branches: Math.max(0, ratio(r.totals.branches)),
    conditions: Math.max(0, ratio(r.totals.conditions)),
  }));
  return (
    <figure className="chart" data-testid="series-chart">
      <figcaption>Coverage per snapshot (%)</figcaption>
      <LineChart width={640} height={220} data={data} accessibilityLayer>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="name" />
        <YAxis domain={[0, 100]} />
        <Tooltip
          formatter={(v) => `${Number(v).toFixed(1)}%`}
          labelFormatter={(l, p) => String(p[0]?.payload?.run ?? l)}
        />
        <Legend />
        <Line dataKey="lines" name="Lines" stroke="#1565c0" isAnimationActive={false} />
        <Line dataKey="branches" name="Branches" stroke="#2e7d32" isAnimationActive={false} />
        <Line dataKey="conditions" name="Conditions" stroke="#b58900" isAnimationActive={false} />
      </LineChart>
    </figure>
  );
}
