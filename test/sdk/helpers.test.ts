/**
 * The shared internal helpers (#13 item 2): one deadline race, one thenable
 * test, one error-to-text, one predict lookup, one version, one weak set.
 * Where the copies they replace behaved differently, the test pins the
 * behaviour that was kept.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { race_deadline } from '../../src/core/deadline.js';
import { error_text } from '../../src/core/error-text.js';
import { find_predict } from '../../src/core/model-predict.js';
import { WeakTracker } from '../../src/core/weak-set.js';
import { is_thenable } from '../../src/core/thenable.js';
import { LIBRARY_VERSION } from '../../src/core/version.js';
import { KiemTraSucKhoe, LoggerCauTruc } from '../../src/index.js';
import { bo_thu, doc } from '../logger/support.js';

describe('sdk/helpers: one helper per repeated idea', () => {
  it('race_deadline: a value, a timeout, a rejection; the timer never outlives the race', async () => {
    assert.deepEqual(await race_deadline(Promise.resolve(7), 1000, true), { kind: 'settled', value: 7 });
    const t0 = performance.now();
    assert.deepEqual(await race_deadline(new Promise(() => {}), 20, true), { kind: 'timed_out' });
    assert.ok(performance.now() - t0 >= 15);
    await assert.rejects(race_deadline(Promise.reject(new Error('x')), 1000, false), /x/);
    assert.deepEqual(await race_deadline(Promise.resolve(1), -5, false), { kind: 'settled', value: 1 }, 'a past deadline still lets settled work win the race');
    const vor = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await race_deadline(Promise.resolve(1), 60_000, true);
    assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, vor, 'the deadline timer is cleared once the work settled');
  });

  it('is_thenable: a throwing `then` getter counts as thenable (Promise.resolve then rejects with it)', () => {
    const xau = {
      get then(): unknown {
        throw new Error('getter');
      },
    };
    assert.equal(is_thenable(xau), true);
    assert.equal(is_thenable(Promise.resolve()), true);
    assert.equal(is_thenable({ then: 1 }), false);
    assert.equal(is_thenable(null), false);
    assert.equal(is_thenable(() => 1), false);
  });

  it('logger do_thoi_gian: a result whose `then` getter throws becomes a logged failure and a rejection, not a throw', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    let r: unknown;
    assert.doesNotThrow(() => {
      r = l.do_thoi_gian('xau', () => ({
        get then(): unknown {
          throw new Error('getter boom');
        },
      }));
    });
    await assert.rejects(r as Promise<unknown>, /getter boom/);
    const ds = await doc(l, b);
    assert.equal(ds.length, 1);
    assert.equal(ds[0]?.message, 'xau failed');
    assert.equal(ds[0]?.level, 'ERROR');
  });

  it('error_text: Name: message, the name alone for an empty message, never throws', () => {
    assert.equal(error_text(new TypeError('bad')), 'TypeError: bad');
    assert.equal(error_text(new RangeError('')), 'RangeError');
    assert.equal(error_text('s'), 's');
    assert.equal(error_text(Symbol('k')), 'Symbol(k)');
    assert.equal(
      error_text({
        toString(): string {
          throw new Error('no');
        },
      }),
      'unprintable value',
    );
  });

  it('find_predict: du_doan, then predict, then the function itself; a named method wins over calling the value', async () => {
    function ham(): string {
      return 'ham';
    }
    const voiPhuongThuc = Object.assign(() => 'bare call', { predict: () => 'predict' });
    assert.equal(find_predict({ du_doan: () => 'du_doan', predict: () => 'predict' })?.(1), 'du_doan');
    assert.equal(find_predict({ predict: () => 'predict' })?.(1), 'predict');
    assert.equal(find_predict(ham)?.(1), 'ham');
    assert.equal(find_predict(voiPhuongThuc)?.(1), 'predict');
    assert.equal(find_predict({ weights: [] }), undefined);
    const model = { w: 3, du_doan(this: { w: number }, x: number) { return this.w * x; } };
    assert.equal(find_predict(model)?.(2), 6, 'called on the model');
    // The health check uses the same precedence (it used to call such a function bare).
    const h = new KiemTraSucKhoe({ duong_dan_dia: '/', thoi_gian_cache: 0 });
    let goi = '';
    const lop = Object.assign(
      () => {
        goi = 'bare';
        throw new Error('a class is not callable');
      },
      { predict: () => ((goi = 'predict'), 1) },
    );
    h.dang_ky_checks_mac_dinh(lop, { nguong_tre_vong_lap: 60 });
    const kq = await h.kiem_tra();
    assert.equal(goi, 'predict');
    assert.equal(kq.chi_tiet.model_inference?.trang_thai, 'ok');
  });

  it('LIBRARY_VERSION is the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(LIBRARY_VERSION, pkg.version);
  });

  it('WeakTracker: a held value is handed over exactly once, on removal or on collection', async () => {
    const trao: string[] = [];
    const s = new WeakTracker<object, string>((g) => trao.push(g));
    const a = {};
    const bo = s.add(a, 'a');
    s.add(a, 'a2');
    assert.deepEqual([...s.held()], ['a'], 'a second them() keeps the first held value');
    bo();
    bo();
    s.delete(a);
    assert.deepEqual(trao, ['a']);
    assert.equal(s.size, 0);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    (() => {
      s.add({}, 'b');
    })();
    for (let i = 0; i < 10 && !trao.includes('b'); i++) {
      await new Promise((r) => setImmediate(r));
      gc();
      if (i % 2 === 1) void [...s];
    }
    assert.deepEqual(trao, ['a', 'b'], 'the collected object’s held value was handed over once');
    assert.equal(s.size, 0);
  });
});
