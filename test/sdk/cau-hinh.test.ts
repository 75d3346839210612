import assert from 'node:assert/strict';
import { giai_cau_hinh, LoiCauHinh } from '../../src/index.js';

describe('sdk/cau-hinh: configuration from OTEL_* env and options', () => {
  it('embedded defaults with no endpoint: memory traces, Prometheus text, no OTel log export', () => {
    const c = giai_cau_hinh({ env: {} });
    assert.deepEqual(c.traces, ['memory']);
    assert.deepEqual(c.metrics, ['prometheus']);
    assert.deepEqual(c.logs, []);
    assert.equal(c.prometheus.phuc_vu, false, 'the defaulted prometheus output serves no port');
    assert.equal(c.tat_sdk, false);
  });

  it('an OTLP endpoint switches the defaults to OTLP and derives per-signal URLs', () => {
    const c = giai_cau_hinh({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' } });
    assert.deepEqual(c.traces, ['otlp']);
    assert.deepEqual(c.metrics, ['prometheus', 'otlp']);
    assert.deepEqual(c.logs, ['otlp']);
    assert.equal(c.otlp.traces.url, 'http://127.0.0.1:4318/v1/traces');
    assert.equal(c.otlp.logs.url, 'http://127.0.0.1:4318/v1/logs');
    assert.equal(c.otlp.metrics.protocol, 'http/protobuf');
  });

  it('a per-signal endpoint is used as is, and its protocol variable wins over the shared one', () => {
    const c = giai_cau_hinh({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:1',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:2/custom',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf',
      },
    });
    assert.equal(c.otlp.traces.url, 'http://b:2/custom');
    assert.equal(c.otlp.traces.protocol, 'http/json');
    assert.equal(c.otlp.logs.protocol, 'http/protobuf');
  });

  it('code options override the environment', () => {
    const c = giai_cau_hinh({
      env: { OTEL_SERVICE_NAME: 'tu-env', OTEL_TRACES_EXPORTER: 'console', OTEL_EXPORTER_PROMETHEUS_PORT: '9999' },
      ten_dich_vu: 'tu-code',
      traces_exporter: ['memory'],
      prometheus: { port: 0 },
    });
    assert.equal(c.ten_dich_vu, 'tu-code');
    assert.deepEqual(c.traces, ['memory']);
    assert.equal(c.prometheus.port, 0);
  });

  it('parses exporter lists, drops "none", and serves Prometheus when it is named', () => {
    const c = giai_cau_hinh({ env: { OTEL_METRICS_EXPORTER: ' prometheus , otlp ', OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1' } });
    assert.deepEqual(c.metrics, ['prometheus', 'otlp']);
    assert.deepEqual(c.traces, []);
    assert.deepEqual(c.prometheus, { host: '127.0.0.1', port: 9464, phuc_vu: true });
  });

  it('reads OTEL_RESOURCE_ATTRIBUTES with percent-encoding', () => {
    const c = giai_cau_hinh({ env: { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,team=AI%20Vi%E1%BB%87t' } });
    assert.deepEqual(c.thuoc_tinh, { 'deployment.environment': 'prod', team: 'AI Việt' });
  });

  const loi: Array<[string, Record<string, string>, string]> = [
    ['a malformed endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    ['a non-http endpoint', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x/y' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    ['grpc', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    ['an unknown protocol', { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'carrier-pigeon' }, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL'],
    ['a bad port', { OTEL_EXPORTER_PROMETHEUS_PORT: '70000' }, 'OTEL_EXPORTER_PROMETHEUS_PORT'],
    ['a non-boolean disable flag', { OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED'],
    ['a bad interval', { OTEL_METRIC_EXPORT_INTERVAL: '-5' }, 'OTEL_METRIC_EXPORT_INTERVAL'],
    ['an exporter name with spaces', { OTEL_LOGS_EXPORTER: 'my exporter' }, 'OTEL_LOGS_EXPORTER'],
    ['a batch larger than the queue', { OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20' }, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'],
    ['a malformed resource attribute', { OTEL_RESOURCE_ATTRIBUTES: 'novalue' }, 'OTEL_RESOURCE_ATTRIBUTES'],
  ];
  for (const [ten, env, bien] of loi) {
    it(`rejects ${ten} with a LoiCauHinh naming ${bien}`, () => {
      assert.throws(
        () => giai_cau_hinh({ env }),
        (e: unknown) => e instanceof LoiCauHinh && e.bien === bien && e.message.startsWith(`${bien}:`),
      );
    });
  }

  it('OTEL_SDK_DISABLED=true is read', () => {
    assert.equal(giai_cau_hinh({ env: { OTEL_SDK_DISABLED: 'TRUE' } }).tat_sdk, true);
  });
});

describe('sdk/cau-hinh: trace sampler (OTEL_TRACES_SAMPLER)', () => {
  it('defaults to parentbased_always_on with an exporter and parentbased_always_off without one', () => {
    assert.deepEqual(giai_cau_hinh({ env: {} }).lay_mau, { loai: 'parentbased_always_on', ty_le: 1 });
    assert.deepEqual(giai_cau_hinh({ env: { OTEL_TRACES_EXPORTER: 'none' } }).lay_mau, { loai: 'parentbased_always_off', ty_le: 1 });
  });
  it('reads the sampler and its ratio from the environment; the option wins', () => {
    assert.deepEqual(giai_cau_hinh({ env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' } }).lay_mau, { loai: 'parentbased_traceidratio', ty_le: 0.25 });
    assert.deepEqual(giai_cau_hinh({ env: { OTEL_TRACES_SAMPLER: 'always_off' }, lay_mau: { loai: 'traceidratio', ty_le: 0.5 } }).lay_mau, { loai: 'traceidratio', ty_le: 0.5 });
  });
  it('rejects an unknown sampler or a ratio outside [0, 1], naming the variable', () => {
    assert.throws(() => giai_cau_hinh({ env: { OTEL_TRACES_SAMPLER: 'sometimes' } }), (e: unknown) => e instanceof LoiCauHinh && e.bien === 'OTEL_TRACES_SAMPLER');
    assert.throws(() => giai_cau_hinh({ env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' } }), (e: unknown) => e instanceof LoiCauHinh && e.bien === 'OTEL_TRACES_SAMPLER_ARG');
  });
});

describe('sdk/cau-hinh: OTEL_NODE_DISABLED_INSTRUMENTATIONS', () => {
  it('"http" (or its package name) turns the HTTP instrumentation off; an explicit option wins', () => {
    assert.equal(giai_cau_hinh({ env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs, http' } }).http, false);
    assert.equal(giai_cau_hinh({ env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: '@opentelemetry/instrumentation-http' } }).http, false);
    assert.deepEqual(giai_cau_hinh({ env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http' }, http: true }).http, {});
    assert.deepEqual(giai_cau_hinh({ env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'https-proxy' } }).http, {});
  });
  it('"undici" (or its package name) turns the fetch/undici instrumentation off, and only it; an explicit option wins', () => {
    const c = giai_cau_hinh({ env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici' } });
    assert.equal(c.undici, false);
    assert.deepEqual(c.http, {});
    assert.equal(giai_cau_hinh({ env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,@opentelemetry/instrumentation-undici' } }).undici, false);
    assert.deepEqual(giai_cau_hinh({ env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici' }, undici: true }).undici, {});
    assert.deepEqual(giai_cau_hinh({ env: {} }).undici, {});
    assert.throws(() => giai_cau_hinh({ undici: 'no' as never }), (e: unknown) => e instanceof LoiCauHinh && e.bien === 'undici');
  });
});
