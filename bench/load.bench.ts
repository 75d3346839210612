/**
 * Load and overhead (issue 7): the demo service (gateway + model service,
 * built files, two processes each) under a bounded loopback load,
 * `POST /predict` with a JSON body, autocannon with fixed connections and
 * duration, with the FULL SDK on (traces, logs and metrics over OTLP/HTTP to
 * a real OpenTelemetry Collector, Prometheus scraping both services'
 * /metrics every second) vs the same demo with OTEL_SDK_DISABLED=true. Both
 * run side by side in this one process's time line: runs alternate
 * (ON OFF, OFF ON, ...) so machine drift hits both alike; medians are
 * reported. Goal: throughput loss at most 10 %. Each loaded run also reads
 * both services' CPU time from /proc (all threads, and the main threads
 * alone): CPU per request, and what each variant adds to `off`.
 *
 *   npm run bench -- load            (or: npm run build && npx tsx bench/load.bench.ts)
 *   env: LOAD_SECONDS (5), LOAD_ROUNDS (3), LOAD_CONNECTIONS (20)
 *
 * More variants attribute the cost (keys as in .bench-results/load.json):
 * `full_sink`, the full SDK exporting to a null sink (what the services pay
 * without the collector's CPU on this machine); `full_sink_otel_http`, the
 * same with OpenTelemetry's HTTP instrumentations instead of this SDK's lean
 * one; `none_exporters`, every exporter `none` (instrumentation and context
 * only; spans not recorded); and the anchor `standard_otel_sink`, the same
 * two services instrumented the standard way (bench/standard: NodeSDK with
 * the http, undici and pino instrumentations, opossum, OTel's Prometheus
 * exporter) exporting to the same null sink.
 *
 * Then a profiling pass: each variant again, at a fixed rate
 * (LOAD_PROFILE_RATE req/s, default 800: below saturation for every variant on this machine, and
 * high enough that idle wake-ups do not dominate; LOAD_SECONDS long), with
 * `--cpu-prof` (profiles in .bench-results/cpu-prof/<variant>/): CPU µs per
 * request per service from /proc (all threads, and the main thread alone),
 * the CPU each variant adds to `off` per request (the full SDK's against the
 * standard stack's), and the main thread's self time per request split by
 * hop (bench/cpu-hops.ts).
 *
 * Without the stack binaries (npm run stack:install) the ON variant exports
 * to a local OTLP receiver (test/support/otlp.ts) and nothing scrapes.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { stackBinaries, startStack, type Stack } from '../test/e2e/support/stack.js';
import { MayNhanOtlp } from '../test/support/otlp.js';
import { cpu_us, HOPS, hops_of_profile, main_thread_cpu_us, type Hop } from './cpu-hops.js';
import { bat_demo, chay_tai, cong_trong, REPO, trung_vi, type ChayVoi, type Demo, type KetQuaAutocannon } from './demo-service.js';

function so_env(bien: string, mac_dinh: number): number {
  const v = Number(process.env[bien] ?? mac_dinh);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${bien} must be an integer >= 1`);
  return v;
}
const GIAY = so_env('LOAD_SECONDS', 5);
const VONG = so_env('LOAD_ROUNDS', 3);
const KET_NOI = so_env('LOAD_CONNECTIONS', 20);
const TOC_DO_PROFILE = so_env('LOAD_PROFILE_RATE', 800);
// One exit listener per started demo (they kill leftovers).
process.setMaxListeners(50);

type BienThe = 'full_collector' | 'full_sink' | 'full_sink_otel_http' | 'none_exporters' | 'standard_otel_sink' | 'off';
interface LanChay {
  bien_the: BienThe;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  tong: number;
  non2xx: number;
  loi: number;
  /** CPU per request in this run (µs, both services): all threads, and the two main threads. */
  cpu_us: number;
  main_thread_us: number;
}

const [pOn, mOn] = (await cong_trong(2)) as [number, number];
let stack: Stack | undefined;
let nhan: MayNhanOtlp | undefined;
let dich: string;
let dich_otlp: string;
const bins = stackBinaries();
if (bins.missing.length === 0) {
  stack = await startStack({
    binaries: bins,
    scrapeTargets: [
      { job: 'load-on-gateway', target: `127.0.0.1:${pOn}` },
      { job: 'load-on-model', target: `127.0.0.1:${mOn}` },
    ],
  });
  dich_otlp = stack.collectorHttpUrl;
  dich = 'OTLP/HTTP to a real OpenTelemetry Collector (-> Jaeger, file, Prometheus exporter) + Prometheus scraping /metrics every 1 s';
} else {
  nhan = new MayNhanOtlp();
  dich_otlp = await nhan.bat_dau();
  dich = `OTLP/HTTP to a local receiver (stack binaries missing: ${bins.missing.join(', ')}); no scraping`;
}

