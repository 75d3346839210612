/**
 * Failures inside telemetry are reported to OTel's diag once per cause, and
 * never thrown into the app (#13 item 4).
 */
import assert from 'node:assert/strict';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { khoi_dong_sdk, type SdkDangChay } from '../../src/index.js';
import { report_failure } from '../../src/core/report.js';
import { dang_ky_nguon_metric, dang_ky_nha_san_xuat } from '../../src/core/registry.js';

/** A diag logger that keeps every warn/error line. */
function nhatKy(): { lines: string[]; logger: DiagLogger } {
  const lines: string[] = [];
  const keep = (m: string): void => {
    lines.push(m);
  };
  return { lines, logger: { error: keep, warn: keep, info: () => {}, debug: () => {}, verbose: () => {} } };
}

describe('sdk/report: telemetry failures reach diag once per cause', () => {
  let sdk: SdkDangChay | undefined;
  const go: Array<() => void> = [];
  afterEach(async () => {
    for (const g of go.splice(0)) g();
    await sdk?.tat();
    sdk = undefined;
    diag.disable();
  });

  it('a producer that throws on every collection and a source whose instruments fail: one diag line each, collections still answer', async () => {
    sdk = khoi_dong_sdk({ traces_exporter: 'none', logs_exporter: 'none', metrics_exporter: 'prometheus', http: false });
    assert.ok(sdk !== undefined);
    const nk = nhatKy();
    diag.setLogger(nk.logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    let goi = 0;
    go.push(
      dang_ky_nha_san_xuat({
        thu_thap: () => {
          goi++;
          throw new Error('producer exploded');
        },
      }),
    );
    go.push(
      dang_ky_nguon_metric('report-test/broken', () => {
        throw new TypeError('cannot build instruments');
      }),
    );
    for (let i = 0; i < 4; i++) assert.equal(typeof (await sdk.export_prometheus()), 'string');
    assert.ok(goi >= 4, `the producer was asked at each collection (${goi})`);
    const producer = nk.lines.filter((l) => l.includes('producer exploded'));
    assert.equal(producer.length, 1, nk.lines.join('\n'));
    assert.match(producer[0]!, /a metric producer failed during collection: Error: producer exploded/);
    const source = nk.lines.filter((l) => l.includes('cannot build instruments'));
    assert.equal(source.length, 1, nk.lines.join('\n'));
    assert.match(source[0]!, /building the instruments of report-test\/broken: TypeError/);
  });

  it('the set of reported causes is bounded: past the bound one line says so, then silence; a throwing diag logger never escapes', () => {
    const nk = nhatKy();
    diag.setLogger(nk.logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    for (let i = 0; i < 400; i++) report_failure('bounded-test', new Error(`id ${i}`));
    const mine = nk.lines.filter((l) => l.includes('bounded-test'));
    assert.ok(mine.length > 0 && mine.length <= 128, `${mine.length} lines`);
    assert.equal(nk.lines.filter((l) => l.includes('further ones are not reported')).length, 1);
    diag.setLogger(
      {
        ...nk.logger,
        warn: () => {
          throw new Error('diag broken');
        },
      },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    assert.doesNotThrow(() => report_failure('another', new Error('x')));
  });
});
