/**
 * "Using your own NodeSDK": the runnable example (examples/own-nodesdk.ts)
 * starts the real `NodeSDK` from @opentelemetry/sdk-node with OTLP/HTTP
 * exporters and `tao_metric_producer()`, uses all five facades and shuts
 * down. A real OTLP receiver must get the spans, span events, log records and
 * metrics of every facade, under the app's own resource.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MayNhanOtlp, thuoc_tinh, type BanGhi } from '../support/otlp.js';

const chay = promisify(execFile);
const goc = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('sdk: tao_metric_producer() with the real NodeSDK (examples/own-nodesdk.ts)', function () {
  const nhan = new MayNhanOtlp();
  let stderr = '';

  before(async function () {
    const url = await nhan.bat_dau();
    ({ stderr } = await chay(process.execPath, ['--import', 'tsx', join(goc, 'examples', 'own-nodesdk.ts')], {
      cwd: goc,
      timeout: 60_000,
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_SERVICE_NAME: '', OTEL_RESOURCE_ATTRIBUTES: '' },
    }));
  });
  after(() => nhan.dung());

  it('runs without errors', () => {
    assert.doesNotMatch(stderr, /Error/, stderr);
  });

  it('spans and span events of MachCat, LamNongModel and KiemTraSucKhoe reach the app exporter', () => {
    const spans = nhan.spans();
    const ten = spans.map((s) => s.name as string);
    const events = (s: BanGhi | undefined) => ((s?.events as BanGhi[] | undefined) ?? []).map((e) => e.name as string);
    assert.equal(ten.filter((t) => t === 'machcat api-mo-hinh').length, 3, ten.join(', '));
    assert.ok(spans.some((s) => s.name === 'machcat api-mo-hinh' && events(s).includes('machcat.chuyen_trang_thai')), 'the breaker opening is an event');
    const lam = spans.find((s) => s.name === 'lam_nong cam_xuc');
    assert.deepEqual(events(lam).filter((e) => e === 'lam_nong.lan_chay').length, 2);
    const sk = spans.find((s) => s.name === 'KiemTraSucKhoe.kiem_tra');
    assert.ok(events(sk).includes('suc_khoe.check_khong_ok'), `health span events: ${events(sk).join(', ')}`);
  });

  it("log records of LoggerCauTruc, LamNongModel and MachCat reach the app exporter", () => {
    const bodies = nhan.logs().map((l) => String((l.body as BanGhi | undefined)?.stringValue));
    assert.ok(bodies.includes('du doan xong'), bodies.join(', '));
    assert.ok(bodies.some((b) => b.includes('warmup_ok (cam_xuc)')), bodies.join(', '));
    assert.ok(bodies.some((b) => b.startsWith('MachCat "api-mo-hinh": dong -> mo')), bodies.join(', '));
  });

  it('metrics of all five facades reach the app exporter, under the NodeSDK resource', () => {
    const ten = new Set(nhan.metrics().map((m) => m.name as string));
    for (const m of [
      'own_nodesdk_du_doan', // QuanLyMetrics
      'own_nodesdk_do_tre',
      'machcat.calls', // MachCat
      'machcat.state',
      'vietnamese_ai.logger.lines', // LoggerCauTruc
      'lam_nong.da_warmup', // LamNongModel
      'lam_nong.thoi_gian',
      'suc_khoe.check.ok', // KiemTraSucKhoe
      'suc_khoe.check.thoi_gian',
    ]) {
      assert.ok(ten.has(m), `${m} missing; got ${[...ten].sort().join(', ')}`);
    }
    const rm = (nhan.cua('/v1/metrics').at(-1)!.resourceMetrics as BanGhi[])[0]!;
    assert.equal(thuoc_tinh((rm.resource as BanGhi).attributes, 'service.name'), 'own-nodesdk');
  });
});
