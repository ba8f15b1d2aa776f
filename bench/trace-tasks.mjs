#!/usr/bin/env node
// Main-thread tasks of the app while `?example` loads, from a Chromium trace: every task of
// the page's main thread over a threshold with its wall time and its CPU (thread) time, and
// what ran in it (top-level functions / script evaluations). Uses the existing production
// build in dist/app (npx vite build first; scripts/make-example.sh for the example).
//
//   node bench/trace-tasks.mjs [--runs N] [--min MS]
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const runs = Number(opt('--runs', 3));
const min = Number(opt('--min', 15));
// --profile N: for tasks of more than N ms CPU, the functions that took most of it (self time
// from V8's sampling profiler; build with --minify false for readable names)
const profile = opt('--profile', undefined) === undefined ? undefined : Number(opt('--profile'));

const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
const origin = `http://127.0.0.1:${server.httpServer.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const maxima = [];
for (let r = 0; r < runs; r++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8.execute',
      ...(profile ? ['disabled-by-default-v8.cpu_profiler'] : []),
    ],
  });
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${origin}/?example`);
  await page.locator('[data-testid="file-table"]').waitFor({ timeout: 60000 });
  await page.locator('[data-testid="directory-chart"][data-complete="true"] svg').waitFor({ timeout: 60000 });
  await page.evaluate(
    () =>
      new Promise((res) =>
        requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(res))),
      ),
  );
  const longTasks = await page.evaluate(() => window.longTasks);
  const buf = await browser.stopTracing();
  const events = JSON.parse(buf.toString()).traceEvents;
  // the page's renderer main thread
  const pid = events.find((e) => e.name === 'v8.compileModule' && e.args?.data?.url?.startsWith(origin))?.pid;
  const names = events.filter(
    (e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain' && e.pid === pid,
  );
  const mains = new Set(names.map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => mains.has(`${e.pid}:${e.tid}`));
  const tasks = onMain.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.dur / 1000 >= min);
  console.log(`run ${r + 1}: longtask entries ${JSON.stringify(longTasks)}`);
  // the page's first script starts (about the document's time origin)
  const t0 = onMain.find((e) => e.name === 'v8.compileModule' || e.name === 'ParseHTML')?.ts ?? 0;
  let max = 0;
  for (const t of tasks) {
    const inside = onMain.filter(
      (e) => e.ph === 'X' && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= t.ts + t.dur && e !== t && e.dur > 2000,
    );
    const what = inside
      .filter((e) =>
        [
          'EvaluateScript',
          'v8.evaluateModule',
          'FunctionCall',
          'TimerFire',
          'FireAnimationFrame',
          'ParseHTML',
          'Layout',
          'UpdateLayoutTree',
          'Paint',
          'v8.compileModule',
          'RunMicrotasks',
          'EventDispatch',
          'V8.GC_MC_BACKGROUND',
          'MajorGC',
          'MinorGC',
          'PrePaint',
          'Commit',
        ].includes(e.name),
      )
      .map((e) => {
        const d = e.args?.data ?? {};
        const where = d.url ? d.url.replace(/.*\//, '') : d.functionName || d.type || '';
        const cpu = e.tdur ? `/${(e.tdur / 1000).toFixed(1)}` : '';
        return `${e.name}${where ? `(${where}${d.lineNumber ? `:${d.lineNumber}` : ''})` : ''} ${(e.dur / 1000).toFixed(1)}${cpu}`;
      });
    max = Math.max(max, (t.tdur ?? t.dur) / 1000);
    console.log(
      `  at ${((t.ts - t0) / 1000).toFixed(0)} ms: task ${(t.dur / 1000).toFixed(1)} ms wall, ${((t.tdur ?? 0) / 1000).toFixed(1)} ms cpu: ${what.join(' | ')}`,
    );
  }
  if (profile !== undefined) {
    const nodes = new Map();
    const samples = [];
    const mainTid = [...mains][0]?.split(':')[1];
    const ids = new Set(
      events.filter((x) => x.name === 'Profile' && `${x.tid}` === mainTid && x.pid === pid).map((x) => x.id),
    );
    for (const e of events.filter(
      (x) => x.pid === pid && (x.name === 'Profile' || x.name === 'ProfileChunk') && ids.has(x.id),
    )) {
      const d = e.args.data;
      if (e.name === 'Profile') {
        samples.time = d.startTime;
        continue;
      }
      for (const n of d.cpuProfile?.nodes ?? []) nodes.set(`${e.id}:${n.id}`, n);
      const ids = d.cpuProfile?.samples ?? [];
      for (let i = 0; i < ids.length; i++) {
        samples.time += d.timeDeltas[i];
        samples.push({ t: samples.time, n: `${e.id}:${ids[i]}` });
      }
    }
    for (const t of tasks.filter((x) => (x.tdur ?? 0) / 1000 >= profile)) {
      const self = new Map();
      const total = new Map();
      const name = (n) => {
        const cf = n?.callFrame;
        return cf
          ? `${cf.functionName || '(anon)'} ${(cf.url ?? '').replace(/.*\//, '')}:${cf.lineNumber}`
          : '?';
      };
      const within = samples.filter((s) => s.t >= t.ts && s.t <= t.ts + t.dur);
      for (const s of within) {
        const leaf = nodes.get(s.n);
        self.set(name(leaf), (self.get(name(leaf)) ?? 0) + 1);
        const seen = new Set();
        for (let n = leaf, id = s.n; n; id = `${id.split(':')[0]}:${n.parent}`, n = nodes.get(id)) {
          seen.add(name(n));
          if (n.parent === undefined) break;
        }
        for (const k of seen) total.set(k, (total.get(k) ?? 0) + 1);
      }
      console.log(
        `  profile of the ${((t.tdur ?? 0) / 1000).toFixed(1)} ms task (${within.length} samples):`,
      );
      const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
      console.log(
        `    self: ${top(self, 10)
          .map(([k, v]) => `${v} ${k}`)
          .join(' | ')}`,
      );
      console.log(
        `    total: ${top(total, 40)
          .map(([k, v]) => `${v} ${k}`)
          .join(' | ')}`,
      );
    }
  }
  maxima.push(max);
  await context.close();
}
console.log(`largest task cpu per run: ${maxima.map((m) => m.toFixed(1)).join(', ')} ms`);
await browser.close();
await new Promise((res) => server.httpServer.close(res));
