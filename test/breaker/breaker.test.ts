import assert from 'node:assert/strict';
import { LoiMachMo, MachCat, TrangThaiMach } from '../../src/index.js';
import { DongHoGia, loiGia, nhuong, treo } from './support.js';

/** Opens `mc` with so_loi_toi_da failing calls. */
async function moMach(mc: MachCat): Promise<void> {
  for (let i = 0; i < mc.so_loi_toi_da; i++) await mc.thuc_hien(loiGia).catch(() => {});
  assert.equal(mc.trang_thai, TrangThaiMach.MO);
}

describe('MachCat: states and calls', () => {
  it('passes results and errors through while closed, sync and async, with arguments', async () => {
    const mc = new MachCat({ so_loi_toi_da: 3 });
    assert.equal(await mc.thuc_hien(async (a: number, b: number) => a + b, 2, 3), 5);
    assert.equal(await mc.thuc_hien((s: string) => s.toUpperCase(), 'x'), 'X');
    await assert.rejects(mc.thuc_hien(() => {
      throw new RangeError('sync boom');
    }), /sync boom/);
    await assert.rejects(mc.thuc_hien(async () => {
      throw new Error('async boom');
    }), /async boom/);
    // a thenable that is not a native promise
    const thenable = { then: (ok: (v: number) => void) => ok(7) };
    assert.equal(await mc.thuc_hien(() => thenable as unknown as Promise<number>), 7);
    const tk = mc.lay_thong_ke();
    assert.equal(tk.tong_request, 5);
    assert.equal(tk.thanh_cong, 3);
    assert.equal(tk.that_bai, 2);
    assert.equal(tk.dang_chay, 0);
    assert.equal(tk.trang_thai, 'dong');
  });

  it('returns the callee promise itself on the closed path (no extra hop)', () => {
    const mc = new MachCat();
    const p = Promise.resolve(1);
    assert.equal(mc.thuc_hien(() => p), p);
  });

  it('rejects a non-function with a TypeError', async () => {
    const mc = new MachCat();
    await assert.rejects(mc.thuc_hien(42 as unknown as () => number), TypeError);
  });

  it('opens after so_loi_toi_da failures and refuses with LoiMachMo naming the breaker and the wait', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 3, timeout_phuc_hoi: 30, ten: 'api-thoi-tiet', dong_ho: dh.ham });
    await moMach(mc);
    dh.tien(10);
    let chay = 0;
    const gioiHan = Error.stackTraceLimit;
    const e = await mc.thuc_hien(() => ++chay).then(
      () => assert.fail('should be refused'),
      (x: unknown) => x,
    );
    assert.equal(chay, 0);
    assert.ok(e instanceof LoiMachMo);
    assert.ok(e instanceof Error);
    assert.equal(e.ten, 'api-thoi-tiet');
    assert.equal(e.trang_thai, 'mo');
    assert.equal(e.code, 'EMACHCATMO');
    assert.ok(Math.abs(e.giay_den_lan_thu - 20) < 1e-9, String(e.giay_den_lan_thu));
    assert.match(e.message, /api-thoi-tiet/);
    assert.match(e.message, /20\.000 s/);
    // refusals are stackless (cheap during an outage) and leave the global limit as it was
    assert.equal(Error.stackTraceLimit, gioiHan);
    assert.equal(e.stack?.split('\n')[0], `LoiMachMo: ${e.message}`);
    assert.equal(e.stack?.includes('\n    at '), false);
    const tk = mc.lay_thong_ke();
    assert.equal(tk.bi_chan, 1);
    assert.equal(tk.that_bai, 3);
    assert.ok(Math.abs(tk.giay_den_lan_thu - 20) < 1e-9);
  });

  it('calls ham_fallback with the arguments instead of refusing; refusals are not failures', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 2, dong_ho: dh.ham, ham_fallback: (x: number) => `fallback ${x}` });
    await moMach(mc);
    assert.equal(await mc.thuc_hien(async (x: number) => `live ${x}`, 9), 'fallback 9');
    const tk = mc.lay_thong_ke();
    assert.equal(tk.fallback, 1);
    assert.equal(tk.bi_chan, 1);
    assert.equal(tk.that_bai, 2);
    assert.equal(tk.tong_request, 3);
    assert.equal(tk.ty_le_that_bai, 2 / 3);
    assert.equal(tk.ty_le_thanh_cong, 0);
  });

  it('a fallback that throws or rejects gives the caller that error, counted as fallback_loi', async () => {
    const dh = new DongHoGia();
    let dongBo = true;
    const mc = new MachCat({
      so_loi_toi_da: 1,
      dong_ho: dh.ham,
      ham_fallback: () => {
        if (dongBo) throw new Error('fallback sync');
        return Promise.reject(new Error('fallback async'));
      },
    });
    await moMach(mc);
    await assert.rejects(mc.thuc_hien(async () => 1), /fallback sync/);
    dongBo = false;
    await assert.rejects(mc.thuc_hien(async () => 1), /fallback async/);
    await nhuong();
    const tk = mc.lay_thong_ke();
    assert.equal(tk.fallback, 2);
    assert.equal(tk.fallback_loi, 2);
    assert.equal(tk.bi_chan, 2);
    assert.equal(tk.that_bai, 1);
  });

  it('half-open after timeout_phuc_hoi on the injected clock: trial success closes', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 2, timeout_phuc_hoi: 30, dong_ho: dh.ham });
    await moMach(mc);
    dh.tien(29.999);
    assert.equal(mc.trang_thai, 'mo');
    await assert.rejects(mc.thuc_hien(async () => 1), LoiMachMo);
    dh.tien(0.001);
    assert.equal(mc.trang_thai, 'nua_mo');
    assert.equal(await mc.thuc_hien(async () => 'ok'), 'ok');
    assert.equal(mc.trang_thai, 'dong');
    // dong -> mo -> nua_mo -> dong
    assert.equal(mc.lay_thong_ke().chuyen_trang_thai, 3);
    // the window was cleared on closing: one failure does not reopen
    await mc.thuc_hien(loiGia).catch(() => {});
    assert.equal(mc.trang_thai, 'dong');
  });

  it('trial failure opens again for another full timeout_phuc_hoi', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 2, timeout_phuc_hoi: 5, dong_ho: dh.ham });
    await moMach(mc);
    dh.tien(5);
    await assert.rejects(mc.thuc_hien(loiGia), /dependency down/);
    assert.equal(mc.trang_thai, 'mo');
    dh.tien(4.9);
    assert.equal(mc.trang_thai, 'mo');
    dh.tien(0.1);
    assert.equal(mc.trang_thai, 'nua_mo');
    // a sync-throwing trial also counts as a failure
    await assert.rejects(mc.thuc_hien(() => {
      throw new Error('sync trial');
    }), /sync trial/);
    assert.equal(mc.trang_thai, 'mo');
  });

  it('half-open timing does not depend on the real clock (real time frozen, injected time moves)', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 1, timeout_phuc_hoi: 3600, dong_ho: dh.ham });
    await moMach(mc);
    dh.tien(3599);
    assert.equal(mc.trang_thai, 'mo');
    dh.tien(1);
    assert.equal(mc.trang_thai, 'nua_mo');
  });

  it('with the real clock: half-open after a short timeout', async () => {
    const mc = new MachCat({ so_loi_toi_da: 1, timeout_phuc_hoi: 0.05 });
    await moMach(mc);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(mc.trang_thai, 'nua_mo');
    assert.equal(await mc.thuc_hien(() => 1), 1);
    assert.equal(mc.trang_thai, 'dong');
  });

  it('1000 concurrent callers in half-open: exactly one trial runs, the others are refused at once', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 3, timeout_phuc_hoi: 10, dong_ho: dh.ham });
    await moMach(mc);
    dh.tien(10);
    const thu = treo<string>();
    let chay = 0;
    const ham = (): Promise<string> => {
      chay++;
      return thu.p;
    };
    const ketQua = Array.from({ length: 1000 }, () => mc.thuc_hien(ham));
    const daXong = new Set<number>();
    ketQua.forEach((p, i) => p.then(() => daXong.add(i), () => daXong.add(i)));
    await nhuong();
    assert.equal(chay, 1);
    assert.equal(daXong.size, 999, 'the 999 refusals settle while the trial is still running (not queued)');
    assert.equal(mc.trang_thai, 'nua_mo');
    const tk = mc.lay_thong_ke();
    assert.equal(tk.bi_chan, 999);
    assert.equal(tk.dang_chay, 1);
    thu.xong('healed');
    const kq = await Promise.allSettled(ketQua);
    assert.equal(kq.filter((r) => r.status === 'fulfilled').length, 1);
    const bi = kq.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(bi.length, 999);
    assert.ok(bi.every((r) => r.reason instanceof LoiMachMo && r.reason.trang_thai === 'nua_mo'));
    assert.equal(mc.trang_thai, 'dong');
  });

  it('1000 callers arriving over many ticks in half-open, with a fallback: one trial, 999 fallbacks', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 1, timeout_phuc_hoi: 1, dong_ho: dh.ham, ham_fallback: () => 'fb' });
    await moMach(mc);
    dh.tien(1);
    const thu = treo<string>();
    let chay = 0;
    const ham = (): Promise<string> => {
      chay++;
      return thu.p;
    };
    const ketQua = Array.from({ length: 1000 }, async (_, i) => {
      for (let k = 0; k < i % 17; k++) await null;
      return mc.thuc_hien(ham);
    });
    await nhuong();
    assert.equal(chay, 1);
    thu.xong('live');
    const v = await Promise.all(ketQua);
    assert.equal(v.filter((x) => x === 'live').length, 1);
    assert.equal(v.filter((x) => x === 'fb').length, 999);
    assert.equal(mc.lay_thong_ke().fallback, 999);
  });

  it('the trial time limit: a trial that never settles counts as a failure and frees the breaker', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 1, timeout_phuc_hoi: 10, timeout_thu: 2, dong_ho: dh.ham });
    assert.equal(mc.timeout_thu, 2);
    await moMach(mc);
    dh.tien(10);
    const treoMai = treo<string>();
    const p1 = mc.thuc_hien(() => treoMai.p);
    assert.equal(mc.trang_thai, 'nua_mo');
    dh.tien(1.9);
    await assert.rejects(mc.thuc_hien(async () => 'x'), (e: unknown) => e instanceof LoiMachMo && Math.abs(e.giay_den_lan_thu - 10.1) < 1e-9);
    assert.equal(mc.lay_thong_ke().dang_chay, 1);
    dh.tien(0.1);
    // deadline reached: open again, as of the deadline
    assert.equal(mc.trang_thai, 'mo');
    let tk = mc.lay_thong_ke();
    assert.equal(tk.het_gio_thu, 1);
    assert.equal(tk.dang_chay, 0);
    assert.equal(tk.that_bai, 2);
    assert.ok(Math.abs(tk.giay_den_lan_thu - 10) < 1e-9);
    dh.tien(10);
    assert.equal(mc.trang_thai, 'nua_mo');
    assert.equal(await mc.thuc_hien(async () => 'second trial'), 'second trial');
    assert.equal(mc.trang_thai, 'dong');
    // the first trial settling late changes nothing and is not counted twice
    treoMai.xong('late');
    assert.equal(await p1, 'late');
    await nhuong();
    tk = mc.lay_thong_ke();
    assert.equal(mc.trang_thai, 'dong');
    assert.equal(tk.tong_request, tk.thanh_cong + tk.that_bai + tk.bi_chan + tk.dang_chay);
    assert.equal(tk.thanh_cong, 1);
  });

  it('timeout_thu defaults to timeout_phuc_hoi; a deadline long past is accounted as of the deadline', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 1, timeout_phuc_hoi: 5, dong_ho: dh.ham });
    assert.equal(mc.timeout_thu, 5);
    await moMach(mc);
    dh.tien(5);
    void mc.thuc_hien(() => new Promise<never>(() => {}));
    dh.tien(100); // trial deadline at +5, reopened then, half-open again at +10
    assert.equal(mc.trang_thai, 'nua_mo');
    assert.equal(await mc.thuc_hien(() => 1), 1);
    assert.equal(mc.trang_thai, 'dong');
  });

  it('reset() closes and clears the window; stats are kept; a running trial finishes as an ordinary call', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 2, timeout_phuc_hoi: 1, dong_ho: dh.ham });
    await moMach(mc);
    dh.tien(1);
    const t = treo<number>();
    const p = mc.thuc_hien(() => t.p);
    mc.reset();
    assert.equal(mc.trang_thai, 'dong');
    await mc.thuc_hien(loiGia).catch(() => {});
    assert.equal(mc.trang_thai, 'dong', 'the window was cleared by reset');
    t.loi(new Error('old trial fails'));
    await assert.rejects(p);
    await nhuong();
    // that failure counts in the fresh window: 2 failures -> open
    assert.equal(mc.trang_thai, 'mo');
    const tk = mc.lay_thong_ke();
    assert.equal(tk.that_bai, 4);
    assert.equal(tk.dang_chay, 0);
  });
});

