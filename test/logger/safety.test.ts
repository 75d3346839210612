import assert from 'node:assert/strict';
import { BoCheKhoa, LoggerCauTruc } from '../../src/logger/index.js';
import { bo_thu, doc } from './support.js';

describe('logger/safety: logging never throws and every line is valid JSON', function () {
  it('circular data, BigInt, Symbols, functions, undefined, NaN, Dates, Maps, Sets, Buffers', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    const vong: Record<string, unknown> = { ten: 'a' };
    vong.ban_than = vong;
    const chung = { x: 1 };
    l.info('mix', {
      vong,
      hai_lan: [chung, chung],
      so_lon: 12345678901234567890n,
      ky_hieu: Symbol('s'),
      ham: function tinh() {},
      khong_co: undefined,
      nan: Number.NaN,
      vo_cuc: -Infinity,
      ngay: new Date(0),
      ngay_hong: new Date('x'),
      map: new Map<unknown, unknown>([['k', 1], [2, 'hai']]),
      set: new Set([1, 2]),
      buf: Buffer.alloc(3000),
      mang: [undefined, () => 1],
    });
    const [d] = await doc(l, b);
    const data = d?.data as Record<string, unknown>;
    assert.deepEqual(data.vong, { ten: 'a', ban_than: '[Circular]' });
    assert.deepEqual(data.hai_lan, [{ x: 1 }, { x: 1 }], 'a shared (non-circular) object is written twice, not called circular');
    assert.equal(data.so_lon, '12345678901234567890');
    assert.equal(data.ky_hieu, 'Symbol(s)');
    assert.equal(data.ham, '[Function: tinh]');
    assert.equal('khong_co' in data, false);
    assert.equal(data.nan, 'NaN');
    assert.equal(data.vo_cuc, '-Infinity');
    assert.equal(data.ngay, '1970-01-01T00:00:00.000Z');
    assert.equal(data.ngay_hong, null);
    assert.deepEqual(data.map, { k: 1, '2': 'hai' });
    assert.deepEqual(data.set, [1, 2]);
    assert.equal(data.buf, '[Buffer 3000 bytes]');
    assert.deepEqual(data.mang, [null, '[Function: anonymous]']);
  });

  it('getters and proxies that throw, toJSON that throws, deep nesting, huge arrays', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w, do_sau_toi_da: 4 });
    const hong = new Proxy({}, { ownKeys: () => { throw new Error('no keys'); } });
    let sau: Record<string, unknown> = { day: true };
    for (let i = 0; i < 10; i++) sau = { sau };
    assert.doesNotThrow(() =>
      l.warning('hostile', {
        get getter() { throw new Error('getter boom'); },
        hong,
        to_json: { toJSON() { throw new Error('toJSON boom'); } },
        sau,
        lon: Array.from({ length: 5000 }, (_, i) => i),
      }),
    );
    // Data that is not an object at all, and a message that is not a string.
    assert.doesNotThrow(() => l.info('string data', 'chuỗi' as unknown as Record<string, unknown>));
    assert.doesNotThrow(() => l.info(undefined as unknown as string, null as unknown as Record<string, unknown>));
    assert.doesNotThrow(() => l.info({ toString() { throw new Error('x'); } } as unknown as string));
    const hostileData = new Proxy({}, { ownKeys: () => { throw new Error('top'); }, get: () => { throw new Error('get'); } });
    assert.doesNotThrow(() => l.error('hostile data', hostileData as Record<string, unknown>, hostileData));
    const ds = await doc(l, b);
    assert.equal(ds.length, 5);
    const d = ds[0]?.data as Record<string, unknown>;
    assert.equal(d.getter, '[Throws: Error: getter boom]');
    assert.match(d.hong as string, /^\[Unserializable: Error: no keys\]$/);
    assert.match(d.to_json as string, /toJSON boom/);
    assert.match(JSON.stringify(d.sau), /"\[Object\]"/, 'nesting is cut at do_sau_toi_da');
    assert.equal((d.lon as unknown[]).length, 1001);
    assert.equal((d.lon as unknown[])[1000], '…[4000 more items]');
    assert.equal(ds[1]?.data, 'chuỗi');
    assert.equal(ds[2]?.message, 'null');
  });

  it('huge strings are cut with a marker (message and data), keeping the line bounded', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w, do_dai_chuoi_toi_da: 1000 });
    const lon = 'x'.repeat(5_000_000);
    l.info(lon, { lon });
    const [d] = await doc(l, b);
    assert.equal(d?.message, `${'x'.repeat(1000)}…[truncated 4999000 chars]`);
    assert.equal((d?.data as { lon: string }).lon, d?.message);
    assert.ok(b.text().length < 3000);
  });

  it('a message with newlines, quotes, control characters or lone surrogates cannot forge a second line', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    const gia = 'ok"}\n{"timestamp":"2020-01-01T00:00:00.000Z","level":"CRITICAL","logger":"admin","message":"forged"}\r\n\u2028';
    l.info(gia, { [gia]: gia, ctrl: '\u0000\u001f\\', lech: 'a\ud800b', emoji: 'Việt 🇻🇳' });
    await l.flush();
    assert.equal(b.text().split('\n').length, 2, 'exactly one line (and the final newline)');
    const [d] = b.dong();
    assert.equal(d?.message, gia);
    assert.equal((d?.data as Record<string, unknown>)[gia], gia);
    assert.equal((d?.data as Record<string, unknown>).ctrl, '\u0000\u001f\\');
    assert.equal((d?.data as Record<string, unknown>).lech, 'a\ud800b');
    assert.equal((d?.data as Record<string, unknown>).emoji, 'Việt 🇻🇳');
  });

  it('the other Unicode line breaks (U+0085, U+2028, U+2029) are escaped too, in short and long values', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w });
    const ngan = 'a\u0085b\u2028c\u2029d';
    const dai = `${'x'.repeat(200)}\u2028{"level":"CRITICAL"}`;
    l.info(ngan, { ngan, dai });
    await l.flush();
    const tho = b.text();
    assert.doesNotMatch(tho, /[\u0085\u2028\u2029]/, 'no raw line-break character in the output');
    assert.equal(tho.split(/\r\n|[\n\r\u0085\u2028\u2029]/).length, 2, 'one line even for readers that split on every Unicode line break');
    const [d] = b.dong();
    assert.equal(d?.message, ngan);
    assert.deepEqual(d?.data, { ngan, dai });
  });

  it('redacts secret-looking keys, case-insensitively and at any depth, but not token counts', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w, context_mac_dinh: { api_key: 'ctx-secret', env: 'prod' } });
    const loi = Object.assign(new Error('auth failed'), { authorization: 'Bearer abc' });
    l.info('login', {
      password: 'p1',
      Password: 'p2',
      user: { name: 'an', PASSWORD: 'p3', sessionToken: 't', 'X-Api-Key': 'k', apiKey: 'k2' },
      headers: [{ Authorization: 'Bearer x', cookie: 'c', 'Set-Cookie': 'sc', accept: 'json' }],
      client_secret: 's',
      prompt_tokens: 12,
      max_tokens: 256,
      token_count: 7,
      map: new Map([['refresh_token', 'r']]),
      loi,
    });
    const [d] = await doc(l, b);
    const text = b.text();
    for (const bi_mat of ['p1', 'p2', 'p3', '"t"', '"k"', 'k2', 'Bearer', '"c"', '"sc"', '"s"', 'ctx-secret', '"r"']) {
      assert.equal(text.includes(bi_mat), false, `${bi_mat} must not be in the line`);
    }
    const data = d?.data as Record<string, Record<string, unknown> & unknown[]>;
    assert.equal(d?.api_key, '[REDACTED]');
    assert.equal(d?.env, 'prod');
    assert.equal(data.password, '[REDACTED]');
    assert.deepEqual(data.user, { name: 'an', PASSWORD: '[REDACTED]', sessionToken: '[REDACTED]', 'X-Api-Key': '[REDACTED]', apiKey: '[REDACTED]' });
    assert.deepEqual(data.headers?.[0], { Authorization: '[REDACTED]', cookie: '[REDACTED]', 'Set-Cookie': '[REDACTED]', accept: 'json' });
    assert.deepEqual([data.prompt_tokens, data.max_tokens, data.token_count], [12, 256, 7]);
    assert.equal((data.loi as Record<string, unknown>).authorization, '[REDACTED]');
    assert.equal(l.thong_ke().context.api_key, '[REDACTED]');
  });

  it('redaction is configurable (che_khoa: custom terms, or false)', async () => {
    const b = bo_thu();
    const l = new LoggerCauTruc({ output: b.w, che_khoa: ['cccd', 'so_dien_thoai'] });
    l.info('kyc', { cccd: '0790', soDienThoai: '0903', password: 'visible-now' });
    const b2 = bo_thu();
    const l2 = new LoggerCauTruc({ output: b2.w, che_khoa: false });
    l2.info('raw', { password: 'p' });
    const [d] = await doc(l, b);
    const [d2] = await doc(l2, b2);
    assert.deepEqual(d?.data, { cccd: '[REDACTED]', soDienThoai: '[REDACTED]', password: 'visible-now' });
    assert.deepEqual(d2?.data, { password: 'p' });
    const che = new BoCheKhoa(['token']);
    assert.deepEqual(['access_token', 'refreshToken', 'TOKEN', 'token_count', 'tokens'].map((k) => che.la_bi_mat(k)), [true, true, true, false, false]);
  });
});
