import assert from 'node:assert/strict';
import { MachCat, type TuyChonMachCat } from '../../src/index.js';

describe('MachCat: options', () => {
  it('uses the seed defaults', () => {
    const mc = new MachCat();
    assert.equal(mc.ten, 'default');
    assert.equal(mc.so_loi_toi_da, 5);
    assert.equal(mc.timeout_phuc_hoi, 30);
    assert.equal(mc.cua_so_thoi_gian, 60);
    assert.equal(mc.timeout_thu, 30);
    assert.equal(mc.tao_span, false);
    assert.equal(mc.trang_thai, 'dong');
    const tk = mc.lay_thong_ke();
    for (const k of ['trang_thai', 'tong_request', 'thanh_cong', 'that_bai', 'bi_chan', 'fallback', 'chuyen_trang_thai', 'ty_le_thanh_cong', 'ty_le_that_bai']) {
      assert.ok(k in tk, `missing seed key ${k}`);
    }
    assert.equal(tk.ty_le_thanh_cong, 0);
    assert.equal(tk.ty_le_that_bai, 0);
  });

  it('timeout_phuc_hoi 0 is allowed (trial at once); timeout_thu then defaults to 30', () => {
    const mc = new MachCat({ timeout_phuc_hoi: 0, so_loi_toi_da: 1 });
    assert.equal(mc.timeout_thu, 30);
    mc.ghi_nhan_loi();
    assert.equal(mc.trang_thai, 'nua_mo');
  });

  const xau: Array<[string, unknown, typeof TypeError | typeof RangeError, RegExp]> = [
    ['so_loi_toi_da 0', { so_loi_toi_da: 0 }, RangeError, /so_loi_toi_da/],
    ['so_loi_toi_da negative', { so_loi_toi_da: -3 }, RangeError, /so_loi_toi_da/],
    ['so_loi_toi_da fractional', { so_loi_toi_da: 2.5 }, RangeError, /integer/],
    ['so_loi_toi_da NaN', { so_loi_toi_da: NaN }, RangeError, /so_loi_toi_da/],
    ['so_loi_toi_da Infinity', { so_loi_toi_da: Infinity }, RangeError, /so_loi_toi_da/],
    ['so_loi_toi_da string', { so_loi_toi_da: '5' }, TypeError, /so_loi_toi_da/],
    ['timeout_phuc_hoi negative', { timeout_phuc_hoi: -1 }, RangeError, /timeout_phuc_hoi/],
    ['timeout_phuc_hoi NaN', { timeout_phuc_hoi: NaN }, RangeError, /timeout_phuc_hoi/],
    ['timeout_phuc_hoi Infinity', { timeout_phuc_hoi: Infinity }, RangeError, /timeout_phuc_hoi/],
    ['timeout_phuc_hoi string', { timeout_phuc_hoi: '30' }, TypeError, /timeout_phuc_hoi/],
    ['cua_so_thoi_gian 0', { cua_so_thoi_gian: 0 }, RangeError, /cua_so_thoi_gian/],
    ['cua_so_thoi_gian negative', { cua_so_thoi_gian: -60 }, RangeError, /cua_so_thoi_gian/],
    ['timeout_thu 0', { timeout_thu: 0 }, RangeError, /timeout_thu/],
    ['ham_fallback not a function', { ham_fallback: 'fallback' }, TypeError, /ham_fallback/],
    ['ham_fallback null', { ham_fallback: null }, TypeError, /ham_fallback/],
    ['ten empty', { ten: '' }, TypeError, /ten/],
    ['ten number', { ten: 5 }, TypeError, /ten/],
    ['tao_span string', { tao_span: 'yes' }, TypeError, /tao_span/],
    ['dong_ho number', { dong_ho: 5 }, TypeError, /dong_ho/],
    ['unknown key (typo)', { so_loi_toi_daa: 3 }, TypeError, /so_loi_toi_daa/],
    ['options not an object', 'api', TypeError, /options/],
    ['options null', null, TypeError, /options/],
  ];
  for (const [ten, tuy_chon, loai, thong_diep] of xau) {
    it(`refuses ${ten} at construction with a ${loai.name}`, () => {
      assert.throws(() => new MachCat(tuy_chon as TuyChonMachCat), (e: unknown) => e instanceof loai && thong_diep.test((e as Error).message));
    });
  }
});
