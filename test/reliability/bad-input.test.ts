/**
 * Bad input and abuse (issue 7): ONE table across the five classes and the
 * HTTP layer. Each row calls something with a bad or hostile input and
 * asserts the documented outcome (a TypeError/RangeError/exported error
 * class naming the bad argument, or the documented handling: an `error`
 * check result, a cut string, a valid JSON line, an escaped label that
 * promtool accepts, a 4xx answer). After EVERY row the same shared instance
 * of that class is used for a normal call ("nothing else broke"), and no
 * unhandled rejection may have appeared.
 *
 * Everything runs under a real SDK (memory span/log exporters, Prometheus
 * text), so the telemetry paths (spans, span events, OTel log records,
 * metric collection) see the hostile values too.
 *
 * The per-component suites (test/<component>/) test each facade's own
 * contract; this table is the cross-cutting abuse suite. The cardinality
 * bomb is at the end.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { metrics, trace } from '@opentelemetry/api';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  KiemTraSucKhoe,
  LamNongModel,
  LoggerCauTruc,
  LoiCheckDaTonTai,
  LoiKhongCoModel,
  LoiLamNong,
  MachCat,
  QuanLyMetrics,
  LoiCauHinh,
  khoi_dong_sdk,
  type BoNhoSpanExporter,
  type SdkDangChay,
} from '../../src/index.js';
import {
  CONTENT_TYPE_HEALTH_JSON,
  CONTENT_TYPE_PROMETHEUS,
  boc_xu_ly_http,
  gan_express,
  gan_fastify,
  tao_may_chu_tham_do,
} from '../../instrumentation/index.js';
import {
  bo_thu_log,
  cho,
  goi_tho,
  heap_sau_gc,
  nem,
  promtool_ok,
  proxy_nem,
  theo_doi_tu_choi,
  tu_choi,
  type BoThuLog,
  type DongBang,
} from './support/abuse.js';
import { THU_MUC_REPO } from './helpers.js';
import { parseExposition } from '../support/exposition.js';

/** Registers one `it` per row; after each row runs `van_on` (still works) and checks for unhandled rejections. */
function bang(dong: readonly DongBang[], van_on: () => unknown, tu_choi_moi: () => unknown[]): void {
  for (const d of dong) {
    it(`${d.lop} | ${d.dau_vao} -> ${d.mong_doi}`, async function () {
      this.timeout(d.timeout_ms ?? 8000);
      tu_choi_moi(); // a failed earlier row does not leak into this one
      await d.chay();
      await van_on();
      await cho(0);
      assert.deepEqual(tu_choi_moi(), [], 'no unhandled rejection');
    });
  }
}

const MB = 1024 * 1024;
const chuoi_mb = (c = 'x'): string => c.repeat(Math.ceil(MB / c.length));
/** Values an attacker controls that are hard to render: quotes, backslashes, newlines, CR, tab, LS/PS, diacritics, an emoji, empty. */
const NHAN_KHO = ['say "xin chào"', 'C:\\models\\phobert\\', 'dòng 1\ndòng 2', 'cr\rlf\r\n', 'tab\there', 'ls\u2028ps\u2029', 'Tiếng Việt: ắ ầ ẫ ự', '🚀 ok', '', '{a="b"} 1\n# HELP x'];

