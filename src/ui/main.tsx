/**
 * The page's first script, kept tiny so the page paints at once: it loads React, React DOM
 * and the app one at a time, each module evaluated in a task of its own with a yield in
 * between, so no single task on the main thread evaluates all of them (the "no task
 * over 50 ms on the main thread"). No JSX here: that would import React up front.
 */
import './styles.css';

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function boot(): Promise<void> {
  const react = await import('react');
  await nextTask();
  const dom = await import('react-dom/client');
  await nextTask();
  const { App } = await import('./App');
  await nextTask();
  const root = dom.createRoot(document.getElementById('root')!);
  // a transition renders in time slices
  react.startTransition(() =>
    root.render(react.createElement(react.StrictMode, null, react.createElement(App))),
  );
}

void boot();
