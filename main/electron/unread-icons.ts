/**
 * The tray and taskbar-overlay icons, drawn in code as raw premultiplied BGRA bitmaps (what Electron's
 * `nativeImage.createFromBitmap` takes), so they ship inside the bundled main process with no
 * asset to package or lose. Plain pixel arithmetic, no Electron import: tested on its own.
 */

type Rgb = readonly [red: number, green: number, blue: number];
/** A filled disc: centre and radius in pixels of the final image. */
type Disc = { x: number; y: number; radius: number; color: Rgb };

const ACCENT: Rgb = [0x2f, 0x5f, 0xd0]; // Inlet's blue
const WHITE: Rgb = [0xff, 0xff, 0xff];
const ALERT: Rgb = [0xd9, 0x30, 0x25]; // the red of an unread dot

/** Pixels drawn per side; the images are marked as 2x, so they show as 16×16 and stay sharp. */
export const ICON_PIXELS = 32;
export const ICON_SCALE = 2;

/** The tray icon: a blue ring (an inlet), with a red dot at the top right when there is unread. */
export function trayIconBitmap(hasUnread: boolean): Buffer {
  const discs: Disc[] = [
    { x: 16, y: 16, radius: 14, color: ACCENT },
    { x: 16, y: 16, radius: 6, color: WHITE },
  ];
  if (hasUnread) {
    discs.push(
      { x: 25, y: 7, radius: 7, color: WHITE },
      { x: 25, y: 7, radius: 5.5, color: ALERT },
    );
  }
  return paint(discs);
}

/** The Windows taskbar overlay (bottom-right of the button): a red dot with a white edge. */
export function overlayIconBitmap(): Buffer {
  return paint([
    { x: 16, y: 16, radius: 15, color: WHITE },
    { x: 16, y: 16, radius: 12.5, color: ALERT },
  ]);
}

/** Paints the discs in order onto a transparent square, with 4×4 sampling to smooth the edges. */
function paint(discs: readonly Disc[]): Buffer {
  const size = ICON_PIXELS;
  const bitmap = Buffer.alloc(size * size * 4); // BGRA, all transparent
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [red, green, blue, alpha] = [0, 0, 0, 0];
      for (const disc of discs) {
        let inside = 0;
        for (let sy = 0; sy < samples; sy++) {
          for (let sx = 0; sx < samples; sx++) {
            const dx = px + (sx + 0.5) / samples - disc.x;
            const dy = py + (sy + 0.5) / samples - disc.y;
            if (dx * dx + dy * dy <= disc.radius * disc.radius) inside++;
          }
        }
        const cover = inside / (samples * samples);
        if (cover === 0) continue;
        // "Over" compositing in straight (not premultiplied) colour.
        const outAlpha = cover + alpha * (1 - cover);
        const mix = (top: number, below: number): number =>
          (top * cover + below * alpha * (1 - cover)) / outAlpha;
        red = mix(disc.color[0], red);
        green = mix(disc.color[1], green);
        blue = mix(disc.color[2], blue);
        alpha = outAlpha;
      }
      const at = (py * size + px) * 4; // premultiplied, as Skia's N32 bitmaps are
      bitmap[at] = Math.round(blue * alpha);
      bitmap[at + 1] = Math.round(green * alpha);
      bitmap[at + 2] = Math.round(red * alpha);
      bitmap[at + 3] = Math.round(alpha * 255);
    }
  }
  return bitmap;
}
