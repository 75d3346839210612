/** Test helpers: a plain HTTP client (no keep-alive), a server's close, a recording logger. */
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import type { LoggerRequest } from '../../instrumentation/index.js';

export interface TraLoi {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function goi(url: string, o: { method?: string; headers?: Record<string, string> } = {}): Promise<TraLoi> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers, agent: false }, (res) => {
      const phan: Buffer[] = [];
      res.on('data', (c: Buffer) => phan.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(phan).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export function nghe(server: Server): Promise<string> {
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

export function dong(server: Server): Promise<void> {
  return new Promise((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
}

export interface DongLog {
  id: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  trace_id: string | undefined;
}

/** A duck-typed logger that notes the active trace id at each call (as LoggerCauTruc does). */
export function logger_ghi(): LoggerRequest & { dong: DongLog[] } {
  const d: DongLog[] = [];
  return {
    dong: d,
    log_request(id, method, path, status, ms) {
      d.push({ id, method, path, status, ms, trace_id: trace.getActiveSpan()?.spanContext().traceId });
    },
  };
}

/** Sum of `<name>_count` samples in Prometheus text (optionally only series matching `loc`). */
export function dem(text: string, ten: string, loc?: RegExp): number {
  let n = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${ten}_count`)) continue;
    if (loc !== undefined && !loc.test(line)) continue;
    n += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return n;
}

