import assert from 'node:assert/strict';
import { giai_cau_hinh, LoiCauHinh, type CauHinh, type TuyChonSdk } from '../../src/index.js';

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

  /** Each bad variable: one warning naming it, its value and the default, which is used. */
  const sai: Array<[string, Record<string, string>, string, (c: CauHinh) => unknown, unknown]> = [
    ['a malformed endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, 'OTEL_EXPORTER_OTLP_ENDPOINT', (c) => c.otlp.traces.url, undefined],
    ['a non-http endpoint', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x/y' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', (c) => c.traces, ['memory']],
    ['an unknown protocol', { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'carrier-pigeon' }, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', (c) => c.otlp.metrics.protocol, 'http/protobuf'],
    ['a bad port', { OTEL_EXPORTER_PROMETHEUS_PORT: '70000' }, 'OTEL_EXPORTER_PROMETHEUS_PORT', (c) => c.prometheus.port, 9464],
    ['a non-boolean disable flag', { OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED', (c) => c.tat_sdk, false],
    ['a bad interval', { OTEL_METRIC_EXPORT_INTERVAL: '-5' }, 'OTEL_METRIC_EXPORT_INTERVAL', (c) => c.chu_ky_metrics_ms, 60_000],
    ['an exporter name with spaces', { OTEL_LOGS_EXPORTER: 'my exporter' }, 'OTEL_LOGS_EXPORTER', (c) => c.logs, []],
    ['an unknown exporter', { OTEL_TRACES_EXPORTER: 'nope' }, 'OTEL_TRACES_EXPORTER', (c) => c.traces, ['memory']],
    ['a batch larger than the queue', { OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20' }, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', (c) => c.bo_xu_ly_spans.max_export_batch_size, 10],
    ['an unknown sampler', { OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER', (c) => c.lay_mau.loai, 'parentbased_always_on'],
    ['a ratio outside [0, 1]', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG', (c) => c.lay_mau, { loai: 'traceidratio', ty_le: 1 }],
    ['a ratio that is no number', { OTEL_TRACES_SAMPLER_ARG: 'abc' }, 'OTEL_TRACES_SAMPLER_ARG', (c) => c.lay_mau.ty_le, 1],
    ['headers without "="', { OTEL_EXPORTER_OTLP_HEADERS: 'garbage' }, 'OTEL_EXPORTER_OTLP_HEADERS', (c) => c.otlp.traces.headers, undefined],
    ['headers with bad percent-encoding', { OTEL_EXPORTER_OTLP_HEADERS: 'x,%zz=1' }, 'OTEL_EXPORTER_OTLP_HEADERS', (c) => c.otlp.logs.headers, undefined],
    ['a header value with CR/LF', { OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'a=b\r\nX-Evil: 1' }, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', (c) => c.otlp.traces.headers, undefined],
    ['an unknown temporality', { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sideways' }, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', (c) => c.otlp.temporality, 'cumulative'],
    ['an unknown resource detector', { OTEL_NODE_RESOURCE_DETECTORS: 'host,k8s' }, 'OTEL_NODE_RESOURCE_DETECTORS', (c) => c.phat_hien, undefined],
    ['an unknown log level', { OTEL_LOG_LEVEL: 'loud' }, 'OTEL_LOG_LEVEL', () => undefined, undefined],
  ];
  for (const [ten, env, bien, doc, macDinh] of sai) {
    it(`${ten}: one warning naming ${bien} and its value, and the default`, () => {
      const c = giai_cau_hinh({ env });
      assert.equal(c.canh_bao.length, 1, c.canh_bao.join('\n'));
      assert.ok(c.canh_bao[0]!.startsWith(`${bien}=${JSON.stringify(env[bien])}`), c.canh_bao[0]);
      assert.match(c.canh_bao[0]!, /using the default/);
      assert.deepEqual(doc(c), macDinh);
    });
  }

  it('malformed OTLP header and endpoint variables are hidden from the exporters; valid ones are passed on, merged per signal', () => {
    assert.deepEqual(giai_cau_hinh({ env: { OTEL_EXPORTER_OTLP_HEADERS: 'a=b\r\nX-Evil: 1', OTEL_EXPORTER_OTLP_ENDPOINT: 'nope' } }).bien_bi_an, ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS']);
    const c = giai_cau_hinh({ env: { OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%20d,x-a=1', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-a=2' } });
    assert.deepEqual(c.bien_bi_an, []);
    assert.deepEqual(c.otlp.traces.headers, { 'api-key': 'abc d', 'x-a': '1' });
    assert.deepEqual(c.otlp.logs.headers, { 'api-key': 'abc d', 'x-a': '2' });
  });

  it('grpc is a protocol: the shared endpoint is used as is (no /v1/<signal>)', () => {
    const c = giai_cau_hinh({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } });
    assert.deepEqual(c.otlp.traces, { url: 'http://127.0.0.1:4317', protocol: 'grpc', headers: undefined });
    assert.equal(c.canh_bao.length, 0);
  });

  it('reads the spec variables: temporality, resource detectors (all, none, a list)', () => {
    assert.equal(giai_cau_hinh({ env: { OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta' } }).otlp.temporality, 'delta');
    assert.deepEqual(giai_cau_hinh({ env: { OTEL_NODE_RESOURCE_DETECTORS: 'env,host' } }).phat_hien, ['env', 'host']);
    assert.deepEqual(giai_cau_hinh({ env: { OTEL_NODE_RESOURCE_DETECTORS: 'none' } }).phat_hien, []);
    assert.equal(giai_cau_hinh({ env: { OTEL_NODE_RESOURCE_DETECTORS: 'all' } }).phat_hien?.length, 5);
  });

  it('several bad variables: one warning each, in any combination', () => {
    const c = giai_cau_hinh({ env: { OTEL_TRACES_EXPORTER: 'nope', OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon', OTEL_TRACES_SAMPLER_ARG: 'abc', OTEL_EXPORTER_OTLP_HEADERS: 'garbage' } });
    assert.deepEqual(c.canh_bao.map((w) => w.slice(0, w.indexOf('='))).sort(), ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_TRACES_EXPORTER', 'OTEL_TRACES_SAMPLER_ARG']);
  });

  it('a list with one unknown exporter keeps the known ones, with one warning', () => {
    const c = giai_cau_hinh({ env: { OTEL_METRICS_EXPORTER: 'prometheus,nope' } });
    assert.deepEqual(c.metrics, ['prometheus']);
    assert.equal(c.canh_bao.length, 1);
    assert.match(c.canh_bao[0]!, /^OTEL_METRICS_EXPORTER=.*"nope".*; using "prometheus"$/);
  });

  /** The same mistakes made in code: a LoiCauHinh naming the option. */
  const nem: Array<[string, TuyChonSdk, string]> = [
    ['an unknown exporter', { traces_exporter: 'nope' }, 'traces_exporter'],
    ['an unknown protocol', { otlp: { protocol: 'carrier-pigeon' as never } }, 'otlp.protocol'],
    ['a ratio that is no number', { lay_mau: { loai: 'traceidratio', ty_le: 'abc' as never } }, 'lay_mau.ty_le'],
    ['an unknown sampler', { lay_mau: { loai: 'sometimes' as never } }, 'lay_mau.loai'],
    ['a header value with CR/LF', { otlp: { headers: { a: 'b\r\nX-Evil: 1' } } }, 'otlp.headers'],
    ['headers that are no object', { otlp: { headers: 'garbage' as never } }, 'otlp.headers'],
    ['a malformed endpoint', { otlp: { endpoint: 'not a url' } }, 'otlp.endpoint'],
    ['a bad port', { prometheus: { port: 70_000 } }, 'prometheus.port'],
    ['a batch larger than the queue', { bo_xu_ly: { max_queue_size: 10, max_export_batch_size: 20 } }, 'bo_xu_ly.max_export_batch_size'],
    ['a non-boolean disable flag', { tat_sdk: 'yes' as never }, 'tat_sdk'],
    ['a redaction list with an empty term', { che_khoa: [''] }, 'che_khoa'],
    ['a redaction list that is no list', { che_khoa: 'password' as never }, 'che_khoa'],
    ['a Prometheus host that is no string', { prometheus: { host: 42 as never } }, 'prometheus.host'],
    ['a blank Prometheus host', { prometheus: { host: ' ' } }, 'prometheus.host'],
    ['a non-boolean phuc_vu', { prometheus: { phuc_vu: 'yes' as never } }, 'prometheus.phuc_vu'],
  ];
  for (const [ten, tuy_chon, opt] of nem) {
    it(`as an option, ${ten} throws a LoiCauHinh naming ${opt}`, () => {
      assert.throws(() => giai_cau_hinh({ ...tuy_chon, env: {} }), (e: unknown) => e instanceof LoiCauHinh && e.bien === opt && e.message.startsWith(`${opt}:`));
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

describe('sdk/cau-hinh: instrumentation_http (VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION)', () => {
  it('defaults to the lean diagnostics_channel instrumentation; the variable or the option selects OTel\'s; the option wins', () => {
    assert.equal(giai_cau_hinh({ env: {} }).instrumentation_http, 'diagnostics_channel');
    assert.equal(giai_cau_hinh({ env: { VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION: 'otel' } }).instrumentation_http, 'otel');
    assert.equal(giai_cau_hinh({ env: { VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION: 'otel' }, instrumentation_http: 'diagnostics_channel' }).instrumentation_http, 'diagnostics_channel');
  });
  it('a bad variable is a warning and the default; a bad option throws naming it', () => {
    const c = giai_cau_hinh({ env: { VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION: 'monkey' } });
    assert.equal(c.instrumentation_http, 'diagnostics_channel');
    assert.ok(c.canh_bao.some((w) => w.includes('VIETNAMESE_AI_OTEL_HTTP_INSTRUMENTATION')), c.canh_bao.join('\n'));
    assert.throws(() => giai_cau_hinh({ instrumentation_http: 'monkey' as never }), (e: unknown) => e instanceof LoiCauHinh && e.bien === 'instrumentation_http');
  });
});
