/**
 * `prometheus`: a pull output of the one reader. It renders text on demand
 * (for `export_prometheus()` and the `/metrics` handlers) and, when asked,
 * serves `/metrics` on OTEL_EXPORTER_PROMETHEUS_HOST:PORT itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { BoThuThap, DauRaMetric, DinhNghiaExporter } from '../types.js';
import { serialize_prometheus, type TuyChonSerializer } from './serializer.js';
import { CONTENT_TYPE_OPENMETRICS, wants_openmetrics } from './openmetrics.js';

export { serialize_prometheus, type TuyChonSerializer } from './serializer.js';
export { CONTENT_TYPE_OPENMETRICS } from './openmetrics.js';

/** The content type of Prometheus text format 0.0.4. */
export const CONTENT_TYPE_PROMETHEUS = 'text/plain; version=0.0.4; charset=utf-8';

/** The Prometheus output (đầu ra): text on demand, and the `/metrics` endpoint when it serves. */
export class PrometheusDauRa implements DauRaMetric {
  readonly ten = 'prometheus';
  private collector: BoThuThap | undefined;
  private server: Server | undefined;
  /** The text of the newest collection pushed to this output (văn bản cuối; see `xuat`). */
  van_ban_cuoi: string | undefined;

  /** `listen`: where to serve `/metrics` itself; undefined when the app serves it. */
  constructor(private readonly listen?: { host: string; port: number }) {}

  /** Attaches the reader's collector (gắn), and starts the endpoint when it serves. */
  async gan(collector: BoThuThap): Promise<void> {
    this.collector = collector;
    const listen = this.listen;
    if (listen === undefined) return;
    const server = createServer((req, res) => this.scrape(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.unref();
    this.server = server;
  }

  /** Answers one request to the endpoint: `GET /metrics` in the format the Accept header prefers. */
  private scrape(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    const openMetrics = wants_openmetrics(req.headers.accept);
    this.van_ban(openMetrics ? { openmetrics: true } : undefined).then(
      (text) => res.writeHead(200, { 'content-type': openMetrics ? CONTENT_TYPE_OPENMETRICS : CONTENT_TYPE_PROMETHEUS }).end(text),
      (e: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`# collection failed: ${String(e)}\n`),
    );
  }

  /** The address the pull endpoint listens on, when it serves (địa chỉ). */
  dia_chi(): AddressInfo | undefined {
    const address = this.server?.address();
    return address !== null && typeof address === 'object' ? address : undefined;
  }

  /** Collects once and renders (văn bản = text). */
  async van_ban(tuy_chon?: TuyChonSerializer): Promise<string> {
    if (this.collector === undefined) throw new Error('prometheus output is not attached to a reader');
    return serialize_prometheus(await this.collector.thu_thap(), tuy_chon);
  }

  /** Also a push target (xuất = export): renders each fan-out collection, so pull and push can be compared. */
  async xuat(rm: ResourceMetrics): Promise<boolean> {
    this.van_ban_cuoi = serialize_prometheus(rm);
    return true;
  }

  async shutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((closed) => server.close(() => closed()));
  }
}

export const prometheus: DinhNghiaExporter = {
  metrics: (ctx) => {
    const config = ctx.cau_hinh.prometheus;
    return new PrometheusDauRa(config.phuc_vu ? { host: config.host, port: config.port } : undefined);
  },
};
