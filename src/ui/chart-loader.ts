/**
 * recharts, loaded only when the report shows a chart. Importing it at once would evaluate
 * some 400 KB of modules in one task on the main thread; instead the packages it builds on
 * are imported first, one per task (a later import reuses what is already evaluated).
 */
import { startTransition, useEffect, useState } from 'react';
type Charts = typeof import('./charts');

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

const STEPS: (() => Promise<unknown>)[] = [
  () => import('decimal.js-light'),
  () => import('immer'),
  () => import('reselect'),
  () => import('@reduxjs/toolkit'),
  () => import('react-redux'),
  () => import('victory-vendor/d3-scale'),
  () => import('victory-vendor/d3-shape'),
];

let loading: Promise<Charts> | undefined;

export function loadCharts(): Promise<Charts> {
  loading ??= (async () => {
    for (const step of STEPS) {
      await step();
      await nextTask();
    }
    return import('./charts');
  })();
  return loading;
}

/** The chart components once loaded (undefined until then). */
export function useCharts(): Charts | undefined {
  const [chart, setChart] = useState<{ c: Charts } | undefined>();
  useEffect(() => {
    let live = true;
    // a transition: recharts' first render (much of its code running for the first time) is
    // done in time slices instead of one task
    void loadCharts().then((c) => live && startTransition(() => setChart({ c })));
    return () => {
      live = false;
    };
  }, []);
  return chart?.c;
}
