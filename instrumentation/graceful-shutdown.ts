/**
 * Graceful shutdown (tắt an toàn) in the order users of Kubernetes ask for:
 *
 *   SIGTERM -> readiness fails at once (503) while liveness stays up
 *           -> wait the drain delay (load balancers stop sending)
 *           -> close the servers (idle keep-alive connections too; busy ones
 *              as soon as their response is done)
 *           -> flush and shut down telemetry (`sdk.tat()`)
 *           -> exit.
 *
 * Bounded: the whole sequence takes at most `thoi_gian_toi_da_ms`; the drain
 * and the close give way so that the telemetry flush keeps its reserve.
 * Idempotent: a second signal (or call) returns the first shutdown's promise.
 */
import type { Server } from 'node:http';
import { diag } from '@opentelemetry/api';
import { function_option, number_option, options_object } from '../src/core/options.js';
import type { KiemTraSucKhoe } from '../src/health/health-check.js';
import { race_deadline } from '../src/core/deadline.js';
import { sdk_hien_tai } from '../src/sdk/start.js';

/** What is closed: a node:http(s) server (express: what `app.listen` returns; fastify: `app.server`). */
export type MayChuDong = Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections' | 'listening'>;

export interface TuyChonTatAnToan {
  /** Server(s) to close. */
  server: MayChuDong | MayChuDong[];
  /** Its readiness fails at once on shutdown. */
  suc_khoe?: KiemTraSucKhoe;
  /** Telemetry to flush (default: the running SDK at shutdown time, if any). */
  sdk?: { tat(): Promise<unknown> } | null;
  /** Drain delay after readiness fails (ms, default 5000). */
  tre_drain_ms?: number;
  /** Upper bound of the whole shutdown (ms, default 25000: below Kubernetes' 30 s grace period). */
  thoi_gian_toi_da_ms?: number;
  /** Time kept for the telemetry flush (ms, default min(5000, 40% of the bound)). */
  du_tru_flush_ms?: number;
  /** Signals handled (default SIGTERM and SIGINT; [] for none: call `tat()` yourself). */
  tin_hieu?: NodeJS.Signals[];
  /** Runs after the drain, before the servers close (e.g. stop consumers); bounded like the rest. */
  truoc_khi_dong?: () => unknown;
  /** How to exit (thoát, default process.exit); tests pass a recorder. */
  thoat?: (ma: number) => void;
}

/** One step of the shutdown and when it happened (ms after it began). */
export interface BuocTat {
  buoc: 'bat_dau' | 'readiness_that_bai' | 'het_drain' | 'may_chu_da_dong' | 'telemetry_da_flush' | 'thoat';
  ms: number;
}

export interface KetQuaTatAnToan {
  ly_do: string;
  /** Exit code given to `thoat`: 0, or 1 when a bound ran out or a step failed. */
  ma_thoat: number;
  het_gio: boolean;
  thoi_gian_ms: number;
  cac_buoc: BuocTat[];
}

export interface TatAnToan {
  /** Starts the shutdown (idempotent); resolves after `thoat` was called. */
  tat(ly_do?: string): Promise<KetQuaTatAnToan>;
  /** True once shutdown began. */
  readonly dang_tat: boolean;
  /** Removes the signal handlers (hủy). */
  huy(): void;
}

const OWNER = 'dang_ky_tat_an_toan';
/** A duration option in ms, at most an hour. */
const durationMs = (name: string, value: unknown, fallback: number, min: number): number =>
  number_option(OWNER, name, value, fallback, { min, max: 3_600_000, unit: 'ms' });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** The options, checked and with their defaults. */
interface ShutdownPlan {
  readonly servers: MayChuDong[];
  readonly drainMs: number;
  /** Bound of the whole shutdown. */
  readonly maxMs: number;
  /** Time kept for the telemetry flush. */
  readonly flushReserveMs: number;
  readonly signals: NodeJS.Signals[];
  readonly exit: (code: number) => void;
}

/** @throws TypeError / RangeError naming the bad option. */
function planShutdown(options: TuyChonTatAnToan): ShutdownPlan {
  options_object(OWNER, options);
  const servers = Array.isArray(options.server) ? options.server : [options.server];
  if (servers.length === 0 || servers.some((s) => s === null || typeof s !== 'object' || typeof s.close !== 'function')) {
    throw new TypeError(`${OWNER}: server must be a node:http Server (or an array of them)`);
  }
  const drainMs = durationMs('tre_drain_ms', options.tre_drain_ms, 5000, 0);
  const maxMs = durationMs('thoi_gian_toi_da_ms', options.thoi_gian_toi_da_ms, 25_000, 1);
  const flushReserveMs = durationMs('du_tru_flush_ms', options.du_tru_flush_ms, Math.min(5000, maxMs * 0.4), 0);
  if (flushReserveMs >= maxMs) throw new RangeError(`${OWNER}: du_tru_flush_ms must be below thoi_gian_toi_da_ms`);
  const signals = options.tin_hieu ?? ['SIGTERM', 'SIGINT'];
  if (!Array.isArray(signals)) throw new TypeError(`${OWNER}: tin_hieu must be an array of signal names`);
  const exit = function_option<(code: number) => void>(OWNER, 'thoat', options.thoat) ?? ((code: number) => process.exit(code));
  function_option(OWNER, 'truoc_khi_dong', options.truoc_khi_dong); // checked now, read at shutdown
  return { servers, drainMs, maxMs, flushReserveMs, signals, exit };
}

