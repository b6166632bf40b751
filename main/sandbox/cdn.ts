import { crc32, deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { SAMPLE_VIDEO_WEBM_BASE64 } from './sample-video';

/**
 * Stand-in for Meta's lookaside CDN (docs/platform.md#messages-field): attachment URLs in simulated
 * webhooks point here so sandbox mode can show real pictures without touching the internet.
 * Pictures are drawn per asset id (colours and shape from the id, so each looks different) in the
 * aspect ratios phones produce: landscape, portrait, square, and 9:16 for stories. Voice notes are
 * a short synthesized WAV; videos a two-second clip. The content type follows the attachment type,
 * since the CDN's Content-Type is what clients should trust.
 */
/**
 * Asset ids the CDN refuses as it refuses a link whose signature expired (403): what a client
 * meets with an old profile picture or story link (docs/platform.md#messages-field).
 */
export const EXPIRED_ASSET_PREFIX = 'expired-';

export function cdnAsset(assetId: string, type: string): { contentType: string; body: Buffer } {
  if (type === 'video')
    return { contentType: 'video/webm', body: Buffer.from(SAMPLE_VIDEO_WEBM_BASE64, 'base64') };
  if (type === 'audio') return { contentType: 'audio/wav', body: voiceNote(assetId) };
  if (type === 'file')
    return { contentType: 'application/pdf', body: Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1') };
  return { contentType: 'image/png', body: samplePicture(assetId) };
}

const SHAPES: readonly (readonly [number, number])[] = [
  [320, 240], // landscape 4:3
  [240, 320], // portrait 3:4
  [288, 288], // square
];
const STORY: readonly [number, number] = [180, 320]; // 9:16

/** The size of the picture `samplePicture(seed)` draws, as Graph reports it beside the URL. */
export function samplePictureSize(seed: string): { width: number; height: number } {
  const shape = seed.endsWith('-story')
    ? STORY
    : (SHAPES[(createHash('sha256').update(seed).digest()[9] ?? 0) % SHAPES.length] ?? STORY);
  return { width: shape[0], height: shape[1] };
}

/** A gradient with a soft round "product" in the middle: a few KB of PNG. */
export function samplePicture(seed: string): Buffer {
  const digest = createHash('sha256').update(seed).digest();
  const byte = (i: number) => digest[i] ?? 0;
  const { width, height } = samplePictureSize(seed);
  const top = [byte(0), byte(1), byte(2)];
  const bottom = [byte(3), byte(4), byte(5)];
  const spot = [byte(6), byte(7), byte(8)].map((c) => 128 + (c >> 1));
  const radius = Math.min(width, height) * 0.28;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0, then RGB
    const mix = y / (height - 1);
    for (let x = 0; x < width; x++) {
      const distance = Math.hypot(x - width / 2, y - height * 0.55);
      // 1 inside the spot, fading to 0 over 6 px at its edge.
      const inSpot = Math.max(0, Math.min(1, (radius - distance) / 6));
      for (let c = 0; c < 3; c++) {
        const background = (top[c] ?? 0) * (1 - mix) + (bottom[c] ?? 0) * mix;
        row[1 + x * 3 + c] = Math.round(background * (1 - inSpot) + (spot[c] ?? 0) * inSpot);
      }
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
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

const SAMPLE_RATE = 8000;

/**
 * About two seconds of voice-like sound (a low, gliding tone in syllable-sized bursts) as 16-bit
 * mono WAV, pitched per asset id: a player shows a real duration and plays something.
 */
export function voiceNote(seed: string): Buffer {
  const pitch = 140 + ((createHash('sha256').update(seed).digest()[0] ?? 0) % 80);
  const samples = Math.round(SAMPLE_RATE * 2.2);
  const data = Buffer.alloc(samples * 2);
  let phase = 0;
  for (let i = 0; i < samples; i++) {
    const t = i / SAMPLE_RATE;
    const syllable = Math.max(0, Math.sin(Math.PI * t * 3.6)) ** 2; // bursts, silence between
    phase += (2 * Math.PI * pitch * (1 + 0.08 * Math.sin(2 * Math.PI * t))) / SAMPLE_RATE;
    const tone = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase);
    data.writeInt16LE(Math.round(tone * syllable * 9000), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16); // PCM format chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per frame
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
