// Module, instance and file names of generated RTL. Stage modules end in
// `_stage`, tiles in `_tile_r<i>_c<j>`, macros in `_macro_c<j>`, so no layer name can make two
// modules collide (layer names are unique identifiers, see src/ir/names.ts).
export const topModule = (net: string): string => `${net}_top`;
export const tbModule = (net: string): string => `${net}_tb`;
export const stageModule = (net: string, layer: string): string => `${net}_${layer}_stage`;
export const tileModule = (net: string, layer: string, rowTile: number, colTile: number): string =>
  `${net}_${layer}_tile_r${rowTile}_c${colTile}`;
/** A column group's crossbar macro (`build --xbar macro`): its row tiles, merge and sense amplifiers or ADC. */
export const macroModule = (net: string, layer: string, colTile: number): string => `${net}_${layer}_macro_c${colTile}`;
export const fileOf = (module: string): string => `${module}.sv`;
