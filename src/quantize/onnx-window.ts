// The window of an ONNX Conv, MaxPool or AveragePool (kernel_shape, strides, pads,
// dilations, auto_pad, and the pads of a Pad node folded into it) as a
// Window2d (src/ops/window.ts), or the one problem that keeps it from being
// one: a message for the importer's node error line.
import { type Window2d, spanH, spanW } from '../ops/window.js';

/** The window attributes of a node, as integers (undefined: not given). */
export interface OnnxWindowAttributes {
  kernel_shape?: number[];
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  auto_pad?: string;
}

export type WindowFailure = (code: 'onnx-unsupported' | 'onnx-invalid', message: string) => never;

/**
 * `kernel`: the kernel the weight says (Conv), else kernel_shape must give
 * it (MaxPool). `extraPads`: [top, left, bottom, right] of a Pad node folded
 * into this one. Pools take no dilation.
 */
export function onnxWindow(a: OnnxWindowAttributes, op: 'Conv' | 'MaxPool' | 'AveragePool', kernel: [number, number] | undefined, map: { height: number; width: number },
  extraPads: [number, number, number, number], fail: WindowFailure): Window2d {
  const pair = (name: 'kernel_shape' | 'strides' | 'dilations', dflt: [number, number] | undefined): [number, number] => {
    const v = a[name];
    if (v === undefined) return dflt ?? fail('onnx-invalid', `attribute ${name} is missing`);
    if (v.length !== 2 || v.some((x) => !Number.isSafeInteger(x) || x < 1)) {
      fail('onnx-unsupported', `${name}=[${v.join(', ')}] is not supported (two values ≥ 1, height and width: 2-D ${op} only)`);
    }
    return [v[0], v[1]];
  };
  const [kernelH, kernelW] = pair('kernel_shape', kernel);
  if (kernel !== undefined && (kernelH !== kernel[0] || kernelW !== kernel[1])) {
    fail('onnx-invalid', `kernel_shape=[${kernelH}, ${kernelW}] does not match the weight's ${kernel[0]}×${kernel[1]}`);
  }
  const [strideH, strideW] = pair('strides', [1, 1]);
  const [dilationH, dilationW] = pair('dilations', [1, 1]);
  if (op !== 'Conv' && (dilationH !== 1 || dilationW !== 1)) {
    fail('onnx-unsupported', `dilations=[${dilationH}, ${dilationW}] is not supported on ${op} (only 1)`);
  }
  const spans = { h: dilationH * (kernelH - 1) + 1, w: dilationW * (kernelW - 1) + 1 };
  let pads = a.pads ?? [0, 0, 0, 0];
  if (pads.length !== 4 || pads.some((p) => !Number.isSafeInteger(p) || p < 0)) {
    fail('onnx-unsupported', `pads=[${pads.join(', ')}] is not supported (four values ≥ 0: top, left, bottom, right)`);
  }
  const mode = a.auto_pad ?? 'NOTSET';
  if (mode === 'SAME_UPPER' || mode === 'SAME_LOWER') {
    if (a.pads !== undefined && pads.some((p) => p !== 0)) fail('onnx-invalid', `auto_pad=${mode} with explicit pads`);
    const [top, bottom] = samePads(map.height, spans.h, strideH, mode);
    const [left, right] = samePads(map.width, spans.w, strideW, mode);
    pads = [top, left, bottom, right];
  } else if (mode === 'VALID') {
    if (pads.some((p) => p !== 0)) fail('onnx-invalid', 'auto_pad=VALID with non-zero pads');
  } else if (mode !== 'NOTSET') {
    fail('onnx-unsupported', `auto_pad=${mode} is not supported (NOTSET, VALID, SAME_UPPER, SAME_LOWER)`);
  }
  const [padTop, padLeft, padBottom, padRight] = pads.map((p, i) => p + extraPads[i]);
  const window: Window2d = { kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW };
  if (padTop >= spanH(window) || padBottom >= spanH(window) || padLeft >= spanW(window) || padRight >= spanW(window)) {
    fail('onnx-unsupported', `padding [${[padTop, padLeft, padBottom, padRight].join(', ')}] (top, left, bottom, right${extraPads.some((p) => p > 0) ? ', with the Pad before it' : ''}) is not supported: each side must be smaller than the window's span ${spans.h}×${spans.w} (a window of padding only)`);
  }
  if (spans.h > map.height + padTop + padBottom || spans.w > map.width + padLeft + padRight) {
    fail('onnx-invalid', `window ${spans.h}×${spans.w} is larger than the padded ${map.height + padTop + padBottom}×${map.width + padLeft + padRight} map`);
  }
  return window;
}

/** SAME padding of one axis: the output ⌈n / s⌉ long; the odd pixel after (SAME_UPPER) or before (SAME_LOWER). */
function samePads(n: number, span: number, stride: number, mode: 'SAME_UPPER' | 'SAME_LOWER'): [number, number] {
  const out = Math.ceil(n / stride);
  const total = Math.max(0, (out - 1) * stride + span - n);
  const small = Math.floor(total / 2);
  return mode === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
}

/**
 * The spatial padding of an ONNX Pad node, [top, left, bottom, right], from
 * its pads (NCHW: [n, c, h, w begin, n, c, h, w end]), mode and value; a
 * Pad that is not a zero padding of H and W is a failure.
 */
export function padNodePads(pads: number[], mode: string, value: number, fail: WindowFailure): [number, number, number, number] {
  if (mode !== 'constant') fail('onnx-unsupported', `mode=${mode} is not supported (only constant padding with 0, folded into the Conv or MaxPool after it)`);
  if (value !== 0) fail('onnx-unsupported', `constant value ${value} is not supported (only 0)`);
  if (pads.length !== 8) fail('onnx-unsupported', `pads of ${pads.length} values are not supported (8: an N, C, H, W map)`);
  if (pads.some((p) => p < 0)) fail('onnx-unsupported', `pads=[${pads.join(', ')}]: negative pads (cropping) are not supported`);
  if (pads[0] !== 0 || pads[1] !== 0 || pads[4] !== 0 || pads[5] !== 0) fail('onnx-unsupported', `pads=[${pads.join(', ')}] pad the batch or channel axis; only height and width can be padded`);
  return [pads[2], pads[3], pads[6], pads[7]];
}
