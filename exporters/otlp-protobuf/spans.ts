/**
 * `ExportTraceServiceRequest` in protobuf from the SDK's finished spans
 * (trace.proto), byte for byte what OTel's `ProtobufTraceSerializer` writes,
 * in one pass (see ./writer.ts for why it is faster).
 */
import type { Link, SpanContext } from '@opentelemetry/api';
import type { ISerializer } from '@opentelemetry/otlp-transformer';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { requestSerializer, writeAttributes } from './common.js';
import type { ProtoWriter } from './writer.js';

/** `Span.flags`: the trace flags, "has is_remote" (0x100), and is_remote (0x200). */
function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);
}

/** Fields 1 trace_id, 2 span_id, 3 trace_state (when not empty): the same in `Span` and `Span.Link`. */
function writeIds(w: ProtoWriter, ctx: SpanContext): void {
  w.tag(1, 2);
  w.hexBytes(ctx.traceId);
  w.tag(2, 2);
  w.hexBytes(ctx.spanId);
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.tag(3, 2);
    w.string(traceState);
  }
}

/** `Span.Event`: 1 time, 2 name, 3 attributes, 4 dropped_attributes_count. */
function writeEvent(w: ProtoWriter, event: TimedEvent): void {
  const at = w.begin();
  w.tag(1, 1);
  w.hrTime(event.time);
  w.tag(2, 2);
  w.string(event.name);
  if (event.attributes) writeAttributes(w, event.attributes, 3);
  w.tag(4, 0);
  w.varint(event.droppedAttributesCount || 0);
  w.end(at);
}

/** `Span.Link`: 1 trace_id, 2 span_id, 3 trace_state, 4 attributes, 5 dropped_attributes_count, 6 flags. */
function writeLink(w: ProtoWriter, link: Link): void {
  const at = w.begin();
  const ctx = link.context;
  writeIds(w, ctx);
  if (link.attributes) writeAttributes(w, link.attributes, 4);
  w.tag(5, 0);
  w.varint(link.droppedAttributesCount || 0);
  w.tag(6, 5);
  w.fixed32(spanFlags(ctx.traceFlags, ctx.isRemote));
  w.end(at);
}

/**
 * `Span`: 1 trace_id, 2 span_id, 3 trace_state, 4 parent_span_id, 5 name,
 * 6 kind (API kind + 1, left out when unspecified), 7 start, 8 end,
 * 9 attributes, 10 dropped_attributes_count, 11 events,
 * 12 dropped_events_count, 13 links, 14 dropped_links_count, 15 status
 * (2 message, 3 code), 16 flags.
 */
function writeSpan(w: ProtoWriter, span: ReadableSpan): void {
  const at = w.begin();
  const ctx = span.spanContext();
  writeIds(w, ctx);
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.tag(4, 2);
    w.hexBytes(parent.spanId);
  }
  w.tag(5, 2);
  w.string(span.name);
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    w.tag(6, 0);
    w.varint(kind);
  }
  w.tag(7, 1);
  w.hrTime(span.startTime);
  w.tag(8, 1);
  w.hrTime(span.endTime);
  if (span.attributes) writeAttributes(w, span.attributes, 9);
  w.tag(10, 0);
  w.varint(span.droppedAttributesCount);
  for (const event of span.events) {
    w.tag(11, 2);
    writeEvent(w, event);
  }
  w.tag(12, 0);
  w.varint(span.droppedEventsCount);
  for (const link of span.links) {
    w.tag(13, 2);
    writeLink(w, link);
  }
  w.tag(14, 0);
  w.varint(span.droppedLinksCount);
  w.tag(15, 2);
  const status = w.begin();
  if (span.status.message) {
    w.tag(2, 2);
    w.string(span.status.message);
  }
  w.tag(3, 0);
  w.varint(span.status.code);
  w.end(status);
  w.tag(16, 5);
  w.fixed32(spanFlags(ctx.traceFlags, parent?.isRemote));
  w.end(at);
}

/** OTel's serializer interface: requests written here, responses read by OTel. */
export const SpanProtobufSerializer: ISerializer<ReadableSpan[], unknown> = requestSerializer(writeSpan, (r) => ProtobufTraceSerializer.deserializeResponse(r));

/** The trace request's bytes. */
export const serializeSpans = (spans: readonly ReadableSpan[]): Uint8Array => SpanProtobufSerializer.serializeRequest(spans as ReadableSpan[]) as Uint8Array;
