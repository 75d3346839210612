/**
 * The cost at rest of the runtime metrics (event-loop delay monitor, GC
 * observer, heap/CPU/memory read at collection): CPU time per wall-clock
 * second of a process that does nothing else, with the SDK started with and
 * without them. Each variant runs in a fresh child process (OTel state is
 * global), in interleaved rounds (A B A B ...), and the median is kept.
 *
 * Two windows per process: idle with no collection at all, then idle with
 * one collection per second (a Prometheus scrape rendered, far more often
 * than a 15 s scrape or a 60 s OTLP push), so both the always-on part and the
 * per-collection part show.
 *
 * `npm run bench -- runtime`; VNAI_BENCH_RUNTIME_PRECISION=10 measures another
 * event-loop monitor period (ms), VNAI_BENCH_RUNTIME_MS / _ROUNDS the window
 * and the rounds. The figure is absolute CPU time: on a shared
 * machine other processes' load can only inflate it (cache and scheduler
 * effects), so compare variants of the same run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BangDo } from './lib.js';

const CUA_SO_MS = Number(process.env.VNAI_BENCH_RUNTIME_MS ?? 3000);
const VONG = Number(process.env.VNAI_BENCH_RUNTIME_ROUNDS ?? 3);

interface DoCon {
  /** CPU ns per wall second, idle, no collection. */
  nghi: number;
  /** CPU ns per wall second, idle, one collection per second. */
  thu_thap: number;
}

const ngu = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU ns spent per wall second while `trong` runs for `ms`. */
async function do_cpu(ms: number, trong: (het: number) => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await trong(t0 + ms);
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / ((performance.now() - t0) / 1000);
}

async function con(bat: boolean): Promise<void> {
  const { khoi_dong_sdk } = await import('../src/index.js');
  const sdk = khoi_dong_sdk({ traces_exporter: 'none', metrics_exporter: 'prometheus', logs_exporter: 'none', runtime_node: bat && process.env.VNAI_BENCH_RUNTIME_PRECISION !== undefined ? { monitoringPrecision: Number(process.env.VNAI_BENCH_RUNTIME_PRECISION) } : bat, env: {} })!;
  await sdk.export_prometheus(); // first collection: instruments made, code warmed
  await ngu(1000); // start-up settles (tsx, module loading, JIT)
  (globalThis as { gc?: () => void }).gc?.();
  const nghi = await do_cpu(CUA_SO_MS, (het) => ngu(het - performance.now()));
  const thu_thap = await do_cpu(CUA_SO_MS, async (het) => {
    while (performance.now() < het) {
      await sdk.export_prometheus();
      await ngu(Math.min(1000, het - performance.now()));
    }
  });
  await sdk.tat();
  process.stdout.write(`${JSON.stringify({ nghi, thu_thap } satisfies DoCon)}\n`);
}

function chayCon(bat: boolean): DoCon {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), 'con', bat ? 'bat' : 'tat'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as DoCon;
}

function trungVi(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

if (process.argv[2] === 'con') {
  await con(process.argv[3] === 'bat');
} else {
  const mau: Record<'tat' | 'bat', DoCon[]> = { tat: [], bat: [] };
  for (let v = 0; v < VONG; v++) {
    mau.tat.push(chayCon(false));
    mau.bat.push(chayCon(true));
  }
  const b = new BangDo('runtime');
  const ten = (bat: boolean, k: keyof DoCon): string => `SDK, runtime metrics ${bat ? 'ON ' : 'off'}, ${k === 'nghi' ? 'idle, no collection' : 'idle + 1 collection/s'} (CPU ns per s)`;
  for (const k of ['nghi', 'thu_thap'] as const) {
    for (const bat of [false, true]) b.them_ket_qua(ten(bat, k), trungVi(mau[bat ? 'bat' : 'tat'].map((x) => x[k])));
  }
  for (const k of ['nghi', 'thu_thap'] as const) {
    const them = b.ns(ten(true, k)) - b.ns(ten(false, k));
    b.ghi_chu.push(`runtime metrics add ${(them / 1e6).toFixed(3)} ms CPU per second (${((them / 1e9) * 100).toFixed(3)}% of one core), ${k === 'nghi' ? 'idle' : 'with 1 collection/s'}`);
  }
  b.ghi_chu.push(`median of ${VONG} interleaved rounds, ${CUA_SO_MS} ms windows, one fresh process each; shared machine: absolute figures include its noise`);
  b.in();
}
