/**
 * LoggerCauTruc vs pino 10, winston 3 and raw JSON.stringify, side by side.
 *
 * Every case writes ONE JSON line with a message + 3 fields to the same kind
 * of sink: a Writable whose write does nothing. One op = a burst of LO lines
 * followed by one `setImmediate` yield (the same for every case), so that
 * OTel's batch processor really exports (its export is async: in a loop that
 * never yields its queue fills at 2048 and everything after is a cheap drop,
 * which would flatter both OTel cases). ns/line = ns/op / LO.
 *
 * OTel cases use one LoggerProvider with a BatchLogRecordProcessor whose
 * exporter counts records per instrumentation scope and reports success;
 * the counts are checked at the end so each anchor is honest (its records
 * really reached the processor and were exported, none dropped).
 *
 * The pino + @opentelemetry/instrumentation-pino anchor: the instrumentation
 * is enabled before pino is required a second time through createRequire,
 * so that require returns the patched factory (the first, plain require is
 * kept for the pino-alone case).
 */
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { context, logs, SeverityNumber } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BangDo } from './lib.js';
import { LoggerCauTruc } from '../src/logger/index.js';

const LO = 256;

class DemExporter implements LogRecordExporter {
  readonly theo_scope = new Map<string, number>();
  export(records: ReadableLogRecord[], xong: (r: ExportResult) => void): void {
    for (const r of records) {
      const s = r.instrumentationScope.name;
      this.theo_scope.set(s, (this.theo_scope.get(s) ?? 0) + 1);
    }
    xong({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

const sinkRong = (): Writable =>
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  });

type PinoLogger = { info(obj: Record<string, unknown>, msg: string): void };
type PinoFactory = (opts: Record<string, unknown>, dest: Writable) => PinoLogger;

const req = createRequire(import.meta.url);
const pinoThuan = req('pino') as PinoFactory;
const winston = req('winston') as {
  createLogger(o: Record<string, unknown>): { info(msg: string, meta: Record<string, unknown>): void };
  format: { json(): unknown; timestamp(): unknown; combine(...f: unknown[]): unknown };
  transports: { Stream: new (o: { stream: Writable }) => unknown };
};

// One OTel pipeline, as the SDK builds it: ALS context + batch processor.
context.setGlobalContextManager(new AsyncLocalStorageContextManager());
const exporter = new DemExporter();
let boQua = 0;
const provider = new LoggerProvider({
  processors: [new BatchLogRecordProcessor({ exporter, maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1000 })],
});
logs.setGlobalLoggerProvider(provider);

const inst = new PinoInstrumentation();
registerInstrumentations({ instrumentations: [inst], loggerProvider: provider });
const pinoVaOtel = req('pino') as PinoFactory;
if (pinoVaOtel === pinoThuan) throw new Error('instrumentation-pino did not patch pino: the anchor would be dishonest');

const ours = new LoggerCauTruc({ ten: 'bench', output: sinkRong(), otel: false });
const oursOtel = new LoggerCauTruc({ ten: 'bench', output: sinkRong() });
const p = pinoThuan({ name: 'bench' }, sinkRong());
const pOtel = pinoVaOtel({ name: 'bench' }, sinkRong());
const w = winston.createLogger({
  level: 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Stream({ stream: sinkRong() })],
});
const rawSink = sinkRong();
const otelRaw = logs.getLogger('raw-bench');

const nhuong = (): Promise<void> => new Promise((r) => setImmediate(r));
const lo = (f: (i: number) => void) => async (): Promise<void> => {
  for (let i = 0; i < LO; i++) f(i);
  await nhuong();
};

const b = new BangDo('logger');
b.them_async('raw JSON.stringify+write', lo((i) => {
  rawSink.write(`${JSON.stringify({ time: Date.now(), level: 'INFO', msg: 'request handled', user_id: 'u123', latency_ms: 12.5, n: i })}\n`);
}));
b.them_async('LoggerCauTruc', lo((i) => ours.info('request handled', { user_id: 'u123', latency_ms: 12.5, n: i })));
b.them_async('pino', lo((i) => p.info({ user_id: 'u123', latency_ms: 12.5, n: i }, 'request handled')));
b.them_async('winston', lo((i) => w.info('request handled', { user_id: 'u123', latency_ms: 12.5, n: i })));
b.them_async('raw line + OTel emit', lo((i) => {
  rawSink.write(`${JSON.stringify({ time: Date.now(), level: 'INFO', msg: 'request handled', user_id: 'u123', latency_ms: 12.5, n: i })}\n`);
  otelRaw.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'request handled', attributes: { user_id: 'u123', latency_ms: 12.5, n: i } });
}));
b.them_async('LoggerCauTruc + OTel', lo((i) => oursOtel.info('request handled', { user_id: 'u123', latency_ms: 12.5, n: i })));
b.them_async('pino + instrumentation-pino', lo((i) => pOtel.info({ user_id: 'u123', latency_ms: 12.5, n: i }, 'request handled')));

const VONG = 9;
const LAN = 200;
await b.chay({ vong: VONG, lan: LAN, khoi_dong: 100 });
await provider.forceFlush();

// Per-line figures (the harness measured per burst of LO lines).
for (const ten of ['raw JSON.stringify+write', 'LoggerCauTruc', 'pino', 'winston', 'raw line + OTel emit', 'LoggerCauTruc + OTel', 'pino + instrumentation-pino']) {
  b.them_ket_qua(`${ten} (per line)`, b.ns(ten) / LO);
}
const r1 = b.ns('pino') / b.ns('LoggerCauTruc');
const r2 = b.ns('pino + instrumentation-pino') / b.ns('LoggerCauTruc + OTel');
b.ty_le('LoggerCauTruc cost vs pino (<= 1.0 means >= 1.0x pino lines/s)', 'LoggerCauTruc', 'pino', '<= 1.0');
b.ty_le('LoggerCauTruc+OTel cost vs pino+instrumentation-pino (<= 0.5 means >= 2.0x lines/s)', 'LoggerCauTruc + OTel', 'pino + instrumentation-pino', '<= 0.5');
b.ghi_chu.push(`throughput: LoggerCauTruc = ${r1.toFixed(2)}x pino lines/s (bar >= 1.0x); with OTel = ${r2.toFixed(2)}x pino+instrumentation-pino (bar >= 2.0x)`);

// Honesty of the OTel anchors: every emitted record was exported, none dropped.
const soLan = (VONG * LAN + 100) * LO;
for (const [scope, n] of exporter.theo_scope) b.ghi_chu.push(`OTel records exported for scope ${scope}: ${n} (emitted ${soLan})`);
const cuaTa = exporter.theo_scope.get('vietnamese-ai-otel') ?? 0;
const cuaPino = exporter.theo_scope.get('@opentelemetry/instrumentation-pino') ?? 0;
boQua = soLan - cuaPino;
if (cuaTa !== soLan || cuaPino !== soLan) {
  b.ghi_chu.push(`WARNING: exported counts differ from emitted (ours ${cuaTa}, pino ${cuaPino}, expected ${soLan}); pino lost ${boQua}`);
}
const tk = oursOtel.thong_ke();
b.ghi_chu.push(`LoggerCauTruc dropped lines: ${tk.tong_bi_bo}`);
b.in();
await provider.shutdown();
