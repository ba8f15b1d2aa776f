/** Line coverage per directory as a recharts bar chart (loaded apart: see chart-loader.ts). */
import { startTransition, useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import { STRIDE, band, ratio, relativeTo, unpackTotals, type ReportSummary } from './report-view';

/**
 * recharts mounts each part through a chain of store updates that React runs at once; one
 * part per task (the chart, each axis, the bars, the grid, the tooltip) keeps each task short.
 */
const PARTS = 5;

export function DirectoryChart({ summary }: { summary: ReportSummary }) {
  const [parts, setParts] = useState(0);
  useEffect(() => {
    if (parts >= PARTS) return;
    const t = setTimeout(() => startTransition(() => setParts((p) => p + 1)), 0);
    return () => clearTimeout(t);
  }, [parts]);
  const data = summary.directories.map((d, i) => {
    const t = unpackTotals(summary.directoryTotals, i * STRIDE);
    return { name: relativeTo(summary.root, d), lines: Math.max(0, ratio(t.lines)), band: band(t.lines) };
  });
  const colour = { hi: '#2e7d32', med: '#b58900', lo: '#c62828', none: '#8a94a0' };
  return (
    <figure className="chart" data-testid="directory-chart" data-complete={parts >= PARTS}>
      <figcaption>Line coverage per directory (%)</figcaption>
      <BarChart width={640} height={60 + data.length * 28} data={data} layout="vertical" accessibilityLayer>
        {/* fixed ticks (interval 0): recharts measures no tick text */}
        {parts >= 1 ? (
          <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} interval={0} />
        ) : null}
        {parts >= 2 ? <YAxis type="category" dataKey="name" width={160} interval={0} /> : null}
        {parts >= 3 ? (
          <Bar dataKey="lines" name="Lines" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={colour[d.band]} />
            ))}
          </Bar>
        ) : null}
        {parts >= 4 ? <CartesianGrid strokeDasharray="3 3" horizontal={false} /> : null}
        {parts >= 5 ? <Tooltip formatter={(v) => `${Number(v).toFixed(1)}%`} /> : null}
      </BarChart>
    </figure>
  );
}
