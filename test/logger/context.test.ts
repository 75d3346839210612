import assert from 'node:assert/strict';
import { setTimeout as ngu } from 'node:timers/promises';
import { lay_context, LoggerCauTruc, voi_context } from '../../src/logger/index.js';
import { bo_thu, doc } from './support.js';

describe('logger/request context: voi_context (AsyncLocalStorage) vs them_context (logger-wide)', function () {
  it('never leaks between 200 concurrent interleaved requests, across awaits, timers and two loggers', async () => {
    const b = bo_thu();
    const a = new LoggerCauTruc({ ten: 'a', output: b.w, context_mac_dinh: { service: 'api' } });
    const c = new LoggerCauTruc({ ten: 'c', output: b.w });
    const mot = (i: number): Promise<void> =>
      voi_context({ request_id: `r${i}`, user: `u${i}` }, async () => {
        a.info('start', { i });
        await ngu(Math.floor(Math.random() * 5));
        await new Promise<void>((r) => setImmediate(r));
        c.info('middle', { i });
        await Promise.all([
          (async () => {
            await ngu(1);
            a.warning('child task', { i });
          })(),
          ngu(2).then(() => c.error('then-callback', { i })),
        ]);
        assert.deepEqual(lay_context(), { request_id: `r${i}`, user: `u${i}` });
      });
    await Promise.all(Array.from({ length: 200 }, (_, i) => mot(i)));
    a.info('outside');
    const ds = await doc(a, b);
    assert.equal(ds.length, 200 * 4 + 1);
    for (const d of ds.slice(0, -1)) {
      const i = (d.data as { i: number }).i;
      assert.equal(d.request_id, `r${i}`, `line ${JSON.stringify(d)} carries its own request`);
      assert.equal(d.user, `u${i}`);
      if (d.logger === 'a') assert.equal(d.service, 'api');
      else assert.equal('service' in d, false, 'logger-wide context of a does not reach c');
    }
    const ngoai = ds.at(-1);
    assert.equal('request_id' in (ngoai ?? {}), false, 'nothing remains after the requests');
    assert.deepEqual(lay_context(), {});
  });

  it('frames nest (inner keys win), override logger-wide keys, write each key once, and return fn’s value', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w, context_mac_dinh: { tenant: 'default', region: 'vn' } });
    const r = voi_context({ tenant: 'acme', request_id: 'r1' }, () =>
      l.voi_context({ request_id: 'r1.child', span: 'x' }, () => {
        l.info('inner');
        return 42;
      }),
    );
    assert.equal(r, 42);
    const p = voi_context({ a: 1 }, async () => 'async');
    assert.ok(p instanceof Promise);
    assert.equal(await p, 'async');
    await l.flush();
    const line = b.text().trim();
    assert.equal(line.match(/"tenant"/g)?.length, 1, 'a key overridden by the frame is written once');
    const [d] = b.dong();
    assert.deepEqual([d?.tenant, d?.region, d?.request_id, d?.span], ['acme', 'vn', 'r1.child', 'x']);
  });

  it('them_context is logger-wide: a field added inside one request shows in every later line of that logger', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    await voi_context({ request_id: 'a' }, async () => {
      l.them_context({ model_version: 'v2' });
    });
    await voi_context({ request_id: 'b' }, async () => {
      l.info('b');
    });
    const [d] = await doc(l, b);
    assert.deepEqual([d?.request_id, d?.model_version], ['b', 'v2']);
  });

  it('request context values are redacted and bad input is a TypeError', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    voi_context({ auth_token: 'tok', user: 'u' }, () => l.info('x'));
    const [d] = await doc(l, b);
    assert.deepEqual([d?.auth_token, d?.user], ['[REDACTED]', 'u']);
    assert.throws(() => voi_context({ trace_id: 'x' }, () => 1), /reserved/);
    assert.throws(() => voi_context(null as unknown as Record<string, unknown>, () => 1), TypeError);
    assert.throws(() => voi_context({}, 'x' as unknown as () => void), /fn must be a function/);
  });
});
