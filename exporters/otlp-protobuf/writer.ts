/**
 * The protobuf writer behind this project's OTLP span and log serializers.
 *
 * Why not OTel's `ProtobufWriter`: OTel serializes every request twice (a
 * size-estimating pass, then the writing pass), allocates a `Uint8Array` for
 * every trace and span id it converts from hex, and goes through a method
 * call and a capacity check per byte group. This writer makes one pass into a
 * scratch buffer that is kept between requests (grown on demand, released
 * when a request made it larger than {@link KEEP_BYTES}), writes hex ids and
 * ASCII strings straight into it, and copies the finished request out once.
 *
 * The bytes are the same as OTel's, field for field (minimal varints,
 * fields in the same order): `test/exporters/otlp-protobuf.test.ts` holds
 * both serializers equal on randomized spans and log records. A
 * length-delimited field reserves one byte for its length and moves its body
 * when the length needs more, as OTel's writer does.
 */

/** The scratch buffer's first size and the most it keeps between requests. */
const FIRST_BYTES = 64 * 1024;
const KEEP_BYTES = 4 * 1024 * 1024;
/** Strings up to this length are copied char by char (a native UTF-8 write costs more below it). */
const SHORT_STRING = 48;

const TWO_32 = 4294967296;

/** The number of bytes of `v`'s varint (v a non-negative integer below 2^53, or negative: 10). */
function varintSize(v: number): number {
  if (v < 0) return 10;
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 5;
  for (let x = Math.floor(v / 0x800000000); x > 0; x = Math.floor(x / 128)) n++;
  return n;
}

/** The value of one hex digit ('0'-'9', 'a'-'f', 'A'-'F'), as OTel's hexToBinary reads it. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return c - 55;
}

/** What OTel's writer makes of a string field that holds no string (see ProtoWriter.string). */
function nonString(value: unknown): string {
  if (value instanceof String) return value.valueOf();
  void (value as { length: unknown }).length; // null and undefined throw here, as in OTel
  return '';
}

export class ProtoWriter {
  private buf: Buffer = Buffer.allocUnsafeSlow(FIRST_BYTES);
  private pos = 0;

  /**
   * Starts a request: the writer is reused, one request at a time. A request
   * that threw half-way never reached finish(), so an oversized scratch
   * buffer is released here too.
   */
  reset(): void {
    this.pos = 0;
    if (this.buf.length > KEEP_BYTES) this.buf = Buffer.allocUnsafeSlow(FIRST_BYTES);
  }

  /** A copy of the request's bytes; then reset(), so a request that grew the buffer past {@link KEEP_BYTES} does not keep it. */
  finish(): Uint8Array {
    // Not zero-filled: every byte is copied over at once.
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.reset();
    return out;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`ProtoWriter: cannot make room for ${n} bytes`);
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A field key: `field << 3 | wireType` (field numbers here are below 16, so one byte; two from 16). */
  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** A varint; a negative integer is its 64-bit two's complement (10 bytes), as protobuf's int64. */
  varint(value: number): void {
    this.ensure(10);
    if (value >= 0 && value <= 0xffffffff) {
      this.pos = this.uint32At(this.pos, value >>> 0);
      return;
    }
    const b = this.buf;
    let p = this.pos;
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value >>> 0;
      high = (value / TWO_32) >>> 0;
    } else {
      const abs = Math.abs(value);
      low = ~(abs >>> 0) >>> 0;
      high = ~((abs / TWO_32) >>> 0) >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 127) {
      b[p++] = (low & 127) | 128;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    b[p++] = low & 127;
    this.pos = p;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    const b = this.buf;
    b.writeUInt32LE(low >>> 0, this.pos);
    b.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /**
   * An HrTime ([seconds, nanoseconds]) as fixed64 nanoseconds. Seconds times
   * 1e9 passes 2^53, so the product is built from the seconds' low 16 bits and
   * the rest, each product exact, as OTel's writeHrTimeAsFixed64 does.
   */
  hrTime(t: readonly [number, number]): void {
    const seconds = t[0];
    const nanos = t[1];
    const fromLow = (seconds & 0xffff) * 1e9;
    const fromHigh = ((seconds / 0x10000) >>> 0) * 1e9;
    const low = (fromLow >>> 0) + (((fromHigh & 0xffff) * 0x10000) >>> 0) + nanos;
    const high = Math.floor(fromLow / TWO_32) + ((fromHigh / 0x10000) >>> 0) + Math.floor(low / TWO_32);
    this.fixed64(low >>> 0, high >>> 0);
  }

  /** Length-delimited bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.raw(value);
  }

  /** Bytes copied as they are (already encoded fields). */
  raw(value: Uint8Array): void {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** A hex id (trace or span id) as length-delimited bytes, written without an intermediate array. */
  hexBytes(hex: string): void {
    const n = hex.length >>> 1;
    this.varint(n);
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = ((hexDigit(hex.charCodeAt(2 * i)) << 4) | hexDigit(hex.charCodeAt(2 * i + 1))) & 0xff;
    this.pos = p;
  }

  /**
   * A length-delimited UTF-8 string (lone surrogates become U+FFFD, as with
   * TextEncoder). The SDK passes a span or event name, a scope version or a
   * log's severity text through as the caller gave it: a String object is
   * written as its text, and anything else that is not a string (a number,
   * a boolean, an object) as an empty string, as OTel's writer does (it reads
   * an absent `length`); null and undefined throw in both.
   */
  string(value: string): void {
    const s = typeof value === 'string' ? value : nonString(value);
    const len = s.length;
    if (len <= SHORT_STRING) {
      // ASCII (the common case for keys and values): the length is known before the bytes.
      this.ensure(len + 1);
      const b = this.buf;
      const start = this.pos;
      let p = start + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c > 127) break;
        b[p++] = c;
      }
      if (i === len) {
        b[start] = len;
        this.pos = p;
        return;
      }
    }
    // Longer or not ASCII: reserve the longest length prefix, write natively, then close the gap.
    const most = len * 3;
    const reserved = varintSize(most);
    this.ensure(reserved + most);
    const start = this.pos;
    const written = this.buf.write(s, start + reserved, most, 'utf8');
    const need = varintSize(written);
    if (need !== reserved) this.buf.copyWithin(start + need, start + reserved, start + reserved + written);
    this.uint32At(start, written);
    this.pos = start + need + written;
  }

  /** Opens a length-delimited field (its tag already written): returns where its length goes. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Closes the field `begin()` opened: writes its length, moving the body when it needs more than one byte. */
  end(start: number): void {
    const length = this.pos - start - 1;
    if (length < 128) {
      this.buf[start] = length;
      return;
    }
    const need = varintSize(length);
    this.ensure(need - 1);
    this.buf.copyWithin(start + need, start + 1, this.pos);
    this.pos += need - 1;
    this.uint32At(start, length);
  }

  /** The varint of `v` (below 2^32) at `at`, room already made; returns the index after it. */
  private uint32At(at: number, v: number): number {
    const b = this.buf;
    while (v > 127) {
      b[at++] = (v & 127) | 128;
      v >>>= 7;
    }
    b[at++] = v;
    return at;
  }
}
