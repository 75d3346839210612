/** Test helpers: a plain HTTP client (no keep-alive) and promtool. */
import { spawnSync } from 'node:child_process';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

/** Runs `promtool check metrics` on the text; returns its exit code and output. */
export function promtool(text: string): { ma: number; ra: string } {
  const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { ma: r.status ?? -1, ra: `${r.stdout}${r.stderr}` };
}
