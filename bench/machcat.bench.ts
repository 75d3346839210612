/**
 * MachCat vs direct await, cockatiel 3.2 and opossum 9, side by side in one
 * process (interleaved rounds, medians). Two tables:
 *   machcat      no SDK started: success path and refused call
 *   machcat-sdk  SDK started with tracing on, every call inside an active span
 * Bars (issue 4): thuc_hien <= 1.5x a direct await (no SDK); with the SDK,
 * thuc_hien <= 0.5x opossum fire(); a refused call <= opossum's refused call.
 *
 * The "side .then floor" case is the least any breaker that watches the
 * callee's own promise can cost (one `.then` and nothing else): thuc_hien is
 * measured against it too, to separate MachCat's own cost from the floor.
 * Rounds of 300k ops include the young-generation GC their garbage causes.
 *
 * Run: npx tsx --expose-gc bench/machcat.bench.ts
 */
import { createRequire } from 'node:module';
import { context, trace } from '@opentelemetry/api';
import { ConsecutiveBreaker, circuitBreaker, handleAll, BrokenCircuitError } from 'cockatiel';
import { BangDo } from './lib.js';
import { khoi_dong_sdk, MachCat } from '../src/index.js';

interface Opossum {
  fire(...a: unknown[]): Promise<unknown>;
  open(): void;
  shutdown(): void;
}
const require = createRequire(import.meta.url);
const CircuitBreaker = require('opossum') as new (fn: (...a: unknown[]) => unknown, o?: Record<string, unknown>) => Opossum;

const fn = async (): Promise<number> => 1;
const boQua = (): void => {};
/** The floor of any breaker that watches the callee's own promise: one side `.then`, nothing else. */
const sanThen = <T>(p: Promise<T>): Promise<T> => {
  p.then(boQua, boQua);
  return p;
};
const XA = 2_000_000_000; // ms: "never" for timers that must not fire during the run

function tao() {
  const mc = new MachCat({ ten: 'bench' });
  const mcMo = new MachCat({ ten: 'bench-mo', so_loi_toi_da: 1, timeout_phuc_hoi: 1e6 });
  mcMo.ghi_nhan_loi();
  const ck = circuitBreaker(handleAll, { halfOpenAfter: XA, breaker: new ConsecutiveBreaker(5) });
  const ckMo = circuitBreaker(handleAll, { halfOpenAfter: XA, breaker: new ConsecutiveBreaker(1) });
  const op = new CircuitBreaker(fn);
  const opMo = new CircuitBreaker(fn, { resetTimeout: XA });
  opMo.open();
  return { mc, mcMo, ck, ckMo, op, opMo };
}

const LAN = 300_000;
/** Fewer ops per round for the slow cases (microseconds each) keeps the file well under a minute. */
const LAN_CHAM = 20_000;
const VONG = 11;

// ---- no SDK ---------------------------------------------------------------
const a = tao();
await a.ckMo.execute(() => Promise.reject(new Error('x'))).catch(boQua);
// sanity: the open breakers really refuse
if ((await a.mcMo.thuc_hien(fn).catch(() => 'refused')) !== 'refused') throw new Error('MachCat not open');
if (!(await a.ckMo.execute(fn).catch((e: unknown) => e instanceof BrokenCircuitError))) throw new Error('cockatiel not open');
if ((await a.opMo.fire().catch(() => 'refused')) !== 'refused') throw new Error('opossum not open');

const b = new BangDo('machcat')
  .them_async('direct await', () => fn())
  .them_async('side .then floor', () => sanThen(fn()))
  .them_async('machcat thuc_hien', () => a.mc.thuc_hien(fn))
  .them_async('cockatiel execute', () => a.ck.execute(fn))
  .them_async('opossum fire', () => a.op.fire(), LAN_CHAM)
  .them_async('machcat refused', () => a.mcMo.thuc_hien(fn).catch(boQua), LAN_CHAM)
  .them_async('cockatiel refused', () => a.ckMo.execute(fn).catch(boQua), LAN_CHAM)
  .them_async('opossum refused', () => a.opMo.fire().catch(boQua), LAN_CHAM);
await b.chay({ vong: VONG, lan: LAN });
b.ty_le('thuc_hien vs direct await', 'machcat thuc_hien', 'direct await', '<= 1.5');
b.ty_le('side .then floor vs direct await', 'side .then floor', 'direct await');
b.ty_le('thuc_hien vs side .then floor', 'machcat thuc_hien', 'side .then floor');
b.ty_le('cockatiel vs direct await', 'cockatiel execute', 'direct await');
b.ty_le('opossum vs direct await', 'opossum fire', 'direct await');
b.ty_le('thuc_hien vs opossum', 'machcat thuc_hien', 'opossum fire');
b.ty_le('refused vs opossum refused', 'machcat refused', 'opossum refused', '<= 1');
b.ty_le('refused vs cockatiel refused', 'machcat refused', 'cockatiel refused');
b.ghi_chu.push('no SDK started; async fn returning 1, each call awaited in turn');
b.in();
a.op.shutdown();
a.opMo.shutdown();

// ---- SDK started, tracing on, calls inside an active span ------------------
const sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', http: false });
if (sdk === undefined) throw new Error('SDK disabled by env');
const s = tao();
const sTaoSpan = new MachCat({ ten: 'bench-span', tao_span: true });
const tracer = trace.getTracer('bench');
const span = tracer.startSpan('bench-parent');
const c = new BangDo('machcat-sdk')
  .them_async('direct await', () => fn())
  .them_async('machcat thuc_hien', () => s.mc.thuc_hien(fn))
  .them_async('opossum fire', () => s.op.fire(), LAN_CHAM)
  .them_async('machcat tao_span', () => sTaoSpan.thuc_hien(fn), LAN_CHAM)
  .them_async('machcat refused', () => s.mcMo.thuc_hien(fn).catch(boQua), LAN_CHAM)
  .them_async('opossum refused', () => s.opMo.fire().catch(boQua), LAN_CHAM);
await context.with(trace.setSpan(context.active(), span), async () => {
  if (trace.getActiveSpan() !== span) throw new Error('no active span');
  await c.chay({ vong: VONG, lan: LAN });
});
span.end();
c.ty_le('thuc_hien vs opossum (SDK)', 'machcat thuc_hien', 'opossum fire', '<= 0.5');
c.ty_le('thuc_hien vs direct await (SDK)', 'machcat thuc_hien', 'direct await');
c.ty_le('tao_span vs opossum (SDK)', 'machcat tao_span', 'opossum fire');
c.ty_le('refused vs opossum refused (SDK)', 'machcat refused', 'opossum refused');
c.ghi_chu.push("SDK: traces memory, logs memory, metrics prometheus, http off; calls inside an active recording span; refusals add a span event each (the span's event limit drops the excess)");
c.in();
s.op.shutdown();
s.opMo.shutdown();
const prom = await sdk.export_prometheus();
if (!/machcat_calls_total\{machcat_ten="bench"/.test(prom)) throw new Error('machcat metrics missing from the Prometheus text');
await sdk.tat();
