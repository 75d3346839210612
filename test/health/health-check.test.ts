import assert from 'node:assert/strict';
import { setTimeout as ngu } from 'node:timers/promises';
import { KiemTraSucKhoe, LoiCheckDaTonTai, type KetQuaKiemTra } from '../../src/health/index.js';
import { latenessVsTimer } from '../support/wait.js';

function ban(ms: number): void {
  const het = performance.now() + ms;
  while (performance.now() < het) {
    // busy: blocks the event loop on purpose
  }
}

/** Instances made by a test, closed after it. */
const tao: KiemTraSucKhoe[] = [];
const moi = (o?: ConstructorParameters<typeof KiemTraSucKhoe>[0]): KiemTraSucKhoe => {
  const h = new KiemTraSucKhoe(o);
  tao.push(h);
  return h;
};
const closeMade = (): void => {
  for (const h of tao.splice(0)) h.dong();
};

describe('health/KiemTraSucKhoe: checks, deadline, cache, states', function () {
  afterEach(closeMade);

  it('a check that never settles is error within timeout + 200 ms, with its reason', async () => {
    const h = moi({ timeout: 0.3 });
    h.dang_ky_check('treo', () => new Promise(() => {}), 'never settles');
    h.dang_ky_check('nhanh', () => true);
    // Measured against a plain 300 ms timer started with it: a busy machine delays both alike.
    const { value: kq, elapsed: ms, lateness } = await latenessVsTimer(300, () => h.kiem_tra());
    assert.ok(lateness < 150, `returned ${lateness.toFixed(0)} ms after a 300 ms timer started with it`);
    assert.ok(ms >= 290, `returned before the deadline: ${ms} ms`);
    assert.equal(kq.chi_tiet.treo!.trang_thai, 'error');
    assert.match(kq.chi_tiet.treo!.loi!, /timed out/);
    assert.equal(kq.chi_tiet.nhanh!.trang_thai, 'ok');
    assert.equal(kq.trang_thai, 'unhealthy');
  });

  it('ten 200 ms checks run concurrently: the run takes well under one second', async () => {
    const h = moi({ timeout: 5 });
    for (let i = 0; i < 10; i++) h.dang_ky_check(`c${i}`, () => ngu(200).then(() => true));
    // One 200 ms timer started with the run: concurrent checks end close to it; one after
    // another they would end 1800 ms after it.
    const { value: kq, lateness } = await latenessVsTimer(200, () => h.kiem_tra());
    assert.ok(lateness < 500, `the ten checks ended ${lateness.toFixed(0)} ms after a 200 ms timer started with them`);
    assert.equal(kq.trang_thai, 'healthy');
    for (let i = 0; i < 10; i++) assert.ok(kq.chi_tiet[`c${i}`]!.thoi_gian_ms >= 190);
  });

  it('checks that block synchronously are called in separate event-loop turns: other callbacks wait one call, not all ten', async () => {
    const h = moi({ timeout: 5 });
    let goi = 0;
    for (let i = 0; i < 10; i++) h.dang_ky_check(`ban_${i}`, () => (goi++, ban(50), true));
    // Calls seen at each tick of a timer: how many ran between two turns of the loop
    // (counted, not timed, so a busy machine's scheduling does not enter).
    let truoc = 0;
    let nhieu_nhat = 0;
    const dem = (): void => {
      nhieu_nhat = Math.max(nhieu_nhat, goi - truoc);
      truoc = goi;
    };
    const hen = setInterval(dem, 2);
    try {
      const kq = await h.kiem_tra();
      assert.equal(kq.trang_thai, 'healthy');
      dem();
    } finally {
      clearInterval(hen);
    }
    assert.equal(goi, 10);
    assert.ok(nhieu_nhat <= 2, `${nhieu_nhat} checks ran between two timer ticks (each in its own turn: 1; all in one: 10)`);
  });

  it('truthy is ok, falsy is fail, throws and rejections (Errors or not) are error with loi', async () => {
    const h = moi({ timeout: 1 });
    const cases: Array<[string, () => unknown, string, RegExp | undefined]> = [
      ['true', () => true, 'ok', undefined],
      ['object', () => ({}), 'ok', undefined],
      ['async-true', async () => 1, 'ok', undefined],
      ['thenable', () => ({ then: (r: (v: unknown) => void) => r('yes') }), 'ok', undefined],
      ['false', () => false, 'fail', undefined],
      ['zero', () => 0, 'fail', undefined],
      ['empty', () => '', 'fail', undefined],
      ['undefined', () => undefined, 'fail', undefined],
      ['async-null', async () => null, 'fail', undefined],
      ['throw-error', () => { throw new Error('db down'); }, 'error', /db down/],
      ['throw-typeerror', () => { throw new TypeError('bad'); }, 'error', /TypeError: bad/],
      ['throw-string', () => { throw 'plain string'; }, 'error', /plain string/],
      ['throw-number', () => { throw 42; }, 'error', /42/],
      ['throw-undefined', () => { throw undefined; }, 'error', /undefined/],
      ['throw-symbol', () => { throw Symbol('s'); }, 'error', /Symbol\(s\)/],
      ['throw-circular', () => { const o: Record<string, unknown> = { a: 1 }; o.o = o; throw o; }, 'error', /Circular/],
      ['throw-evil', () => { throw { toString() { throw new Error('no'); }, toJSON() { throw new Error('no'); } }; }, 'error', /./],
      ['reject', () => Promise.reject(new Error('rejected')), 'error', /rejected/],
      ['reject-nonerror', () => Promise.reject({ code: 7 }), 'error', /code/],
      ['bad-then', () => ({ get then() { throw new Error('getter'); } }), 'error', /getter/],
    ];
    for (const [ten, ham] of cases) h.dang_ky_check(ten, ham, `case ${ten}`, false);
    const kq = await h.kiem_tra();
    for (const [ten, , tt, loi] of cases) {
      const ct = kq.chi_tiet[ten]!;
      assert.equal(ct.trang_thai, tt, ten);
      assert.equal(ct.mo_ta, `case ${ten}`);
      assert.equal(ct.quan_trong, false);
      assert.equal(typeof ct.thoi_gian_ms, 'number');
      if (loi !== undefined) {
        assert.equal(typeof ct.loi, 'string', ten);
        assert.match(ct.loi!, loi, ten);
      }
    }
    assert.equal(kq.trang_thai, 'degraded');
  });

  it('result has every key of the seed (python_version -> node_version)', async () => {
    const h = moi();
    h.dang_ky_check('a', () => true, 'desc');
    const kq = await h.kiem_tra();
    for (const k of ['trang_thai', 'chi_tiet', 'he_thong', 'thoi_gian_ms', 'uptime_s']) assert.ok(k in kq, k);
    for (const k of ['cpu_load_1m', 'memory_total_mb', 'memory_available_mb', 'memory_usage_pct', 'disk_total_gb', 'disk_free_gb', 'node_version', 'pid']) {
      assert.ok(k in kq.he_thong, k);
    }
    assert.equal(kq.he_thong.node_version, process.version);
    assert.equal(kq.he_thong.pid, process.pid);
    assert.ok(kq.he_thong.disk_total_gb > 0);
    assert.ok(kq.he_thong.memory_total_mb > 0);
    assert.deepEqual(Object.keys(kq.chi_tiet.a!).sort(), ['mo_ta', 'quan_trong', 'thoi_gian_ms', 'trang_thai']);
  });

  it('single flight: 100 concurrent probes run each check once; the cache expires after thoi_gian_cache', async () => {
    const h = moi({ thoi_gian_cache: 0.3 });
    let a = 0;
    let b = 0;
    h.dang_ky_check('a', async () => {
      a++;
      await ngu(50);
      return true;
    });
    h.dang_ky_check('b', () => ++b > 0);
    const ds = await Promise.all(Array.from({ length: 100 }, () => h.kiem_tra()));
    assert.equal(a, 1);
    assert.equal(b, 1);
    assert.ok(ds.every((x) => x === ds[0]));
    // within the cache time: reused
    const ds2 = await Promise.all(Array.from({ length: 100 }, () => h.ready()));
    assert.ok(ds2.every((x) => x));
    assert.equal(a, 1);
    assert.equal(h.lich_su().length, 1);
    await ngu(350);
    const sau = await h.kiem_tra();
    assert.notEqual(sau, ds[0]);
    assert.equal(a, 2);
    assert.equal(b, 2);
    assert.ok(Object.isFrozen(sau) && Object.isFrozen(sau.chi_tiet.a));
  });

  it('thoi_gian_cache 0: no reuse after a run, but concurrent callers still share one run', async () => {
    const h = moi({ thoi_gian_cache: 0 });
    let n = 0;
    h.dang_ky_check('a', async () => {
      n++;
      await ngu(20);
      return true;
    });
    await Promise.all(Array.from({ length: 20 }, () => h.kiem_tra()));
    assert.equal(n, 1);
    await h.kiem_tra();
    assert.equal(n, 2);
  });

  it('a check still pending from a previous run is not called again (no pile-up), and its late answer counts', async () => {
    const h = moi({ timeout: 0.1, thoi_gian_cache: 0 });
    let goi = 0;
    let tha: ((v: boolean) => void) | undefined;
    h.dang_ky_check('cham', () => {
      goi++;
      return new Promise<boolean>((r) => {
        tha = r;
      });
    });
    assert.equal((await h.kiem_tra()).chi_tiet.cham!.trang_thai, 'error');
    assert.equal((await h.kiem_tra()).chi_tiet.cham!.trang_thai, 'error');
    assert.equal(goi, 1);
    const p = h.kiem_tra();
    await ngu(20); // run 3 is waiting on the call made by run 1
    tha!(true);
    assert.equal((await p).chi_tiet.cham!.trang_thai, 'ok');
    assert.equal(goi, 1);
    await h.kiem_tra();
    assert.equal(goi, 2);
  });

  it('critical not ok -> unhealthy (ready false); only non-critical not ok -> degraded (ready true)', async () => {
    const h = moi({ thoi_gian_cache: 0 });
    let db = true;
    let cache = true;
    h.dang_ky_check('db', () => db, 'database', true);
    h.dang_ky_check('cache', () => cache, 'cache', false);
    assert.equal((await h.kiem_tra()).trang_thai, 'healthy');
    assert.equal(await h.ready(), true);
    cache = false;
    assert.equal((await h.kiem_tra()).trang_thai, 'degraded');
    assert.equal(await h.ready(), true);
    db = false;
    assert.equal((await h.kiem_tra()).trang_thai, 'unhealthy');
    assert.equal(await h.ready(), false);
    cache = true;
    assert.equal((await h.kiem_tra()).trang_thai, 'unhealthy');
    const none = moi();
    assert.equal((await none.kiem_tra()).trang_thai, 'healthy');
  });

  it('bat_dau_tat(): readiness false at once without running checks, liveness unchanged', async () => {
    const h = moi({ thoi_gian_cache: 0 });
    let n = 0;
    h.dang_ky_check('a', () => ++n > 0);
    assert.equal(await h.ready(), true);
    h.bat_dau_tat();
    assert.equal(h.dang_tat, true);
    assert.equal(await h.ready(), false);
    assert.equal(n, 1);
    assert.equal(h.live(), true);
  });

  it('history is bounded by mau_lich_su; ty_le_healthy is 1.0 empty, then the healthy fraction', async () => {
    const h = moi({ mau_lich_su: 5, thoi_gian_cache: 0 });
    assert.equal(h.ty_le_healthy(), 1.0);
    assert.deepEqual(h.lich_su(), []);
    let ok = true;
    h.dang_ky_check('a', () => ok);
    for (let i = 0; i < 8; i++) {
      ok = i % 4 !== 3; // runs 3 and 7 fail
      await h.kiem_tra();
    }
    const ls = h.lich_su();
    assert.equal(ls.length, 5);
    // runs 3..7 are kept
    assert.deepEqual(ls.map((x) => x.trang_thai), ['unhealthy', 'healthy', 'healthy', 'healthy', 'unhealthy']);
    assert.equal(h.ty_le_healthy(), 3 / 5);
    for (const m of ls) {
      assert.equal(typeof m.thoi_gian_ms, 'number');
      assert.ok(Math.abs(m.timestamp - Date.now()) < 60_000);
    }
    ls.pop();
    assert.equal(h.lich_su().length, 5, 'lich_su returns a copy');
  });

  it('bad options and arguments get clear errors', () => {
    const bad: Array<[unknown, RegExp, new (...a: never[]) => Error]> = [
      [{ timeout: 0 }, /timeout/, RangeError],
      [{ timeout: -1 }, /timeout/, RangeError],
      [{ timeout: Number.NaN }, /timeout/, RangeError],
      [{ timeout: Infinity }, /timeout/, RangeError],
      [{ timeout: '5' }, /timeout must be a number/, TypeError],
      [{ mau_lich_su: 1.5 }, /mau_lich_su/, RangeError],
      [{ mau_lich_su: -1 }, /mau_lich_su/, RangeError],
      [{ thoi_gian_cache: -0.1 }, /thoi_gian_cache/, RangeError],
      [{ duong_dan_dia: '' }, /duong_dan_dia/, TypeError],
      [{ ten: 3 }, /ten/, TypeError],
      [{ nguong_heap_live: 2 }, /nguong_heap_live/, RangeError],
      [{ timout: 5 }, /unknown option "timout"/, TypeError],
      [null, /options/, TypeError],
      ['5', /options/, TypeError],
    ];
    for (const [o, re, K] of bad) {
      assert.throws(() => new KiemTraSucKhoe(o as never), (e: Error) => e instanceof K && re.test(e.message), JSON.stringify(o));
    }
    const h = moi();
    const dk: Array<[unknown[], RegExp, new (...a: never[]) => Error]> = [
      [['', () => true], /ten/, TypeError],
      [['  ', () => true], /ten/, TypeError],
      [[5, () => true], /ten/, TypeError],
      [['x'.repeat(201), () => true], /200/, RangeError],
      [['a', null], /ham of "a" must be a function, got null/, TypeError],
      [['a', true], /must be a function, got boolean/, TypeError],
      [['a', () => true, 5], /mo_ta/, TypeError],
      [['a', () => true, '', 'yes'], /quan_trong/, TypeError],
    ];
    for (const [args, re, K] of dk) {
      assert.throws(() => (h.dang_ky_check as (...a: unknown[]) => void)(...args), (e: Error) => e instanceof K && re.test(e.message), String(args[0]));
    }
    h.dang_ky_check('db', () => true);
    assert.throws(() => h.dang_ky_check('db', () => true), (e: Error) => e instanceof LoiCheckDaTonTai && /"db" is already registered/.test(e.message));
    assert.equal(h.xoa_check('db'), true);
    assert.equal(h.xoa_check('db'), false);
    h.dang_ky_check('db', () => true);
    assert.deepEqual(h.danh_sach_checks(), ['db']);
  });

  it('a check added after a cached run invalidates the cache', async () => {
    const h = moi({ thoi_gian_cache: 60 });
    h.dang_ky_check('a', () => true);
    await h.kiem_tra();
    h.dang_ky_check('b', () => false, '', false);
    const kq = await h.kiem_tra();
    assert.equal(kq.chi_tiet.b!.trang_thai, 'fail');
    assert.equal(kq.trang_thai, 'degraded');
  });
});

