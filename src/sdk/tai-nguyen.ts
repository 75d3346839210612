/**
 * The resource (tài nguyên) every signal carries: service name/version, the
 * process, the host, OTEL_RESOURCE_ATTRIBUTES, and the SDK's own identity.
 *
 * The process attributes are written here rather than taken from OTel's
 * process detector, which also reports the whole command line: a command
 * line can carry secrets (tokens passed as flags) and would be repeated on
 * every `target_info` series.
 */
import { basename } from 'node:path';
import { defaultResource, detectResources, hostDetector, resourceFromAttributes, serviceInstanceIdDetector, type Resource } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { CauHinh } from './cau-hinh.js';

function thuocTinhTienTrinh(): Record<string, string | number> {
  return {
    'process.pid': process.pid,
    'process.executable.name': basename(process.execPath),
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.runtime.description': 'Node.js',
  };
}

export function tao_tai_nguyen(c: Pick<CauHinh, 'ten_dich_vu' | 'phien_ban_dich_vu' | 'thuoc_tinh'>): Resource {
  const rieng: Record<string, string | number | boolean> = { ...c.thuoc_tinh };
  if (c.ten_dich_vu !== undefined) rieng[ATTR_SERVICE_NAME] = c.ten_dich_vu;
  if (c.phien_ban_dich_vu !== undefined) rieng[ATTR_SERVICE_VERSION] = c.phien_ban_dich_vu;
  return defaultResource()
    .merge(resourceFromAttributes(thuocTinhTienTrinh()))
    .merge(detectResources({ detectors: [hostDetector, serviceInstanceIdDetector] }))
    .merge(resourceFromAttributes(rieng));
}
