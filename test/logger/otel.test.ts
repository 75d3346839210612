import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BoNhoLogExporter, BoNhoSpanExporter } from '../../exporters/memory.js';
import { khoi_dong_sdk, type SdkDangChay } from '../../src/sdk/index.js';
import { LoggerCauTruc, TEN_SCOPE_LOG, voi_context } from '../../src/logger/index.js';
import { bo_thu, doc } from './support.js';

function batSdk(): SdkDangChay {
  return khoi_dong_sdk({ logs_exporter: 'memory', traces_exporter: 'memory', metrics_exporter: 'prometheus', prometheus: { phuc_vu: false }, http: false })!;
}

function banGhi(sdk: SdkDangChay): ReadableLogRecord[] {
  return (sdk.exporters.logs[0] as BoNhoLogExporter).lay_logs().filter((r) => r.instrumentationScope.name === TEN_SCOPE_LOG);
}

describe('logger/OTel: every line is also an OTel log record, correlated with the active span', function () {
  let sdk: SdkDangChay | undefined;
  afterEach(async () => {
    await sdk?.tat();
    sdk = undefined;
  });

  it('severity, severityText, body, attributes and the span context match the JSON line', async () => {
    sdk = batSdk();
    const b = bo_thu();
    const l = new LoggerCauTruc({ ten: 'otel-test', output: b.w, cap_do: 'DEBUG', context_mac_dinh: { service: 'api' } });
    trace.getTracer('t').startActiveSpan('yeu-cau', (span) => {
      l.debug('d', { n: 1 });
      l.info('i', { user_id: 'u1', latency_ms: 12.5, ok: true, nested: { a: [1, 2] }, big: 5n });
      l.warning('w');
      l.error('e', { password: 'hunter2' }, new TypeError('bad input'));
      l.critical('c');
      span.end();
    });
    l.info('outside any span');
    await sdk.flush();
    const ds = await doc(l, b);
    const rs = banGhi(sdk);
    assert.equal(rs.length, 6);
    assert.deepEqual(rs.map((r) => r.severityNumber), [5, 9, 13, 17, 21, 9]);
    assert.deepEqual(rs.map((r) => r.severityText), ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'INFO']);
    assert.deepEqual(rs.map((r) => r.body), ['d', 'i', 'w', 'e', 'c', 'outside any span']);
    const span = (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans()[0];
    assert.ok(span);
    for (let i = 0; i < 5; i++) {
      const line = ds[i] as { trace_id: string; span_id: string };
      assert.match(line.trace_id, /^[0-9a-f]{32}$/);
      assert.equal(rs[i]?.spanContext?.traceId, line.trace_id, 'the record and the line carry the same trace id');
      assert.equal(rs[i]?.spanContext?.spanId, line.span_id);
      assert.equal(line.trace_id, span.spanContext().traceId);
    }
    assert.equal(rs[5]?.spanContext, undefined);
    assert.equal('trace_id' in (ds[5] ?? {}), false);
    assert.deepEqual(rs[1]?.attributes, { service: 'api', user_id: 'u1', latency_ms: 12.5, ok: true, nested: '{"a":[1,2]}', big: '5' });
    const scope = rs[1]?.instrumentationScope as { name: string; version?: string; attributes?: Record<string, unknown> };
    assert.deepEqual([scope.name, scope.version, scope.attributes], [TEN_SCOPE_LOG, '0.1.0', { 'logger.name': 'otel-test' }], 'the logger name is a scope attribute');
    const e = rs[3]?.attributes ?? {};
    assert.equal(e.password, '[REDACTED]', 'redaction applies to the OTel record too');
    assert.equal(e['exception.type'], 'TypeError');
    assert.equal(e['exception.message'], 'bad input');
    assert.match(String(e['exception.stacktrace']), /^TypeError: bad input\n/);
    assert.equal(JSON.stringify(rs.map((r) => r.attributes)).includes('hunter2'), false);
    // Timestamps agree with the line (ms precision).
    const [s, ns] = rs[1]?.hrTime ?? [0, 0];
    assert.equal(new Date(s * 1000 + Math.floor(ns / 1e6)).toISOString(), ds[1]?.timestamp);
  });

  it('request-scoped context reaches the record; otel:false emits nothing; filtered levels emit nothing', async () => {
    sdk = batSdk();
    const b = bo_thu();
    const l = new LoggerCauTruc({ ten: 'ctx', output: b.w });
    const tat = new LoggerCauTruc({ ten: 'no-otel', output: b.w, otel: false });
    voi_context({ request_id: 'r-9', session_token: 's' }, () => {
      l.info('with ctx');
      tat.info('line only');
      l.debug('filtered');
    });
    await sdk.flush();
    const rs = banGhi(sdk);
    assert.equal(rs.length, 1);
    assert.equal(rs[0]?.attributes.request_id, 'r-9');
    assert.equal(rs[0]?.attributes.session_token, '[REDACTED]');
    assert.equal((await doc(l, b)).length, 2);
  });

  it('a logger made before the SDK starts, and across an SDK restart, still reaches the current SDK', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ ten: 'early', output: b.w });
    l.info('no sdk yet');
    sdk = batSdk();
    l.info('first sdk');
    await sdk.flush();
    assert.deepEqual(banGhi(sdk).map((r) => r.body), ['first sdk']);
    await sdk.tat();
    l.info('between sdks');
    sdk = batSdk();
    l.info('second sdk');
    await sdk.flush();
    assert.deepEqual(banGhi(sdk).map((r) => r.body), ['second sdk']);
    assert.equal(l.thong_ke().bi_bo.loi_otel, 0);
    assert.equal((await doc(l, b)).length, 4, 'every line is written whether or not an SDK runs');
  });

  it('a full OTel queue never throws and every line is still written', async () => {
    sdk = khoi_dong_sdk({ logs_exporter: 'memory', traces_exporter: 'none', metrics_exporter: 'prometheus', prometheus: { phuc_vu: false }, http: false, bo_xu_ly: { max_queue_size: 10, max_export_batch_size: 10, scheduled_delay_ms: 60_000 } })!;
    const b = bo_thu();
    const l = new LoggerCauTruc({ ten: 'burst', output: b.w });
    assert.doesNotThrow(() => {
      for (let i = 0; i < 500; i++) l.info('burst', { i });
    });
    assert.equal((await doc(l, b)).length, 500);
    await sdk.flush();
    const giao = banGhi(sdk).length;
    assert.ok(giao >= 10 && giao <= 20, `delivered ${giao}`);
    const tk = await sdk.thong_ke();
    assert.equal(tk.logs.tong_bi_bo, 500 - giao, 'the batch processor counted every record it dropped');
    assert.equal(l.thong_ke().bi_bo.loi_otel, 0);
  });

  it('OTLP/HTTP (json) to a real local receiver: the body holds the records with the trace id', async () => {
    const than: string[] = [];
    const may: Server = createServer((req, res) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/logs') than.push(s);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => may.listen(0, '127.0.0.1', () => r()));
    const port = (may.address() as AddressInfo).port;
    try {
      sdk = khoi_dong_sdk({
        logs_exporter: 'otlp',
        traces_exporter: 'memory',
        metrics_exporter: 'prometheus',
        prometheus: { phuc_vu: false },
        http: false,
        otlp: { logs_endpoint: `http://127.0.0.1:${port}/v1/logs`, protocol: 'http/json' },
      })!;
      const b = bo_thu();
      const l = new LoggerCauTruc({ ten: 'otlp', output: b.w });
      trace.getTracer('t').startActiveSpan('op', (span) => {
        l.warning('qua OTLP', { model: 'phobert', api_key: 'sk-123' });
        span.end();
      });
      await sdk.flush();
      const [line] = await doc(l, b);
      assert.ok(than.length >= 1, 'the receiver got a POST');
      const goc = JSON.parse(than.join('')) as {
        resourceLogs: Array<{ scopeLogs: Array<{ scope: { name: string; attributes?: Array<{ key: string; value: { stringValue?: string } }> }; logRecords: Array<{ severityNumber: number; severityText: string; body: { stringValue: string }; traceId: string; spanId: string; attributes: Array<{ key: string; value: { stringValue?: string } }> }> }> }>;
      };
      const scopes = goc.resourceLogs.flatMap((r) => r.scopeLogs).filter((s) => s.scope.name === TEN_SCOPE_LOG);
      assert.deepEqual(scopes.map((s) => s.scope.attributes), [[{ key: 'logger.name', value: { stringValue: 'otlp' } }]]);
      const recs = scopes.flatMap((s) => s.logRecords);
      assert.equal(recs.length, 1);
      const r = recs[0]!;
      assert.equal(r.severityNumber, 13);
      assert.equal(r.severityText, 'WARNING');
      assert.equal(r.body.stringValue, 'qua OTLP');
      assert.equal(r.traceId, line?.trace_id);
      assert.equal(r.spanId, line?.span_id);
      const a = Object.fromEntries(r.attributes.map((x) => [x.key, x.value.stringValue]));
      assert.equal(a.model, 'phobert');
      assert.equal(a.api_key, '[REDACTED]');
      assert.equal(than.join('').includes('sk-123'), false);
    } finally {
      await sdk?.tat();
      sdk = undefined;
      await new Promise<void>((r) => may.close(() => r()));
    }
  });
});