/** How a bounded step ended: `timedOut` when its bound ran out, `failed` when it threw or rejected. */
interface StepOutcome {
  timedOut: boolean;
  failed: boolean;
}

/** Runs `step` until `deadline` (performance.now() time); a failure goes to diag as `what`. */
async function boundedStep(step: () => unknown, deadline: number, what: string): Promise<StepOutcome> {
  let failed = false;
  const r = await race_deadline(
    Promise.resolve()
      .then(step)
      .then(undefined, (e: unknown) => {
        diag.error(`${OWNER}: ${what} failed`, e);
        failed = true;
      }),
    deadline - performance.now(),
    true,
  );
  return { timedOut: r.kind === 'timed_out', failed };
}

/**
 * Closes the servers by `deadline`: no new connections; idle keep-alive ones
 * now (and every 50 ms), busy ones once their response is done. What is
 * still open at the bound is cut. True when the bound ran out.
 */
async function closeServers(servers: MayChuDong[], deadline: number): Promise<boolean> {
  const closed = servers.map(
    (s) =>
      new Promise<void>((r) => {
        if (!s.listening) return r();
        s.close(() => r());
      }),
  );
  const sweep = setInterval(() => {
    for (const s of servers) s.closeIdleConnections();
  }, 50);
  for (const s of servers) s.closeIdleConnections();
  const r = await race_deadline(Promise.all(closed), deadline - performance.now(), true);
  clearInterval(sweep);
  if (r.kind === 'timed_out') {
    for (const s of servers) s.closeAllConnections(); // requests still running are cut
    return true;
  }
  return false;
}

/**
 * The shutdown sequence, once. `options` is read now (its `suc_khoe`,
 * `sdk` and `truoc_khi_dong`), as it always was: at shutdown, not at
 * registration.
 */
async function runShutdown(options: TuyChonTatAnToan, plan: ShutdownPlan, reason: string): Promise<KetQuaTatAnToan> {
  const t0 = performance.now();
  const deadline = t0 + plan.maxMs;
  const flushFrom = deadline - plan.flushReserveMs;
  const steps: BuocTat[] = [];
  const step = (name: BuocTat['buoc']): void => {
    steps.push({ buoc: name, ms: Math.round(performance.now() - t0) });
  };
  let timedOut = false;
  let failed = false;
  const note = (o: StepOutcome): void => {
    timedOut ||= o.timedOut;
    failed ||= o.failed;
  };
  step('bat_dau');
  options.suc_khoe?.bat_dau_tat();
  step('readiness_that_bai');

  // 1. Drain: the load balancer sees 503 on /readyz and stops routing here.
  await sleep(Math.min(plan.drainMs, flushFrom - performance.now()));
  const beforeClose = options.truoc_khi_dong;
  if (beforeClose !== undefined) note(await boundedStep(beforeClose, flushFrom, 'truoc_khi_dong'));
  step('het_drain');

  // 2. Close: no new connections; idle keep-alive ones now, busy ones once their response is done.
  if (await closeServers(plan.servers, flushFrom)) timedOut = true;
  step('may_chu_da_dong');

  // 3. Telemetry: everything recorded so far, including the last requests' spans.
  const sdk = options.sdk === null ? undefined : (options.sdk ?? sdk_hien_tai());
  if (sdk !== undefined) note(await boundedStep(() => sdk.tat(), deadline, 'telemetry shutdown'));
  step('telemetry_da_flush');

  const exitCode = timedOut || failed ? 1 : 0;
  step('thoat');
  const result: KetQuaTatAnToan = { ly_do: reason, ma_thoat: exitCode, het_gio: timedOut, thoi_gian_ms: Math.round(performance.now() - t0), cac_buoc: steps };
  // Signal handlers stay: a second SIGTERM while exiting must not kill the process mid-flush.
  plan.exit(exitCode);
  return result;
}

/** Calls `onSignal` on each of `signals`; returns the removal of the handlers. */
function listenForSignals(signals: NodeJS.Signals[], onSignal: (signal: NodeJS.Signals) => void): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of signals) {
    const handler = (): void => onSignal(signal);
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    handlers.clear();
  };
}

/**
 * Registers graceful shutdown (đăng ký tắt an toàn) on SIGTERM/SIGINT.
 * @throws TypeError / RangeError for bad options.
 */
export function dang_ky_tat_an_toan(t: TuyChonTatAnToan): TatAnToan {
  const plan = planShutdown(t);
  let shutdown: Promise<KetQuaTatAnToan> | undefined;
  const tat = (ly_do = 'goi_truc_tiep'): Promise<KetQuaTatAnToan> => {
    shutdown ??= runShutdown(t, plan, ly_do);
    return shutdown;
  };
  const huy = listenForSignals(plan.signals, (signal) => {
    void tat(signal);
  });
  return {
    tat,
    get dang_tat() {
      return shutdown !== undefined;
    },
    huy,
  };
}
