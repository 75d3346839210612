/**
 * A real OTLP/HTTP receiver for tests: an HTTP server on 127.0.0.1 that
 * records every export request, decodes protobuf (with test/support/otlp.proto)
 * or JSON bodies into one plain shape (hex ids, camelCase keys, numbers), and
 * can be told to fail or to hang, to exercise drop counting.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const root = protobuf.loadSync(join(dirname(fileURLToPath(import.meta.url)), 'otlp.proto'));
const KIEU = {
  '/v1/traces': root.lookupType('otlp.ExportTraceServiceRequest'),
  '/v1/metrics': root.lookupType('otlp.ExportMetricsServiceRequest'),
  '/v1/logs': root.lookupType('otlp.ExportLogsServiceRequest'),
} as const;

export type DuongOtlp = keyof typeof KIEU;

/** A decoded request, in the OTLP/JSON shape with numbers and hex ids. */
export type BanGhi = Record<string, unknown>;

export interface YeuCauNhan {
  duong: string;
  content_type: string;
  than: BanGhi;
  /** The request's headers (lower-case names). */
  headers: import('node:http').IncomingHttpHeaders;
}

/** Turns protobufjs output (base64 bytes, Long) or OTLP JSON into one comparable shape. */
function chuanHoa(x: unknown, khoa?: string): unknown {
  if (Array.isArray(x)) return x.map((v) => chuanHoa(v, khoa));
  if (x !== null && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) o[k] = chuanHoa(v, k);
    return o;
  }
  if (typeof x === 'string' && khoa !== undefined && /^(traceId|spanId|parentSpanId)$/.test(khoa)) {
    // protobuf decoding gives base64 for bytes; OTLP/JSON gives hex.
    return /^[0-9a-f]*$/.test(x) && (x.length === 32 || x.length === 16) ? x : Buffer.from(x, 'base64').toString('hex');
  }
  if (typeof x === 'string' && khoa !== undefined && /(UnixNano|count|asInt|intValue|bucketCounts)$/i.test(khoa) && /^-?\d+$/.test(x)) {
    return Number(x);
  }
  return x;
}

export function giai_ma(duong: DuongOtlp, content_type: string, than: Buffer): BanGhi {
  if (content_type.includes('json')) return chuanHoa(JSON.parse(than.toString('utf8'))) as BanGhi;
  const kieu = KIEU[duong];
  const msg = kieu.decode(than);
  return chuanHoa(kieu.toObject(msg, { longs: String, bytes: String, enums: Number, defaults: false, oneofs: false })) as BanGhi;
}

function docThan(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const phan: Buffer[] = [];
    req.on('data', (c: Buffer) => phan.push(c));
    req.on('end', () => resolve(Buffer.concat(phan)));
    req.on('error', reject);
  });
}

export class MayNhanOtlp {
  readonly yeu_cau: YeuCauNhan[] = [];
  /** 'ok' answers 200; 'loi' answers 503; 'treo' never answers. */
  che_do: 'ok' | 'loi' | 'treo' = 'ok';
  private server: Server | undefined;
  private readonly treo = new Set<import('node:http').ServerResponse>();

  async bat_dau(port = 0): Promise<string> {
    const server = createServer((req, res) => {
      void docThan(req).then((than) => {
        const duong = (req.url ?? '').split('?')[0] as DuongOtlp;
        if (this.che_do === 'treo') {
          this.treo.add(res);
          return;
        }
        if (this.che_do === 'loi') {
          res.writeHead(503).end();
          return;
        }
        if (!(duong in KIEU)) {
          res.writeHead(404).end();
          return;
        }
        const ct = String(req.headers['content-type'] ?? '');
        const nhan = { duong, content_type: ct, than: giai_ma(duong, ct, than), headers: req.headers };
        // Received = acknowledged: a client that timed out before the answer (a busy
        // machine) counts an export error, so its records are not counted here either.
        if (req.socket.destroyed) return;
        this.yeu_cau.push(nhan);
        res.once('close', () => {
          if (!res.writableFinished) this.yeu_cau.splice(this.yeu_cau.indexOf(nhan), 1);
        });
        res.writeHead(200, { 'content-type': ct.includes('json') ? 'application/json' : 'application/x-protobuf' }).end(ct.includes('json') ? '{}' : undefined);
      });
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  cua(duong: DuongOtlp): BanGhi[] {
    return this.yeu_cau.filter((y) => y.duong === duong).map((y) => y.than);
  }

  /** Every span received, flattened. */
  spans(): BanGhi[] {
    return this.cua('/v1/traces').flatMap((r) => ((r.resourceSpans as BanGhi[]) ?? []).flatMap((rs) => ((rs.scopeSpans as BanGhi[]) ?? []).flatMap((ss) => (ss.spans as BanGhi[]) ?? [])));
  }

  /** Every log record received, flattened. */
  logs(): BanGhi[] {
    return this.cua('/v1/logs').flatMap((r) => ((r.resourceLogs as BanGhi[]) ?? []).flatMap((rl) => ((rl.scopeLogs as BanGhi[]) ?? []).flatMap((sl) => (sl.logRecords as BanGhi[]) ?? [])));
  }

  /** Every metric received, flattened (one entry per metric per request). */
  metrics(): BanGhi[] {
    return this.cua('/v1/metrics').flatMap((r) => ((r.resourceMetrics as BanGhi[]) ?? []).flatMap((rm) => ((rm.scopeMetrics as BanGhi[]) ?? []).flatMap((sm) => (sm.metrics as BanGhi[]) ?? [])));
  }

  async dung(): Promise<void> {
    for (const r of this.treo) r.destroy();
    this.treo.clear();
    const s = this.server;
    this.server = undefined;
    if (s !== undefined) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }
}

/** The string value of an OTLP attribute list entry, if present. */
export function thuoc_tinh(attrs: unknown, key: string): unknown {
  if (!Array.isArray(attrs)) return undefined;
  const kv = (attrs as Array<{ key: string; value?: Record<string, unknown> }>).find((a) => a.key === key);
  if (kv?.value === undefined) return undefined;
  const v = kv.value;
  return v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue;
}
