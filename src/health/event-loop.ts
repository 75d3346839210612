/**
 * Event-loop watch (theo dõi vòng lặp): one per process, started on first
 * use, never keeping the process alive.
 *
 * - A heartbeat timer notes when it last ran; the lag since then tells
 *   `live()` whether the loop is starved right now (a fully stalled loop
 *   cannot answer a probe at all, so the kubelet's own timeout covers that).
 * - `perf_hooks.monitorEventLoopDelay` gives the delay distribution that the
 *   non-critical `event_loop` check reads (and resets) on each run.
 */
import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';

const CHU_KY_MS = 200;

interface TrangThaiVongLap {
  lan_cuoi: number;
  hen: NodeJS.Timeout;
  ho: ELDHistogram;
}

let tt: TrangThaiVongLap | undefined;

function batDau(): TrangThaiVongLap {
  if (tt !== undefined) return tt;
  const ho = monitorEventLoopDelay({ resolution: 10 });
  ho.enable();
  const s: TrangThaiVongLap = {
    lan_cuoi: performance.now(),
    hen: setInterval(() => {
      s.lan_cuoi = performance.now();
    }, CHU_KY_MS),
    ho,
  };
  s.hen.unref();
  tt = s;
  return s;
}

/** Starts the watch (idempotent). */
export function bat_dau_theo_doi_vong_lap(): void {
  batDau();
}

/** How late the heartbeat is now (ms): about 0 on a healthy loop. */
export function tre_hien_tai_ms(): number {
  const s = batDau();
  return Math.max(0, performance.now() - s.lan_cuoi - CHU_KY_MS);
}

/** p99 and max event-loop delay (ms) since the previous call, then starts a new window. */
export function doc_va_dat_lai_tre(): { p99_ms: number; max_ms: number; so_mau: number } {
  const s = batDau();
  const so_mau = s.ho.count;
  const r = so_mau > 0 ? { p99_ms: s.ho.percentile(99) / 1e6, max_ms: s.ho.max / 1e6, so_mau } : { p99_ms: 0, max_ms: 0, so_mau };
  s.ho.reset();
  // A stall that is still going on has no sample yet: count it too.
  const dang_tre = tre_hien_tai_ms();
  r.max_ms = Math.max(r.max_ms, dang_tre);
  r.p99_ms = Math.max(r.p99_ms, dang_tre);
  return r;
}
