import { crc32, deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';

/**
 * Stand-in for Meta's lookaside CDN (docs/platform.md#messages-field): attachment URLs in simulated
 * webhooks point here so sandbox mode can show real pictures without touching the internet.
 * Every asset id gets its own colour; the content type follows the attachment type, since the
 * CDN's Content-Type is what clients should trust.
 */
export function cdnAsset(assetId: string, type: string): { contentType: string; body: Buffer } {
  if (type === 'video')
    return {
      contentType: 'video/mp4',
      body: Buffer.from('\0\0\0\x18ftypmp42\0\0\0\0mp42isom', 'latin1'),
    };
  if (type === 'audio')
    return {
      contentType: 'audio/mp4',
      body: Buffer.from('\0\0\0\x18ftypM4A \0\0\0\0M4A isom', 'latin1'),
    };
  if (type === 'file')
    return { contentType: 'application/pdf', body: Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1') };
  return { contentType: 'image/png', body: solidPng(assetId) };
}

/** A 64×64 single-colour PNG whose colour is derived from the asset id. */
function solidPng(seed: string): Buffer {
  const [r, g, b] = createHash('sha256').update(seed).digest();
  const size = 64;
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) row.set([r ?? 0, g ?? 0, b ?? 0], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}