describe('reliability/bad input and abuse: a table across the five classes and the HTTP layer', function () {
  this.timeout(30_000);
  let sdk: SdkDangChay;
  let tc: ReturnType<typeof theo_doi_tu_choi>;
  let thay = 0;
  /** Unhandled rejections since the last look. */
  const tu_choi_moi = (): unknown[] => {
    const moi = tc.ds.slice(thay);
    thay = tc.ds.length;
    return moi;
  };

  before(() => {
    sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', http: false })!;
    tc = theo_doi_tu_choi();
  });
  after(async () => {
    tc.dung();
    await sdk.tat();
  });

  // ---------------------------------------------------------------- KiemTraSucKhoe
  describe('KiemTraSucKhoe', () => {
    let h: KiemTraSucKhoe;
    before(() => {
      h = new KiemTraSucKhoe({ ten: 'bad-input', timeout: 0.3, thoi_gian_cache: 0 });
      h.dang_ky_check('co_so', () => true, 'baseline', true);
    });
    after(() => h.dong());

    /** Registers `ham` as a check, runs once, removes it; returns its detail and how long the run took. */
    const mot_check = async (ten: string, ham: () => unknown) => {
      h.dang_ky_check(ten, ham, 'hostile', false);
      const t0 = performance.now();
      const kq = await h.kiem_tra();
      const ms = performance.now() - t0;
      assert.ok(h.xoa_check(ten));
      const ct = kq.chi_tiet[ten];
      assert.ok(ct !== undefined, `the check ${ten} is in the result`);
      assert.equal(kq.trang_thai, ct.trang_thai === 'ok' ? 'healthy' : 'degraded', 'a non-critical check makes the run degraded, nothing worse');
      return { ct, ms };
    };
    const tao = (o: unknown) => () => new KiemTraSucKhoe(o as never);

    const dong: DongBang[] = [
      { lop: 'new KiemTraSucKhoe', dau_vao: 'timeout: NaN', mong_doi: 'RangeError naming timeout', chay: () => nem(tao({ timeout: NaN }), RangeError, /timeout/) },
      { lop: 'new KiemTraSucKhoe', dau_vao: 'timeout: -1', mong_doi: 'RangeError naming timeout', chay: () => nem(tao({ timeout: -1 }), RangeError, /timeout/) },
      { lop: 'new KiemTraSucKhoe', dau_vao: 'timeout: Infinity', mong_doi: 'RangeError naming timeout', chay: () => nem(tao({ timeout: Infinity }), RangeError, /timeout/) },
      { lop: 'new KiemTraSucKhoe', dau_vao: 'timeout: 0', mong_doi: 'RangeError naming timeout (> 0)', chay: () => nem(tao({ timeout: 0 }), RangeError, /timeout/) },
      { lop: 'new KiemTraSucKhoe', dau_vao: 'timeout: "5" (wrong type)', mong_doi: 'TypeError naming timeout', chay: () => nem(tao({ timeout: '5' }), TypeError, /timeout/) },
      { lop: 'new KiemTraSucKhoe', dau_vao: 'mau_lich_su: 2.5', mong_doi: 'RangeError naming mau_lich_su', chay: () => nem(tao({ mau_lich_su: 2.5 }), RangeError, /mau_lich_su/) },
      { lop: 'new KiemTraSucKhoe', dau_vao: 'thoi_gian_cache: -Infinity', mong_doi: 'RangeError naming thoi_gian_cache', chay: () => nem(tao({ thoi_gian_cache: -Infinity }), RangeError, /thoi_gian_cache/) },
      { lop: 'new KiemTraSucKhoe', dau_vao: 'nguong_heap_live: 1.5', mong_doi: 'RangeError naming nguong_heap_live', chay: () => nem(tao({ nguong_heap_live: 1.5 }), RangeError, /nguong_heap_live/) },
      { lop: 'new KiemTraSucKhoe', dau_vao: 'unknown option key { timout: 5 } (a typo)', mong_doi: 'TypeError naming the key', chay: () => nem(tao({ timout: 5 }), TypeError, /timout/) },
      { lop: 'new KiemTraSucKhoe', dau_vao: 'null options', mong_doi: 'TypeError', chay: () => nem(tao(null), TypeError, /options/) },
      {
        lop: 'KiemTraSucKhoe.dang_ky_checks_mac_dinh',
        dau_vao: 'nguong_bo_nho: NaN',
        mong_doi: 'RangeError naming nguong_bo_nho, nothing registered',
        chay: () => {
          nem(() => h.dang_ky_checks_mac_dinh(undefined, { nguong_bo_nho: NaN }), RangeError, /nguong_bo_nho/);
          assert.deepEqual(h.danh_sach_checks(), ['co_so']);
        },
      },
      { lop: 'KiemTraSucKhoe.dang_ky_check', dau_vao: 'a number as the name', mong_doi: 'TypeError naming ten', chay: () => nem(() => h.dang_ky_check(42 as never, () => true), TypeError, /ten/) },
      {
        lop: 'KiemTraSucKhoe.dang_ky_check',
        dau_vao: 'a 100k-character name',
        mong_doi: 'RangeError naming ten, nothing registered',
        chay: () => {
          nem(() => h.dang_ky_check('c'.repeat(100_000), () => true), RangeError, /ten/);
          assert.deepEqual(h.danh_sach_checks(), ['co_so']);
        },
      },
      { lop: 'KiemTraSucKhoe.dang_ky_check', dau_vao: 'undefined as the function', mong_doi: 'TypeError naming ham', chay: () => nem(() => h.dang_ky_check('x', undefined as never), TypeError, /ham/) },
      { lop: 'KiemTraSucKhoe.dang_ky_check', dau_vao: 'a number as mo_ta', mong_doi: 'TypeError naming mo_ta', chay: () => nem(() => h.dang_ky_check('x', () => true, 5 as never), TypeError, /mo_ta/) },
      { lop: 'KiemTraSucKhoe.dang_ky_check', dau_vao: '"yes" as quan_trong', mong_doi: 'TypeError naming quan_trong', chay: () => nem(() => h.dang_ky_check('x', () => true, '', 'yes' as never), TypeError, /quan_trong/) },
      { lop: 'KiemTraSucKhoe.dang_ky_check', dau_vao: 'a duplicate name', mong_doi: 'LoiCheckDaTonTai naming it', chay: () => nem(() => h.dang_ky_check('co_so', () => true), LoiCheckDaTonTai, /co_so/) },
      {
        lop: 'KiemTraSucKhoe.dang_ky_check',
        dau_vao: 'a name with spaces, diacritics, quotes, a backslash and a newline',
        mong_doi: 'accepted; its metric label is escaped and promtool accepts the exposition',
        chay: async () => {
          const ten = 'kết nối "cơ sở dữ liệu"\n\\ chính';
          const { ct } = await mot_check(ten, () => true);
          assert.equal(ct.trang_thai, 'ok');
          h.dang_ky_check(ten, () => true, '', false);
          try {
            await h.kiem_tra();
            const text = await sdk.export_prometheus();
            assert.ok(text.includes('check="kết nối \\"cơ sở dữ liệu\\"\\n\\\\ chính"'), 'label value escaped per the text format');
            await promtool_ok(text);
          } finally {
            h.xoa_check(ten);
          }
        },
      },
      {
        lop: 'KiemTraSucKhoe check',
        dau_vao: 'throws a string',
        mong_doi: 'error, loi = the string',
        chay: async () => {
          const { ct } = await mot_check('nem_chuoi', () => {
            throw 'mất kết nối';
          });
          assert.deepEqual([ct.trang_thai, ct.loi], ['error', 'mất kết nối']);
        },
      },
      {
        lop: 'KiemTraSucKhoe check',
        dau_vao: 'throws undefined',
        mong_doi: 'error with a readable loi',
        chay: async () => {
          const { ct } = await mot_check('nem_undefined', () => {
            throw undefined;
          });
          assert.deepEqual([ct.trang_thai, ct.loi], ['error', 'undefined thrown']);
        },
      },
      {
        lop: 'KiemTraSucKhoe check',
        dau_vao: 'throws a null-prototype object and an object whose toString throws',
        mong_doi: 'error with a readable loi each',
        chay: async () => {
          const a = await mot_check('nem_null_proto', () => {
            throw Object.assign(Object.create(null) as object, { ma: 7 });
          });
          const b = await mot_check('nem_tostring', () => {
            throw {
              toString() {
                throw new Error('no');
              },
            };
          });
          for (const { ct } of [a, b]) {
            assert.equal(ct.trang_thai, 'error');
            assert.ok(typeof ct.loi === 'string' && ct.loi.length > 0 && ct.loi.length <= 501, String(ct.loi));
          }
        },
      },
      {
        lop: 'KiemTraSucKhoe check',
        dau_vao: 'throws an Error whose message getter throws',
        mong_doi: 'error with a readable loi',
        chay: async () => {
          const e = new Error('x');
          Object.defineProperty(e, 'message', {
            get() {
              throw new Error('boom');
            },
          });
          const { ct } = await mot_check('message_nem', () => {
            throw e;
          });
          assert.equal(ct.trang_thai, 'error');
          assert.equal(typeof ct.loi, 'string');
        },
      },
      {
        lop: 'KiemTraSucKhoe check',
        dau_vao: 'rejects with a Symbol',
        mong_doi: 'error, loi mentions the Symbol',
        chay: async () => {
          const { ct } = await mot_check('symbol', () => Promise.reject(Symbol('hỏng')));
          assert.equal(ct.trang_thai, 'error');
          assert.match(ct.loi ?? '', /Symbol\(hỏng\)/);
        },
      },
      {
        lop: 'KiemTraSucKhoe check',
        dau_vao: 'returns a Promise that never settles',
        mong_doi: 'error "timed out" after about timeout (0.3 s)',
        chay: async () => {
          const { ct, ms } = await mot_check('treo', () => new Promise(() => {}));
          assert.equal(ct.trang_thai, 'error');
          assert.match(ct.loi ?? '', /timed out/);
          assert.ok(ms < 2000, `the run took ${ms.toFixed(0)} ms`);
        },
      },
      {
        lop: 'KiemTraSucKhoe check',
        dau_vao: 'returns a thenable whose then getter throws, and a Proxy that throws on every trap',
        mong_doi: 'error each (not a crash of the run)',
        chay: async () => {
          const thenable = {};
          Object.defineProperty(thenable, 'then', {
            get() {
              throw new Error('then getter');
            },
          });
          const a = await mot_check('then_nem', () => thenable);
          const b = await mot_check('proxy', () => proxy_nem());
          assert.equal(a.ct.trang_thai, 'error');
          assert.match(a.ct.loi ?? '', /then getter/);
          assert.equal(b.ct.trang_thai, 'error');
        },
      },
      {
        lop: 'KiemTraSucKhoe check',
        dau_vao: 'returns NaN',
        mong_doi: 'fail (falsy), not error',
        chay: async () => {
          const { ct } = await mot_check('nan', () => NaN);
          assert.equal(ct.trang_thai, 'fail');
        },
      },
    ];
    bang(
      dong,
      async () => {
        h.dang_ky_check('van_on', () => Promise.resolve(1), '', true);
        const t0 = performance.now();
        const kq = await h.kiem_tra();
        h.xoa_check('van_on');
        assert.ok(performance.now() - t0 < 2000);
        assert.equal(kq.trang_thai, 'healthy');
        assert.equal(kq.chi_tiet.van_on?.trang_thai, 'ok');
        assert.deepEqual(h.danh_sach_checks(), ['co_so']);
        assert.equal(h.live(), true);
      },
      tu_choi_moi,
    );
  });

  // ---------------------------------------------------------------- MachCat
  describe('MachCat', () => {
    let mc: MachCat;
    before(() => {
      mc = new MachCat({ ten: 'bad-input' });
    });
    const tao = (o: unknown) => () => new MachCat(o as never);
    /** An open breaker with a fallback (its own instance: the shared one must stay closed). */
    const mo_voi = async (ham_fallback: (...a: never[]) => unknown): Promise<MachCat> => {
      const m = new MachCat({ ten: 'bad-input-fb', so_loi_toi_da: 1, timeout_phuc_hoi: 60, ham_fallback });
      await m.thuc_hien(() => Promise.reject(new Error('down'))).catch(() => {});
      assert.equal(m.trang_thai, 'mo');
      return m;
    };

    const dong: DongBang[] = [
      { lop: 'new MachCat', dau_vao: 'so_loi_toi_da: 0', mong_doi: 'RangeError naming so_loi_toi_da', chay: () => nem(tao({ so_loi_toi_da: 0 }), RangeError, /so_loi_toi_da/) },
      { lop: 'new MachCat', dau_vao: 'so_loi_toi_da: 2.5 (non-integer)', mong_doi: 'RangeError naming so_loi_toi_da', chay: () => nem(tao({ so_loi_toi_da: 2.5 }), RangeError, /so_loi_toi_da/) },
      { lop: 'new MachCat', dau_vao: 'so_loi_toi_da: NaN', mong_doi: 'RangeError naming so_loi_toi_da', chay: () => nem(tao({ so_loi_toi_da: NaN }), RangeError, /so_loi_toi_da/) },
      { lop: 'new MachCat', dau_vao: 'so_loi_toi_da: "5"', mong_doi: 'TypeError naming so_loi_toi_da', chay: () => nem(tao({ so_loi_toi_da: '5' }), TypeError, /so_loi_toi_da/) },
      { lop: 'new MachCat', dau_vao: 'timeout_phuc_hoi: -1', mong_doi: 'RangeError naming timeout_phuc_hoi', chay: () => nem(tao({ timeout_phuc_hoi: -1 }), RangeError, /timeout_phuc_hoi/) },
      { lop: 'new MachCat', dau_vao: 'timeout_phuc_hoi: Infinity', mong_doi: 'RangeError naming timeout_phuc_hoi', chay: () => nem(tao({ timeout_phuc_hoi: Infinity }), RangeError, /timeout_phuc_hoi/) },
      { lop: 'new MachCat', dau_vao: 'cua_so_thoi_gian: 0 (zero window)', mong_doi: 'RangeError naming cua_so_thoi_gian', chay: () => nem(tao({ cua_so_thoi_gian: 0 }), RangeError, /cua_so_thoi_gian/) },
      { lop: 'new MachCat', dau_vao: 'timeout_thu: NaN', mong_doi: 'RangeError naming timeout_thu', chay: () => nem(tao({ timeout_thu: NaN }), RangeError, /timeout_thu/) },
      { lop: 'new MachCat', dau_vao: 'ham_fallback: "fallback" (a string)', mong_doi: 'TypeError naming ham_fallback', chay: () => nem(tao({ ham_fallback: 'fallback' }), TypeError, /ham_fallback/) },
      { lop: 'new MachCat', dau_vao: 'unknown option key so_loi_toi_daa', mong_doi: 'TypeError naming the key', chay: () => nem(tao({ so_loi_toi_daa: 3 }), TypeError, /so_loi_toi_daa/) },
      {
        lop: 'new MachCat',
        dau_vao: 'dong_ho: process.hrtime.bigint / () => NaN / () => "12" / a clock that throws (D5)',
        mong_doi: 'TypeError naming dong_ho at construction (its first reading is checked)',
        chay: () => {
          nem(tao({ dong_ho: process.hrtime.bigint }), TypeError, /dong_ho.*bigint/);
          nem(tao({ dong_ho: () => NaN }), TypeError, /dong_ho.*NaN/);
          nem(tao({ dong_ho: () => '12' }), TypeError, /dong_ho/);
          nem(
            tao({
              dong_ho: () => {
                throw new Error('hỏng');
              },
            }),
            TypeError,
            /dong_ho.*hỏng/,
          );
        },
      },
      {
        lop: 'MachCat clock',
        dau_vao: 'a clock that jumps back 2 hours while open, then one that turns NaN (D5)',
        mong_doi: 'a backwards reading is no time passing: half-open 1 s (timeout_phuc_hoi) of forward time after the jump; a NaN reading never stops the breaker from opening',
        chay: async () => {
          let t = 7_200_000;
          const m = new MachCat({ ten: 'd5', so_loi_toi_da: 1, timeout_phuc_hoi: 1, dong_ho: () => t });
          await m.thuc_hien(() => Promise.reject(new Error('down'))).catch(() => {});
          assert.equal(m.trang_thai, 'mo');
          t = 0;
          assert.equal(m.trang_thai, 'mo', 'going back is no time passing');
          t = 1500;
          assert.equal(m.trang_thai, 'nua_mo', '1.5 s of forward time after the jump');
          let u: unknown = 5;
          const n = new MachCat({ ten: 'd5-nan', so_loi_toi_da: 3, dong_ho: () => u as number });
          u = NaN;
          for (let i = 0; i < 3; i++) await n.thuc_hien(() => Promise.reject(new Error('down'))).catch(() => {});
          assert.equal(n.trang_thai, 'mo', 'three failures open it even while the clock reads NaN');
        },
      },
      {
        lop: 'MachCat.thuc_hien',
        dau_vao: 'a promise whose own then calls its callbacks five times (2 ok, 3 failures), and a Promise subclass doing the same (D12)',
        mong_doi: 'only the first settlement counts: one success each, dang_chay back to 0, the circuit stays closed',
        chay: async () => {
          const m = new MachCat({ ten: 'd12', so_loi_toi_da: 2 });
          const nam_lan = (ok: (v: unknown) => void, loi: (e: unknown) => void): void => {
            ok(1);
            ok(2);
            loi(new Error('3'));
            loi(new Error('4'));
            loi(new Error('5'));
          };
          const p = Object.assign(Promise.resolve(1), {
            then(ok: (v: unknown) => void, loi: (e: unknown) => void) {
              nam_lan(ok, loi);
              return Promise.resolve(1);
            },
          });
          class Nam extends Promise<unknown> {}
          Object.defineProperty(Nam.prototype, 'then', {
            value(ok: (v: unknown) => void, loi: (e: unknown) => void) {
              nam_lan(ok, loi);
              return Promise.resolve(1);
            },
          });
          await m.thuc_hien(() => p);
          await m.thuc_hien(() => new Nam((r) => r(1)));
          await cho(0);
          const tk = m.lay_thong_ke();
          assert.deepEqual([tk.thanh_cong, tk.that_bai, tk.dang_chay, tk.trang_thai], [2, 0, 0, 'dong']);
        },
      },
      {
        lop: 'MachCat metrics',
        dau_vao: 'a breaker garbage-collected after 10 calls, then a new one with the same name (D13)',
        mong_doi: 'machcat_calls_total stays monotonic: 10, then 11 (the dead breaker folded into the totals)',
        chay: async () => {
          const dem = async (): Promise<number> => {
            const text = await sdk.export_prometheus();
            const l = text.split('\n').find((x) => x.startsWith('machcat_calls_total{') && x.includes('machcat_ten="d13"') && x.includes('ket_qua="thanh_cong"'));
            return l === undefined ? 0 : Number(l.slice(l.lastIndexOf(' ') + 1));
          };
          await (async () => {
            const m = new MachCat({ ten: 'd13' });
            for (let i = 0; i < 10; i++) await m.thuc_hien(() => i);
          })();
          assert.equal(await dem(), 10);
          for (let i = 0; i < 5; i++) {
            heap_sau_gc();
            await cho(10);
          }
          const m2 = new MachCat({ ten: 'd13' });
          await m2.thuc_hien(() => 1);
          assert.equal(await dem(), 11);
        },
      },
      { lop: 'new MachCat', dau_vao: 'ten: ""', mong_doi: 'TypeError naming ten', chay: () => nem(tao({ ten: '' }), TypeError, /ten/) },
      {
        lop: 'new MachCat',
        dau_vao: 'ten with diacritics, quotes, a backslash and a newline',
        mong_doi: 'accepted; refusal message names it; metrics escaped and promtool accepts them',
        chay: async () => {
          const ten = 'mạch "gọi API"\n\\ chính';
          const m = new MachCat({ ten, so_loi_toi_da: 1, timeout_phuc_hoi: 60 });
          await m.thuc_hien(() => Promise.reject(new Error('x'))).catch(() => {});
          await tu_choi(() => m.thuc_hien(() => 1), Error, /mạch "gọi API"/);
          const text = await sdk.export_prometheus();
          assert.ok(text.includes('machcat_ten="mạch \\"gọi API\\"\\n\\\\ chính"'));
          await promtool_ok(text);
        },
      },
      { lop: 'MachCat.thuc_hien', dau_vao: 'undefined as the function', mong_doi: 'rejects (no sync throw) with a TypeError', chay: () => tu_choi(() => mc.thuc_hien(undefined as never), TypeError, /function/) },
      {
        lop: 'MachCat.thuc_hien',
        dau_vao: 'a function that throws a string synchronously',
        mong_doi: 'rejects with that very string; counted as one failure',
        chay: async () => {
          const truoc = mc.lay_thong_ke().that_bai;
          await assert.rejects(
            mc.thuc_hien(() => {
              throw 'chuỗi lỗi';
            }),
            (e: unknown) => e === 'chuỗi lỗi',
          );
          assert.equal(mc.lay_thong_ke().that_bai, truoc + 1);
        },
      },
      {
        lop: 'MachCat.thuc_hien',
        dau_vao: 'a function that rejects with undefined',
        mong_doi: 'rejects with undefined; counted as one failure',
        chay: async () => {
          const truoc = mc.lay_thong_ke().that_bai;
          let bat: unknown = 'chua';
          await mc.thuc_hien(() => Promise.reject(undefined)).catch((e: unknown) => (bat = e));
          assert.equal(bat, undefined);
          assert.equal(mc.lay_thong_ke().that_bai, truoc + 1);
        },
      },
      {
        lop: 'MachCat ham_fallback',
        dau_vao: 'a fallback that throws a non-Error (an object) on an open circuit',
        mong_doi: 'the call rejects with that object; fallback_loi counted',
        chay: async () => {
          const nem_ra = { ma: 'FB' };
          const m = await mo_voi(() => {
            throw nem_ra;
          });
          await assert.rejects(m.thuc_hien(() => 1), (e: unknown) => e === nem_ra);
          const tk = m.lay_thong_ke();
          assert.deepEqual([tk.fallback, tk.fallback_loi, tk.bi_chan], [1, 1, 1]);
          m.reset();
          assert.equal(await m.thuc_hien(() => 7), 7, 'that breaker works after reset');
        },
      },
      {
        lop: 'MachCat ham_fallback',
        dau_vao: 'a fallback that rejects with a Symbol',
        mong_doi: 'the call rejects with that Symbol; fallback_loi counted',
        chay: async () => {
          const s = Symbol('fb');
          const m = await mo_voi(() => Promise.reject(s));
          await assert.rejects(m.thuc_hien(() => 1), (e: unknown) => e === s);
          await cho(0);
          assert.equal(m.lay_thong_ke().fallback_loi, 1);
        },
      },
      {
        lop: 'MachCat ham_fallback',
        dau_vao: 'a fallback returning a thenable whose then getter throws',
        mong_doi: 'the call rejects with the getter error; fallback_loi counted',
        chay: async () => {
          const x = {};
          Object.defineProperty(x, 'then', {
            get() {
              throw new Error('then getter');
            },
          });
          const m = await mo_voi(() => x);
          await tu_choi(() => m.thuc_hien(() => 1), Error, /then getter/);
          await cho(0);
          assert.equal(m.lay_thong_ke().fallback_loi, 1);
        },
      },
      {
        lop: 'MachCat.thuc_hien',
        dau_vao: 'a function returning a thenable whose then getter throws, and one returning a Proxy that throws on every trap',
        mong_doi: 'rejects (no sync throw) with that error; counted as failures; nothing left in flight',
        chay: async () => {
          const m = new MachCat({ ten: 'bad-input-then', so_loi_toi_da: 10 });
          const x = {};
          Object.defineProperty(x, 'then', {
            get() {
              throw new Error('then getter');
            },
          });
          await tu_choi(() => m.thuc_hien(() => x), Error, /then getter/);
          await tu_choi(() => m.thuc_hien(() => proxy_nem()), Error, /proxy trap/);
          await cho(0);
          const tk = m.lay_thong_ke();
          assert.deepEqual([tk.that_bai, tk.dang_chay], [2, 0]);
          assert.equal(await m.thuc_hien(() => 'ok'), 'ok', 'that breaker still works');
        },
      },
      {
        lop: 'MachCat.thuc_hien (half-open trial)',
        dau_vao: 'the trial call returns a thenable whose then getter throws',
        mong_doi: 'rejects (no sync throw); the trial counts as failed and the circuit opens again',
        chay: async () => {
          let t = 0;
          const m = new MachCat({ ten: 'bad-input-trial', so_loi_toi_da: 1, timeout_phuc_hoi: 1, dong_ho: () => t });
          await m.thuc_hien(() => Promise.reject(new Error('down'))).catch(() => {});
          t = 2000;
          assert.equal(m.trang_thai, 'nua_mo');
          const x = {};
          Object.defineProperty(x, 'then', {
            get() {
              throw new Error('then getter');
            },
          });
          await tu_choi(() => m.thuc_hien(() => x), Error, /then getter/);
          await cho(0);
          assert.equal(m.trang_thai, 'mo');
          assert.equal(m.lay_thong_ke().dang_chay, 0);
        },
      },
    ];
    bang(
      dong,
      async () => {
        assert.equal(await mc.thuc_hien((a: number, b: number) => a + b, 2, 3), 5);
        const tk = mc.lay_thong_ke();
        assert.equal(tk.trang_thai, 'dong');
        assert.equal(tk.tong_request, tk.thanh_cong + tk.that_bai + tk.bi_chan + tk.dang_chay, 'counts add up');
      },
      tu_choi_moi,
    );
  });

  // ---------------------------------------------------------------- LoggerCauTruc
  describe('LoggerCauTruc', () => {
    let thu: BoThuLog;
    let lg: LoggerCauTruc;
    /** Log calls made so far: the output must have exactly this many lines. */
    let so_goi = 0;
    before(() => {
      thu = bo_thu_log();
      lg = new LoggerCauTruc({ ten: 'bad-input', output: thu.w, cap_do: 'DEBUG' });
    });
    after(() => lg.dong());

    /** Makes one log call (counted) and returns its parsed line. */
    const mot = async (goi: () => void): Promise<Record<string, unknown>> => {
      goi();
      so_goi++;
      assert.ok(await lg.flush());
      const ds = thu.dong();
      assert.equal(ds.length, so_goi, 'one line per call');
      return ds[ds.length - 1]!;
    };
    const tao = (o: unknown) => () => new LoggerCauTruc(o as never);

    const dong: DongBang[] = [
      { lop: 'new LoggerCauTruc', dau_vao: 'cap_do: "VERBOSE"', mong_doi: 'RangeError naming cap_do', chay: () => nem(tao({ cap_do: 'VERBOSE' }), RangeError, /cap_do/) },
      { lop: 'new LoggerCauTruc', dau_vao: 'do_dai_chuoi_toi_da: NaN', mong_doi: 'RangeError naming do_dai_chuoi_toi_da', chay: () => nem(tao({ do_dai_chuoi_toi_da: NaN }), RangeError, /do_dai_chuoi_toi_da/) },
      { lop: 'new LoggerCauTruc', dau_vao: 'gioi_han_bo_dem: -1', mong_doi: 'RangeError naming gioi_han_bo_dem', chay: () => nem(tao({ gioi_han_bo_dem: -1 }), RangeError, /gioi_han_bo_dem/) },
      { lop: 'new LoggerCauTruc', dau_vao: 'do_sau_toi_da: 1.5', mong_doi: 'RangeError naming do_sau_toi_da', chay: () => nem(tao({ do_sau_toi_da: 1.5 }), RangeError, /do_sau_toi_da/) },
      { lop: 'new LoggerCauTruc', dau_vao: 'unknown option key { level: "INFO" }', mong_doi: 'TypeError naming the key', chay: () => nem(tao({ level: 'INFO' }), TypeError, /level/) },
      { lop: 'new LoggerCauTruc', dau_vao: 'a number instead of a name or options', mong_doi: 'TypeError', chay: () => nem(tao(42), TypeError, /name or an options object/) },
      { lop: 'new LoggerCauTruc', dau_vao: 'output: 42', mong_doi: 'TypeError naming output', chay: () => nem(tao({ output: 42 }), TypeError, /output/) },
      { lop: 'new LoggerCauTruc', dau_vao: 'che_khoa: "password" (a string, not a list)', mong_doi: 'TypeError naming che_khoa', chay: () => nem(tao({ che_khoa: 'password' }), TypeError, /che_khoa/) },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'a 1 MB message',
        mong_doi: 'one valid line, the message cut with a marker, the line bounded',
        chay: async () => {
          const l = await mot(() => lg.info(chuoi_mb('á')));
          assert.match(l.message as string, /…\[truncated \d+ chars\]$/);
          assert.ok(thu.dong_tho().at(-1)!.length < 70_000, 'line bounded');
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'a 1 MB string value and a 100k-key object',
        mong_doi: 'one valid line, cut with markers, bounded',
        chay: async () => {
          const rong: Record<string, number> = {};
          for (let i = 0; i < 100_000; i++) rong[`k${i}`] = i;
          const l = await mot(() => lg.info('lon', { s: chuoi_mb(), rong }));
          assert.match((l.data as { s: string }).s, /truncated/);
          assert.ok(thu.dong_tho().at(-1)!.length < 200_000, `line bounded: ${thu.dong_tho().at(-1)!.length}`);
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'circular data (self, mutual, an array holding itself)',
        mong_doi: 'one valid line with "[Circular]"',
        chay: async () => {
          const a: Record<string, unknown> = { ten: 'a' };
          const b: Record<string, unknown> = { a };
          a.b = b;
          a.self = a;
          const arr: unknown[] = [1];
          arr.push(arr);
          const l = await mot(() => lg.info('vong', { a, arr }));
          assert.match(JSON.stringify(l.data), /\[Circular\]/);
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'BigInt values, Symbol keys and Symbol values',
        mong_doi: 'one valid line: BigInt as a string, Symbol values as text, Symbol keys skipped',
        chay: async () => {
          const l = await mot(() => lg.info('sym', { [Symbol('khoa')]: 1, big: 2n ** 70n, s: Symbol('gia tri'), nested: { b: -1n } }));
          assert.deepEqual(l.data, { big: (2n ** 70n).toString(), s: 'Symbol(gia tri)', nested: { b: '-1' } });
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'functions (named, arrow, class) as values',
        mong_doi: 'one valid line naming them',
        chay: async () => {
          class Lop {}
          const l = await mot(() => lg.info('fn', { f: function ten_ham() {}, g: () => 1, Lop }));
          assert.match(JSON.stringify(l.data), /\[Function: ten_ham\]/);
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'getters that throw (an Error, a string) at the top and nested',
        mong_doi: 'one valid line with "[Throws: ...]"',
        chay: async () => {
          const o = {
            get a(): never {
              throw new Error('getter A');
            },
            n: {
              get b(): never {
                throw 'getter B';
              },
            },
          };
          const l = await mot(() => lg.info('getter', o));
          assert.match(JSON.stringify(l.data), /Throws: Error: getter A/);
          assert.match(JSON.stringify(l.data), /Throws: getter B/);
        },
      },
      {
        lop: 'LoggerCauTruc.info/error',
        dau_vao: 'a Proxy that throws on every trap: as data, nested, as the message, as exc_info',
        mong_doi: 'four valid lines',
        chay: async () => {
          const p = proxy_nem();
          await mot(() => lg.info('proxy', p as never));
          await mot(() => lg.info('proxy long', { p, ds: [p] }));
          await mot(() => lg.info(p as never));
          const l = await mot(() => lg.error('proxy exc', undefined, p));
          assert.equal(l.level, 'ERROR');
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'a revoked Proxy as data and nested',
        mong_doi: 'valid lines',
        chay: async () => {
          const { proxy, revoke } = Proxy.revocable({}, {});
          revoke();
          await mot(() => lg.info('revoked', proxy as never));
          await mot(() => lg.info('revoked long', { proxy }));
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'Map (object keys, a Map holding itself) and Set',
        mong_doi: 'one valid line: Map as an object, Set as an array',
        chay: async () => {
          const m = new Map<unknown, unknown>([[{ k: 1 }, 'obj key'], ['password', 'hunter2']]);
          m.set('self', m);
          const l = await mot(() => lg.info('map', { m, s: new Set([1, 'hai', { ba: 3 }]) }));
          const d = l.data as { m: Record<string, unknown>; s: unknown[] };
          assert.equal(d.m.password, '[REDACTED]', 'map keys are redacted too');
          assert.equal(d.m.self, '[Circular]');
          assert.deepEqual(d.s, [1, 'hai', { ba: 3 }]);
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'typed arrays, ArrayBuffer, DataView, Buffer',
        mong_doi: 'one valid line describing their sizes (no byte dump)',
        chay: async () => {
          const l = await mot(() => lg.info('bytes', { f: new Float32Array(1e6), ab: new ArrayBuffer(16), dv: new DataView(new ArrayBuffer(8)), b: Buffer.from('xin chào') }));
          assert.deepEqual(l.data, { f: '[Float32Array 4000000 bytes]', ab: '[ArrayBuffer 16 bytes]', dv: '[DataView 8 bytes]', b: '[Buffer 9 bytes]' });
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'an invalid Date and a valid one',
        mong_doi: 'one valid line: null and the ISO string',
        chay: async () => {
          const l = await mot(() => lg.info('date', { sai: new Date(NaN), dung: new Date(0) }));
          assert.deepEqual(l.data, { sai: null, dung: '1970-01-01T00:00:00.000Z' });
        },
      },
      {
        lop: 'LoggerCauTruc.error',
        dau_vao: 'an Error whose cause chain is a cycle, and an AggregateError holding itself',
        mong_doi: 'valid lines with exception.cause and "[Circular]"',
        chay: async () => {
          const e1 = new Error('e1');
          const e2 = new Error('e2', { cause: e1 });
          Object.assign(e1, { cause: e2 });
          const l = await mot(() => lg.error('cause', { e1 }, e1));
          const exc = l.exception as { message: string; cause: { message: string; cause: unknown } };
          assert.equal(exc.message, 'e1');
          assert.equal(exc.cause.message, 'e2');
          assert.equal(exc.cause.cause, '[Circular]');
          const ag = new AggregateError([], 'nhiều lỗi');
          (ag.errors as unknown[]).push(ag);
          await mot(() => lg.critical('aggregate', undefined, ag));
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'toJSON that throws, and toJSON returning the object itself',
        mong_doi: 'valid lines ("[Unserializable: ...]" / "[Circular]")',
        chay: async () => {
          const l = await mot(() =>
            lg.info('tojson', {
              a: {
                toJSON() {
                  throw new Error('toJSON hỏng');
                },
              },
            }),
          );
          assert.match(JSON.stringify(l.data), /Unserializable: Error: toJSON hỏng/);
          const self = {
            toJSON(): unknown {
              return self;
            },
          };
          await mot(() => lg.info('tojson self', { self }));
          await mot(() => lg.info('tojson top', self as never));
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'non-finite numbers (NaN, Infinity, -Infinity) in data',
        mong_doi: 'one valid line, written as strings',
        chay: async () => {
          const l = await mot(() => lg.info('so', { a: NaN, b: Infinity, c: -Infinity, d: [NaN], e: { f: -Infinity } }));
          assert.deepEqual(l.data, { a: 'NaN', b: 'Infinity', c: '-Infinity', d: ['NaN'], e: { f: '-Infinity' } });
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'a non-string message (undefined, a number, an object, a Symbol)',
        mong_doi: 'valid lines with a string message',
        chay: async () => {
          for (const m of [undefined, 42, { a: 1 }, Symbol('m')]) {
            const l = await mot(() => lg.info(m as never));
            assert.equal(typeof l.message, 'string');
          }
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'data that is not an object (a string, a number, an array, null, a Symbol)',
        mong_doi: 'valid lines',
        chay: async () => {
          for (const d of ['chuỗi', 7, [1, 2], null, Symbol('d')]) await mot(() => lg.info('data la', d as never));
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'a null-prototype object and 10,000-deep nesting',
        mong_doi: 'valid lines, depth cut with "[Object]"',
        chay: async () => {
          const np = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, api_key: 'k' });
          const l = await mot(() => lg.info('null proto', np));
          assert.deepEqual(l.data, { a: 1, api_key: '[REDACTED]' });
          let sau: Record<string, unknown> = {};
          const goc = sau;
          for (let i = 0; i < 10_000; i++) sau = sau.x = {};
          const l2 = await mot(() => lg.info('deep', goc));
          assert.match(JSON.stringify(l2.data), /\[Object\]/);
        },
      },
      { lop: 'LoggerCauTruc.do_thoi_gian', dau_vao: 'a number as the operation', mong_doi: 'TypeError naming operation', chay: () => nem(() => lg.do_thoi_gian(42 as never), TypeError, /operation/) },
      { lop: 'LoggerCauTruc.do_thoi_gian', dau_vao: 'a string as the function', mong_doi: 'TypeError naming fn', chay: () => nem(() => lg.do_thoi_gian('op', 'fn' as never), TypeError, /fn/) },
      { lop: 'LoggerCauTruc.them_context', dau_vao: 'a reserved key { message }', mong_doi: 'TypeError naming the key', chay: () => nem(() => lg.them_context({ message: 'gia' }), TypeError, /message/) },
      { lop: 'LoggerCauTruc.them_context', dau_vao: 'null', mong_doi: 'TypeError', chay: () => nem(() => lg.them_context(null as never), TypeError, /context/) },
      {
        lop: 'LoggerCauTruc.dat_cap_do',
        dau_vao: '"ồn ào" (not a level)',
        mong_doi: 'RangeError naming cap_do; the level is unchanged',
        chay: () => {
          nem(() => lg.dat_cap_do('ồn ào' as never), RangeError, /cap_do/);
          assert.equal(lg.cap_do, 'DEBUG');
        },
      },
      {
        lop: 'LoggerCauTruc.log_request',
        dau_vao: 'wrong types everywhere (NaN id, number method, undefined path, NaN status, Infinity ms)',
        mong_doi: 'one valid line',
        chay: async () => {
          const l = await mot(() => lg.log_request(NaN as never, 42 as never, undefined as never, NaN, Infinity));
          assert.equal((l.data as { time_ms: unknown }).time_ms, 'Infinity');
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'shared references: 1000 x 1000 references to one 32 KB string (D2)',
        mong_doi: 'one valid line within the per-record budget (256 K characters), the rest a budget marker, in milliseconds',
        chay: async () => {
          const s32 = 'x'.repeat(32 * 1024);
          const hang = Array(1000).fill(s32);
          const bang_ = Array(1000).fill(hang);
          // CPU time, not wall time: what the call costs, whatever else the machine runs.
          const c0 = process.cpuUsage();
          const l = await mot(() => lg.info('rộng', { bang_ }));
          const c = process.cpuUsage(c0);
          const ms = (c.user + c.system) / 1000;
          const tho = thu.dong_tho().at(-1)!;
          assert.ok(tho.length < 300_000, `line of ${tho.length} characters is within the budget`);
          assert.ok(tho.includes('[log record budget exceeded]'), 'the marker says the rest was cut');
          assert.ok(Array.isArray((l.data as { bang_: unknown }).bang_));
          assert.ok(ms < 250, `the log call cost ${ms.toFixed(1)} ms of CPU`);
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'shared references: 16-wide arrays nested 8 deep (16^8 paths to one leaf) (D2)',
        mong_doi: 'one valid line; at most 10,000 values visited, the rest a budget marker, in milliseconds',
        chay: async () => {
          let o: unknown = 1;
          for (let i = 0; i < 8; i++) o = Array(16).fill(o);
          const c0 = process.cpuUsage();
          await mot(() => lg.error('sâu', { o }, { o }));
          const c = process.cpuUsage(c0);
          const ms = (c.user + c.system) / 1000;
          const tho = thu.dong_tho().at(-1)!;
          assert.ok(tho.includes('[log record budget exceeded]'));
          const so_la = tho.split(/[[,]1(?=[\],])/).length - 1;
          assert.ok(so_la <= 10_000, `${so_la} leaves written`);
          assert.ok(ms < 250, `the log call cost ${ms.toFixed(1)} ms of CPU`);
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: '1000 distinct 100 KB keys (D3)',
        mong_doi: 'keys cut like values (marker); the redaction cache stays bounded in bytes (< 8 MB kept after GC)',
        chay: async () => {
          // Its own logger, without OTel records (the memory exporter of this suite keeps every record).
          const rieng = bo_thu_log();
          const con = new LoggerCauTruc({ ten: 'd3', output: rieng.w, otel: false });
          const truoc = heap_sau_gc();
          for (let i = 0; i < 1000; i++) {
            const k = `${i}_${'k'.repeat(100 * 1024)}`;
            con.info('khóa dài', { [k]: 1 });
            if (i % 100 === 99) {
              assert.ok(await con.flush());
              rieng.xoa();
            }
          }
          con.info('khóa dài', { [`x_${'k'.repeat(100 * 1024)}`]: 1 });
          assert.ok(await con.flush());
          const tho = rieng.dong_tho().at(-1)!;
          assert.ok(tho.length < 40_000, `a 100 KB key is cut (line of ${tho.length} characters)`);
          assert.match(tho, /…\[truncated \d+ chars\]":1/);
          rieng.xoa();
          const giu = heap_sau_gc() - truoc;
          assert.equal(con.thong_ke().tong, 1001);
          await con.dong();
          assert.ok(giu < 8 * MB, `kept ${(giu / MB).toFixed(1)} MB after GC`);
        },
      },
      {
        lop: 'LoggerCauTruc.info',
        dau_vao: 'U+2028, U+2029 and U+0085 in keys of data, nested objects, Map keys, context and Error properties (D10)',
        mong_doi: 'escaped like values: the line holds none of them raw, and the keys round-trip',
        chay: async () => {
          const k = 'a\u2028b\u2029c\u0085d';
          const e = Object.assign(new Error('lỗi'), { [k]: 'e' });
          const rieng = bo_thu_log();
          const con = new LoggerCauTruc({ ten: 'd10', output: rieng.w, context_mac_dinh: { [k]: 'ctx' } });
          con.error('ngắt dòng', { [k]: 1, long: { [k]: 2 }, ban_do: new Map([[k, 3]]), [`${k}_password`]: 'x' }, e);
          assert.ok(await con.flush());
          await con.dong();
          const tho = rieng.dong_tho().at(-1)!;
          assert.doesNotMatch(tho, /[\u2028\u2029\u0085]/, 'no raw line separator');
          const l = JSON.parse(tho) as Record<string, unknown> & { data: Record<string, unknown> };
          assert.equal(l[k], 'ctx');
          assert.equal(l.data[k], 1);
          assert.deepEqual(l.data.long, { [k]: 2 });
          assert.deepEqual(l.data.ban_do, { [k]: 3 });
          assert.equal(l.data[`${k}_password`], '[REDACTED]');
          assert.equal((l.exception as Record<string, unknown>)[k], 'e');
        },
      },
      {
        lop: 'LoggerCauTruc.flush / dong',
        dau_vao: 'an output that never drains, nothing else alive in the process (D9)',
        mong_doi: 'flush(300) settles false in about 300 ms, dong() settles within its bound, and the code after each await runs',
        timeout_ms: 20_000,
        chay: async () => {
          const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(THU_MUC_REPO, 'test/reliability/fixtures/hung-flush.ts')], { cwd: THU_MUC_REPO, timeout: 15_000 });
          const [f, d] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { flush?: boolean; dong?: boolean; ms: number });
          assert.equal(f?.flush, false, `flush settled: ${r.stdout}`);
          assert.ok(f.ms >= 250 && f.ms < 2000, `flush(300) took ${f.ms} ms`);
          assert.equal(d?.dong, true, `dong settled: ${r.stdout}`);
          assert.ok(d.ms < 7000, `dong took ${d.ms} ms`);
        },
      },
      {
        lop: 'LoggerCauTruc after dong()',
        dau_vao: 'three log calls after dong() (D11)',
        mong_doi: 'counted in thong_ke() (sau_khi_dong) AND in vietnamese_ai_logger_dropped_total{reason="closed"}',
        chay: async () => {
          const con = new LoggerCauTruc({ ten: 'd11', output: bo_thu_log().w });
          await con.dong();
          for (let i = 0; i < 3; i++) con.info('sau khi đóng');
          assert.equal(con.thong_ke().bi_bo.sau_khi_dong, 3);
          const text = await sdk.export_prometheus();
          const l = text.split('\n').find((x) => x.startsWith('vietnamese_ai_logger_dropped_total{') && x.includes('logger="d11"') && x.includes('reason="closed"'));
          assert.ok(l !== undefined && l.endsWith(' 3'), `the metric: ${l}`);
        },
      },
      {
        lop: 'LoggerCauTruc.log_prediction / log_model_event',
        dau_vao: 'a Symbol model name, non-finite numbers, an extra object that throws on spread',
        mong_doi: 'valid lines; the event is still logged',
        chay: async () => {
          await mot(() => lg.log_prediction(Symbol('m') as never, -Infinity, NaN, NaN));
          const l = await mot(() => lg.log_model_event('loaded', 'phobert', proxy_nem() as never));
          assert.equal(l.message, 'Model event: loaded');
        },
      },
    ];
    bang(
      dong,
      async () => {
        const l = await mot(() => lg.info('van on', { n: so_goi }));
        assert.deepEqual([l.message, l.level, l.logger], ['van on', 'INFO', 'bad-input']);
        assert.equal(lg.thong_ke().tong, so_goi, 'the logger counted every call');
        assert.equal(lg.thong_ke().tong_bi_bo, 0, 'nothing dropped, no OTel error');
      },
      tu_choi_moi,
    );
  });

  // ---------------------------------------------------------------- QuanLyMetrics
  describe('QuanLyMetrics', () => {
    let qm: QuanLyMetrics;
    let van_on = 0;
    before(() => {
      qm = new QuanLyMetrics('bad_input');
    });
    after(() => qm.dong());
    const tao = (o: unknown) => () => new QuanLyMetrics(o as never);

    const dong: DongBang[] = [
      {
        lop: 'QuanLyMetrics (D4)',
        dau_vao: 'names that collide in the exposition: a second instance of the namespace with the same counter; gauge dur_seconds + histogram dur_ms; latency_ms + latency_s; counter foo + foo_total; namespace "" + machcat_calls',
        mong_doi: 'a TypeError naming both owners at the call that makes the collision; the exposition then parses strictly (every family and series exactly once) and passes promtool',
        chay: async () => {
          const a = new QuanLyMetrics('d4');
          const b = new QuanLyMetrics('d4');
          const rong = new QuanLyMetrics('');
          try {
            a.counter('calls');
            nem(() => b.counter('calls'), TypeError, /QuanLyMetrics\("d4"\) #2\.counter\("calls"\).*d4_calls_total.*QuanLyMetrics\("d4"\)\.counter\("calls"\)/);
            a.gauge('dur_seconds', 1);
            nem(() => a.histogram('dur_ms', 5), TypeError, /d4_dur_seconds.*gauge\("dur_seconds"\)/);
            a.histogram('latency_ms', 5);
            nem(() => b.histogram('latency_s', 0.005), TypeError, /d4_latency_seconds.*histogram\("latency_ms"\)/);
            nem(() => a.timer('latency_s'), TypeError, /histogram\("latency_ms"\)/);
            a.counter('foo');
            nem(() => a.counter('foo_total'), TypeError, /d4_foo_total.*counter\("foo"\)/);
            nem(() => rong.counter('machcat_calls'), TypeError, /machcat_calls_total.*MachCat/);
            nem(() => rong.gauge('d4_calls', 1), TypeError, /d4_calls.*QuanLyMetrics\("d4"\)\.counter\("calls"\)/);
            b.counter('calls_khac');
            rong.counter('d4_rieng');
            const text = await sdk.export_prometheus();
            const ex = parseExposition(text);
            for (const f of ['d4_calls_total', 'd4_dur_seconds', 'd4_latency_seconds', 'd4_foo_total', 'd4_calls_khac_total', 'd4_rieng_total']) assert.ok(ex.families.has(f), f);
            assert.equal(ex.families.get('d4_calls_total')!.samples.length, 1, 'one series');
            await promtool_ok(text);
            a.dong();
            b.counter('calls');
            assert.equal(b.lay_counter('calls'), 1, 'dong() frees the names');
          } finally {
            a.dong();
            b.dong();
            rong.dong();
          }
        },
      },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'increment -1', mong_doi: 'RangeError naming the value and the metric', chay: () => nem(() => qm.counter('c', undefined, -1), RangeError, /counter\("c"\).*value/) },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'increment NaN', mong_doi: 'RangeError naming the value', chay: () => nem(() => qm.counter('c', undefined, NaN), RangeError, /value/) },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'increment Infinity', mong_doi: 'RangeError naming the value', chay: () => nem(() => qm.counter('c', undefined, Infinity), RangeError, /value/) },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'increment -Infinity', mong_doi: 'RangeError naming the value', chay: () => nem(() => qm.counter('c', undefined, -Infinity), RangeError, /value/) },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'increment "5" (a string)', mong_doi: 'TypeError naming the value', chay: () => nem(() => qm.counter('c', undefined, '5' as never), TypeError, /value/) },
      { lop: 'QuanLyMetrics.gauge', dau_vao: 'NaN', mong_doi: 'RangeError naming the value', chay: () => nem(() => qm.gauge('g', NaN), RangeError, /gauge\("g"\).*value/) },
      { lop: 'QuanLyMetrics.gauge', dau_vao: '-Infinity', mong_doi: 'RangeError naming the value', chay: () => nem(() => qm.gauge('g', -Infinity), RangeError, /value/) },
      { lop: 'QuanLyMetrics.histogram', dau_vao: 'Infinity', mong_doi: 'RangeError naming the value', chay: () => nem(() => qm.histogram('h', Infinity), RangeError, /histogram\("h"\).*value/) },
      { lop: 'QuanLyMetrics.histogram', dau_vao: 'NaN', mong_doi: 'RangeError naming the value', chay: () => nem(() => qm.histogram('h', NaN), RangeError, /value/) },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'a name with spaces "so request"', mong_doi: 'TypeError naming the metric name', chay: () => nem(() => qm.counter('so request'), TypeError, /metric name "so request"/) },
      { lop: 'QuanLyMetrics.gauge', dau_vao: 'a name with diacritics "độ_trễ"', mong_doi: 'TypeError naming the metric name', chay: () => nem(() => qm.gauge('độ_trễ', 1), TypeError, /metric name "độ_trễ"/) },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'a number as the name', mong_doi: 'TypeError naming the metric name', chay: () => nem(() => qm.counter(42 as never), TypeError, /metric name/) },
      { lop: 'QuanLyMetrics.histogram', dau_vao: 'an empty name', mong_doi: 'TypeError naming the metric name', chay: () => nem(() => qm.histogram('', 1), TypeError, /metric name/) },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'a label name with a space and diacritics "mã lỗi"', mong_doi: 'TypeError naming the label', chay: () => nem(() => qm.counter('c', { 'mã lỗi': '1' }), TypeError, /label name "mã lỗi"/) },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'a label name starting with __', mong_doi: 'TypeError naming the label', chay: () => nem(() => qm.counter('c', { __ten: '1' }), TypeError, /label name "__ten"/) },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'label values null, an object, undefined', mong_doi: 'TypeError naming the label each', chay: () => {
        nem(() => qm.counter('c', { a: null as never }), TypeError, /label "a"/);
        nem(() => qm.counter('c', { b: {} as never }), TypeError, /label "b"/);
        nem(() => qm.counter('c', { d: undefined as never }), TypeError, /label "d"/);
      } },
      { lop: 'QuanLyMetrics.counter', dau_vao: 'labels given as a string', mong_doi: 'TypeError naming labels', chay: () => nem(() => qm.counter('c', 'route=/a' as never), TypeError, /labels/) },
      {
        lop: 'QuanLyMetrics.counter/gauge/histogram',
        dau_vao: 'label values with quotes, backslashes, newlines, CR, tab, LS/PS, diacritics, an emoji, empty, fake exposition',
        mong_doi: 'stored verbatim; the exposition escapes them and promtool accepts it',
        chay: async () => {
          for (const v of NHAN_KHO) {
            qm.counter('kho', { v });
            qm.gauge('kho_g', 2, { v });
            qm.histogram('kho_h', 3, { v });
          }
          for (const v of NHAN_KHO) assert.equal(qm.lay_counter('kho', { v }), 1, JSON.stringify(v));
          const text = await qm.export_prometheus();
          assert.ok(text.includes('bad_input_kho_total{v="say \\"xin chào\\""} 1\n'));
          assert.ok(text.includes('bad_input_kho_total{v="C:\\\\models\\\\phobert\\\\"} 1\n'));
          assert.ok(text.includes('bad_input_kho_total{v="dòng 1\\ndòng 2"} 1\n'));
          assert.ok(!/^# HELP x/m.test(text), 'a label value cannot forge a line');
          await promtool_ok(text);
        },
      },
      {
        lop: 'QuanLyMetrics.counter',
        dau_vao: 'a 1 MB label value (with quotes, backslashes and newlines)',
        mong_doi: 'stored; the exposition is valid and promtool accepts it',
        chay: async () => {
          const v = chuoi_mb('a"\\\n');
          qm.counter('lon', { v });
          assert.equal(qm.lay_counter('lon', { v }), 1);
          const text = await qm.export_prometheus();
          assert.ok(text.length > MB);
          await promtool_ok(text);
        },
      },
      { lop: 'new QuanLyMetrics', dau_vao: 'namespace "Bad NS" (space, upper case)', mong_doi: 'TypeError naming the namespace', chay: () => nem(tao('Bad NS'), TypeError, /namespace "Bad NS"/) },
      { lop: 'new QuanLyMetrics', dau_vao: 'a number', mong_doi: 'TypeError', chay: () => nem(tao(42), TypeError, /namespace string/) },
      { lop: 'new QuanLyMetrics', dau_vao: 'unknown option key { ten, khong_ton_tai }', mong_doi: 'TypeError naming the key', chay: () => nem(tao({ ten: 'ok', khong_ton_tai: 1 }), TypeError, /khong_ton_tai/) },
      { lop: 'QuanLyMetrics.histogram', dau_vao: 'bien_bucket [5, 1] (not increasing)', mong_doi: 'RangeError naming bien_bucket', chay: () => nem(() => qm.histogram('b1', 1, undefined, { bien_bucket: [5, 1] }), RangeError, /bien_bucket/) },
      { lop: 'QuanLyMetrics.histogram', dau_vao: 'bien_bucket [NaN]', mong_doi: 'RangeError naming bien_bucket', chay: () => nem(() => qm.histogram('b2', 1, undefined, { bien_bucket: [NaN] }), RangeError, /bien_bucket/) },
      { lop: 'QuanLyMetrics.gauge', dau_vao: 'don_vi "mét/giây" (not ASCII UCUM)', mong_doi: 'TypeError naming don_vi', chay: () => nem(() => qm.gauge('toc', 1, undefined, { don_vi: 'mét/giây' }), TypeError, /don_vi/) },
      { lop: 'QuanLyMetrics.timer', dau_vao: 'a bad name "thời gian"', mong_doi: 'TypeError at timer(), not at ket_thuc()', chay: () => nem(() => qm.timer('thời gian'), TypeError, /metric name/) },
      {
        lop: 'QuanLyMetrics.gauge',
        dau_vao: 'a name already used by a counter',
        mong_doi: 'TypeError saying it is a counter',
        chay: () => {
          qm.counter('trung');
          nem(() => qm.gauge('trung', 1), TypeError, /"trung" is already a counter/);
        },
      },
    ];
    bang(
      dong,
      async () => {
        qm.counter('van_on_calls');
        van_on++;
        assert.equal(qm.lay_counter('van_on_calls'), van_on);
        const text = await qm.export_prometheus();
        assert.ok(text.includes(`bad_input_van_on_calls_total ${van_on}\n`));
        await promtool_ok(text);
      },
      tu_choi_moi,
    );
  });

  // ---------------------------------------------------------------- LamNongModel
  describe('LamNongModel', () => {
    let lw: LamNongModel;
    before(() => {
      lw = new LamNongModel({ so_lan_warmup: 2 });
    });
    const tao = (o: unknown) => () => new LamNongModel(o as never);
    /** Registers a model whose predictor is `f`, warms it, removes it; returns the result. */
    const lam_nong_voi = async (ten: string, f: (x: unknown) => unknown) => {
      lw.dang_ky_model(ten, { ten }, { du_lieu_mau: 'xin chào', ham_du_doan: f });
      const kq = await lw.lam_nong(ten);
      assert.equal(lw.trang_thai_model(ten)?.da_warmup, kq.trang_thai === 'ok');
      if (kq.trang_thai !== 'ok') await assert.rejects(lw.lay_model(ten), LoiLamNong);
      assert.ok(lw.xoa_model(ten));
      return kq;
    };

    const dong: DongBang[] = [
      { lop: 'new LamNongModel', dau_vao: 'thoi_gian_refresh: 0 (zero period)', mong_doi: 'RangeError naming thoi_gian_refresh', chay: () => nem(tao({ thoi_gian_refresh: 0 }), RangeError, /thoi_gian_refresh/) },
      { lop: 'new LamNongModel', dau_vao: 'thoi_gian_refresh: NaN', mong_doi: 'RangeError naming thoi_gian_refresh', chay: () => nem(tao({ thoi_gian_refresh: NaN }), RangeError, /thoi_gian_refresh/) },
      { lop: 'new LamNongModel', dau_vao: 'thoi_gian_refresh: -Infinity', mong_doi: 'RangeError naming thoi_gian_refresh', chay: () => nem(tao({ thoi_gian_refresh: -Infinity }), RangeError, /thoi_gian_refresh/) },
      { lop: 'new LamNongModel', dau_vao: 'so_lan_warmup: 1.5', mong_doi: 'RangeError naming so_lan_warmup', chay: () => nem(tao({ so_lan_warmup: 1.5 }), RangeError, /so_lan_warmup/) },
      { lop: 'new LamNongModel', dau_vao: 'so_lan_warmup: 0', mong_doi: 'RangeError naming so_lan_warmup', chay: () => nem(tao({ so_lan_warmup: 0 }), RangeError, /so_lan_warmup/) },
      { lop: 'new LamNongModel', dau_vao: 'tu_dong_lam_nong: "yes"', mong_doi: 'TypeError naming tu_dong_lam_nong', chay: () => nem(tao({ tu_dong_lam_nong: 'yes' }), TypeError, /tu_dong_lam_nong/) },
      { lop: 'new LamNongModel', dau_vao: 'unknown option key so_lan_warm_up', mong_doi: 'TypeError naming the key', chay: () => nem(tao({ so_lan_warm_up: 3 }), TypeError, /so_lan_warm_up/) },
      { lop: 'LamNongModel.dang_ky_model', dau_vao: 'a number as the name', mong_doi: 'TypeError naming the model name', chay: () => nem(() => lw.dang_ky_model(42 as never, () => 1), TypeError, /model name/) },
      { lop: 'LamNongModel.dang_ky_model', dau_vao: 'undefined as the model', mong_doi: 'TypeError naming the model', chay: () => nem(() => lw.dang_ky_model('m', undefined), TypeError, /model "m"/) },
      { lop: 'LamNongModel.dang_ky_model', dau_vao: 'sample data but nothing to predict with', mong_doi: 'TypeError naming the model', chay: () => nem(() => lw.dang_ky_model('m', {}, { du_lieu_mau: 1 }), TypeError, /model "m" has no du_doan/) },
      { lop: 'LamNongModel.dang_ky_model', dau_vao: 'ham_du_doan: "predict" (a string)', mong_doi: 'TypeError naming ham_du_doan', chay: () => nem(() => lw.dang_ky_model('m', {}, { ham_du_doan: 'predict' as never }), TypeError, /ham_du_doan/) },
      { lop: 'LamNongModel.dang_ky_model', dau_vao: 'unknown option key du_lieu', mong_doi: 'TypeError naming the key', chay: () => nem(() => lw.dang_ky_model('m', () => 1, { du_lieu: 1 } as never), TypeError, /du_lieu/) },
      {
        lop: 'LamNongModel warm-up',
        dau_vao: 'a predictor that throws a string',
        mong_doi: 'result trang_thai "loi" with the string; not warmed; lay_model rejects LoiLamNong',
        chay: async () => {
          const kq = await lam_nong_voi('nem_chuoi', () => {
            throw 'mô hình hỏng';
          });
          assert.deepEqual([kq.trang_thai, kq.loi, kq.so_lan], ['loi', 'mô hình hỏng', 0]);
        },
      },
      {
        lop: 'LamNongModel warm-up',
        dau_vao: 'a predictor that throws undefined',
        mong_doi: 'trang_thai "loi" with a readable loi',
        chay: async () => {
          const kq = await lam_nong_voi('nem_undefined', () => {
            throw undefined;
          });
          assert.deepEqual([kq.trang_thai, kq.loi], ['loi', 'undefined']);
        },
      },
      {
        lop: 'LamNongModel warm-up',
        dau_vao: 'a predictor that throws a null-prototype object',
        mong_doi: 'trang_thai "loi" with a readable loi',
        chay: async () => {
          const kq = await lam_nong_voi('nem_null_proto', () => {
            throw Object.create(null) as object;
          });
          assert.equal(kq.trang_thai, 'loi');
          assert.equal(typeof kq.loi, 'string');
        },
      },
      {
        lop: 'LamNongModel warm-up',
        dau_vao: 'a predictor that rejects with a Symbol on its second run',
        mong_doi: 'trang_thai "loi", so_lan 1, loi names the Symbol',
        chay: async () => {
          let n = 0;
          const kq = await lam_nong_voi('symbol', () => (++n >= 2 ? Promise.reject(Symbol('lần 2')) : Promise.resolve(1)));
          assert.deepEqual([kq.trang_thai, kq.so_lan, kq.loi], ['loi', 1, 'Symbol(lần 2)']);
        },
      },
      {
        lop: 'LamNongModel warm-up',
        dau_vao: 'a predictor that throws a Proxy throwing on every trap',
        mong_doi: 'trang_thai "loi", no crash (the span event and log still recorded)',
        chay: async () => {
          const kq = await lam_nong_voi('proxy', () => {
            throw proxy_nem();
          });
          assert.equal(kq.trang_thai, 'loi');
          assert.equal(typeof kq.loi, 'string');
        },
      },
      {
        lop: 'LamNongModel warm-up',
        dau_vao: 'a predictor returning a thenable whose then getter throws',
        mong_doi: 'trang_thai "loi" naming the getter error',
        chay: async () => {
          const x = {};
          Object.defineProperty(x, 'then', {
            get() {
              throw new Error('then getter');
            },
          });
          const kq = await lam_nong_voi('then_nem', () => x);
          assert.equal(kq.trang_thai, 'loi');
          assert.match(kq.loi ?? '', /then getter/);
        },
      },
      { lop: 'new LamNongModel', dau_vao: 'timeout_lan_chay: 0 / NaN / "30"', mong_doi: 'RangeError / TypeError naming timeout_lan_chay', chay: () => {
        nem(tao({ timeout_lan_chay: 0 }), RangeError, /timeout_lan_chay/);
        nem(tao({ timeout_lan_chay: NaN }), RangeError, /timeout_lan_chay/);
        nem(tao({ timeout_lan_chay: '30' }), TypeError, /timeout_lan_chay/);
        assert.equal(new LamNongModel().timeout_lan_chay, 30, 'default 30 s');
      } },
      {
        lop: 'LamNongModel warm-up',
        dau_vao: 'a predictor that never settles (D1), then a normal model, under lam_nong_tat_ca',
        mong_doi: 'the run fails at timeout_lan_chay ("loi" naming the limit), the next model still warms, lay_model rejects, the readiness check names the stuck model',
        chay: async () => {
          const l = new LamNongModel({ timeout_lan_chay: 0.2 });
          l.dang_ky_model('treo', { predict: () => new Promise(() => {}) }, { du_lieu_mau: 'x' });
          l.dang_ky_model('sau', { predict: (x: unknown) => x }, { du_lieu_mau: 'x' });
          const t0 = performance.now();
          const tat_ca = await l.lam_nong_tat_ca();
          const ms = performance.now() - t0;
          assert.ok(ms < 2000, `lam_nong_tat_ca settled in ${ms.toFixed(0)} ms`);
          assert.deepEqual([tat_ca.treo?.trang_thai, tat_ca.treo?.so_lan], ['loi', 0]);
          assert.match(tat_ca.treo?.loi ?? '', /run 1 .*not settled within 0\.2 s/);
          assert.equal(tat_ca.sau?.trang_thai, 'ok', 'the model after the stuck one still warms');
          await assert.rejects(l.lay_model('treo'), LoiLamNong);
          const h = new KiemTraSucKhoe({ ten: 'd1', timeout: 1, thoi_gian_cache: 0 });
          try {
            h.dang_ky_check('models', l.ham_kiem_tra_san_sang(), 'models warm', true);
            const kq = await h.kiem_tra();
            assert.equal(kq.trang_thai, 'unhealthy');
            assert.match(kq.chi_tiet.models?.loi ?? '', /treo.*not settled within 0\.2 s/);
          } finally {
            h.dong();
          }
        },
      },
      {
        lop: 'LamNongModel metrics',
        dau_vao: 'a model warmed twice, removed, re-registered in a new instance and warmed once, the first instance garbage-collected (D13)',
        mong_doi: 'lam_nong_so_lan_total stays monotonic: 2, 2, 3, 3',
        chay: async () => {
          const dem = async (): Promise<number> => {
            const text = await sdk.export_prometheus();
            const l = text.split('\n').find((x) => x.startsWith('lam_nong_so_lan_total{') && x.includes('model_name="d13_lam_nong"') && x.includes('trang_thai="ok"'));
            return l === undefined ? 0 : Number(l.slice(l.lastIndexOf(' ') + 1));
          };
          const ds: number[] = [];
          await (async () => {
            const a = new LamNongModel({ so_lan_warmup: 1 });
            a.dang_ky_model('d13_lam_nong', (x: unknown) => x, { du_lieu_mau: 1 });
            await a.lam_nong('d13_lam_nong');
            await a.lam_nong('d13_lam_nong');
            ds.push(await dem());
            a.xoa_model('d13_lam_nong');
            ds.push(await dem());
          })();
          const b = new LamNongModel({ so_lan_warmup: 1 });
          b.dang_ky_model('d13_lam_nong', (x: unknown) => x, { du_lieu_mau: 1 });
          await b.lam_nong('d13_lam_nong');
          ds.push(await dem());
          for (let i = 0; i < 3; i++) {
            heap_sau_gc();
            await cho(10);
          }
          ds.push(await dem());
          assert.deepEqual(ds, [2, 2, 3, 3]);
          b.xoa_model('d13_lam_nong');
        },
      },
      { lop: 'LamNongModel.lam_nong', dau_vao: 'an unknown name', mong_doi: 'rejects LoiKhongCoModel naming it', chay: () => tu_choi(() => lw.lam_nong('khong_co'), LoiKhongCoModel, /"khong_co"/) },
      { lop: 'LamNongModel.lay_model', dau_vao: 'a number as the name', mong_doi: 'rejects (no sync throw) with a TypeError', chay: () => tu_choi(() => lw.lay_model(42 as never), TypeError, /model name/) },
      {
        lop: 'LamNongModel.dang_ky_model',
        dau_vao: 'a model name with diacritics, quotes and a newline',
        mong_doi: 'warmed; its metric label escaped; promtool accepts the exposition',
        chay: async () => {
          const ten = 'mô hình "PhoBERT"\nv2';
          const kq = await lam_nong_voi(ten, (x) => x);
          assert.equal(kq.trang_thai, 'ok');
          const text = await sdk.export_prometheus();
          assert.ok(text.includes('model_name="mô hình \\"PhoBERT\\"\\nv2"'));
          await promtool_ok(text);
        },
      },
    ];
    bang(
      dong,
      async () => {
        const model = { du_doan: (x: number) => x * 2 };
        lw.dang_ky_model('van_on', model, { du_lieu_mau: 1 });
        const kq = await lw.lam_nong('van_on');
        assert.deepEqual([kq.trang_thai, kq.so_lan], ['ok', 2]);
        assert.equal(await lw.lay_model('van_on'), model);
        assert.ok(lw.xoa_model('van_on'));
        assert.deepEqual(lw.danh_sach_models(), []);
      },
      tu_choi_moi,
    );
  });

  // ---------------------------------------------------------------- HTTP layer
  describe('HTTP layer (boc_xu_ly_http, probes, express, fastify)', () => {
    let hh: KiemTraSucKhoe;
    let thu: BoThuLog;
    let lg: LoggerCauTruc;
    let server: Server;
    let port = 0;
    let ex: Server;
    let exPort = 0;
    let fa: FastifyInstance;
    let faPort = 0;
    let so_app = 0;

    before(async () => {
      hh = new KiemTraSucKhoe({ ten: 'bad-input-http', thoi_gian_cache: 0 });
      hh.dang_ky_check('db', () => true, 'database', true);
      thu = bo_thu_log();
      lg = new LoggerCauTruc({ ten: 'http', output: thu.w });
      server = createServer(
        boc_xu_ly_http(
          (_req, res) => {
            so_app++;
            res.end('app');
          },
          { suc_khoe: hh, logger: lg },
        ),
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
      const app = express();
      gan_express(app, { suc_khoe: hh });
      app.use((_req, res) => {
        res.send('app');
      });
      ex = await new Promise<Server>((r) => {
        const s = app.listen(0, '127.0.0.1', () => r(s));
      });
      exPort = (ex.address() as AddressInfo).port;
      fa = Fastify();
      gan_fastify(fa, { suc_khoe: hh });
      await fa.listen({ port: 0, host: '127.0.0.1' });
      faPort = (fa.server.address() as AddressInfo).port;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      ex.closeAllConnections();
      await new Promise<void>((r) => ex.close(() => r()));
      await fa.close();
      await lg.dong();
      hh.dong();
    });

    const get = (duong: string, headers: Record<string, string> = {}, p = port) => goi_tho(p, `GET ${duong} HTTP/1.1`, headers);
    const json = (body: string): Record<string, unknown> => JSON.parse(body) as Record<string, unknown>;
    const fn = (): void => {};

    const dong: DongBang[] = [
      { lop: 'boc_xu_ly_http', dau_vao: 'undefined as the handler', mong_doi: 'TypeError naming xu_ly', chay: () => nem(() => boc_xu_ly_http(undefined as never), TypeError, /xu_ly/) },
      { lop: 'boc_xu_ly_http', dau_vao: 'a probe path without "/" (healthz: "healthz")', mong_doi: 'TypeError naming healthz', chay: () => nem(() => boc_xu_ly_http(fn, { suc_khoe: hh, duong_dan: { healthz: 'healthz' } }), TypeError, /healthz/) },
      { lop: 'boc_xu_ly_http', dau_vao: 'a probe path holding "?"', mong_doi: 'TypeError naming the probe', chay: () => nem(() => boc_xu_ly_http(fn, { suc_khoe: hh, duong_dan: { readyz: '/ready?x' } }), TypeError, /readyz/) },
      { lop: 'boc_xu_ly_http', dau_vao: 'a logger without log_request', mong_doi: 'TypeError naming logger', chay: () => nem(() => boc_xu_ly_http(fn, { logger: {} as never }), TypeError, /logger/) },
      { lop: 'tao_may_chu_tham_do', dau_vao: 'port: -1', mong_doi: 'rejects RangeError naming port', chay: () => tu_choi(() => tao_may_chu_tham_do({ port: -1, suc_khoe: hh }), RangeError, /port/) },
      { lop: 'tao_may_chu_tham_do', dau_vao: 'port: 1.5', mong_doi: 'rejects RangeError naming port', chay: () => tu_choi(() => tao_may_chu_tham_do({ port: 1.5, suc_khoe: hh }), RangeError, /port/) },
      {
        lop: 'GET /healthz',
        dau_vao: '?verbose=%E0%A4%A (malformed percent-encoding)',
        mong_doi: '200 JSON with detail (any verbose value but 0/false counts)',
        chay: async () => {
          const r = await get('/healthz?verbose=%E0%A4%A');
          assert.equal(r.status, 200);
          assert.ok('chi_tiet' in json(r.body));
        },
      },
      {
        lop: 'GET /healthz',
        dau_vao: 'a junk query ?%%%&&==&=&verbose=0&verbose=',
        mong_doi: '200 JSON without detail (the first verbose wins: 0)',
        chay: async () => {
          const r = await get('/healthz?%%%&&==&=&verbose=0&verbose=');
          assert.equal(r.status, 200);
          const o = json(r.body);
          assert.equal(o.trang_thai, 'healthy');
          assert.ok(!('chi_tiet' in o) && !('he_thong' in o));
        },
      },
      {
        lop: 'GET /healthz',
        dau_vao: '?verbose=<2,000 chars of encoded junk: NUL, CRLF, quotes, emoji>',
        mong_doi: '200 valid JSON',
        chay: async () => {
          const r = await get(`/healthz?verbose=${encodeURIComponent('\0\r\n"<>🚀'.repeat(200))}`);
          assert.equal(r.status, 200);
          json(r.body);
        },
      },
      {
        lop: 'HEAD /healthz and HEAD /metrics',
        dau_vao: 'HEAD requests',
        mong_doi: '200 with GET\'s headers (content-length) and no body',
        chay: async () => {
          const r = await goi_tho(port, 'HEAD /healthz HTTP/1.1');
          assert.equal(r.status, 200);
          assert.equal(r.body, '');
          assert.ok(Number(r.headers['content-length']) > 0);
          const m = await goi_tho(port, 'HEAD /metrics HTTP/1.1');
          assert.equal(m.status, 200);
          assert.equal(m.headers['content-type'], CONTENT_TYPE_PROMETHEUS);
          assert.equal(m.body, '');
        },
      },
      {
        lop: 'DELETE /readyz, PROPFIND /livez',
        dau_vao: 'methods other than GET/HEAD',
        mong_doi: '405 with Allow: GET, HEAD',
        chay: async () => {
          for (const dau of ['DELETE /readyz HTTP/1.1', 'PROPFIND /livez HTTP/1.1', 'POST /metrics HTTP/1.1']) {
            const r = await goi_tho(port, dau);
            assert.equal(r.status, 405, dau);
            assert.equal(r.headers.allow, 'GET, HEAD');
          }
        },
      },
      {
        lop: 'node:http server with probes',
        dau_vao: 'an unknown method "BREW /livez"',
        mong_doi: '400 from node\'s parser; the server stays up',
        chay: async () => {
          const r = await goi_tho(port, 'BREW /livez HTTP/1.1');
          assert.equal(r.status, 400);
        },
      },
      {
        lop: 'GET /livez',
        dau_vao: 'a long URL (8,000-character query)',
        mong_doi: '200 ok',
        chay: async () => {
          const r = await get(`/livez?x=${'a'.repeat(8000)}`);
          assert.deepEqual([r.status, r.body], [200, 'ok\n']);
        },
      },
      {
        lop: 'GET /healthz',
        dau_vao: 'a URL over node\'s header limit (100,000 characters)',
        mong_doi: '431 (or a reset) from node; the server stays up',
        chay: async () => {
          // node answers 431 and drops the connection; the reset may reach us before the answer.
          const st = await get(`/healthz?verbose=${'v'.repeat(100_000)}`).then(
            (r) => r.status,
            (e: NodeJS.ErrnoException) => e.code,
          );
          assert.ok(st === 431 || st === 'ECONNRESET', String(st));
        },
      },
      {
        lop: 'node:http server with probes',
        dau_vao: 'a request target with raw spaces, control bytes and non-ASCII',
        mong_doi: '400 from node\'s parser; the server stays up',
        chay: async () => {
          const r = await goi_tho(port, 'GET /healthz?verbose=\u0001 x HTTP/1.1');
          assert.equal(r.status, 400);
        },
      },
      {
        lop: 'GET /healthz',
        dau_vao: 'Accept: application/health+json',
        mong_doi: 'health+json: {status: "pass"}, no checks without verbose',
        chay: async () => {
          const r = await get('/healthz', { Accept: 'application/health+json' });
          assert.equal(r.status, 200);
          assert.equal(r.headers['content-type'], CONTENT_TYPE_HEALTH_JSON);
          assert.deepEqual(json(r.body), { status: 'pass' });
        },
      },
      {
        lop: 'GET /readyz and /livez',
        dau_vao: 'Accept: text/html;q=0.9, application/health+json;q=0.1 (low q)',
        mong_doi: 'health+json all the same (documented: any Accept naming it)',
        chay: async () => {
          for (const p of ['/readyz', '/livez']) {
            const r = await get(p, { Accept: 'text/html;q=0.9, application/health+json;q=0.1' });
            assert.equal(r.status, 200, p);
            assert.equal(r.headers['content-type'], CONTENT_TYPE_HEALTH_JSON, p);
            assert.equal(json(r.body).status, 'pass', p);
          }
        },
      },
      {
        lop: 'GET /healthz',
        dau_vao: '?format=health+json&verbose (+ decodes to a space)',
        mong_doi: 'health+json with checks',
        chay: async () => {
          const r = await get('/healthz?format=health+json&verbose');
          assert.equal(r.headers['content-type'], CONTENT_TYPE_HEALTH_JSON);
          const o = json(r.body) as { checks: Record<string, unknown> };
          assert.ok('db:responseTime' in o.checks);
        },
      },
      {
        lop: 'GET /metrics',
        dau_vao: '?verbose=1&format=junk&%%',
        mong_doi: '200 Prometheus text that promtool accepts',
        chay: async () => {
          const r = await get('/metrics?verbose=1&format=junk&%%');
          assert.equal(r.status, 200);
          assert.equal(r.headers['content-type'], CONTENT_TYPE_PROMETHEUS);
          await promtool_ok(r.body);
        },
      },
      {
        lop: 'boc_xu_ly_http',
        dau_vao: 'near-probe paths /healthz/, /HEALTHZ, /heal%zz, //healthz',
        mong_doi: 'not probes: the app answers each',
        chay: async () => {
          const truoc = so_app;
          for (const p of ['/healthz/', '/HEALTHZ', '/heal%zz', '//healthz']) {
            const r = await get(p);
            assert.deepEqual([r.status, r.body], [200, 'app'], p);
          }
          assert.equal(so_app, truoc + 4);
        },
      },
      {
        lop: 'gan_express',
        dau_vao: 'DELETE /healthz, HEAD /healthz, GET /healthz?%zz&verbose=%',
        mong_doi: '405 / 200 without body / 200 JSON with detail',
        chay: async () => {
          const d = await goi_tho(exPort, 'DELETE /healthz HTTP/1.1');
          assert.equal(d.status, 405);
          const h = await goi_tho(exPort, 'HEAD /healthz HTTP/1.1');
          assert.deepEqual([h.status, h.body], [200, '']);
          const g = await get('/healthz?%zz&verbose=%', {}, exPort);
          assert.equal(g.status, 200);
          assert.ok('chi_tiet' in json(g.body));
        },
      },
      {
        lop: 'gan_fastify',
        dau_vao: 'DELETE /healthz, HEAD /healthz, GET /healthz?%zz&verbose=%',
        mong_doi: '405 (as the other adapters) / 200 without body / 200 JSON with detail',
        chay: async () => {
          const h = await goi_tho(faPort, 'HEAD /healthz HTTP/1.1');
          assert.deepEqual([h.status, h.body], [200, '']);
          const g = await get('/healthz?%zz&verbose=%', {}, faPort);
          assert.equal(g.status, 200);
          assert.ok('chi_tiet' in json(g.body));
          const d = await goi_tho(faPort, 'DELETE /healthz HTTP/1.1');
          assert.equal(d.status, 405, 'GET and HEAD only: 405 otherwise, as with node:http and express');
        },
      },
    ];
    bang(
      dong,
      async () => {
        for (const p of [port, exPort, faPort]) {
          const r = await get('/livez', {}, p);
          assert.deepEqual([r.status, r.body], [200, 'ok\n'], `port ${p}`);
          const rd = await get('/readyz', {}, p);
          assert.equal(rd.status, 200);
        }
        const a = await get('/app?x=1');
        assert.deepEqual([a.status, a.body], [200, 'app']);
        assert.ok(await lg.flush());
        assert.equal(thu.dong().length, so_app, 'one request log line per app request, none for probes');
      },
      tu_choi_moi,
    );
  });

  // ---------------------------------------------------------------- cardinality bomb
  describe('cardinality bomb: 100k distinct label values', () => {
    const N = 100_000;
    const TRAN = 'otel_metric_overflow="true"';

    it('through QuanLyMetrics: heap bounded, exposition small with the overflow series, promtool accepts it', async () => {
      const gioi_han = sdk.gioi_han_series;
      const truoc = heap_sau_gc();
      const qm = new QuanLyMetrics('bom_ql');
      try {
        for (let i = 0; i < N; i++) {
          qm.counter('req', { user_id: `u${i}` });
          qm.histogram('lat', i % 97, { user_id: `u${i}` });
          qm.gauge('last', i, { user_id: `u${i}` });
        }
        const text = await sdk.export_prometheus();
        const tang = heap_sau_gc() - truoc;
        assert.ok(tang < 32 * MB, `heap grew ${(tang / MB).toFixed(1)} MB for ${N} distinct values x 3 metrics`);
        const rieng = text.split('\n').filter((l) => l.startsWith('bom_ql_'));
        const bytes = rieng.reduce((a, l) => a + l.length + 1, 0);
        assert.ok(bytes < 4 * MB, `exposition of the bomb: ${bytes} bytes`);
        assert.equal(rieng.filter((l) => l.startsWith('bom_ql_req_total{')).length, gioi_han, 'limit - 1 series + the overflow series');
        assert.ok(rieng.includes(`bom_ql_req_total{${TRAN}} ${N - (gioi_han - 1)}`), 'the overflow series carries the rest, exactly');
        assert.ok(rieng.some((l) => l.startsWith(`bom_ql_lat_count{${TRAN}}`)));
        assert.ok(rieng.some((l) => l.startsWith(`bom_ql_last{${TRAN}}`)));
        await promtool_ok(text);
        // Still usable: a known series keeps counting.
        qm.counter('req', { user_id: 'u0' });
        assert.equal(qm.lay_counter('req', { user_id: 'u0' }), 2);
      } finally {
        qm.dong();
      }
    });

    it('through a raw OTel counter and histogram on the SDK: heap bounded, exposition small with the overflow series, promtool accepts it', async () => {
      const gioi_han = sdk.gioi_han_series;
      const meter = metrics.getMeter('bom-raw');
      const c = meter.createCounter('bom_raw_requests');
      const hst = meter.createHistogram('bom_raw_latency', { unit: 's' });
      const truoc = heap_sau_gc();
      for (let i = 0; i < N; i++) {
        c.add(1, { user_id: `u${i}` });
        hst.record((i % 100) / 1000, { user_id: `u${i}` });
      }
      const text = await sdk.export_prometheus();
      const tang = heap_sau_gc() - truoc;
      assert.ok(tang < 32 * MB, `heap grew ${(tang / MB).toFixed(1)} MB`);
      const rieng = text.split('\n').filter((l) => l.startsWith('bom_raw_'));
      const bytes = rieng.reduce((a, l) => a + l.length + 1, 0);
      assert.ok(bytes < 4 * MB, `exposition of the bomb: ${bytes} bytes`);
      const dem = rieng.filter((l) => l.startsWith('bom_raw_requests_total{'));
      assert.equal(dem.length, gioi_han, 'limit - 1 series + the overflow series');
      const tran = dem.find((l) => l.includes(TRAN));
      assert.ok(tran !== undefined, 'overflow series present');
      let tong = 0;
      for (const l of dem) tong += Number(l.slice(l.lastIndexOf(' ') + 1));
      assert.equal(tong, N, 'nothing lost: the overflow series carries the rest');
      assert.ok(rieng.some((l) => l.startsWith('bom_raw_latency_seconds_count{') && l.includes(TRAN)));
      await promtool_ok(text);
    });
  });
});

/**
 * khoi_dong_sdk's options, with no SDK running (the facades' table above runs
 * under one). A row that starts an SDK by mistake shuts it down again.
 */
describe('reliability/bad input: khoi_dong_sdk options', function () {
  let tc: ReturnType<typeof theo_doi_tu_choi>;
  /** An SDK a bad row started by mistake (shut down after the row). */
  let lac: SdkDangChay | undefined;
  before(() => {
    tc = theo_doi_tu_choi();
  });
  afterEach(async () => {
    await lac?.tat();
    lac = undefined;
  });
  after(() => tc.dung());
  const bat = (o: unknown) => () => {
    lac = khoi_dong_sdk(o as never);
  };
  const co_ban = { traces_exporter: 'memory', metrics_exporter: 'none', http: false } as const;
  const dong: DongBang[] = [
    { lop: 'khoi_dong_sdk', dau_vao: 'gioi_han_series: 0', mong_doi: 'LoiCauHinh naming gioi_han_series', chay: () => nem(bat({ ...co_ban, gioi_han_series: 0 }), LoiCauHinh, /gioi_han_series/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'gioi_han_series: 2.5', mong_doi: 'LoiCauHinh naming gioi_han_series', chay: () => nem(bat({ ...co_ban, gioi_han_series: 2.5 }), LoiCauHinh, /gioi_han_series/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'chu_ky_metrics_ms: NaN', mong_doi: 'LoiCauHinh naming it (or its OTEL_ variable)', chay: () => nem(bat({ ...co_ban, chu_ky_metrics_ms: NaN }), LoiCauHinh, /chu_ky_metrics_ms|OTEL_METRIC_EXPORT_INTERVAL/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'bo_xu_ly.max_queue_size: -1', mong_doi: 'LoiCauHinh naming it (or its OTEL_ variable)', chay: () => nem(bat({ ...co_ban, bo_xu_ly: { max_queue_size: -1 } }), LoiCauHinh, /max_queue_size|MAX_QUEUE_SIZE/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'thoi_gian_tat_ms: Infinity', mong_doi: 'LoiCauHinh naming thoi_gian_tat_ms', chay: () => nem(bat({ ...co_ban, thoi_gian_tat_ms: Infinity }), LoiCauHinh, /thoi_gian_tat_ms/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'prometheus.port: 70000', mong_doi: 'LoiCauHinh naming the port', chay: () => nem(bat({ ...co_ban, prometheus: { port: 70_000 } }), LoiCauHinh, /port/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'otlp.endpoint: "not a url"', mong_doi: 'LoiCauHinh naming otlp.endpoint', chay: () => nem(bat({ ...co_ban, otlp: { endpoint: 'not a url' } }), LoiCauHinh, /otlp\.endpoint/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'ten_dich_vu: 42', mong_doi: 'LoiCauHinh naming ten_dich_vu', chay: () => nem(bat({ ...co_ban, ten_dich_vu: 42 }), LoiCauHinh, /ten_dich_vu/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'unknown option key trace_exporter (a typo of traces_exporter)', mong_doi: 'LoiCauHinh naming the key', chay: () => nem(bat({ ...co_ban, trace_exporter: 'memory' }), LoiCauHinh, /trace_exporter/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'unknown nested key bo_xu_ly.max_queue_sise', mong_doi: 'LoiCauHinh naming the key', chay: () => nem(bat({ ...co_ban, bo_xu_ly: { max_queue_sise: 5 } }), LoiCauHinh, /max_queue_sise/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'thuoc_tinh: { a: {} } (an object as a resource attribute)', mong_doi: 'LoiCauHinh naming thuoc_tinh', chay: () => nem(bat({ ...co_ban, thuoc_tinh: { a: {} } }), LoiCauHinh, /thuoc_tinh/) },
    { lop: 'khoi_dong_sdk', dau_vao: 'http: "yes"', mong_doi: 'LoiCauHinh naming http', chay: () => nem(bat({ ...co_ban, http: 'yes' }), LoiCauHinh, /http/) },
    { lop: 'khoi_dong_sdk', dau_vao: '42 instead of an options object', mong_doi: 'LoiCauHinh or TypeError', chay: () => nem(bat(42), Error, /khoi_dong_sdk|option|object/) },
  ];
  bang(
    dong,
    async () => {
      await lac?.tat();
      lac = undefined;
      const sdk = khoi_dong_sdk(co_ban)!;
      try {
        trace.getTracer('van-on').startSpan('van on').end();
        await sdk.flush();
        assert.equal((sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans().length, 1);
      } finally {
        await sdk.tat();
      }
    },
    () => tc.ds.splice(0),
  );
});
