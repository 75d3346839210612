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

function ms(ten: string, v: unknown, macDinh: number, min: number): number {
  if (v === undefined) return macDinh;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > 3_600_000) {
    throw new RangeError(`dang_ky_tat_an_toan: ${ten} must be a number of ms in [${min}, 3600000], got ${String(v)}`);
  }
  return v;
}

const ngu = (t: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, t)));

/** The options, checked and with their defaults (tùy chọn đã giải). */
interface TuyChonDaGiai {
  readonly servers: MayChuDong[];
  readonly tre_drain: number;
  readonly toi_da: number;
  readonly du_tru: number;
  readonly tin_hieu: NodeJS.Signals[];
  readonly thoat: (ma: number) => void;
}

/** @throws TypeError / RangeError naming the bad option. */
function giaiTuyChon(t: TuyChonTatAnToan): TuyChonDaGiai {
  if (t === null || typeof t !== 'object') throw new TypeError('dang_ky_tat_an_toan: options must be an object');
  const servers = Array.isArray(t.server) ? t.server : [t.server];
  if (servers.length === 0 || servers.some((s) => s === null || typeof s !== 'object' || typeof s.close !== 'function')) {
    throw new TypeError('dang_ky_tat_an_toan: server must be a node:http Server (or an array of them)');
  }
  const tre_drain = ms('tre_drain_ms', t.tre_drain_ms, 5000, 0);
  const toi_da = ms('thoi_gian_toi_da_ms', t.thoi_gian_toi_da_ms, 25_000, 1);
  const du_tru = ms('du_tru_flush_ms', t.du_tru_flush_ms, Math.min(5000, toi_da * 0.4), 0);
  if (du_tru >= toi_da) throw new RangeError('dang_ky_tat_an_toan: du_tru_flush_ms must be below thoi_gian_toi_da_ms');
  const tin_hieu = t.tin_hieu ?? ['SIGTERM', 'SIGINT'];
  if (!Array.isArray(tin_hieu)) throw new TypeError('dang_ky_tat_an_toan: tin_hieu must be an array of signal names');
  if (t.thoat !== undefined && typeof t.thoat !== 'function') throw new TypeError('dang_ky_tat_an_toan: thoat must be a function');
  if (t.truoc_khi_dong !== undefined && typeof t.truoc_khi_dong !== 'function') throw new TypeError('dang_ky_tat_an_toan: truoc_khi_dong must be a function');
  return { servers, tre_drain, toi_da, du_tru, tin_hieu, thoat: t.thoat ?? ((ma: number) => process.exit(ma)) };
}

/** How a bounded step ended: `het_gio` when its bound ran out, `loi` when it failed. */
interface KetQuaBuoc {
  het_gio: boolean;
  loi: boolean;
}

/** Runs `f` until `han_ms` (performance.now() time); a failure goes to diag as `mo_ta`. */
async function buocCoHan(f: () => unknown, han_ms: number, mo_ta: string): Promise<KetQuaBuoc> {
  let loi = false;
  const r = await race_deadline(
    Promise.resolve()
      .then(f)
      .then(undefined, (e: unknown) => {
        diag.error(`dang_ky_tat_an_toan: ${mo_ta} failed`, e);
        loi = true;
      }),
    han_ms - performance.now(),
    true,
  );
  return { het_gio: r.kind === 'timed_out', loi };
}

/**
 * Closes the servers by `han_ms`: no new connections; idle keep-alive ones
 * now (and every 50 ms), busy ones once their response is done. What is
 * still open at the bound is cut. True when the bound ran out.
 */
async function dongMayChu(servers: MayChuDong[], han_ms: number): Promise<boolean> {
  const dong = servers.map(
    (s) =>
      new Promise<void>((r) => {
        if (!s.listening) return r();
        s.close(() => r());
      }),
  );
  const quet = setInterval(() => {
    for (const s of servers) s.closeIdleConnections();
  }, 50);
  for (const s of servers) s.closeIdleConnections();
  const r = await race_deadline(Promise.all(dong), han_ms - performance.now(), true);
  clearInterval(quet);
  if (r.kind === 'timed_out') {
    for (const s of servers) s.closeAllConnections(); // requests still running are cut
    return true;
  }
  return false;
}

/**
 * Registers graceful shutdown (đăng ký tắt an toàn) on SIGTERM/SIGINT.
 * @throws TypeError / RangeError for bad options.
 */
export function dang_ky_tat_an_toan(t: TuyChonTatAnToan): TatAnToan {
  const { servers, tre_drain, toi_da, du_tru, tin_hieu, thoat } = giaiTuyChon(t);

  let dang: Promise<KetQuaTatAnToan> | undefined;

  const chay = async (ly_do: string): Promise<KetQuaTatAnToan> => {
    const t0 = performance.now();
    const han = t0 + toi_da;
    const cac_buoc: BuocTat[] = [];
    const buoc = (b: BuocTat['buoc']): void => {
      cac_buoc.push({ buoc: b, ms: Math.round(performance.now() - t0) });
    };
    let het_gio = false;
    let loi = false;
    buoc('bat_dau');
    t.suc_khoe?.bat_dau_tat();
    buoc('readiness_that_bai');

    // 1. Drain: the load balancer sees 503 on /readyz and stops routing here.
    await ngu(Math.min(tre_drain, han - du_tru - performance.now()));
    if (t.truoc_khi_dong !== undefined) {
      const r = await buocCoHan(t.truoc_khi_dong, han - du_tru, 'truoc_khi_dong');
      het_gio ||= r.het_gio;
      loi ||= r.loi;
    }
    buoc('het_drain');

    // 2. Close: no new connections; idle keep-alive ones now, busy ones once their response is done.
    if (await dongMayChu(servers, han - du_tru)) het_gio = true;
    buoc('may_chu_da_dong');

    // 3. Telemetry: everything recorded so far, including the last requests' spans.
    const sdk = t.sdk === null ? undefined : (t.sdk ?? sdk_hien_tai());
    if (sdk !== undefined) {
      const r = await buocCoHan(() => sdk.tat(), han, 'telemetry shutdown');
      het_gio ||= r.het_gio;
      loi ||= r.loi;
    }
    buoc('telemetry_da_flush');

    const ma_thoat = het_gio || loi ? 1 : 0;
    buoc('thoat');
    const kq: KetQuaTatAnToan = { ly_do, ma_thoat, het_gio, thoi_gian_ms: Math.round(performance.now() - t0), cac_buoc };
    // Signal handlers stay: a second SIGTERM while exiting must not kill the process mid-flush.
    thoat(ma_thoat);
    return kq;
  };

  const tat = (ly_do = 'goi_truc_tiep'): Promise<KetQuaTatAnToan> => {
    dang ??= chay(ly_do);
    return dang;
  };

  const xu_ly = new Map<NodeJS.Signals, () => void>();
  for (const s of tin_hieu) {
    const f = (): void => {
      void tat(s);
    };
    xu_ly.set(s, f);
    process.on(s, f);
  }
  function huy(): void {
    for (const [s, f] of xu_ly) process.off(s, f);
    xu_ly.clear();
  }

  return {
    tat,
    get dang_tat() {
      return dang !== undefined;
    },
    huy,
  };
}
