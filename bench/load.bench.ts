/**
 * Load and overhead (issue 7): the demo service (gateway + model service,
 * built files, two processes each) under a bounded loopback load,
 * `POST /predict` with a JSON body, autocannon with fixed connections and
 * duration, with the FULL SDK on (traces, logs and metrics over OTLP/HTTP to
 * a real OpenTelemetry Collector, Prometheus scraping both services'
 * /metrics every second) vs the same demo with OTEL_SDK_DISABLED=true. Both
 * run side by side in this one process's time line: runs alternate
 * (ON OFF, OFF ON, ...) so machine drift hits both alike; medians are
 * reported. Goal: throughput loss at most 10 %.
 *
 *   npm run bench -- load            (or: npm run build && npx tsx bench/load.bench.ts)
 *   env: LOAD_SECONDS (5), LOAD_ROUNDS (3), LOAD_CONNECTIONS (20)
 *
 * Three more variants attribute the cost: the full SDK exporting to a null
 * sink (what the services pay without the collector's CPU on this machine),
 * the same without OTel's HTTP instrumentation, and the SDK with every
 * exporter `none` (instrumentation and context only; spans not recorded).
 *
 * Without the stack binaries (npm run stack:install) the ON variant exports
 * to a local OTLP receiver (test/support/otlp.ts) and nothing scrapes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { stackBinaries, startStack, type Stack } from '../test/e2e/support/stack.js';
import { MayNhanOtlp } from '../test/support/otlp.js';
import { bat_demo, chay_tai, cong_trong, REPO, trung_vi, type Demo, type KetQuaAutocannon } from './dich-vu-demo.js';

function so_env(bien: string, mac_dinh: number): number {
  const v = Number(process.env[bien] ?? mac_dinh);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${bien} must be an integer >= 1`);
  return v;
}
const GIAY = so_env('LOAD_SECONDS', 5);
const VONG = so_env('LOAD_ROUNDS', 3);
const KET_NOI = so_env('LOAD_CONNECTIONS', 20);

type BienThe = 'on' | 'on_sink' | 'on_no_http' | 'on_no_export' | 'off';
interface LanChay {
  bien_the: BienThe;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  tong: number;
  non2xx: number;
  loi: number;
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

  const BIEN_THE: { ten: BienThe; mo_ta: string; env: Record<string, string>; cong?: { port: number; model_port: number } }[] = [
    { ten: 'on', mo_ta: `SDK on, full: ${dich}`, env: { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: dich_otlp, OTEL_METRIC_EXPORT_INTERVAL: '5000' }, cong: { port: pOn, model_port: mOn } },
    { ten: 'on_sink', mo_ta: 'SDK on, full, OTLP to a null sink (no collector CPU on this machine)', env: { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: url_sink, OTEL_METRIC_EXPORT_INTERVAL: '5000' } },
    { ten: 'on_no_http', mo_ta: 'SDK on, full, OTLP to a null sink, without the OTel HTTP instrumentation (OTEL_NODE_DISABLED_INSTRUMENTATIONS=http)', env: { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: url_sink, OTEL_METRIC_EXPORT_INTERVAL: '5000', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http' } },
    { ten: 'on_no_export', mo_ta: 'SDK on, every exporter "none" (instrumentation and context only)', env: { OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' } },
    { ten: 'off', mo_ta: 'SDK off (OTEL_SDK_DISABLED=true)', env: { OTEL_SDK_DISABLED: 'true' } },
  ];
  const url_cua = new Map<BienThe, string>();
  for (const b of BIEN_THE) {
    const d = await bat_demo(`load-${b.ten}`, b.env, b.cong);
    demos.push(d);
    url_cua.set(b.ten, d.url);
    // Warm-up: JIT, connection pools, the collector's first batches.
    await chay_tai(d.url, { giay: 2, ket_noi: KET_NOI });
  }

  const lan: LanChay[] = [];
  const mot = async (bien_the: BienThe): Promise<void> => {
    const r: KetQuaAutocannon = await chay_tai(url_cua.get(bien_the)!, { giay: GIAY, ket_noi: KET_NOI });
    const x = { bien_the, rps: r.requests.average, p50_ms: r.latency.p50, p99_ms: r.latency.p99, tong: r.requests.total, non2xx: r.non2xx, loi: r.errors + r.timeouts };
    lan.push(x);
    console.log(`  ${bien_the.padEnd(12)} ${x.rps.toFixed(0).padStart(6)} req/s  p50 ${x.p50_ms} ms  p99 ${x.p99_ms} ms  non-2xx ${x.non2xx}  errors ${x.loi}`);
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
    non2xx: cua(b).reduce((n, l) => n + l.non2xx, 0),
    loi: cua(b).reduce((n, l) => n + l.loi, 0),
  });
  const OFF = tom('off');
  const bang = BIEN_THE.map((b) => ({ ...b, ...tom(b.ten), mat_pct: (1 - tom(b.ten).rps / OFF.rps) * 100 }));
  const mat = bang[0]!.mat_pct;
  const dat = mat <= 10;

  console.log(`\nload: demo POST /predict (gateway -> model service), ${KET_NOI} connections, ${GIAY} s per run, ${VONG} runs per variant (rotating), medians; ${cpus().length} CPUs shared by everything`);
  console.log('| variant | req/s | p50 ms | p99 ms | throughput loss vs off | non-2xx | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const b of bang) console.log(`| ${b.mo_ta} | ${b.rps.toFixed(0)} | ${b.p50_ms} | ${b.p99_ms} | ${b.ten === 'off' ? '-' : `${b.mat_pct.toFixed(1)} %`} | ${b.non2xx} | ${b.loi} |`);
  console.log(`throughput loss, full SDK vs off: ${mat.toFixed(1)} % (goal <= 10 %): ${dat ? 'MET' : 'NOT MET'}; p99 on/off ${(bang[0]!.p99_ms / OFF.p99_ms).toFixed(2)}x`);

  mkdirSync(join(REPO, '.bench-results'), { recursive: true });
  writeFileSync(
    join(REPO, '.bench-results/load.json'),
    `${JSON.stringify(
      {
        ten: 'load',
        node: process.version,
        thoi_diem: new Date().toISOString(),
        cpus: cpus().length,
        tuy_chon: { giay: GIAY, vong: VONG, ket_noi: KET_NOI, duong: 'POST /predict' },
        trung_vi: Object.fromEntries(bang.map((b) => [b.ten, { mo_ta: b.mo_ta, rps: b.rps, p50_ms: b.p50_ms, p99_ms: b.p99_ms, mat_pct: b.mat_pct, non2xx: b.non2xx, loi: b.loi }])),
        mat_thong_luong_pct: mat,
        nguong_pct: 10,
        dat,
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
