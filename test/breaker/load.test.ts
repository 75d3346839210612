/**
 * The statistics invariant under random concurrent load: thousands of calls
 * with random outcomes (sync and async, success and failure, some never
 * settling), random clock steps, the manual API mixed in, with and without a
 * fallback. At every checkpoint:
 *   tong_request = thanh_cong + that_bai + bi_chan + dang_chay
 * and the breaker's counts agree with what the callers saw.
 */
import assert from 'node:assert/strict';
import { LoiMachMo, MachCat, type ThongKeMachCat } from '../../src/index.js';
import { DongHoGia, nhuong, prng } from './support.js';

function batBienCo(tk: ThongKeMachCat, nhan: string): void {
  assert.equal(tk.tong_request, tk.thanh_cong + tk.that_bai + tk.bi_chan + tk.dang_chay, `${nhan}: ${JSON.stringify(tk)}`);
  assert.ok(tk.dang_chay >= 0 && tk.fallback <= tk.bi_chan && tk.fallback_loi <= tk.fallback, `${nhan}: ${JSON.stringify(tk)}`);
}

for (const coFallback of [false, true]) {
  it(`MachCat: stats add up under random concurrent load (${coFallback ? 'with' : 'without'} fallback)`, async () => {
    const ngauNhien = prng(coFallback ? 7 : 42);
    const dh = new DongHoGia();
    const mc = new MachCat({
      so_loi_toi_da: 4,
      cua_so_thoi_gian: 2,
      timeout_phuc_hoi: 1,
      timeout_thu: 0.5,
      dong_ho: dh.ham,
      ...(coFallback ? { ham_fallback: () => (ngauNhien() < 0.2 ? Promise.reject(new Error('fb down')) : 'fb') } : {}),
    });
    let chay = 0; // how many times the protected function ran
    let thayLoiMachMo = 0;
    let thayFallback = 0;
    let thuCongCapPhep = 0;
    let thuCongBiChan = 0;
    let thuCongBaoCao = 0;
    const thuCongMo: boolean[] = []; // granted manual permissions still to report
    const dangCho: Promise<unknown>[] = [];
    let trangThaiDaThay = new Set<string>();

    const ham = (v: number): number | Promise<number> => {
      chay++;
      const r = ngauNhien();
      if (r < 0.15) throw new Error('sync fail');
      if (r < 0.3) return v;
      if (r < 0.31) return new Promise<number>(() => {}); // never settles
      const ticks = Math.floor(ngauNhien() * 5);
      const fail = ngauNhien() < 0.45;
      return (async () => {
        for (let i = 0; i < ticks; i++) await null;
        if (fail) throw new Error('async fail');
        return v;
      })();
    };

    for (let vong = 0; vong < 60; vong++) {
      const n = 20 + Math.floor(ngauNhien() * 80);
      for (let i = 0; i < n; i++) {
        const r = ngauNhien();
        if (r < 0.08) {
          // manual API
          if (mc.cho_phep()) {
            thuCongCapPhep++;
            thuCongMo.push(true);
          } else thuCongBiChan++;
        } else if (r < 0.14 && thuCongMo.length > 0) {
          thuCongMo.pop();
          thuCongBaoCao++;
          if (ngauNhien() < 0.5) mc.ghi_nhan_thanh_cong();
          else mc.ghi_nhan_loi();
        } else {
          dangCho.push(
            mc.thuc_hien(ham, i).then(
              (v) => {
                if (v === ('fb' as unknown)) thayFallback++;
              },
              (e: unknown) => {
                if (e instanceof LoiMachMo) thayLoiMachMo++;
                else if (e instanceof Error && e.message === 'fb down') thayFallback++;
              },
            ),
          );
        }
        if (ngauNhien() < 0.05) dh.tien(ngauNhien() * 0.8);
        if (ngauNhien() < 0.02) batBienCo(mc.lay_thong_ke(), `round ${vong} call ${i}`);
      }
      trangThaiDaThay.add(mc.trang_thai);
      // let some of the async work settle, sometimes
      const tick = Math.floor(ngauNhien() * 4);
      for (let k = 0; k < tick; k++) await null;
      if (ngauNhien() < 0.3) await nhuong();
      batBienCo(mc.lay_thong_ke(), `round ${vong}`);
    }
    // let everything that will settle settle, step past any trial deadline
    await nhuong();
    await nhuong();
    dh.tien(10);
    const tk = mc.lay_thong_ke();
    batBienCo(tk, 'end');
    // the breaker's counts agree with the callers' view
    assert.equal(tk.bi_chan, thayLoiMachMo + thayFallback + thuCongBiChan);
    assert.equal(tk.fallback, thayFallback);
    if (!coFallback) assert.equal(tk.fallback, 0);
    else assert.ok(thayFallback > 0);
    // every executed call is counted once as an outcome or is still running;
    // the manual reports add theirs, manual trials that timed out add one each
    const daDem = tk.thanh_cong + tk.that_bai + tk.dang_chay - thuCongBaoCao;
    assert.ok(daDem >= chay && daDem <= chay + tk.het_gio_thu, `counted ${daDem}, ran ${chay}, trial timeouts ${tk.het_gio_thu}`);
    assert.ok(tk.dang_chay > 0, 'the never-settling calls are still in flight');
    assert.ok(tk.chuyen_trang_thai > 10, `only ${tk.chuyen_trang_thai} transitions: the load did not exercise the states`);
    assert.ok(tk.het_gio_thu >= 1, 'no trial ran out of time: the load did not exercise the time limit');
    assert.ok(thuCongCapPhep > 0);
    trangThaiDaThay = new Set([...trangThaiDaThay, tk.trang_thai]);
    assert.ok(trangThaiDaThay.size >= 2);
    await Promise.race([Promise.all(dangCho), nhuong()]);
  });
}
