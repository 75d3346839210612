/**
 * OpenTelemetry's own Prometheus serializer (@opentelemetry/exporter-prometheus)
 * as a test oracle for ours: the same collection, rendered by both, must mean
 * the same: the same families in the same order with the same TYPE, and the
 * same samples (labels, bucket bounds, values). Naming differs on purpose and
 * is normalised away: ours adds unit suffixes (`_seconds`, `_bytes`) as the
 * OTel-to-Prometheus compatibility spec asks, and OTel JS adds
 * `otel_scope_name`/`otel_scope_version` labels. In base-unit mode (our
 * default) millisecond histograms are in seconds: their sums and bounds are
 * compared divided by 1000.
 */
import assert from 'node:assert/strict';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { serialize_prometheus } from '../../exporters/prometheus/serializer.js';
import { BoDocMetric } from '../../src/pipeline/metric-reader.js';

interface Mau {
  /** Family ordinal, sample kind (bucket/sum/count/plain) and sorted labels without scope labels. */
  khoa: string;
  gia_tri: number;
}

interface Van {
  loai: string[];
  don_vi: Map<number, string>;
  mau: Mau[];
}

/** Parses `name{k="v",...} value`, with escaped label values. */
function tachDong(line: string): { ten: string; nhan: [string, string][]; gia_tri: number } {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  assert.ok(m, line);
  const ten = m[1]!;
  let i = ten.length;
  const nhan: [string, string][] = [];
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const k = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
      assert.ok(k, `label at ${i} in ${line}`);
      i += k[0].length;
      let v = '';
      while (line[i] !== '"') {
        if (line[i] === '\\') {
          i++;
          v += line[i] === 'n' ? '\n' : line[i];
        } else v += line[i];
        i++;
      }
      i++;
      nhan.push([k[1]!, v]);
      if (line[i] === ',') i++;
    }
    i++;
  }
  return { ten, nhan, gia_tri: Number(line.slice(i).trim()) };
}

/** Reads a text into comparable families and samples. */
function doc(text: string, heSoMs: number): Van {
  const loai: string[] = [];
  const don_vi = new Map<number, string>();
  const mau: Mau[] = [];
  let ho = '';
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) {
      ho = t[1]!;
      loai.push(t[2]!);
      continue;
    }
    const u = /^# UNIT \S+ (\S+)$/.exec(line);
    if (u) don_vi.set(loai.length, u[1]!); // UNIT comes before its family's TYPE
    if (line.startsWith('#')) continue;
    const d = tachDong(line);
    const kieu = d.ten === ho ? '' : d.ten.slice(ho.length);
    const nhan = d.nhan.filter(([k]) => !k.startsWith('otel_scope_')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    mau.push({ khoa: `${loai.length - 1}${kieu}${JSON.stringify(nhan)}`, gia_tri: d.gia_tri * (kieu === '_sum' ? heSoMs : 1) });
  }
  return { loai, don_vi, mau };
}

/** OTel's rendering, with `le` of millisecond families scaled like ours in base-unit mode. */
function docOtel(text: string, coSo: boolean): Van {
  const v = doc(text, 1);
  if (!coSo) return v;
  const ms = new Set([...v.don_vi].filter(([, u]) => u === 'ms').map(([i]) => i));
  return {
    ...v,
    mau: v.mau.map((s) => {
      const ho = Number(/^\d+/.exec(s.khoa)![0]);
      if (!ms.has(ho)) return s;
      const khoa = s.khoa.replace(/\["le","([^"]+)"\]/, (_x, le: string) => `["le","${le === '+Inf' ? le : String(Number(le) / 1000)}"]`);
      return { khoa, gia_tri: s.khoa.startsWith(`${ho}_sum`) ? s.gia_tri / 1000 : s.gia_tri };
    }),
  };
}

async function mot_lan_thu(): Promise<ResourceMetrics> {
  const doc_metric = new BoDocMetric({ chu_ky_ms: 60_000, timeout_ms: 1000, gioi_han_series: 100 });
  const mp = new MeterProvider({ readers: [doc_metric] });
  const m = mp.getMeter('vnai.oracle', '1.2.3');
  const yc = m.createCounter('yeu_cau', { unit: '{request}', description: 'Requests served' });
  yc.add(3, { route: '/du-doan', 'http.method': 'POST' });
  yc.add(1, { route: '/du-doan', 'http.method': 'GET' });
  m.createCounter('bytes.sent', { unit: 'By' }).add(1024, { nhan: 'xin "chào"\\\nthế giới' });
  const dang = m.createUpDownCounter('dang_xu_ly', { description: 'In flight' });
  dang.add(5, { k: 'a' });
  dang.add(-7, { k: 'b' });
  const tg = m.createHistogram('thoi_gian', { unit: 's', advice: { explicitBucketBoundaries: [0.01, 0.1, 1] } });
  for (const x of [0.005, 0.05, 0.5, 5]) tg.record(x, { model: 'cam_xuc' });
  const tre = m.createHistogram('do_tre', { unit: 'ms' });
  for (const x of [3, 12, 240, 9000]) tre.record(x);
  m.createObservableGauge('nhiet_do', { unit: 'Cel' }).addCallback((o) => {
    o.observe(36.6, { phong: 'A' });
    o.observe(-4.25, { phong: 'B' });
  });
  m.createObservableCounter('lan_chay').addCallback((o) => o.observe(7, { ket_qua: 'ok' }));
  const rm = (await doc_metric.collect()).resourceMetrics;
  await mp.shutdown();
  return rm;
}

describe('metrics: our Prometheus serializer means what OpenTelemetry’s own does (exporter-prometheus as oracle)', () => {
  for (const coSo of [false, true]) {
    it(coSo ? 'base units (default): same families, types and samples, millisecond histograms in seconds' : 'don_vi_co_so: false: same families, types and samples', async () => {
      const rm = await mot_lan_thu();
      const ours = doc(serialize_prometheus(rm, { don_vi_co_so: coSo }), 1);
      const otel = docOtel(new PrometheusSerializer().serialize(rm), coSo);
      assert.deepEqual(ours.loai, otel.loai, 'family types, in order (target_info first)');
      assert.equal(ours.loai.length, 8, `target_info and the seven instruments: ${JSON.stringify(ours.loai)}`);
      const map = (v: Van) => new Map(v.mau.map((s) => [s.khoa, s.gia_tri]));
      const a = map(ours);
      const b = map(otel);
      assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), 'the same samples (family, kind, labels)');
      for (const [k, v] of a) assert.ok(Math.abs(v - b.get(k)!) <= 1e-9 * Math.max(1, Math.abs(v)), `${k}: ours ${v}, OTel ${b.get(k)}`);
      assert.equal(a.size, 33, "every sample of the collection was compared");
    });
  }
});
