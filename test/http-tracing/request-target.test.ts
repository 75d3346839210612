/**
 * The undici tracer's `url.*` attributes without a URL parse per request:
 * for any path, `requestTarget()` must give exactly what
 * `new URL(path, origin)` gives (the fast path for plain paths, the parse
 * otherwise). Randomized over paths built from the characters that matter
 * (dots, percent-encoded dots, characters the URL parser encodes, rewrites
 * or strips), on http(s) origins and others.
 */
import assert from 'node:assert/strict';
import { requestTarget } from '../../src/http-tracing/undici.js';
import { tao_ngau_nhien as random } from '../support/random.js';

const CHARS = "abZ09._~!$&'()*+,;=:@/?%-#\\ \"<>`{}|^[]é\t\n.2eE%".split('');
const ORIGINS = ['http://127.0.0.1:8081', 'https://Example.COM', 'http://[::1]:80', 'https://host:8443', 'http://user:pw@host:81', 'foo:/', 'ws://h:1'];

function expected(origin: string, path: string) {
  const u = new URL(path, origin);
  const scheme = u.protocol.slice(0, -1);
  const port = u.port || (scheme === 'https' ? '443' : scheme === 'http' ? '80' : '');
  return { full: u.toString(), path: u.pathname, query: u.search, scheme, hostname: u.hostname, port: port === '' ? undefined : Number(port) };
}

describe('http-tracing: url attributes of undici requests', () => {
  it('equal new URL(path, origin) for 20,000 random paths on seven origins', () => {
    const rnd = random(15);
    let plain = 0;
    for (let i = 0; i < 20_000; i++) {
      const path = `/${Array.from({ length: Math.floor(rnd() * 9) }, () => CHARS[Math.floor(rnd() * CHARS.length)]).join('')}`;
      for (const origin of ORIGINS) {
        const t = requestTarget(origin, path);
        let e: ReturnType<typeof expected>;
        try {
          e = expected(origin, path);
        } catch {
          assert.equal(t, undefined, `${origin} ${JSON.stringify(path)} does not parse`);
          continue;
        }
        assert.ok(t !== undefined, `${origin} ${JSON.stringify(path)}`);
        assert.deepEqual({ full: t.full, path: t.path, query: t.query, scheme: t.origin.scheme, hostname: t.origin.hostname, port: t.origin.port }, e, `${origin} ${JSON.stringify(path)}`);
        if (t.full === `${new URL(origin).origin}${path}`) plain++;
      }
    }
    // Most generated paths are not plain; enough are to exercise the fast path.
    assert.ok(plain > 5_000, `plain paths: ${plain}`);
  });

  it('common request paths take the plain path and match', () => {
    for (const path of ['/', '/predict', '/v1/models/x:predict?a=1&b=%20c', '/a//b', '/p?', '/p?x=1?y=2', "/it's", '/a/%2e/b', '/a/%2E%2e/b', '/a/b/%2e%2e?x', '/a/%2e.', '/a/.%2E']) {
      const t = requestTarget('http://127.0.0.1:8081', path)!;
      const e = expected('http://127.0.0.1:8081', path);
      assert.deepEqual({ full: t.full, path: t.path, query: t.query }, { full: e.full, path: e.path, query: e.query });
    }
  });

  it('a path starting with // is not taken as a host; a bad origin gives nothing', () => {
    const t = requestTarget('http://127.0.0.1:8081', '//evil.example/x')!;
    assert.equal(t.full, new URL('//evil.example/x', 'http://127.0.0.1:8081').toString());
    assert.equal(requestTarget('not a url', '/x'), undefined);
  });
});
