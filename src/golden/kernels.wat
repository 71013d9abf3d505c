;; The golden model's matrix-layer kernel in WebAssembly SIMD (built into
;; wasm/golden-kernels.wasm by scripts/build-wasm.mjs; loaded by wasm.ts).
;;
;; One call computes a whole layer's raw accumulators for one input map:
;;   out[o·P + q] = bias[o] + Σ_r w[o][r] · x[base[q] + off[r]]
;; the same im2col view as fast.ts: for each output position q the window is
;; gathered into `col` as 16-bit values, then each column's dot product takes
;; 8 rows per i32x4.dot_i16x8_s. Inputs are unsigned and at most 8 bits, weights
;; at most 8 bits signed, so every product and pair sum fits an i32 lane; the
;; sums wrap modulo 2^32, which gives the exact result whenever the layer's
;; accumulator range fits an i32 (wasm.ts only sends such layers).
;;
;; Pointers are byte addresses in the imported memory; `x`, `base`, `off`,
;; `bias` and `out` hold i32, `col` and `w` i16. Rows are padded to `rowBytes`
;; (a multiple of 16) with zero weights, and col's padding stays zero.
(module
  (import "env" "memory" (memory 1))

  ;; out[o·P + q] = bias[o] + the four lanes of s
  (func $store (param $out i32) (param $bias i32) (param $o i32) (param $P i32) (param $q i32) (param $s v128)
    (i32.store
      (i32.add (local.get $out)
        (i32.shl (i32.add (i32.mul (local.get $o) (local.get $P)) (local.get $q)) (i32.const 2)))
      (i32.add
        (i32.load (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 2))))
        (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $s)) (i32x4.extract_lane 1 (local.get $s)))
          (i32.add (i32x4.extract_lane 2 (local.get $s)) (i32x4.extract_lane 3 (local.get $s)))))))

  (func (export "layer")
    (param $x i32) (param $base i32) (param $P i32) (param $off i32) (param $K i32)
    (param $rowBytes i32) (param $w i32) (param $O i32) (param $bias i32) (param $col i32) (param $out i32)
    (local $q i32) (local $r i32) (local $b i32) (local $o i32) (local $j i32) (local $row i32) (local $a i32)
    (local $v v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $q (i32.const 0))
    (block $positions_done
      (loop $positions
        (br_if $positions_done (i32.ge_u (local.get $q) (local.get $P)))
        ;; gather the window of position q: col[r] = x[base[q] + off[r]]
        (local.set $b (i32.load (i32.add (local.get $base) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $r (i32.const 0))
        (block $gather_done
          (loop $gather
            (br_if $gather_done (i32.ge_u (local.get $r) (local.get $K)))
            (i32.store16
              (i32.add (local.get $col) (i32.shl (local.get $r) (i32.const 1)))
              (i32.load
                (i32.add (local.get $x)
                  (i32.shl
                    (i32.add (local.get $b) (i32.load (i32.add (local.get $off) (i32.shl (local.get $r) (i32.const 2)))))
                    (i32.const 2)))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $gather)))
        ;; every column's dot product with the gathered window, four columns
        ;; at a time (one load of the window serves four rows), then the rest
        (local.set $o (i32.const 0))
        (local.set $row (local.get $w))
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.gt_u (i32.add (local.get $o) (i32.const 4)) (local.get $O)))
            (local.set $s0 (v128.const i32x4 0 0 0 0))
            (local.set $s1 (v128.const i32x4 0 0 0 0))
            (local.set $s2 (v128.const i32x4 0 0 0 0))
            (local.set $s3 (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (block $dot4_done
              (loop $dot4
                (br_if $dot4_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
                (local.set $v (v128.load (i32.add (local.get $col) (local.get $j))))
                (local.set $a (i32.add (local.get $row) (local.get $j)))
                (local.set $s0 (i32x4.add (local.get $s0) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
                (local.set $s1 (i32x4.add (local.get $s1) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
                (local.set $s2 (i32x4.add (local.get $s2) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
                (local.set $s3 (i32x4.add (local.get $s3) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $dot4)))
            (call $store (local.get $out) (local.get $bias) (local.get $o) (local.get $P) (local.get $q) (local.get $s0))
            (call $store (local.get $out) (local.get $bias) (i32.add (local.get $o) (i32.const 1)) (local.get $P) (local.get $q) (local.get $s1))
            (call $store (local.get $out) (local.get $bias) (i32.add (local.get $o) (i32.const 2)) (local.get $P) (local.get $q) (local.get $s2))
            (call $store (local.get $out) (local.get $bias) (i32.add (local.get $o) (i32.const 3)) (local.get $P) (local.get $q) (local.get $s3))
            (local.set $row (i32.add (local.get $row) (i32.shl (local.get $rowBytes) (i32.const 2))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $quads)))
        (block $columns_done
          (loop $columns
            (br_if $columns_done (i32.ge_u (local.get $o) (local.get $O)))
            (local.set $s0 (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (block $dot_done
              (loop $dot
                (br_if $dot_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
                (local.set $s0
                  (i32x4.add (local.get $s0)
                    (i32x4.dot_i16x8_s
                      (v128.load (i32.add (local.get $col) (local.get $j)))
                      (v128.load (i32.add (local.get $row) (local.get $j))))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $dot)))
            (call $store (local.get $out) (local.get $bias) (local.get $o) (local.get $P) (local.get $q) (local.get $s0))
            (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $columns)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $positions))))
;; ---------------------------------------------------------------------------
;; The whole-network path (program.ts): maps stay in this memory between
;; layers, in H,W,C order (the C values of a pixel side by side), as
;; unsigned bytes, or i32 for a final `none` layer; each matrix layer applies
;; its activation itself. Buffers have slack after them, so vector loads and
;; stores may run past a map's end; a store that runs into the next pixel's
;; values is overwritten when that pixel is written, which comes later.

  ;; Activation of four columns o..o+3 at position q, s = their accumulators
  ;; (bias included), written to out[q·pitch + o + i]. The activation block at
  ;; $act: mode (i32 at 0), thresholds pointer (i32 at 4), offset, step, top
  ;; (f64 at 8, 16, 24).
  ;;   mode 0 (threshold): s[i] ≥ T[o+i] (bytes 0/1)
  ;;   mode 1 (adc): clamp(floor((s[i] − offset)/step), 0, top) (bytes).
  ;;     s − offset is exact in f64, and so is the floor of the rounded
  ;;     quotient wherever it is not clamped: below 256 the true quotient is at
  ;;     least 1/step ≥ 2^-31 away from the next integer, far more than an ulp.
  ;;   mode 2 (none): s[i] (i32)
  ;; The formulas are src/ops/activations/*.ts, vectorized; the tests prove them equal.
  (func $emit4 (param $s v128) (param $o i32) (param $q i32) (param $pitch i32) (param $act i32) (param $out i32)
    (local $mode i32) (local $lo v128) (local $hi v128) (local $step v128) (local $off v128) (local $top v128) (local $zero v128)
    (local.set $mode (i32.load (local.get $act)))
    (if (i32.eqz (local.get $mode))
      (then
        (local.set $s
          (v128.and
            (i32x4.ge_s (local.get $s) (v128.load (i32.add (i32.load offset=4 (local.get $act)) (i32.shl (local.get $o) (i32.const 2)))))
            (v128.const i32x4 1 1 1 1))))
      (else
        (if (i32.eq (local.get $mode) (i32.const 1))
          (then
            (local.set $off (f64x2.splat (f64.load offset=8 (local.get $act))))
            (local.set $step (f64x2.splat (f64.load offset=16 (local.get $act))))
            (local.set $top (f64x2.splat (f64.load offset=24 (local.get $act))))
            (local.set $zero (f64x2.splat (f64.const 0)))
            (local.set $lo
              (f64x2.min (local.get $top) (f64x2.max (local.get $zero)
                (f64x2.floor (f64x2.div (f64x2.sub (f64x2.convert_low_i32x4_s (local.get $s)) (local.get $off)) (local.get $step))))))
            (local.set $hi
              (f64x2.min (local.get $top) (f64x2.max (local.get $zero)
                (f64x2.floor (f64x2.div
                  (f64x2.sub
                    (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s) (local.get $s)))
                    (local.get $off))
                  (local.get $step))))))
            (local.set $s
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (i32x4.trunc_sat_f64x2_s_zero (local.get $lo))
                (i32x4.trunc_sat_f64x2_s_zero (local.get $hi)))))
          (else
            (v128.store
              (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $q) (local.get $pitch)) (local.get $o)) (i32.const 2)))
              (local.get $s))
            (return)))))
    ;; the low byte of each lane
    (v128.store32_lane 0
      (i32.add (local.get $out) (i32.add (i32.mul (local.get $q) (local.get $pitch)) (local.get $o)))
      (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0 (local.get $s) (local.get $s))))

  ;; A matrix layer on a multi-bit byte map x. For each position q the window
  ;; is gathered into a column buffer (i16) run by run: run j widens 8 bytes
  ;; from x[base[q] + runOff[j]] to the buffer at byte runRow[j] (2 per row;
  ;; a run covers at most 8 consecutive rows; runs go up the rows, so a run's
  ;; spill past its end is overwritten by the next one or lands on rows with
  ;; zero weights). Then four columns at a time: 8 rows per
  ;; i32x4.dot_i16x8_s, two positions per pass when both have a window with a
  ;; non-zero value and pitch is a multiple of 4 (so no store of one runs into
  ;; the other's). O4 (a multiple of 4) columns of rowBytes each at w; bias has
  ;; O4 entries. A position whose window is all zero (the lanes under `mask`)
  ;; gets zeroRow's zeroBytes bytes (one output pixel) instead.
  (func $gather (param $b i32) (param $runs i32) (param $runOff i32) (param $runRow i32) (param $col i32)
    (local $j i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $j) (local.get $runs)))
        (v128.store
          (i32.add (local.get $col) (i32.load (i32.add (local.get $runRow) (i32.shl (local.get $j) (i32.const 2)))))
          (v128.load8x8_u (i32.add (local.get $b) (i32.load (i32.add (local.get $runOff) (i32.shl (local.get $j) (i32.const 2)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $each))))

  ;; Whether the gathered window's K lanes (those under mask) are all zero.
  (func $zeros (param $col i32) (param $mask i32) (param $rowBytes i32) (result i32)
    (local $j i32) (local $v v128)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $j) (local.get $rowBytes)))
        (local.set $v (v128.or (local.get $v)
          (v128.and (v128.load (i32.add (local.get $col) (local.get $j))) (v128.load (i32.add (local.get $mask) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $each)))
    (i32.eqz (v128.any_true (local.get $v))))

  ;; Output pixel q of an all-zero window.
  (func $zeroPixel (param $q i32) (param $out i32) (param $zeroRow i32) (param $zeroBytes i32)
    (local $a i32) (local $j i32)
    (local.set $a (i32.add (local.get $out) (i32.mul (local.get $q) (local.get $zeroBytes))))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $j) (local.get $zeroBytes)))
        (v128.store (i32.add (local.get $a) (local.get $j)) (v128.load (i32.add (local.get $zeroRow) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $copy))))

  ;; Columns o..o+3 at position q from the dot products' lanes: the lane sums
  ;; of s0..s3 plus the bias, through the activation (thresholds inline).
  (func $finish4 (param $s0 v128) (param $s1 v128) (param $s2 v128) (param $s3 v128)
    (param $o i32) (param $q i32) (param $pitch i32) (param $bias i32) (param $act i32) (param $out i32)
    (local.set $s0 (i32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $s0) (local.get $s1))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $s0) (local.get $s1))))
    (local.set $s2 (i32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $s2) (local.get $s3))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $s2) (local.get $s3))))
    (local.set $s0 (i32x4.add
      (v128.load (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 2))))
      (i32x4.add
        (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $s0) (local.get $s2))
        (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $s0) (local.get $s2)))))
    (if (i32.eqz (i32.load (local.get $act)))
      (then
        (v128.store32_lane 0
          (i32.add (local.get $out) (i32.add (i32.mul (local.get $q) (local.get $pitch)) (local.get $o)))
          (v128.and (v128.const i8x16 1 1 1 1 0 0 0 0 0 0 0 0 0 0 0 0)
            (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
              (i32x4.ge_s (local.get $s0) (v128.load (i32.add (i32.load offset=4 (local.get $act)) (i32.shl (local.get $o) (i32.const 2)))))
              (local.get $s0)))))
      (else
        (call $emit4 (local.get $s0) (local.get $o) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out)))))

  (func (export "mbLayer")
    (param $x i32) (param $base i32) (param $P i32) (param $runs i32) (param $runOff i32) (param $runRow i32)
    (param $rowBytes i32) (param $w i32) (param $O4 i32) (param $bias i32) (param $col i32) (param $act i32) (param $out i32) (param $pitch i32)
    (param $mask i32) (param $zeroRow i32) (param $zeroBytes i32)
    (local $q i32) (local $j i32) (local $o i32) (local $row i32) (local $a i32) (local $col2 i32) (local $pair i32)
    (local $v v128) (local $u v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    ;; the second position's window goes after the first's (the caller leaves room)
    (local.set $col2 (i32.add (local.get $col) (i32.add (local.get $rowBytes) (i32.const 16))))
    (block $positions_done
      (loop $positions
        (br_if $positions_done (i32.ge_u (local.get $q) (local.get $P)))
        (call $gather (i32.add (local.get $x) (i32.load (i32.add (local.get $base) (i32.shl (local.get $q) (i32.const 2)))))
          (local.get $runs) (local.get $runOff) (local.get $runRow) (local.get $col))
        (if (call $zeros (local.get $col) (local.get $mask) (local.get $rowBytes))
          (then
            (call $zeroPixel (local.get $q) (local.get $out) (local.get $zeroRow) (local.get $zeroBytes))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $positions)))
        ;; pair = 1: q and q+1 together; 2: q+1 is all zero; 0: q alone (the last)
        (local.set $pair (i32.const 0))
        (if (i32.lt_u (i32.add (local.get $q) (i32.const 1)) (local.get $P))
          (then
            (call $gather (i32.add (local.get $x) (i32.load (i32.add (local.get $base) (i32.shl (i32.add (local.get $q) (i32.const 1)) (i32.const 2)))))
              (local.get $runs) (local.get $runOff) (local.get $runRow) (local.get $col2))
            (local.set $pair
              (select (i32.const 2) (i32.const 1) (call $zeros (local.get $col2) (local.get $mask) (local.get $rowBytes))))
            (if (i32.and (i32.eq (local.get $pair) (i32.const 1)) (i32.ne (local.get $O4) (local.get $pitch)))
              (then (local.set $pair (i32.const 3))))))
        (local.set $o (i32.const 0))
        (local.set $row (local.get $w))
        (if (i32.eq (local.get $pair) (i32.const 1))
          (then
            (block $pquads_done
              (loop $pquads
                (br_if $pquads_done (i32.ge_u (local.get $o) (local.get $O4)))
                (local.set $s0 (v128.const i32x4 0 0 0 0))
                (local.set $s1 (v128.const i32x4 0 0 0 0))
                (local.set $s2 (v128.const i32x4 0 0 0 0))
                (local.set $s3 (v128.const i32x4 0 0 0 0))
                (local.set $t0 (v128.const i32x4 0 0 0 0))
                (local.set $t1 (v128.const i32x4 0 0 0 0))
                (local.set $t2 (v128.const i32x4 0 0 0 0))
                (local.set $t3 (v128.const i32x4 0 0 0 0))
                (local.set $j (i32.const 0))
                (block $pdot_done
                  (loop $pdot
                    (br_if $pdot_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
                    (local.set $v (v128.load (i32.add (local.get $col) (local.get $j))))
                    (local.set $u (v128.load (i32.add (local.get $col2) (local.get $j))))
                    (local.set $a (i32.add (local.get $row) (local.get $j)))
                    (local.set $s0 (i32x4.add (local.get $s0) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                    (local.set $t0 (i32x4.add (local.get $t0) (i32x4.dot_i16x8_s (local.get $u) (v128.load (local.get $a)))))
                    (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
                    (local.set $s1 (i32x4.add (local.get $s1) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                    (local.set $t1 (i32x4.add (local.get $t1) (i32x4.dot_i16x8_s (local.get $u) (v128.load (local.get $a)))))
                    (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
                    (local.set $s2 (i32x4.add (local.get $s2) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                    (local.set $t2 (i32x4.add (local.get $t2) (i32x4.dot_i16x8_s (local.get $u) (v128.load (local.get $a)))))
                    (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
                    (local.set $s3 (i32x4.add (local.get $s3) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                    (local.set $t3 (i32x4.add (local.get $t3) (i32x4.dot_i16x8_s (local.get $u) (v128.load (local.get $a)))))
                    (local.set $j (i32.add (local.get $j) (i32.const 16)))
                    (br $pdot)))
                (call $finish4 (local.get $s0) (local.get $s1) (local.get $s2) (local.get $s3)
                  (local.get $o) (local.get $q) (local.get $pitch) (local.get $bias) (local.get $act) (local.get $out))
                (call $finish4 (local.get $t0) (local.get $t1) (local.get $t2) (local.get $t3)
                  (local.get $o) (i32.add (local.get $q) (i32.const 1)) (local.get $pitch) (local.get $bias) (local.get $act) (local.get $out))
                (local.set $row (i32.add (local.get $row) (i32.shl (local.get $rowBytes) (i32.const 2))))
                (local.set $o (i32.add (local.get $o) (i32.const 4)))
                (br $pquads)))
            (local.set $q (i32.add (local.get $q) (i32.const 2)))
            (br $positions)))
        ;; q alone
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.ge_u (local.get $o) (local.get $O4)))
            (local.set $s0 (v128.const i32x4 0 0 0 0))
            (local.set $s1 (v128.const i32x4 0 0 0 0))
            (local.set $s2 (v128.const i32x4 0 0 0 0))
            (local.set $s3 (v128.const i32x4 0 0 0 0))
            (local.set $j (i32.const 0))
            (block $dot4_done
              (loop $dot4
                (br_if $dot4_done (i32.ge_u (local.get $j) (local.get $rowBytes)))
                (local.set $v (v128.load (i32.add (local.get $col) (local.get $j))))
                (local.set $a (i32.add (local.get $row) (local.get $j)))
                (local.set $s0 (i32x4.add (local.get $s0) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
                (local.set $s1 (i32x4.add (local.get $s1) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
                (local.set $s2 (i32x4.add (local.get $s2) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
                (local.set $s3 (i32x4.add (local.get $s3) (i32x4.dot_i16x8_s (local.get $v) (v128.load (local.get $a)))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $dot4)))
            (call $finish4 (local.get $s0) (local.get $s1) (local.get $s2) (local.get $s3)
              (local.get $o) (local.get $q) (local.get $pitch) (local.get $bias) (local.get $act) (local.get $out))
            (local.set $row (i32.add (local.get $row) (i32.shl (local.get $rowBytes) (i32.const 2))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $quads)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        ;; q+1 was gathered already: its zeros, or itself again on the next turn
        (if (i32.eq (local.get $pair) (i32.const 2))
          (then
            (call $zeroPixel (local.get $q) (local.get $out) (local.get $zeroRow) (local.get $zeroBytes))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))))
        (br $positions))))

  ;; A matrix layer on a 1-bit map packed by `pack` (bit a of the map is bit
  ;; a&7 of byte a>>3). The window's rows are cut into chunks of at most 8
  ;; rows whose bits lie side by side in the map; chunk j of position q is
  ;; the bits from a = base[q] + chunkOff[j], masked by chunkMask[j], and its
  ;; table row (chunkTab[j] + bits·rowStride) holds, as i16, the sum of the
  ;; weights of its set rows for every column. Columns go 32 at a time (four
  ;; i16x8 lanes, `groups` times), then 8 at a time (`eights`); i16 sums wrap, so they are widened into i32 after each
  ;; segment of chunks (segEnd[k] ends segment k), which program.ts cuts so
  ;; that no segment's true sum can leave the i16 range.
  (func (export "binLayer")
    (param $bits i32) (param $base i32) (param $P i32) (param $chunks i32) (param $chunkOff i32) (param $chunkMask i32)
    (param $chunkTab i32) (param $segs i32) (param $segEnd i32) (param $groups i32) (param $eights i32) (param $rowStride i32)
    (param $bias i32) (param $idx i32) (param $cend i32) (param $act i32) (param $out i32) (param $pitch i32)
    (local $q i32) (local $j i32) (local $b i32) (local $a i32) (local $g i32) (local $k i32) (local $end i32) (local $row i32) (local $o i32)
    (local $n i32) (local $v i32)
    (local $h0 v128) (local $h1 v128) (local $h2 v128) (local $h3 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $q (i32.const 0))
    (block $positions_done
      (loop $positions
        (br_if $positions_done (i32.ge_u (local.get $q) (local.get $P)))
        (local.set $b (i32.load (i32.add (local.get $base) (i32.shl (local.get $q) (i32.const 2)))))
        ;; the table row of every chunk with a set bit at this position (a
        ;; chunk of zeros adds nothing), and where each segment's rows end
        (local.set $j (i32.const 0))
        (local.set $n (i32.const 0))
        (local.set $k (i32.const 0))
        (block $csegs_done
          (loop $csegs
            (br_if $csegs_done (i32.ge_u (local.get $k) (local.get $segs)))
            (local.set $end (i32.load (i32.add (local.get $segEnd) (i32.shl (local.get $k) (i32.const 2)))))
            (block $rows_done
              (loop $rows
                (br_if $rows_done (i32.ge_u (local.get $j) (local.get $end)))
                (local.set $a (i32.add (local.get $b) (i32.load (i32.add (local.get $chunkOff) (i32.shl (local.get $j) (i32.const 2))))))
                (local.set $v
                  (i32.and
                    (i32.wrap_i64 (i64.shr_u
                      (i64.load (i32.add (local.get $bits) (i32.shr_u (local.get $a) (i32.const 3))))
                      (i64.extend_i32_u (i32.and (local.get $a) (i32.const 7)))))
                    (i32.load (i32.add (local.get $chunkMask) (i32.shl (local.get $j) (i32.const 2))))))
                (i32.store (i32.add (local.get $idx) (i32.shl (local.get $n) (i32.const 2)))
                  (i32.add
                    (i32.load (i32.add (local.get $chunkTab) (i32.shl (local.get $j) (i32.const 2))))
                    (i32.mul (local.get $rowStride) (local.get $v))))
                (local.set $n (i32.add (local.get $n) (i32.ne (local.get $v) (i32.const 0))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $rows)))
            (i32.store (i32.add (local.get $cend) (i32.shl (local.get $k) (i32.const 2))) (local.get $n))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $csegs)))
        (local.set $g (i32.const 0))
        (block $groups_done
          (loop $groups
            (br_if $groups_done (i32.ge_u (local.get $g) (local.get $groups)))
            (local.set $o (i32.shl (local.get $g) (i32.const 5)))
            (local.set $a (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 2))))
            (local.set $s0 (v128.load offset=0 (local.get $a)))
            (local.set $s1 (v128.load offset=16 (local.get $a)))
            (local.set $s2 (v128.load offset=32 (local.get $a)))
            (local.set $s3 (v128.load offset=48 (local.get $a)))
            (local.set $s4 (v128.load offset=64 (local.get $a)))
            (local.set $s5 (v128.load offset=80 (local.get $a)))
            (local.set $s6 (v128.load offset=96 (local.get $a)))
            (local.set $s7 (v128.load offset=112 (local.get $a)))
            (local.set $j (i32.const 0))
            (local.set $k (i32.const 0))
            (block $segs_done
              (loop $segments
                (br_if $segs_done (i32.ge_u (local.get $k) (local.get $segs)))
                (local.set $end (i32.load (i32.add (local.get $cend) (i32.shl (local.get $k) (i32.const 2)))))
                (local.set $h0 (v128.const i32x4 0 0 0 0))
                (local.set $h1 (v128.const i32x4 0 0 0 0))
                (local.set $h2 (v128.const i32x4 0 0 0 0))
                (local.set $h3 (v128.const i32x4 0 0 0 0))
                (block $chunks_done
                  (loop $chunk
                    (br_if $chunks_done (i32.ge_u (local.get $j) (local.get $end)))
                    (local.set $row (i32.add (i32.load (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))) (i32.shl (local.get $g) (i32.const 6))))
                    (local.set $h0 (i16x8.add (local.get $h0) (v128.load offset=0 (local.get $row))))
                    (local.set $h1 (i16x8.add (local.get $h1) (v128.load offset=16 (local.get $row))))
                    (local.set $h2 (i16x8.add (local.get $h2) (v128.load offset=32 (local.get $row))))
                    (local.set $h3 (i16x8.add (local.get $h3) (v128.load offset=48 (local.get $row))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $chunk)))
                (local.set $s0 (i32x4.add (local.get $s0) (i32x4.extend_low_i16x8_s (local.get $h0))))
                (local.set $s1 (i32x4.add (local.get $s1) (i32x4.extend_high_i16x8_s (local.get $h0))))
                (local.set $s2 (i32x4.add (local.get $s2) (i32x4.extend_low_i16x8_s (local.get $h1))))
                (local.set $s3 (i32x4.add (local.get $s3) (i32x4.extend_high_i16x8_s (local.get $h1))))
                (local.set $s4 (i32x4.add (local.get $s4) (i32x4.extend_low_i16x8_s (local.get $h2))))
                (local.set $s5 (i32x4.add (local.get $s5) (i32x4.extend_high_i16x8_s (local.get $h2))))
                (local.set $s6 (i32x4.add (local.get $s6) (i32x4.extend_low_i16x8_s (local.get $h3))))
                (local.set $s7 (i32x4.add (local.get $s7) (i32x4.extend_high_i16x8_s (local.get $h3))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $segments)))
            (if (i32.eqz (i32.load (local.get $act)))
              (then
                ;; thresholds, inline: 32 compares narrowed to 32 bytes
                (local.set $a (i32.add (i32.load offset=4 (local.get $act)) (i32.shl (local.get $o) (i32.const 2))))
                (local.set $row (i32.add (local.get $out) (i32.add (i32.mul (local.get $q) (local.get $pitch)) (local.get $o))))
                (v128.store offset=0 (local.get $row)
                  (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)
                    (i8x16.narrow_i16x8_s
                      (i16x8.narrow_i32x4_s
                        (i32x4.ge_s (local.get $s0) (v128.load offset=0 (local.get $a)))
                        (i32x4.ge_s (local.get $s1) (v128.load offset=16 (local.get $a))))
                      (i16x8.narrow_i32x4_s
                        (i32x4.ge_s (local.get $s2) (v128.load offset=32 (local.get $a)))
                        (i32x4.ge_s (local.get $s3) (v128.load offset=48 (local.get $a)))))))
                (v128.store offset=16 (local.get $row)
                  (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)
                    (i8x16.narrow_i16x8_s
                      (i16x8.narrow_i32x4_s
                        (i32x4.ge_s (local.get $s4) (v128.load offset=64 (local.get $a)))
                        (i32x4.ge_s (local.get $s5) (v128.load offset=80 (local.get $a))))
                      (i16x8.narrow_i32x4_s
                        (i32x4.ge_s (local.get $s6) (v128.load offset=96 (local.get $a)))
                        (i32x4.ge_s (local.get $s7) (v128.load offset=112 (local.get $a)))))))
                (local.set $g (i32.add (local.get $g) (i32.const 1)))
                (br $groups)))
            (call $emit4 (local.get $s0) (local.get $o) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (call $emit4 (local.get $s1) (i32.add (local.get $o) (i32.const 4)) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (call $emit4 (local.get $s2) (i32.add (local.get $o) (i32.const 8)) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (call $emit4 (local.get $s3) (i32.add (local.get $o) (i32.const 12)) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (call $emit4 (local.get $s4) (i32.add (local.get $o) (i32.const 16)) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (call $emit4 (local.get $s5) (i32.add (local.get $o) (i32.const 20)) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (call $emit4 (local.get $s6) (i32.add (local.get $o) (i32.const 24)) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (call $emit4 (local.get $s7) (i32.add (local.get $o) (i32.const 28)) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $groups)))
        ;; the remaining columns, 8 at a time
        (local.set $o (i32.shl (local.get $groups) (i32.const 5)))
        (local.set $g (i32.const 0))
        (block $eights_done
          (loop $eights
            (br_if $eights_done (i32.ge_u (local.get $g) (local.get $eights)))
            (local.set $a (i32.add (local.get $bias) (i32.shl (local.get $o) (i32.const 2))))
            (local.set $s0 (v128.load offset=0 (local.get $a)))
            (local.set $s1 (v128.load offset=16 (local.get $a)))
            (local.set $j (i32.const 0))
            (local.set $k (i32.const 0))
            (block $segs8_done
              (loop $segments8
                (br_if $segs8_done (i32.ge_u (local.get $k) (local.get $segs)))
                (local.set $end (i32.load (i32.add (local.get $cend) (i32.shl (local.get $k) (i32.const 2)))))
                (local.set $h0 (v128.const i32x4 0 0 0 0))
                (block $chunks8_done
                  (loop $chunk8
                    (br_if $chunks8_done (i32.ge_u (local.get $j) (local.get $end)))
                    (local.set $h0 (i16x8.add (local.get $h0)
                      (v128.load (i32.add (i32.load (i32.add (local.get $idx) (i32.shl (local.get $j) (i32.const 2)))) (i32.shl (local.get $o) (i32.const 1))))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $chunk8)))
                (local.set $s0 (i32x4.add (local.get $s0) (i32x4.extend_low_i16x8_s (local.get $h0))))
                (local.set $s1 (i32x4.add (local.get $s1) (i32x4.extend_high_i16x8_s (local.get $h0))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $segments8)))
            (call $emit4 (local.get $s0) (local.get $o) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (call $emit4 (local.get $s1) (i32.add (local.get $o) (i32.const 4)) (local.get $q) (local.get $pitch) (local.get $act) (local.get $out))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $eights)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $positions))))

  ;; Packs `lines` lines of `len` bytes (values 0 or 1) into bits: byte i
  ;; of line l becomes bit (start + l·pitch + i) of out (bit a is bit a&7 of
  ;; byte a>>3). `bytes` bytes at out are cleared first, so the bits between
  ;; lines (a zero border) are 0.
  (func (export "pack") (param $x i32) (param $lines i32) (param $len i32) (param $start i32) (param $pitch i32) (param $out i32) (param $bytes i32)
    (local $l i32) (local $i i32) (local $a i32) (local $m i32) (local $addr i32)
    (memory.fill (local.get $out) (i32.const 0) (local.get $bytes))
    (block $lines_done
      (loop $each_line
        (br_if $lines_done (i32.ge_u (local.get $l) (local.get $lines)))
        (local.set $i (i32.const 0))
        (block $line_done
          (loop $blocks
            (br_if $line_done (i32.ge_u (local.get $i) (local.get $len)))
            (local.set $m (i8x16.bitmask (i8x16.shl (v128.load (i32.add (local.get $x) (local.get $i))) (i32.const 7))))
            (if (i32.lt_u (i32.sub (local.get $len) (local.get $i)) (i32.const 16))
              (then (local.set $m (i32.and (local.get $m)
                (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $len) (local.get $i))) (i32.const 1))))))
            (local.set $a (i32.add (local.get $start) (local.get $i)))
            (local.set $addr (i32.add (local.get $out) (i32.shr_u (local.get $a) (i32.const 3))))
            (i64.store (local.get $addr)
              (i64.or (i64.load (local.get $addr))
                (i64.shl (i64.extend_i32_u (local.get $m)) (i64.extend_i32_u (i32.and (local.get $a) (i32.const 7))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $blocks)))
        (local.set $x (i32.add (local.get $x) (local.get $len)))
        (local.set $start (i32.add (local.get $start) (local.get $pitch)))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $each_line))))

  ;; Copies `lines` lines of `len` bytes to out, line l at out + l·pitch (the
  ;; interior of a zero-bordered map whose border the caller keeps zero).
  (func (export "padLines") (param $x i32) (param $lines i32) (param $len i32) (param $out i32) (param $pitch i32)
    (local $l i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $l) (local.get $lines)))
        (memory.copy (local.get $out) (local.get $x) (local.get $len))
        (local.set $x (i32.add (local.get $x) (local.get $len)))
        (local.set $out (i32.add (local.get $out) (local.get $pitch)))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $each))))

  ;; Max-pool of an H×W×C byte map, 16 channels per step:
  ;; out[oy][ox][c] = max over the k×k window at (oy·s, ox·s).
  (func (export "maxpool") (param $x i32) (param $C i32) (param $W i32) (param $k i32) (param $s i32)
    (param $OH i32) (param $OW i32) (param $out i32)
    (local $oy i32) (local $ox i32) (local $ky i32) (local $kx i32) (local $cb i32) (local $corner i32) (local $line i32) (local $m v128)
    (block $oy_done
      (loop $rows
        (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $OH)))
        (local.set $ox (i32.const 0))
        (block $ox_done
          (loop $cols
            (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $OW)))
            (local.set $corner (i32.add (local.get $x)
              (i32.mul (i32.add (i32.mul (i32.mul (local.get $oy) (local.get $s)) (local.get $W)) (i32.mul (local.get $ox) (local.get $s))) (local.get $C))))
            (local.set $cb (i32.const 0))
            (block $c_done
              (loop $channels
                (br_if $c_done (i32.ge_u (local.get $cb) (local.get $C)))
                (local.set $m (v128.const i32x4 0 0 0 0))
                (local.set $ky (i32.const 0))
                (block $ky_done
                  (loop $kys
                    (br_if $ky_done (i32.ge_u (local.get $ky) (local.get $k)))
                    (local.set $line (i32.add (i32.add (local.get $corner) (local.get $cb)) (i32.mul (i32.mul (local.get $ky) (local.get $W)) (local.get $C))))
                    (local.set $kx (i32.const 0))
                    (block $kx_done
                      (loop $kxs
                        (br_if $kx_done (i32.ge_u (local.get $kx) (local.get $k)))
                        (local.set $m (i8x16.max_u (local.get $m) (v128.load (local.get $line))))
                        (local.set $line (i32.add (local.get $line) (local.get $C)))
                        (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                        (br $kxs)))
                    (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
                    (br $kys)))
                (v128.store (i32.add (local.get $out) (local.get $cb)) (local.get $m))
                (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
                (br $channels)))
            (local.set $out (i32.add (local.get $out) (local.get $C)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $cols)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $rows))))
)
