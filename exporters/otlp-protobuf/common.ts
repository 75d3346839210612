/**
 * The OTLP messages spans and log records share (common.proto and
 * resource.proto): attributes as `KeyValue`s, `AnyValue`, `Resource`,
 * `InstrumentationScope`, and the grouping of a batch by resource and scope.
 * Field numbers are the proto's; the comments name them.
 */
import type { Attributes } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ISerializer } from '@opentelemetry/otlp-transformer';
import { ProtoWriter } from './writer.js';

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
const hasOwn = Object.prototype.hasOwnProperty;

/** Repeated `KeyValue` at `field` (own enumerable keys, in their order). */
export function writeAttributes(w: ProtoWriter, attributes: Attributes, field: number): void {
  for (const key in attributes) {
    if (!hasOwn.call(attributes, key)) continue;
    w.tag(field, 2);
    writeKeyValue(w, key, attributes[key]);
  }
}

/** `KeyValue`: 1 key, 2 value (an empty AnyValue for a value it cannot hold, as OTel writes it). */
function writeKeyValue(w: ProtoWriter, key: string, value: unknown): void {
  const kv = w.begin();
  w.tag(1, 2);
  w.string(key);
  w.tag(2, 2);
  const v = w.begin();
  writeAnyValue(w, value);
  w.end(v);
  w.end(kv);
}

/**
 * The fields of an `AnyValue`: 1 string, 2 bool, 3 int (an integer within
 * int64), 4 double, 5 array, 6 kvlist (a plain object), 7 bytes. Anything
 * else (undefined, null, a function, a bigint) writes nothing.
 */
export function writeAnyValue(w: ProtoWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.tag(1, 2);
      w.string(value);
      return;
    case 'boolean':
      w.tag(2, 0);
      w.varint(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.tag(3, 0);
        w.varint(value);
      } else {
        w.tag(4, 1);
        w.double(value);
      }
      return;
    case 'object':
      if (value === null) return;
      if (value instanceof Uint8Array) {
        w.tag(7, 2);
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.tag(5, 2);
        const list = w.begin();
        for (const item of value as unknown[]) {
          w.tag(1, 2);
          const v = w.begin();
          writeAnyValue(w, item);
          w.end(v);
        }
        w.end(list);
      } else {
        w.tag(6, 2);
        const list = w.begin();
        writeAttributes(w, value as Attributes, 1);
        w.end(list);
      }
      return;
    default:
  }
}

/** `Resource` at `field`: 1 attributes, 2 dropped_attributes_count (0). */
function writeResource(w: ProtoWriter, resource: Resource, field: number): void {
  w.tag(field, 2);
  const at = w.begin();
  const attributes = resource.attributes;
  if (attributes) writeAttributes(w, attributes, 1);
  w.tag(2, 0);
  w.varint(0);
  w.end(at);
}

/** `InstrumentationScope` at `field`: 1 name, 2 version, 3 attributes, 4 dropped_attributes_count. */
function writeScope(w: ProtoWriter, scope: InstrumentationScope & { attributes?: Attributes; droppedAttributesCount?: number }, field: number): void {
  w.tag(field, 2);
  const at = w.begin();
  w.tag(1, 2);
  w.string(scope.name);
  if (scope.version) {
    w.tag(2, 2);
    w.string(scope.version);
  }
  if (scope.attributes) writeAttributes(w, scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    w.tag(4, 0);
    w.varint(scope.droppedAttributesCount);
  }
  w.end(at);
}

/** What a span or a log record is grouped by. */
export interface Scoped {
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
}

/** Items by resource, then by scope (by identity, in order of first appearance). */
function groupByResourceAndScope<T extends Scoped>(items: readonly T[]): Map<Resource, Map<InstrumentationScope, T[]>> {
  const byResource = new Map<Resource, Map<InstrumentationScope, T[]>>();
  for (const item of items) {
    let byScope = byResource.get(item.resource);
    if (byScope === undefined) byResource.set(item.resource, (byScope = new Map()));
    const list = byScope.get(item.instrumentationScope);
    if (list === undefined) byScope.set(item.instrumentationScope, [item]);
    else list.push(item);
  }
  return byResource;
}

/**
 * A whole export request: field 1 of the service request, one
 * `Resource{Spans,Logs}` per resource (1 resource, 2 one scope's items each,
 * 3 schema_url), and in each scope's message 1 scope, 2 the items, 3
 * schema_url.
 */
function writeRequest<T extends Scoped>(w: ProtoWriter, items: readonly T[], writeItem: (w: ProtoWriter, item: T) => void): Uint8Array {
  w.reset();
  for (const [resource, byScope] of groupByResourceAndScope(items)) {
    w.tag(1, 2);
    const r = w.begin();
    writeResource(w, resource, 1);
    for (const list of byScope.values()) {
      w.tag(2, 2);
      const s = w.begin();
      const scope = (list[0] as T).instrumentationScope;
      writeScope(w, scope, 1);
      for (const item of list) {
        w.tag(2, 2);
        writeItem(w, item);
      }
      if (scope.schemaUrl) {
        w.tag(3, 2);
        w.string(scope.schemaUrl);
      }
      w.end(s);
    }
    if (resource.schemaUrl) {
      w.tag(3, 2);
      w.string(resource.schemaUrl);
    }
    w.end(r);
  }
  return w.finish();
}

/**
 * A signal's serializer for OTel's exporter: requests written with its own
 * writer (serialization is synchronous, so one request at a time), responses
 * read by `deserialize` (OTel's). A request serialized from inside another
 * (a TraceState's serialize() or an attribute getter that exports) gets a
 * writer of its own, so the outer one's bytes stay intact.
 */
export function requestSerializer<T extends Scoped>(writeItem: (w: ProtoWriter, item: T) => void, deserialize: (r: Uint8Array) => unknown): ISerializer<T[], unknown> {
  const writer = new ProtoWriter();
  let busy = false;
  return {
    serializeRequest(items) {
      if (busy) return writeRequest(new ProtoWriter(), items, writeItem);
      busy = true;
      try {
        return writeRequest(writer, items, writeItem);
      } finally {
        busy = false;
      }
    },
    deserializeResponse: deserialize,
  };
}
