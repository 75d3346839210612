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

/** Resource detector names (tên phát hiện) of OTEL_NODE_RESOURCE_DETECTORS (sdk-node's). */
export const DETECTOR_NAMES = ['env', 'host', 'os', 'process', 'serviceinstance'] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/**
 * What the resource is made from. The SDK passes its resolved configuration
 * (CauHinh), whose fields these are: service name, service version, extra
 * attributes, detector names.
 */
export interface ResourceOptions {
  readonly ten_dich_vu: string | undefined;
  readonly phien_ban_dich_vu: string | undefined;
  readonly thuoc_tinh: Readonly<Record<string, string | number | boolean>>;
  /** OTel's detectors by name; `undefined` = this SDK's default set (no command line). */
  readonly phat_hien: readonly DetectorName[] | undefined;
}

const DETECTORS: Record<DetectorName, ResourceDetector> = { env: envDetector, host: hostDetector, os: osDetector, process: processDetector, serviceinstance: serviceInstanceIdDetector };

/** OTel's process attributes without the command line (see above). */
function processAttributes(): Record<string, string | number> {
  return {
    'process.pid': process.pid,
    'process.executable.name': basename(process.execPath),
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.runtime.description': 'Node.js',
  };
}

/** Makes (tạo) the resource (tài nguyên): defaults, then detectors, then the configured attributes, later ones winning. */
export function create_resource(options: ResourceOptions): Resource {
  const configured: Record<string, string | number | boolean> = { ...options.thuoc_tinh };
  if (options.ten_dich_vu !== undefined) configured[ATTR_SERVICE_NAME] = options.ten_dich_vu;
  if (options.phien_ban_dich_vu !== undefined) configured[ATTR_SERVICE_VERSION] = options.phien_ban_dich_vu;
  const base = options.phat_hien === undefined ? defaultResource().merge(resourceFromAttributes(processAttributes())) : defaultResource();
  const detectors = options.phat_hien?.map((name) => DETECTORS[name]) ?? [hostDetector, serviceInstanceIdDetector, envDetector];
  return base
    .merge(detectResources({ detectors }))
    .merge(resourceFromAttributes(configured));
}
