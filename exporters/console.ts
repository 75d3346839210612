/** `console`: OTel's console exporters, for a quick look during development. */
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace';
import { ConsoleMetricExporter } from '@opentelemetry/sdk-metrics';
import { ConsoleLogRecordExporter } from '@opentelemetry/sdk-logs';
import { dau_ra_tu_push_exporter } from './push-metric.js';
import type { DinhNghiaExporter } from './types.js';

export const console_: DinhNghiaExporter = {
  traces: () => new ConsoleSpanExporter(),
  metrics: () => dau_ra_tu_push_exporter('console', new ConsoleMetricExporter()),
  logs: () => new ConsoleLogRecordExporter(),
};