const demos: Demo[] = [];
const sinks: Server[] = [];
try {
  // A sink that answers 200 and decodes nothing: the services' own cost without the collector's CPU.
  const sink = createServer((q, r) => {
    q.resume();
    q.on('end', () => r.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  sinks.push(sink);
  const url_sink = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;

  const sink_env = { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: url_sink, OTEL_METRIC_EXPORT_INTERVAL: '5000' };
  const STANDARD: ChayVoi = { tep: { gateway: join(REPO, 'bench/standard/gateway.cjs'), model: join(REPO, 'bench/standard/model.cjs') } };
  const BIEN_THE: { ten: BienThe; mo_ta: string; env: Record<string, string>; cong?: { port: number; model_port: number }; chay_voi?: ChayVoi }[] = [
    { ten: 'full_collector', mo_ta: `SDK on, full: ${dich}`, env: { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: dich_otlp, OTEL_METRIC_EXPORT_INTERVAL: '5000' }, cong: { port: pOn, model_port: mOn } },
    { ten: 'full_sink', mo_ta: 'SDK on, full, OTLP to a null sink (no collector CPU on this machine)', env: sink_env },
    { ten: 'full_sink_otel_http', mo_ta: "same, with OpenTelemetry's HTTP instrumentations (VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION=otel)", env: { ...sink_env, VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION: 'otel' } },
    { ten: 'none_exporters', mo_ta: 'SDK on, every exporter "none" (instrumentation and context only)', env: { OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' } },
    { ten: 'standard_otel_sink', mo_ta: 'standard stack: NodeSDK + http/undici/pino instrumentations, opossum, OTel Prometheus exporter; OTLP to the same null sink', env: { ...sink_env, OTEL_LOG_LEVEL: 'error' }, chay_voi: STANDARD },
    { ten: 'off', mo_ta: 'SDK off (OTEL_SDK_DISABLED=true)', env: { OTEL_SDK_DISABLED: 'true' } },
  ];
  const url_cua = new Map<BienThe, string>();
  const pids_cua = new Map<BienThe, Demo['pids']>();
  for (const b of BIEN_THE) {
    const d = await bat_demo(`load-${b.ten}`, b.env, b.cong, b.chay_voi);
    demos.push(d);
    url_cua.set(b.ten, d.url);
    pids_cua.set(b.ten, d.pids);
    // Warm-up: JIT, connection pools, the collector's first batches.
    await chay_tai(d.url, { giay: 2, ket_noi: KET_NOI });
  }

  const lan: LanChay[] = [];
  const mot = async (bien_the: BienThe): Promise<void> => {
    const pids = pids_cua.get(bien_the)!;
    const readCpu = () => ({ all: cpu_us(pids.gateway) + cpu_us(pids.model), main: main_thread_cpu_us(pids.gateway) + main_thread_cpu_us(pids.model) });
    const truoc = readCpu();
    const r: KetQuaAutocannon = await chay_tai(url_cua.get(bien_the)!, { giay: GIAY, ket_noi: KET_NOI });
    const sau = readCpu();
    const n = Math.max(1, r.requests.total);
    const x = { bien_the, rps: r.requests.average, p50_ms: r.latency.p50, p99_ms: r.latency.p99, tong: r.requests.total, non2xx: r.non2xx, loi: r.errors + r.timeouts, cpu_us: (sau.all - truoc.all) / n, main_thread_us: (sau.main - truoc.main) / n };
    lan.push(x);
    console.log(`  ${bien_the.padEnd(12)} ${x.rps.toFixed(0).padStart(6)} req/s  p50 ${x.p50_ms} ms  p99 ${x.p99_ms} ms  non-2xx ${x.non2xx}  errors ${x.loi}  CPU ${x.cpu_us.toFixed(0)} µs/request (main threads ${x.main_thread_us.toFixed(0)})`);
  };
  // Rotating order (A B C D, B C D A, ...): drift and neighbours hit every variant alike.
  for (let v = 0; v < VONG; v++) {
    for (let k = 0; k < BIEN_THE.length; k++) await mot(BIEN_THE[(v + k) % BIEN_THE.length]!.ten);
  }

  const cua = (b: BienThe) => lan.filter((l) => l.bien_the === b);
  const tom = (b: BienThe) => ({
    rps: trung_vi(cua(b).map((l) => l.rps)),
    p50_ms: trung_vi(cua(b).map((l) => l.p50_ms)),
    p99_ms: trung_vi(cua(b).map((l) => l.p99_ms)),
    cpu_us: trung_vi(cua(b).map((l) => l.cpu_us)),
    main_thread_us: trung_vi(cua(b).map((l) => l.main_thread_us)),
    non2xx: cua(b).reduce((n, l) => n + l.non2xx, 0),
    loi: cua(b).reduce((n, l) => n + l.loi, 0),
  });
  const OFF = tom('off');
  const bang = BIEN_THE.map((b) => ({ ...b, ...tom(b.ten), loss: 1 - tom(b.ten).rps / OFF.rps }));
  const cua_bang = (b: BienThe) => bang.find((x) => x.ten === b)!;
  const full = cua_bang('full_sink');
  const std = cua_bang('standard_otel_sink');
  const none = cua_bang('none_exporters');
  const muc_tieu = {
    full_sink_loss_le_half_standard: full.loss <= 0.5 * std.loss,
    full_sink_loss_le_25pct: full.loss <= 0.25,
    none_exporters_loss_le_10pct: none.loss <= 0.1,
    full_sink_p99_le_2x_off: full.p99_ms <= 2 * OFF.p99_ms,
  };

  console.log(`\nload: demo POST /predict (gateway -> model service), ${KET_NOI} connections, ${GIAY} s per run, ${VONG} runs per variant (rotating), medians; ${cpus().length} CPUs shared by everything`);
  console.log('| variant | key | req/s | p50 ms | p99 ms | throughput loss vs off | CPU µs/request (main threads) | added to off (main threads) | non-2xx | errors |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const b of bang) console.log(`| ${b.mo_ta} | \`${b.ten}\` | ${b.rps.toFixed(0)} | ${b.p50_ms} | ${b.p99_ms} | ${b.ten === 'off' ? '-' : `${(b.loss * 100).toFixed(1)} %`} | ${b.cpu_us.toFixed(0)} (${b.main_thread_us.toFixed(0)}) | ${b.ten === 'off' ? '-' : `${(b.cpu_us - OFF.cpu_us).toFixed(0)} (${(b.main_thread_us - OFF.main_thread_us).toFixed(0)})`} | ${b.non2xx} | ${b.loi} |`);
  console.log(`CPU the full SDK adds per request, against the standard stack's (loaded runs, no profiler): ${((full.cpu_us - OFF.cpu_us) / (std.cpu_us - OFF.cpu_us)).toFixed(2)}x (main threads ${((full.main_thread_us - OFF.main_thread_us) / (std.main_thread_us - OFF.main_thread_us)).toFixed(2)}x)`);
  console.log(`goals: ${JSON.stringify(muc_tieu)}`);

  // Profiling pass: fresh instances at a fixed rate, CPU per request, profiles per hop.
  await Promise.all(demos.splice(0).map((d) => d.dung()));
  const thu_muc_prof = join(REPO, '.bench-results/cpu-prof');
  rmSync(thu_muc_prof, { recursive: true, force: true });
  const cpu: Record<string, { rps: number; gateway_us: number; model_us: number; total_us: number; main_thread_us: number; hops_us: Record<Hop, number> }> = {};
  for (const b of BIEN_THE.filter((x) => x.ten !== 'full_collector')) {
    const dir = (vai: string) => join(thu_muc_prof, b.ten, vai);
    const d = await bat_demo(`prof-${b.ten}`, b.env, undefined, { ...b.chay_voi, node_args: (vai) => ['--cpu-prof', `--cpu-prof-dir=${dir(vai)}`] });
    demos.push(d);
    await chay_tai(d.url, { giay: 2, ket_noi: KET_NOI, toc_do: TOC_DO_PROFILE });
    const truoc = { g: cpu_us(d.pids.gateway), m: cpu_us(d.pids.model), main: main_thread_cpu_us(d.pids.gateway) + main_thread_cpu_us(d.pids.model) };
    const r = await chay_tai(d.url, { giay: GIAY, ket_noi: KET_NOI, toc_do: TOC_DO_PROFILE });
    const sau = { g: cpu_us(d.pids.gateway), m: cpu_us(d.pids.model), main: main_thread_cpu_us(d.pids.gateway) + main_thread_cpu_us(d.pids.model) };
    const het_tai = performance.now();
    await d.dung();
    demos.pop();
    const sau_tat_us = (performance.now() - het_tai) * 1000;
    const n = r.requests.total;
    const hops = Object.fromEntries(HOPS.map((h) => [h, 0])) as Record<Hop, number>;
    // Each service's CPU per request, split by its main thread's profile shares.
    for (const [vai, us] of [['gateway', (sau.g - truoc.g) / n], ['model', (sau.m - truoc.m) / n]] as const) {
      const f = readdirSync(dir(vai)).find((x) => x.endsWith('.cpuprofile'));
      if (f === undefined) continue;
      const share = hops_of_profile(join(dir(vai), f), GIAY * 1e6, sau_tat_us);
      for (const k of HOPS) hops[k] += share[k] * us;
    }
    cpu[b.ten] = { rps: r.requests.average, gateway_us: (sau.g - truoc.g) / n, model_us: (sau.m - truoc.m) / n, total_us: (sau.g - truoc.g + sau.m - truoc.m) / n, main_thread_us: (sau.main - truoc.main) / n, hops_us: hops };
    console.log(`  cpu ${b.ten.padEnd(20)} ${cpu[b.ten]!.total_us.toFixed(0)} µs/request (gateway ${cpu[b.ten]!.gateway_us.toFixed(0)}, model ${cpu[b.ten]!.model_us.toFixed(0)}); main thread by hop: ${HOPS.map((h) => `${h} ${hops[h].toFixed(1)}`).join(', ')}`);
  }
  console.log(`\nCPU per request at ${TOC_DO_PROFILE} req/s with the profiler on (it adds its own cost: read these as hop shares) (both services, /proc, all threads) and split by hop with each service's main-thread profile shares (--cpu-prof), µs`);
  console.log(`| variant | CPU µs/request | gateway | model | main threads | ${HOPS.join(' | ')} |`);
  console.log(`|---|---:|---:|---:|---:|${HOPS.map(() => '---:').join('|')}|`);
  for (const [k, v] of Object.entries(cpu)) console.log(`| \`${k}\` | ${v.total_us.toFixed(0)} | ${v.gateway_us.toFixed(0)} | ${v.model_us.toFixed(0)} | ${v.main_thread_us.toFixed(0)} | ${HOPS.map((h) => v.hops_us[h].toFixed(1)).join(' | ')} |`);
  // What each variant adds to `off` per request: the full SDK's against the standard stack's.
  const them = (k: BienThe, f: 'total_us' | 'main_thread_us') => (cpu[k]?.[f] ?? NaN) - (cpu.off?.[f] ?? NaN);
  const cpu_them = {
    full_sink_us: them('full_sink', 'total_us'),
    standard_otel_sink_us: them('standard_otel_sink', 'total_us'),
    full_sink_main_thread_us: them('full_sink', 'main_thread_us'),
    standard_otel_sink_main_thread_us: them('standard_otel_sink', 'main_thread_us'),
    none_exporters_main_thread_us: them('none_exporters', 'main_thread_us'),
  };
  console.log(`With the profiler, CPU added to off per request: full_sink ${cpu_them.full_sink_us.toFixed(0)} µs vs standard ${cpu_them.standard_otel_sink_us.toFixed(0)} µs (${(cpu_them.full_sink_us / cpu_them.standard_otel_sink_us).toFixed(2)}x); main threads ${cpu_them.full_sink_main_thread_us.toFixed(0)} vs ${cpu_them.standard_otel_sink_main_thread_us.toFixed(0)} µs (${(cpu_them.full_sink_main_thread_us / cpu_them.standard_otel_sink_main_thread_us).toFixed(2)}x); none_exporters ${cpu_them.none_exporters_main_thread_us.toFixed(0)} µs`);

  mkdirSync(join(REPO, '.bench-results'), { recursive: true });
  writeFileSync(
    join(REPO, '.bench-results/load.json'),
    `${JSON.stringify(
      {
        ten: 'load',
        node: process.version,
        thoi_diem: new Date().toISOString(),
        cpus: cpus().length,
        tuy_chon: { giay: GIAY, vong: VONG, ket_noi: KET_NOI, duong: 'POST /predict', toc_do_profile: TOC_DO_PROFILE },
        variants: Object.fromEntries(bang.map((b) => [b.ten, { mo_ta: b.mo_ta, rps: b.rps, p50_ms: b.p50_ms, p99_ms: b.p99_ms, loss: b.ten === 'off' ? 0 : b.loss, cpu_us_per_request: b.cpu_us, main_thread_us_per_request: b.main_thread_us, non2xx: b.non2xx, loi: b.loi }])),
        muc_tieu,
        cpu_per_request: cpu,
        cpu_added_to_off_per_request: cpu_them,
        cpu_profiles: '.bench-results/cpu-prof/<variant>/<gateway|model>/*.cpuprofile',
        lan,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await Promise.all(demos.map((d) => d.dung()));
  for (const k of sinks) k.close();
  await stack?.stop();
  await nhan?.dung();
}
