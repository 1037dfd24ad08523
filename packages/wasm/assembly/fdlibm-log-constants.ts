// fdlibm's e_log.c constants: log(1 + f) = f − hfsq + s·(hfsq + R(s²)) with s = f/(2 + f), R the
// minimax polynomial LG1 z + … + LG7 z⁷, and ln 2 split in two so k·LN2_HI is exact. Shared by
// the scalar log of the gamma draws (gamma-sample.ts) and the f64x2 one of the gamma gradient
// (gamma-grad.ts); constant globals, so each module inlines them (no data segment).
export const LN2_HI: f64 = 6.93147180369123816490e-01;
export const LN2_LO: f64 = 1.90821492927058770002e-10;
export const LG1: f64 = 6.666666666666735130e-01;
export const LG2: f64 = 3.999999999940941908e-01;
export const LG3: f64 = 2.857142874366239149e-01;
export const LG4: f64 = 2.222219843214978396e-01;
export const LG5: f64 = 1.818357216161805012e-01;
export const LG6: f64 = 1.531383769920937332e-01;
export const LG7: f64 = 1.479819860511658591e-01;
