/**
 * The statistics of the analysis gates (src/domain/analysis.ts): known values of the bounds and
 * the judgements the issue names.
 */
import { describe, expect, it } from 'vitest';
import { differenceBounds, failZ, judge, PASS_Z, probit, wilson, wilsonCC, type AnalysisGates } from '../../src/domain/analysis.js';

const gates = (g: Partial<AnalysisGates>): AnalysisGates => ({ minRequests: 100, ...g });
const s = (failures: number, invocations: number, p99: number | null = null) => ({ failures, invocations, wallTimeP99Ms: p99 });

describe('bounds', () => {
  it('probit gives the normal quantiles', () => {
    expect(probit(0.95)).toBeCloseTo(1.6449, 4);
    expect(probit(0.975)).toBeCloseTo(1.96, 3);
    expect(probit(0.5)).toBeCloseTo(0, 9);
    expect(probit(0.001)).toBeCloseTo(-3.0902, 3);
    expect(PASS_Z).toBeCloseTo(1.6449, 4);
    // 5% over 20 looks: each at 99.75%.
    expect(failZ(20)).toBeCloseTo(probit(0.9975), 9);
    expect(failZ(1)).toBeCloseTo(PASS_Z, 9);
  });

  it('Wilson bounds match published values and behave at 0 failures', () => {
    // 1/20 at z = 1.96: [0.0089, 0.2361] (Newcombe 1998, table I, 95% two-sided).
    const w = wilson(1, 20, 1.96);
    expect(w.lower).toBeCloseTo(0.0089, 4);
    expect(w.upper).toBeCloseTo(0.2361, 4);
    const zero = wilson(0, 1000, 1.96);
    expect(zero.lower).toBe(0);
    expect(zero.upper).toBeCloseTo(0.00383, 4);
    expect(wilson(0, 0, 1.96)).toEqual({ lower: 0, upper: 1 });
  });

  it('the continuity-corrected bound is near the exact one at few failures (1/20: exact one-sided 95% lower bound 0.256%)', () => {
    const cc = wilsonCC(1, 20, PASS_Z);
    expect(cc.lower).toBeGreaterThan(0.0025);
    expect(cc.lower).toBeLessThan(0.004);
    // The plain bound claims 1.1%, which 1 failure in 20 cannot show.
    expect(wilson(1, 20, PASS_Z).lower).toBeGreaterThan(0.011);
    expect(wilsonCC(0, 50, PASS_Z).lower).toBe(0);
    expect(wilsonCC(50, 50, PASS_Z).upper).toBe(1);
  });

  it("Newcombe's difference bounds match the published example (56/70 - 48/80: method 10 [0.0524, 0.3339], method 11 [0.0428, 0.3422])", () => {
    const d = differenceBounds(56, 70, 48, 80, 1.96, false);
    expect(d.lower).toBeCloseTo(0.0524, 3);
    expect(d.upper).toBeCloseTo(0.3339, 3);
    const cc = differenceBounds(56, 70, 48, 80, 1.96);
    expect(cc.lower).toBeCloseTo(0.0428, 3);
    expect(cc.upper).toBeCloseTo(0.3422, 3);
  });
});

describe('judge', () => {
  it('one failure in 20 against none in 1,000 does not fail (too little data: inconclusive)', () => {
    for (const g of [gates({ maxErrorIncrease: 1 }), gates({ maxErrorRate: 1 }), gates({ maxErrorIncrease: 1, minRequests: 1 }), gates({ maxErrorRate: 1, minRequests: 1 })]) {
      const j = judge(g, s(1, 20), s(0, 1000));
      expect(j.verdict, JSON.stringify(g)).toBe('inconclusive');
    }
  });

  it('2% against 0.1% over a few thousand invocations fails, naming both rates', () => {
    const j = judge(gates({ maxErrorIncrease: 1 }), s(60, 3000), s(3, 3000));
    expect(j.verdict).toBe('fail');
    expect(j.reason).toMatch(/2% \(60\/3000\) against 0\.1% \(3\/3000\)/);
    expect(judge(gates({ maxErrorRate: 1 }), s(60, 3000), undefined).verdict).toBe('fail');
    // Even when the 5% is spread over 30 looks.
    expect(judge(gates({ maxErrorIncrease: 1 }), s(60, 3000), s(3, 3000), { failZ: failZ(30) }).verdict).toBe('fail');
  });

  it('equal rates with plenty of data pass; too few invocations of either version are inconclusive', () => {
    expect(judge(gates({ maxErrorIncrease: 0.5 }), s(10, 10_000), s(10, 10_000)).verdict).toBe('pass');
    expect(judge(gates({ maxErrorRate: 1 }), s(10, 10_000), undefined).verdict).toBe('pass');
    const few = judge(gates({ maxErrorIncrease: 0.5 }), s(0, 99), s(10, 10_000));
    expect(few.verdict).toBe('inconclusive');
    expect(few.reason).toMatch(/99 invocations of the new version \(fewer than --min-requests 100\)/);
    const noBase = judge(gates({ maxErrorIncrease: 0.5, minRequests: 100 }), s(0, 5000), s(0, 3));
    expect(noBase.verdict).toBe('inconclusive');
    expect(judge(gates({ maxErrorIncrease: 0.5 }), s(0, 5000), undefined).verdict).toBe('inconclusive');
  });

  it('a rate near the limit is inconclusive, neither pass nor fail', () => {
    const j = judge(gates({ maxErrorRate: 1 }), s(11, 1000), undefined);
    expect(j.verdict).toBe('inconclusive');
    expect(j.reason).toMatch(/may be above or below 1%/);
  });

  it('p99: a margin on the measured values', () => {
    expect(judge(gates({ maxP99: 200 }), s(0, 1000, 180), undefined).verdict).toBe('pass');
    expect(judge(gates({ maxP99: 200 }), s(0, 1000, 210), undefined).verdict).toBe('inconclusive');
    expect(judge(gates({ maxP99: 200 }), s(0, 1000, 230), undefined).verdict).toBe('fail');
    expect(judge(gates({ maxP99: 200 }), s(0, 1000, null), undefined).verdict).toBe('inconclusive');
    expect(judge(gates({ maxP99Increase: 20 }), s(0, 1000, 119), s(0, 1000, 100)).verdict).toBe('pass');
    expect(judge(gates({ maxP99Increase: 20 }), s(0, 1000, 140), s(0, 1000, 100)).verdict).toBe('fail');
    expect(judge(gates({ maxP99Increase: 20 }), s(0, 1000, 125), s(0, 1000, 100)).verdict).toBe('inconclusive');
  });

  it('gates combine: any failure fails, else any inconclusive is inconclusive', () => {
    const j = judge(gates({ maxErrorRate: 5, maxP99: 100 }), s(0, 5000, 500), undefined);
    expect(j.verdict).toBe('fail');
    expect(j.gates.map((x) => [x.gate, x.verdict])).toEqual([
      ['max-error-rate', 'pass'],
      ['max-p99', 'fail'],
    ]);
    expect(j.reason).toMatch(/^wall-time p99/);
  });
});