describe('health/dang_ky_checks_mac_dinh and live()', function () {
  afterEach(closeMade);

  it('registers disk, memory and event_loop, none critical, all ok on this machine', async () => {
    const h = moi();
    h.dang_ky_checks_mac_dinh();
    const kq = await h.kiem_tra();
    assert.deepEqual(Object.keys(kq.chi_tiet), ['disk', 'memory', 'event_loop']);
    for (const ct of Object.values(kq.chi_tiet)) {
      assert.equal(ct.quan_trong, false);
      assert.equal(ct.trang_thai, 'ok', JSON.stringify(ct));
    }
    assert.throws(() => h.dang_ky_checks_mac_dinh(), LoiCheckDaTonTai);
  });

  it('with a model: model_loaded and model_inference are critical; a failing predictor makes the service unhealthy', async () => {
    const cases: Array<[string, unknown, string[], string]> = [
      ['predict', { predict: (x: unknown) => ({ nhan: x }) }, ['model_loaded', 'model_inference'], 'healthy'],
      ['du_doan returning 0', { du_doan: () => 0 }, ['model_loaded', 'model_inference'], 'healthy'],
      ['function', async (x: unknown) => [x], ['model_loaded', 'model_inference'], 'healthy'],
      ['throws', { predict: () => { throw new Error('CUDA OOM'); } }, ['model_loaded', 'model_inference'], 'unhealthy'],
      ['returns null', { predict: () => null }, ['model_loaded', 'model_inference'], 'unhealthy'],
      ['cannot predict', { weights: [1, 2] }, ['model_loaded'], 'healthy'],
      ['not loaded', { da_tai: false, predict: () => 1 }, ['model_loaded', 'model_inference'], 'unhealthy'],
      ['null model', null, ['model_loaded'], 'unhealthy'],
    ];
    for (const [ten, model, checks, tt] of cases) {
      const h = moi();
      h.dang_ky_checks_mac_dinh(model, { nguong_tre_vong_lap: 60 });
      const kq = await h.kiem_tra();
      const cuaModel = Object.keys(kq.chi_tiet).filter((k) => k.startsWith('model_'));
      assert.deepEqual(cuaModel, checks, ten);
      for (const k of cuaModel) assert.equal(kq.chi_tiet[k]!.quan_trong, true, ten);
      assert.equal(kq.trang_thai, tt, `${ten}: ${JSON.stringify(kq.chi_tiet)}`);
    }
  });

  it('model_inference gets du_lieu_mau', async () => {
    const h = moi();
    let nhan: unknown;
    h.dang_ky_checks_mac_dinh({ du_doan: (x: unknown) => (nhan = x) }, { du_lieu_mau: 'xin chào' });
    await h.kiem_tra();
    assert.equal(nhan, 'xin chào');
  });

  it('disk check on a missing path is error (degraded); a 100% free threshold fails it; he_thong still answers', async () => {
    const h = moi({ duong_dan_dia: '/khong/ton/tai/x' });
    h.dang_ky_checks_mac_dinh();
    const kq = await h.kiem_tra();
    assert.equal(kq.chi_tiet.disk!.trang_thai, 'error');
    assert.match(kq.chi_tiet.disk!.loi!, /ENOENT/);
    assert.equal(kq.trang_thai, 'degraded');
    assert.equal(kq.he_thong.disk_total_gb, 0);
    const h2 = moi();
    h2.dang_ky_checks_mac_dinh(undefined, { nguong_dia_trong: 1 });
    const kq2 = await h2.kiem_tra();
    assert.equal(kq2.chi_tiet.disk!.trang_thai, 'error');
    assert.match(kq2.chi_tiet.disk!.loi!, /free, below 100%/);
    assert.throws(() => moi().dang_ky_checks_mac_dinh(undefined, { nguong_bo_nho: 1.5 }), RangeError);
    assert.throws(() => moi().dang_ky_checks_mac_dinh(undefined, { nguong_tre_vong_lap: 0 }), RangeError);
  });

  it('event_loop check reports a blocked loop; live() is false while the loop lags and true again after', async () => {
    const h = moi({ tre_vong_lap_live: 0.2 });
    h.dang_ky_checks_mac_dinh(undefined, { nguong_tre_vong_lap: 0.1 });
    await h.kiem_tra(); // starts a fresh window
    await ngu(250);
    assert.equal(h.live(), true);
    ban(600);
    assert.equal(h.live(), false, 'the heartbeat is late');
    assert.ok(h.chi_tiet_live().tre_vong_lap_ms >= 200);
    await ngu(300);
    assert.equal(h.live(), true);
    const h2 = moi({ thoi_gian_cache: 0 });
    h2.dang_ky_checks_mac_dinh(undefined, { nguong_tre_vong_lap: 0.1 });
    await h2.kiem_tra();
    await ngu(20);
    ban(300);
    await ngu(50);
    const kq: KetQuaKiemTra = await h2.kiem_tra();
    assert.equal(kq.chi_tiet.event_loop!.trang_thai, 'error', JSON.stringify(kq.chi_tiet.event_loop));
    assert.match(kq.chi_tiet.event_loop!.loi!, /event-loop delay p99/);
    assert.equal(kq.trang_thai, 'degraded');
  });

  it('live() is false when the heap is above nguong_heap_live of the V8 limit, and never runs checks', () => {
    const h = moi({ nguong_heap_live: 1e-9 });
    let n = 0;
    h.dang_ky_check('a', () => ++n > 0);
    assert.equal(h.live(), false);
    assert.equal(moi().live(), true);
    assert.equal(n, 0);
  });
});
