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
)