describe('MachCat: the sliding window', () => {
  it('failures older than the window no longer count', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 3, cua_so_thoi_gian: 10, dong_ho: dh.ham });
    mc.ghi_nhan_loi(); // t = 0
    dh.tien(5);
    mc.ghi_nhan_loi(); // t = 5
    dh.tien(6);
    assert.equal(mc.lay_thong_ke().loi_trong_cua_so, 1, 'the failure at t=0 has left the window at t=11');
    mc.ghi_nhan_loi(); // t = 11: failures at 0, 5, 11 -> 0 is out
    assert.equal(mc.trang_thai, 'dong');
    dh.tien(1);
    mc.ghi_nhan_loi(); // t = 12: 5, 11, 12 within 10 s -> open
    assert.equal(mc.trang_thai, 'mo');
  });

  it('N failures spread wider than the window never open it, however many', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 5, cua_so_thoi_gian: 60, dong_ho: dh.ham });
    for (let i = 0; i < 10_000; i++) {
      await mc.thuc_hien(loiGia).catch(() => {});
      dh.tien(15.001); // any 5 consecutive failures span 60.004 s
    }
    assert.equal(mc.trang_thai, 'dong');
    assert.equal(mc.lay_thong_ke().that_bai, 10_000);
    // the same spacing just inside the window opens at the 5th
    const mc2 = new MachCat({ so_loi_toi_da: 5, cua_so_thoi_gian: 60, dong_ho: dh.ham });
    for (let i = 0; i < 4; i++) {
      mc2.ghi_nhan_loi();
      dh.tien(14.999);
    }
    assert.equal(mc2.trang_thai, 'dong');
    mc2.ghi_nhan_loi();
    assert.equal(mc2.trang_thai, 'mo');
  });

  it('successes do not reset the window: it counts failures in time, not in a row', () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 3, cua_so_thoi_gian: 60, dong_ho: dh.ham });
    for (let i = 0; i < 3; i++) {
      mc.ghi_nhan_loi();
      for (let k = 0; k < 100; k++) mc.ghi_nhan_thanh_cong();
      dh.tien(1);
    }
    assert.equal(mc.trang_thai, 'mo');
  });

  it('so_loi_toi_da = 1 opens on the first failure', () => {
    const mc = new MachCat({ so_loi_toi_da: 1 });
    mc.ghi_nhan_loi();
    assert.equal(mc.trang_thai, 'mo');
  });

  it('memory stays bounded whatever the traffic (no per-call retention)', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 50, cua_so_thoi_gian: 1, dong_ho: dh.ham });
    gc();
    const truoc = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000_000; i++) {
      if (i % 3 === 0) mc.ghi_nhan_loi();
      else mc.ghi_nhan_thanh_cong();
      dh.t += 0.1;
    }
    gc();
    const tang = process.memoryUsage().heapUsed - truoc;
    assert.equal(mc.lay_thong_ke().tong_request, 1_000_000);
    // opossum-style retention of ~10 bytes per call would be ~10 MB here
    assert.ok(tang < 3_000_000, `heap grew by ${tang} bytes over 1M calls`);
  });
});

