/**
 * A separate probe server (máy chủ thăm dò): /livez, /readyz, /healthz and
 * /metrics on their own port, so the public port exposes none of them (the
 * report's detail can reveal internals) and probes still answer when the
 * app's port is saturated.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tao_xu_ly_tham_do } from './node-http.js';
import type { TuyChonThamDo } from './probe-endpoints.js';
import { number_option, options_object, string_option } from '../src/core/options.js';

export interface TuyChonMayChuThamDo extends TuyChonThamDo {
  /** Port (0 = any free port). */
  port: number;
  /**
   * Interface (default "127.0.0.1", like the demo: nothing is exposed unless
   * asked). In Kubernetes the kubelet probes the pod IP: pass "0.0.0.0".
   */
  host?: string;
}

export interface MayChuThamDo {
  readonly server: Server;
  /** The port it listens on. */
  readonly port: number;
  readonly host: string;
  /** Closes the server (and its keep-alive connections). */
  dong(): Promise<void>;
}

const OWNER = 'tao_may_chu_tham_do';

/**
 * Creates and starts the probe server (tạo máy chủ thăm dò); resolves once it listens.
 * @throws TypeError / RangeError for bad options; rejects when the port cannot be bound.
 */
export async function tao_may_chu_tham_do(options: TuyChonMayChuThamDo): Promise<MayChuThamDo> {
  options_object(OWNER, options);
  if (options.port === undefined) throw new TypeError(`${OWNER}: port is required (0 for any free port)`);
  const requestedPort = number_option(OWNER, 'port', options.port, 0, { integer: true, min: 0, max: 65535 });
  const host = string_option(OWNER, 'host', options.host, '127.0.0.1');
  const probes = tao_xu_ly_tham_do(options);
  const server = createServer((req, res) => {
    if (!probes(req, res)) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    host,
    dong: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
