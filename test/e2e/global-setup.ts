/**
 * Once for the whole e2e run: the example copied into public/, the production build (as
 * `npm start` serves it; vitest sets NODE_ENV=test, which would bundle React's development
 * build) and the CLI bundle the tests compare the page with.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  const root = process.cwd();
  execFileSync('bash', ['scripts/make-example.sh'], { cwd: root, stdio: 'inherit' });
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: root, stdio: 'inherit' });
}
