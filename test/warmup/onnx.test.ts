import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LamNongModel } from '../../src/index.js';
import {
  chia_du_lieu,
  doc_metadata,
  DO_DAI_TOI_DA,
  huan_luyen,
  huan_luyen_va_xuat,
  NHAN_CAM_XUC,
  tao_du_lieu,
  tao_mo_hinh_cam_xuc,
  xac_suat_ts,
  type MoHinhCamXuc,
} from '../../examples/model/index.js';

const trungVi = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

const MAU_WARMUP = 'Sản phẩm rất tốt, giao hàng nhanh';
const CAU_DAU_TIEN = 'Điện thoại này pin trâu, màn hình đẹp, rất hài lòng';

describe('lamnong/onnx: the self-trained Vietnamese sentiment model on onnxruntime-node', function () {
  this.timeout(60_000);
  const mo: MoHinhCamXuc[] = [];
  after(async () => {
    for (const m of mo) await m.dong();
  });
  const tao = async (...a: Parameters<typeof tao_mo_hinh_cam_xuc>): Promise<MoHinhCamXuc> => {
    const m = await tao_mo_hinh_cam_xuc(...a);
    mo.push(m);
    return m;
  };

  it('the data set: a few hundred labelled sentences with diacritics, every label, a stratified split', () => {
    const d = tao_du_lieu();
    assert.ok(d.length >= 300, `${d.length} sentences`);
    for (const n of NHAN_CAM_XUC) assert.ok(d.filter((m) => m.nhan === n).length >= 100, n);
    assert.ok(d.every((m) => /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i.test(m.van_ban) || m.van_ban.length < 12), 'Vietnamese with diacritics');
    assert.equal(new Set(d.map((m) => m.van_ban)).size > d.length * 0.9, true, 'mostly distinct sentences');
    const c = chia_du_lieu(d);
    assert.equal(c.huan_luyen.length + c.kiem_tra.length, d.length);
    const hl = new Set(c.huan_luyen);
    assert.ok(c.kiem_tra.every((m) => !hl.has(m)), 'held-out samples are not trained on');
    for (const n of NHAN_CAM_XUC) assert.ok(c.kiem_tra.some((m) => m.nhan === n && m.viet_tay), `held-out hand-written ${n}`);
  });

  it('training is deterministic: the same ONNX bytes twice; held-out accuracy is sensible', () => {
    const a = huan_luyen_va_xuat();
    const b = huan_luyen_va_xuat();
    assert.deepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes));
    const dcx = a.do_chinh_xac;
    console.log(
      `      model: ${a.bytes.byteLength} bytes, trained in ${a.thoi_gian_huan_luyen_ms!.toFixed(0)} ms on ${dcx.so_mau_huan_luyen} sentences; ` +
        `held-out accuracy ${(dcx.kiem_tra * 100).toFixed(1)}% of ${dcx.so_mau_kiem_tra} (hand-written only: ${(dcx.kiem_tra_viet_tay * 100).toFixed(1)}% of ${dcx.so_mau_kiem_tra_viet_tay}), training ${(dcx.huan_luyen * 100).toFixed(1)}%`,
    );
    assert.ok(dcx.kiem_tra >= 0.85, `held-out accuracy ${dcx.kiem_tra}`);
    assert.ok(dcx.kiem_tra_viet_tay > 1 / 3 + 0.2, `better than chance on hand-written sentences: ${dcx.kiem_tra_viet_tay}`);
    assert.ok(a.bytes.byteLength < 100_000);
    const meta = doc_metadata(a.bytes);
    assert.deepEqual(JSON.parse(meta.nhan!), [...NHAN_CAM_XUC]);
    // A different seed gives different weights: the bytes are really computed.
    assert.notDeepEqual(Buffer.from(huan_luyen_va_xuat({ hat_giong: 1 }).bytes), Buffer.from(a.bytes));
  });

  it('ONNX Runtime computes what the TypeScript reference computes (held-out set)', async () => {
    const m = await tao();
    const { huan_luyen: hl, kiem_tra } = chia_du_lieu(tao_du_lieu());
    const w = huan_luyen(hl).trong_so;
    const ort = await m.du_doan_lo(kiem_tra.map((x) => x.van_ban));
    let dung = 0;
    kiem_tra.forEach((x, i) => {
      const p = xac_suat_ts(w, x.van_ban);
      const q = ort[i]!;
      NHAN_CAM_XUC.forEach((n, c) => assert.ok(Math.abs(q.xac_suat[n] - p[c]!) < 1e-4, `${x.van_ban}: ${n} ${q.xac_suat[n]} vs ${p[c]}`));
      if (q.nhan === x.nhan) dung++;
    });
    assert.equal(dung / kiem_tra.length, m.do_chinh_xac.kiem_tra);
  });

  it('predicts sensible labels; NFC and NFD input agree; bad input is a clear error', async () => {
    const m = await tao();
    const ca: [string, string][] = [
      ['Sản phẩm tuyệt vời, rất hài lòng', 'tich_cuc'],
      ['Hàng lỗi, giao chậm, quá tệ', 'tieu_cuc'],
      ['Cho hỏi shop còn hàng không', 'trung_tinh'],
    ];
    for (const [van_ban, nhan] of ca) {
      const kq = await m.du_doan(van_ban);
      assert.equal(kq.nhan, nhan, van_ban);
      assert.ok(kq.do_tin_cay > 0.5 && kq.do_tin_cay <= 1);
      assert.equal(kq.do_tin_cay, kq.xac_suat[kq.nhan]);
      const tong = Object.values(kq.xac_suat).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(tong - 1) < 1e-5);
    }
    const nfc = 'Điện thoại rất tốt';
    const nfd = nfc.normalize('NFD');
    assert.notEqual(nfc, nfd);
    assert.deepEqual(await m.du_doan(nfd), await m.du_doan(nfc));
    assert.deepEqual(await m.du_doan('ĐIỆN THOẠI RẤT TỐT'), await m.du_doan(nfc));
    assert.equal((await m.du_doan('')).nhan.length > 0, true, 'empty text still gives a label');
    await assert.rejects(m.du_doan(42 as never), TypeError);
    await assert.rejects(m.du_doan('a'.repeat(DO_DAI_TOI_DA + 1)), RangeError);
    assert.deepEqual(await m.du_doan_lo([]), []);
  });

  it('warmed through LamNongModel, the first inference is close to steady state (cold is not)', async () => {
    const lan_dau_sau_warmup: number[] = [];
    const lan_dau_lanh: number[] = [];
    const am: number[] = [];
    for (let thu = 0; thu < 7; thu++) {
      // A fresh session, warmed through LamNongModel (default: 3 runs on a sample text).
      const m = await tao();
      const l = new LamNongModel();
      l.dang_ky_model('cam_xuc', m, { du_lieu_mau: MAU_WARMUP });
      const got = (await l.lay_model('cam_xuc')) as MoHinhCamXuc;
      // The first real request: another text than the sample.
      let t = performance.now();
      const kq = await got.du_doan(CAU_DAU_TIEN);
      lan_dau_sau_warmup.push(performance.now() - t);
      assert.equal(kq.nhan, 'tich_cuc');
      assert.equal(got, m);
      assert.equal(l.trang_thai_model('cam_xuc')!.da_warmup, true);
      assert.equal(l.trang_thai_model('cam_xuc')!.ket_qua_cuoi!.so_lan, 3);
      assert.equal(l.san_sang(), true);
      const warm: number[] = [];
      for (let i = 0; i < 50; i++) {
        t = performance.now();
        await got.du_doan(CAU_DAU_TIEN);
        warm.push(performance.now() - t);
      }
      am.push(trungVi(warm));
      // Cold, for the report: a fresh session's first call without warm-up.
      const lanh = await tao();
      t = performance.now();
      await lanh.du_doan(CAU_DAU_TIEN);
      lan_dau_lanh.push(performance.now() - t);
    }
    const sau = trungVi(lan_dau_sau_warmup);
    const lanh = trungVi(lan_dau_lanh);
    const on_dinh = trungVi(am);
    console.log(
      `      ONNX inference: warm median ${(on_dinh * 1000).toFixed(1)} us; first after warm-up ${(sau * 1000).toFixed(1)} us (${(sau / on_dinh).toFixed(2)}x); ` +
        `first without warm-up ${(lanh * 1000).toFixed(1)} us (${(lanh / on_dinh).toFixed(1)}x)`,
    );
    assert.ok(sau < 5 * on_dinh, `first inference after warm-up ${sau} ms vs warm median ${on_dinh} ms`);
  });

  it('caches the ONNX bytes in a directory when asked, and reads them back', async () => {
    const thu_muc = await mkdtemp(join(tmpdir(), 'lamnong-cache-'));
    try {
      const a = await tao({ thu_muc_cache: thu_muc });
      assert.equal(a.tu_cache, false);
      const tep = await readdir(thu_muc);
      assert.equal(tep.length, 1);
      assert.match(tep[0]!, /^cam-xuc-v1-[0-9a-f]{16}\.onnx$/);
      const b = await tao({ thu_muc_cache: thu_muc });
      assert.equal(b.tu_cache, true);
      assert.equal(b.thoi_gian_huan_luyen_ms, undefined);
      assert.deepEqual(Buffer.from(b.onnx_bytes), Buffer.from(a.onnx_bytes));
      assert.deepEqual(b.do_chinh_xac, a.do_chinh_xac);
      assert.deepEqual(await b.du_doan(CAU_DAU_TIEN), await a.du_doan(CAU_DAU_TIEN));
      await assert.rejects(tao_mo_hinh_cam_xuc({ thu_muc_cache: '' }), TypeError);
    } finally {
      await rm(thu_muc, { recursive: true, force: true });
    }
  });
});
