/**
 * Runtime metrics: on by default with the SDK, under semantic-convention
 * names, in /metrics (promtool-clean) and over OTLP (a real receiver), off by
 * option or by OTEL_NODE_DISABLED_INSTRUMENTATIONS.
 */
import assert from 'node:assert/strict';
import { khoi_dong_sdk, LoiCauHinh, type SdkDangChay } from '../../src/index.js';
import { assertValidExposition } from '../support/promtool.js';
import { MayNhanOtlp, thuoc_tinh, type BanGhi } from '../support/otlp.js';
import { waitFor } from '../support/wait.js';

/** The semconv instrument names and their Prometheus family names. */
const TEN: Array<[string, string]> = [
  ['nodejs.eventloop.delay.min', 'nodejs_eventloop_delay_min_seconds'],
  ['nodejs.eventloop.delay.max', 'nodejs_eventloop_delay_max_seconds'],
  ['nodejs.eventloop.delay.mean', 'nodejs_eventloop_delay_mean_seconds'],
  ['nodejs.eventloop.delay.p50', 'nodejs_eventloop_delay_p50_seconds'],
  ['nodejs.eventloop.delay.p90', 'nodejs_eventloop_delay_p90_seconds'],
  ['nodejs.eventloop.delay.p99', 'nodejs_eventloop_delay_p99_seconds'],
  ['nodejs.eventloop.utilization', 'nodejs_eventloop_utilization_ratio'],
  ['v8js.gc.duration', 'v8js_gc_duration_seconds'],
  ['v8js.memory.heap.used', 'v8js_memory_heap_used_bytes'],
  ['v8js.memory.heap.space.size', 'v8js_memory_heap_space_size_bytes'],
  ['process.cpu.time', 'process_cpu_time_seconds_total'],
  ['process.memory.usage', 'process_memory_usage_bytes'],
];

/**
 * Makes some garbage (a few MB) and yields. Called until a GC was seen: after
 * many tests V8's young generation has grown, so one round may not fill it.
 */
async function lam_rac(): Promise<void> {
  let giu: unknown[] = [];
  for (let i = 0; i < 10; i++) {
    giu = [];
    for (let j = 0; j < 50_000; j++) giu.push({ j, s: `x${j}` });
    await new Promise((r) => setImmediate(r));
  }
  assert.ok(giu.length > 0);
}

describe('sdk/runtime metrics: event loop, GC, V8 heap, process CPU and memory', function () {
  let sdk: SdkDangChay | undefined;
  let nhan: MayNhanOtlp | undefined;
  afterEach(async () => {
    await sdk?.tat();
    sdk = undefined;
    await nhan?.dung();
    nhan = undefined;
  });

  it('on by default: every family in /metrics with its semconv name and attributes, promtool-clean', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'none', metrics_exporter: 'prometheus', logs_exporter: 'none', env: {} })!;
    // The delay gauges need 5 monitor samples since the last collection, and GC
    // durations a GC: make garbage until both are in.
    const text = await waitFor(
      async () => {
        await lam_rac();
        const t = await sdk!.export_prometheus();
        return t.includes('\nnodejs_eventloop_delay_min_seconds ') && t.includes('\nv8js_gc_duration_seconds_count{') ? t : undefined;
      },
      20_000,
      'the event-loop delay gauges and GC durations in /metrics',
      100,
    );
    const exp = await assertValidExposition(text);
    for (const [, ten] of TEN) assert.ok(exp.families.has(ten.replace(/_total$/, '')) || exp.families.has(ten), `${ten} missing`);
    assert.match(text, /^v8js_memory_heap_used_bytes\{v8js_heap_space_name="old_space"\} [1-9]/m);
    assert.match(text, /^v8js_memory_heap_space_size_bytes\{v8js_heap_space_name="old_space"\} [1-9]/m);
    assert.match(text, /^v8js_gc_duration_seconds_count\{v8js_gc_type="(minor|major|incremental|weakcb)"\} [1-9]/m);
    assert.match(text, /^process_cpu_time_seconds_total\{cpu_mode="user"\} /m);
    assert.match(text, /^process_cpu_time_seconds_total\{cpu_mode="system"\} /m);
    const rss = Number(/^process_memory_usage_bytes (\S+)$/m.exec(text)?.[1]);
    assert.ok(rss > 10 * 2 ** 20, `rss ${rss}`);
  });

  it('over OTLP with the semconv names, units and attributes', async () => {
    nhan = new MayNhanOtlp();
    await nhan.bat_dau();
    sdk = khoi_dong_sdk({ traces_exporter: 'none', metrics_exporter: 'otlp', logs_exporter: 'none', otlp: { endpoint: `http://127.0.0.1:${nhan.port}` }, env: {} })!;
    // As above: push until the delay gauges and GC durations are in.
    const theoTen = new Map<string, BanGhi>();
    await waitFor(
      async () => {
        await lam_rac();
        assert.equal(await sdk!.flush(), true);
        for (const m of nhan!.metrics()) theoTen.set(m.name as string, m);
        return theoTen.has('nodejs.eventloop.delay.min') && theoTen.has('v8js.gc.duration');
      },
      20_000,
      'the event-loop delay gauges and GC durations over OTLP',
      100,
    );
    for (const [ten] of TEN) assert.ok(theoTen.has(ten), `${ten} missing over OTLP`);
    assert.equal(theoTen.get('nodejs.eventloop.delay.p99')!.unit, 's');
    assert.equal(theoTen.get('process.memory.usage')!.unit, 'By');
    const gc = theoTen.get('v8js.gc.duration')!.histogram as { dataPoints: Array<{ attributes: unknown }> };
    assert.ok(gc.dataPoints.some((d) => typeof thuoc_tinh(d.attributes, 'v8js.gc.type') === 'string'));
    const heap = theoTen.get('v8js.memory.heap.used')!.gauge as { dataPoints: Array<{ attributes: unknown }> };
    assert.ok(heap.dataPoints.some((d) => thuoc_tinh(d.attributes, 'v8js.heap.space.name') === 'old_space'));
  });

  it('off with runtime_node: false, or OTEL_NODE_DISABLED_INSTRUMENTATIONS=runtime-node (the option wins)', async () => {
    const khong_co = async (s: SdkDangChay): Promise<void> => {
      const text = await s.export_prometheus();
      for (const [, ten] of TEN) assert.ok(!text.includes(`\n${ten}`), `${ten} present`);
      await s.tat();
    };
    const co_so = { traces_exporter: 'none', metrics_exporter: 'prometheus', logs_exporter: 'none' } as const;
    await khong_co(khoi_dong_sdk({ ...co_so, runtime_node: false, env: {} })!);
    await khong_co(khoi_dong_sdk({ ...co_so, env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http, runtime-node' } })!);
    await khong_co(khoi_dong_sdk({ ...co_so, env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: '@opentelemetry/instrumentation-runtime-node' } })!);
    sdk = khoi_dong_sdk({ ...co_so, runtime_node: true, env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'runtime-node' } })!;
    assert.match(await sdk.export_prometheus(), /^process_memory_usage_bytes /m);
  });

  it('a bad runtime_node option is a LoiCauHinh naming it', () => {
    assert.throws(() => khoi_dong_sdk({ runtime_node: 'yes' as never }), (e: unknown) => e instanceof LoiCauHinh && /runtime_node/.test(e.message));
  });
});
