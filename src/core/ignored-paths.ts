/**
 * Paths whose requests are not traced by default (đường dẫn bỏ qua): probes
 * and scrapes arrive every few seconds and would bury the traces a person
 * looks for. The SDK's HTTP instrumentations and the request middleware
 * share this one list.
 */
export const DUONG_DAN_BO_QUA: readonly string[] = Object.freeze(['/metrics', '/livez', '/readyz', '/healthz', '/startupz', '/v2/health/live', '/v2/health/ready']);
