import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { BoNhoSpanExporter, khoi_dong_sdk, LoiCauHinh, type SdkDangChay } from '../../src/index.js';

describe('sdk/che-khoa-span: secrets never reach a span exporter', () => {
  let sdk: SdkDangChay | undefined;
  afterEach(async () => {
    await sdk?.tat();
    sdk = undefined;
  });
  const spans = () => (sdk!.exporters.traces[0] as BoNhoSpanExporter).lay_spans();

  it('redacts secret-looking attributes on the span and its events, keeps the rest', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', http: false })!;
    const s = trace.getTracer('t').startSpan('goi-api', {
      attributes: { 'db.password': 'hunter2', Authorization: 'Bearer abc', apiKey: 'k-123', 'user.id': 'u1', 'http.request.header.cookie': ['a=b'], token_count: 42 },
    });
    s.addEvent('dang-nhap', { client_secret: 's3', ten: 'an' });
    s.end();
    await sdk.flush();
    const [sp] = spans();
    assert.equal(sp!.attributes['db.password'], '[REDACTED]');
    assert.equal(sp!.attributes.Authorization, '[REDACTED]');
    assert.equal(sp!.attributes.apiKey, '[REDACTED]');
    assert.equal(sp!.attributes['http.request.header.cookie'], '[REDACTED]');
    assert.equal(sp!.attributes['user.id'], 'u1');
    assert.equal(sp!.attributes.token_count, 42, 'a key merely containing a term is kept (token_count is not a token)');
    assert.deepEqual(sp!.events[0]!.attributes, { client_secret: '[REDACTED]', ten: 'an' });
    assert.equal(sdk.che_khoa_span.so_span_da_che, 1);
  });

  it('redacts secret query parameters in URL attributes of real HTTP client and server spans', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none' })!;
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const res = await new Promise<number>((resolve, reject) => {
        const http = globalThis.process.getBuiltinModule('node:http');
        http.get(`http://127.0.0.1:${port}/du-doan?model=x&access_token=SECRET1&api_key=SECRET2`, (r) => {
          r.resume();
          r.on('end', () => resolve(r.statusCode ?? 0));
        }).on('error', reject);
      });
      assert.equal(res, 200);
      await sdk.flush();
      const ds = spans();
      assert.ok(ds.length >= 2, `client and server spans: ${ds.map((s) => s.name).join(', ')}`);
      const tatCa = JSON.stringify(ds.map((s) => s.attributes));
      assert.doesNotMatch(tatCa, /SECRET1|SECRET2/);
      assert.match(tatCa, /model=x/, 'other parameters are kept');
      assert.match(tatCa, /access_token=%5BREDACTED%5D/);
    } finally {
      server.close();
    }
  });

  it('che_khoa: false keeps every value; a custom list replaces the default', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', http: false, che_khoa: false })!;
    trace.getTracer('t').startSpan('a', { attributes: { password: 'p' } }).end();
    await sdk.flush();
    assert.equal(spans()[0]!.attributes.password, 'p');
    await sdk.tat();
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', metrics_exporter: 'none', http: false, che_khoa: ['so_the'] })!;
    trace.getTracer('t').startSpan('b', { attributes: { password: 'p', 'khach.so_the': '4111' } }).end();
    await sdk.flush();
    assert.deepEqual(spans()[0]!.attributes, { password: 'p', 'khach.so_the': '[REDACTED]' });
  });

  it('rejects a malformed che_khoa list at start with a LoiCauHinh naming the option', () => {
    assert.throws(() => khoi_dong_sdk({ http: false, che_khoa: [''] }), (e: unknown) => e instanceof LoiCauHinh && e.bien === 'che_khoa' && /every term must be a non-empty string/.test(e.message));
    assert.throws(() => khoi_dong_sdk({ http: false, che_khoa: 'password' as never }), (e: unknown) => e instanceof LoiCauHinh && e.message === 'che_khoa: must be an array of key terms or false');
  });
});
