/** How crossbar tiles are emitted: synthesizable RTL, or black-box macros with behavioural models for simulation. */
export const XBAR_FORMS = ['rtl', 'macro'] as const;
export type XbarForm = (typeof XBAR_FORMS)[number];
