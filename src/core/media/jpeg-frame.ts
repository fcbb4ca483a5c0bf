/**
 * Which kind of JPEG frame a file declares, read from its first start-of-frame marker (ITU-T T.81
 * table B.1: SOF0 baseline; SOF1 extended sequential; SOF2 progressive; SOF3 lossless; SOF5-7
 * hierarchical; SOF9-15 arithmetic coded). Walks the marker segments from SOI without decoding the
 * image; undefined when no frame header comes before the data ends (a truncated or damaged file).
 */
export type JpegFrame = 'baseline' | 'extended' | 'progressive' | 'lossless' | 'hierarchical' | 'arithmetic';

export function jpegFrameOf(bytes: Uint8Array): JpegFrame | undefined {
  let offset = 2; // past SOI (FF D8)
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte before a marker
      continue;
    }
    // Markers without a length: TEM and RST0-7; SOS/EOI before a frame header means no frame.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    const frame = frameOf(marker);
    if (frame !== undefined) return frame;
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (length < 2) return undefined;
    offset += 2 + length;
  }
  return undefined;
}

function frameOf(marker: number): JpegFrame | undefined {
  // C4 (DHT), C8 (JPG extension) and CC (DAC) sit in the SOF range but are not frame headers.
  if (marker < 0xc0 || marker > 0xcf || marker === 0xc4 || marker === 0xc8 || marker === 0xcc)
    return undefined;
  if (marker === 0xc0) return 'baseline';
  if (marker === 0xc1) return 'extended';
  if (marker === 0xc2) return 'progressive';
  if (marker === 0xc3) return 'lossless';
  if (marker >= 0xc5 && marker <= 0xc7) return 'hierarchical';
  return 'arithmetic';
}
