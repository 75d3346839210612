/**
 * `prometheus`: a pull output of the one reader. It renders text on demand
 * (for `export_prometheus()` and the `/metrics` handlers) and, when asked,
 * serves `/metrics` on OTEL_EXPORTER_PROMETHEUS_HOST:PORT itself.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { BoThuThap, DauRaMetric, DinhNghiaExporter } from '../types.js';
import { serialize_prometheus, type TuyChonSerializer } from './serializer.js';
import { CONTENT_TYPE_OPENMETRICS, muon_openmetrics } from './openmetrics.js';

export { serialize_prometheus, type TuyChonSerializer } from './serializer.js';
export { CONTENT_TYPE_OPENMETRICS } from './openmetrics.js';

/** The content type of Prometheus text format 0.0.4. */
export const CONTENT_TYPE_PROMETHEUS = 'text/plain; version=0.0.4; charset=utf-8';

export class PrometheusDauRa implements DauRaMetric {
  readonly ten = 'prometheus';
  private boThuThap: BoThuThap | undefined;
  private server: Server | undefined;
  /** The text of the newest collection pushed to this output (see `xuat`). */
  van_ban_cuoi: string | undefined;

  constructor(private readonly phuc_vu?: { host: string; port: number }) {}

  async gan(bo: BoThuThap): Promise<void> {
    this.boThuThap = bo;
    if (this.phuc_vu === undefined) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      const om = muon_openmetrics(req.headers.accept);
      this.van_ban(om ? { openmetrics: true } : undefined).then(
        (t) => res.writeHead(200, { 'content-type': om ? CONTENT_TYPE_OPENMETRICS : CONTENT_TYPE_PROMETHEUS }).end(t),
        (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`# collection failed: ${String(e)}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.phuc_vu!.port, this.phuc_vu!.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.unref();
    this.server = server;
  }

  /** The address the pull endpoint listens on, when it serves. */
  dia_chi(): AddressInfo | undefined {
    const a = this.server?.address();
    return a !== null && typeof a === 'object' ? a : undefined;
  }

  /** Collects once and renders. */
  async van_ban(tuy_chon?: TuyChonSerializer): Promise<string> {
    if (this.boThuThap === undefined) throw new Error('prometheus output is not attached to a reader');
    return serialize_prometheus(await this.boThuThap.thu_thap(), tuy_chon);
  }

  /** Also a push target: renders each fan-out collection, so pull and push can be compared. */
  async xuat(rm: ResourceMetrics): Promise<boolean> {
    this.van_ban_cuoi = serialize_prometheus(rm);
    return true;
  }

  async shutdown(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s !== undefined) await new Promise<void>((r) => s.close(() => r()));
  }
}

export const prometheus: DinhNghiaExporter = {
  metrics: (ctx) => {
    const p = ctx.cau_hinh.prometheus;
    return new PrometheusDauRa(p.phuc_vu ? { host: p.host, port: p.port } : undefined);
  },
};
