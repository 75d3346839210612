/**
 * Event-loop watch: one per process, started on first use, never keeping
 * the process alive.
 *
 * - A heartbeat timer notes when it last ran; the lag since then tells
 *   `live()` whether the loop is starved right now (a fully stalled loop
 *   cannot answer a probe at all, so the kubelet's own timeout covers that).
 * - `perf_hooks.monitorEventLoopDelay` gives the delay distribution that the
 *   non-critical `event_loop` check reads (and resets) on each run.
 */
import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';

const HEARTBEAT_MS = 200;

interface LoopWatch {
  lastBeat: number;
  timer: NodeJS.Timeout;
  delays: ELDHistogram;
}

let watch: LoopWatch | undefined;

function ensureWatch(): LoopWatch {
  if (watch !== undefined) return watch;
  const delays = monitorEventLoopDelay({ resolution: 10 });
  delays.enable();
  const w: LoopWatch = {
    lastBeat: performance.now(),
    timer: setInterval(() => {
      w.lastBeat = performance.now();
    }, HEARTBEAT_MS),
    delays,
  };
  w.timer.unref();
  watch = w;
  return w;
}

/** Starts the watch (idempotent). */
export function start_loop_watch(): void {
  ensureWatch();
}

/** How late the heartbeat is now (ms): about 0 on a healthy loop. */
export function current_lag_ms(): number {
  const w = ensureWatch();
  return Math.max(0, performance.now() - w.lastBeat - HEARTBEAT_MS);
}

/** p99 and max event-loop delay (ms) since the previous call, then starts a new window. */
export function take_loop_delay(): { p99_ms: number; max_ms: number; samples: number } {
  const w = ensureWatch();
  const samples = w.delays.count;
  const r = samples > 0 ? { p99_ms: w.delays.percentile(99) / 1e6, max_ms: w.delays.max / 1e6, samples } : { p99_ms: 0, max_ms: 0, samples };
  w.delays.reset();
  // A stall that is still going on has no sample yet: count it too.
  const lag = current_lag_ms();
  r.max_ms = Math.max(r.max_ms, lag);
  r.p99_ms = Math.max(r.p99_ms, lag);
  return r;
}
