import assert from 'node:assert/strict';
import { LamNongModel, LoiKhongCoModel, LoiLamNong, type KetQuaLamNong } from '../../src/index.js';
import { waitFor } from '../support/wait.js';

const ngu = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Blocks the thread for `ms` (a CPU-bound model, like ORT's session.run). */
function banBan(ms: number): void {
  const het = performance.now() + ms;
  while (performance.now() < het) {
    // spin
  }
}

/** Waits until `dk()` holds (polling every 5 ms); fails after 5 s. */
const doiDen = (dk: () => boolean): Promise<true> => waitFor(() => dk() || undefined, 5000, String(dk), 5);

describe('lamnong/LamNongModel: options', function () {
  it('defaults are the seed\'s', () => {
    const l = new LamNongModel();
    assert.equal(l.tu_dong_lam_nong, true);
    assert.equal(l.thoi_gian_refresh, 3600);
    assert.equal(l.so_lan_warmup, 3);
    assert.deepEqual(l.thong_ke(), { so_models: 0, da_warmup: 0, chua_warmup: 0, tong_thoi_gian_warmup_ms: 0, tu_dong_lam_nong: true, auto_refresh: false });
  });

  it('rejects bad options at construction with TypeError / RangeError naming the key', () => {
    const sai: [unknown, typeof TypeError | typeof RangeError, RegExp][] = [
      [42, TypeError, /options must be an object/],
      [null, TypeError, /options must be an object/],
      [{ tu_dong_lam_nong: 'yes' }, TypeError, /tu_dong_lam_nong/],
      [{ thoi_gian_refresh: '60' }, TypeError, /thoi_gian_refresh/],
      [{ thoi_gian_refresh: 0 }, RangeError, /thoi_gian_refresh/],
      [{ thoi_gian_refresh: -1 }, RangeError, /thoi_gian_refresh/],
      [{ thoi_gian_refresh: Number.NaN }, RangeError, /thoi_gian_refresh/],
      [{ thoi_gian_refresh: Infinity }, RangeError, /thoi_gian_refresh/],
      [{ so_lan_warmup: 0 }, RangeError, /so_lan_warmup/],
      [{ so_lan_warmup: 2.5 }, RangeError, /so_lan_warmup/],
      [{ so_lan_warmup: '3' }, TypeError, /so_lan_warmup/],
      [{ so_lan_warm_up: 3 }, TypeError, /unknown option "so_lan_warm_up"/],
    ];
    for (const [t, loai, thong_bao] of sai) {
      assert.throws(() => new LamNongModel(t as never), (e: unknown) => e instanceof loai && thong_bao.test((e as Error).message), JSON.stringify(t));
    }
  });

  it('dang_ky_model rejects bad names, options, and a model it cannot predict with', () => {
    const l = new LamNongModel();
    assert.throws(() => l.dang_ky_model('', {}), TypeError);
    assert.throws(() => l.dang_ky_model(7 as never, {}), TypeError);
    assert.throws(() => l.dang_ky_model('a', undefined), /model "a" is undefined/);
    assert.throws(() => l.dang_ky_model('a', {}, { ham_du_doan: 'f' as never }), /ham_du_doan must be a function/);
    assert.throws(() => l.dang_ky_model('a', {}, { tu_dong_refresh: 1 as never }), /tu_dong_refresh must be a boolean/);
    assert.throws(() => l.dang_ky_model('a', {}, { mau: 1 } as never), /unknown option "mau"/);
    assert.throws(() => l.dang_ky_model('a', { weights: [] }, { du_lieu_mau: [1] }), /no du_doan or predict method/);
    assert.deepEqual(l.danh_sach_models(), []);
    // Without sample data there is nothing to run, so any object is fine.
    l.dang_ky_model('a', { weights: [] });
    assert.deepEqual(l.danh_sach_models(), ['a']);
  });
});

describe('lamnong/LamNongModel: warm-up', function () {
  it('prediction: ham_du_doan, else du_doan, else predict, else the function itself; this is the model', async () => {
    const l = new LamNongModel({ so_lan_warmup: 2 });
    const goi: string[] = [];
    l.dang_ky_model('custom', { du_doan: () => goi.push('wrong') }, { du_lieu_mau: 'x', ham_du_doan: (x) => goi.push(`custom:${String(x)}`) });
    const m1 = {
      ten: 'vi',
      du_doan(x: unknown) {
        goi.push(`du_doan:${this.ten}:${String(x)}`);
      },
      predict: () => goi.push('wrong'),
    };
    l.dang_ky_model('vi', m1, { du_lieu_mau: 1 });
    const m2 = {
      ten: 'en',
      async predict(x: unknown) {
        await ngu(1);
        goi.push(`predict:${this.ten}:${String(x)}`);
      },
    };
    l.dang_ky_model('en', m2, { du_lieu_mau: 2 });
    l.dang_ky_model('fn', (x: unknown) => goi.push(`fn:${String(x)}`), { du_lieu_mau: 3 });
    const kq = await l.lam_nong_tat_ca();
    assert.deepEqual(Object.keys(kq), ['custom', 'vi', 'en', 'fn']);
    for (const k of Object.values(kq)) {
      assert.equal(k.trang_thai, 'ok');
      assert.equal(k.so_lan, 2);
      assert.equal(k.loi, null);
      assert.ok(k.thoi_gian_ms >= 0);
    }
    assert.deepEqual(goi, ['custom:x', 'custom:x', 'du_doan:vi:1', 'du_doan:vi:1', 'predict:en:2', 'predict:en:2', 'fn:3', 'fn:3']);
  });

  it('lam_nong returns the seed\'s keys and updates trang_thai_model and thong_ke', async () => {
    const l = new LamNongModel();
    let n = 0;
    l.dang_ky_model('m', { du_doan: () => n++ }, { du_lieu_mau: 'x' });
    const truoc = l.trang_thai_model('m')!;
    assert.equal(truoc.da_warmup, false);
    assert.equal(truoc.so_lan_lam_nong, 0);
    assert.equal(truoc.ket_qua_cuoi, null);
    assert.equal(l.san_sang(), false);
    const kq = await l.lam_nong('m');
    assert.deepEqual(Object.keys(kq).sort(), ['loi', 'so_lan', 'ten', 'thoi_gian_ms', 'trang_thai']);
    assert.equal(kq.ten, 'm');
    assert.equal(kq.so_lan, 3);
    assert.equal(n, 3);
    const sau = l.trang_thai_model('m')!;
    assert.equal(sau.da_warmup, true);
    assert.equal(sau.dang_warmup, false);
    assert.equal(sau.so_lan_lam_nong, 1);
    assert.deepEqual(sau.ket_qua_cuoi, kq);
    assert.ok(sau.thoi_diem_warmup_cuoi! >= truoc.thoi_diem_dang_ky);
    const tk = l.thong_ke();
    assert.equal(tk.so_models, 1);
    assert.equal(tk.da_warmup, 1);
    assert.equal(tk.chua_warmup, 0);
    assert.equal(tk.tong_thoi_gian_warmup_ms, kq.thoi_gian_ms);
    assert.equal(l.san_sang(), true);
  });

  it('a model without sample data has nothing to run: so_lan 0, ok', async () => {
    const l = new LamNongModel();
    let n = 0;
    l.dang_ky_model('m', { du_doan: () => n++ });
    const kq = await l.lam_nong('m');
    assert.equal(kq.trang_thai, 'ok');
    assert.equal(kq.so_lan, 0);
    assert.equal(n, 0);
  });

  it('a failing warm-up reports "loi", stops at the first failure, and the model is NOT warmed', async () => {
    const l = new LamNongModel({ so_lan_warmup: 5 });
    let n = 0;
    l.dang_ky_model('hong', {
      du_doan: () => {
        n++;
        if (n === 2) throw new Error('CUDA out of memory');
      },
    }, { du_lieu_mau: 1 });
    l.dang_ky_model('tot', { du_doan: () => 1 }, { du_lieu_mau: 1 });
    const kq = await l.lam_nong('hong');
    assert.equal(kq.trang_thai, 'loi');
    assert.equal(kq.so_lan, 1);
    assert.equal(kq.loi, 'Error: CUDA out of memory');
    assert.equal(n, 2);
    assert.equal(l.trang_thai_model('hong')!.da_warmup, false);
    assert.equal(l.trang_thai_model('hong')!.so_lan_loi, 1);
    await l.lam_nong('tot');
    assert.equal(l.san_sang(), false, 'one model failed: not ready');
    assert.equal(l.thong_ke().da_warmup, 1);
    assert.equal(l.thong_ke().chua_warmup, 1);
    // Async rejections and non-Error throws are failures too.
    l.dang_ky_model('tu_choi', { du_doan: () => Promise.reject(new TypeError('bad tensor')) }, { du_lieu_mau: 1 });
    l.dang_ky_model('nem_chuoi', () => {
      throw 'boom';
    }, { du_lieu_mau: 1 });
    assert.equal((await l.lam_nong('tu_choi')).loi, 'TypeError: bad tensor');
    assert.equal((await l.lam_nong('nem_chuoi')).loi, 'boom');
  });

  it('a model that warmed once and then fails its next warm-up is no longer warmed', async () => {
    const l = new LamNongModel();
    let hong = false;
    l.dang_ky_model('m', {
      du_doan: () => {
        if (hong) throw new Error('lost device');
      },
    }, { du_lieu_mau: 1 });
    await l.lam_nong('m');
    assert.equal(l.san_sang(), true);
    hong = true;
    await l.lam_nong('m');
    assert.equal(l.san_sang(), false);
    assert.equal(l.trang_thai_model('m')!.so_lan_lam_nong, 2);
  });

  it('unknown names reject with LoiKhongCoModel naming the model; bad names are TypeErrors', async () => {
    const l = new LamNongModel();
    l.dang_ky_model('phobert', () => 1);
    await assert.rejects(l.lam_nong('bert'), (e: unknown) => e instanceof LoiKhongCoModel && e.ten_model === 'bert' && /"bert"/.test(e.message) && /"phobert"/.test(e.message));
    await assert.rejects(l.lay_model('bert'), LoiKhongCoModel);
    await assert.rejects(l.lam_nong(5 as never), TypeError);
    assert.equal(l.trang_thai_model('bert'), undefined);
    assert.equal(l.xoa_model('bert'), false);
    assert.throws(() => l.trang_thai_model(undefined as never), TypeError);
  });

  it('lay_model warms first when tu_dong_lam_nong, returns the model, and does not warm again', async () => {
    const l = new LamNongModel({ so_lan_warmup: 2 });
    let n = 0;
    const model = { du_doan: () => n++ };
    l.dang_ky_model('m', model, { du_lieu_mau: 1 });
    assert.equal(await l.lay_model('m'), model);
    assert.equal(n, 2);
    assert.equal(await l.lay_model('m'), model);
    assert.equal(n, 2);

    const khong = new LamNongModel({ tu_dong_lam_nong: false });
    let k = 0;
    khong.dang_ky_model('m', { du_doan: () => k++ }, { du_lieu_mau: 1 });
    await khong.lay_model('m');
    assert.equal(k, 0, 'tu_dong_lam_nong false: lay_model does not warm');
    assert.equal(khong.trang_thai_model('m')!.da_warmup, false);
  });

  it('lay_model rejects with LoiLamNong (carrying the result) when the warm-up fails, and tries again next time', async () => {
    const l = new LamNongModel();
    let hong = true;
    let n = 0;
    l.dang_ky_model('m', {
      du_doan: () => {
        n++;
        if (hong) throw new Error('not loaded');
      },
    }, { du_lieu_mau: 1 });
    await assert.rejects(l.lay_model('m'), (e: unknown) => e instanceof LoiLamNong && e.ket_qua.trang_thai === 'loi' && /"m"/.test(e.message) && /not loaded/.test(e.message));
    hong = false;
    assert.ok(await l.lay_model('m'));
    assert.equal(n, 4);
  });

  it('single flight: 50 concurrent lay_model calls (and lam_nong calls) share ONE warm-up', async () => {
    const l = new LamNongModel({ so_lan_warmup: 3 });
    let n = 0;
    const model = {
      async du_doan() {
        n++;
        await ngu(5);
      },
    };
    l.dang_ky_model('m', model, { du_lieu_mau: 1 });
    const goi = Array.from({ length: 50 }, () => l.lay_model('m'));
    const nong = Array.from({ length: 10 }, () => l.lam_nong('m'));
    assert.equal(l.trang_thai_model('m')!.dang_warmup, true);
    const ra = await Promise.all(goi);
    const kq = await Promise.all(nong);
    assert.equal(n, 3, 'the warm-up ran so_lan_warmup times, once');
    assert.ok(ra.every((x) => x === model));
    assert.ok(kq.every((k) => k.ten === 'm' && k.so_lan === 3 && k.trang_thai === 'ok'));
    assert.equal(l.trang_thai_model('m')!.so_lan_lam_nong, 1);
    // Each caller gets its own copy of the result: one caller cannot corrupt another's.
    (kq[0] as KetQuaLamNong).so_lan = 99;
    assert.equal(kq[1]!.so_lan, 3);
    assert.equal(l.trang_thai_model('m')!.ket_qua_cuoi!.so_lan, 3);
    // After it finished, an explicit lam_nong runs a new one.
    await l.lam_nong('m');
    assert.equal(n, 6);
  });

  it('re-registering a name resets it; a warm-up still running for the old entry does not mark the new one', async () => {
    const l = new LamNongModel({ so_lan_warmup: 2 });
    l.dang_ky_model('m', { du_doan: () => ngu(20) }, { du_lieu_mau: 1 });
    const cu = l.lam_nong('m');
    await ngu(1);
    let n = 0;
    l.dang_ky_model('m', { du_doan: () => n++ }, { du_lieu_mau: 1 });
    assert.equal((await cu).trang_thai, 'ok');
    assert.equal(l.trang_thai_model('m')!.da_warmup, false);
    assert.equal(l.trang_thai_model('m')!.dang_warmup, false);
    await l.lam_nong('m');
    assert.equal(n, 2);
    assert.equal(l.xoa_model('m'), true);
    assert.deepEqual(l.danh_sach_models(), []);
    assert.equal(l.san_sang(), true, 'no models: nothing to wait for');
  });

  it('yields to the event loop between runs: an interval keeps ticking during a CPU-bound warm-up', async () => {
    const RUN_MS = 40;
    const RUNS = 8;
    const l = new LamNongModel({ so_lan_warmup: RUNS });
    let runs = 0;
    l.dang_ky_model('nang', { du_doan: () => (runs++, banBan(RUN_MS)) }, { du_lieu_mau: 1 });
    // Runs seen at each tick of the interval: how many ran between two turns of the loop.
    const seen: number[] = [0];
    const t = setInterval(() => seen.push(runs), 5);
    const bat_dau = performance.now();
    const kq = await l.lam_nong('nang');
    const ket_thuc = performance.now();
    clearInterval(t);
    seen.push(runs);
    assert.equal(kq.so_lan, RUNS);
    assert.ok(ket_thuc - bat_dau >= RUN_MS * RUNS);
    // A blocking warm-up would let the interval tick 0 times; yielding lets it tick between runs.
    assert.ok(seen.length - 2 >= RUNS - 1, `interval ticked ${seen.length - 2} times during ${RUNS} runs`);
    let most = 0;
    for (let i = 1; i < seen.length; i++) most = Math.max(most, seen[i]! - seen[i - 1]!);
    // Never delayed by more than about one run (two where a tick and the next run share a turn),
    // counted in runs rather than ms, so a busy machine's scheduling does not enter.
    assert.ok(most <= 2, `${most} runs between two ticks of the loop`);
  });

  it('san_sang and ham_kiem_tra_san_sang: every model, or the named ones (unregistered = not ready)', async () => {
    const l = new LamNongModel();
    const kiem = l.ham_kiem_tra_san_sang();
    const kiem_ten = l.ham_kiem_tra_san_sang(['a', 'b']);
    assert.equal(kiem(), true);
    assert.equal(kiem_ten(), false, 'named models not registered yet');
    l.dang_ky_model('a', () => 1, { du_lieu_mau: 1 });
    assert.equal(kiem(), false);
    await l.lam_nong('a');
    assert.equal(kiem(), true);
    assert.equal(kiem_ten(), false);
    l.dang_ky_model('b', () => 1, { du_lieu_mau: 1 });
    assert.equal(kiem_ten(), false);
    await l.lay_model('b');
    assert.equal(kiem_ten(), true);
    assert.throws(() => l.ham_kiem_tra_san_sang('a' as never), TypeError);
    assert.throws(() => l.ham_kiem_tra_san_sang([''] as never), TypeError);
  });

  it('the check works as a KiemTraSucKhoe check function (duck-typed: a truthy return passes)', async () => {
    // KiemTraSucKhoe calls `ham()` and passes on a truthy value; emulate that contract.
    const l = new LamNongModel();
    l.dang_ky_model('m', async () => ngu(10), { du_lieu_mau: 1 });
    const ham: () => unknown = l.ham_kiem_tra_san_sang();
    const truoc = await Promise.resolve(ham());
    const dang = l.lam_nong('m');
    const trong_luc = await Promise.resolve(ham());
    await dang;
    const sau = await Promise.resolve(ham());
    assert.deepEqual([truoc, trong_luc, sau], [false, false, true]);
  });
});

describe('lamnong/LamNongModel: background refresh', function () {
  it('refreshes only tu_dong_refresh models, repeatedly, and stops promptly', async () => {
    const l = new LamNongModel({ thoi_gian_refresh: 0.02, so_lan_warmup: 1 });
    let a = 0;
    let b = 0;
    l.dang_ky_model('a', () => a++, { du_lieu_mau: 1, tu_dong_refresh: true });
    l.dang_ky_model('b', () => b++, { du_lieu_mau: 1 });
    l.bat_dau_auto_refresh();
    l.bat_dau_auto_refresh(); // idempotent
    assert.equal(l.thong_ke().auto_refresh, true);
    await doiDen(() => a >= 3);
    assert.equal(b, 0);
    assert.equal(l.trang_thai_model('a')!.da_warmup, true);
    l.dung_auto_refresh();
    assert.equal(l.thong_ke().auto_refresh, false);
    const luc_dung = a;
    await ngu(100);
    assert.ok(a <= luc_dung + 1, `after stop: ${a - luc_dung} more refreshes`);
  });

  it('uses one unref\'d timer, cleared at once on stop (no waiting out a 3600 s period); long periods are chunked', async () => {
    const goc_dat = globalThis.setTimeout;
    const goc_xoa = globalThis.clearTimeout;
    const dat: { t: NodeJS.Timeout; ms: number }[] = [];
    const xoa: unknown[] = [];
    globalThis.setTimeout = ((f: () => void, ms: number) => {
      const t = goc_dat(f, ms);
      dat.push({ t, ms });
      return t;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((t: NodeJS.Timeout) => {
      xoa.push(t);
      goc_xoa(t);
    }) as typeof clearTimeout;
    try {
      const l = new LamNongModel({ thoi_gian_refresh: 3600 });
      l.dang_ky_model('a', () => 1, { du_lieu_mau: 1, tu_dong_refresh: true });
      l.bat_dau_auto_refresh();
      assert.equal(dat.length, 1);
      assert.equal(dat[0]!.t.hasRef(), false, 'the refresh timer must not keep the process alive');
      assert.ok(Math.abs(dat[0]!.ms - 3_600_000) <= 1);
      l.dung_auto_refresh();
      assert.deepEqual(xoa, [dat[0]!.t], 'stop clears the pending timer itself');
      // 30 days exceeds Node's largest delay (which it would turn into 1 ms): chunked.
      const dai = new LamNongModel({ thoi_gian_refresh: 30 * 86400 });
      dai.bat_dau_auto_refresh();
      assert.equal(dat[1]!.ms, 2_147_483_647);
      dai.dung_auto_refresh();
    } finally {
      globalThis.setTimeout = goc_dat;
      globalThis.clearTimeout = goc_xoa;
    }
  });

  it('never overlaps itself: a refresh slower than the period runs one at a time', async () => {
    const l = new LamNongModel({ thoi_gian_refresh: 0.001, so_lan_warmup: 2 });
    let dang = 0;
    let max = 0;
    let xong = 0;
    const cham = async (): Promise<void> => {
      dang++;
      max = Math.max(max, dang);
      await ngu(15);
      dang--;
      xong++;
    };
    l.dang_ky_model('a', cham, { du_lieu_mau: 1, tu_dong_refresh: true });
    l.dang_ky_model('b', cham, { du_lieu_mau: 1, tu_dong_refresh: true });
    l.bat_dau_auto_refresh();
    await doiDen(() => xong >= 12);
    l.dung_auto_refresh();
    await doiDen(() => dang === 0);
    assert.equal(max, 1);
  });

  it('a stop during a cycle ends it before the next model', async () => {
    const l = new LamNongModel({ thoi_gian_refresh: 0.001, so_lan_warmup: 1 });
    const goi: string[] = [];
    let dung: () => void = () => {};
    l.dang_ky_model('a', async () => {
      goi.push('a');
      dung();
      await ngu(5);
    }, { du_lieu_mau: 1, tu_dong_refresh: true });
    l.dang_ky_model('b', () => goi.push('b'), { du_lieu_mau: 1, tu_dong_refresh: true });
    dung = () => l.dung_auto_refresh();
    l.bat_dau_auto_refresh();
    await doiDen(() => goi.length >= 1);
    await ngu(50);
    assert.deepEqual(goi, ['a']);
  });

  it('can restart after a stop', async () => {
    const l = new LamNongModel({ thoi_gian_refresh: 0.005, so_lan_warmup: 1 });
    let n = 0;
    l.dang_ky_model('a', () => n++, { du_lieu_mau: 1, tu_dong_refresh: true });
    l.bat_dau_auto_refresh();
    await doiDen(() => n >= 1);
    l.dung_auto_refresh();
    const luc = n;
    l.bat_dau_auto_refresh();
    await doiDen(() => n >= luc + 2);
    l.dung_auto_refresh();
  });
});
