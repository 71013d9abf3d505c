// The sliding-window geometry shared by conv and maxpool (docs/format.md,
// "Conv and pool geometry"): kernel, stride, padding and dilation per axis.
// Output positions along an axis: ⌊(n + before + after − d·(k−1) − 1)/s⌋ + 1;
// window tap (ky, kx) of output (y, x) reads input row y·sh + ky·dh − top and
// column x·sw + kx·dw − left, positions outside the map reading 0.
import type { Geometry } from './layer-op.js';

export interface Window2d {
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  dilationH: number;
  dilationW: number;
}

/** The JSON forms: a number (the same on every axis or side) or an array ([h, w]; padding [top, left, bottom, right]). */
export type PairField = number | number[];
export interface RawWindowFields { kernel?: PairField; stride?: PairField; padding?: PairField; dilation?: PairField }

const pair = (v: PairField): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
const sides = (v: PairField): [number, number, number, number] => (typeof v === 'number' ? [v, v, v, v] : [v[0], v[1], v[2], v[3]]);

/** The window of a layer's JSON fields; `defaultStride` is 1 for conv, the kernel for pools. */
export function windowOfFields(raw: RawWindowFields, defaultStride: 'one' | 'kernel'): Window2d {
  const [kernelH, kernelW] = pair(raw.kernel!);
  const [strideH, strideW] = raw.stride !== undefined ? pair(raw.stride) : defaultStride === 'one' ? [1, 1] : [kernelH, kernelW];
  const [padTop, padLeft, padBottom, padRight] = sides(raw.padding ?? 0);
  const [dilationH, dilationW] = pair(raw.dilation ?? 1);
  return { kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW };
}

/** A square window: kernel k, stride s, padding p on every side, no dilation (what net@1 can say). */
export function squareWindow(kernel: number, stride: number, padding: number): Window2d {
  return { kernelH: kernel, kernelW: kernel, strideH: stride, strideW: stride, padTop: padding, padLeft: padding, padBottom: padding, padRight: padding, dilationH: 1, dilationW: 1 };
}

/** True when the window is a net@1 one: square kernel, one stride, one padding, no dilation. */
export function isSquareWindow(w: Window2d): boolean {
  return w.kernelH === w.kernelW && w.strideH === w.strideW && w.dilationH === 1 && w.dilationW === 1 &&
    w.padTop === w.padLeft && w.padTop === w.padBottom && w.padTop === w.padRight;
}

/** Rows (columns) of input one window spans, taps and the gaps between them: d·(k−1) + 1. */
export function spanH(w: Window2d): number {
  return w.dilationH * (w.kernelH - 1) + 1;
}
export function spanW(w: Window2d): number {
  return w.dilationW * (w.kernelW - 1) + 1;
}

/** Output positions along one axis. */
export function windowOutSide(n: number, span: number, stride: number, before: number, after: number): number {
  return Math.floor((n + before + after - span) / stride) + 1;
}

/** The output map's geometry of a window over `inShape` (channels unchanged). */
export function windowOutGeometry(w: Window2d, inShape: Geometry): Pick<Geometry, 'height' | 'width'> {
  return {
    height: windowOutSide(inShape.height, spanH(w), w.strideH, w.padTop, w.padBottom),
    width: windowOutSide(inShape.width, spanW(w), w.strideW, w.padLeft, w.padRight),
  };
}

/** Taps per window: kh·kw. */
export function windowTaps(w: Window2d): number {
  return w.kernelH * w.kernelW;
}

/** The JSON fields of a window, each a number where one number says it (net@1's form when square). */
export function windowFields(w: Window2d, withDilation: boolean): Record<string, number | number[]> {
  const two = (a: number, b: number) => (a === b ? a : [a, b]);
  const p = [w.padTop, w.padLeft, w.padBottom, w.padRight];
  return {
    kernel: two(w.kernelH, w.kernelW),
    stride: two(w.strideH, w.strideW),
    padding: p.every((v) => v === p[0]) ? p[0] : p,
    ...(withDilation && (w.dilationH !== 1 || w.dilationW !== 1) ? { dilation: two(w.dilationH, w.dilationW) } : {}),
  };
}

/** "3×5, stride 2×1, padding 1,0,1,0, dilation 2×2" — only the parts that are not the plain ones. */
export function describeWindow(w: Window2d): string {
  const two = (a: number, b: number) => (a === b ? `${a}` : `${a}×${b}`);
  const parts = [`${w.kernelH}×${w.kernelW}`, `stride ${two(w.strideH, w.strideW)}`];
  const p = [w.padTop, w.padLeft, w.padBottom, w.padRight];
  if (p.some((v) => v !== 0)) parts.push(`padding ${p.every((v) => v === p[0]) ? p[0] : p.join(',')}`);
  if (w.dilationH !== 1 || w.dilationW !== 1) parts.push(`dilation ${two(w.dilationH, w.dilationW)}`);
  return parts.join(', ');
}

/**
 * The window's problems: a padding as large as the window's span (a window of
 * padding only), or a span larger than the padded map. A square window's
 * messages say it in net@1's terms.
 */
export function windowProblems(w: Window2d, inShape: Geometry, padded: 'always' | 'when-padded'): { field: 'padding' | 'kernel'; code: 'padding-too-large' | 'kernel-too-large'; message: string }[] {
  const square = isSquareWindow(w);
  const sh = spanH(w);
  const sw = spanW(w);
  const pads = [w.padTop, w.padLeft, w.padBottom, w.padRight];
  if (w.padTop >= sh || w.padBottom >= sh || w.padLeft >= sw || w.padRight >= sw) {
    const message = square
      ? `padding ${w.padTop} must be smaller than the kernel ${w.kernelH} (a window of padding only)`
      : `padding ${pads.join(',')} must be smaller than the window's span ${sh}×${sw} (a window of padding only)`;
    return [{ field: 'padding', code: 'padding-too-large', message }];
  }
  const ph = inShape.height + w.padTop + w.padBottom;
  const pw = inShape.width + w.padLeft + w.padRight;
  if (sh > ph || sw > pw) {
    const map = padded === 'when-padded' && pads.every((v) => v === 0) ? `${ph}×${pw} input map` : `padded ${ph}×${pw} input map`;
    const message = square ? `kernel ${w.kernelH} is larger than the ${map}` : `kernel ${w.kernelH}×${w.kernelW} (span ${sh}×${sw}) is larger than the ${map}`;
    return [{ field: 'kernel', code: 'kernel-too-large', message }];
  }
  return [];
}

/**
 * rram_window_gen's parameters (templates/rtl/rram_window_gen.sv): the
 * square shorthand K, STRIDE, PAD, and the per-axis ones that differ from
 * it, so a square window's instance reads as it always has.
 */
export function windowGenView(w: Window2d): { kernel: number; stride: number; padding: number; axes: { name: string; value: number }[] } {
  const kernel = w.kernelH;
  const stride = w.strideH;
  const padding = w.padTop;
  const axes = [
    { name: 'KW', value: w.kernelW, shorthand: kernel },
    { name: 'SW', value: w.strideW, shorthand: stride },
    { name: 'PL', value: w.padLeft, shorthand: padding },
    { name: 'PB', value: w.padBottom, shorthand: padding },
    { name: 'PR', value: w.padRight, shorthand: padding },
    { name: 'DH', value: w.dilationH, shorthand: 1 },
    { name: 'DW', value: w.dilationW, shorthand: 1 },
  ].filter((a) => a.value !== a.shorthand).map(({ name, value }) => ({ name, value }));
  return { kernel, stride, padding, axes };
}
