/**
 * Cold start of the built application in the embedded profile (`node dist/main.js`): spawn →
 * first 200 on /health/live, median of 5; the idle RSS; and the SIGTERM → exit time.
 *
 *   npm run bench:startup
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { percentile } from '../test/support/swap-load';

const ROOT = join(__dirname, '../..');
const RUNS = 5;

async function firstOk(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await delay(10);
  }
  throw new Error('no 200 in time');
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

async function main() {
  const starts: number[] = [];
  const rss: number[] = [];
  const exits: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: ROOT,
      env: { ...process.env, APP_LOG__FORMAT: 'json', APP_LOG__LEVEL: 'warn' },
      stdio: 'ignore',
    });
    await firstOk('http://127.0.0.1:8080/health/live', Date.now() + 20_000);
    starts.push(performance.now() - started);
    await delay(2_000);
    rss.push(rssMb(child.pid!));
    const stopping = performance.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    exits.push(performance.now() - stopping);
    if (code !== 0) throw new Error(`exit code ${code}`);
  }
  const list = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
  console.log(
    `cold start → first 200: ${list(starts)} ms; median ${percentile(starts, 50).toFixed(0)} ms`,
  );
  console.log(`RSS idle: ${list(rss)} MB; median ${percentile(rss, 50).toFixed(0)} MB`);
  console.log(`SIGTERM → exit 0: ${list(exits)} ms`);
}

void main();
