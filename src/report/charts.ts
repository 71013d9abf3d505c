// Charts for the HTML report: Vega-Lite specs compiled to Vega and rendered to
// SVG strings in Node (no browser, no canvas), ready to inline.
// vega and vega-lite are imported when a chart is drawn: loading them costs
// about 0.7 s of CPU, which every other command (validate, sim…) would pay.
import type { TopLevelSpec } from 'vega-lite';
import { COMPONENTS, COMPONENT_LABELS, type Estimate } from '../estimate/model.js';

/** Fixed colours: warm for the interface (DAC, ADC, sense), cool for the rest. */
const COMPONENT_COLORS: Record<typeof COMPONENTS[number], string> = {
  crossbar: '#4c78a8',
  dac: '#f58518',
  adc: '#e45756',
  sense: '#eeca3b',
  adder: '#b279a2',
  buffer: '#72b7b2',
  logic: '#9d9da0',
};

const FONT = 'Helvetica, Arial, sans-serif';

const colorScale = {
  domain: COMPONENTS.map((c) => COMPONENT_LABELS[c]),
  range: COMPONENTS.map((c) => COMPONENT_COLORS[c]),
};

const baseConfig = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  title: { fontSize: 14, anchor: 'start' as const },
};

interface ComponentRow { design: string; order: number; component: string; corder: number; energyNj: number; areaMm2: number }
interface LayerRow extends ComponentRow { layer: string; lorder: number }

function componentRows(est: Estimate): ComponentRow[] {
  const rows: ComponentRow[] = [];
  est.designs.forEach((d, order) => {
    COMPONENTS.forEach((c, corder) => {
      const t = d.byComponent[c];
      if (t.energyPj === 0 && t.areaUm2 === 0) return;
      rows.push({ design: d.label, order, component: COMPONENT_LABELS[c], corder, energyNj: t.energyPj / 1e3, areaMm2: t.areaUm2 / 1e6 });
    });
  });
  return rows;
}

function layerRows(est: Estimate): LayerRow[] {
  const rows: LayerRow[] = [];
  est.designs.forEach((d, order) => {
    d.layers.forEach((l, lorder) => {
      COMPONENTS.forEach((c, corder) => {
        let e = 0;
        let a = 0;
        for (const it of l.items) if (it.component === c) { e += it.energyPj; a += it.areaUm2; }
        if (e === 0 && a === 0) return;
        rows.push({ design: d.label, order, layer: l.name, lorder, component: COMPONENT_LABELS[c], corder, energyNj: e / 1e3, areaMm2: a / 1e6 });
      });
    });
  });
  return rows;
}

function stacked(title: string, rows: ComponentRow[], field: 'energyNj' | 'areaMm2', axisTitle: string, normalize: boolean): TopLevelSpec {
  const designs = [...new Set(rows.map((r) => r.design))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: Math.max(180, 80 * designs.length),
    height: 260,
    data: { values: rows },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: { field: 'design', type: 'nominal', sort: designs, title: null, axis: { labelAngle: 0 } },
      y: {
        field,
        type: 'quantitative',
        aggregate: 'sum',
        title: axisTitle,
        stack: normalize ? 'normalize' : 'zero',
        ...(normalize ? { axis: { format: '.0%' } } : {}),
      },
      color: { field: 'component', type: 'nominal', title: 'component', scale: colorScale },
      order: { field: 'corder', type: 'quantitative' },
    },
    config: baseConfig,
  } as TopLevelSpec;
}

function perLayer(est: Estimate): TopLevelSpec {
  const rows = layerRows(est);
  const layers = est.designs[0].layers.map((l) => l.name);
  const designs = est.designs.map((d) => d.label);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Energy per image by layer and component (each design on its own scale)',
    data: { values: rows },
    facet: { row: { field: 'design', type: 'nominal', sort: designs, title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 12 } } },
    spec: {
      width: Math.max(320, 60 * layers.length),
      height: 150,
      mark: { type: 'bar', tooltip: false },
      encoding: {
        x: { field: 'layer', type: 'nominal', sort: layers, title: null, axis: { labelAngle: 0 } },
        y: { field: 'energyNj', type: 'quantitative', aggregate: 'sum', title: 'energy (nJ)' },
        color: { field: 'component', type: 'nominal', title: 'component', scale: colorScale },
        order: { field: 'corder', type: 'quantitative' },
      },
    },
    resolve: { scale: { y: 'independent' } },
    config: baseConfig,
  } as TopLevelSpec;
}

/** Render one Vega-Lite spec to an SVG string whose ids are prefixed (several charts share one page). */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const vgSpec = compile(spec).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

function prefixIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}

/** Two charts side by side with one legend. */
function pair(a: TopLevelSpec, b: TopLevelSpec): TopLevelSpec {
  const strip = (s: TopLevelSpec) => { const { $schema: _s, config: _c, ...rest } = s as unknown as Record<string, unknown>; return rest; };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    hconcat: [strip(a), strip(b)],
    spacing: 40,
    config: baseConfig,
  } as unknown as TopLevelSpec;
}

export interface ChartSet { totals: string; shares: string; layers: string }

/** The report's charts, in a fixed order. */
export async function renderCharts(est: Estimate): Promise<ChartSet> {
  const rows = componentRows(est);
  return {
    totals: await renderSvg(pair(
      stacked('Energy per image by component', rows, 'energyNj', 'energy per image (nJ)', false),
      stacked('Area by component', rows, 'areaMm2', 'area (mm²)', false),
    ), 'c1'),
    shares: await renderSvg(pair(
      stacked('Share of energy', rows, 'energyNj', 'share of energy', true),
      stacked('Share of area', rows, 'areaMm2', 'share of area', true),
    ), 'c2'),
    layers: await renderSvg(perLayer(est), 'c3'),
  };
}
