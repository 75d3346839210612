import assert from 'node:assert/strict';
import { KiemTraSucKhoe } from '../../src/health/index.js';

describe('KiemTraSucKhoe: start-up checks (da_khoi_dong)', function () {
  let h: KiemTraSucKhoe;
  beforeEach(() => {
    h = new KiemTraSucKhoe({ thoi_gian_cache: 0 });
  });
  afterEach(() => h.dong());

  it('true at once when no check is marked for start-up', async () => {
    h.dang_ky_check('db', () => false);
    assert.equal(await h.da_khoi_dong(), true);
    assert.deepEqual(h.checks_khoi_dong_cho(), []);
  });

  it('waits for every marked check to pass once (in any run), then stays true though they fail later', async () => {
    const dat = { a: false, b: false };
    h.dang_ky_check('a', () => dat.a, 'a', true, true);
    h.dang_ky_check('b', () => (dat.b ? true : Promise.reject(new Error('loading'))), 'b', false, true);
    h.dang_ky_check('c', () => false, 'not a start-up check', true);
    assert.equal(await h.da_khoi_dong(), false);
    assert.deepEqual(h.checks_khoi_dong_cho(), ['a', 'b']);
    dat.a = true;
    assert.equal(await h.da_khoi_dong(), false);
    assert.deepEqual(h.checks_khoi_dong_cho(), ['b']);
    dat.a = false; // a's pass is remembered
    dat.b = true;
    await h.kiem_tra(); // a run started by someone else (e.g. /readyz) counts
    dat.b = false;
    assert.equal(await h.da_khoi_dong(), true);
    dat.a = false;
    assert.equal(await h.da_khoi_dong(), true);
    assert.equal((await h.kiem_tra()).trang_thai, 'unhealthy');
  });

  it('a bad khoi_dong is a TypeError naming it', () => {
    assert.throws(() => h.dang_ky_check('x', () => true, '', true, 'yes' as never), /khoi_dong must be a boolean/);
  });
});
