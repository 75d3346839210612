/**
 * OTLP protobuf request serialization, this project's one-pass writer
 * (exporters/otlp-protobuf) against OTel's `ProtobufTraceSerializer` and
 * `ProtobufLogsSerializer` (the anchors), on the same batches: 512 SERVER
 * spans with the demo's 11 HTTP attributes (OTel's batch size), and 512 log
 * records like the logger's access log (a string body, 8 attributes, a
 * trace context). Reported per item (one op = one whole batch / 512).
 */
import { context, ROOT_CONTEXT, SeverityNumber, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { LoggerProvider, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { serializeLogRecords } from '../exporters/otlp-protobuf/logs.js';
import { serializeSpans } from '../exporters/otlp-protobuf/spans.js';
import { BangDo } from './lib.js';

const BATCH = 512;
const spans: ReadableSpan[] = [];
const tracer = new TracerProvider({ spanProcessors: [{ onStart() {}, onEnd: (s) => void spans.push(s), forceFlush: async () => {}, shutdown: async () => {} }] }).getTracer('vietnamese-ai-otel/http-tracing/http', '1.0.0');
for (let i = 0; i < BATCH; i++) {
  const s = tracer.startSpan('POST /predict', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'POST', 'url.scheme': 'http', 'server.address': '127.0.0.1', 'server.port': 8080, 'network.peer.address': '127.0.0.1', 'network.peer.port': 50_000 + i, 'network.protocol.version': '1.1', 'user_agent.original': 'autocannon', 'url.path': '/predict', 'http.route': '/predict' },
  });
  s.setAttribute('http.response.status_code', 200);
  s.end();
}
const records: ReadableLogRecord[] = [];
const logger = new LoggerProvider({ processors: [{ onEmit: (r) => void records.push(r as ReadableLogRecord), forceFlush: async () => {}, shutdown: async () => {} }] }).getLogger('vnai-model', '1.0.0');
const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
context.with(parent, () => {
  for (let i = 0; i < BATCH; i++) {
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'request served', attributes: { 'http.request.method': 'POST', 'url.path': '/predict', 'http.response.status_code': 200, duration_ms: 3.25 + i / 100, request_id: `req-${i}`, dich_vu: 'vnai-model', logger: 'vnai-model', 'client.address': '127.0.0.1' } });
  }
});

const b = new BangDo('otlp');
b.them('spans: this project (one pass)', () => serializeSpans(spans), 40);
b.them('spans: OTel ProtobufTraceSerializer', () => ProtobufTraceSerializer.serializeRequest(spans), 40);
b.them('log records: this project (one pass)', () => serializeLogRecords(records), 40);
b.them('log records: OTel ProtobufLogsSerializer', () => ProtobufLogsSerializer.serializeRequest(records), 40);
await b.chay({ vong: 9, lan: 40 });
b.ty_le('spans: ours vs OTel', 'spans: this project (one pass)', 'spans: OTel ProtobufTraceSerializer', '<= 0.7');
b.ty_le('log records: ours vs OTel', 'log records: this project (one pass)', 'log records: OTel ProtobufLogsSerializer', '<= 0.7');
b.ghi_chu.push(`ns/op is one batch of ${BATCH} items; per item, divide by ${BATCH}`);
b.in();
