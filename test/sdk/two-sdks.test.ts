/**
 * Two SDKs never fight (issue #12, item 3), with the real
 * @opentelemetry/sdk-node in both start orders. The chosen behaviour:
 * khoi_dong_sdk() refuses to start beside another registered SDK
 * (LoiCauHinh pointing to tao_metric_producer()), so it can neither fail its
 * registrations silently nor divert the other SDK's spans.
 */
import assert from 'node:assert/strict';
import { context, logs, metrics, propagation, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { BoNhoSpanExporter, khoi_dong_sdk, LoiCauHinh, sdk_hien_tai } from '../../src/index.js';
import { bat_stderr } from '../support/stderr.js';

/** Flushes the registered tracer provider (InMemorySpanExporter forgets its spans at shutdown). */
const xa = () => ((trace.getTracerProvider() as ProxyTracerProvider).getDelegate() as unknown as { forceFlush(): Promise<void> }).forceFlush();

function goHet(): void {
  trace.disable();
  metrics.disable();
  logs.disable();
  propagation.disable();
  context.disable();
}

describe('sdk: two SDKs never fight (real @opentelemetry/sdk-node)', function () {
  afterEach(async () => {
    await sdk_hien_tai()?.tat();
    goHet();
  });

  it('NodeSDK first: khoi_dong_sdk() throws LoiCauHinh naming tao_metric_producer(), registers nothing, and the user\'s spans stay theirs', async () => {
    const cua_ho = new InMemorySpanExporter();
    const node = new NodeSDK({ spanProcessors: [new SimpleSpanProcessor({ exporter: cua_ho })], metricReaders: [], logRecordProcessors: [], instrumentations: [] });
    node.start();
    try {
      assert.throws(
        () => khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', http: false }),
        (e: unknown) => e instanceof LoiCauHinh && e.bien === 'khoi_dong_sdk' && /already registered \(tracer provider.*context manager\)/.test(e.message) && /tao_metric_producer\(\)/.test(e.message),
      );
      assert.equal(sdk_hien_tai(), undefined);
      trace.getTracer('app').startSpan('cua-ho').end();
      await xa(); // the span waits for the host detector's async attributes
      assert.deepEqual(cua_ho.getFinishedSpans().map((s) => s.name), ['cua-ho']);
    } finally {
      await node.shutdown();
    }
  });

  it('a logger provider and a context manager, with no tracer or meter provider, are enough to refuse', async () => {
    const node = new NodeSDK({ spanProcessors: [], metricReaders: [], logRecordProcessors: [], instrumentations: [] });
    node.start(); // a context manager and a logger provider, no tracer or meter provider
    try {
      assert.throws(() => khoi_dong_sdk({ metrics_exporter: 'none', http: false }), /already registered \(logger provider, context manager\)/);
    } finally {
      await node.shutdown();
    }
  });

  it('khoi_dong_sdk() first: a NodeSDK started later cannot take the API over (the API keeps the first registration and says so on diag); every span stays in this pipeline', async () => {
    const sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', http: false })!;
    const cua_ho = new InMemorySpanExporter();
    const node = new NodeSDK({ spanProcessors: [new SimpleSpanProcessor({ exporter: cua_ho })], metricReaders: [], logRecordProcessors: [], instrumentations: [] });
    const loi = bat_stderr(() => node.start());
    assert.ok(loi.some((l) => /duplicate registration of API: trace/.test(l)), loi.join('\n'));
    trace.getTracer('app').startSpan('cua-toi').end();
    await sdk.flush();
    assert.deepEqual((sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans().map((s) => s.name), ['cua-toi']);
    assert.equal(sdk_hien_tai(), sdk);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(cua_ho.getFinishedSpans().length, 0);
    await node.shutdown();
  });

  it('after tat(), nothing is left registered: khoi_dong_sdk() starts again and so could a NodeSDK', async () => {
    await khoi_dong_sdk({ metrics_exporter: 'none', http: false })!.tat();
    const lai = khoi_dong_sdk({ metrics_exporter: 'none', http: false });
    assert.ok(lai);
    await lai.tat();
  });
});
