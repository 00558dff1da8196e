/**
 * The one place that differs between the two builds. With relaxed SIMD the multiply-add is a
 * single fused instruction (+31–40% GEMM in Node); without it, a separate mul and add. The
 * build script compiles this same source twice, once with `--enable relaxed-simd`.
 */

/** a·b + c on four lanes. */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

/** Sum of the four lanes. */
// @ts-ignore: decorator
@inline
export function hsum(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}
