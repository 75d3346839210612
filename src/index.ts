/**
 * vietnamese-ai-otel: an OpenTelemetry-native observability SDK for Node.js
 * AI services. Start the SDK once (`khoi_dong_sdk()`), then use the facades.
 */
export * from './core/index.js';
export * from './pipeline/index.js';
export * from './sdk/index.js';
export * from '../exporters/index.js';
export * from './metrics/index.js';
export * from './breaker/index.js';
export * from './logger/index.js';
export * from './warmup/index.js';
export * from './health/index.js';
