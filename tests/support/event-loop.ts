/**
 * How long this process's main thread keeps its event loop from turning, measured two ways:
 *   - `maxDelayMs`: perf_hooks' event-loop delay (wall clock): includes time the thread waited for a CPU,
 *     which on a shared, loaded machine is often tens of ms and sometimes hundreds, whatever the code does;
 *   - `maxBusyMs`: the main thread's own CPU time between two consecutive turns of the loop, from the
 *     kernel's per-thread run time (Linux /proc/self/task/<pid>/schedstat, nanoseconds): what the code
 *     blocked, independent of the machine's load. null where the kernel does not report it.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopReport {
  maxDelayMs: number;
  maxBusyMs: number | null;
}

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;

function runNs(): number | null {
  try {
    return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

export function watchEventLoop(): { stop(): EventLoopReport } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let last = runNs();
  let maxBusyNs = 0;
  const tick = setInterval(() => {
    const now = runNs();
    if (now !== null && last !== null) maxBusyNs = Math.max(maxBusyNs, now - last);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(tick);
      delay.disable();
      return { maxDelayMs: delay.max / 1e6, maxBusyMs: last === null ? null : maxBusyNs / 1e6 };
    },
  };
}
