/**
 * `ExportLogsServiceRequest` in protobuf from the SDK's log records
 * (logs.proto), byte for byte what OTel's `ProtobufLogsSerializer` writes,
 * in one pass (see ./writer.ts for why it is faster).
 */
import { SeverityNumber } from '@opentelemetry/api';
import type { ISerializer } from '@opentelemetry/otlp-transformer';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { requestSerializer, writeAnyValue, writeAttributes } from './common.js';
import type { ProtoWriter } from './writer.js';

/**
 * `LogRecord`: 1 time, 2 severity_number (left out when unspecified),
 * 3 severity_text, 5 body, 6 attributes, 7 dropped_attributes_count,
 * 8 flags, 9 trace_id, 10 span_id, 11 observed_time, 12 event_name.
 */
function writeLogRecord(w: ProtoWriter, record: ReadableLogRecord): void {
  const at = w.begin();
  w.tag(1, 1);
  w.hrTime(record.hrTime);
  if (record.severityNumber !== undefined && record.severityNumber !== SeverityNumber.UNSPECIFIED) {
    w.tag(2, 0);
    w.varint(record.severityNumber);
  }
  if (record.severityText) {
    w.tag(3, 2);
    w.string(record.severityText);
  }
  if (record.body !== undefined) {
    w.tag(5, 2);
    const body = w.begin();
    writeAnyValue(w, record.body);
    w.end(body);
  }
  if (record.attributes) writeAttributes(w, record.attributes, 6);
  w.tag(7, 0);
  w.varint(record.droppedAttributesCount);
  const ctx = record.spanContext;
  if (ctx?.traceFlags) {
    w.tag(8, 5);
    w.fixed32(ctx.traceFlags);
  }
  if (ctx?.traceId) {
    w.tag(9, 2);
    w.hexBytes(ctx.traceId);
  }
  if (ctx?.spanId) {
    w.tag(10, 2);
    w.hexBytes(ctx.spanId);
  }
  w.tag(11, 1);
  w.hrTime(record.hrTimeObserved);
  if (record.eventName) {
    w.tag(12, 2);
    w.string(record.eventName);
  }
  w.end(at);
}

/** OTel's serializer interface: requests written here, responses read by OTel. */
export const LogProtobufSerializer: ISerializer<ReadableLogRecord[], unknown> = requestSerializer(writeLogRecord, (r) => ProtobufLogsSerializer.deserializeResponse(r));

/** The logs request's bytes. */
export const serializeLogRecords = (records: readonly ReadableLogRecord[]): Uint8Array => LogProtobufSerializer.serializeRequest(records as ReadableLogRecord[]) as Uint8Array;
