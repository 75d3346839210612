import assert from 'node:assert/strict';
import { LoggerCauTruc, CAC_CAP_DO } from '../../src/logger/index.js';
import { bo_thu, doc } from './support.js';

describe('logger/LoggerCauTruc: the seed API', function () {
  it('writes one JSON object per line with timestamp, level, logger, message, context and data', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ ten: 'svc', output: b.w, context_mac_dinh: { region: 'vn-hcm', version: 3 } });
    const truoc = Date.now();
    l.info('xin chào', { user_id: 'u1', latency_ms: 12.5, ok: true });
    const [d] = await doc(l, b);
    assert.ok(d);
    assert.deepEqual(Object.keys(d).slice(0, 4), ['timestamp', 'level', 'logger', 'message']);
    assert.equal(d.level, 'INFO');
    assert.equal(d.logger, 'svc');
    assert.equal(d.message, 'xin chào');
    assert.equal(d.region, 'vn-hcm');
    assert.equal(d.version, 3);
    assert.deepEqual(d.data, { user_id: 'u1', latency_ms: 12.5, ok: true });
    assert.match(d.timestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const t = Date.parse(d.timestamp as string);
    assert.ok(t >= truoc && t <= Date.now(), 'timestamp is now');
    assert.equal(new Date(t).toISOString(), d.timestamp, 'the cached ISO formatting equals toISOString');
    assert.equal('trace_id' in d, false, 'no trace ids outside a span');
  });

  it('accepts a bare name, and defaults to "vietnamese-ai" at INFO', () => {
    const b = bo_thu();
    assert.equal(new LoggerCauTruc({ output: b.w }).ten, 'vietnamese-ai');
    assert.equal(new LoggerCauTruc({ output: b.w }).cap_do, 'INFO');
    const l = new LoggerCauTruc('ten-rieng');
    assert.equal(l.ten, 'ten-rieng');
    assert.equal(l.thong_ke().output, 'stdout');
  });

  it('filters below the level; every level is written with its name; levels are case-insensitive', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w, cap_do: 'warning' });
    l.debug('d');
    l.info('i');
    l.warning('w');
    l.error('e');
    l.critical('c');
    assert.deepEqual((await doc(l, b)).map((d) => d.level), ['WARNING', 'ERROR', 'CRITICAL']);
    const b2 = bo_thu();
    const l2 = new LoggerCauTruc({ output: b2.w, cap_do: 'DEBUG' });
    l2.debug('d');
    l2.info('i');
    l2.warning('w');
    l2.error('e');
    l2.critical('c');
    assert.deepEqual((await doc(l2, b2)).map((d) => d.level), [...CAC_CAP_DO]);
    l2.dat_cap_do('ERROR');
    l2.warning('hidden');
    assert.equal((await doc(l2, b2)).length, 5);
    assert.equal(l2.dang_bat('ERROR'), true);
    assert.equal(l2.dang_bat('INFO'), false);
  });

  it('rejects bad options at construction with a clear error', () => {
    // @ts-expect-error a level typo does not compile (cap_do is a union of the level names)
    assert.throws(() => new LoggerCauTruc({ cap_do: 'VERBOSE' }), (e: Error) => e instanceof RangeError && /cap_do.*DEBUG, INFO, WARNING, ERROR, CRITICAL.*VERBOSE/.test(e.message));
    assert.throws(() => new LoggerCauTruc({ output: 42 as unknown as string }), (e: Error) => e instanceof TypeError && /output must be/.test(e.message));
    assert.throws(() => new LoggerCauTruc({ output: '' }), TypeError);
    assert.throws(() => new LoggerCauTruc({ ten: '' }), /ten must be a non-empty string/);
    assert.throws(() => new LoggerCauTruc({ level: 'INFO' } as unknown as { ten: string }), /unknown option "level"/);
    assert.throws(() => new LoggerCauTruc({ context_mac_dinh: [] as unknown as Record<string, unknown> }), /context must be a plain object/);
    assert.throws(() => new LoggerCauTruc({ context_mac_dinh: { level: 'x' } }), /"level" is reserved/);
    assert.throws(() => new LoggerCauTruc({ che_khoa: [''] }), /che_khoa/);
    assert.throws(() => new LoggerCauTruc({ gioi_han_bo_dem: 0 }), RangeError);
    assert.throws(() => new LoggerCauTruc({ otel: 'yes' as unknown as boolean }), /otel must be a boolean/);
    assert.throws(() => new LoggerCauTruc(5 as unknown as string), TypeError);
    // @ts-expect-error nor in dat_cap_do; at run time (plain JS) it is a RangeError
    assert.throws(() => new LoggerCauTruc('x').dat_cap_do('LOUD'), RangeError);
  });

  it('them_context adds logger-wide fields; xoa_context removes them and keeps context_mac_dinh', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w, context_mac_dinh: { service: 'api' } });
    l.them_context({ model: 'phobert', version: 2 });
    l.info('one');
    l.them_context({ version: 3 });
    l.info('two');
    l.xoa_context();
    l.info('three');
    const [a, c, d] = await doc(l, b);
    assert.deepEqual([a?.service, a?.model, a?.version], ['api', 'phobert', 2]);
    assert.deepEqual([c?.model, c?.version], ['phobert', 3]);
    assert.equal(d?.service, 'api');
    assert.equal('model' in (d ?? {}), false);
    assert.throws(() => l.them_context({ message: 'x' }), /reserved/);
    assert.throws(() => l.them_context('x' as unknown as Record<string, unknown>), TypeError);
    assert.deepEqual(l.thong_ke().context, { service: 'api' });
  });

  it('do_thoi_gian(op) returns a handle: ket_thuc() logs {operation, time_ms} once; `using` ends it', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    const t = l.do_thoi_gian('inference');
    await new Promise((r) => setTimeout(r, 20));
    const ms = t.ket_thuc();
    assert.ok(ms >= 15 && ms < 5000, `measured ${ms} ms`);
    assert.equal(t.ket_thuc(), ms, 'a second call returns the same figure');
    {
      using _t = l.do_thoi_gian('scoped');
    }
    const ds = await doc(l, b);
    assert.equal(ds.length, 2);
    assert.deepEqual(ds[0]?.data, { operation: 'inference', time_ms: ms });
    assert.equal(ds[0]?.message, 'inference completed');
    assert.equal((ds[1]?.data as { operation: string }).operation, 'scoped');
    assert.throws(() => l.do_thoi_gian(''), TypeError);
    assert.throws(() => l.do_thoi_gian('x', 5 as unknown as () => void), TypeError);
  });

  it('do_thoi_gian(op, fn) returns fn’s result (sync value or Promise) and logs failures at ERROR, rethrowing', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    assert.equal(l.do_thoi_gian('sync', () => 41 + 1), 42);
    const p = l.do_thoi_gian('async', async () => {
      await new Promise((r) => setTimeout(r, 10));
      return 'ok';
    });
    assert.ok(p instanceof Promise);
    assert.equal(await p, 'ok');
    assert.throws(() => l.do_thoi_gian('boom', () => { throw new RangeError('bad'); }), RangeError);
    await assert.rejects(l.do_thoi_gian('reject', () => Promise.reject(new Error('nope'))), /nope/);
    const ds = await doc(l, b);
    assert.deepEqual(ds.map((d) => [d.level, d.message]), [
      ['INFO', 'sync completed'],
      ['INFO', 'async completed'],
      ['ERROR', 'boom failed'],
      ['ERROR', 'reject failed'],
    ]);
    assert.ok(((ds[1]?.data as { time_ms: number }).time_ms) >= 5);
    assert.deepEqual(ds[2]?.exception && (ds[2].exception as { type: string; message: string }).type, 'RangeError');
    assert.equal((ds[3]?.exception as { message: string }).message, 'nope');
  });

  it('log_request / log_prediction / log_model_event write their fields; request level follows the status', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    l.log_request('r-1', 'GET', '/predict', 200, 12.3);
    l.log_request('r-2', 'POST', '/predict', 422, 3);
    l.log_request('r-3', 'POST', '/predict', 503, 30001);
    l.log_prediction('phobert', 128, 45.2, 0.93);
    l.log_prediction('phobert', 64, 20);
    l.log_model_event('loaded', 'phobert', { version: '1.2', size_mb: 540 });
    const ds = await doc(l, b);
    assert.deepEqual(ds.map((d) => d.level), ['INFO', 'WARNING', 'ERROR', 'INFO', 'INFO', 'INFO']);
    assert.deepEqual(ds[0]?.data, { request_id: 'r-1', method: 'GET', path: '/predict', status: 200, time_ms: 12.3 });
    assert.equal(ds[0]?.message, 'GET /predict 200');
    assert.deepEqual(ds[3]?.data, { model_name: 'phobert', input_size: 128, time_ms: 45.2, confidence: 0.93 });
    assert.deepEqual(ds[4]?.data, { model_name: 'phobert', input_size: 64, time_ms: 20 });
    assert.deepEqual(ds[5]?.data, { version: '1.2', size_mb: 540, event: 'loaded', model_name: 'phobert' });
    assert.equal(ds[5]?.message, 'Model event: loaded');
  });

  it('thong_ke counts lines per level and reports dropped counts', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ ten: 'dem', output: b.w, cap_do: 'INFO' });
    l.debug('filtered');
    for (let i = 0; i < 3; i++) l.info('i');
    l.warning('w');
    l.error('e', {}, new Error('x'));
    const tk = l.thong_ke();
    assert.equal(tk.ten, 'dem');
    assert.equal(tk.cap_do, 'INFO');
    assert.deepEqual(tk.so_luong, { DEBUG: 0, INFO: 3, WARNING: 1, ERROR: 1, CRITICAL: 0 });
    assert.equal(tk.tong, 5);
    assert.deepEqual(tk.bi_bo, { bo_dem_day: 0, loi_otel: 0, sau_khi_dong: 0 });
    assert.equal(tk.tong_bi_bo, 0);
    await l.dong();
    l.info('after close');
    assert.equal(l.thong_ke().bi_bo.sau_khi_dong, 1);
    assert.equal(b.dong().length, 5);
  });

  it('error/critical serialise exc_info as exception {type, message, stack, cause}', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    const goc = new TypeError('inner');
    const e = Object.assign(new Error('outer', { cause: goc }), { code: 'E_MODEL' });
    l.error('failed', { step: 2 }, e);
    l.critical('down', undefined, 'a plain string');
    l.error('no exception', undefined, true);
    const [a, c, d] = await doc(l, b);
    const ex = a?.exception as Record<string, unknown>;
    assert.equal(ex.type, 'Error');
    assert.equal(ex.message, 'outer');
    assert.match(ex.stack as string, /^Error: outer\n\s+at /);
    assert.equal(ex.code, 'E_MODEL');
    assert.deepEqual([(ex.cause as Record<string, unknown>).type, (ex.cause as Record<string, unknown>).message], ['TypeError', 'inner']);
    assert.equal(c?.exception, 'a plain string');
    assert.equal('exception' in (d ?? {}), false, 'exc_info=true (Python style) has no exception object in JS: nothing added');
  });
});
