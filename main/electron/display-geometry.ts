// Whether a saved window position is still on a connected display (pure; unit-tested without Electron).
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** True when the window's title-bar strip lies on some display, so the user can grab and move it. */
export function visibleOnSomeDisplay(r: Rect, displays: readonly Rect[]): boolean {
  return displays.some((d) => r.x + 50 < d.x + d.width && r.x + r.width - 50 > d.x && r.y >= d.y - 10 && r.y + 40 < d.y + d.height);
}
