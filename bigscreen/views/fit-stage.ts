/** The wall is designed on a fixed 1920×1080 canvas. */
const STAGE_WIDTH_PX = 1920;
const STAGE_HEIGHT_PX = 1080;

export interface StageFit {
  scale: number;
  /** left/top offsets (viewport px) that centre the scaled stage: letterboxing */
  offsetXPx: number;
  offsetYPx: number;
}

/** Largest uniform scale at which the stage fits the viewport, centred. */
export function fitStage(viewportWidthPx: number, viewportHeightPx: number): StageFit {
  const scale = Math.max(0.01, Math.min(viewportWidthPx / STAGE_WIDTH_PX, viewportHeightPx / STAGE_HEIGHT_PX));
  return {
    scale,
    offsetXPx: (viewportWidthPx - STAGE_WIDTH_PX * scale) / 2,
    offsetYPx: (viewportHeightPx - STAGE_HEIGHT_PX * scale) / 2,
  };
}

/** CSS transform for `fit`; the stage uses transform-origin 0 0. */
export function stageTransform(fit: StageFit): string {
  return `translate(${fit.offsetXPx}px, ${fit.offsetYPx}px) scale(${fit.scale})`;
}
