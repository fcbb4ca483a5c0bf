/**
 * A JPEG of an exact byte size and declared dimensions, for the MMS image checks: SOI, a JFIF APP0,
 * COM segments padding it to size, the frame header (SOF0 baseline by default), a minimal scan and
 * EOI. Not a decodable picture (herald never decodes: it reads markers and the frame header, as the
 * vendors' checks do), which keeps the tests free of an image encoder.
 */
export interface JpegShape {
  readonly width: number;
  readonly height: number;
  /** Total size in bytes; at least 64. */
  readonly bytes: number;
  /** The SOF marker's second byte: 0xc0 baseline (default), 0xc2 progressive... */
  readonly sofMarker?: number;
}

export function makeJpeg(shape: JpegShape): Uint8Array {
  const head = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00];
  head.push(0x00, 0x01, 0x00, 0x01, 0x00, 0x00);
  const sof = [0xff, shape.sofMarker ?? 0xc0, 0x00, 0x0b, 0x08];
  sof.push(shape.height >> 8, shape.height & 0xff, shape.width >> 8, shape.width & 0xff);
  sof.push(0x01, 0x01, 0x11, 0x00);
  const scan = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x00, 0xff, 0xd9];
  let padding = shape.bytes - head.length - sof.length - scan.length;
  if (padding < 0 || padding === 1 || padding === 2 || padding === 3) throw new Error('too small a JPEG');
  const out = new Uint8Array(shape.bytes);
  out.set(head, 0);
  let offset = head.length;
  while (padding > 0) {
    // A COM segment: FF FE, a 2-byte length (itself included), at most 65535.
    let length = Math.min(padding - 2, 65_535);
    if (padding - (length + 2) > 0 && padding - (length + 2) < 4) length -= 4;
    out.set([0xff, 0xfe, length >> 8, length & 0xff], offset);
    out.fill(0x20, offset + 4, offset + 2 + length);
    offset += 2 + length;
    padding -= 2 + length;
  }
  out.set(sof, offset);
  out.set(scan, offset + sof.length);
  return out;
}
