/**
 * MachCat's telemetry through the real SDK: span events on the caller's
 * span, log records (rate-limited refusals), observable metrics in the
 * Prometheus text, one span per call with `tao_span`, and breakers that stay
 * collectable while the metric source watches them.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { BoNhoLogExporter, BoNhoSpanExporter, khoi_dong_sdk, LoiMachMo, MachCat, type SdkDangChay } from '../../src/index.js';
import { tracked_breaker_count } from '../../src/breaker/telemetry.js';
import { DongHoGia, loiGia, nhuong } from './support.js';

function batSdk(): SdkDangChay {
  const sdk = khoi_dong_sdk({ traces_exporter: 'memory', logs_exporter: 'memory', metrics_exporter: 'prometheus', http: false });
  assert.ok(sdk !== undefined);
  return sdk;
}
const spans = (sdk: SdkDangChay) => (sdk.exporters.traces[0] as BoNhoSpanExporter).lay_spans();
const bangLog = (sdk: SdkDangChay) => (sdk.exporters.logs[0] as BoNhoLogExporter).lay_logs();

describe('MachCat: telemetry with the real SDK', () => {
  let sdk: SdkDangChay | undefined;
  afterEach(async () => {
    await sdk?.tat();
    sdk = undefined;
  });

  it('transitions, refusals and trials are events on the caller span and log records correlated with it', async () => {
    sdk = batSdk();
    const dh = new DongHoGia();
    const mc = new MachCat({ ten: 'tel-a', so_loi_toi_da: 2, timeout_phuc_hoi: 5, dong_ho: dh.ham });
    const tr = trace.getTracer('test');
    let traceId = '';
    await tr.startActiveSpan('caller', async (span) => {
      traceId = span.spanContext().traceId;
      await mc.thuc_hien(loiGia).catch(() => {});
      await mc.thuc_hien(loiGia).catch(() => {});
      await assert.rejects(mc.thuc_hien(async () => 1), LoiMachMo);
      dh.tien(5);
      assert.equal(await mc.thuc_hien(async () => 'trial'), 'trial');
      span.end();
    });
    await sdk.flush();
    const caller = spans(sdk).find((s) => s.name === 'caller');
    assert.ok(caller);
    assert.deepEqual(
      caller.events.map((e) => [e.name, e.attributes?.['machcat.den'] ?? e.attributes?.['machcat.trang_thai'] ?? null]),
      [
        ['machcat.chuyen_trang_thai', 'mo'],
        ['machcat.bi_chan', 'mo'],
        ['machcat.chuyen_trang_thai', 'nua_mo'],
        ['machcat.thu', null],
        ['machcat.chuyen_trang_thai', 'dong'],
      ],
    );
    assert.ok(caller.events.every((e) => e.attributes?.['machcat.ten'] === 'tel-a'));
    const refusal = caller.events[1]!;
    assert.equal(refusal.attributes?.['machcat.giay_den_lan_thu'], 5);

    const ls = bangLog(sdk).filter((l) => l.attributes['machcat.ten'] === 'tel-a');
    assert.deepEqual(
      ls.map((l) => l.eventName),
      ['machcat.chuyen_trang_thai', 'machcat.bi_chan', 'machcat.chuyen_trang_thai', 'machcat.thu', 'machcat.chuyen_trang_thai'],
    );
    assert.equal(ls[0]!.severityNumber, 13);
    assert.match(String(ls[0]!.body), /tel-a.*dong -> mo \(so_loi\)/);
    assert.equal(ls[4]!.attributes['machcat.ly_do'], 'thu_thanh_cong');
    assert.ok(ls.every((l) => l.spanContext?.traceId === traceId), 'log records carry the caller trace');
  });

  it('refusal floods are aggregated in the logs; each refusal and fallback is still an event on its caller span', async () => {
    sdk = batSdk();
    const dh = new DongHoGia();
    const mc = new MachCat({ ten: 'tel-b', so_loi_toi_da: 1, timeout_phuc_hoi: 60, dong_ho: dh.ham, ham_fallback: () => 'fb' });
    mc.ghi_nhan_loi();
    const tr = trace.getTracer('test');
    for (let i = 0; i < 1000; i++) {
      await tr.startActiveSpan(`req-${i}`, async (span) => {
        assert.equal(await mc.thuc_hien(async () => 'live'), 'fb');
        span.end();
      });
      if (i === 499) dh.tien(11); // past the 10 s refusal-log interval
    }
    dh.tien(60);
    mc.reset();
    await sdk.flush();
    const ls = bangLog(sdk).filter((l) => l.attributes['machcat.ten'] === 'tel-b');
    const refusals = ls.filter((l) => l.eventName === 'machcat.bi_chan');
    assert.deepEqual(refusals.map((l) => l.attributes['machcat.so_bi_chan']), [1, 500]);
    assert.equal(refusals[0]!.attributes['machcat.co_fallback'], true);
    // the remainder travels on the next transition record
    const cuoi = ls.at(-1)!;
    assert.equal(cuoi.eventName, 'machcat.chuyen_trang_thai');
    assert.equal(cuoi.attributes['machcat.so_bi_chan_chua_log'], 499);
    assert.ok(ls.length <= 6, `${ls.length} log records for 1000 refusals`);
    const reqSpans = spans(sdk).filter((s) => s.name.startsWith('req-'));
    assert.equal(reqSpans.length, 1000);
    assert.ok(reqSpans.every((s) => s.events.map((e) => e.name).join() === 'machcat.bi_chan,machcat.fallback'));
  });

  it('metrics: calls by outcome, state, transitions, fallbacks and in-flight in the Prometheus text', async () => {
    sdk = batSdk();
    const dh = new DongHoGia();
    const mc = new MachCat({ ten: 'tel-c', so_loi_toi_da: 2, timeout_phuc_hoi: 5, dong_ho: dh.ham, ham_fallback: () => 0 });
    await mc.thuc_hien(async () => 1);
    await mc.thuc_hien(async () => 1);
    await mc.thuc_hien(loiGia).catch(() => {});
    await mc.thuc_hien(loiGia).catch(() => {});
    await mc.thuc_hien(async () => 1);
    const treoMai = mc.thuc_hien(() => new Promise<never>(() => {}));
    void treoMai;
    let text = await sdk.export_prometheus();
    const g = (s: string): number | undefined => {
      const m = new RegExp(`^${s.replace(/[{}.]/g, (c) => `\\${c}`)} (\\S+)`, 'm').exec(text);
      return m === null ? undefined : Number(m[1]);
    };
    assert.match(text, /# TYPE machcat_calls_total counter/);
    assert.equal(g('machcat_calls_total{machcat_ten="tel-c",machcat_ket_qua="thanh_cong"}'), 2);
    assert.equal(g('machcat_calls_total{machcat_ten="tel-c",machcat_ket_qua="that_bai"}'), 2);
    assert.equal(g('machcat_calls_total{machcat_ten="tel-c",machcat_ket_qua="bi_chan"}'), 2);
    assert.equal(g('machcat_fallbacks_total{machcat_ten="tel-c",machcat_ket_qua="ok"}'), 2);
    assert.equal(g('machcat_state{machcat_ten="tel-c",machcat_trang_thai="mo"}'), 1);
    assert.equal(g('machcat_state{machcat_ten="tel-c",machcat_trang_thai="dong"}'), 0);
    assert.equal(g('machcat_transitions_total{machcat_ten="tel-c",machcat_den="mo"}'), 1);
    dh.tien(5);
    // the state is computed at collection time: half-open now, without any call
    text = await sdk.export_prometheus();
    assert.equal(g('machcat_state{machcat_ten="tel-c",machcat_trang_thai="nua_mo"}'), 1);
    assert.equal(g('machcat_transitions_total{machcat_ten="tel-c",machcat_den="nua_mo"}'), 1);
    void mc.thuc_hien(() => new Promise<never>(() => {})); // a trial that hangs
    text = await sdk.export_prometheus();
    assert.equal(g('machcat_in_flight{machcat_ten="tel-c"}'), 1);
  });

  it('tao_span wraps each call in its own span, child of the caller; failures and refusals are marked', async () => {
    sdk = batSdk();
    const dh = new DongHoGia();
    const mc = new MachCat({ ten: 'tel-d', so_loi_toi_da: 1, dong_ho: dh.ham, tao_span: true });
    const tr = trace.getTracer('test');
    let conThay = '';
    await tr.startActiveSpan('parent', async (span) => {
      assert.equal(
        await mc.thuc_hien(async () => {
          conThay = trace.getActiveSpan()?.spanContext().spanId ?? '';
          return 1;
        }),
        1,
      );
      await assert.rejects(mc.thuc_hien(loiGia), /dependency down/);
      await assert.rejects(mc.thuc_hien(async () => 1), LoiMachMo);
      span.end();
    });
    await sdk.flush();
    const all = spans(sdk);
    const parent = all.find((s) => s.name === 'parent')!;
    const mine = all.filter((s) => s.name === 'machcat tel-d');
    assert.equal(mine.length, 3);
    assert.ok(mine.every((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId));
    assert.equal(mine[0]!.spanContext().spanId, conThay, 'the protected function runs inside the call span');
    assert.equal(mine[0]!.status.code, SpanStatusCode.UNSET);
    assert.equal(mine[1]!.status.code, SpanStatusCode.ERROR);
    assert.ok(mine[1]!.events.some((e) => e.name === 'machcat.chuyen_trang_thai'));
    assert.ok(mine[1]!.events.some((e) => e.name === 'exception'));
    assert.equal(mine[2]!.attributes['machcat.bi_chan'], true);
    assert.ok(mine[2]!.events.some((e) => e.name === 'machcat.bi_chan'));
  });

  it('a breaker dropped by the app is garbage collected while the metric source watches', async () => {
    sdk = batSdk();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const truoc = tracked_breaker_count();
    const ref = (() => {
      const mc = new MachCat({ ten: 'tam-thoi' });
      mc.ghi_nhan_loi();
      return new WeakRef(mc);
    })();
    assert.equal(tracked_breaker_count(), truoc + 1);
    const calls = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('machcat_calls_total{') && l.includes('machcat_ten="tam-thoi"')).sort();
    const before = calls(await sdk.export_prometheus());
    assert.ok(before.some((l) => /machcat_ket_qua="that_bai".* 1$/.test(l)), before.join('\n'));
    for (let i = 0; i < 5 && ref.deref() !== undefined; i++) {
      await nhuong();
      gc();
    }
    assert.equal(ref.deref(), undefined, 'the breaker is still reachable');
    // Its counts folded into the name's retired totals: a new breaker of the
    // same name adds to them, so the counter never goes down.
    const successor = new MachCat({ ten: 'tam-thoi' });
    successor.ghi_nhan_loi();
    const after = calls(await sdk.export_prometheus());
    assert.ok(after.some((l) => /machcat_ket_qua="that_bai".* 2$/.test(l)), after.join('\n'));
    assert.equal(successor.ten, 'tam-thoi');
    // (earlier tests' breakers may have been collected too)
    assert.ok(tracked_breaker_count() <= truoc);
  });
});