describe('MachCat: the manual API (cho_phep / ghi_nhan_*)', () => {
  it('follows the same rules: closed allows, open refuses, half-open grants exactly one trial slot', () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 2, timeout_phuc_hoi: 10, dong_ho: dh.ham });
    assert.equal(mc.cho_phep(), true);
    mc.ghi_nhan_loi();
    mc.ghi_nhan_loi();
    assert.equal(mc.cho_phep(), false);
    dh.tien(10);
    const cap = Array.from({ length: 100 }, () => mc.cho_phep());
    assert.equal(cap.filter(Boolean).length, 1);
    assert.equal(cap[0], true);
    mc.ghi_nhan_thanh_cong();
    assert.equal(mc.trang_thai, 'dong');
    const tk = mc.lay_thong_ke();
    // granted permissions are not requests; refused ones are
    assert.equal(tk.bi_chan, 100);
    assert.equal(tk.tong_request, 2 + 100 + 1);
    assert.equal(tk.tong_request, tk.thanh_cong + tk.that_bai + tk.bi_chan + tk.dang_chay);
  });

  it('a manual trial failure reopens; a manual trial that is never reported times out', () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 1, timeout_phuc_hoi: 10, timeout_thu: 3, dong_ho: dh.ham });
    mc.ghi_nhan_loi();
    dh.tien(10);
    assert.equal(mc.cho_phep(), true);
    mc.ghi_nhan_loi();
    assert.equal(mc.trang_thai, 'mo');
    dh.tien(10);
    assert.equal(mc.cho_phep(), true);
    assert.equal(mc.cho_phep(), false);
    dh.tien(3);
    assert.equal(mc.trang_thai, 'mo');
    assert.equal(mc.lay_thong_ke().het_gio_thu, 1);
    dh.tien(10);
    assert.equal(mc.cho_phep(), true);
    const tk = mc.lay_thong_ke();
    assert.equal(tk.tong_request, tk.thanh_cong + tk.that_bai + tk.bi_chan + tk.dang_chay);
  });

  it('cho_phep and thuc_hien share the single trial slot', async () => {
    const dh = new DongHoGia();
    const mc = new MachCat({ so_loi_toi_da: 1, timeout_phuc_hoi: 1, dong_ho: dh.ham });
    mc.ghi_nhan_loi();
    dh.tien(1);
    assert.equal(mc.cho_phep(), true);
    await assert.rejects(mc.thuc_hien(async () => 1), LoiMachMo);
  });
});
