/**
 * The resource (tài nguyên) every signal carries: service name/version, the
 * process, the host, OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES (OTel's
 * env detector), and the SDK's own identity.
 *
 * By default the process attributes are written here rather than taken from
 * OTel's process detector, which also reports the whole command line: a
 * command line can carry secrets (tokens passed as flags) and would be
 * repeated on every `target_info` series. OTEL_NODE_RESOURCE_DETECTORS picks
 * OTel's detectors by sdk-node's names instead (`process` then means OTel's).
 */
import { basename } from 'node:path';
import { defaultResource, detectResources, envDetector, hostDetector, osDetector, processDetector, resourceFromAttributes, serviceInstanceIdDetector, type Resource, type ResourceDetector } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** Resource detector names of OTEL_NODE_RESOURCE_DETECTORS (sdk-node's). */
export const TEN_PHAT_HIEN = ['env', 'host', 'os', 'process', 'serviceinstance'] as const;
export type TenPhatHien = (typeof TEN_PHAT_HIEN)[number];

/** What the resource is made from. */
export interface TuyChonTaiNguyen {
  readonly ten_dich_vu: string | undefined;
  readonly phien_ban_dich_vu: string | undefined;
  readonly thuoc_tinh: Readonly<Record<string, string | number | boolean>>;
  /** OTel's detectors by name; `undefined` = this SDK's default set (no command line). */
  readonly phat_hien: readonly TenPhatHien[] | undefined;
}

const PHAT_HIEN: Record<TenPhatHien, ResourceDetector> = { env: envDetector, host: hostDetector, os: osDetector, process: processDetector, serviceinstance: serviceInstanceIdDetector };

function thuocTinhTienTrinh(): Record<string, string | number> {
  return {
    'process.pid': process.pid,
    'process.executable.name': basename(process.execPath),
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.runtime.description': 'Node.js',
  };
}

export function tao_tai_nguyen(c: TuyChonTaiNguyen): Resource {
  const rieng: Record<string, string | number | boolean> = { ...c.thuoc_tinh };
  if (c.ten_dich_vu !== undefined) rieng[ATTR_SERVICE_NAME] = c.ten_dich_vu;
  if (c.phien_ban_dich_vu !== undefined) rieng[ATTR_SERVICE_VERSION] = c.phien_ban_dich_vu;
  const goc = c.phat_hien === undefined ? defaultResource().merge(resourceFromAttributes(thuocTinhTienTrinh())) : defaultResource();
  const detectors = c.phat_hien?.map((t) => PHAT_HIEN[t]) ?? [hostDetector, serviceInstanceIdDetector, envDetector];
  return goc
    .merge(detectResources({ detectors }))
    .merge(resourceFromAttributes(rieng));
}
