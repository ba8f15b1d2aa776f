/** Line coverage per directory as a recharts bar chart (loaded apart: see chart-loader.ts). */
import { startTransition, useEffect, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import { STRIDE, band, ratio, relativeTo, unpackTotals, type ReportSummary } from './report-view';

/**
 * recharts mounts each part through a chain of store updates that React runs at once; one
 * part per task (the chart, each axis, the bars, the grid) keeps each task short. The
 * tooltip, the costliest part to mount, waits for the pointer or the keyboard to reach the
 * chart.
 */
const PARTS = 4;

const COLOUR = { hi: '#2e7d32', med: '#b58900', lo: '#c62828', none: '#8a94a0' };

/** What recharts gives a custom tick (the part of it used here). */
interface TickProps {
  x?: number | string;
  y?: number | string;
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit' | string;
  verticalAnchor?: string;
  payload?: { value?: unknown };
}

/**
 * A tick label as plain SVG text: recharts' own <Text> measures every label in the DOM to
 * wrap it, which costs more than the rest of the axis.
 */
function PlainTick({ x, y, textAnchor, verticalAnchor, payload }: TickProps) {
  return (
    <text
      x={x}
      y={y}
      textAnchor={textAnchor === 'start' || textAnchor === 'end' ? textAnchor : 'middle'}
      dominantBaseline={verticalAnchor === 'start' ? 'hanging' : 'central'}
      className="recharts-cartesian-axis-tick-value"
      fill="currentColor"
    >
      {String(payload?.value ?? '')}
    </text>
  );
}
const tick = (p: TickProps) => <PlainTick {...p} />;

export function DirectoryChart({ summary }: { summary: ReportSummary }) {
  const [parts, setParts] = useState(0);
  const [tooltip, setTooltip] = useState(false);
  useEffect(() => {
    if (parts >= PARTS) return;
    const t = setTimeout(() => startTransition(() => setParts((p) => p + 1)), 0);
    return () => clearTimeout(t);
  }, [parts]);
  const data = useMemo(
    () =>
      summary.directories.map((d, i) => {
        const t = unpackTotals(summary.directoryTotals, i * STRIDE);
        return { name: relativeTo(summary.root, d), lines: Math.max(0, ratio(t.lines)), band: band(t.lines) };
      }),
    [summary],
  );
  const wantTooltip = () => {
    if (!tooltip) startTransition(() => setTooltip(true));
  };
  return (
    <figure
      className="chart"
      data-testid="directory-chart"
      data-complete={parts >= PARTS}
      onPointerEnter={wantTooltip}
      onFocus={wantTooltip}
    >
      <figcaption>Line coverage per directory (%)</figcaption>
      <BarChart
        width={640}
        height={60 + data.length * 28}
        data={data}
        layout="vertical"
        margin={{ top: 5, right: 24, bottom: 5, left: 5 }}
        accessibilityLayer
      >
        {/* fixed ticks (interval 0): recharts measures no tick text */}
        {parts >= 1 ? (
          <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} interval={0} tick={tick} />
        ) : null}
        {parts >= 2 ? <YAxis type="category" dataKey="name" width={160} interval={0} tick={tick} /> : null}
        {parts >= 3 ? (
          <Bar dataKey="lines" name="Lines" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={COLOUR[d.band]} />
            ))}
          </Bar>
        ) : null}
        {parts >= 4 ? <CartesianGrid strokeDasharray="3 3" horizontal={false} /> : null}
        {tooltip ? <Tooltip formatter={(v) => `${Number(v).toFixed(1)}%`} /> : null}
      </BarChart>
    </figure>
  );
}
