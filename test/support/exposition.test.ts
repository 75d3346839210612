import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExposition } from './exposition.js';
import { findPromtool, PROMTOOL, runPromtool } from './promtool.js';

const OK = `# HELP a_total Requests.
# TYPE a_total counter
a_total{route="/x",v="q\\"\\\\\\n"} 3
a_total{route="/y"} 1e3
# HELP d_seconds Latency.
# TYPE d_seconds histogram
d_seconds_bucket{le="0.1"} 1
d_seconds_bucket{le="+Inf"} 2
d_seconds_sum 0.3
d_seconds_count 2
# HELP g A gauge.
# TYPE g gauge
g NaN
`;

/**
 * Each breaks one rule; the parser must say which. The last field: whether
 * promtool rejects it too (where it does not, this parser is the stricter:
 * Prometheus would keep one of two duplicate series, or store a histogram
 * that cannot be queried).
 */
const BAD: [string, string, RegExp, boolean][] = [
  ['a duplicate series', OK.replace('a_total{route="/y"} 1e3', 'a_total{route="/x",v="q\\"\\\\\\n"} 1'), /duplicate series/, false],
  ['a family split in two', `${OK}a_total{route="/z"} 1\n`, /separated from its family|appears in two places/, false],
  ['a bad escape in a label value', OK.replace('route="/y"', 'route="\\y"'), /bad escape/, true],
  ['a counter without _total', OK.replaceAll('a_total', 'a'), /should end in _total/, true],
  ['a family without HELP', OK.replace('# HELP g A gauge.\n', ''), /no HELP/, true],
  ['non-cumulative buckets', OK.replace('d_seconds_bucket{le="0.1"} 1', 'd_seconds_bucket{le="0.1"} 3'), /not cumulative/, false],
  ['no +Inf bucket', OK.replace('d_seconds_bucket{le="+Inf"} 2\n', ''), /\+Inf/, false],
  ['a bad value', OK.replace('g NaN', 'g 1,5'), /bad value|expected/, true],
  ['a bad metric name', OK.replace('g NaN', '9g 1'), /bad metric name/, true],
  ['a reserved label name', OK.replace('route="/y"', '__x="1"'), /reserved/, false],
  ['no final newline', OK.slice(0, -1), /newline/, true],
];

describe('test support: the exposition parser is a real check', function () {
  it('accepts a valid exposition and returns every family and series', () => {
    const e = parseExposition(OK);
    assert.deepEqual([...e.families.keys()], ['a_total', 'd_seconds', 'g']);
    assert.equal(e.series.size, 7);
    assert.equal(e.families.get('a_total')!.samples[0]!.labels.v, 'q"\\\n');
  });

  for (const [what, text, msg, promtoolToo] of BAD) {
    it(`rejects ${what}${promtoolToo ? ' (as promtool does)' : ' (stricter than promtool)'}`, async () => {
      assert.throws(() => parseExposition(text), msg);
      if (promtoolToo && PROMTOOL !== undefined) assert.notEqual((await runPromtool(text, PROMTOOL)).code, 0, `promtool accepted ${what}`);
    });
  }

  it('promtool is found through VNAI_PROMTOOL_BIN, then PATH, or not at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vnai-promtool-'));
    try {
      const bin = join(dir, 'promtool');
      writeFileSync(bin, '#!/bin/sh\n');
      chmodSync(bin, 0o755);
      assert.equal(findPromtool({ PATH: dir }), bin);
      assert.equal(findPromtool({ PATH: '/nonexistent' }), undefined);
      assert.equal(findPromtool({ PATH: dir, VNAI_PROMTOOL_BIN: join(dir, 'missing') }), undefined, 'a wrong VNAI_PROMTOOL_BIN is not silently replaced');
      assert.equal(findPromtool({ PATH: '/nonexistent', VNAI_PROMTOOL_BIN: bin }), bin);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
