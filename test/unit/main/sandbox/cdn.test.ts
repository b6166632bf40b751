import { describe, expect, it } from 'vitest';
import { cdnAsset } from '../../../../main/sandbox/cdn';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(body: Buffer): { width: number; height: number } {
  expect(body.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: body.readUInt32BE(16), height: body.readUInt32BE(20) };
}

describe('the sandbox CDN', () => {
  it('draws pictures in the aspect ratios phones produce, differently per asset, a few KB each', () => {
    const shapes = new Set<string>();
    const bodies = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const { contentType, body } = cdnAsset(`mid-${i}`, 'image');
      expect(contentType).toBe('image/png');
      expect(body.length).toBeLessThan(60_000);
      const { width, height } = pngSize(body);
      shapes.add(`${width}x${height}`);
      bodies.add(body.toString('base64'));
    }
    expect(shapes).toEqual(new Set(['320x240', '240x320', '288x288']));
    expect(bodies.size).toBe(12);
    expect(pngSize(cdnAsset('mid-1-story', 'image').body)).toEqual({ width: 180, height: 320 });
  });

  it('serves the same bytes for the same asset, as a CDN would', () => {
    expect(cdnAsset('mid-7', 'image').body.equals(cdnAsset('mid-7', 'image').body)).toBe(true);
  });

  it('serves a voice note as a playable WAV of about two seconds', () => {
    const { contentType, body } = cdnAsset('mid-3', 'audio');
    expect(contentType).toBe('audio/wav');
    expect(body.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(body.subarray(8, 12).toString('latin1')).toBe('WAVE');
    const bytesPerSecond = body.readUInt32LE(28);
    const dataBytes = body.readUInt32LE(40);
    expect(dataBytes / bytesPerSecond).toBeCloseTo(2.2, 1);
    expect(body.length).toBe(44 + dataBytes);
    // Not silence: the samples move.
    expect(
      Math.max(...Array.from({ length: 2000 }, (_, i) => body.readInt16LE(44 + 4000 + i * 2))),
    ).toBeGreaterThan(1000);
  });

  it('serves a video as WebM', () => {
    const { contentType, body } = cdnAsset('mid-4', 'video');
    expect(contentType).toBe('video/webm');
    expect(body.subarray(0, 4).toString('hex')).toBe('1a45dfa3'); // EBML magic
    expect(body.length).toBeGreaterThan(5_000);
  });
});
